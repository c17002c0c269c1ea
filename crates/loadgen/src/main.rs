//! `sangdam-load`: drives a running Sangdam (or `sangdam-relay`) like real traffic and reports
//! sustained messages/s, customer-send → console-receive latency, errors and server memory,
//! then checks that every acknowledged message was stored exactly once and reached its agent
//! and the supervisor.
//!
//! Traffic: V web chat visitors (a session from a chat URL with parameters, a WebSocket,
//! messages at `--rate` per second each, acknowledged = stored), K Kakao users (skill requests
//! at the same rate, acknowledged = 200), A agent consoles and one supervisor console on the
//! console WebSocket. Every console sees the same ordered stream of new consultations; the
//! n-th new consultation belongs to agent n mod A, which takes it (so they spread evenly) and
//! records the messages of the consultations it holds; the supervisor records every message.
//! (With several targets, consoles on different instances see new consultations in different
//! orders: there the consultation with id i belongs to agent i mod A.)
//! Against Sangdam, the loader first adds A agent accounts and one manager (the supervisor)
//! with the admin's `--token` (`POST /api/v1/agents`), so each console is its own agent and
//! receives what the server sends that agent: the queue and the consultations it holds. The
//! customers start writing once every visitor's consultation has been taken.
//!
//! With `--reply-every K`, each agent console answers every K-th customer message of its
//! consultations (`POST /api/v1/consultations/{id}/messages`), as an agent at work does: each
//! answer starts the consultation's auto-close timer and the customer's next message cancels it.
//! The answers' round trips are reported beside the customers' figures.
//!
//! With `--image-every K`, every K-th message of a visitor is an image of `--image-kib` KiB
//! uploaded over HTTP (`POST /api/v1/webchat/{site}/files`) beside its socket; the uploads'
//! round trips are reported on their own, and the text figures stay text only.
//!
//! Several instances of one deployment (PostgreSQL and NATS): give every instance's URL
//! (`--target` repeated, or the URLs separated by commas). Visitors, Kakao users and consoles are
//! dealt over them round-robin; the setup (accounts, settings) goes to the first. The agents'
//! latency is also given for the messages whose customer and console are on different targets
//! (across instances).
//!
//! An instance going away (`--kill-pid PID --kill-after S` sends it SIGKILL S seconds into the
//! measured run): a client whose socket closes reconnects to the next target after a short
//! backoff (100 ms, doubling up to 1 s, for as long as the run lasts). A visitor resumes its
//! WebSocket after the last room sequence number (`seq`) it saw, sends again, with the same
//! `client_msg_id`, what it sent and saw neither acknowledged nor stored, and counts its own
//! messages read back as acknowledged. A console, once the new socket's hello says it follows the
//! live events, reads each room it follows (the supervisor every room it knows, an agent the
//! rooms of its consultations) after the last `seq` it saw of it
//! (`GET /api/v1/rooms/{id}/messages?after=`); a message it gets both ways counts once. A Kakao
//! user whose target refuses the connection sends the same request to the next one; a request
//! cut off in flight is not sent again (a platform does not either) and stays unacknowledged.
//! The final check is the same: every acknowledged message stored once and delivered to its
//! agent and the supervisor. The report adds the reconnects, the time each client was without
//! its connection (p99 and max of "back within"), and the messages re-sent and caught up. The
//! latency figures count every message from its first sending, so those delayed by the kill are
//! in them. `--server-pid` may be given once per instance: each one's memory is reported, and
//! their sum.
//!
//! A message body is `lg:CUSTOMER:SEQ:SENT_US …`, where SENT_US is microseconds since the
//! loader started; latency is receive time minus that. Only 127.0.0.1/localhost targets.

use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use clap::{Parser, ValueEnum};
use futures_util::{SinkExt, StreamExt};
use hdrhistogram::Histogram;
use serde_json::{Value, json};
use tokio::sync::{Semaphore, watch};
use tokio::task::JoinHandle;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;

mod billing;
mod distribution;
mod failover;

use failover::{next_target, target_of};

type Error = Box<dyn std::error::Error + Send + Sync>;
type Res<T> = Result<T, Error>;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Mode {
    Sangdam,
    Relay,
}

#[derive(Debug, Clone, Parser)]
#[command(
    name = "sangdam-load",
    about = "Load generator for Sangdam's message path"
)]
struct Args {
    /// Base URL of the server (http://127.0.0.1:PORT; loopback only). Several instances of one
    /// deployment: repeat the flag or separate the URLs with commas; the clients are dealt
    /// over them round-robin and the setup (accounts, settings) goes to the first.
    #[arg(
        long = "target",
        value_name = "URL",
        required = true,
        value_delimiter = ','
    )]
    targets: Vec<String>,
    /// Site id.
    #[arg(long, default_value_t = 1)]
    site: u64,
    /// The site admin's API token: it adds the consoles' accounts and reads the stored messages
    /// for the final check.
    #[arg(long, default_value = "")]
    token: String,
    /// Web chat visitors.
    #[arg(long, default_value_t = 10)]
    visitors: u32,
    /// Kakao users (skill requests).
    #[arg(long, default_value_t = 0)]
    kakao: u32,
    /// Agent consoles (plus one supervisor console).
    #[arg(long, default_value_t = 2)]
    agents: u32,
    /// Messages per second per customer.
    #[arg(long, default_value_t = 1.0)]
    rate: f64,
    /// Measured seconds (after the warm-up).
    #[arg(long, default_value_t = 10.0)]
    duration: f64,
    /// Warm-up seconds (sent, checked, but not in the figures).
    #[arg(long, default_value_t = 2.0)]
    warmup: f64,
    /// Server process id: its VmRSS is sampled every second (repeat the flag for several
    /// instances: each is reported, and their sum).
    #[arg(long = "server-pid")]
    server_pids: Vec<u32>,
    /// Sends SIGKILL to this process `--kill-after` seconds into the measured run (an
    /// instance going away under load: its clients reconnect to the next target).
    #[arg(long, requires = "kill_after")]
    kill_pid: Option<u32>,
    /// Seconds into the measured run (after the warm-up) at which `--kill-pid` is killed.
    #[arg(long, requires = "kill_pid")]
    kill_after: Option<f64>,
    /// What is being driven (only changes the report's label).
    #[arg(long, value_enum, default_value_t = Mode::Sangdam)]
    mode: Mode,
    /// Print the report as one JSON object.
    #[arg(long)]
    json: bool,
    /// Sessions opened at once while ramping up.
    #[arg(long, default_value_t = 32)]
    ramp_concurrency: usize,
    /// Seconds to wait for acknowledgements and deliveries after sending stops.
    #[arg(long, default_value_t = 15.0)]
    drain: f64,
    /// Let the site distribute consultations in this mode (`least_open`, `round_robin`, …)
    /// instead of the consoles taking them: each console records what it is given.
    #[arg(long)]
    distribution: Option<String>,
    /// The limit of concurrent consultations of each agent account (Sangdam never gives or
    /// lets an agent take more).
    #[arg(long, default_value_t = 100)]
    agent_limit: u32,
    /// With `--distribution`: measure a burst of this many new consultations (inflow →
    /// assigned) instead of the message path.
    #[arg(long)]
    burst: Option<u32>,
    /// Each agent console answers every K-th customer message of its consultations (0: none).
    #[arg(long, default_value_t = 0)]
    reply_every: u32,
    /// Every K-th message of a web chat visitor is an image upload instead of a text (0: none;
    /// 100 is 1 %). Uploads go over HTTP beside the socket; the text figures stay text only.
    #[arg(long, default_value_t = 0)]
    image_every: u32,
    /// The size of each uploaded image, in KiB (a PNG of noise, so it does not compress).
    #[arg(long, default_value_t = 200)]
    image_kib: u32,
    /// Every K-th web chat visitor talks with the chatbot instead of an agent (0: none; 2 is
    /// half): the site's bot is switched on with a knowledge base of `--bot-entries` entries,
    /// and those visitors arrive with `bot_start=true` and ask its questions.
    #[arg(long, default_value_t = 0)]
    bot_every: u32,
    /// The knowledge base's size for `--bot-every`.
    #[arg(long, default_value_t = 1000)]
    bot_entries: u32,
    /// Usages billed a second alongside the chat load, as the Event API bills its messages
    /// (0: none): the site gets a wallet with a payment card at `serve --demo`'s local payment
    /// gateway, and every 100 ms one request bills a tenth of them.
    #[arg(long, default_value_t = 0)]
    billed_per_second: u32,
}

impl Args {
    /// Whether visitor `n` talks with the chatbot.
    fn talks_to_bot(&self, n: u32) -> bool {
        self.bot_every > 0 && n.is_multiple_of(self.bot_every)
    }

    /// Target `i` (counted round the list).
    fn target(&self, i: usize) -> &str {
        self.targets
            .get(i % self.targets.len().max(1))
            .map_or("", String::as_str)
    }

    /// The target the setup calls go to.
    fn first(&self) -> &str {
        self.target(0)
    }
}

const MAX_CUSTOMERS: u32 = 5000;
const MAX_CONSOLES: u32 = 200;
const MAX_SECONDS: f64 = 900.0;

/// Microseconds since the loader started: the one clock every task uses.
#[derive(Debug, Clone, Copy)]
struct Clock(Instant);
impl Clock {
    fn us(&self) -> u64 {
        self.0.elapsed().as_micros() as u64
    }
}

