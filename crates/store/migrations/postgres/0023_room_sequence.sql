-- Each room numbers its messages 1, 2, 3… in the order they are committed, so a chat window
-- or a console that saw message n of a room knows whether it missed any (several instances
-- write at once, and ids are not commit order then).
--
-- The number is given by the trigger below, inside the inserting transaction: it takes the
-- room's row lock and counts on `rooms.message_seq`, so a room's messages are numbered and
-- committed one writer at a time and a rolled-back insert gives its number back. A retry of a
-- stored message (same room and client id) is left out here rather than by ON CONFLICT, which
-- would come after the number was taken and leave a hole.
ALTER TABLE rooms ADD COLUMN message_seq BIGINT NOT NULL DEFAULT 0;
ALTER TABLE messages ADD COLUMN seq BIGINT;
UPDATE messages m SET seq = n.seq
  FROM (SELECT id, row_number() OVER (PARTITION BY room_id ORDER BY id) AS seq FROM messages) n
  WHERE m.id = n.id;
UPDATE rooms r SET message_seq = s.n
  FROM (SELECT room_id, MAX(seq) AS n FROM messages GROUP BY room_id) s
  WHERE r.id = s.room_id;
ALTER TABLE messages ALTER COLUMN seq SET NOT NULL;
DROP INDEX messages_room;
CREATE UNIQUE INDEX messages_room_seq ON messages (room_id, seq);

-- What a window that does not see a room's history starts after: a number of the room's
-- sequence (it was a message id).
ALTER TABLE visitors RENAME COLUMN since_message_id TO since_seq;
UPDATE visitors v SET since_seq = COALESCE(
  (SELECT MAX(m.seq) FROM messages m WHERE m.room_id = v.room_id AND m.id <= v.since_seq), 0);

CREATE FUNCTION messages_room_seq() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.seq IS NOT NULL THEN
    -- Written with its number (the seed command), which also sets the room's count.
    RETURN NEW;
  END IF;
  UPDATE rooms SET message_seq = message_seq + 1 WHERE id = NEW.room_id
    RETURNING message_seq INTO NEW.seq;
  IF NEW.client_msg_id IS NOT NULL AND EXISTS (
       SELECT 1 FROM messages WHERE room_id = NEW.room_id AND client_msg_id = NEW.client_msg_id) THEN
    -- A retry: stored before (seen now that the room is locked). Nothing is inserted.
    UPDATE rooms SET message_seq = message_seq - 1 WHERE id = NEW.room_id;
    RETURN NULL;
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER messages_room_seq BEFORE INSERT ON messages
  FOR EACH ROW EXECUTE FUNCTION messages_room_seq();
