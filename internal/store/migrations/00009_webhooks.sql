-- Webhooks (docs/design.md §18): subscribers an editor registers, the outbox of events to
-- deliver to them (one row per subscriber and release, so that several instances enqueue an
-- event once), and the log of delivery attempts. Times are Unix milliseconds (BIGINT), which
-- compare the same on both backends; a NULL paused_at is an active subscriber. No column
-- holds case-level data: an event describes a release.

-- +goose Up
CREATE TABLE webhook_subscribers (
    id                   TEXT PRIMARY KEY,
    url                  TEXT NOT NULL,
    filter               TEXT NOT NULL,
    secret               TEXT NOT NULL,
    created_by           TEXT NOT NULL,
    created_at           BIGINT NOT NULL,
    -- The newest release an event was enqueued for (or that was current at registration).
    last_release         BIGINT NOT NULL,
    paused_at            BIGINT,
    paused_reason        TEXT,
    consecutive_failures INTEGER NOT NULL DEFAULT 0,
    failing_since        BIGINT
);

CREATE TABLE webhook_deliveries (
    -- The event's id, sent as its idempotency key.
    id              TEXT PRIMARY KEY,
    subscriber_id   TEXT NOT NULL,
    release_id      BIGINT NOT NULL,
    payload         TEXT NOT NULL,
    status          TEXT NOT NULL,
    created_at      BIGINT NOT NULL,
    expires_at      BIGINT NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    leased_until    BIGINT,
    lease_owner     TEXT,
    last_status     INTEGER,
    last_error      TEXT,
    delivered_at    BIGINT,
    UNIQUE (subscriber_id, release_id)
);

CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);

CREATE TABLE webhook_attempts (
    delivery_id TEXT NOT NULL,
    attempt     INTEGER NOT NULL,
    at          BIGINT NOT NULL,
    duration_ms INTEGER NOT NULL,
    status_code INTEGER,
    error       TEXT,
    PRIMARY KEY (delivery_id, attempt)
);

-- +goose Down
DROP TABLE webhook_attempts;
DROP INDEX webhook_deliveries_due;
DROP TABLE webhook_deliveries;
DROP TABLE webhook_subscribers;
