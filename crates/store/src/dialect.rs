//! The only place where SQL differs between SQLite and PostgreSQL.
//!
//! Everything else in the store runs the same statements on both (sqlx's `Any` driver, `$n`
//! placeholders, mirrored schemas). What cannot be written once is here, per backend, so a
//! difference is never hidden in a module about something else: connection settings, JSON
//! table functions, and row locking (the job claim, a site's category tree).

use crate::db::Backend;

/// Run on every new SQLite connection. WAL: readers never block the writer.
/// `synchronous = NORMAL` in WAL mode keeps every committed transaction across a process crash.
/// Checkpoints run in the background (see `db.rs`), never inside a writer's commit.
pub(crate) const SQLITE_CONNECTION: &str = "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
     PRAGMA busy_timeout = 10000; PRAGMA foreign_keys = ON; \
     PRAGMA wal_autocheckpoint = 0; \
     PRAGMA journal_size_limit = 67108864;";

/// Run on every new PostgreSQL connection. No JIT compilation: every statement here reads a
/// few thousand rows at most by index, and PostgreSQL's estimate for a report page (a `LIMIT`
/// over joins with a per-row subquery) is high enough that it spent 370 ms compiling a
/// statement that ran in 55 ms, for each of a download's pages.
pub(crate) const POSTGRES_CONNECTION: &str = "SET jit = off";

/// The message writer's page cache on SQLite (8 MiB; other connections keep the default
/// 2 MiB): the pages every batch touches (the tails of the message indexes of every active
/// room) stay in memory instead of being read back for each batch.
pub(crate) const SQLITE_WRITER_CACHE: &str = "PRAGMA cache_size = -8192";

/// `PRAGMA wal_checkpoint(PASSIVE)`: (busy, frames in the log, frames copied).
pub(crate) const SQLITE_CHECKPOINT: &str = "PRAGMA wal_checkpoint(PASSIVE)";

/// One `INSERT … SELECT` for many customer messages. `$1` is a JSON array of rows
/// `[site_id, room_id, sender, body, client_msg_id, created_at, consultation_id]`; each is joined
/// to its room's open consultation (that one only, when `consultation_id` is not 0) and
/// inserted in array order; retries (same room and client id) and rows
/// without an open consultation are left out. Answers the inserted rows.
///
/// Each row takes the next number of its room's sequence (see the migration
/// `0023_room_sequence`): on SQLite here, one more than the room's highest, counting the rows
/// before it in the array (retries are left out first, so no number is skipped); on PostgreSQL
/// the trigger gives it under the room's lock, and the rows go in by room (then array order),
/// so two instances writing to the same rooms lock them in the same order.
pub(crate) fn insert_customer_messages(backend: Backend) -> &'static str {
    match backend {
        // `json_each` and `->>` (SQLite 3.38+).
        Backend::Sqlite => {
            "INSERT INTO messages (site_id, room_id, consultation_id, sender, agent_id, body, \
             client_msg_id, created_at, seq) \
             SELECT r.site, r.room, r.consultation, r.sender, NULL, r.body, r.client_id, r.at, \
             (SELECT COALESCE(MAX(m.seq), 0) FROM messages m WHERE m.room_id = r.room) \
             + row_number() OVER (PARTITION BY r.room ORDER BY r.k) \
             FROM (SELECT j.key AS k, j.value ->> 0 AS site, j.value ->> 1 AS room, \
             c.id AS consultation, j.value ->> 2 AS sender, j.value ->> 3 AS body, \
             j.value ->> 4 AS client_id, j.value ->> 5 AS at, \
             row_number() OVER (PARTITION BY j.value ->> 1, j.value ->> 4 ORDER BY j.key) AS nth \
             FROM json_each($1) AS j \
             JOIN consultations c ON c.room_id = (j.value ->> 1) AND c.state IN (-2, -1, 0, 1) \
             AND ((j.value ->> 6) = 0 OR c.id = (j.value ->> 6)) \
             WHERE NOT EXISTS (SELECT 1 FROM messages o WHERE o.room_id = (j.value ->> 1) \
             AND o.client_msg_id = (j.value ->> 4))) AS r \
             WHERE r.nth = 1 ORDER BY r.k \
             ON CONFLICT DO NOTHING RETURNING *"
        }
        // `jsonb_array_elements … WITH ORDINALITY`, and explicit casts (PostgreSQL does not
        // coerce JSON text to the columns' types).
        Backend::Postgres => {
            "INSERT INTO messages (site_id, room_id, consultation_id, sender, agent_id, body, \
             client_msg_id, created_at) \
             SELECT (j.v ->> 0)::bigint, (j.v ->> 1)::bigint, c.id, j.v ->> 2, NULL::bigint, \
             j.v ->> 3, j.v ->> 4, (j.v ->> 5)::bigint \
             FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS j(v, n) \
             JOIN consultations c ON c.room_id = (j.v ->> 1)::bigint \
             AND c.state IN (-2, -1, 0, 1) \
             AND ((j.v ->> 6)::bigint = 0 OR c.id = (j.v ->> 6)::bigint) \
             ORDER BY (j.v ->> 1)::bigint, j.n \
             ON CONFLICT DO NOTHING RETURNING *"
        }
    }
}