fn key(customer: u32, seq: u32) -> u64 {
    (u64::from(customer) << 32) | u64::from(seq)
}

/// Digits right after `pat` in `s` (first occurrence).
fn num_after(s: &str, pat: &str) -> Option<u64> {
    let at = s.find(pat)? + pat.len();
    let digits: &str = &s[at..];
    let end = digits
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(digits.len());
    digits[..end].parse().ok()
}

/// (customer, seq, sent_us) from a body `lg:C:S:T…` starting at `s`.
fn parse_body(s: &str) -> Option<(u32, u32, u64)> {
    let rest = s.strip_prefix("lg:")?;
    let mut it = rest.splitn(4, [':', ' ', '"']);
    let c = it.next()?.parse().ok()?;
    let q = it.next()?.parse().ok()?;
    let t = it.next()?.parse().ok()?;
    Some((c, q, t))
}

/// A loader message as a frame or record carries it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Fields {
    key: u64,
    /// When the customer first sent it (loader microseconds).
    sent: u64,
    consultation: u64,
    room: u64,
}

/// The loader's body fields of a `message` frame, read without a full JSON parse (the consoles
/// read every message of the site).
fn message_fields(text: &str) -> Option<Fields> {
    let at = text.find("\"body\":\"")? + 8;
    let (c, q, t) = parse_body(&text[at..])?;
    Some(Fields {
        key: key(c, q),
        sent: t,
        consultation: num_after(text, "\"consultation_id\":")?,
        room: num_after(text, "\"room_id\":")?,
    })
}

/// The room and room sequence number of the message in a `message` or `ack` frame, whoever
/// wrote it (a frame carries one message record).
fn room_seq(text: &str) -> Option<(u64, u64)> {
    Some((
        num_after(text, "\"room_id\":")?,
        num_after(text, "\"seq\":")?,
    ))
}

/// An error with its causes (a request's says little without them).
fn causes(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        out.push_str(": ");
        out.push_str(&cause.to_string());
        source = cause.source();
    }
    out
}

fn histogram() -> Res<Histogram<u64>> {
    Ok(Histogram::new_with_bounds(1, 120_000_000, 3)?)
}

/// The measured window, in loader microseconds; 0/MAX until sending starts.
#[derive(Debug)]
struct Window {
    start: AtomicU64,
    end: AtomicU64,
}
impl Window {
    fn contains(&self, us: u64) -> bool {
        us >= self.start.load(Ordering::Relaxed) && us < self.end.load(Ordering::Relaxed)
    }
}

#[derive(Debug)]
struct ConsoleStats {
    index: Option<u32>,
    received: HashMap<u64, u32>,
    owned: HashSet<u64>,
    latency: Histogram<u64>,
    /// Of `latency`: the messages whose customer was on another target than the console.
    cross_latency: Histogram<u64>,
    take_errors: u64,
    resyncs: u64,
    errors: Vec<String>,
    rooms: HashSet<u64>,
    /// The agent's answers: sent, refused or failed, and their round trips in the window.
    replies: u64,
    reply_errors: u64,
    reply_latency: Histogram<u64>,
    /// Each time the console lost its socket: microseconds until it was connected again (its
    /// hello on the next target).
    back_within: Vec<u64>,
    /// Messages read from the store after reconnecting that the socket had not brought.
    caught_up: u64,
    /// Jumps in a room's numbers on the live stream, each read back from the store.
    gaps: u64,
}

struct Shared {
    args: Args,
    clock: Clock,
    window: Window,
    http: reqwest::Client,
    /// Messages the supervisor has received (for the drain).
    supervisor_received: AtomicU64,
    /// Where Kakao skill requests go on any target: Sangdam's skill path with the site's Kakao
    /// channel key.
    kakao_path: String,
    /// The target each customer is on now (by customer number; it changes when the customer
    /// moves to another after losing its own).
    customer_target: Vec<AtomicUsize>,
    acked: AtomicU64,
    /// Takes answered (successfully or not).
    takes_done: AtomicU64,
    /// The image visitors upload (`--image-every`).
    image: Option<Arc<Vec<u8>>>,
    /// Upload round trips (send → stored message answered), microseconds.
    uploads: tokio::sync::Mutex<Uploads>,
}

/// What the image uploads did.
struct Uploads {
    latency: Histogram<u64>,
    ok: u64,
    errors: Vec<String>,
}

/// A PNG of `kib` KiB or a little more: noise does not compress, so the file is about its
/// pixels' size, as a photo's is.
fn noise_png(kib: u32) -> Res<Vec<u8>> {
    let side = ((f64::from(kib) * 1024.0 / 3.0).sqrt().ceil() as u32).max(8);
    let mut state: u32 = 0x9e37_79b9;
    let pixels: Vec<u8> = (0..side * side * 3)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            (state >> 24) as u8
        })
        .collect();
    let img = image::RgbImage::from_raw(side, side, pixels).ok_or("noise image")?;
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png)?;
    Ok(out.into_inner())
}

/// One visitor's image upload to its target, timed; the socket's messages go on meanwhile.
async fn upload_image(sh: Arc<Shared>, target: usize, visitor: String, n: u32, seq: u32) {
    let Some(bytes) = sh.image.clone() else {
        return;
    };
    let started = sh.clock.us();
    // Bytes after the image's end change its SHA-256, so each upload is a new file to store,
    // as a customer's photos are; decoders stop at the end.
    let mut unique = bytes.as_ref().clone();
    unique.extend_from_slice(format!("{n}:{seq}").as_bytes());
    let sent = failover::send_any(&sh, target, |t| {
        let form = reqwest::multipart::Form::new().part(
            "file",
            reqwest::multipart::Part::bytes(unique.clone()).file_name(format!("img-{n}-{seq}.png")),
        );
        sh.http
            .post(format!("{t}/api/v1/webchat/{}/files", sh.args.site))
            .header("x-sangdam-visitor", &visitor)
            .multipart(form)
    })
    .await;
    let done = sh.clock.us();
    let mut u = sh.uploads.lock().await;
    match sent {
        Ok(r) if r.status().is_success() => {
            u.ok += 1;
            if sh.window.contains(started) {
                let _ = u.latency.record(done.saturating_sub(started).max(1));
            }
        }
        Ok(r) => u
            .errors
            .push(format!("upload {n}/{seq}: HTTP {}", r.status())),
        Err(e) => u.errors.push(format!("upload {n}/{seq}: {}", causes(&e))),
    }
}

impl std::fmt::Debug for Shared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Shared")
    }
}

/// A WebSocket as a chat client keeps one: small frames sent at once (no Nagle delay), and a
/// small read buffer (the library zeroes its whole read buffer on every read).
async fn connect(
    req: impl IntoClientRequest + Unpin,
) -> Res<(
    VisitorWs,
    tokio_tungstenite::tungstenite::handshake::client::Response,
)> {
    let config = WebSocketConfig::default().read_buffer_size(4096);
    Ok(tokio_tungstenite::connect_async_with_config(req, Some(config), true).await?)
}

fn ws_base(target: &str) -> String {
    target.replacen("http://", "ws://", 1)
}

/// Opens a console's WebSocket on target `target`.
async fn console_open(sh: &Shared, target: usize, token: &str, name: &str) -> Res<VisitorWs> {
    let url = format!("{}/api/v1/console/ws", ws_base(sh.args.target(target)));
    let mut req = url.into_client_request()?;
    req.headers_mut().insert(
        "authorization",
        HeaderValue::from_str(&format!("Bearer {token}"))?,
    );
    req.headers_mut()
        .insert("x-load-console", HeaderValue::from_str(name)?);
    let (ws, _) = connect(req).await?;
    Ok(ws)
}

/// One console's run: the target its socket is on, what it holds, what it has received.
struct Console {
    sh: Arc<Shared>,
    token: String,
    target: usize,
    st: ConsoleStats,
    /// Per room: the highest room sequence number the console has seen.
    last_seq: HashMap<u64, u64>,
    /// The room of each consultation the console holds.
    held_rooms: HashMap<u64, u64>,
    /// Messages read from the store after a reconnect: the socket may bring them as well, and
    /// each counts once.
    recovered: HashSet<u64>,
    /// Customer messages of its consultations seen (for `--reply-every`).
    mine_seen: u64,
    /// The answers under way: (sent in the window, round trip µs or `None` when refused).
    answers: Vec<JoinHandle<(bool, Option<u64>)>>,
}

impl Console {
    /// A customer's message reached the console: by its socket, or from the store when it
    /// caught up after a reconnect.
    fn message(&mut self, f: Fields, from_store: bool) {
        let index = self.st.index;
        let mine = index.is_none() || self.st.owned.contains(&f.consultation);
        if !mine {
            return;
        }
        if from_store {
            if self.st.received.contains_key(&f.key) {
                return;
            }
            self.recovered.insert(f.key);
            self.st.caught_up += 1;
        } else if self.recovered.remove(&f.key) {
            return;
        }
        let sh = &self.sh;
        self.st.rooms.insert(f.room);
        *self.st.received.entry(f.key).or_insert(0) += 1;
        if index.is_none() {
            sh.supervisor_received.fetch_add(1, Ordering::Relaxed);
        }
        if sh.window.contains(f.sent) {
            let us = sh.clock.us().saturating_sub(f.sent).max(1);
            let _ = self.st.latency.record(us);
            let customer = usize::try_from(f.key >> 32).unwrap_or(usize::MAX);
            let theirs = sh
                .customer_target
                .get(customer)
                .map(|t| t.load(Ordering::Relaxed));
            if sh.args.targets.len() > 1 && theirs.is_some_and(|t| t != self.target) {
                let _ = self.st.cross_latency.record(us);
            }
        }
        let every = u64::from(sh.args.reply_every);
        if index.is_some() && every > 0 {
            self.mine_seen += 1;
            if self.mine_seen.is_multiple_of(every)
                && f.sent < sh.window.end.load(Ordering::Relaxed)
            {
                self.answers.push(tokio::spawn(answer(
                    sh.clone(),
                    self.token.clone(),
                    self.target,
                    f.consultation,
                    f.key,
                    sh.window.contains(f.sent),
                )));
            }
        }
    }

