//! How long `sangdam backup` (`Store::backup_to`) takes on a SQLite database of a million
//! messages, quiet and while customers keep writing through the store's message writer.
//!
//! Builds the database first (`Store::connect` migrates it; a site from `provision`; then
//! profiles, rooms, closed consultations and their messages inserted directly in large
//! transactions), then backs it up twice, and deletes everything it wrote unless `--keep`.
//!
//! ```sh
//! cargo run --release -p sangdam --example backup_million -- [--messages 1000000] \
//!     [--write-rate 1000] [--dir /tmp] [--keep]
//! ```

use std::error::Error;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use clap::Parser;
use sangdam_core::{RoomId, SiteId};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
use sqlx::{ConnectOptions, Connection, QueryBuilder, Row};
use store::{NewMessage, Sender, Store, Target};

#[derive(Debug, Parser)]
struct Args {
    /// Messages in the database before the backups.
    #[arg(long, default_value_t = 1_000_000)]
    messages: u64,
    /// Customer messages per second written through the store during the second backup
    /// (0: none).
    #[arg(long, default_value_t = 1000)]
    write_rate: u64,
    /// Where the database and its copies are made.
    #[arg(long, default_value_os_t = std::env::temp_dir())]
    dir: PathBuf,
    /// Keep the database and the copies.
    #[arg(long)]
    keep: bool,
}

/// Messages per consultation (one consultation per room), and rooms talking at once (their
/// messages interleave, as a busy desk's do).
const PER_ROOM: u64 = 50;
const AT_ONCE: u64 = 1000;
/// Rooms with an open consultation, for the concurrent writer.
const LIVE_ROOMS: usize = 16;
/// Rows per INSERT statement (8 values each, under SQLite's 32,766) and per transaction.
const ROWS_PER_STATEMENT: u64 = 1000;
const ROWS_PER_TRANSACTION: u64 = 100_000;

const CUSTOMER: &[&str] = &[
    "안녕하세요, 지난주에 주문한 겨울 패딩이 아직 배송되지 않았어요. 확인 부탁드려요.",
    "사이즈를 잘못 골랐는데 교환하려면 어떻게 해야 하나요? 택은 그대로 있어요.",
    "결제는 완료됐는데 주문 내역에 안 보여요. 카드 승인 문자는 받았습니다.",
    "쿠폰을 적용했는데 할인이 안 됐어요. 다시 결제해야 하나요?",
    "배송지를 회사 주소로 바꾸고 싶어요. 아직 출고 전이면 가능할까요?",
    "받은 상품에 얼룩이 있어서 반품 신청하려고 합니다. 사진 보내드릴게요.",
    "포인트 적립이 누락된 것 같아요. 구매 확정은 어제 했습니다.",
    "현금영수증 발급을 깜빡했는데 지금이라도 신청할 수 있을까요?",
];
const AGENT: &[&str] = &[
    "불편을 드려 죄송합니다. 주문번호를 알려주시면 바로 확인해 드리겠습니다.",
    "확인해 보니 오늘 오후에 출고될 예정입니다. 송장번호는 문자로 안내됩니다.",
    "교환은 마이페이지에서 신청하시면 기사님이 직접 방문해 회수합니다.",
    "쿠폰 할인분은 부분 취소로 환불해 드렸습니다. 3영업일 안에 반영됩니다.",
    "배송지 변경 처리했습니다. 다른 문의 사항 있으시면 말씀해 주세요.",
    "사진 확인했습니다. 반품 배송비 없이 회수 접수해 드릴게요.",
    "누락된 포인트는 오늘 중으로 수동 적립해 드리겠습니다. 감사합니다.",
    "현금영수증은 결제일로부터 5일 안에만 발급됩니다. 지금 처리해 드릴게요.",
];

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> Result<(), Box<dyn Error>> {
    let args = Args::parse();
    let stamp = std::process::id();
    let db_path = args.dir.join(format!("sangdam-backup-million-{stamp}.db"));
    let copies = [
        args.dir
            .join(format!("sangdam-backup-million-{stamp}.quiet.db")),
        args.dir
            .join(format!("sangdam-backup-million-{stamp}.busy.db")),
    ];
    let result = run(&args, &db_path, &copies).await;
    if !args.keep {
        for file in std::iter::once(&db_path).chain(&copies) {
            remove_sqlite(file);
        }
    }
    result
}

