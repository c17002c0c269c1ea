//! The message writer: every new message goes through one task per database that writes what
//! has queued up meanwhile in one transaction (one commit, one fsync at most, for many
//! messages) and answers each sender only after that commit.
//!
//! Nothing waits for a batch to fill: the writer takes the first message, everything already
//! queued behind it (up to [`MAX_BATCH`]), writes, commits, answers, and goes again. An idle
//! server writes a lone message at once; a busy one writes more per commit. Messages from one
//! sender keep their order (one queue, written in queue order). If anything in a batch fails,
//! the batch is rolled back and its messages are written one per transaction, so one bad
//! message fails alone.

use sangdam_core::{AgentId, ConsultationId, RoomId, SiteId};
use std::collections::HashMap;
use std::sync::{Arc, PoisonError, RwLock};

use sqlx::any::AnyRow;
use sqlx::pool::PoolConnection;
use sqlx::{Any, AnyConnection, Connection};
use tokio::sync::{mpsc, oneshot, watch};

use crate::db::{Backend, Store};
use crate::error::StoreError;
use crate::records::{FileRef, MessageRecord, Sender};
use crate::timers::{self, IdleTimer};

/// Most messages written in one transaction.
pub const MAX_BATCH: usize = 256;
/// Messages waiting for the writer before senders wait to queue theirs (back-pressure).
const QUEUE: usize = 8192;

/// The consultation a message goes into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// This one (the caller checked it).
    Consultation(ConsultationId),
    /// Whichever consultation of the room is open when the message is written; refused with
    /// [`StoreError::Conflict`] when none is (a customer writing after the close).
    OpenOfRoom,
    /// This one if it is still open when the message is written; refused like
    /// [`Target::OpenOfRoom`] otherwise (a browser that may write only in its own consultation).
    OpenConsultation(ConsultationId),
}

/// A message to store.
#[derive(Debug)]
pub struct NewMessage<'a> {
    pub site: SiteId,
    pub room: RoomId,
    pub target: Target,
    pub sender: Sender,
    pub agent: Option<AgentId>,
    pub body: &'a str,
    /// The sender's own id for the message; a retry with the same id is not stored twice.
    pub client_msg_id: Option<&'a str>,
    /// How many characters the message had before it was cut to what is kept (`None`: whole).
    pub original_chars: Option<i64>,
    /// A job to deliver the message elsewhere (the outbox), enqueued in the transaction that
    /// stores the message, so a stored message is never left without its delivery.
    pub outbound: Option<Outbound>,
    /// What the message does to its consultation's auto-close timer, applied with it.
    pub idle: IdleTimer,
    /// The recorded file the message carries.
    pub file: Option<FileRef>,
    /// A bot's answer as Open Builder's template (JSON); `body` is then its plain text.
    pub rich: Option<&'a str>,
    /// What the bot remembers of the consultation after this answer (JSON), stored with it.
    pub bot_memory: Option<&'a str>,
    pub now: i64,
}

/// The delivery job of a message: of kind `kind`, with payload `{"message_id": id}`, in the
/// queue `room:<room id>` (a room's deliveries go out one at a time, in order), idempotent per
/// kind and message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Outbound {
    pub kind: &'static str,
    pub max_attempts: u32,
    /// Buttons the delivery adds under the message (`"rating"`: the satisfaction scores as
    /// quick replies), by name: the sender builds them in the platform's own form.
    pub buttons: Option<&'static str>,
}

/// Called by the writer with every message it stores (and its site), in the order they are
/// stored, before the sender hears back: live delivery sees messages in the order of their ids.
pub type MessageHook = Arc<dyn Fn(SiteId, &MessageRecord) + Send + Sync>;

/// Where the [`Store`] keeps its hook; shared by every clone.
#[derive(Clone, Default)]
pub(crate) struct HookSlot(Arc<RwLock<Option<MessageHook>>>);

impl std::fmt::Debug for HookSlot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("HookSlot")
    }
}