    fn saw_seq(&mut self, room: u64, seq: u64) {
        let last = self.last_seq.entry(room).or_insert(0);
        *last = (*last).max(seq);
    }

    /// After a reconnect: the messages of the rooms it follows (the supervisor every room it
    /// knows, an agent those of its consultations) after the last it saw, from the store.
    async fn catch_up(&mut self) {
        let rooms: Vec<u64> = if self.st.index.is_none() {
            self.st.rooms.iter().copied().collect()
        } else {
            self.held_rooms.values().copied().collect()
        };
        self.read_back(rooms).await;
    }

    /// A message of `room` numbered `seq` came live: if the room's numbers jumped (messages
    /// another instance stored but whose events never came, its instance killed between the
    /// commit and the publishing), what is missing is read from the store first, as a console
    /// does for the room it shows.
    async fn check_gap(&mut self, room: u64, seq: u64) {
        let last = self.last_seq.get(&room).copied().unwrap_or(0);
        if last > 0 && seq > last + 1 {
            self.st.gaps += 1;
            self.read_back(vec![room]).await;
        }
        self.saw_seq(room, seq);
    }

    /// The messages of `rooms` after the last number seen of each, from the store.
    async fn read_back(&mut self, rooms: Vec<u64>) {
        let (sh, token, target) = (&*self.sh, self.token.as_str(), self.target);
        let last_seq = &self.last_seq;
        let fetched: Vec<Res<Vec<Value>>> = futures_util::stream::iter(rooms)
            .map(|room| {
                let after = last_seq.get(&room).copied().unwrap_or(0);
                room_messages(sh, target, token, room, after)
            })
            .buffer_unordered(16)
            .collect()
            .await;
        for answer in fetched {
            match answer {
                Ok(list) => {
                    for m in &list {
                        if let (Some(room), Some(seq)) = (m["room_id"].as_u64(), m["seq"].as_u64())
                        {
                            self.saw_seq(room, seq);
                        }
                        if let Some(f) = record_fields(m) {
                            self.message(f, true);
                        }
                    }
                }
                Err(e) => self.st.errors.push(format!("catching up: {e}")),
            }
        }
    }
}

async fn console(
    sh: Arc<Shared>,
    index: Option<u32>,
    token: String,
    ready: tokio::sync::mpsc::Sender<()>,
    mut stop: watch::Receiver<bool>,
) -> Res<ConsoleStats> {
    let a = &sh.args;
    let name = index.map_or_else(|| "supervisor".to_owned(), |i| format!("agent{i}"));
    let target = target_of(index.unwrap_or(a.agents), a.targets.len());
    let ws = console_open(&sh, target, &token, &name).await?;
    let (mut tx, mut rx) = ws.split();
    let mut c = Console {
        sh: sh.clone(),
        token: token.clone(),
        target,
        st: ConsoleStats {
            index,
            received: HashMap::new(),
            owned: HashSet::new(),
            latency: histogram()?,
            cross_latency: histogram()?,
            take_errors: 0,
            resyncs: 0,
            errors: Vec::new(),
            rooms: HashSet::new(),
            replies: 0,
            reply_errors: 0,
            reply_latency: histogram()?,
            back_within: Vec::new(),
            caught_up: 0,
            gaps: 0,
        },
        last_seq: HashMap::new(),
        held_rooms: HashMap::new(),
        recovered: HashSet::new(),
        mine_seen: 0,
        answers: Vec::new(),
    };
    let mut seen: HashSet<u64> = HashSet::new();
    let mut takes: Vec<JoinHandle<bool>> = Vec::new();
    let mut hello = false;
    // This console's account (from its hello).
    let mut me: Option<u64> = None;
    // When the socket was lost, until the hello on the next target.
    let mut lost_at: Option<u64> = None;
    loop {
        let frame = tokio::select! {
            f = rx.next() => f,
            _ = stop.changed() => break,
        };
        let text = match frame {
            Some(Ok(Message::Text(t))) => t,
            Some(Ok(Message::Ping(p))) => {
                let _ = tx.send(Message::Pong(p)).await;
                continue;
            }
            Some(Ok(Message::Close(_))) | None | Some(Err(_)) => {
                // Its instance went away: the next target; the catch-up follows its hello
                // (sent once the new socket follows the live events, so nothing falls between).
                let since = sh.clock.us();
                let (shr, tok, nm) = (&*sh, token.as_str(), name.as_str());
                let reopened = tokio::select! {
                    r = failover::reconnect(shr, c.target, u64::MAX, move |t| console_open(shr, t, tok, nm)) => r,
                    _ = stop.changed() => break,
                };
                match reopened {
                    Ok((ws, t)) => {
                        c.target = t;
                        (tx, rx) = ws.split();
                        lost_at.get_or_insert(since);
                    }
                    Err(e) => {
                        c.st.errors
                            .push(format!("console {name} could not reconnect: {e}"));
                        break;
                    }
                }
                continue;
            }
            Some(Ok(_)) => continue,
        };
        let text = text.as_str();
        if text.contains("\"type\":\"message\"") {
            if let Some((room, seq)) = room_seq(text) {
                c.check_gap(room, seq).await;
            }
            if let Some(f) = message_fields(text) {
                c.message(f, false);
            }
        } else if text.contains("\"type\":\"consultation\"") {
            let v: Value = serde_json::from_str(text)?;
            let cons = &v["consultation"];
            let (Some(id), Some(room)) = (cons["id"].as_u64(), cons["room_id"].as_u64()) else {
                continue;
            };
            c.st.rooms.insert(room);
            if a.distribution.is_some() {
                // Distribution gives it: this console's once it is in progress with its agent.
                if index.is_some()
                    && me.is_some()
                    && cons["agent_id"].as_u64() == me
                    && cons["state"] == "in_progress"
                    && c.st.owned.insert(id)
                {
                    c.held_rooms.insert(id, room);
                    sh.takes_done.fetch_add(1, Ordering::Relaxed);
                }
                continue;
            }
            if !seen.insert(id) {
                continue;
            }
            // The n-th new consultation is agent n mod A's: the consoles of one instance see
            // them in the same order. Those of several instances each see their own order, so
            // there the consultation's id decides.
            let n = if a.targets.len() > 1 {
                id
            } else {
                seen.len() as u64 - 1
            };
            if let Some(i) = index
                && n % u64::from(a.agents) == u64::from(i)
                && cons["state"] == "waiting"
            {
                c.st.owned.insert(id);
                c.held_rooms.insert(id, room);
                let sh = sh.clone();
                let name = name.clone();
                let token = token.clone();
                let target = c.target;
                takes.push(tokio::spawn(async move {
                    let ok = failover::send_any(&sh, target, |t| {
                        sh.http
                            .post(format!("{t}/api/v1/consultations/{id}/take"))
                            .bearer_auth(&token)
                            .header("x-load-console", &name)
                    })
                    .await
                    .is_ok_and(|r| r.status().is_success());
                    sh.takes_done.fetch_add(1, Ordering::Relaxed);
                    ok
                }));
            }
        } else if text.contains("\"type\":\"hello\"") {
            let v: Value = serde_json::from_str(text)?;
            me = v["agent"]["id"].as_u64();
            if !hello {
                hello = true;
                let _ = ready.send(()).await;
            }
            if let Some(since) = lost_at.take() {
                c.st.back_within.push(sh.clock.us().saturating_sub(since));
                c.catch_up().await;
            }
        } else if text.contains("\"type\":\"resync\"") {
            c.st.resyncs += 1;
        }
    }
    let mut st = c.st;
    for t in takes {
        if !t.await.unwrap_or(false) {
            st.take_errors += 1;
        }
    }
    for t in c.answers {
        st.replies += 1;
        match t.await {
            Ok((in_window, Some(us))) => {
                if in_window {
                    let _ = st.reply_latency.record(us.max(1));
                }
            }
            _ => st.reply_errors += 1,
        }
    }
    let _ = tx.send(Message::Close(None)).await;
    Ok(st)
}

/// An agent answers a customer's message `k` in `consultation` (on its console's target):
/// whether the message was in the window, and the round trip (µs) when the answer was stored.
async fn answer(
    sh: Arc<Shared>,
    token: String,
    target: usize,
    consultation: u64,
    k: u64,
    in_window: bool,
) -> (bool, Option<u64>) {
    let started = sh.clock.us();
    let body = json!({"body": format!("re:{k} 확인했습니다. 잠시만 기다려 주세요.")});
    let ok = failover::send_any(&sh, target, |t| {
        sh.http
            .post(format!("{t}/api/v1/consultations/{consultation}/messages"))
            .bearer_auth(&token)
            .json(&body)
    })
    .await
    .is_ok_and(|r| r.status().is_success());
    (in_window, ok.then(|| sh.clock.us().saturating_sub(started)))
}

