-- Searching message text (sangdam_core::search): each message indexed as its site's token and
-- the bigram tokens of its letters, as a text-search vector with a GIN index. A query is the
-- site's token and the phrase (`<->`) of its bigrams.
CREATE TABLE message_search (
    message_id  BIGINT   PRIMARY KEY REFERENCES messages(id),
    grams       tsvector NOT NULL
);
CREATE INDEX message_search_grams ON message_search USING gin (grams);

-- How far the index has come: every message up to `done` (by id) is indexed. A background
-- task indexes what is newer, in id order, a batch per transaction with the new `done`, so the
-- messages written before this index existed are indexed the same way as new ones.
CREATE TABLE search_index (
    done  BIGINT NOT NULL
);
INSERT INTO search_index (done) VALUES (0);