async fn run(args: &Args, db_path: &Path, copies: &[PathBuf; 2]) -> Result<(), Box<dyn Error>> {
    let url = db_path.to_str().ok_or("the --dir path is not UTF-8")?;
    let store = Store::connect(url).await?;
    let site = server::provision::create_site(&store, "백업 측정", &inflow::Settings::default())
        .await
        .map_err(|e| format!("create the site: {e:?}"))?;

    let building = Instant::now();
    let live = build(db_path, site.site_id.get(), args.messages).await?;
    println!(
        "built: {} messages in {:.1} s, database {}",
        args.messages,
        building.elapsed().as_secs_f64(),
        size(db_path)
    );

    // Quiet: nothing else touches the database.
    let quiet = store.backup_to(&copies[0]).await?;
    println!(
        "quiet backup: {} messages, copy {}, {} ms (of which integrity check and count {} ms)",
        quiet.messages,
        mib(quiet.bytes),
        quiet.elapsed_ms,
        quiet.check_ms
    );

    // Busy: customers write through the store's message writer, as the server's do (its
    // checkpointer running too), before, during and after the backup.
    let (stop_tasks, stop_rx) = tokio::sync::watch::channel(false);
    let tasks = store.start_tasks(stop_rx);
    let writing = Writers::start(&store, site.site_id, &live, args.write_rate);
    tokio::time::sleep(Duration::from_secs(2)).await;
    let before = writing.take_window();
    let busy = store.backup_to(&copies[1]).await?;
    let during = writing.take_window();
    tokio::time::sleep(Duration::from_secs(2)).await;
    let after = writing.take_window();
    writing.stop().await;
    let _ = stop_tasks.send(true);
    for (_, task) in tasks {
        let _ = task.await;
    }
    println!(
        "backup while writing {}/s: {} messages, copy {}, {} ms (of which integrity check and \
         count {} ms)",
        args.write_rate,
        busy.messages,
        mib(busy.bytes),
        busy.elapsed_ms,
        busy.check_ms
    );
    for (what, w) in [("before", before), ("during", during), ("after", after)] {
        println!(
            "  writes {what} the backup: {} in {:.1} s ({:.0}/s), slowest {} ms, failed {}",
            w.written,
            w.seconds,
            w.written as f64 / w.seconds.max(0.001),
            w.slowest_ms,
            w.failed
        );
    }
    println!(
        "database after: {} (+ WAL {})",
        size(db_path),
        size(&wal_of(db_path))
    );
    store.close().await;
    Ok(())
}