/// Raises the message counts of closed consultations (counted as they closed; NULL while
/// open) by the messages a batch wrote to them afterwards: `$1` is a JSON array of
/// consultation ids, one per message. On PostgreSQL the rows are locked in the order of their
/// ids first, as every writer does, so two instances' batches never wait for each other in a
/// circle.
pub(crate) fn count_closed_messages(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => {
            "UPDATE consultations SET message_count = message_count + n.k \
             FROM (SELECT value AS id, COUNT(*) AS k FROM json_each($1) GROUP BY value) AS n \
             WHERE consultations.id = n.id AND consultations.message_count IS NOT NULL"
        }
        Backend::Postgres => {
            "WITH n AS (SELECT e.v::bigint AS id, COUNT(*) AS k \
             FROM jsonb_array_elements_text($1::jsonb) AS e(v) GROUP BY e.v), \
             locked AS (SELECT c.id FROM consultations c JOIN n ON n.id = c.id \
             WHERE c.message_count IS NOT NULL ORDER BY c.id FOR UPDATE OF c) \
             UPDATE consultations SET message_count = consultations.message_count + n.k \
             FROM n JOIN locked ON locked.id = n.id \
             WHERE consultations.id = n.id AND consultations.message_count IS NOT NULL"
        }
    }
}

/// Keeps what the bot remembers of consultations after a batch's answers, while each is still
/// the bot's: `$1` is a JSON array of `[consultation id, memory]`, one per consultation, in the
/// order of the ids (on PostgreSQL the rows are locked in that order first, as in
/// [`count_closed_messages`]).
pub(crate) fn keep_bot_memories(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => {
            "UPDATE consultations SET bot_memory = m.value ->> 1 FROM json_each($1) AS m \
             WHERE consultations.id = (m.value ->> 0) AND consultations.state IN (-2, -1)"
        }
        Backend::Postgres => {
            "WITH m AS (SELECT (e.v ->> 0)::bigint AS id, e.v ->> 1 AS memory \
             FROM jsonb_array_elements($1::jsonb) AS e(v)), \
             locked AS (SELECT c.id FROM consultations c JOIN m ON m.id = c.id \
             WHERE c.state IN (-2, -1) ORDER BY c.id FOR UPDATE OF c) \
             UPDATE consultations SET bot_memory = m.memory FROM m JOIN locked ON locked.id = m.id \
             WHERE consultations.id = m.id AND consultations.state IN (-2, -1)"
        }
    }
}

/// After messages were written with their numbers (the seed command): the rooms from `$1` to
/// `$2` count from their highest. PostgreSQL only; SQLite numbers from the messages themselves.
pub(crate) fn count_room_messages(backend: Backend) -> Option<&'static str> {
    match backend {
        Backend::Sqlite => None,
        Backend::Postgres => Some(
            "UPDATE rooms SET message_seq = s.n FROM (SELECT room_id, MAX(seq) AS n FROM messages \
             WHERE room_id BETWEEN $1 AND $2 GROUP BY room_id) s WHERE rooms.id = s.room_id",
        ),
    }
}

