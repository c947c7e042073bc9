-- Settings the store keeps about itself. The one there is: the rule every case was last
-- generalised under (store.Regeneralize), so that a server starting with the same rule
-- does not read every case again to find nothing to change.

-- +goose Up
CREATE TABLE settings (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- +goose Down
DROP TABLE settings;
