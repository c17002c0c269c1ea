-- Identity and access.
--
-- channel_keys: the key each messenger platform's requests must carry (in the webhook URL the
-- site's admin pastes into Open Builder or TalkTalk's partner center). A rotation keeps the
-- previous key valid until `previous_until`.
CREATE TABLE channel_keys (
    site_id         INTEGER NOT NULL REFERENCES sites(id),
    platform        TEXT    NOT NULL,
    channel_key     TEXT    NOT NULL,
    previous_key    TEXT,
    previous_until  INTEGER,
    rotated_at      INTEGER NOT NULL,
    PRIMARY KEY (site_id, platform)
);

-- A messenger message longer than Sangdam keeps is stored cut; `original_chars` says how long
-- it was (NULL: stored whole).
ALTER TABLE messages ADD COLUMN original_chars INTEGER;

-- The consultation a browser is part of (an unverified browser never joins another browser's
-- live consultation), and the inflow a browser arrived with, kept until its first message
-- opens the consultation (JSON; NULL once used).
ALTER TABLE visitors ADD COLUMN consultation_id INTEGER REFERENCES consultations(id);
ALTER TABLE visitors ADD COLUMN pending_inflow TEXT;