impl HookSlot {
    fn get(&self) -> Option<MessageHook> {
        // A hook is replaced whole; a panic elsewhere cannot leave it half set.
        self.0
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

impl<'a> NewMessage<'a> {
    /// A plain text of `sender` to `target`: no client id, agent, file, template, memory or
    /// delivery elsewhere, and no effect on the auto-close timer. Set the rest by name.
    pub fn plain(
        site: SiteId,
        room: RoomId,
        target: Target,
        sender: Sender,
        body: &'a str,
        now: i64,
    ) -> NewMessage<'a> {
        NewMessage {
            site,
            room,
            target,
            sender,
            agent: None,
            body,
            client_msg_id: None,
            original_chars: None,
            outbound: None,
            idle: IdleTimer::Keep,
            file: None,
            rich: None,
            bot_memory: None,
            now,
        }
    }
}

/// What the writer answers: the stored message, and whether this call stored it (`false`: a
/// retry of one stored before).
pub type Written = Result<(MessageRecord, bool), StoreError>;

#[derive(Debug)]
struct Job {
    site: SiteId,
    room: RoomId,
    target: Target,
    sender: Sender,
    agent: Option<AgentId>,
    body: String,
    client_msg_id: Option<String>,
    original_chars: Option<i64>,
    outbound: Option<Outbound>,
    idle: IdleTimer,
    file: Option<FileRef>,
    rich: Option<String>,
    bot_memory: Option<String>,
    now: i64,
    reply: oneshot::Sender<Written>,
}

/// The sending side, held by the [`Store`].
#[derive(Debug, Clone)]
pub(crate) struct MessageQueue(mpsc::Sender<Job>);

impl MessageQueue {
    /// Starts the writer task of `store`, which writes until `stop` turns `true`, then writes
    /// what has queued up and ends.
    pub(crate) fn start(
        store: Store,
        stop: watch::Receiver<bool>,
    ) -> (MessageQueue, tokio::task::JoinHandle<()>) {
        let (tx, rx) = mpsc::channel(QUEUE);
        let task = tokio::spawn(run(store, rx, stop));
        (MessageQueue(tx), task)
    }

    /// Whether the writer still takes messages.
    pub(crate) fn is_running(&self) -> bool {
        !self.0.is_closed()
    }
}

impl Store {
    /// Sets what is told of each newly stored message (replacing any earlier hook).
    pub fn on_new_message(&self, hook: MessageHook) {
        *self
            .on_message
            .0
            .write()
            .unwrap_or_else(PoisonError::into_inner) = Some(hook);
    }

    /// Stores a message (once per `client_msg_id`), answering after it is committed.
    pub async fn add_message(&self, m: NewMessage<'_>) -> Written {
        let (reply, answer) = oneshot::channel();
        let job = Job {
            site: m.site,
            room: m.room,
            target: m.target,
            sender: m.sender,
            agent: m.agent,
            body: m.body.to_owned(),
            client_msg_id: m.client_msg_id.map(str::to_owned),
            original_chars: m.original_chars,
            outbound: m.outbound,
            idle: m.idle,
            file: m.file,
            rich: m.rich.map(str::to_owned),
            bot_memory: m.bot_memory.map(str::to_owned),
            now: m.now,
            reply,
        };
        let closed = || StoreError::Unavailable("the message writer is not running");
        let queue = self
            .queue
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
            .ok_or_else(closed)?;
        queue.0.send(job).await.map_err(|_| closed())?;
        answer.await.map_err(|_| closed())?
    }
}

async fn run(store: Store, mut rx: mpsc::Receiver<Job>, mut stop: watch::Receiver<bool>) {
    let mut writer = Writer { store, conn: None };
    let mut batch: Vec<Job> = Vec::with_capacity(MAX_BATCH);
    loop {
        let received = tokio::select! {
            n = rx.recv_many(&mut batch, MAX_BATCH) => n,
            _ = stop.wait_for(|s| *s), if !rx.is_closed() => {
                // Stopping: take no more messages, write those already queued.
                rx.close();
                continue;
            }
        };
        if received == 0 {
            break;
        }
        let jobs = std::mem::take(&mut batch);
        let (n, started) = (jobs.len(), std::time::Instant::now());
        // Customer messages in one statement of their own (no transaction), the rest (agents'
        // and Sangdam's messages, retries) in one transaction after them: an agent's reply
        // does not take a batch of customer messages off the one-statement path. The bulk
        // rows get the lower ids, as they would inside one transaction.
        let (bulk, rest): (Vec<Job>, Vec<Job>) = jobs.into_iter().partition(in_bulk);
        let alone = bulk.len() > 1;
        if alone {
            writer.write_bulk(bulk).await;
            if !rest.is_empty() {
                writer.write(rest).await;
            }
        } else {
            let mut jobs = bulk;
            jobs.extend(rest);
            writer.write(jobs).await;
        }
        metrics::histogram!("sangdam_writer_batch_size").record(n as f64);
        metrics::histogram!("sangdam_writer_batch_seconds").record(started.elapsed().as_secs_f64());
        tracing::trace!(
            messages = n,
            one_statement = alone,
            micros = u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX),
            "batch written"
        );
        batch.reserve(MAX_BATCH);
    }
}

