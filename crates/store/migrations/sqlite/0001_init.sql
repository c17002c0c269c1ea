-- Sangdam schema, SQLite. Times are milliseconds since the Unix epoch (UTC); flags are 0/1;
-- JSON documents are TEXT. The PostgreSQL schema mirrors this one column for column.

CREATE TABLE sites (
    id                    INTEGER PRIMARY KEY AUTOINCREMENT,
    name                  TEXT    NOT NULL,
    secret                TEXT    NOT NULL,
    settings              TEXT    NOT NULL,
    require_verified_uid  INTEGER NOT NULL DEFAULT 0,
    info_url_template     TEXT,
    created_at            INTEGER NOT NULL
);

CREATE TABLE agents (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    site_id         INTEGER NOT NULL REFERENCES sites(id),
    login           TEXT    NOT NULL UNIQUE,
    password_hash   TEXT    NOT NULL,
    display_name    TEXT    NOT NULL,
    role            TEXT    NOT NULL,
    status          TEXT    NOT NULL DEFAULT 'offline',
    max_concurrent  INTEGER NOT NULL DEFAULT 10,
    created_at      INTEGER NOT NULL
);

CREATE TABLE api_tokens (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    site_id     INTEGER NOT NULL REFERENCES sites(id),
    agent_id    INTEGER REFERENCES agents(id),
    token_hash  TEXT    NOT NULL UNIQUE,
    name        TEXT    NOT NULL,
    created_at  INTEGER NOT NULL
);

CREATE TABLE sessions (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    token_hash  TEXT    NOT NULL UNIQUE,
    agent_id    INTEGER NOT NULL REFERENCES agents(id),
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL
);

CREATE TABLE profiles (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    site_id             INTEGER NOT NULL REFERENCES sites(id),
    site_uid            TEXT,
    verified            INTEGER NOT NULL DEFAULT 0,
    name                TEXT,
    phone               TEXT,
    email               TEXT,
    mobile              TEXT,
    mobile_method       TEXT,
    mobile_verified_at  INTEGER,
    custom              TEXT    NOT NULL DEFAULT '{}',
    created_at          INTEGER NOT NULL,
    updated_at          INTEGER NOT NULL
);
CREATE UNIQUE INDEX profiles_site_uid ON profiles (site_id, site_uid) WHERE site_uid IS NOT NULL;

CREATE TABLE rooms (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    site_id       INTEGER NOT NULL REFERENCES sites(id),
    platform      TEXT    NOT NULL,
    channel       TEXT    NOT NULL,
    customer_key  TEXT    NOT NULL,
    profile_id    INTEGER NOT NULL REFERENCES profiles(id),
    created_at    INTEGER NOT NULL,
    UNIQUE (site_id, platform, customer_key)
);
CREATE INDEX rooms_profile ON rooms (profile_id);

CREATE TABLE consultations (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    site_id            INTEGER NOT NULL REFERENCES sites(id),
    room_id            INTEGER NOT NULL REFERENCES rooms(id),
    channel            TEXT    NOT NULL,
    state              INTEGER NOT NULL,
    end_type           TEXT,
    agent_id           INTEGER REFERENCES agents(id),
    closed_by          INTEGER REFERENCES agents(id),
    category_id        INTEGER,
    division_id        INTEGER,
    user_parameter     TEXT,
    custom             TEXT    NOT NULL DEFAULT '{}',
    created_at         INTEGER NOT NULL,
    assigned_at        INTEGER,
    first_response_at  INTEGER,
    closed_at          INTEGER,
    updated_at         INTEGER NOT NULL
);
CREATE UNIQUE INDEX consultations_one_open ON consultations (room_id) WHERE state IN (-2, -1, 0, 1);
CREATE INDEX consultations_site_state ON consultations (site_id, state);

CREATE TABLE inflows (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    site_id          INTEGER NOT NULL REFERENCES sites(id),
    consultation_id  INTEGER NOT NULL REFERENCES consultations(id),
    channel          TEXT    NOT NULL,
    raw              TEXT    NOT NULL,
    parsed           TEXT    NOT NULL,
    warnings         TEXT    NOT NULL,
    site_uid         TEXT,
    verified         INTEGER NOT NULL DEFAULT 0,
    referrer         TEXT,
    user_agent       TEXT,
    created_at       INTEGER NOT NULL
);
CREATE INDEX inflows_consultation ON inflows (consultation_id);

CREATE TABLE messages (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    site_id          INTEGER NOT NULL REFERENCES sites(id),
    room_id          INTEGER NOT NULL REFERENCES rooms(id),
    consultation_id  INTEGER NOT NULL REFERENCES consultations(id),
    sender           TEXT    NOT NULL,
    agent_id         INTEGER REFERENCES agents(id),
    body             TEXT    NOT NULL,
    client_msg_id    TEXT,
    delivered_at     INTEGER,
    created_at       INTEGER NOT NULL
);
CREATE INDEX messages_room ON messages (room_id, id);
CREATE INDEX messages_consultation ON messages (consultation_id, id);
CREATE UNIQUE INDEX messages_client_id ON messages (room_id, client_msg_id) WHERE client_msg_id IS NOT NULL;

CREATE TABLE visitors (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    site_id           INTEGER NOT NULL REFERENCES sites(id),
    key_hash          TEXT    NOT NULL UNIQUE,
    room_id           INTEGER NOT NULL REFERENCES rooms(id),
    verified          INTEGER NOT NULL DEFAULT 0,
    since_message_id  INTEGER NOT NULL DEFAULT 0,
    created_at        INTEGER NOT NULL,
    updated_at        INTEGER NOT NULL
);

CREATE TABLE link_journal (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    site_id           INTEGER NOT NULL REFERENCES sites(id),
    room_id           INTEGER NOT NULL REFERENCES rooms(id),
    actor             TEXT    NOT NULL,
    reason            TEXT    NOT NULL,
    from_profile_id   INTEGER NOT NULL,
    to_profile_id     INTEGER NOT NULL,
    from_site_uid     TEXT,
    to_site_uid       TEXT,
    before            TEXT    NOT NULL,
    created_at        INTEGER NOT NULL,
    undone_at         INTEGER,
    undone_by         TEXT
);
CREATE INDEX link_journal_room ON link_journal (room_id, id);
