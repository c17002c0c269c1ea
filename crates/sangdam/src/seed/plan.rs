//! The made-up consultations of `sangdam seed`, as rows: a pure function of the seed, the end
//! of the period and what the database already holds (its largest ids, the site's agents and
//! categories). The same inputs give the same rows, batch by batch.
//!
//! Customers are made one after another: a profile, one room on one channel, and 1 to 8
//! consultations (about 2 on average) in that room. The period is cut into as many equal
//! slots as the customer has consultations and each consultation lies inside its own slot, so a
//! room's consultations never overlap and only its last one can still be open. Start times
//! favour weekdays and office hours in Asia/Seoul; open consultations are the recent ones.
//! Consultations' ids follow their creation time, as on a live desk where a consultation gets
//! its id when it opens (the rows are made once beforehand to learn that order), so the
//! database's layout is the one a desk's own history would have.

use inflow::{Custom, Slot};
use store::{
    SeedAgent, SeedBatch, SeedCategory, SeedConsultation, SeedMessage, SeedProfile, SeedRoom,
    SeedStart, Sender,
};

const SECOND: i64 = 1000;
const MINUTE: i64 = 60 * SECOND;
const HOUR: i64 = 60 * MINUTE;
pub const DAY: i64 = 24 * HOUR;
/// Asia/Seoul is UTC+9 all year (no daylight saving).
const SEOUL: i64 = 9 * HOUR;

/// How many agents a seeded site has.
pub const AGENTS: usize = 20;
/// What an agent's password hash is: not a PHC string, so no password ever verifies against it.
pub const NO_PASSWORD: &str = "!seed";
/// The share of a customer's last consultation left open: about a tenth of all consultations
/// (a customer has about two).
const LAST_OPEN: f64 = 0.2;

/// The login of seeded agent `n` (1-based) of `site`: logins are unique across sites.
pub fn agent_login(site: i64, n: usize) -> String {
    format!("seed-agent-{n:02}@{site}")
}

/// The `LIKE` pattern of [`agent_login`]s of `site`.
pub fn agent_logins(site: i64) -> String {
    format!("seed-agent-%@{site}")
}

/// The custom slots seeding fills, with the descriptions it gives them when off.
pub const SLOTS: [(u8, &str); 3] = [(1, "유입경로"), (2, "상품번호"), (3, "회원등급")];

/// splitmix64: small, fast, and the same on every platform.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x5EED_5A9D_A3C0_FFEE)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform in [0, n); 0 when n is 0.
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            0
        } else {
            // The bias of a plain modulo is below 2^-40 for the ranges used here.
            self.next_u64() % n
        }
    }

    /// Uniform in [lo, hi]; `lo` when the range is empty.
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        if hi <= lo {
            return lo;
        }
        let span = u64::try_from(hi - lo).unwrap_or(u64::MAX).saturating_add(1);
        lo.saturating_add(i64::try_from(self.below(span)).unwrap_or(0))
    }

    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        let i = usize::try_from(self.below(items.len() as u64)).unwrap_or(0);
        &items[i.min(items.len().saturating_sub(1))]
    }

    /// An index into `weights` with probability proportional to its weight.
    pub fn weighted(&mut self, weights: &[f64]) -> usize {
        let total: f64 = weights.iter().sum();
        let mut x = self.unit() * total;
        for (i, w) in weights.iter().enumerate() {
            if x < *w {
                return i;
            }
            x -= w;
        }
        weights.len().saturating_sub(1)
    }
}

/// Consultations per batch when finding their places in time.
const BATCH_FOR_PLACES: usize = 10_000;

/// What to make.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Config {
    pub site: i64,
    pub consultations: u64,
    pub days: u32,
    pub seed: u64,
    /// The end of the period, ms since the epoch.
    pub until: i64,
}

impl Config {
    fn start(&self) -> i64 {
        self.until - i64::from(self.days) * DAY
    }
}

/// A category consultations are filed under, with its used divisions.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Category {
    id: i64,
    divisions: Vec<i64>,
}

/// The rows seeding makes, batch by batch.
#[derive(Debug)]
pub struct Plan {
    config: Config,
    rng: Rng,
    /// Agents and categories to create, handed out with the first batch.
    setup: Option<(Vec<SeedAgent>, Vec<SeedCategory>)>,
    /// The agents consultations go to: (id, number of their display name).
    agents: Vec<(i64, usize)>,
    categories: Vec<Category>,
    next_profile: i64,
    next_room: i64,
    /// The id of the first consultation made.
    first_consultation: i64,
    /// Consultations made so far, whatever their ids.
    consultations_made: usize,
    /// Per consultation in the order they are made, its place in creation time: ids follow
    /// creation time, as on a live desk (consultations get ids as they open), while customers
    /// are made one after another. Empty: ids in the order made.
    places: Vec<i64>,
    next_message: i64,
    /// The last number given in the current customer's room.
    room_seq: i64,
    made: u64,
}