/// The writer task's state: the store, and the connection it keeps between batches (dropped
/// after an error, taken afresh from the pool for the next batch).
struct Writer {
    store: Store,
    conn: Option<PoolConnection<Any>>,
}

impl Writer {
    /// Writes `jobs` in one transaction and answers them; on any failure, one by one.
    async fn write(&mut self, jobs: Vec<Job>) {
        match self.together(&jobs).await {
            Ok(results) => {
                // In the order of the ids: a batch's bulk rows are inserted before its other
                // messages, so job order is not always id order, and the hook must see ids
                // rising (consoles and chat windows drop an id below one they have seen).
                let mut written: Vec<_> = jobs.into_iter().zip(results).collect();
                written.sort_by_key(|(_, (message, _))| message.id);
                for (job, result) in written {
                    self.answer(job, Ok(result));
                }
            }
            Err(e) if jobs.len() == 1 => {
                if let Some(job) = jobs.into_iter().next() {
                    self.answer(job, Err(e));
                }
            }
            Err(_) => self.one_by_one(jobs).await,
        }
    }

    /// Tells the hook of a newly stored message, then its sender.
    fn answer(&self, job: Job, result: Written) {
        if let (Ok((message, true)), Some(hook)) = (&result, self.store.on_message.get()) {
            hook(job.site, message);
        }
        let _ = job.reply.send(result);
    }

    /// Each job in a transaction of its own, answered with its own result.
    async fn one_by_one(&mut self, jobs: Vec<Job>) {
        for job in jobs {
            let result = self
                .together(std::slice::from_ref(&job))
                .await
                .and_then(|mut r| r.pop().ok_or(StoreError::Unavailable("nothing written")));
            self.answer(job, result);
        }
    }

    /// Customer messages only: one `INSERT … SELECT` on its own, outside any transaction (a
    /// single statement is atomic by itself, and SQLite then keeps no statement journal), so a
    /// batch costs one round trip to the database. The rows it inserted are final; the rest
    /// (retries, closed consultations) are answered one statement each.
    async fn write_bulk(&mut self, jobs: Vec<Job>) {
        let inserted = {
            let _w = self.store.write_guard().await;
            match connection(&self.store, &mut self.conn).await {
                Ok(conn) => {
                    let inserted = insert_bulk(self.store.backend(), conn, jobs.iter()).await;
                    if let Ok(stored) = &inserted {
                        // After the messages' own statement: a crash between the two loses a
                        // timer's change, which the scheduler's start repairs (every
                        // consultation in progress gets its timer again).
                        let effects = idle_effects(&jobs, stored);
                        let now = jobs.last().map_or(0, |j| j.now);
                        if let Err(e) =
                            timers::apply_on(self.store.backend(), conn, &effects, now).await
                        {
                            tracing::warn!(error = %e, "auto-close timers were not updated");
                        }
                    }
                    inserted
                }
                Err(e) => Err(e),
            }
        };
        let mut stored = match inserted {
            Ok(stored) => stored,
            Err(_) => {
                self.conn = None;
                return self.one_by_one(jobs).await;
            }
        };
        let mut rest = Vec::new();
        let mut written = Vec::with_capacity(jobs.len());
        for job in jobs {
            let key = bulk_key(job.room, job.client_msg_id.as_deref());
            // The first job of a key gets the row it inserted; a retry of it in the same batch
            // (or of an earlier one) is answered below, as not new.
            match stored.remove(&key) {
                Some(m) => written.push((job, m)),
                None => rest.push(job),
            }
        }
        // In the order of the ids (on PostgreSQL the rows went in room by room), so the hook
        // sees ids rising as in every other batch.
        written.sort_by_key(|(_, m)| m.id);
        for (job, m) in written {
            self.answer(job, Ok((m, true)));
        }
        self.one_by_one(rest).await;
    }

