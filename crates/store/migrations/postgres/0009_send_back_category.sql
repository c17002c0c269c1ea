-- A consultation sent back to distribution into another category: the timeline's entry keeps
-- the classification it left and the one it went into (NULL on every other entry).
ALTER TABLE consultation_events ADD COLUMN from_category_id BIGINT;
ALTER TABLE consultation_events ADD COLUMN from_division_id BIGINT;
ALTER TABLE consultation_events ADD COLUMN category_id BIGINT;
ALTER TABLE consultation_events ADD COLUMN division_id BIGINT;