/// The columns of one message insert (`$1` site, `$2` room, `$3` sender, `$4` agent, `$5`
/// body, `$6` client id, `$7` time, `$8` the consultation named, `$9` original length, `$10`
/// file, `$11` rich template) and the room sequence number of the row: on SQLite one more than
/// the room's highest (one writer at a time); on PostgreSQL none here, the trigger gives it.
macro_rules! message_insert {
    (sqlite, $values:literal) => {
        concat!(
            "INSERT INTO messages (site_id, room_id, consultation_id, sender, agent_id, body, \
             client_msg_id, created_at, original_chars, file_id, rich, seq) ",
            $values,
            ", (SELECT COALESCE(MAX(n.seq), 0) + 1 FROM messages n WHERE n.room_id = $2)"
        )
    };
    (postgres, $values:literal) => {
        concat!(
            "INSERT INTO messages (site_id, room_id, consultation_id, sender, agent_id, body, \
             client_msg_id, created_at, original_chars, file_id, rich) ",
            $values
        )
    };
}

/// The statement storing one message: into consultation `$8`, or (`room_open`) into the room's
/// open consultation, that one only when `$8` is not 0. Retries insert nothing (`ON CONFLICT
/// DO NOTHING`, or on PostgreSQL the sequence trigger). Answers the row inserted.
pub(crate) fn insert_message(backend: Backend, room_open: bool) -> &'static str {
    macro_rules! both {
        ($b:ident) => {
            if room_open {
                concat!(
                    message_insert!($b, "SELECT $1, $2, c.id, $3, $4, $5, $6, $7, $9, $10, $11"),
                    " FROM consultations c WHERE c.room_id = $2 AND c.state IN (-2, -1, 0, 1) \
                     AND ($8 = 0 OR c.id = $8) ON CONFLICT DO NOTHING RETURNING *"
                )
            } else {
                concat!(
                    message_insert!($b, "SELECT $1, $2, $8, $3, $4, $5, $6, $7, $9, $10, $11"),
                    " WHERE true ON CONFLICT DO NOTHING RETURNING *"
                )
            }
        };
    }
    match backend {
        Backend::Sqlite => both!(sqlite),
        Backend::Postgres => both!(postgres),
    }
}

/// The ids of the jobs [`claim_jobs`] takes, oldest due first.
macro_rules! claimable_jobs {
    () => {
        "SELECT j.id FROM jobs j \
         WHERE ((j.state = 'pending' AND j.due_at <= $1) \
         OR (j.state = 'running' AND j.locked_until <= $1)) \
         AND (j.queue IS NULL OR NOT EXISTS (SELECT 1 FROM jobs e WHERE e.queue = j.queue \
         AND e.id < j.id AND e.state IN ('pending', 'running'))) \
         ORDER BY j.due_at, j.id LIMIT $3"
    };
}

/// Claims up to `$3` jobs that are due at `$1` (pending and due, or running with a lease that
/// ran out), leasing them until `$2`. A job of a queue is claimed only when no earlier job of
/// that queue is still pending or running, so a queue's jobs run one at a time, in order.
///
/// PostgreSQL: `FOR UPDATE SKIP LOCKED`, so that schedulers of several instances claiming at
/// once each take different jobs instead of waiting for (or taking) each other's. SQLite has
/// one writer at a time (the store's write guard), so the statement alone is enough.
pub(crate) fn claim_jobs(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => concat!(
            "UPDATE jobs SET state = 'running', attempts = attempts + 1, locked_until = $2, \
             updated_at = $1 WHERE id IN (",
            claimable_jobs!(),
            ") RETURNING *"
        ),
        Backend::Postgres => concat!(
            "UPDATE jobs SET state = 'running', attempts = attempts + 1, locked_until = $2, \
             updated_at = $1 WHERE id IN (",
            claimable_jobs!(),
            " FOR UPDATE SKIP LOCKED) RETURNING *"
        ),
    }
}

