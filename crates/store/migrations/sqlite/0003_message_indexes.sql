-- A consultation's messages are read through its room (messages_room); a third index on every
-- message was one more page written per message for a lookup the room index serves.
DROP INDEX messages_consultation;
