-- Reports (R7). The history is read by site and creation time, newest first; the index also
-- holds what the counters group by, so counting a period never reads the table. The second
-- serves the counters of a whole history: grouped in its own order, without a sort.
CREATE INDEX consultations_report ON consultations (site_id, created_at, state, end_type);
CREATE INDEX consultations_counted ON consultations (site_id, state, end_type, created_at);

-- How many messages a consultation had when it ended, counted once as it closes (through its
-- room's index: messages have no index by consultation, which would cost every message a
-- write). Open consultations (NULL) are counted when read.
ALTER TABLE consultations ADD COLUMN message_count BIGINT;
UPDATE consultations SET message_count = (
    SELECT COUNT(*) FROM messages m
     WHERE m.room_id = consultations.room_id AND m.consultation_id = consultations.id)
 WHERE state IN (2, 3, 4);

-- Downloads of a report, made in the background. `filter` is the report filter as given
-- (JSON), `columns` the column keys (JSON array). `state`: queued, running, done, failed,
-- cancelled, expired. A running export holds a lease (`lease_until`) that it renews as it
-- writes; one whose lease ran out (its server stopped) is started again. `file` is the file's
-- name in the export directory once done; it is deleted at `expires_at`.
CREATE TABLE exports (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    site_id      INTEGER NOT NULL REFERENCES sites(id),
    agent_id     INTEGER REFERENCES agents(id),
    actor_name   TEXT    NOT NULL,
    format       TEXT    NOT NULL,
    filter       TEXT    NOT NULL,
    columns      TEXT    NOT NULL,
    state        TEXT    NOT NULL,
    rows_total   BIGINT,
    rows_done    BIGINT  NOT NULL DEFAULT 0,
    bytes        BIGINT,
    file         TEXT,
    error        TEXT,
    lease_until  BIGINT,
    created_at   BIGINT  NOT NULL,
    started_at   BIGINT,
    finished_at  BIGINT,
    expires_at   BIGINT
);
CREATE INDEX exports_site ON exports (site_id, id);
CREATE INDEX exports_state ON exports (state, id);

-- The report columns each account chose to see (JSON array of column keys).
CREATE TABLE report_columns (
    agent_id    INTEGER PRIMARY KEY REFERENCES agents(id),
    columns     TEXT    NOT NULL,
    updated_at  BIGINT  NOT NULL
);