/// Reads a site's distribution settings (`$1`) and locks the site for the rest of the
/// transaction. Whoever distributes, takes, transfers or reassigns on a site does it under this
/// lock, so the open counts a decision is taken on cannot change before it is written; changes
/// of the site's category tree take it too, so two of them never decide from the same tree
/// (two moves renumbering the same siblings).
///
/// PostgreSQL: `FOR NO KEY UPDATE` on the site's row (several instances share the database).
/// Not `FOR UPDATE`: every insert that points at the site (a consultation opened by an inflow)
/// holds `FOR KEY SHARE` on that row until its commit, and an inflow takes this lock at its end
/// to give the consultation it opened, so two inflows would each wait for the other's key share
/// (a deadlock found by the 500-inflow test); the weaker lock still excludes every other holder
/// of itself. SQLite has one writer at a time (the store's write guard), so the read alone is
/// enough.
pub(crate) fn lock_site(backend: Backend) -> &'static str {
    lock_site_or_skip(backend, false)
}

/// [`lock_site`], or, with `skip` on PostgreSQL, no row at all when another transaction holds
/// the lock (`SKIP LOCKED`): for a caller that has someone else to leave the work to rather
/// than wait. (SQLite's writer is alone: the row always comes.)
pub(crate) fn lock_site_or_skip(backend: Backend, skip: bool) -> &'static str {
    match (backend, skip) {
        (Backend::Sqlite, _) => {
            "SELECT distribution_mode, prefer_last_agent, offline_after_minutes, \
             reclaim_after_minutes, max_waiting, hours FROM sites WHERE id = $1"
        }
        (Backend::Postgres, false) => {
            "SELECT distribution_mode, prefer_last_agent, offline_after_minutes, \
             reclaim_after_minutes, max_waiting, hours FROM sites WHERE id = $1 FOR NO KEY UPDATE"
        }
        (Backend::Postgres, true) => {
            "SELECT distribution_mode, prefer_last_agent, offline_after_minutes, \
             reclaim_after_minutes, max_waiting, hours FROM sites WHERE id = $1 FOR NO KEY UPDATE SKIP LOCKED"
        }
    }
}

/// Gives waiting consultations to agents, all in one statement: `$1` a JSON array of
/// `[consultation, agent]` pairs, `$2` the time, `$3` the state given, `$4` the waiting state.
/// A pair whose consultation is no longer waiting unassigned is left out; the answer holds the
/// consultations given.
pub(crate) fn give_waiting(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => {
            "UPDATE consultations SET state = $3, agent_id = g.agent, assigned_at = $2, \
             answered_at = NULL, sent_back_from = NULL, queue_told_position = NULL, \
             queue_told_at = NULL, updated_at = $2 \
             FROM (SELECT json_extract(value, '$[0]') AS id, json_extract(value, '$[1]') AS agent \
             FROM json_each($1)) AS g \
             WHERE consultations.id = g.id AND consultations.state = $4 \
             AND consultations.agent_id IS NULL RETURNING *"
        }
        Backend::Postgres => {
            "UPDATE consultations SET state = $3, agent_id = g.agent, assigned_at = $2, \
             answered_at = NULL, sent_back_from = NULL, queue_told_position = NULL, \
             queue_told_at = NULL, updated_at = $2 \
             FROM (SELECT (e->>0)::bigint AS id, (e->>1)::bigint AS agent \
             FROM jsonb_array_elements($1::jsonb) AS e) AS g \
             WHERE consultations.id = g.id AND consultations.state = $4 \
             AND consultations.agent_id IS NULL RETURNING consultations.*"
        }
    }
}

/// The timeline's "assigned" entries of a distribution pass: `$1` the site, `$2` a JSON array of
/// `[consultation, agent]` pairs, `$3` the time.
pub(crate) fn record_assigned(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => {
            "INSERT INTO consultation_events (site_id, consultation_id, kind, agent_id, at) \
             SELECT $1, json_extract(value, '$[0]'), 'assigned', json_extract(value, '$[1]'), $3 \
             FROM json_each($2)"
        }
        Backend::Postgres => {
            "INSERT INTO consultation_events (site_id, consultation_id, kind, agent_id, at) \
             SELECT $1, (e->>0)::bigint, 'assigned', (e->>1)::bigint, $3 \
             FROM jsonb_array_elements($2::jsonb) AS e"
        }
    }
}

/// Marks the agents whose ids are in the JSON array `$2` as last given a consultation at `$1`.
pub(crate) fn agents_given(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => {
            "UPDATE agents SET last_assigned_at = $1 WHERE id IN (SELECT value FROM json_each($2))"
        }
        Backend::Postgres => {
            "UPDATE agents SET last_assigned_at = $1 \
             WHERE id IN (SELECT jsonb_array_elements_text($2::jsonb)::bigint)"
        }
    }
}