/// Fills the database: profiles, rooms and one closed consultation per room, `messages` in
/// all, the rooms' messages interleaved `AT_ONCE` rooms at a time; and `LIVE_ROOMS` rooms with
/// an open consultation. Answers the live rooms.
async fn build(db: &Path, site: i64, messages: u64) -> Result<Vec<RoomId>, Box<dyn Error>> {
    let mut conn = SqliteConnectOptions::new()
        .filename(db)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Off)
        .pragma("cache_size", "-262144")
        .connect()
        .await?;
    let agent: i64 = sqlx::query("SELECT min(id) FROM agents WHERE site_id = $1")
        .bind(site)
        .fetch_one(&mut conn)
        .await?
        .try_get(0)?;
    let rooms = messages.div_ceil(PER_ROOM).max(1);
    let t0 = 1_735_657_200_000_i64; // 2025-01-01 00:00 KST
    let mut tx = conn.begin().await?;
    let mut consultations = Vec::new();
    for r in 0..rooms + LIVE_ROOMS as u64 {
        let live = r >= rooms;
        let at = t0 + i64::try_from(r)? * 60_000;
        let uid = format!("member{r:06}");
        let profile: i64 = sqlx::query(
            "INSERT INTO profiles (site_id, site_uid, name, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $4) RETURNING id",
        )
        .bind(site)
        .bind(&uid)
        .bind(format!("고객{r}"))
        .bind(at)
        .fetch_one(&mut *tx)
        .await?
        .try_get(0)?;
        let room: i64 = sqlx::query(
            "INSERT INTO rooms (site_id, platform, channel, customer_key, profile_id, created_at) \
             VALUES ($1, 'webchat', 'webchat_v2', $2, $3, $4) RETURNING id",
        )
        .bind(site)
        .bind(format!("{site}_{uid}"))
        .bind(profile)
        .bind(at)
        .fetch_one(&mut *tx)
        .await?
        .try_get(0)?;
        let consultation: i64 = sqlx::query(
            "INSERT INTO consultations (site_id, room_id, channel, state, end_type, agent_id, \
             closed_by, created_at, assigned_at, first_response_at, closed_at, updated_at, \
             waiting_since, answered_at) \
             VALUES ($1, $2, 'webchat_v2', $3, $4, $5, $6, $7, $7, $7, $8, $9, $7, $7) \
             RETURNING id",
        )
        .bind(site)
        .bind(room)
        .bind(if live { 1_i64 } else { 2 })
        .bind((!live).then_some("agent"))
        .bind(agent)
        .bind((!live).then_some(agent))
        .bind(at)
        .bind((!live).then_some(at + 600_000))
        .bind(at + 600_000)
        .fetch_one(&mut *tx)
        .await?
        .try_get(0)?;
        consultations.push((room, consultation));
    }
    tx.commit().await?;

    let mut written = 0;
    while written < messages {
        let mut tx = conn.begin().await?;
        let end = (written + ROWS_PER_TRANSACTION).min(messages);
        while written < end {
            let rows = ROWS_PER_STATEMENT.min(end - written);
            let mut insert = QueryBuilder::new(
                "INSERT INTO messages (site_id, room_id, consultation_id, sender, agent_id, \
                 body, client_msg_id, created_at, seq) ",
            );
            insert.push_values(written..written + rows, |mut row, i| {
                // Message i: of the room (i mod AT_ONCE) of its group of AT_ONCE rooms.
                let group = i / (AT_ONCE * PER_ROOM);
                let room_index = usize::try_from(group * AT_ONCE + i % AT_ONCE).unwrap_or(0);
                let nth = (i % (AT_ONCE * PER_ROOM)) / AT_ONCE;
                let (room, consultation) = consultations
                    .get(room_index)
                    .copied()
                    .unwrap_or(consultations[0]);
                let customer = nth.is_multiple_of(2);
                let pick = usize::try_from(i % 8).unwrap_or(0);
                let body = if customer {
                    format!("{} (주문 {:08})", CUSTOMER[pick], i % 99_999_999)
                } else {
                    AGENT[pick].to_owned()
                };
                row.push_bind(site)
                    .push_bind(room)
                    .push_bind(consultation)
                    .push_bind(if customer { "customer" } else { "agent" })
                    .push_bind((!customer).then_some(agent))
                    .push_bind(body)
                    .push_bind(customer.then(|| format!("m-{i:x}")))
                    .push_bind(t0 + i64::try_from(i).unwrap_or(0) * 30)
                    // The room's nth message (from 1).
                    .push_bind(i64::try_from(nth).unwrap_or(0) + 1);
            });
            insert.build().execute(&mut *tx).await?;
            written += rows;
        }
        tx.commit().await?;
    }
    sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
        .execute(&mut conn)
        .await?;
    conn.close().await?;
    Ok(consultations[consultations.len() - LIVE_ROOMS..]
        .iter()
        .map(|(room, _)| RoomId::new(*room))
        .collect())
}

/// What the writers did in one stretch of time.
#[derive(Debug, Clone, Copy)]
struct Window {
    written: u64,
    failed: u64,
    slowest_ms: u64,
    seconds: f64,
}

