-- Who answers: each site's distribution mode and timers, agents' presence and what they
-- serve, the queue's order, the timeline of assignments, and transfer requests.

ALTER TABLE sites ADD COLUMN distribution_mode TEXT NOT NULL DEFAULT 'manual';
ALTER TABLE sites ADD COLUMN prefer_last_agent INTEGER NOT NULL DEFAULT 0;
-- How long after an agent's last console went away they count as offline.
ALTER TABLE sites ADD COLUMN offline_after_minutes INTEGER NOT NULL DEFAULT 2;
-- NULL: an unanswered assignment is never taken back.
ALTER TABLE sites ADD COLUMN reclaim_after_minutes INTEGER;

-- status (online, away, offline) is the agent's own choice; last_seen_at is when a console of
-- theirs was last known connected.
ALTER TABLE agents ADD COLUMN takes_consultations INTEGER NOT NULL DEFAULT 1;
ALTER TABLE agents ADD COLUMN last_seen_at BIGINT;
ALTER TABLE agents ADD COLUMN last_assigned_at BIGINT;
-- JSON arrays: category ids and channel names served; empty: all.
ALTER TABLE agents ADD COLUMN serves_categories TEXT NOT NULL DEFAULT '[]';
ALTER TABLE agents ADD COLUMN serves_channels TEXT NOT NULL DEFAULT '[]';

-- When the consultation first started waiting (kept when it is sent back), and when its
-- current agent first answered (NULL until they do; reset on each assignment).
ALTER TABLE consultations ADD COLUMN waiting_since BIGINT;
ALTER TABLE consultations ADD COLUMN answered_at BIGINT;
UPDATE consultations SET waiting_since = created_at WHERE state IN (0, 1, 2, 3);
UPDATE consultations SET answered_at = first_response_at WHERE state = 1;
-- The last queue position a messenger customer was told, and when.
ALTER TABLE consultations ADD COLUMN queue_told_position INTEGER;
ALTER TABLE consultations ADD COLUMN queue_told_at BIGINT;

CREATE INDEX consultations_queue ON consultations (site_id, state, waiting_since, id);
CREATE INDEX consultations_held ON consultations (site_id, state, agent_id);

-- What happened to a consultation's assignment, and who or what did it.
CREATE TABLE consultation_events (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    site_id          BIGINT  NOT NULL,
    consultation_id  BIGINT  NOT NULL REFERENCES consultations(id),
    kind             TEXT    NOT NULL,
    -- Who did it (NULL: Sangdam itself).
    actor_id         BIGINT,
    -- The agent it went to, and the one it came from.
    agent_id         BIGINT,
    from_agent_id    BIGINT,
    note             TEXT,
    at               BIGINT  NOT NULL
);
CREATE INDEX consultation_events_of ON consultation_events (consultation_id, id);

CREATE TABLE transfer_requests (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    site_id          BIGINT  NOT NULL,
    consultation_id  BIGINT  NOT NULL REFERENCES consultations(id),
    from_agent_id    BIGINT  NOT NULL REFERENCES agents(id),
    to_agent_id      BIGINT  NOT NULL REFERENCES agents(id),
    note             TEXT    NOT NULL DEFAULT '',
    -- pending, accepted, declined, expired, withdrawn
    state            TEXT    NOT NULL DEFAULT 'pending',
    created_at       BIGINT  NOT NULL,
    expires_at       BIGINT  NOT NULL,
    answered_at      BIGINT
);
CREATE INDEX transfer_requests_pending ON transfer_requests (state, expires_at);
CREATE UNIQUE INDEX transfer_requests_one_pending ON transfer_requests (consultation_id)
    WHERE state = 'pending';

-- The agent a consultation was last taken back from (unanswered), whom distribution passes
-- over for it while anyone else may take it; cleared when it is assigned.
ALTER TABLE consultations ADD COLUMN sent_back_from BIGINT;
CREATE INDEX consultation_events_recent ON consultation_events (site_id, at);