/// Marks the agents whose ids are in the JSON array `$2` as seen at `$1`.
pub(crate) fn touch_agents(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => {
            "UPDATE agents SET last_seen_at = $1 WHERE id IN (SELECT value FROM json_each($2))"
        }
        Backend::Postgres => {
            "UPDATE agents SET last_seen_at = $1 \
             WHERE id IN (SELECT jsonb_array_elements_text($2::jsonb)::bigint)"
        }
    }
}

/// What setting a timer that exists does to its job: moved to the new due time (and payload),
/// pending again with its attempts counted afresh; one running keeps running, its generation
/// bumped so that the run ends pending at the new time (see `jobs`).
macro_rules! timer_set_again {
    () => {
        " ON CONFLICT (idempotency_key) DO UPDATE SET due_at = excluded.due_at, \
         payload = excluded.payload, generation = jobs.generation + 1, \
         state = CASE WHEN jobs.state = 'running' THEN 'running' ELSE 'pending' END, \
         attempts = CASE WHEN jobs.state = 'running' THEN jobs.attempts ELSE 0 END, \
         last_error = NULL, updated_at = excluded.updated_at"
    };
}

/// Cancelling timers at `$2`, up to the keys they are chosen by: a pending one is cancelled;
/// one running keeps running, its generation bumped (its run ends pending, runs once more and
/// finds nothing to do).
macro_rules! timer_cancel {
    () => {
        "UPDATE jobs SET generation = generation + 1, \
         state = CASE WHEN state = 'running' THEN 'running' ELSE 'cancelled' END, \
         updated_at = $2 WHERE state IN ('pending', 'running') AND idempotency_key "
    };
}

/// Sets one timer: kind `$1`, payload `$2`, key `$3`, due `$4`, at most `$5` attempts a run,
/// at `$6` (the same on both backends).
pub(crate) const SET_TIMER: &str = concat!(
    "INSERT INTO jobs (kind, payload, idempotency_key, due_at, attempts, max_attempts, \
     state, created_at, updated_at) VALUES ($1, $2, $3, $4, 0, $5, 'pending', $6, $6)",
    timer_set_again!()
);

/// Cancels the timer keyed `$1` at `$2` (the same on both backends).
pub(crate) const CANCEL_TIMER: &str = concat!(timer_cancel!(), "= $1");

/// Sets timers of kind `$3` (keyed `<kind>:<consultation>`, at most `$4` attempts a run): `$1`
/// a JSON array of `[consultation, due_at]` pairs, `$2` the time. Only consultations in
/// progress and not on hold get one; a pair repeated keeps its latest due time. A timer that
/// exists is moved (pending again, attempts counted afresh); one running keeps running, its
/// generation bumped so the run ends pending at the new time (see `jobs`).
pub(crate) fn set_timers(backend: Backend) -> &'static str {
    match backend {
        // `WHERE true`: SQLite's upsert after a join needs it to read `ON CONFLICT` right.
        Backend::Sqlite => concat!(
            "INSERT INTO jobs (kind, payload, idempotency_key, due_at, attempts, max_attempts, \
             state, created_at, updated_at) \
             SELECT $3, '{\"consultation_id\":' || c.id || '}', $3 || ':' || c.id, \
             MAX(j.value ->> 1), 0, $4, 'pending', $2, $2 \
             FROM json_each($1) AS j \
             JOIN consultations c ON c.id = (j.value ->> 0) AND c.state = 1 AND c.hold = 0 \
             WHERE true GROUP BY c.id",
            timer_set_again!()
        ),
        Backend::Postgres => concat!(
            "INSERT INTO jobs (kind, payload, idempotency_key, due_at, attempts, max_attempts, \
             state, created_at, updated_at) \
             SELECT $3::text, '{\"consultation_id\":' || c.id || '}', $3::text || ':' || c.id, \
             MAX((j.v ->> 1)::bigint), 0, $4::bigint, 'pending', $2::bigint, $2::bigint \
             FROM jsonb_array_elements($1::jsonb) AS j(v) \
             JOIN consultations c ON c.id = (j.v ->> 0)::bigint AND c.state = 1 AND c.hold = 0 \
             GROUP BY c.id",
            timer_set_again!()
        ),
    }
}

