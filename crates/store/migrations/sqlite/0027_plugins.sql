-- The bot's channels and plugins (R6.1, R6.2): the development and operating channels the bot
-- is linked to, what Kakao's console says of the app (the business channel linked, the reviews
-- passed, both channels on the same app), and each plugin set up, with the channel it was set
-- up on and, once that channel was unlinked, when and why it stopped working.
CREATE TABLE bot_channels (
    site_id                 INTEGER PRIMARY KEY REFERENCES sites(id),
    development_channel     TEXT,
    operating_channel       TEXT,
    business_channel_linked INTEGER NOT NULL DEFAULT 0,
    personal_info_review    INTEGER NOT NULL DEFAULT 0,
    sync_terms_review       INTEGER NOT NULL DEFAULT 0,
    channels_same_app       INTEGER NOT NULL DEFAULT 0,
    updated_at              INTEGER NOT NULL
);

CREATE TABLE site_plugins (
    site_id         INTEGER NOT NULL REFERENCES sites(id),
    plugin          TEXT NOT NULL,
    slot            TEXT NOT NULL,
    enabled_at      INTEGER NOT NULL,
    broken_at       INTEGER,
    broken_reason   TEXT,
    PRIMARY KEY (site_id, plugin)
);
