-- Repeat defendants are counted by the statistics engine from its own fact table
-- (internal/stats), which groups the pseudonyms itself: nothing looks cases up by
-- pseudonym, and the index only slowed every import down.

-- +goose Up
DROP INDEX cases_pseudonym;

-- +goose Down
CREATE INDEX cases_pseudonym ON cases (pseudonym);