    async fn together(&mut self, jobs: &[Job]) -> Result<Vec<(MessageRecord, bool)>, StoreError> {
        let _w = self.store.write_guard().await;
        let backend = self.store.backend();
        let result = match connection(&self.store, &mut self.conn).await {
            Ok(conn) => write_together(backend, conn, jobs).await,
            Err(e) => Err(e),
        };
        if result.is_err() {
            // Whatever state the connection is in, the next batch starts on a fresh one.
            self.conn = None;
        }
        result
    }
}

/// The writer's connection, taken from the pool when it has none.
async fn connection<'c>(
    store: &Store,
    slot: &'c mut Option<PoolConnection<Any>>,
) -> Result<&'c mut AnyConnection, StoreError> {
    if slot.is_none() {
        let mut c = store.pool.acquire().await?;
        if store.backend() == Backend::Sqlite {
            sqlx::query(crate::dialect::SQLITE_WRITER_CACHE)
                .execute(&mut *c)
                .await?;
        }
        *slot = Some(c);
    }
    slot.as_deref_mut()
        .ok_or(StoreError::Unavailable("no database connection"))
}

/// How a bulk-inserted row is matched to its job: the room and the sender's client id.
type BulkKey = (i64, String);

/// The timer effects of the bulk-inserted rows, in the order of their ids.
fn idle_effects(
    jobs: &[Job],
    stored: &HashMap<BulkKey, MessageRecord>,
) -> Vec<(ConsultationId, IdleTimer)> {
    let mut effects: Vec<_> = jobs
        .iter()
        .filter(|j| j.idle != IdleTimer::Keep)
        .filter_map(|j| {
            stored
                .get(&bulk_key(j.room, j.client_msg_id.as_deref()))
                .map(|m| (m.id, m.consultation_id, j.idle))
        })
        .collect();
    effects.sort_by_key(|(id, _, _)| *id);
    effects.into_iter().map(|(_, c, e)| (c, e)).collect()
}

fn bulk_key(room: RoomId, client_msg_id: Option<&str>) -> BulkKey {
    (room.get(), client_msg_id.unwrap_or_default().to_owned())
}

/// Customer messages with a client id, into the room's open consultation (or the one named, if
/// it is still open): written with one
/// statement for the whole batch. Others (agents, messengers) one statement each.
fn in_bulk(job: &Job) -> bool {
    matches!(job.target, Target::OpenOfRoom | Target::OpenConsultation(_))
        && job.client_msg_id.is_some()
        && job.agent.is_none()
        && job.outbound.is_none()
        && job.original_chars.is_none()
        && job.file.is_none()
        && job.rich.is_none()
        && job.bot_memory.is_none()
}

