-- The chatbot (the `bot` crate): each site's bot settings, its scenario blocks and its
-- knowledge base; what the bot remembers of a consultation and why it handed the customer to
-- an agent; the rich answer a bot message carries.

-- One row per site whose bot was ever opened. `version` grows with every change of the
-- settings, a block or an entry: answering consultations rebuild their matcher when it moves.
CREATE TABLE bots (
    site_id     INTEGER PRIMARY KEY REFERENCES sites(id),
    settings    TEXT    NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1,
    updated_at  INTEGER NOT NULL
);

-- Blocks: `kind` welcome, fallback or general (one welcome and one fallback a site);
-- `definition` holds the example utterances, keywords, response (Open Builder's template),
-- skill server and whether the block hands the customer to an agent, as JSON.
CREATE TABLE bot_blocks (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    site_id     INTEGER NOT NULL REFERENCES sites(id),
    kind        TEXT    NOT NULL,
    name        TEXT    NOT NULL,
    definition  TEXT    NOT NULL,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);
CREATE INDEX bot_blocks_site ON bot_blocks (site_id, id);
CREATE UNIQUE INDEX bot_blocks_one_special ON bot_blocks (site_id, kind)
    WHERE kind IN ('welcome', 'fallback');

-- Knowledge-base entries: several example questions (a JSON array) and one answer (a
-- template), a category and an on/off switch.
CREATE TABLE kb_entries (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    site_id     INTEGER NOT NULL REFERENCES sites(id),
    category    TEXT    NOT NULL DEFAULT '',
    enabled     INTEGER NOT NULL DEFAULT 1,
    questions   TEXT    NOT NULL,
    answer      TEXT    NOT NULL,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);
CREATE INDEX kb_entries_site ON kb_entries (site_id, id);

-- While a consultation is with the bot: what it remembers between turns (JSON). Once handed
-- to an agent: why (JSON), which the console shows.
ALTER TABLE consultations ADD COLUMN bot_memory TEXT;
ALTER TABLE consultations ADD COLUMN handoff TEXT;

-- A bot message's answer as Open Builder's template (JSON); its body is the plain text.
ALTER TABLE messages ADD COLUMN rich TEXT;