#[rustfmt::skip]
const AGENT_NAMES: [&str; AGENTS] = [
    "김민지", "이서준", "박지우", "최도윤", "정하은", "강예준", "조수아", "윤시우", "장서연", "임주원", "한지민", "오건우", "서유나",
    "신현우", "권다인", "황준서", "안채원", "송민재", "류지아", "홍승현",
];

const TREE: [(&str, &[&str]); 4] = [
    ("배송", &["지연", "분실"]),
    ("환불", &["단순변심", "불량"]),
    ("회원", &["로그인", "정보변경"]),
    ("기타", &[]),
];

impl Plan {
    pub fn new(config: Config, start: &SeedStart) -> Plan {
        let setup_at = config.start() - DAY;
        let mut next_agent = start.max_ids.agents + 1;
        let mut new_agents = Vec::new();
        let mut agents = Vec::new();
        for n in 1..=AGENTS {
            let login = agent_login(config.site, n);
            let id = match start.agents.iter().find(|(_, l)| *l == login) {
                Some((id, _)) => *id,
                None => {
                    let id = next_agent;
                    next_agent += 1;
                    new_agents.push(SeedAgent {
                        id,
                        login,
                        password_hash: NO_PASSWORD.to_owned(),
                        display_name: AGENT_NAMES[n - 1].to_owned(),
                        created_at: setup_at,
                    });
                    id
                }
            };
            agents.push((id, n - 1));
        }

        let mut new_categories = Vec::new();
        let mut categories = Vec::new();
        if start.categories.is_empty() {
            let mut next = start.max_ids.categories + 1;
            for (position, (name, divisions)) in (0i64..).zip(TREE) {
                let id = next;
                next += 1;
                new_categories.push(SeedCategory {
                    id,
                    parent_id: None,
                    name: name.to_owned(),
                    position,
                    created_at: setup_at,
                });
                let mut ids = Vec::new();
                for (position, division) in (0i64..).zip(divisions.iter()) {
                    ids.push(next);
                    new_categories.push(SeedCategory {
                        id: next,
                        parent_id: Some(id),
                        name: (*division).to_owned(),
                        position,
                        created_at: setup_at,
                    });
                    next += 1;
                }
                categories.push(Category { id, divisions: ids });
            }
        } else {
            for (id, parent, used) in &start.categories {
                if parent.is_none() && *used {
                    let divisions = start
                        .categories
                        .iter()
                        .filter(|(_, p, u)| *p == Some(*id) && *u)
                        .map(|(d, _, _)| *d)
                        .collect();
                    categories.push(Category { id: *id, divisions });
                }
            }
        }

        let mut plan = Plan {
            config,
            rng: Rng::new(config.seed),
            setup: Some((new_agents, new_categories)),
            agents,
            categories,
            next_profile: start.max_ids.profiles + 1,
            next_room: start.max_ids.rooms + 1,
            first_consultation: start.max_ids.consultations + 1,
            consultations_made: 0,
            places: Vec::new(),
            next_message: start.max_ids.messages + 1,
            room_seq: 0,
            made: 0,
        };
        plan.places = plan.creation_places();
        plan
    }

    /// Each consultation's place in creation time (ties in the order made), found by making
    /// every row once beforehand: the rows do not depend on the ids, only on the random draws.
    fn creation_places(&self) -> Vec<i64> {
        let mut dry = Plan {
            config: self.config,
            rng: Rng::new(self.config.seed),
            setup: None,
            agents: self.agents.clone(),
            categories: self.categories.clone(),
            next_profile: self.next_profile,
            next_room: self.next_room,
            first_consultation: self.first_consultation,
            consultations_made: 0,
            places: Vec::new(),
            next_message: self.next_message,
            room_seq: 0,
            made: 0,
        };
        let mut created = Vec::new();
        while let Some(batch) = dry.next_batch(BATCH_FOR_PLACES) {
            created.extend(batch.consultations.iter().map(|c| c.created_at));
        }
        let mut order: Vec<usize> = (0..created.len()).collect();
        order.sort_by_key(|&i| (created[i], i));
        let mut places = vec![0i64; order.len()];
        for (place, &i) in (0i64..).zip(&order) {
            places[i] = place;
        }
        places
    }

    /// Consultations made so far.
    pub fn made(&self) -> u64 {
        self.made
    }