/// Cancels the timers of kind `$3` of the consultations in the JSON array `$1`, at `$2`. One
/// running keeps running, its generation bumped: its run ends pending, runs once more and
/// finds nothing to do.
pub(crate) fn cancel_timers(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => concat!(
            timer_cancel!(),
            "IN (SELECT $3 || ':' || value FROM json_each($1))"
        ),
        Backend::Postgres => concat!(
            timer_cancel!(),
            "IN (SELECT $3::text || ':' || e FROM jsonb_array_elements_text($1::jsonb) AS e)"
        ),
    }
}

/// `table` read by `index` where the database takes such a hint (SQLite's `INDEXED BY`);
/// PostgreSQL's planner, with its statistics, chooses for itself.
pub(crate) fn indexed_by(backend: Backend, table: &str, index: Option<&str>) -> String {
    match (backend, index) {
        (Backend::Sqlite, Some(index)) => format!("{table} INDEXED BY {index}"),
        _ => table.to_owned(),
    }
}

/// The join of profiles' tags to their rooms, tags first: a desk tags few of its customers,
/// so each tagged profile's rooms are looked up (`rooms_profile`) rather than each room's
/// profile among the tags. SQLite chose the latter for a whole site (1.0 s for 513,638 rooms
/// and 77,044 tags, in the `sqlite3` shell) and takes the order from `CROSS JOIN`, which
/// PostgreSQL accepts only without `ON`; PostgreSQL's planner, with its statistics, joins
/// them by hash on its own.
pub(crate) fn tags_then_rooms(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => "profile_tags t CROSS JOIN rooms r",
        Backend::Postgres => "profile_tags t JOIN rooms r",
    }
}

/// LIKE that ignores the case of Latin letters: SQLite's LIKE does; PostgreSQL's is ILIKE.
pub(crate) fn like_any_case(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => "LIKE",
        Backend::Postgres => "ILIKE",
    }
}

/// Appends the `n`th (1-based) bound parameter of a statement that has thousands of them.
/// SQLite: an anonymous `?`, taken in order: sqlx places a named `$n` by asking SQLite for each
/// parameter's name, which SQLite finds by scanning all of them, so a statement of 30,000 `$n`
/// spends over a second in that alone. PostgreSQL: `$n`.
pub(crate) fn push_parameter(backend: Backend, sql: &mut String, n: usize) {
    match backend {
        Backend::Sqlite => sql.push('?'),
        Backend::Postgres => {
            sql.push('$');
            sql.push_str(&n.to_string());
        }
    }
}

/// After rows of `table` were inserted with explicit ids: the statement that makes the table's
/// own ids continue after the largest one. PostgreSQL's identity sequence does not see explicit
/// ids (the next insert without one would collide); SQLite's `AUTOINCREMENT` already follows
/// the largest id ever inserted, so it needs none. `table` is one of the store's own names,
/// never input.
pub(crate) fn reset_id_sequence(backend: Backend, table: &str) -> Option<String> {
    match backend {
        Backend::Sqlite => None,
        // `setval` of NULL (an empty table) changes nothing.
        Backend::Postgres => Some(format!(
            "SELECT setval(pg_get_serial_sequence('{table}', 'id'), MAX(id)) FROM {table}"
        )),
    }
}

/// A select list of `values` as one JSON array per row (for [`json_page`]). `@custom` stands for the
/// JSON object in `custom` (embedded as an object, not as a string).
pub(crate) fn json_row(backend: Backend, values: &[&str], custom: &str) -> String {
    let items: Vec<String> = values
        .iter()
        .map(|v| match (*v, backend) {
            ("@custom", Backend::Sqlite) => format!("json({custom})"),
            ("@custom", Backend::Postgres) => format!("{custom}::json"),
            (v, _) => v.to_owned(),
        })
        .collect();
    match backend {
        Backend::Sqlite => format!("json_array({})", items.join(", ")),
        Backend::Postgres => format!("json_build_array({})", items.join(", ")),
    }
}

