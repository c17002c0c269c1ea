-- The most consultations that may wait in a site's queue (R3.3); one more arriving is closed
-- at once with the over-capacity message (end type `over_capacity`). NULL: no limit.
ALTER TABLE sites ADD COLUMN max_waiting INTEGER;