#[derive(Debug, Default)]
struct CustomerStats {
    /// A visitor talking with the chatbot (no agent holds its consultation).
    bot: bool,
    /// From a message to the bot's answer reaching the window.
    bot_latency: Option<Histogram<u64>>,
    bot_answers: u64,
    sent: u64,
    /// Acknowledged keys with their acknowledgement time.
    acked: Vec<(u64, u64)>,
    errors: Vec<String>,
    room: Option<u64>,
    ack_latency: Option<Histogram<u64>>,
    /// Each time the customer lost its connection: microseconds until it was connected again
    /// (a visitor's socket open on the next target; a Kakao user's next request taken).
    back_within: Vec<u64>,
    /// Messages sent again (the same `client_msg_id`) after a reconnect, unacknowledged before.
    resent: u64,
}

/// Ticks for customer `n` of `total`, spread evenly over one period.
fn ticker(sh: &Shared, n: u32, total: u32) -> tokio::time::Interval {
    let period = Duration::from_secs_f64(1.0 / sh.args.rate);
    let offset = period.mul_f64(f64::from(n) / f64::from(total.max(1)));
    let mut t = tokio::time::interval_at(tokio::time::Instant::now() + offset, period);
    t.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    t
}

type VisitorWs =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// Opens a web chat session on target `target` for `chat_url` with an explicit start (a "start
/// consultation" button): the consultation opens now, so the agents hold every visitor's before
/// the customers write, as the run is meant. Answers the session.
async fn open_session(sh: &Shared, target: usize, chat_url: &str) -> Res<Value> {
    let a = &sh.args;
    let resp = sh
        .http
        .post(format!(
            "{}/api/v1/webchat/{}/sessions",
            a.target(target),
            a.site
        ))
        .json(&json!({"url": chat_url, "channel": "webchat_v2", "start": true}))
        .send()
        .await?;
    let status = resp.status();
    let v: Value = resp.json().await?;
    if !status.is_success() {
        return Err(format!("session {status}: {v}").into());
    }
    Ok(v)
}

/// A visitor's session with its socket open.
struct Opened {
    room: u64,
    visitor: String,
    target: usize,
    ws: VisitorWs,
}

/// Opens a visitor's WebSocket on target `target`, with the room's messages after room
/// sequence number `after`.
async fn visitor_open(sh: &Shared, target: usize, visitor: &str, after: u64) -> Res<VisitorWs> {
    let a = &sh.args;
    let mut url = format!(
        "{}/api/v1/webchat/{}/ws?visitor={visitor}",
        ws_base(a.target(target)),
        a.site
    );
    if after > 0 {
        url.push_str(&format!("&after={after}"));
    }
    let (ws, _) = connect(url).await?;
    Ok(ws)
}

/// Opens visitor `n`'s session and WebSocket on its target.
async fn visitor_connect(sh: &Shared, n: u32) -> Res<Opened> {
    let a = &sh.args;
    let target = target_of(n, a.targets.len());
    let bot = if a.talks_to_bot(n) {
        ",bot_start=('true')"
    } else {
        ""
    };
    let chat_url = format!(
        "{}/chat/{}?params=site_uid=('load{n}'),cus_extra_username=('%EB%B6%80%ED%95%98{n}'),parameter1=('loadgen'){bot}",
        a.target(target),
        a.site
    );
    let v = open_session(sh, target, &chat_url).await?;
    let visitor = v["visitor"].as_str().ok_or("session without visitor")?;
    let room = v["room_id"].as_u64().ok_or("session without room_id")?;
    let ws = visitor_open(sh, target, visitor, 0).await?;
    Ok(Opened {
        room,
        visitor: visitor.to_owned(),
        target,
        ws,
    })
}

/// A web chat visitor's run: what it sent and has not seen acknowledged, how far it has read
/// its room.
struct Visit {
    n: u32,
    st: CustomerStats,
    /// Sent and not acknowledged yet: key → the frame, sent again as it was after a reconnect
    /// (the server stores a `client_msg_id` once per room).
    pending: BTreeMap<u64, String>,
    /// A bot visitor's questions waiting for their answer: when each was sent.
    asked: VecDeque<u64>,
    /// The highest room sequence number the visitor has seen: where it resumes.
    last_seq: u64,
}

impl Visit {
    /// A frame of the visitor's socket.
    fn frame(&mut self, sh: &Shared, text: &str) {
        let ack = text.contains("\"type\":\"ack\"");
        if ack || text.contains("\"type\":\"message\"") {
            if let Some((_, seq)) = room_seq(text) {
                self.last_seq = self.last_seq.max(seq);
            }
            // Its own message, acknowledged, or read back stored after a reconnect.
            if let Some(f) = message_fields(text)
                && self.pending.remove(&f.key).is_some()
            {
                let now = sh.clock.us();
                self.st.acked.push((f.key, now));
                sh.acked.fetch_add(1, Ordering::Relaxed);
                if sh.window.contains(f.sent)
                    && let Some(h) = self.st.ack_latency.as_mut()
                {
                    let _ = h.record(now.saturating_sub(f.sent).max(1));
                }
                return;
            }
            if ack {
                return;
            }
        }
        if text.contains("\"type\":\"error\"") {
            self.st.errors.push(format!("visitor {}: {text}", self.n));
        } else if self.st.bot && text.contains("\"sender\":\"bot\"") {
            // The bot answers each question in turn (its welcome came before any).
            if let Some(sent) = self.asked.pop_front() {
                let now = sh.clock.us();
                self.st.bot_answers += 1;
                if sh.window.contains(sent)
                    && let Some(h) = self.st.bot_latency.as_mut()
                {
                    let _ = h.record(now.saturating_sub(sent).max(1));
                }
            }
        }
    }
}

async fn visitor_run(
    sh: Arc<Shared>,
    n: u32,
    total: u32,
    opened: Opened,
    send_until: u64,
) -> CustomerStats {
    let Opened {
        room,
        visitor,
        mut target,
        ws,
    } = opened;
    let bot = sh.args.talks_to_bot(n);
    let mut v = Visit {
        n,
        st: CustomerStats {
            room: Some(room),
            ack_latency: histogram().ok(),
            bot,
            bot_latency: if bot { histogram().ok() } else { None },
            ..CustomerStats::default()
        },
        pending: BTreeMap::new(),
        asked: VecDeque::new(),
        last_seq: 0,
    };
    let (mut tx, mut rx) = ws.split();
    let mut tick = ticker(&sh, n, total);
    let mut seq: u32 = 0;
    let mut sending = true;
    let drain_until = send_until + (sh.args.drain * 1e6) as u64;
    loop {
        let now = sh.clock.us();
        if sending && now >= send_until {
            sending = false;
        }
        let done = v.pending.is_empty() && v.asked.is_empty();
        if !sending && (done || now >= drain_until) {
            break;
        }
        let mut lost: Option<String> = None;
        tokio::select! {
            _ = tick.tick(), if sending => {
                let now = sh.clock.us();
                if now >= send_until { continue; }
                seq += 1;
                // Every K-th message an image, staggered across visitors.
                let k = sh.args.image_every;
                if k > 0 && (seq + n).is_multiple_of(k) {
                    tokio::spawn(upload_image(sh.clone(), target, visitor.clone(), n, seq));
                    continue;
                }
                let body = if bot {
                    // A question of the knowledge base, asked in other words.
                    let x = (n.wrapping_mul(7).wrapping_add(seq)) % sh.args.bot_entries.max(1);
                    v.asked.push_back(now);
                    format!("lg:{n}:{seq}:{now} 상품{x} 주문했는데 언제 도착해요?")
                } else {
                    format!("lg:{n}:{seq}:{now} 안녕하세요, 문의드립니다 (visitor {n})")
                };
                let frame = json!({"type": "message", "body": body, "client_msg_id": format!("lg-{n}-{seq}")}).to_string();
                v.st.sent += 1;
                v.pending.insert(key(n, seq), frame.clone());
                if let Err(e) = tx.send(Message::Text(frame.into())).await {
                    lost = Some(format!("send: {e}"));
                }
            }
            f = rx.next() => match f {
                Some(Ok(Message::Text(t))) => v.frame(&sh, t.as_str()),
                Some(Ok(Message::Close(_))) | None => lost = Some("closed by the server".to_owned()),
                Some(Err(e)) => lost = Some(e.to_string()),
                Some(Ok(_)) => {}
            },
            _ = tokio::time::sleep(Duration::from_millis(200)) => {}
        }
        let Some(why) = lost else { continue };
        if !sending && v.pending.is_empty() && v.asked.is_empty() {
            break;
        }
        // Its instance went away: the next target, from the last message it saw of its room;
        // what it sent and saw neither acknowledged nor stored is sent again, as it was.
        let since = sh.clock.us();
        let (shr, key_, after) = (&*sh, visitor.as_str(), v.last_seq);
        let reopened = failover::reconnect(shr, target, drain_until, move |t| {
            visitor_open(shr, t, key_, after)
        })
        .await;
        match reopened {
            Ok((ws, t)) => {
                v.st.back_within.push(sh.clock.us().saturating_sub(since));
                target = t;
                if let Some(c) = sh.customer_target.get(n as usize) {
                    c.store(t, Ordering::Relaxed);
                }
                (tx, rx) = ws.split();
                for frame in v.pending.values() {
                    if tx.send(Message::Text(frame.clone().into())).await.is_err() {
                        break;
                    }
                    v.st.resent += 1;
                }
            }
            Err(e) => {
                v.st.errors.push(format!(
                    "visitor {n} lost its socket ({why}) and could not reconnect: {e}"
                ));
                break;
            }
        }
    }
    let _ = tx.send(Message::Close(None)).await;
    v.st
}

