-- Login sessions as their owner sees them: from which browser and address, and when last used
-- (`last_seen_at` is written at most once a minute per session).
ALTER TABLE sessions ADD COLUMN user_agent TEXT NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN address TEXT NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN last_seen_at INTEGER NOT NULL DEFAULT 0;
UPDATE sessions SET last_seen_at = created_at;
CREATE INDEX sessions_agent ON sessions (agent_id);

-- The audit log: who changed what, when (administrative actions: settings, secrets, accounts,
-- sessions ended, links and undos). `actor_id` is NULL for what the server did on its own;
-- `actor_name` keeps the name the account had then. `detail` is JSON (never a secret).
CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    site_id     INTEGER NOT NULL REFERENCES sites(id),
    at          INTEGER NOT NULL,
    actor_id    INTEGER REFERENCES agents(id),
    actor_name  TEXT    NOT NULL,
    action      TEXT    NOT NULL,
    target      TEXT    NOT NULL DEFAULT '',
    detail      TEXT    NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_site ON audit_log (site_id, id);