    /// The next batch, of about `size` consultations (whole customers, so a few more), or
    /// `None` when all are made. The first one also holds the agents and categories to create.
    pub fn next_batch(&mut self, size: usize) -> Option<SeedBatch> {
        let setup = self.setup.take();
        if self.made >= self.config.consultations && setup.is_none() {
            return None;
        }
        let mut batch = SeedBatch::default();
        if let Some((agents, categories)) = setup {
            batch.agents = agents;
            batch.categories = categories;
        }
        while self.made < self.config.consultations && batch.consultations.len() < size {
            self.customer(&mut batch);
        }
        Some(batch)
    }

    /// One customer: a profile, a room, and their consultations.
    fn customer(&mut self, batch: &mut SeedBatch) {
        let cfg = self.config;
        let rng = &mut self.rng;
        let left = cfg.consultations - self.made;
        let k = [1u64, 2, 3, 4, 5, 6, 8][rng.weighted(&[50.0, 25.0, 13.0, 7.0, 3.0, 1.5, 0.5])]
            .min(left);
        self.made += k;

        let profile_id = self.next_profile;
        self.next_profile += 1;
        let room_id = self.next_room;
        self.next_room += 1;
        self.room_seq = 0;

        let (platform, channel) = [
            ("webchat", "webchat_v2"),
            ("webchat", "webchat_v1"),
            ("kakao", "kakao"),
            ("naver", "naver"),
        ][rng.weighted(&[45.0, 10.0, 30.0, 15.0])];
        let site_uid = rng.chance(0.5).then(|| format!("member{profile_id:07}"));
        let name = format!(
            "{}{}{}",
            rng.pick(&SURNAMES),
            rng.pick(&GIVEN),
            rng.pick(&GIVEN)
        );
        let phone = format!("010-{:04}-{:04}", rng.below(10_000), rng.below(10_000));
        let email = rng.chance(0.4).then(|| {
            format!(
                "{}{}@{}",
                rng.pick(&HANDLES),
                rng.below(1000),
                rng.pick(&DOMAINS)
            )
        });
        // Unique by the room's id; shaped like what each platform sends.
        let customer_key = match (platform, &site_uid) {
            ("webchat", Some(uid)) => format!("{}_{uid}", cfg.site),
            ("webchat", None) => format!("v-{:016x}{room_id:016x}", rng.next_u64()),
            ("kakao", _) => format!("{:012x}{room_id:010x}", rng.next_u64() >> 16),
            _ => format!("w{:08x}{room_id:08x}", rng.next_u64() >> 32),
        };

        let start = cfg.start();
        let len = (cfg.until - start).max(1);
        let slot = len / i64::try_from(k.max(1)).unwrap_or(1);
        let mut first_created = None;
        for i in 0..k {
            let i = i64::try_from(i).unwrap_or(0);
            let lo = start + i * slot;
            let hi = if i + 1 == i64::try_from(k).unwrap_or(0) {
                cfg.until
            } else {
                lo + slot
            };
            let open = i + 1 == i64::try_from(k).unwrap_or(0) && self.rng.chance(LAST_OPEN);
            let created = self.consultation(batch, room_id, channel, lo, hi, open);
            first_created.get_or_insert(created);
        }
        let created_at = first_created.unwrap_or(start) - self.rng.range(SECOND, 30 * SECOND);
        batch.profiles.push(SeedProfile {
            id: profile_id,
            site_uid,
            name,
            phone,
            email,
            created_at,
        });
        batch.rooms.push(SeedRoom {
            id: room_id,
            platform,
            channel,
            customer_key,
            profile_id,
            created_at,
        });
    }

