-- One schema for SQLite and PostgreSQL: portable types only, dates as ISO text
-- ("YYYY-MM-DD", which sorts and compares correctly in both), ids assigned by casewatch.
-- No column may hold a direct identifier: source ids and defendants appear only as keyed
-- hashes (source_key, pseudonym).

-- +goose Up
CREATE TABLE releases (
    id             BIGINT PRIMARY KEY,
    published_at   TEXT NOT NULL,
    note           TEXT,
    synthetic      BOOLEAN NOT NULL,
    rows_added     INTEGER NOT NULL,
    rows_updated   INTEGER NOT NULL,
    rows_unchanged INTEGER NOT NULL,
    checksum       TEXT
);

-- Articles seen in imports that the reference list does not have yet.
CREATE TABLE articles (
    jurisdiction TEXT NOT NULL,
    code         TEXT NOT NULL,
    liability    TEXT NOT NULL,
    first_release_id BIGINT NOT NULL REFERENCES releases (id),
    PRIMARY KEY (jurisdiction, code)
);

CREATE TABLE cases (
    id                  BIGINT PRIMARY KEY,
    reference           TEXT NOT NULL UNIQUE,
    source_key          TEXT NOT NULL UNIQUE,
    pseudonym           TEXT,
    jurisdiction        TEXT NOT NULL,
    region              TEXT,
    category            TEXT NOT NULL,
    concern             TEXT NOT NULL,
    platform            TEXT NOT NULL,
    article             TEXT,
    liability           TEXT NOT NULL,
    stage               TEXT NOT NULL,
    defendant_kind      TEXT,
    defendant_gender    TEXT,
    age_band            TEXT,
    reported_on         TEXT NOT NULL,
    expert_conclusion   TEXT,
    expert_on           TEXT,
    case_opened_on      TEXT,
    prosecutor_decision TEXT,
    prosecutor_on       TEXT,
    court_decision      TEXT,
    court_on            TEXT,
    sanction            TEXT,
    fine_amount         BIGINT,
    appeal_status       TEXT,
    summary             TEXT,
    search_text         TEXT,
    generalized         TEXT NOT NULL DEFAULT '',
    first_release_id    BIGINT NOT NULL REFERENCES releases (id),
    updated_release_id  BIGINT NOT NULL REFERENCES releases (id)
);

-- Keyset pagination walks these in order; the filters below cut the walk short when they
-- are selective.
CREATE INDEX cases_reported ON cases (reported_on, id);
CREATE INDEX cases_decided ON cases ((COALESCE(court_on, '')), id);
CREATE INDEX cases_category ON cases (category, reported_on);
CREATE INDEX cases_region ON cases (region, reported_on);
CREATE INDEX cases_article ON cases (article, reported_on);
CREATE INDEX cases_defendant_kind ON cases (defendant_kind, reported_on);
CREATE INDEX cases_stage ON cases (stage, reported_on);

-- An appeal (level APPEAL) or cassation (level CASSATION) of a case.
CREATE TABLE appeals (
    case_id     BIGINT NOT NULL REFERENCES cases (id),
    level       TEXT NOT NULL,
    filed_by    TEXT,
    filed_on    TEXT,
    status      TEXT NOT NULL,
    decided_on  TEXT,
    fine_amount BIGINT,
    PRIMARY KEY (case_id, level)
);

-- Flagged content, never linked to a person or a case.
CREATE TABLE detections (
    jurisdiction TEXT NOT NULL,
    region       TEXT,
    category     TEXT NOT NULL,
    platform     TEXT NOT NULL,
    action       TEXT NOT NULL,
    detected_on  TEXT NOT NULL,
    release_id   BIGINT NOT NULL REFERENCES releases (id)
);

CREATE INDEX detections_detected ON detections (detected_on);

-- +goose Down
DROP TABLE detections;
DROP TABLE appeals;
DROP TABLE cases;
DROP TABLE articles;
DROP TABLE releases;