async fn write_together(
    backend: Backend,
    conn: &mut AnyConnection,
    jobs: &[Job],
) -> Result<Vec<(MessageRecord, bool)>, StoreError> {
    let mut tx = match backend {
        Backend::Sqlite => conn.begin_with(crate::db::SQLITE_BEGIN_WRITE).await?,
        Backend::Postgres => conn.begin().await?,
    };
    let mut done: Vec<Option<(MessageRecord, bool)>> = Vec::with_capacity(jobs.len());
    done.resize_with(jobs.len(), || None);
    let bulk: Vec<usize> = (0..jobs.len()).filter(|i| in_bulk(&jobs[*i])).collect();
    if bulk.len() > 1 {
        let mut stored = insert_bulk(backend, &mut tx, bulk.iter().map(|i| &jobs[*i])).await?;
        for i in bulk {
            let job = &jobs[i];
            let key = bulk_key(job.room, job.client_msg_id.as_deref());
            // The first job of a key gets the row it inserted; a retry of it in the same batch
            // (or of an earlier one) finds it below, as not new.
            if let Some(m) = stored.remove(&key) {
                done[i] = Some((m, true));
            }
        }
    }
    // Room by room (a room's own messages in queue order): each message locks its room until
    // the commit (its number in the room's sequence), and writers of several instances that
    // lock rooms in the same order never wait for each other in a circle.
    let mut order: Vec<usize> = (0..jobs.len()).collect();
    order.sort_by_key(|i| jobs[*i].room);
    let mut counted = Vec::new();
    let mut remembered = Vec::new();
    for i in order {
        if done[i].is_none() {
            let written = write_one(backend, &mut tx, &jobs[i], &mut counted).await?;
            if let (Some(memory), (m, true)) = (&jobs[i].bot_memory, &written) {
                remembered.push((i, m.consultation_id.get(), memory.as_str()));
            }
            done[i] = Some(written);
        }
    }
    if !counted.is_empty() {
        let ids = serde_json::Value::from(counted).to_string();
        sqlx::query(crate::dialect::count_closed_messages(backend))
            .bind(ids)
            .execute(&mut *tx)
            .await?;
    }
    if let Some(memories) = last_memories(remembered) {
        sqlx::query(crate::dialect::keep_bot_memories(backend))
            .bind(memories)
            .execute(&mut *tx)
            .await?;
    }
    let out: Vec<(MessageRecord, bool)> = done.into_iter().flatten().collect();
    if out.len() != jobs.len() {
        return Err(StoreError::Unavailable(
            "a message of the batch was not written",
        ));
    }
    // The timers change with the messages, in the order of their ids.
    let mut effects: Vec<_> = jobs
        .iter()
        .zip(&out)
        .filter(|(job, (_, new))| *new && job.idle != IdleTimer::Keep)
        .map(|(job, (m, _))| (m.id, m.consultation_id, job.idle))
        .collect();
    if !effects.is_empty() {
        effects.sort_by_key(|(id, _, _)| *id);
        let effects: Vec<_> = effects.into_iter().map(|(_, c, e)| (c, e)).collect();
        let now = jobs.last().map_or(0, |j| j.now);
        timers::apply_on(backend, &mut tx, &effects, now).await?;
    }
    tx.commit().await?;
    Ok(out)
}

/// One `INSERT … SELECT` for many customer messages: the rows travel as one JSON array, each
/// joined to its room's open consultation, inserted in queue order. Answers the inserted rows
/// by (room, client id); a row that a retry's conflict or a closed consultation left out is
/// not in the answer.
async fn insert_bulk<'j>(
    backend: Backend,
    conn: &mut AnyConnection,
    jobs: impl Iterator<Item = &'j Job>,
) -> Result<HashMap<(i64, String), MessageRecord>, StoreError> {
    let rows: Vec<serde_json::Value> = jobs
        .map(|j| {
            serde_json::json!([
                j.site.get(),
                j.room.get(),
                j.sender.as_str(),
                j.body,
                j.client_msg_id,
                j.now,
                match j.target {
                    Target::OpenConsultation(c) => c.get(),
                    Target::OpenOfRoom | Target::Consultation(_) => 0,
                }
            ])
        })
        .collect();
    let rows = serde_json::Value::Array(rows).to_string();
    let sql = crate::dialect::insert_customer_messages(backend);
    let inserted = sqlx::query(sql).bind(rows).fetch_all(&mut *conn).await?;
    let mut out = HashMap::with_capacity(inserted.len());
    for row in &inserted {
        let m = MessageRecord::from_row(row)?;
        let key = bulk_key(m.room_id, m.client_msg_id.as_deref());
        out.insert(key, m);
    }
    Ok(out)
}

/// What the bot remembers after a batch's answers, as the JSON array of `[consultation,
/// memory]` that [`crate::dialect::keep_bot_memories`] takes: of each consultation the memory
/// of its last answer in queue order (`remembered` holds each answer's job index), in the
/// order of the consultations' ids. `None` when no answer carried a memory.
fn last_memories(mut remembered: Vec<(usize, i64, &str)>) -> Option<String> {
    if remembered.is_empty() {
        return None;
    }
    // By consultation, the latest answer first; then one each.
    remembered.sort_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)));
    remembered.dedup_by_key(|(_, c, _)| *c);
    let rows: Vec<serde_json::Value> = remembered
        .into_iter()
        .map(|(_, c, memory)| serde_json::json!([c, memory]))
        .collect();
    Some(serde_json::Value::Array(rows).to_string())
}

