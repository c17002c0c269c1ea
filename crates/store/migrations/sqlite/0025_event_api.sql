-- The Event API (bot-initiated messages): each site's key (its SHA-256; the key is shown once
-- when issued) and the Kakao bot and REST API key its Kakao messages go through; the tasks a
-- request makes, with the message its event block rendered; and each recipient's delivery.

CREATE TABLE event_api_settings (
    site_id         INTEGER PRIMARY KEY REFERENCES sites(id),
    key_hash        TEXT,
    kakao_bot_id    TEXT,
    kakao_rest_key  TEXT,
    updated_at      INTEGER NOT NULL
);
CREATE UNIQUE INDEX event_api_settings_key ON event_api_settings (key_hash);

-- `public_id` the task id the API answers; `idempotency_key` the request's own (a repeat
-- answers the same task); `request` the accepted request (JSON); `message` the rendered
-- template (JSON) and `body` its plain text.
CREATE TABLE event_tasks (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    site_id         INTEGER NOT NULL REFERENCES sites(id),
    public_id       TEXT NOT NULL UNIQUE,
    idempotency_key TEXT,
    event_name      TEXT NOT NULL,
    request         TEXT NOT NULL,
    message         TEXT NOT NULL,
    body            TEXT NOT NULL,
    created_at      INTEGER NOT NULL,
    finished_at     INTEGER
);
CREATE UNIQUE INDEX event_tasks_idempotency ON event_tasks (site_id, idempotency_key);
CREATE INDEX event_tasks_site ON event_tasks (site_id, id);

-- `state` pending, delivered or failed (with `error`); `outside_task` Kakao's task id once
-- Kakao accepted the recipient; `billed` 1 once the delivered message is billed.
CREATE TABLE event_deliveries (
    task_id         INTEGER NOT NULL REFERENCES event_tasks(id),
    position        INTEGER NOT NULL,
    recipient_type  TEXT NOT NULL,
    recipient_id    TEXT NOT NULL,
    channel         TEXT NOT NULL,
    state           TEXT NOT NULL,
    error           TEXT,
    room_id         INTEGER,
    message_id      INTEGER,
    outside_task    TEXT,
    billed          INTEGER NOT NULL DEFAULT 0,
    updated_at      INTEGER NOT NULL,
    PRIMARY KEY (task_id, position)
);
