-- Imports: corrections of published cases, editor tokens and the audit log.

-- +goose Up
-- One row per case and release that changed it: which published fields changed.
CREATE TABLE corrections (
    case_id    INTEGER NOT NULL,
    release_id BIGINT NOT NULL,
    fields     TEXT NOT NULL,
    PRIMARY KEY (case_id, release_id)
);

-- Editor tokens. Only a SHA-256 hash of each token is kept.
CREATE TABLE tokens (
    name       TEXT PRIMARY KEY,
    role       TEXT NOT NULL,
    hash       TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    revoked_at TEXT
);

-- Every mutation: who (token name), when, what, and the release it made if any.
CREATE TABLE audit_log (
    id         BIGINT PRIMARY KEY,
    at         TEXT NOT NULL,
    token_name TEXT NOT NULL,
    action     TEXT NOT NULL,
    release_id BIGINT,
    detail     TEXT NOT NULL
);

CREATE INDEX cases_pseudonym ON cases (pseudonym);

-- +goose Down
DROP INDEX cases_pseudonym;
DROP TABLE audit_log;
DROP TABLE tokens;
DROP TABLE corrections;
