-- Durable jobs: everything to be done later (timers, outbound sends) is a row here, run by the
-- scheduler. A job is claimed (state 'running', with a lease) inside a transaction, so no two
-- schedulers run it at once; a job whose lease ran out (its scheduler died) is claimed again.
-- Jobs sharing a `queue` run one at a time in the order of their ids (a room's outbound
-- replies). `idempotency_key` makes enqueueing the same job twice a no-op.
CREATE TABLE jobs (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    kind             TEXT    NOT NULL,
    payload          TEXT    NOT NULL,
    queue            TEXT,
    idempotency_key  TEXT,
    due_at           INTEGER NOT NULL,
    attempts         INTEGER NOT NULL DEFAULT 0,
    max_attempts     INTEGER NOT NULL,
    state            TEXT    NOT NULL DEFAULT 'pending',
    locked_until     INTEGER,
    last_error       TEXT,
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL
);

CREATE UNIQUE INDEX jobs_idempotency ON jobs (idempotency_key);
CREATE INDEX jobs_due ON jobs (state, due_at);
CREATE INDEX jobs_queue ON jobs (queue, id);
