-- What agents keep about a customer beside the profile's values (sangdam_core::customer):
-- the grade (normal, vip, blocked), a flag, tags, and the memo with its history.
ALTER TABLE profiles ADD COLUMN grade TEXT NOT NULL DEFAULT 'normal';
ALTER TABLE profiles ADD COLUMN flagged INTEGER NOT NULL DEFAULT 0;

-- Each save of a profile's memo is a version: the newest is the memo, the others its history
-- (who wrote what, when). An empty body is a cleared memo.
CREATE TABLE profile_memos (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    site_id     INTEGER NOT NULL REFERENCES sites(id),
    profile_id  INTEGER NOT NULL REFERENCES profiles(id),
    agent_id    INTEGER NOT NULL REFERENCES agents(id),
    body        TEXT    NOT NULL,
    created_at  INTEGER NOT NULL
);
CREATE INDEX profile_memos_profile ON profile_memos (profile_id, id);

-- A profile's tags, in the order they were added.
CREATE TABLE profile_tags (
    profile_id  INTEGER NOT NULL REFERENCES profiles(id),
    tag         TEXT    NOT NULL,
    position    INTEGER NOT NULL,
    PRIMARY KEY (profile_id, tag)
);

-- The site's list of tags agents pick from (they may type others too), as a JSON array.
ALTER TABLE sites ADD COLUMN tag_list TEXT NOT NULL DEFAULT '[]';

-- Canned replies: shared (owner_id NULL, kept by the admin and managers) or one agent's.
-- A shortcut is unique, ignoring case, among the shared ones and among each agent's own.
CREATE TABLE canned_replies (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    site_id     INTEGER NOT NULL REFERENCES sites(id),
    owner_id    INTEGER REFERENCES agents(id),
    shortcut    TEXT    NOT NULL,
    title       TEXT    NOT NULL,
    body        TEXT    NOT NULL,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);
CREATE UNIQUE INDEX canned_replies_shortcut
    ON canned_replies (site_id, COALESCE(owner_id, 0), lower(shortcut));

-- Read marks (live signals): the newest message of the consultation the customer's window has
-- shown, and the newest an agent handling it has read. What follows is unread.
ALTER TABLE consultations ADD COLUMN customer_read_to BIGINT;
ALTER TABLE consultations ADD COLUMN agent_read_to BIGINT;

-- Groups (teams): a manager leads the group they belong to and sees its agents and their
-- consultations (sangdam_core::access); the admin sees everything.
CREATE TABLE groups (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    site_id     INTEGER NOT NULL REFERENCES sites(id),
    name        TEXT    NOT NULL,
    created_at  INTEGER NOT NULL
);
CREATE UNIQUE INDEX groups_name ON groups (site_id, lower(name));
ALTER TABLE agents ADD COLUMN group_id INTEGER REFERENCES groups(id);
CREATE INDEX agents_group ON agents (group_id) WHERE group_id IS NOT NULL;
