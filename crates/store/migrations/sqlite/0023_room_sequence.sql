-- Each room numbers its messages 1, 2, 3… in the order they are committed, so a chat window
-- or a console that saw message n of a room knows whether it missed any. SQLite has one
-- writer at a time: every insert gives the next number itself (one more than the room's
-- highest, through the index below).
ALTER TABLE messages ADD COLUMN seq INTEGER NOT NULL DEFAULT 0;
UPDATE messages SET seq = n.seq
  FROM (SELECT id, row_number() OVER (PARTITION BY room_id ORDER BY id) AS seq FROM messages) n
  WHERE messages.id = n.id;
DROP INDEX messages_room;
CREATE UNIQUE INDEX messages_room_seq ON messages (room_id, seq);

-- What a window that does not see a room's history starts after: a number of the room's
-- sequence (it was a message id).
ALTER TABLE visitors RENAME COLUMN since_message_id TO since_seq;
UPDATE visitors SET since_seq = COALESCE(
  (SELECT MAX(m.seq) FROM messages m WHERE m.room_id = visitors.room_id AND m.id <= visitors.since_seq), 0);
