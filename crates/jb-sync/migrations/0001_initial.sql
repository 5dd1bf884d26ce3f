-- The sync store: downloaded record versions, poll runs, photos, the upload outbox and the
-- emission cursors. Times are UTC text in the fixed form 2024-05-01T08:00:00.000Z, so that text
-- order is time order.

-- One row per poll of one download operation, written when the poll ends.
CREATE TABLE poll_runs (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    operation       TEXT    NOT NULL CHECK (operation IN ('warnings', 'accidents', 'dispatches')),
    started_at      TEXT    NOT NULL,
    finished_at     TEXT    NOT NULL,
    outcome         TEXT    NOT NULL CHECK (outcome IN ('succeeded', 'failed')),
    error           TEXT,
    received        INTEGER NOT NULL DEFAULT 0,
    new_records     INTEGER NOT NULL DEFAULT 0,
    new_versions    INTEGER NOT NULL DEFAULT 0,
    repeated        INTEGER NOT NULL DEFAULT 0,
    decode_failures INTEGER NOT NULL DEFAULT 0
);

CREATE INDEX poll_runs_by_operation ON poll_runs (operation, id DESC);

-- One row per version of a downloaded record. The id only grows (AUTOINCREMENT never reuses a
-- value), and the store has a single writer, so ids follow commit order: the emission cursors
-- rely on that. A record that failed to decode is a version too, with decode_error set;
-- violations lists, as a JSON array of text, the field rules a decoded record breaks.
CREATE TABLE record_versions (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    operation     TEXT    NOT NULL CHECK (operation IN ('warnings', 'accidents', 'dispatches')),
    natural_key   TEXT    NOT NULL,
    version       INTEGER NOT NULL CHECK (version >= 1),
    content_hash  TEXT    NOT NULL,
    raw_json      TEXT    NOT NULL,
    decode_error  TEXT,
    violations    TEXT,
    first_seen_at TEXT    NOT NULL,
    last_seen_at  TEXT    NOT NULL,
    repeat_count  INTEGER NOT NULL DEFAULT 0,
    first_poll_id INTEGER NOT NULL REFERENCES poll_runs (id),
    last_poll_id  INTEGER NOT NULL REFERENCES poll_runs (id),
    UNIQUE (operation, natural_key, version)
);

CREATE INDEX record_versions_failed ON record_versions (operation) WHERE decode_error IS NOT NULL;

-- Decoded fields of J1 warnings (警情), one row per decoded version.
CREATE TABLE warnings (
    version_id   INTEGER PRIMARY KEY REFERENCES record_versions (id),
    warning_no   TEXT NOT NULL,
    warning_time TEXT NOT NULL,
    address      TEXT NOT NULL
);

CREATE INDEX warnings_by_number ON warnings (warning_no);
CREATE INDEX warnings_by_time ON warnings (warning_time);

-- Decoded fields of J2 accidents (事故), one row per decoded version.
CREATE TABLE accidents (
    version_id    INTEGER PRIMARY KEY REFERENCES record_versions (id),
    accident_no   TEXT    NOT NULL,
    accident_time TEXT    NOT NULL,
    district      TEXT    NOT NULL,
    accident_type TEXT    NOT NULL,
    photo_count   INTEGER NOT NULL
);

CREATE INDEX accidents_by_number ON accidents (accident_no);
CREATE INDEX accidents_by_time ON accidents (accident_time);

-- Decoded fields of J5 dispatches (调度), one row per decoded version.
CREATE TABLE dispatches (
    version_id    INTEGER PRIMARY KEY REFERENCES record_versions (id),
    report_no     TEXT NOT NULL,
    receive_time  TEXT NOT NULL,
    dispatch_type TEXT NOT NULL,
    task_type     TEXT NOT NULL,
    surveyor_co   TEXT NOT NULL
);

CREATE INDEX dispatches_by_report ON dispatches (report_no);

-- Plate numbers of warnings and accidents, for look-up by plate.
CREATE TABLE record_plates (
    version_id INTEGER NOT NULL REFERENCES record_versions (id),
    plate_no   TEXT    NOT NULL,
    plate_type TEXT    NOT NULL,
    PRIMARY KEY (version_id, plate_no, plate_type)
);

CREATE INDEX record_plates_by_plate ON record_plates (plate_no);

-- Accident photos to fetch. identity is the URL without its signature (the e= expiry and the
-- token), so that a later poll that sends a fresh link refreshes the row instead of adding a
-- second one.
CREATE TABLE photos (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    accident_no     TEXT    NOT NULL,
    version_id      INTEGER NOT NULL REFERENCES record_versions (id),
    identity        TEXT    NOT NULL,
    photo_type      TEXT    NOT NULL,
    photo_name      TEXT    NOT NULL,
    url             TEXT    NOT NULL,
    url_expires_at  TEXT,
    state           TEXT    NOT NULL CHECK (state IN ('pending', 'fetched', 'failed', 'expired')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    sha256          TEXT,
    path            TEXT,
    size_bytes      INTEGER,
    last_error      TEXT,
    created_at      TEXT    NOT NULL,
    updated_at      TEXT    NOT NULL,
    UNIQUE (accident_no, identity)
);

CREATE INDEX photos_by_state ON photos (state);

-- Uploads (J3 reports, J4 claims) waiting to be sent, and what became of them.
CREATE TABLE outbox (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    kind             TEXT    NOT NULL CHECK (kind IN ('report', 'claim')),
    business_key     TEXT    NOT NULL,
    payload          TEXT    NOT NULL,
    payload_hash     TEXT    NOT NULL,
    state            TEXT    NOT NULL
        CHECK (state IN ('queued', 'sending', 'delivered', 'parked', 'unknown_outcome')),
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  TEXT    NOT NULL,
    last_error       TEXT,
    platform_code    TEXT,
    platform_message TEXT,
    created_at       TEXT    NOT NULL,
    updated_at       TEXT    NOT NULL,
    delivered_at     TEXT
);

CREATE INDEX outbox_due ON outbox (state, next_attempt_at);
CREATE INDEX outbox_by_payload ON outbox (kind, payload_hash);

-- Every send attempt of an upload, for `jb outbox show`.
CREATE TABLE outbox_attempts (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    outbox_id   INTEGER NOT NULL REFERENCES outbox (id),
    started_at  TEXT    NOT NULL,
    finished_at TEXT,
    outcome     TEXT    NOT NULL
        CHECK (outcome IN ('in_flight', 'delivered', 'rejected', 'not_sent', 'unknown')),
    detail      TEXT
);

CREATE INDEX outbox_attempts_by_upload ON outbox_attempts (outbox_id, id);

-- How far each sink has durably written the stream of record versions.
CREATE TABLE emission_cursors (
    sink            TEXT    PRIMARY KEY,
    last_version_id INTEGER NOT NULL,
    updated_at      TEXT    NOT NULL
);
