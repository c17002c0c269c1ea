-- The origins (`https://host[:port]`) whose pages may show the site's chat window in a frame,
-- as a JSON array of strings, normalised by the settings rules. Empty: only Sangdam's own
-- pages may frame it.
ALTER TABLE sites ADD COLUMN frame_origins TEXT NOT NULL DEFAULT '[]';