async fn kakao_run(sh: Arc<Shared>, k: u32, total: u32, send_until: u64) -> CustomerStats {
    let a = &sh.args;
    let n = a.visitors + k;
    let mut st = CustomerStats {
        ack_latency: histogram().ok(),
        ..CustomerStats::default()
    };
    let targets = a.targets.len();
    let mut target = target_of(n, targets);
    let deadline = send_until + (a.drain * 1e6) as u64;
    let user = format!("kload{k}");
    let mut tick = ticker(&sh, n, total);
    let mut seq: u32 = 0;
    loop {
        tick.tick().await;
        let now = sh.clock.us();
        if now >= send_until {
            break;
        }
        seq += 1;
        // The first request carries the chat URL's parameters, as Open Builder does.
        let params = if seq == 1 {
            json!({"site_uid": format!("kload{k}"), "parameter1": "loadgen"})
        } else {
            json!({})
        };
        let req = json!({
            "intent": {"id": "i", "name": "폴백 블록"},
            "userRequest": {
                "utterance": format!("lg:{n}:{seq}:{now} 카카오 문의입니다"),
                "lang": "kr",
                "user": {"id": user, "type": "botUserKey", "properties": {}}
            },
            "bot": {"id": "loadbot", "name": "load"},
            "action": {"id": "a", "name": "s", "params": params, "detailParams": {}, "clientExtra": {}}
        });
        st.sent += 1;
        // A target refusing the connection is gone (nothing reached it): the request goes to
        // the next one after a backoff, as a platform retrying a failed call would.
        let mut failed_at: Option<u64> = None;
        let mut attempt = 0;
        let answer = loop {
            let url = format!("{}{}", a.target(target), sh.kakao_path);
            match sh.http.post(&url).json(&req).send().await {
                Err(e) if e.is_connect() && sh.clock.us() < deadline => {
                    failed_at.get_or_insert(sh.clock.us());
                    tokio::time::sleep(failover::backoff(attempt)).await;
                    attempt += 1;
                    target = next_target(target, targets);
                    if let Some(c) = sh.customer_target.get(n as usize) {
                        c.store(target, Ordering::Relaxed);
                    }
                }
                answer => break answer,
            }
        };
        if let Some(since) = failed_at
            && answer.is_ok()
        {
            st.back_within.push(sh.clock.us().saturating_sub(since));
        }
        match answer {
            Ok(r) if r.status().is_success() => {
                let _ = r.bytes().await;
                let done = sh.clock.us();
                st.acked.push((key(n, seq), done));
                sh.acked.fetch_add(1, Ordering::Relaxed);
                if sh.window.contains(now)
                    && let Some(h) = st.ack_latency.as_mut()
                {
                    let _ = h.record(done.saturating_sub(now).max(1));
                }
            }
            Ok(r) => st.errors.push(format!("kakao {k}: {}", r.status())),
            Err(e) => st.errors.push(format!("kakao {k}: {}", causes(&e))),
        }
    }
    st
}

/// Switches the site's chatbot on with a knowledge base of `--bot-entries` entries (replacing
/// the one it has), through the admin's API.
async fn bot_setup(sh: &Shared) -> Res<()> {
    let a = &sh.args;
    let get = sh
        .http
        .get(format!("{}/api/v1/bot", a.first()))
        .bearer_auth(&a.token)
        .send()
        .await?;
    if !get.status().is_success() {
        return Err(format!("reading the bot: {} (the admin's --token?)", get.status()).into());
    }
    let bot: Value = get.json().await?;
    let settings = json!({
        "enabled": true, "bot_first": false,
        "min_accuracy": bot["default_min_accuracy"], "fallbacks_before_offer": 0,
        "handoff_label": "상담원 연결",
    });
    let put = sh
        .http
        .put(format!("{}/api/v1/bot/settings", a.first()))
        .bearer_auth(&a.token)
        .json(&settings)
        .send()
        .await?;
    if !put.status().is_success() {
        return Err(format!("switching the bot on: {}", put.status()).into());
    }
    let mut csv = String::from("질문,답변\n");
    for i in 0..a.bot_entries {
        csv.push_str(&format!(
            "\"상품{i} 배송 언제 와요\n상품{i} 언제 도착하나요\",상품{i}은 주문 후 2~3일 안에 도착합니다.\n"
        ));
    }
    let import = sh
        .http
        .post(format!(
            "{}/api/v1/bot/knowledge/import?format=csv&replace=true",
            a.first()
        ))
        .bearer_auth(&a.token)
        .header("content-type", "text/csv")
        .body(csv)
        .send()
        .await?;
    if !import.status().is_success() {
        let status = import.status();
        let body = import.text().await.unwrap_or_default();
        return Err(format!("importing the knowledge base: {status} {body}").into());
    }
    Ok(())
}

/// The Kakao skill path (on any target). Sangdam refuses skill requests without the site's
/// channel key, which the admin's token reads (`GET /api/v1/site/channel-keys`); the relay
/// takes any request.
async fn kakao_skill_path(http: &reqwest::Client, a: &Args) -> Res<String> {
    let plain = format!("/kakao/{}/skill", a.site);
    if a.mode == Mode::Relay || a.kakao == 0 {
        return Ok(plain);
    }
    let resp = http
        .get(format!("{}/api/v1/site/channel-keys", a.first()))
        .bearer_auth(&a.token)
        .send()
        .await?;
    let status = resp.status();
    let v: Value = resp.json().await?;
    if !status.is_success() {
        return Err(format!(
            "reading the Kakao channel key: {status} {v} (is --token the admin's?)"
        )
        .into());
    }
    let key = v["keys"]
        .as_array()
        .and_then(|keys| keys.iter().find(|k| k["platform"] == "kakao"))
        .and_then(|k| k["key"].as_str())
        .ok_or("no Kakao channel key in the answer")?;
    Ok(format!("{plain}?key={key}"))
}

/// The API token of each console: agents 0..A, then the supervisor. Against Sangdam, new
/// accounts (A agents and a manager) made with the admin's token; the relay takes any token.
async fn accounts(sh: &Shared) -> Res<Vec<String>> {
    let a = &sh.args;
    if a.mode == Mode::Relay {
        return Ok(vec![a.token.clone(); a.agents as usize + 1]);
    }
    let run = std::process::id() ^ (sh.clock.0.elapsed().subsec_nanos());
    let mut tokens = Vec::new();
    for i in (0..a.agents).map(Some).chain([None]) {
        let (login, role) = match i {
            Some(i) => (format!("load{run:x}-agent{i}"), "agent"),
            None => (format!("load{run:x}-supervisor"), "manager"),
        };
        let resp = sh
            .http
            .post(format!("{}/api/v1/agents", a.first()))
            .bearer_auth(&a.token)
            .json(&json!({"login": login, "display_name": login, "role": role, "api_token": true}))
            .send()
            .await?;
        let status = resp.status();
        let v: Value = resp.json().await?;
        if !status.is_success() {
            return Err(format!("creating {login}: {status} {v} (is --token the admin's?)").into());
        }
        tokens.push(
            v["api_token"]
                .as_str()
                .ok_or("account without api_token")?
                .to_owned(),
        );
    }
    Ok(tokens)
}