    /// One consultation of `room` inside [lo, hi): its row and its messages. Answers its start.
    fn consultation(
        &mut self,
        batch: &mut SeedBatch,
        room: i64,
        channel: &'static str,
        lo: i64,
        hi: i64,
        open: bool,
    ) -> i64 {
        let until = self.config.until;
        let made = self.consultations_made;
        self.consultations_made += 1;
        let place = self
            .places
            .get(made)
            .copied()
            .unwrap_or_else(|| i64::try_from(made).unwrap_or(i64::MAX));
        let id = self.first_consultation + place;
        let rng = &mut self.rng;

        let kind = if open {
            if rng.chance(0.4) {
                Kind::Waiting
            } else {
                Kind::InProgress
            }
        } else {
            match rng.weighted(&[72.0, 14.0, 10.0, 2.5, 1.5]) {
                0 => Kind::Closed("agent"),
                1 => Kind::Closed("customer"),
                2 => Kind::Closed("auto_close"),
                3 => Kind::Refused("over_capacity"),
                _ => Kind::Refused("off_hours"),
            }
        };
        let (agent, agent_name) = {
            let i = (self.agents.len() as f64 * rng.unit().powf(1.3)) as usize;
            let (id, name) = self.agents[i.min(self.agents.len() - 1)];
            (id, AGENT_NAMES[name % AGENTS])
        };

        // Offsets from the start, in ms; senders of the messages.
        let mut t = Times::default();
        let mut senders: Vec<Sender> = Vec::new();
        match kind {
            Kind::Refused(_) => {
                t.messages = vec![0, SECOND];
                senders = vec![Sender::Customer, Sender::System];
                t.closed = Some(SECOND);
            }
            Kind::Waiting => {
                let n = rng.range(1, 3);
                let mut at = 0;
                for _ in 0..n {
                    t.messages.push(at);
                    senders.push(Sender::Customer);
                    at += rng.range(5 * SECOND, 2 * MINUTE);
                }
            }
            Kind::InProgress | Kind::Closed(_) => {
                let wait = rng.range(10 * SECOND, 15 * MINUTE);
                t.assigned = Some(wait);
                let answered = !matches!(kind, Kind::InProgress) || rng.chance(0.85);
                if answered {
                    let first = wait + rng.range(5 * SECOND, 5 * MINUTE);
                    t.first_response = Some(first);
                    let n = 4 + (27.0 * rng.unit().powf(1.5)) as i64;
                    t.messages.push(rng.range(0, 10 * SECOND).min(wait));
                    senders.push(Sender::Customer);
                    let mut at = first;
                    for j in 1..n.min(30) {
                        if j > 1 {
                            at += rng.range(10 * SECOND, 3 * MINUTE);
                        }
                        t.messages.push(at);
                        senders.push(if j % 2 == 1 {
                            Sender::Agent
                        } else {
                            Sender::Customer
                        });
                    }
                } else {
                    t.messages.push(0);
                    senders.push(Sender::Customer);
                }
                if let Kind::Closed(end) = kind {
                    let last = t.messages.last().copied().unwrap_or(0);
                    let after = if end == "auto_close" {
                        rng.range(10 * MINUTE, 30 * MINUTE)
                    } else {
                        rng.range(5 * SECOND, 2 * MINUTE)
                    };
                    let closed = last + after;
                    t.closed = Some(closed);
                    if rng.chance(0.3) {
                        t.rated = Some(closed + rng.range(5 * SECOND, 10 * MINUTE));
                    }
                }
            }
        }

        // Where it starts: closed ones anywhere in their slot (ending inside it); open ones
        // recently, so that they are still going at the end of the period.
        let span = t.span();
        let created = match kind {
            Kind::Waiting => until - span - rng.range(10 * SECOND, 15 * MINUTE),
            Kind::InProgress => until - span - rng.range(5 * SECOND, 6 * HOUR),
            Kind::Refused("off_hours") => off_hours_time(rng, lo, hi),
            _ => office_time(rng, lo, hi),
        };
        let last = hi - 1;
        let created = if created + span > last {
            (last - span).max(lo)
        } else {
            created.max(lo)
        };
        // A slot too short for the conversation squeezes it (keeping its order).
        if span > 0 && created + span > last {
            t.scale((last - created).max(0), span);
        }
        let at = |o: i64| (created + o).min(until);
        let custom = custom(rng);
        let user_parameter = rng
            .chance(0.25)
            .then(|| format!("ORD-{}", 20_000_000 + rng.below(80_000_000)));
        let (category_id, division_id) = if rng.chance(0.7) && !self.categories.is_empty() {
            let c = rng.pick(&self.categories);
            let division =
                (!c.divisions.is_empty() && rng.chance(0.8)).then(|| *rng.pick(&c.divisions));
            (Some(c.id), division)
        } else {
            (None, None)
        };
        let with_agent = t.assigned.is_some();
        let (rating, rating_comment) = match t.rated {
            Some(_) => {
                let score = [5, 4, 3, 2, 1][rng.weighted(&[50.0, 28.0, 12.0, 5.0, 5.0])];
                let comment = rng
                    .chance(0.4)
                    .then(|| (*rng.pick(comments(score))).to_owned());
                (Some(score), comment)
            }
            None => (None, None),
        };
        let (state, end_type, closed_by) = match kind {
            Kind::Waiting => (0, None, None),
            Kind::InProgress => (1, None, None),
            Kind::Closed(end) => (2, Some(end), (end == "agent").then_some(agent)),
            Kind::Refused(end) => (2, Some(end), None),
        };

        let n = senders.len();
        let message_count = (state == 2).then_some(n as i64);
        for (j, (sender, offset)) in senders.into_iter().zip(&t.messages).enumerate() {
            let created_at = at(*offset);
            let body = match sender {
                Sender::Customer if j == 0 => (*rng.pick(&OPENING)).to_owned(),
                Sender::Customer => (*rng.pick(&CUSTOMER)).to_owned(),
                Sender::Agent if j == 1 => {
                    format!("안녕하세요, 고객님. 상담원 {agent_name}입니다. 확인해 드리겠습니다.")
                }
                Sender::Agent if j + 1 == n && state == 2 => (*rng.pick(&FAREWELL)).to_owned(),
                Sender::Agent => (*rng.pick(&AGENT)).to_owned(),
                _ => match end_type {
                    Some("off_hours") => OFF_HOURS.to_owned(),
                    _ => OVER_CAPACITY.to_owned(),
                },
            };
            let from_agent = sender == Sender::Agent;
            batch.messages.push(SeedMessage {
                id: self.next_message,
                room_id: room,
                seq: self.room_seq + 1,
                consultation_id: id,
                sender,
                agent_id: from_agent.then_some(agent),
                body,
                delivered_at: (sender != Sender::Customer).then_some(created_at),
                created_at,
            });
            self.next_message += 1;
            self.room_seq += 1;
        }

        let created_at = at(0);
        let first_response_at = t.first_response.map(at);
        let closed_at = t.closed.map(at);
        let rated_at = t.rated.map(at);
        let updated_at = [
            Some(created_at),
            t.assigned.map(at),
            first_response_at,
            t.messages.last().copied().map(at),
            closed_at,
            rated_at,
        ]
        .into_iter()
        .flatten()
        .max()
        .unwrap_or(created_at);
        batch.consultations.push(SeedConsultation {
            id,
            room_id: room,
            channel,
            state,
            end_type,
            agent_id: with_agent.then_some(agent),
            closed_by,
            category_id,
            division_id,
            user_parameter,
            custom,
            created_at,
            assigned_at: t.assigned.map(at),
            first_response_at,
            closed_at,
            updated_at,
            // What the inflow path writes: every consultation opens waiting for an agent, and
            // keeps the time it started to.
            waiting_since: Some(created_at),
            answered_at: first_response_at,
            rating,
            rating_comment,
            rated_at,
            message_count,
        });
        created_at
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Waiting,
    InProgress,
    /// Closed after a conversation with an agent, by whom the end type says.
    Closed(&'static str),
    /// Closed as it opened (over capacity, off hours), never given to an agent.
    Refused(&'static str),
}

/// A consultation's moments, as offsets from its start.
#[derive(Debug, Default)]
struct Times {
    assigned: Option<i64>,
    first_response: Option<i64>,
    messages: Vec<i64>,
    closed: Option<i64>,
    rated: Option<i64>,
}

impl Times {
    fn span(&self) -> i64 {
        [
            self.assigned,
            self.first_response,
            self.messages.last().copied(),
            self.closed,
            self.rated,
        ]
        .into_iter()
        .flatten()
        .max()
        .unwrap_or(0)
    }

    /// Every offset times `num / den` (monotone: order is kept).
    fn scale(&mut self, num: i64, den: i64) {
        let f = |o: i64| {
            i64::try_from(i128::from(o) * i128::from(num) / i128::from(den.max(1))).unwrap_or(o)
        };
        self.assigned = self.assigned.map(f);
        self.first_response = self.first_response.map(f);
        self.closed = self.closed.map(f);
        self.rated = self.rated.map(f);
        for m in &mut self.messages {
            *m = f(*m);
        }
    }
}

/// How busy a moment is, 0 to 1: weekdays and office hours (09–18) in Seoul.
pub fn busyness(t: i64) -> f64 {
    let local = t + SEOUL;
    let day = local.div_euclid(DAY);
    // 1970-01-01 was a Thursday: 0 is Monday.
    let weekday = (day + 3).rem_euclid(7);
    let hour = local.rem_euclid(DAY) / HOUR;
    let by_day = match weekday {
        5 => 0.45,
        6 => 0.3,
        _ => 1.0,
    };
    let by_hour = match hour {
        0..=6 => 0.04,
        7 | 8 => 0.25,
        12 => 0.7,
        9..=17 => 1.0,
        18..=20 => 0.35,
        _ => 0.15,
    };
    by_day * by_hour
}

/// A moment in [lo, hi) drawn by [`busyness`].
fn office_time(rng: &mut Rng, lo: i64, hi: i64) -> i64 {
    let mut t = lo;
    for _ in 0..64 {
        t = rng.range(lo, hi - 1);
        if rng.unit() < busyness(t) {
            break;
        }
    }
    t
}

/// A moment in [lo, hi) outside office hours when the range has one.
fn off_hours_time(rng: &mut Rng, lo: i64, hi: i64) -> i64 {
    let mut t = lo;
    for _ in 0..64 {
        t = rng.range(lo, hi - 1);
        if busyness(t) < 0.5 {
            break;
        }
    }
    t
}

/// The custom parameters of a consultation: `inflow::Custom` as the app stores it, a few values
/// starting with `=`, `-`, `+` or `@` (what a spreadsheet would run as a formula).
fn custom(rng: &mut Rng) -> String {
    let mut custom = Custom::new();
    let slot = |n: u8| Slot::all().find(|s| s.number() == n);
    let formula = |rng: &mut Rng| (*rng.pick(&FORMULAS)).to_owned();
    if let Some(s) = slot(1)
        && rng.chance(0.85)
    {
        let v = if rng.chance(0.03) {
            formula(rng)
        } else {
            (*rng.pick(&INFLOWS)).to_owned()
        };
        custom.insert(s, v);
    }
    if let Some(s) = slot(2)
        && rng.chance(0.6)
    {
        let v = if rng.chance(0.03) {
            formula(rng)
        } else {
            format!("P{}", 10_000 + rng.below(90_000))
        };
        custom.insert(s, v);
    }
    if let Some(s) = slot(3)
        && rng.chance(0.5)
    {
        custom.insert(s, (*rng.pick(&GRADES)).to_owned());
    }
    serde_json::to_string(&custom).unwrap_or_else(|_| "{}".to_owned())
}

fn comments(score: i64) -> &'static [&'static str] {
    if score >= 4 { &GOOD } else { &BAD }
}

#[rustfmt::skip]
const SURNAMES: [&str; 20] = [
    "김", "이", "박", "최", "정", "강", "조", "윤", "장", "임", "한", "오", "서", "신", "권", "황", "안", "송", "류",
    "홍",
];
#[rustfmt::skip]
const GIVEN: [&str; 30] = [
    "민", "서", "지", "현", "우", "준", "수", "연", "하", "은", "도", "윤", "예", "진", "영", "호", "성", "희", "재",
    "원", "승", "아", "유", "경", "혜", "태", "주", "채", "다", "빈",
];
#[rustfmt::skip]
const HANDLES: [&str; 10] = [
    "minji", "seojun", "jiwoo", "happy", "sky", "hong", "kim.j", "park_s", "lee", "sunny",
];
#[rustfmt::skip]
const DOMAINS: [&str; 5] = [
    "naver.com", "gmail.com", "daum.net", "kakao.com", "hanmail.net",
];
#[rustfmt::skip]
const INFLOWS: [&str; 8] = [
    "네이버검색", "카카오톡채널", "인스타그램광고", "구글검색", "직접방문", "이메일캠페인", "유튜브", "네이버쇼핑",
];
#[rustfmt::skip]
const FORMULAS: [&str; 5] = [
    "=1+1", "-할인", "+82-10-1234", "@SUM(A1)", "=HYPERLINK(\"x\")",
];
const GRADES: [&str; 5] = ["VIP", "골드", "실버", "일반", "신규"];

#[rustfmt::skip]
const OPENING: [&str; 10] = [
    "안녕하세요, 지난주에 주문한 상품이 아직 배송되지 않았어요.", "환불 신청하려고 하는데 어떻게 해야 하나요?",
    "로그인이 안 돼요. 비밀번호를 바꿨는데도 계속 오류가 나요.", "사이즈를 잘못 골랐는데 교환 가능할까요?", "결제는 됐는데 주문 내역에 안 보여요.",
    "쿠폰을 적용했는데 할인이 안 됐어요.", "배송지를 바꾸고 싶어요. 아직 출고 전인가요?", "받은 상품이 불량이에요. 사진 보내드릴게요.",
    "회원 정보에서 전화번호를 바꾸고 싶어요.", "포인트 적립이 누락된 것 같아요.",
];
#[rustfmt::skip]
const CUSTOMER: [&str; 12] = [
    "네, 주문번호 알려드릴게요.", "어제 오후에 주문했어요.", "언제쯤 받을 수 있을까요?", "그럼 다시 결제해야 하나요?", "네 알겠습니다.",
    "사진 첨부했어요. 확인 부탁드려요.", "혹시 오늘 안에 처리될까요?", "회원가입할 때 쓴 이메일로 했어요.", "택배사 연락처도 알 수 있을까요?",
    "아 그렇군요. 감사합니다!", "다른 방법은 없나요?", "네, 그렇게 해 주세요.",
];
#[rustfmt::skip]
const AGENT: [&str; 12] = [
    "주문번호 확인 부탁드립니다.", "확인해 보니 현재 물류센터에서 출고 대기 중입니다.", "불편을 드려 죄송합니다. 바로 처리해 드리겠습니다.",
    "환불은 영업일 기준 3~5일 안에 완료됩니다.", "잠시만 기다려 주시면 확인해 드리겠습니다.", "비밀번호 재설정 링크를 문자로 보내드렸습니다.",
    "교환 신청이 접수되었습니다. 회수 기사님이 방문할 예정입니다.", "쿠폰은 결제 단계에서 다시 적용하실 수 있습니다.", "택배사 고객센터는 1588-1255입니다.",
    "포인트는 오늘 중으로 수동 적립해 드리겠습니다.", "네, 말씀하신 내용으로 변경해 드렸습니다.", "추가로 궁금하신 점 있으실까요?",
];
#[rustfmt::skip]
const FAREWELL: [&str; 4] = [
    "이용해 주셔서 감사합니다. 좋은 하루 보내세요!", "더 궁금하신 점이 있으면 언제든 문의해 주세요. 감사합니다.", "상담을 종료하겠습니다. 감사합니다.",
    "해결되셨다니 다행입니다. 감사합니다.",
];
const OVER_CAPACITY: &str =
    "지금은 상담 대기 고객이 많아 연결이 어렵습니다. 잠시 후 다시 문의해 주세요.";
const OFF_HOURS: &str = "지금은 상담 시간이 아닙니다. 평일 09:00~18:00에 다시 문의해 주세요.";
#[rustfmt::skip]
const GOOD: [&str; 4] = [
    "친절하게 안내해 주셔서 감사합니다.", "빠르게 해결됐어요!", "설명이 자세해서 좋았어요.", "최고예요",
];
#[rustfmt::skip]
const BAD: [&str; 4] = [
    "답변이 너무 늦었어요.", "문제가 해결되지 않았어요.", "같은 말만 반복하시네요.", "연결까지 너무 오래 걸렸어요.",
];

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use std::collections::{BTreeMap, HashSet};

    use super::*;

    const UNTIL: i64 = 1_764_547_200_000; // 2025-12-01T00:00:00Z

    fn config(seed: u64, consultations: u64) -> Config {
        Config {
            site: 7,
            consultations,
            days: 30,
            seed,
            until: UNTIL,
        }
    }

    fn all(mut plan: Plan, size: usize) -> SeedBatch {
        let mut out = SeedBatch::default();
        while let Some(b) = plan.next_batch(size) {
            out.agents.extend(b.agents);
            out.categories.extend(b.categories);
            out.profiles.extend(b.profiles);
            out.rooms.extend(b.rooms);
            out.consultations.extend(b.consultations);
            out.messages.extend(b.messages);
        }
        out
    }

    #[test]
    fn the_same_seed_makes_the_same_rows_whatever_the_batches() {
        let start = SeedStart::default();
        let a = all(Plan::new(config(1, 3000), &start), 500);
        let b = all(Plan::new(config(1, 3000), &start), 97);
        assert_eq!(a, b);
        let c = all(Plan::new(config(2, 3000), &start), 500);
        assert_ne!(a.consultations, c.consultations);
    }

    #[test]
    fn counts_and_ids_follow_what_the_database_holds() {
        let mut start = SeedStart::default();
        start.max_ids.consultations = 100;
        start.max_ids.messages = 1000;
        start.max_ids.agents = 3;
        start.agents = vec![(2, agent_login(7, 1))];
        let rows = all(Plan::new(config(3, 2500), &start), 400);
        assert_eq!(rows.consultations.len(), 2500);
        assert_eq!(rows.profiles.len(), rows.rooms.len());
        assert_eq!(rows.agents.len(), AGENTS - 1);
        assert_eq!(rows.agents[0].id, 4);
        assert_eq!(rows.categories.len(), 10);
        // Ids are 101… and follow creation time, as on a live desk.
        let mut by_time: Vec<(i64, i64)> = rows
            .consultations
            .iter()
            .map(|c| (c.created_at, c.id))
            .collect();
        by_time.sort();
        let ids: Vec<i64> = by_time.iter().map(|(_, id)| *id).collect();
        assert_eq!(ids, (101..101 + 2500).collect::<Vec<i64>>());
        let mut per_message: Vec<i64> = rows.messages.iter().map(|m| m.consultation_id).collect();
        per_message.dedup();
        let made: HashSet<i64> = rows.consultations.iter().map(|c| c.id).collect();
        assert!(
            per_message.iter().all(|id| made.contains(id)),
            "messages keep their consultation"
        );
        assert_eq!(rows.messages[0].id, 1001);
        let ids: Vec<i64> = rows.messages.iter().map(|m| m.id).collect();
        assert!(ids.windows(2).all(|w| w[1] == w[0] + 1));
        // A customer has about two consultations.
        let per_room = rows.consultations.len() as f64 / rows.rooms.len() as f64;
        assert!((1.5..3.0).contains(&per_room), "{per_room}");
        let agents: HashSet<i64> = rows
            .consultations
            .iter()
            .filter_map(|c| c.agent_id)
            .collect();
        assert!(agents.contains(&2), "the agent already there is used");
    }

    #[test]
    fn states_times_and_rooms_are_consistent() {
        let rows = all(Plan::new(config(9, 5000), &SeedStart::default()), 1000);
        let start = UNTIL - 30 * DAY;
        let mut open_per_room: BTreeMap<i64, usize> = BTreeMap::new();
        let mut last_closed: BTreeMap<i64, i64> = BTreeMap::new();
        let mut closed = 0;
        let by_id: BTreeMap<i64, &SeedConsultation> =
            rows.consultations.iter().map(|c| (c.id, c)).collect();
        for c in &rows.consultations {
            assert!(c.created_at >= start && c.created_at <= UNTIL, "{c:?}");
            assert!(c.updated_at <= UNTIL && c.updated_at >= c.created_at);
            let mut t = c.created_at;
            for at in [c.assigned_at, c.first_response_at, c.closed_at, c.rated_at]
                .into_iter()
                .flatten()
            {
                assert!(at >= t && at <= UNTIL, "{c:?}");
                t = at;
            }
            assert_eq!(c.answered_at, c.first_response_at);
            match c.state {
                0 => {
                    assert!(c.agent_id.is_none() && c.end_type.is_none() && c.closed_at.is_none());
                    *open_per_room.entry(c.room_id).or_default() += 1;
                    let waited = UNTIL - c.created_at;
                    assert!(waited <= 15 * MINUTE + 3 * 2 * MINUTE, "{waited}");
                }
                1 => {
                    assert!(c.agent_id.is_some() && c.assigned_at.is_some());
                    assert!(c.closed_at.is_none() && c.end_type.is_none());
                    *open_per_room.entry(c.room_id).or_default() += 1;
                }
                2 => {
                    closed += 1;
                    assert!(c.closed_at.is_some() && c.end_type.is_some());
                    if c.end_type == Some("agent") {
                        assert_eq!(c.closed_by, c.agent_id);
                    } else {
                        assert_eq!(c.closed_by, None);
                    }
                    if let Some(rating) = c.rating {
                        assert!(c.agent_id.is_some());
                        assert!((1..=5).contains(&rating));
                    }
                    // The next one of the room starts after this one ended.
                    if let Some(prev) = last_closed.insert(c.room_id, c.closed_at.unwrap()) {
                        assert!(prev <= c.created_at);
                    }
                }
                s => panic!("state {s}"),
            }
            if let (Some(a), Some(f)) = (c.assigned_at, c.first_response_at) {
                assert!((5 * SECOND..=5 * MINUTE).contains(&(f - a)) || f == UNTIL);
                assert!(a - c.created_at <= 15 * MINUTE);
            }
            let custom: Custom = serde_json::from_str(&c.custom).unwrap();
            assert!(custom.keys().all(|s| s.number() <= 3));
        }
        assert!(open_per_room.values().all(|n| *n == 1));
        let share = f64::from(closed) / rows.consultations.len() as f64;
        assert!((0.85..0.95).contains(&share), "{share}");
        for m in &rows.messages {
            let c = by_id[&m.consultation_id];
            assert_eq!(m.room_id, c.room_id);
            assert!(m.created_at >= c.created_at);
            assert!(m.created_at <= c.closed_at.unwrap_or(UNTIL));
            assert_eq!(m.agent_id.is_some(), m.sender == Sender::Agent);
            if m.sender == Sender::Agent {
                assert_eq!(m.agent_id, c.agent_id);
            }
        }
        let messages = rows.messages.len() as f64 / rows.consultations.len() as f64;
        assert!((8.0..20.0).contains(&messages), "{messages}");
        let keys: HashSet<&str> = rows.rooms.iter().map(|r| r.customer_key.as_str()).collect();
        assert_eq!(keys.len(), rows.rooms.len());
    }

    #[test]
    fn weekdays_in_office_hours_are_busiest() {
        let rows = all(Plan::new(config(5, 5000), &SeedStart::default()), 5000);
        let office = rows
            .consultations
            .iter()
            .filter(|c| busyness(c.created_at) >= 0.7)
            .count();
        assert!(office * 2 > rows.consultations.len(), "{office}");
        // 2025-12-01 09:00 KST is a Monday at 00:00 UTC.
        assert_eq!(busyness(UNTIL), 1.0);
        // Sunday 23:00 and 04:00.
        assert_eq!(busyness(UNTIL - 10 * HOUR), 0.15 * 0.3);
        assert_eq!(busyness(UNTIL - 29 * HOUR), 0.04 * 0.3);
    }
}
