-- Searching message text (sangdam_core::search): each message indexed as its site's token and
-- the bigram tokens of its letters, in an FTS5 table that keeps no copy of the text
-- (contentless; rowid = the message's id). A query is the site's token and the phrase of its
-- bigrams.
CREATE VIRTUAL TABLE message_search USING fts5(
    grams,
    content = '',
    contentless_delete = 1,
    tokenize = 'ascii'
);

-- How far the index has come: every message up to `done` (by id) is indexed. A background
-- task indexes what is newer, in id order, a batch per transaction with the new `done`, so the
-- messages written before this index existed are indexed the same way as new ones.
CREATE TABLE search_index (
    done  BIGINT NOT NULL
);
INSERT INTO search_index (done) VALUES (0);
