-- A customer's satisfaction rating of a consultation (1 to 5, an optional comment), given once
-- after its end; it belongs to the consultation and so to the agent who had it.
ALTER TABLE consultations ADD COLUMN rating BIGINT;
ALTER TABLE consultations ADD COLUMN rating_comment TEXT;
ALTER TABLE consultations ADD COLUMN rated_at BIGINT;
-- When a messenger customer (Naver) was asked for their rating with quick replies: their next
-- message that reads as a score rates this consultation instead of opening a new one.
ALTER TABLE consultations ADD COLUMN rating_requested_at BIGINT;
