-- Reports on a big desk (R7). One index holds, by site and creation time, every column the
-- report's filters, counters and dashboard read, so a period's counters and figures come from
-- the index alone; it takes the place of the narrower one by creation time.
DROP INDEX consultations_report;
CREATE INDEX consultations_figures ON consultations (site_id, created_at, state, end_type,
    channel, agent_id, category_id, division_id, rating, assigned_at, first_response_at);

-- A filter on the customer's profile finds the site's matching profiles (exact values by
-- these indexes), their rooms (`rooms_profile`), then those rooms' consultations.
CREATE INDEX consultations_room ON consultations (room_id, created_at);
CREATE INDEX profiles_name ON profiles (site_id, name);
CREATE INDEX profiles_phone ON profiles (site_id, phone);
CREATE INDEX profiles_email ON profiles (site_id, email);

-- The custom parameters' values of each consultation (`consultations.custom`, slot by slot),
-- written with it, so a filter on a value is an index range instead of reading every
-- consultation's JSON. `slot`: 1 to 10 (`parameter1` …).
CREATE TABLE consultation_params (
    site_id          BIGINT  NOT NULL,
    slot             INTEGER NOT NULL,
    value            TEXT    NOT NULL,
    consultation_id  BIGINT  NOT NULL REFERENCES consultations(id),
    PRIMARY KEY (site_id, slot, value, consultation_id)
) WITHOUT ROWID;
CREATE INDEX consultation_params_of ON consultation_params (consultation_id);
INSERT INTO consultation_params (site_id, slot, value, consultation_id)
SELECT c.site_id, CAST(substr(j.key, 10) AS INTEGER), j.value, c.id
  FROM consultations c, json_each(c.custom) j
 WHERE j.key LIKE 'parameter%' AND j.type = 'text';