/// One message inside the batch's transaction. `ON CONFLICT DO NOTHING` makes a retry (same
/// room and client id) insert nothing instead of failing the transaction; the stored one is
/// then read back.
///
/// The bot's memory that goes with an answer is not written here: the batch keeps each
/// consultation's last one in one statement at its end ([`last_memories`]).
///
/// A message written to a named consultation by anyone but an agent adds its consultation to
/// `counted`, whose closed consultations' message counts the batch raises in one statement
/// at its end ([`crate::dialect::count_closed_messages`]).
async fn write_one(
    backend: Backend,
    tx: &mut sqlx::Transaction<'_, Any>,
    job: &Job,
    counted: &mut Vec<i64>,
) -> Result<(MessageRecord, bool), StoreError> {
    // The statements take the same parameters; `$8` is the consultation when one is named.
    let (room_open, consultation) = match job.target {
        Target::Consultation(c) => (false, c.get()),
        Target::OpenOfRoom => (true, 0),
        Target::OpenConsultation(c) => (true, c.get()),
    };
    let sql = crate::dialect::insert_message(backend, room_open);
    let inserted: Option<AnyRow> = sqlx::query(sql)
        .bind(job.site.get())
        .bind(job.room.get())
        .bind(job.sender.as_str())
        .bind(job.agent.map(|a| a.get()))
        .bind(job.body.as_str())
        .bind(job.client_msg_id.as_deref())
        .bind(job.now)
        .bind(consultation)
        .bind(job.original_chars)
        .bind(job.file.as_ref().map(|f| f.id.get()))
        .bind(job.rich.as_deref())
        .fetch_optional(&mut **tx)
        .await?;
    if let Some(row) = inserted {
        let mut message = MessageRecord::from_row(&row)?;
        message.file = job.file.clone();
        // A closed consultation's message count (counted as it closed; NULL while open)
        // takes in what is written to it afterwards: the closing message, a rating request.
        if job.sender == Sender::Agent {
            sqlx::query(
                "UPDATE consultations SET first_response_at = COALESCE(first_response_at, $1), \
                 answered_at = COALESCE(answered_at, $1), updated_at = $1, \
                 message_count = message_count + 1 WHERE id = $2",
            )
            .bind(job.now)
            .bind(message.consultation_id.get())
            .execute(&mut **tx)
            .await?;
        } else if matches!(job.target, Target::Consultation(_)) {
            counted.push(message.consultation_id.get());
        }
        if let Some(out) = job.outbound {
            let id = message.id.get();
            let payload = match out.buttons {
                None => serde_json::json!({ "message_id": id }),
                Some(buttons) => serde_json::json!({ "message_id": id, "buttons": buttons }),
            }
            .to_string();
            let queue = format!("room:{}", message.room_id.get());
            let key = format!("{}:{id}", out.kind);
            let delivery = crate::jobs::NewJob {
                kind: out.kind,
                payload: &payload,
                queue: Some(&queue),
                idempotency_key: Some(&key),
                due_at: job.now,
                max_attempts: out.max_attempts,
            };
            crate::jobs::enqueue_on(tx, &delivery, job.now).await?;
        }
        return Ok((message, true));
    }
    // Nothing inserted: a retry of a stored message, or no open consultation to write into.
    if let Some(client_id) = job.client_msg_id.as_deref() {
        let row = sqlx::query(crate::messages::message_select!(
            "WHERE m.room_id = $1 AND m.client_msg_id = $2"
        ))
        .bind(job.room.get())
        .bind(client_id)
        .fetch_optional(&mut **tx)
        .await?;
        if let Some(row) = row {
            return Ok((MessageRecord::from_row(&row)?, false));
        }
    }
    match job.target {
        Target::OpenOfRoom | Target::OpenConsultation(_) => Err(StoreError::Conflict(
            "this consultation is closed; open the chat again to start a new one".into(),
        )),
        // The only unique rule on messages is the client id, handled above.
        Target::Consultation(_) => Err(StoreError::Unavailable("the message was not stored")),
    }
}

#[cfg(test)]
mod tests {
    use super::last_memories;

    #[test]
    fn a_batch_keeps_each_consultations_last_memory_in_the_order_of_ids() {
        assert_eq!(last_memories(Vec::new()), None);
        let remembered = vec![
            (0, 9, r#"{"fallbacks_in_row":1}"#),
            (2, 4, "{}"),
            (3, 9, r#"{"fallbacks_in_row":2}"#),
            (1, 4, r#"{"handed_off":true}"#),
        ];
        assert_eq!(
            last_memories(remembered).as_deref(),
            Some(r#"[[4,"{}"],[9,"{\"fallbacks_in_row\":2}"]]"#)
        );
    }
}
