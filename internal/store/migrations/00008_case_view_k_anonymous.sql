-- The case-level view is now k-anonymous on everything it publishes (docs/design.md §6):
-- generalisation reads every published column of the cases of a jurisdiction and year, and
-- their appeals, so the covering index of the six old quasi-identifiers no longer covers
-- its read; an index on (jurisdiction, reported_on) finds the year's rows. What
-- cases.generalized holds is recomputed by the server on start (store.Regeneralize); the
-- new schema version also moves the answer cache to new keys, so no answer cached under
-- the old view is served.

-- +goose Up
DROP INDEX cases_quasi_identifiers;
CREATE INDEX cases_year_groups ON cases (jurisdiction, reported_on);

-- +goose Down
DROP INDEX cases_year_groups;
CREATE INDEX cases_quasi_identifiers ON cases (jurisdiction, reported_on, region,
    defendant_kind, age_band, defendant_gender, generalized, id);
