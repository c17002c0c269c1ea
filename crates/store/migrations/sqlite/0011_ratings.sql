-- A customer's satisfaction rating of a consultation (1 to 5, an optional comment), given once
-- after its end; it belongs to the consultation and so to the agent who had it.
ALTER TABLE consultations ADD COLUMN rating BIGINT;
ALTER TABLE consultations ADD COLUMN rating_comment TEXT;
ALTER TABLE consultations ADD COLUMN rated_at BIGINT;