/// Customer messages at a steady rate, one task per live room, each waiting for its
/// acknowledgement as a chat window does.
struct Writers {
    stop: Arc<AtomicBool>,
    written: Arc<AtomicU64>,
    failed: Arc<AtomicU64>,
    slowest_us: Arc<AtomicU64>,
    since: std::sync::Mutex<Instant>,
    tasks: Vec<tokio::task::JoinHandle<()>>,
}

impl Writers {
    fn start(store: &Store, site: SiteId, rooms: &[RoomId], rate: u64) -> Writers {
        let stop = Arc::new(AtomicBool::new(false));
        let written = Arc::new(AtomicU64::new(0));
        let failed = Arc::new(AtomicU64::new(0));
        let slowest_us = Arc::new(AtomicU64::new(0));
        let mut tasks = Vec::new();
        if rate > 0 {
            let every = Duration::from_secs_f64(rooms.len() as f64 / rate as f64);
            for (w, room) in rooms.iter().copied().enumerate() {
                let (store, stop) = (store.clone(), stop.clone());
                let (written, failed, slowest) =
                    (written.clone(), failed.clone(), slowest_us.clone());
                tasks.push(tokio::spawn(async move {
                    let mut tick = tokio::time::interval(every);
                    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
                    let mut n = 0_u64;
                    while !stop.load(Ordering::Relaxed) {
                        tick.tick().await;
                        let body = format!("{} (추가 {n})", CUSTOMER[(w + n as usize) % 8]);
                        let client_id = format!("live-{w}-{n}");
                        let sent = Instant::now();
                        let now = i64::try_from(
                            std::time::SystemTime::now()
                                .duration_since(std::time::UNIX_EPOCH)
                                .map_or(0, |d| d.as_millis()),
                        )
                        .unwrap_or(0);
                        let result = store
                            .add_message(NewMessage {
                                client_msg_id: Some(&client_id),
                                ..NewMessage::plain(
                                    site,
                                    room,
                                    Target::OpenOfRoom,
                                    Sender::Customer,
                                    &body,
                                    now,
                                )
                            })
                            .await;
                        let took = u64::try_from(sent.elapsed().as_micros()).unwrap_or(u64::MAX);
                        slowest.fetch_max(took, Ordering::Relaxed);
                        match result {
                            Ok(_) => written.fetch_add(1, Ordering::Relaxed),
                            Err(_) => failed.fetch_add(1, Ordering::Relaxed),
                        };
                        n += 1;
                    }
                }));
            }
        }
        Writers {
            stop,
            written,
            failed,
            slowest_us,
            since: std::sync::Mutex::new(Instant::now()),
            tasks,
        }
    }

    /// What was done since the last call (or the start), starting a new window.
    fn take_window(&self) -> Window {
        let mut since = self
            .since
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let seconds = since.elapsed().as_secs_f64();
        *since = Instant::now();
        Window {
            written: self.written.swap(0, Ordering::Relaxed),
            failed: self.failed.swap(0, Ordering::Relaxed),
            slowest_ms: self.slowest_us.swap(0, Ordering::Relaxed) / 1000,
            seconds,
        }
    }

    async fn stop(self) {
        self.stop.store(true, Ordering::Relaxed);
        for task in self.tasks {
            let _ = task.await;
        }
    }
}

fn wal_of(path: &Path) -> PathBuf {
    let mut p = path.as_os_str().to_owned();
    p.push("-wal");
    PathBuf::from(p)
}

fn size(path: &Path) -> String {
    mib(std::fs::metadata(path).map_or(0, |m| m.len()))
}

fn mib(bytes: u64) -> String {
    format!("{:.1} MiB", bytes as f64 / 1024.0 / 1024.0)
}

fn remove_sqlite(path: &Path) {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let mut p = path.as_os_str().to_owned();
        p.push(suffix);
        let _ = std::fs::remove_file(p);
    }
}
