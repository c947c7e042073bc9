-- One schema for SQLite and PostgreSQL: portable types only, dates as ISO text
-- ("YYYY-MM-DD", which sorts and compares correctly in both), ids assigned by casewatch.
-- The bulk tables (cases, appeals, detections) carry no foreign keys: PostgreSQL checks
-- those one row at a time, which cost most of a large load. store.Load writes a release
-- and its rows in one transaction and nothing deletes them, so the references hold.
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
    -- INTEGER PRIMARY KEY is SQLite's rowid itself, so every index ends in id for free.
    id                  INTEGER PRIMARY KEY,
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
    first_release_id    BIGINT NOT NULL,
    updated_release_id  BIGINT NOT NULL
);

-- Keyset pagination walks an index in (sort key, id) order. A list filtered on one of the
-- leading columns below walks that column's index once per listed value and merges the
-- walks (see store.ListCases), so selective and broad filters both stop after one page.
CREATE INDEX cases_reported ON cases (reported_on, id);
CREATE INDEX cases_decided ON cases ((COALESCE(court_on, '')), id);
CREATE INDEX cases_category ON cases (category, reported_on, id);
CREATE INDEX cases_region ON cases (region, reported_on, id);
CREATE INDEX cases_article ON cases (article, reported_on, id);
CREATE INDEX cases_defendant_kind ON cases (defendant_kind, reported_on, id);
CREATE INDEX cases_stage ON cases (stage, reported_on, id);
-- Counting (totalCount) reads only this index: it covers every categorical filter, so a
-- count touches no table rows. Category leads because most lists filter on it.
CREATE INDEX cases_facets ON cases (category, jurisdiction, platform, region, liability,
    defendant_kind, stage, court_decision, sanction, appeal_status, concern, article,
    reported_on, court_on);

-- An appeal (level APPEAL) or cassation (level CASSATION) of a case.
CREATE TABLE appeals (
    case_id     INTEGER NOT NULL,
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
    release_id   BIGINT NOT NULL
);

CREATE INDEX detections_detected ON detections (detected_on);

-- +goose Down
DROP TABLE detections;
DROP TABLE appeals;
DROP TABLE cases;
DROP TABLE articles;
DROP TABLE releases;