/// VmRSS of `pid` in KiB.
fn rss_kib(pid: u32) -> Option<u64> {
    let s = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = s.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// The most messages a room's page holds (`GET /api/v1/rooms/{id}/messages`).
const ROOM_PAGE: usize = 1000;

/// The messages of `room` after room sequence number `after` (every page), read with `token`
/// from target `target` (or the next ones, while a target refuses connections).
async fn room_messages(
    sh: &Shared,
    target: usize,
    token: &str,
    room: u64,
    mut after: u64,
) -> Res<Vec<Value>> {
    let mut out = Vec::new();
    loop {
        let r = failover::send_any(sh, target, |t| {
            sh.http
                .get(format!("{t}/api/v1/rooms/{room}/messages?after={after}"))
                .bearer_auth(token)
        })
        .await?;
        if !r.status().is_success() {
            return Err(format!("room {room} messages: {}", r.status()).into());
        }
        let mut v: Value = r.json().await?;
        let Value::Array(list) = v["messages"].take() else {
            return Err(format!("room {room}: no messages array").into());
        };
        let full = list.len() >= ROOM_PAGE;
        let last = list.iter().filter_map(|m| m["seq"].as_u64()).max();
        out.extend(list);
        if !full {
            return Ok(out);
        }
        match last {
            Some(seq) if seq > after => after = seq,
            _ => return Err(format!("room {room}: a full page without a later seq").into()),
        }
    }
}

/// The loader's fields of a stored message record.
fn record_fields(m: &Value) -> Option<Fields> {
    let (c, q, t) = m["body"].as_str().and_then(parse_body)?;
    Some(Fields {
        key: key(c, q),
        sent: t,
        consultation: m["consultation_id"].as_u64()?,
        room: m["room_id"].as_u64()?,
    })
}

/// Every stored message of `room`: loader key → (how many times, consultation).
async fn stored(sh: &Shared, room: u64, out: &mut HashMap<u64, (u32, u64)>) -> Res<()> {
    for m in room_messages(sh, 0, &sh.args.token, room, 0).await? {
        if let Some((c, q, _)) = m["body"].as_str().and_then(parse_body) {
            let e = out
                .entry(key(c, q))
                .or_insert((0, m["consultation_id"].as_u64().unwrap_or(0)));
            e.0 += 1;
        }
    }
    Ok(())
}

fn pct(h: &Histogram<u64>, q: f64) -> f64 {
    h.value_at_quantile(q) as f64 / 1000.0
}

/// The targets checked (loopback only, at least one) and without a trailing slash.
fn check_targets(targets: &[String]) -> Res<Vec<String>> {
    if targets.is_empty() {
        return Err("give at least one --target".into());
    }
    targets
        .iter()
        .map(|target| {
            let target = target.trim();
            let rest = target
                .strip_prefix("http://")
                .ok_or("--target must be http://127.0.0.1:PORT")?;
            let host = rest.split(['/', ':']).next().unwrap_or("");
            if host != "127.0.0.1" && host != "localhost" {
                return Err(format!("refusing non-loopback target {target:?}").into());
            }
            Ok(target.trim_end_matches('/').to_owned())
        })
        .collect()
}

async fn run(args: Args) -> Res<Value> {
    let targets = check_targets(&args.targets)?;
    if args.visitors + args.kakao > MAX_CUSTOMERS
        || args.agents == 0
        || args.agents > MAX_CONSOLES
        || !(args.rate > 0.0 && args.rate <= 100.0)
        || !(args.duration > 0.0 && args.duration <= MAX_SECONDS)
        || !(0.0..=MAX_SECONDS).contains(&args.warmup)
        || !(0.0..=120.0).contains(&args.drain)
    {
        return Err(format!(
            "out of bounds: at most {MAX_CUSTOMERS} customers, 1..={MAX_CONSOLES} agents, rate in (0, 100], duration and warm-up up to {MAX_SECONDS} s, drain up to 120 s"
        )
        .into());
    }
    if args.mode == Mode::Relay && targets.len() > 1 {
        return Err("--mode relay drives one relay: give one --target".into());
    }
    if let Some(after) = args.kill_after
        && !(0.0..=args.duration).contains(&after)
    {
        return Err("--kill-after is within the measured run: 0 to --duration seconds".into());
    }
    let args = Args { targets, ..args };
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .pool_max_idle_per_host(2000)
        .build()?;
    let kakao_path = kakao_skill_path(&http, &args).await?;
    let customer_target = (0..args.visitors + args.kakao)
        .map(|n| AtomicUsize::new(target_of(n, args.targets.len())))
        .collect();
    let sh = Arc::new(Shared {
        clock: Clock(Instant::now()),
        window: Window {
            start: AtomicU64::new(u64::MAX),
            end: AtomicU64::new(u64::MAX),
        },
        http,
        supervisor_received: AtomicU64::new(0),
        kakao_path,
        customer_target,
        acked: AtomicU64::new(0),
        takes_done: AtomicU64::new(0),
        image: if args.image_every > 0 {
            Some(Arc::new(noise_png(args.image_kib)?))
        } else {
            None
        },
        uploads: tokio::sync::Mutex::new(Uploads {
            latency: histogram()?,
            ok: 0,
            errors: Vec::new(),
        }),
        args,
    });
    let a = sh.args.clone();

    // One account per console (Sangdam), then the consoles, so they see every consultation.
    let tokens = accounts(&sh).await?;
    if a.bot_every > 0 {
        bot_setup(&sh).await?;
    }
    if a.billed_per_second > 0 {
        billing::setup(&sh).await?;
    }
    if a.mode == Mode::Sangdam {
        distribution::prepare(&sh, a.distribution.as_deref(), &tokens[..a.agents as usize]).await?;
    }
    if a.distribution.is_some() {
        if a.mode == Mode::Relay {
            return Err(
                "--distribution drives Sangdam's own distribution: not with --mode relay".into(),
            );
        }
        if let Some(n) = a.burst {
            if !(1..=MAX_CUSTOMERS).contains(&n) {
                return Err(format!("--burst is 1 to {MAX_CUSTOMERS}").into());
            }
            return distribution::burst(sh.clone(), n).await;
        }
    } else if a.burst.is_some() {
        return Err("--burst measures distribution: give --distribution MODE too".into());
    }
    let (stop_tx, stop_rx) = watch::channel(false);
    let (ready_tx, mut ready_rx) = tokio::sync::mpsc::channel(256);
    let mut consoles = Vec::new();
    for (i, token) in (0..a.agents).map(Some).chain([None]).zip(tokens) {
        consoles.push(tokio::spawn(console(
            sh.clone(),
            i,
            token,
            ready_tx.clone(),
            stop_rx.clone(),
        )));
    }
    drop(ready_tx);
    for _ in 0..=a.agents {
        tokio::time::timeout(Duration::from_secs(20), ready_rx.recv())
            .await
            .map_err(|_| "consoles did not connect (token?)")?
            .ok_or("a console failed to connect (token?)")?;
    }

    // Ramp: sessions and WebSockets, a few at a time.
    let ramp_start = Instant::now();
    let sem = Arc::new(Semaphore::new(a.ramp_concurrency.max(1)));
    let mut connecting = Vec::new();
    for n in 0..a.visitors {
        let sh = sh.clone();
        let sem = sem.clone();
        connecting.push(tokio::spawn(async move {
            let _permit = sem.acquire().await.map_err(|e| e.to_string())?;
            visitor_connect(&sh, n).await.map_err(|e| e.to_string())
        }));
    }
    let mut sockets = Vec::new();
    let mut setup_errors: Vec<String> = Vec::new();
    for (n, c) in connecting.into_iter().enumerate() {
        match c.await {
            Ok(Ok(s)) => sockets.push((n as u32, s)),
            Ok(Err(e)) => setup_errors.push(format!("visitor {n} setup: {e}")),
            Err(e) => setup_errors.push(format!("visitor {n} setup: {e}")),
        }
    }
    // Customers write once the agents hold their consultations (or after 30 s regardless).
    let takes_deadline = Instant::now() + Duration::from_secs(30);
    let held_by_agents = sockets.iter().filter(|(n, _)| !a.talks_to_bot(*n)).count() as u64;
    while sh.takes_done.load(Ordering::Relaxed) < held_by_agents && Instant::now() < takes_deadline
    {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let ramp_s = ramp_start.elapsed().as_secs_f64();

    // Send.
    let start = sh.clock.us();
    let win_start = start + (a.warmup * 1e6) as u64;
    let send_until = win_start + (a.duration * 1e6) as u64;
    sh.window.start.store(win_start, Ordering::Relaxed);
    sh.window.end.store(send_until, Ordering::Relaxed);
    let total = a.visitors + a.kakao;
    let mut customers = Vec::new();
    for (n, socket) in sockets {
        customers.push(tokio::spawn(visitor_run(
            sh.clone(),
            n,
            total,
            socket,
            send_until,
        )));
    }
    for k in 0..a.kakao {
        customers.push(tokio::spawn(kakao_run(sh.clone(), k, total, send_until)));
    }
    let billing = (a.billed_per_second > 0).then(|| {
        let sh = sh.clone();
        let per_second = a.billed_per_second;
        tokio::spawn(async move { billing::run(&sh, per_second, send_until).await })
    });

    let kill = a.kill_pid.zip(a.kill_after).map(|(pid, after)| {
        let at = win_start + (after * 1e6) as u64;
        tokio::spawn(failover::kill_at(sh.clone(), pid, at))
    });

    // Server memory, sampled every second while sending.
    let rss_before: Vec<Option<u64>> = a.server_pids.iter().map(|p| rss_kib(*p)).collect();
    let rss = (!a.server_pids.is_empty()).then(|| {
        let sh = sh.clone();
        let pids = a.server_pids.clone();
        tokio::spawn(async move {
            let mut samples = Vec::new();
            while sh.clock.us() < send_until {
                let kib: Vec<Option<u64>> = pids.iter().map(|p| rss_kib(*p)).collect();
                samples.push((sh.clock.us(), kib));
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
            samples
        })
    });

    let mut cstats = Vec::new();
    for c in customers {
        match c.await {
            Ok(s) => cstats.push(s),
            Err(e) => setup_errors.push(format!("customer task: {e}")),
        }
    }
    let rss_samples = match rss {
        Some(h) => h.await.unwrap_or_default(),
        None => Vec::new(),
    };
    let killed = match kill {
        Some(h) => Some(
            h.await
                .unwrap_or_else(|e| json!({"killed": false, "error": e.to_string()})),
        ),
        None => None,
    };
    let billed = match billing {
        Some(h) => Some(h.await.map_err(|e| format!("billing task: {e}"))??),
        None => None,
    };

    // Wait until the supervisor has everything acknowledged (or stops receiving).
    let acked_total = sh.acked.load(Ordering::Relaxed);
    let drain_deadline = Instant::now() + Duration::from_secs_f64(a.drain.max(1.0));
    let mut last = (
        sh.supervisor_received.load(Ordering::Relaxed),
        Instant::now(),
    );
    while Instant::now() < drain_deadline {
        let got = sh.supervisor_received.load(Ordering::Relaxed);
        if got >= acked_total {
            break;
        }
        if got != last.0 {
            last = (got, Instant::now());
        } else if last.1.elapsed() > Duration::from_secs(3) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // Deliveries to agents trail the supervisor's by at most a moment.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let _ = stop_tx.send(true);
    let mut agents: Vec<ConsoleStats> = Vec::new();
    let mut supervisor: Option<ConsoleStats> = None;
    for c in consoles {
        match c.await {
            Ok(Ok(s)) if s.index.is_none() => supervisor = Some(s),
            Ok(Ok(s)) => agents.push(s),
            Ok(Err(e)) => setup_errors.push(format!("console: {e}")),
            Err(e) => setup_errors.push(format!("console task: {e}")),
        }
    }
    let supervisor = supervisor.ok_or("the supervisor console failed")?;

    // Check against what the server stored.
    let mut rooms: HashSet<u64> = cstats.iter().filter_map(|c| c.room).collect();
    rooms.extend(supervisor.rooms.iter().copied());
    let mut stored_counts: HashMap<u64, (u32, u64)> = HashMap::new();
    let mut verify_errors = Vec::new();
    for room in &rooms {
        if let Err(e) = stored(&sh, *room, &mut stored_counts).await {
            verify_errors.push(e.to_string());
        }
    }
    let owner: HashMap<u64, usize> = agents
        .iter()
        .enumerate()
        .flat_map(|(i, s)| s.owned.iter().map(move |c| (*c, i)))
        .collect();
    let (mut lost, mut duplicated, mut not_at_agent, mut not_at_supervisor) = (0u64, 0u64, 0, 0);
    let mut acked_in_window = 0u64;
    let mut acked_all = 0u64;
    let (mut sent, mut errors) = (0u64, setup_errors.clone());
    let mut ack_latency = histogram()?;
    let mut bot_latency = histogram()?;
    let mut bot_answers = 0u64;
    let mut bot_asked = 0u64;
    for c in cstats.iter().filter(|c| c.bot) {
        if let Some(h) = &c.bot_latency {
            bot_latency.add(h)?;
        }
        bot_answers += c.bot_answers;
        bot_asked += c.sent;
    }
    for c in &cstats {
        sent += c.sent;
        errors.extend(c.errors.iter().cloned());
        if let Some(h) = &c.ack_latency {
            ack_latency.add(h)?;
        }
        for (k, at) in &c.acked {
            acked_all += 1;
            if *at >= win_start && *at < send_until {
                acked_in_window += 1;
            }
            match stored_counts.get(k) {
                None => lost += 1,
                Some((count, consultation)) => {
                    if *count > 1 {
                        duplicated += 1;
                    }
                    let at_agent = c.bot
                        || owner
                            .get(consultation)
                            .and_then(|i| agents.get(*i))
                            .is_some_and(|s| s.received.get(k) == Some(&1));
                    if !at_agent {
                        not_at_agent += 1;
                    }
                    if supervisor.received.get(k) != Some(&1) {
                        not_at_supervisor += 1;
                    }
                }
            }
        }
    }
    let uploads = sh.uploads.lock().await;
    let mut agent_latency = histogram()?;
    for s in &agents {
        agent_latency.add(&s.latency)?;
    }
    let held: Vec<usize> = agents.iter().map(|s| s.owned.len()).collect();
    let take_errors: u64 = agents.iter().map(|s| s.take_errors).sum();
    let mut reply_latency = histogram()?;
    for s in &agents {
        reply_latency.add(&s.reply_latency)?;
    }
    let replies: u64 = agents.iter().map(|s| s.replies).sum();
    let reply_errors: u64 = agents.iter().map(|s| s.reply_errors).sum();
    let resyncs: u64 = agents.iter().chain([&supervisor]).map(|s| s.resyncs).sum();
    for s in agents.iter().chain([&supervisor]) {
        errors.extend(s.errors.iter().cloned());
    }
    errors.extend(verify_errors);
    let rss_total: Vec<(u64, Option<u64>)> = rss_samples
        .iter()
        .map(|(t, kib)| (*t, sum_present(kib)))
        .collect();
    let rss_each: Vec<Value> = a
        .server_pids
        .iter()
        .enumerate()
        .map(|(i, pid)| {
            let points: Vec<(u64, Option<u64>)> = rss_samples
                .iter()
                .map(|(t, kib)| (*t, kib.get(i).copied().flatten()))
                .collect();
            let mut figures = rss_figures(rss_before.get(i).copied().flatten(), &points, win_start);
            figures["pid"] = json!(pid);
            figures
        })
        .collect();
    let mut cross_latency = histogram()?;
    for s in &agents {
        cross_latency.add(&s.cross_latency)?;
    }
    // Failover: every client's times without its connection, re-sent and caught-up messages.
    let visitor_back: Vec<u64> = cstats
        .iter()
        .filter(|c| c.room.is_some())
        .flat_map(|c| c.back_within.iter().copied())
        .collect();
    let kakao_back: Vec<u64> = cstats
        .iter()
        .filter(|c| c.room.is_none())
        .flat_map(|c| c.back_within.iter().copied())
        .collect();
    let console_back: Vec<u64> = agents
        .iter()
        .chain([&supervisor])
        .flat_map(|s| s.back_within.iter().copied())
        .collect();
    let failover = json!({
        "visitor_reconnects": visitor_back.len(),
        "console_reconnects": console_back.len(),
        "kakao_reconnects": kakao_back.len(),
        "back_within": failover::back_within(
            visitor_back.iter().chain(&console_back).chain(&kakao_back).copied().collect()
        ),
        "resent": cstats.iter().map(|c| c.resent).sum::<u64>(),
        "caught_up": agents.iter().chain([&supervisor]).map(|s| s.caught_up).sum::<u64>(),
        "gaps_read_back": agents.iter().chain([&supervisor]).map(|s| s.gaps).sum::<u64>(),
    });
    let lat = |h: &Histogram<u64>| {
        json!({
            "count": h.len(),
            "p50_ms": pct(h, 0.50), "p95_ms": pct(h, 0.95), "p99_ms": pct(h, 0.99),
            "max_ms": h.max() as f64 / 1000.0,
        })
    };
    let mode = match a.mode {
        Mode::Sangdam => "sangdam",
        Mode::Relay => "relay",
    };
    Ok(json!({
        "mode": mode,
        "target": a.first(),
        "targets": a.targets,
        "visitors": a.visitors, "kakao": a.kakao, "agents": a.agents,
        "connected_visitors": cstats.iter().filter(|c| c.room.is_some()).count(),
        "rate_per_customer": a.rate,
        "offered_msgs_per_s": f64::from(total) * a.rate,
        "warmup_s": a.warmup, "duration_s": a.duration, "ramp_s": ramp_s,
        "sent": sent,
        "acked": acked_all,
        "acked_in_window": acked_in_window,
        "sustained_acked_msgs_per_s": acked_in_window as f64 / a.duration,
        "latency_send_to_agent": lat(&agent_latency),
        "latency_send_to_agent_cross_instance": lat(&cross_latency),
        "latency_send_to_supervisor": lat(&supervisor.latency),
        "latency_send_to_ack": lat(&ack_latency),
        "bot": {
            "every": a.bot_every,
            "visitors": cstats.iter().filter(|c| c.bot).count(),
            "entries": a.bot_entries,
            "asked": bot_asked,
            "answered": bot_answers,
            "latency_send_to_bot_answer": lat(&bot_latency),
        },
        "billing": billed.as_ref().map(|b| json!({
            "per_second": a.billed_per_second,
            "requests": b.requests,
            "billed": b.billed,
            "billed_per_s": b.billed as f64 / (a.warmup + a.duration).max(1.0),
            "refused": b.refused,
            "errors": b.errors.len(),
            "error_samples": b.errors.iter().take(3).collect::<Vec<_>>(),
            "latency_request": lat(&b.latency),
        })),
        "image_uploads": {
            "every": a.image_every,
            "kib": a.image_kib,
            "stored": uploads.ok,
            "errors": uploads.errors.len(),
            "error_samples": uploads.errors.iter().take(3).collect::<Vec<_>>(),
            "latency_upload": lat(&uploads.latency),
        },
        "lost": lost,
        "duplicated": duplicated,
        "not_delivered_to_agent": not_at_agent,
        "not_delivered_to_supervisor": not_at_supervisor,
        "unacknowledged": sent.saturating_sub(acked_all),
        "take_errors": take_errors,
        "agent_replies": replies,
        "agent_reply_errors": reply_errors,
        "latency_agent_reply": lat(&reply_latency),
        "console_resyncs": resyncs,
        "consultations_per_agent": held,
        "errors": errors.len(),
        "error_samples": errors.iter().take(5).collect::<Vec<_>>(),
        "failover": failover,
        "kill": killed,
        "server_rss_mib": rss_figures(sum_present(&rss_before), &rss_total, win_start),
        "server_rss_mib_each": rss_each,
    }))
}

/// The sum of the processes' figures that are there (`None` when none is).
fn sum_present(kib: &[Option<u64>]) -> Option<u64> {
    kib.iter().flatten().copied().reduce(|a, b| a + b)
}

/// Memory figures in MiB from samples (loader µs, KiB or `None` when not read): before the
/// run, the mean in the measured window and the most.
fn rss_figures(before: Option<u64>, points: &[(u64, Option<u64>)], win_start: u64) -> Value {
    let mib = |kib: u64| kib as f64 / 1024.0;
    let in_window: Vec<u64> = points
        .iter()
        .filter(|(t, _)| *t >= win_start)
        .filter_map(|(_, kib)| *kib)
        .collect();
    let mean =
        (!in_window.is_empty()).then(|| in_window.iter().sum::<u64>() / in_window.len() as u64);
    json!({
        "before": before.map(mib),
        "mean_in_window": mean.map(mib),
        "max": points.iter().filter_map(|(_, kib)| *kib).max().map(mib),
    })
}

fn print_text(r: &Value) {
    if r.get("burst").is_some() {
        println!("{}", serde_json::to_string_pretty(r).unwrap_or_default());
        return;
    }
    let l = |name: &str, v: &Value| {
        println!(
            "  {name:<28} p50 {:>8.2} ms  p95 {:>8.2} ms  p99 {:>8.2} ms  max {:>8.2} ms  (n={})",
            v["p50_ms"].as_f64().unwrap_or(0.0),
            v["p95_ms"].as_f64().unwrap_or(0.0),
            v["p99_ms"].as_f64().unwrap_or(0.0),
            v["max_ms"].as_f64().unwrap_or(0.0),
            v["count"]
        );
    };
    let targets: Vec<&str> = r["targets"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    println!(
        "{} at {}: {} visitors ({} connected), {} Kakao users, {} agents + supervisor, {}/s each",
        r["mode"],
        targets.join(", "),
        r["visitors"],
        r["connected_visitors"],
        r["kakao"],
        r["agents"],
        r["rate_per_customer"]
    );
    println!(
        "  offered {:.0} msg/s; sustained (acknowledged in the {} s window) {:.0} msg/s; ramp {:.1} s",
        r["offered_msgs_per_s"].as_f64().unwrap_or(0.0),
        r["duration_s"],
        r["sustained_acked_msgs_per_s"].as_f64().unwrap_or(0.0),
        r["ramp_s"].as_f64().unwrap_or(0.0)
    );
    l("send → agent console", &r["latency_send_to_agent"]);
    if targets.len() > 1 {
        l(
            "  of which across instances",
            &r["latency_send_to_agent_cross_instance"],
        );
    }
    l(
        "send → supervisor console",
        &r["latency_send_to_supervisor"],
    );
    l("send → ack", &r["latency_send_to_ack"]);
    let images = &r["image_uploads"];
    if images["every"].as_u64().unwrap_or(0) > 0 {
        l("image upload → stored", &images["latency_upload"]);
        println!(
            "  images of {} KiB stored {} (errors {}) {}",
            images["kib"], images["stored"], images["errors"], images["error_samples"]
        );
    }
    if r["agent_replies"].as_u64().unwrap_or(0) > 0 {
        l("agent reply round trip", &r["latency_agent_reply"]);
        println!(
            "  agent replies {} (errors {})",
            r["agent_replies"], r["agent_reply_errors"]
        );
    }
    if r["bot"]["every"].as_u64().unwrap_or(0) > 0 {
        l("send → bot answer", &r["bot"]["latency_send_to_bot_answer"]);
        println!(
            "  bot visitors {} asked {} answered {} (knowledge base of {})",
            r["bot"]["visitors"], r["bot"]["asked"], r["bot"]["answered"], r["bot"]["entries"]
        );
    }
    let billing = &r["billing"];
    if billing.is_object() {
        l("billing request (usages)", &billing["latency_request"]);
        println!(
            "  billed {} ({:.0}/s of {}/s asked) refused {} errors {} {}",
            billing["billed"],
            billing["billed_per_s"].as_f64().unwrap_or(0.0),
            billing["per_second"],
            billing["refused"],
            billing["errors"],
            billing["error_samples"]
        );
    }
    println!(
        "  sent {} acked {} lost {} duplicated {} not-at-agent {} not-at-supervisor {} unacked {}",
        r["sent"],
        r["acked"],
        r["lost"],
        r["duplicated"],
        r["not_delivered_to_agent"],
        r["not_delivered_to_supervisor"],
        r["unacknowledged"]
    );
    println!(
        "  errors {} take errors {} console resyncs {} consultations per agent {}",
        r["errors"], r["take_errors"], r["console_resyncs"], r["consultations_per_agent"]
    );
    let kill = &r["kill"];
    if kill.is_object() {
        if kill["killed"] == true {
            println!(
                "  killed process {} at {:.2} s into the measured run",
                kill["pid"],
                kill["at_s"].as_f64().unwrap_or(0.0)
            );
        } else {
            println!(
                "  could not kill process {}: {}",
                kill["pid"], kill["error"]
            );
        }
    }
    let f = &r["failover"];
    let ms = |v: &Value| {
        v.as_f64()
            .map_or_else(|| "-".to_owned(), |v| format!("{v:.0} ms"))
    };
    println!(
        "  reconnects: visitors {} consoles {} Kakao {}; back within p99 {} max {}; re-sent {} caught up {} (gaps read back {})",
        f["visitor_reconnects"],
        f["console_reconnects"],
        f["kakao_reconnects"],
        ms(&f["back_within"]["p99_ms"]),
        ms(&f["back_within"]["max_ms"]),
        f["resent"],
        f["caught_up"],
        f["gaps_read_back"]
    );
    println!("  server RSS (MiB) {}", r["server_rss_mib"]);
    if r["server_rss_mib_each"]
        .as_array()
        .is_some_and(|each| each.len() > 1)
    {
        println!("  each server's RSS (MiB) {}", r["server_rss_mib_each"]);
    }
    if let Some(e) = r["error_samples"].as_array()
        && !e.is_empty()
    {
        println!("  first errors: {}", r["error_samples"]);
    }
}

fn main() -> std::process::ExitCode {
    let args = Args::parse();
    let json_out = args.json;
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    match rt.block_on(run(args)) {
        Ok(report) => {
            if json_out {
                println!("{report}");
            } else {
                print_text(&report);
            }
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn several_targets_by_repeating_the_flag_or_with_commas() {
        let a = Args::try_parse_from([
            "sangdam-load",
            "--target",
            "http://127.0.0.1:8081,http://127.0.0.1:8082",
            "--target",
            "http://localhost:8083/",
        ])
        .unwrap();
        assert_eq!(a.targets.len(), 3);
        let checked = check_targets(&a.targets).unwrap();
        assert_eq!(
            checked,
            [
                "http://127.0.0.1:8081",
                "http://127.0.0.1:8082",
                "http://localhost:8083"
            ]
        );
        let a = Args {
            targets: checked,
            ..a
        };
        assert_eq!(a.first(), "http://127.0.0.1:8081");
        assert_eq!(a.target(4), "http://127.0.0.1:8082");
        // One target, as before.
        let one =
            Args::try_parse_from(["sangdam-load", "--target", "http://127.0.0.1:8080"]).unwrap();
        assert_eq!(one.targets, ["http://127.0.0.1:8080"]);
        assert!(Args::try_parse_from(["sangdam-load"]).is_err());
    }

    #[test]
    fn targets_are_loopback_only() {
        assert!(check_targets(&["http://10.0.0.1:8080".to_owned()]).is_err());
        assert!(check_targets(&["https://127.0.0.1:8080".to_owned()]).is_err());
        assert!(
            check_targets(&[
                "http://127.0.0.1:1".to_owned(),
                "http://example.com".to_owned()
            ])
            .is_err()
        );
        assert!(check_targets(&[]).is_err());
    }

    #[test]
    fn kill_flags_go_together_and_server_pids_repeat() {
        let base = ["sangdam-load", "--target", "http://127.0.0.1:1"];
        let with = |extra: &[&str]| Args::try_parse_from(base.iter().chain(extra));
        assert!(with(&["--kill-pid", "42"]).is_err());
        assert!(with(&["--kill-after", "3"]).is_err());
        let a = with(&["--kill-pid", "42", "--kill-after", "3.5"]).unwrap();
        assert_eq!((a.kill_pid, a.kill_after), (Some(42), Some(3.5)));
        let a = with(&["--server-pid", "7", "--server-pid", "8"]).unwrap();
        assert_eq!(a.server_pids, [7, 8]);
    }

    #[test]
    fn a_frame_gives_its_message_and_room_sequence() {
        let frame = r#"{"type":"ack","message":{"id":900,"room_id":12,"seq":41,"consultation_id":5,"sender":"customer","body":"lg:3:7:123456 안녕하세요","client_msg_id":"lg-3-7"}}"#;
        assert_eq!(
            message_fields(frame),
            Some(Fields {
                key: key(3, 7),
                sent: 123_456,
                consultation: 5,
                room: 12
            })
        );
        assert_eq!(room_seq(frame), Some((12, 41)));
        // An agent's answer: no loader fields, but its place in the room.
        let reply = r#"{"type":"message","message":{"id":901,"room_id":12,"seq":42,"consultation_id":5,"body":"re:1 확인했습니다"}}"#;
        assert_eq!(message_fields(reply), None);
        assert_eq!(room_seq(reply), Some((12, 42)));
        // A record read from the store.
        let record: Value = serde_json::from_str(
            r#"{"id":900,"room_id":12,"seq":41,"consultation_id":5,"body":"lg:3:7:123456 x"}"#,
        )
        .unwrap();
        assert_eq!(record_fields(&record), message_fields(frame));
    }

    #[test]
    fn memory_figures_sum_the_processes_that_are_there() {
        assert_eq!(sum_present(&[Some(1024), None, Some(2048)]), Some(3072));
        assert_eq!(sum_present(&[None, None]), None);
        let points = [(5, Some(1024)), (20, Some(3072)), (30, None)];
        let f = rss_figures(Some(512), &points, 10);
        assert_eq!(f["before"], 0.5);
        assert_eq!(f["mean_in_window"], 3.0);
        assert_eq!(f["max"], 3.0);
        assert!(rss_figures(None, &[], 0)["max"].is_null());
    }
}
