-- Images and files sent in consultations. The bytes live in the file storage (local disk or
-- an S3-compatible bucket) under the SHA-256 of their content; a thumbnail (images) under its
-- own. The same bytes sent twice are stored once: a blob is removed only when no row names
-- it any more. The type was read off the bytes, never taken from the name.
CREATE TABLE files (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    site_id       INTEGER NOT NULL REFERENCES sites(id),
    room_id       INTEGER NOT NULL REFERENCES rooms(id),
    sha256        TEXT    NOT NULL,
    kind          TEXT    NOT NULL,
    media_type    TEXT    NOT NULL,
    name          TEXT    NOT NULL,
    size          INTEGER NOT NULL,
    width         INTEGER,
    height        INTEGER,
    thumb_sha256  TEXT,
    created_at    INTEGER NOT NULL
);
CREATE INDEX files_room ON files (room_id);
CREATE INDEX files_sha ON files (sha256);
CREATE INDEX files_thumb ON files (thumb_sha256) WHERE thumb_sha256 IS NOT NULL;

-- A message carrying a file: its body is the file's name.
ALTER TABLE messages ADD COLUMN file_id INTEGER REFERENCES files(id);
CREATE INDEX messages_file ON messages (file_id) WHERE file_id IS NOT NULL;

-- What the site accepts (size limit, kinds), as JSON; '{}' is the default rules.
ALTER TABLE sites ADD COLUMN file_rules TEXT NOT NULL DEFAULT '{}';