/// The rows of `page` (a query of `row`, one JSON array, with its `created_at` and `id`) as
/// one JSON array of them, as text; NULL for none. SQLite keeps the page's order as
/// it aggregates; PostgreSQL is told it.
pub(crate) fn json_page(backend: Backend, page: &str) -> String {
    match backend {
        // Each row is JSON text already: joined as text (`json_group_array` would parse
        // every row again, which cost more than reading it).
        Backend::Sqlite => format!("SELECT '[' || group_concat(q.row, ',') || ']' FROM ({page}) q"),
        Backend::Postgres => {
            format!(
                "SELECT json_agg(q.row ORDER BY q.created_at DESC, q.id DESC)::text \
                 FROM ({page}) q"
            )
        }
    }
}

/// The wallet's row, locked for the rest of the transaction on PostgreSQL so that two
/// movements of one wallet (two usages against its last won) are decided one after the other.
/// SQLite's writers are already one at a time under the store's write guard.
pub(crate) fn lock_wallet(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => "SELECT * FROM wallets WHERE id = $1",
        Backend::Postgres => "SELECT * FROM wallets WHERE id = $1 FOR UPDATE",
    }
}

/// The ids of a consultation's messages, locked for the rest of the transaction on PostgreSQL
/// before they are deleted: the search indexer, adding an entry for one of them meanwhile,
/// waits for the deletion and then finds the message gone (and tries again without it),
/// instead of adding an entry that the deletion would then violate. SQLite's search index is
/// not bound to the messages, and its writers are one at a time.
pub(crate) fn lock_consultation_messages(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => "SELECT id FROM messages WHERE consultation_id = $1",
        Backend::Postgres => "SELECT id FROM messages WHERE consultation_id = $1 FOR UPDATE",
    }
}

/// Many ledger entries of one wallet in one statement: `$1` the wallet, `$2` a JSON array of
/// `[key, kind, amount, usage_kind, quantity, unit_price, reference, payment_id, at]`.
/// Answers each inserted row's id and key.
pub(crate) fn insert_ledger_entries(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => {
            "INSERT INTO ledger_entries (wallet_id, idempotency_key, kind, amount, usage_kind, \
             quantity, unit_price, reference, payment_id, at) \
             SELECT $1, j.value ->> 0, j.value ->> 1, j.value ->> 2, j.value ->> 3, \
             j.value ->> 4, j.value ->> 5, j.value ->> 6, j.value ->> 7, j.value ->> 8 \
             FROM json_each($2) AS j ORDER BY j.key RETURNING id, idempotency_key"
        }
        Backend::Postgres => {
            "INSERT INTO ledger_entries (wallet_id, idempotency_key, kind, amount, usage_kind, \
             quantity, unit_price, reference, payment_id, at) \
             SELECT $1, j.v ->> 0, j.v ->> 1, (j.v ->> 2)::bigint, j.v ->> 3, \
             (j.v ->> 4)::bigint, (j.v ->> 5)::bigint, j.v ->> 6, (j.v ->> 7)::bigint, \
             (j.v ->> 8)::bigint \
             FROM jsonb_array_elements($2::jsonb) WITH ORDINALITY AS j(v, n) ORDER BY j.n \
             RETURNING id, idempotency_key"
        }
    }
}

/// Many postings of one wallet in one statement: `$1` the wallet, `$2` a JSON array of
/// `[entry_id, account, grant_id, amount, at]`.
pub(crate) fn insert_ledger_postings(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => {
            "INSERT INTO ledger_postings (entry_id, wallet_id, account, grant_id, amount, at) \
             SELECT j.value ->> 0, $1, j.value ->> 1, j.value ->> 2, j.value ->> 3, \
             j.value ->> 4 FROM json_each($2) AS j"
        }
        Backend::Postgres => {
            "INSERT INTO ledger_postings (entry_id, wallet_id, account, grant_id, amount, at) \
             SELECT (j.v ->> 0)::bigint, $1, j.v ->> 1, (j.v ->> 2)::bigint, \
             (j.v ->> 3)::bigint, (j.v ->> 4)::bigint \
             FROM jsonb_array_elements($2::jsonb) AS j(v)"
        }
    }
}
