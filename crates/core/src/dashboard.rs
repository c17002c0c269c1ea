//! The report dashboard's figures (R7.3), worked out from one fact per consultation: inflow per
//! channel per day, waiting and first-response times per day as medians and 90th percentiles
//! (never only means), and counts per category, per agent and per satisfaction score.
//!
//! Days are the site's: an instant belongs to the local date its time zone shows, also across
//! a change of offset. Percentiles are exact (nearest rank over the day's values).

use std::collections::{BTreeMap, HashMap};

use inflow::Channel;
use jiff::Timestamp;
use jiff::civil::Date;
use serde::Serialize;

use crate::hours::Zone;
use crate::ids::{AgentId, CategoryId};

/// What the dashboard needs of one consultation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fact {
    pub created_at: i64,
    pub channel: Channel,
    /// From creation to an agent taking it (none: never taken).
    pub waited_ms: Option<i64>,
    /// From creation to the first answer (none: never answered).
    pub first_response_ms: Option<i64>,
    pub category_id: Option<CategoryId>,
    pub agent_id: Option<AgentId>,
    pub rating: Option<i64>,
}

/// The median and the 90th percentile of some durations, with how many there were.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Spread {
    pub count: u64,
    /// Milliseconds; none when there were no values.
    pub median_ms: Option<i64>,
    pub p90_ms: Option<i64>,
}

impl Spread {
    /// The spread of `values` (sorted in place).
    pub fn of(values: &mut [i64]) -> Spread {
        values.sort_unstable();
        Spread {
            count: values.len() as u64,
            median_ms: nearest_rank(values, 50),
            p90_ms: nearest_rank(values, 90),
        }
    }
}

/// The `pct`th percentile of sorted `values` by nearest rank: the smallest value with at least
/// `pct`% of the values at or below it.
pub fn nearest_rank(sorted: &[i64], pct: u32) -> Option<i64> {
    if sorted.is_empty() {
        return None;
    }
    let n = sorted.len();
    // ceil(pct / 100 × n), at least 1.
    let rank = (n * pct as usize).div_ceil(100).max(1);
    sorted.get(rank - 1).copied()
}

/// One local day's figures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Day {
    pub date: Date,
    /// Consultations created that day, per channel (every channel, zero included).
    pub inflow: BTreeMap<Channel, u64>,
    pub waiting: Spread,
    pub first_response: Spread,
}

/// Everything the dashboard shows.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Figures {
    /// Every day of the period in order, days without consultations included.
    pub days: Vec<Day>,
    /// Over the whole period.
    pub waiting: Spread,
    pub first_response: Spread,
    /// Consultations per category (`None`: unclassified), most first.
    pub categories: Vec<(Option<CategoryId>, u64)>,
    /// Consultations per agent who held them (`None`: nobody), most first.
    pub agents: Vec<(Option<AgentId>, u64)>,
    /// Ratings per score, 1 to 5.
    pub scores: [u64; 5],
    /// Consultations without a rating.
    pub unrated: u64,
}

/// The local date of instants, remembering the offset of the last quarter hour asked (every
/// offset the time-zone database holds is a multiple of 15 minutes, and changes happen on
/// such a boundary), so a million instants cost a million divisions, not a million lookups.
struct Days<'a> {
    zone: &'a Zone,
    quarter: i64,
    offset_ms: i64,
    /// The last local day worked out, as days since 1970-01-01, and its date.
    last: Option<(i64, Date)>,
}

const QUARTER_MS: i64 = 15 * 60_000;
const DAY_MS: i64 = 86_400_000;

impl<'a> Days<'a> {
    fn new(zone: &'a Zone) -> Self {
        Days {
            zone,
            quarter: i64::MIN,
            offset_ms: 0,
            last: None,
        }
    }

    fn of(&mut self, ms: i64) -> Option<Date> {
        let quarter = ms.div_euclid(QUARTER_MS);
        if quarter != self.quarter {
            let at = Timestamp::from_millisecond(ms).ok()?;
            self.offset_ms = i64::from(self.zone.time_zone().to_offset(at).seconds()) * 1000;
            self.quarter = quarter;
        }
        let local_days = (ms + self.offset_ms).div_euclid(DAY_MS);
        if let Some((n, date)) = self.last
            && n == local_days
        {
            return Some(date);
        }
        let date = Date::constant(1970, 1, 1)
            .checked_add(jiff::Span::new().try_days(local_days).ok()?)
            .ok()?;
        self.last = Some((local_days, date));
        Some(date)
    }
}

/// What one local day gathers before its figures are worked out.
#[derive(Default)]
struct Gathered {
    inflow: [u64; Channel::ALL.len()],
    waits: Vec<i64>,
    responses: Vec<i64>,
}

/// The place of `channel` in [`Channel::ALL`].
fn channel_index(channel: Channel) -> usize {
    match channel {
        Channel::Kakao => 0,
        Channel::WebchatV1 => 1,
        Channel::WebchatV2 => 2,
        Channel::Naver => 3,
    }
}

/// The number of the quarter hour (since 1970, in UTC) instant `ms` lies in. Every offset the
/// time-zone database gives since 1979 is a whole number of quarter hours and changes on such
/// a boundary (earlier, a few zones kept odd local-mean-time offsets, such as Monrovia's
/// −0:44:30 until 1972), so a quarter hour lies within one local day, whatever the zone.
pub fn quarter_of(ms: i64) -> i64 {
    ms.div_euclid(QUARTER_MS)
}

/// What the consultations of a quarter hour (see [`quarter_of`]) bring to their day.
#[derive(Debug, Clone)]
struct Quarter {
    number: i64,
    inflow: [u64; Channel::ALL.len()],
    waits: Vec<i64>,
    responses: Vec<i64>,
}

/// What the dashboard gathers of its consultations, one at a time, before the figures are
/// worked out: per quarter hour of creation, the inflow per channel and every waiting and
/// first-response time (so the days' medians and 90th percentiles stay exact in any time
/// zone); over the period, the counts per category, agent and score. Consultations may come
/// in any order (a database hands them in the order they lie in its table), and tallies of
/// parts of a period may be merged.
#[derive(Debug, Default, Clone)]
pub struct Tally {
    /// Each quarter hour once, in the order they first came.
    quarters: Vec<Quarter>,
    /// Where each quarter hour lies in `quarters`.
    places: HashMap<i64, usize>,
    /// The place of the quarter hour last added to.
    last: usize,
    categories: BTreeMap<Option<CategoryId>, u64>,
    agents: BTreeMap<Option<AgentId>, u64>,
    scores: [u64; 5],
    unrated: u64,
}

impl Tally {
    /// The gathering of quarter hour `number`, made when it is the first.
    fn quarter(&mut self, number: i64) -> &mut Quarter {
        let at = match self.quarters.get(self.last) {
            Some(q) if q.number == number => self.last,
            _ => *self.places.entry(number).or_insert_with(|| {
                self.quarters.push(Quarter {
                    number,
                    inflow: [0; Channel::ALL.len()],
                    waits: Vec::new(),
                    responses: Vec::new(),
                });
                self.quarters.len() - 1
            }),
        };
        self.last = at;
        &mut self.quarters[at]
    }

    /// One consultation.
    pub fn add(&mut self, f: Fact) {
        let q = self.quarter(quarter_of(f.created_at));
        q.inflow[channel_index(f.channel)] += 1;
        q.waits.extend(f.waited_ms);
        q.responses.extend(f.first_response_ms);
        *self.categories.entry(f.category_id).or_default() += 1;
        *self.agents.entry(f.agent_id).or_default() += 1;
        match f.rating {
            Some(s @ 1..=5) => self.scores[(s - 1) as usize] += 1,
            _ => self.unrated += 1,
        }
    }

    /// Everything `other` gathered, added to this.
    pub fn merge(&mut self, other: Tally) {
        for theirs in other.quarters {
            let mine = self.quarter(theirs.number);
            for (all, k) in mine.inflow.iter_mut().zip(theirs.inflow) {
                *all += k;
            }
            mine.waits.extend(theirs.waits);
            mine.responses.extend(theirs.responses);
        }
        for (c, k) in other.categories {
            *self.categories.entry(c).or_default() += k;
        }
        for (a, k) in other.agents {
            *self.agents.entry(a).or_default() += k;
        }
        for (mine, k) in self.scores.iter_mut().zip(other.scores) {
            *mine += k;
        }
        self.unrated += other.unrated;
    }

    /// The figures in `zone`, each day from `from` to `to` (inclusive; when absent, the first
    /// and last days with a consultation).
    pub fn figures(mut self, zone: &Zone, from: Option<Date>, to: Option<Date>) -> Figures {
        let mut days = Days::new(zone);
        let mut per_day: BTreeMap<Date, Gathered> = BTreeMap::new();
        self.quarters.sort_by_key(|q| q.number);
        for q in self.quarters {
            let Some(date) = q.number.checked_mul(QUARTER_MS).and_then(|ms| days.of(ms)) else {
                continue;
            };
            let day = per_day.entry(date).or_default();
            for (all, k) in day.inflow.iter_mut().zip(q.inflow) {
                *all += k;
            }
            day.waits.extend(q.waits.into_iter().map(|w| w.max(0)));
            day.responses
                .extend(q.responses.into_iter().map(|r| r.max(0)));
        }
        let mut out = Figures {
            categories: most_first(self.categories),
            agents: most_first(self.agents),
            scores: self.scores,
            unrated: self.unrated,
            ..Figures::default()
        };
        let first = from.or_else(|| per_day.keys().next().copied());
        let last = to.or_else(|| per_day.keys().next_back().copied());
        let mut all_waits = Vec::new();
        let mut all_responses = Vec::new();
        if let (Some(first), Some(last)) = (first, last) {
            let mut date = first;
            while date <= last {
                let Gathered {
                    inflow,
                    mut waits,
                    mut responses,
                } = per_day.remove(&date).unwrap_or_default();
                let day = Day {
                    date,
                    inflow: Channel::ALL.into_iter().zip(inflow).collect(),
                    waiting: Spread::of(&mut waits),
                    first_response: Spread::of(&mut responses),
                };
                all_waits.extend(waits);
                all_responses.extend(responses);
                out.days.push(day);
                match date.tomorrow() {
                    Ok(next) => date = next,
                    Err(_) => break,
                }
            }
        }
        // Each day's times are sorted already: a sort that merges sorted runs.
        all_waits.sort();
        all_responses.sort();
        out.waiting = Spread::of(&mut all_waits);
        out.first_response = Spread::of(&mut all_responses);
        out
    }
}

/// The figures of `facts` in `zone`, each day from `from` to `to` (inclusive; when absent, the
/// first and last days with a consultation).
pub fn figures(
    facts: impl IntoIterator<Item = Fact>,
    zone: &Zone,
    from: Option<Date>,
    to: Option<Date>,
) -> Figures {
    let mut tally = Tally::default();
    for f in facts {
        tally.add(f);
    }
    tally.figures(zone, from, to)
}

fn most_first<K: Ord + Copy>(counts: BTreeMap<K, u64>) -> Vec<(K, u64)> {
    let mut v: Vec<(K, u64)> = counts.into_iter().collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zone(name: &str) -> Zone {
        Zone::parse(name).unwrap_or_default()
    }

    fn ms(s: &str) -> i64 {
        s.parse::<Timestamp>()
            .map(|t| t.as_millisecond())
            .unwrap_or_default()
    }

    fn date(s: &str) -> Date {
        s.parse().unwrap_or_default()
    }

    /// Each day's date and its KakaoTalk inflow.
    fn kakao_per_day(f: &Figures) -> Vec<(Date, u64)> {
        f.days
            .iter()
            .map(|d| (d.date, d.inflow[&Channel::Kakao]))
            .collect()
    }

    fn fact(at: &str, channel: Channel) -> Fact {
        Fact {
            created_at: ms(at),
            channel,
            waited_ms: None,
            first_response_ms: None,
            category_id: None,
            agent_id: None,
            rating: None,
        }
    }

    #[test]
    fn nearest_rank_percentiles() {
        let v: Vec<i64> = (1..=10).collect();
        assert_eq!(nearest_rank(&v, 50), Some(5));
        assert_eq!(nearest_rank(&v, 90), Some(9));
        assert_eq!(nearest_rank(&v, 100), Some(10));
        assert_eq!(nearest_rank(&[7], 50), Some(7));
        assert_eq!(nearest_rank(&[7], 90), Some(7));
        assert_eq!(nearest_rank(&[], 50), None);
        let mut odd = vec![30, 10, 20];
        assert_eq!(
            Spread::of(&mut odd),
            Spread {
                count: 3,
                median_ms: Some(20),
                p90_ms: Some(30)
            }
        );
    }

    #[test]
    fn days_are_the_sites_on_both_sides_of_midnight() {
        let seoul = zone("Asia/Seoul");
        let facts = [
            // 23:59:59 and 00:00:00 in Seoul (UTC+9).
            fact("2026-03-01T14:59:59Z", Channel::Kakao),
            fact("2026-03-01T15:00:00Z", Channel::Kakao),
            fact("2026-03-01T15:00:01Z", Channel::Naver),
        ];
        let f = figures(facts, &seoul, None, None);
        let dates: Vec<_> = f.days.iter().map(|d| d.date).collect();
        assert_eq!(dates, vec![date("2026-03-01"), date("2026-03-02")]);
        assert_eq!(f.days[0].inflow[&Channel::Kakao], 1);
        assert_eq!(f.days[1].inflow[&Channel::Kakao], 1);
        assert_eq!(f.days[1].inflow[&Channel::Naver], 1);
        assert_eq!(
            f.days[1].inflow[&Channel::WebchatV2],
            0,
            "every channel, zero included"
        );
    }

    #[test]
    fn days_follow_a_change_of_offset() {
        // New York moves from UTC-5 to UTC-4 at 07:00Z on 8 March 2026.
        let ny = zone("America/New_York");
        let facts = [
            fact("2026-03-08T04:59:59Z", Channel::Kakao), // 23:59:59 on the 7th (EST)
            fact("2026-03-08T05:00:00Z", Channel::Kakao), // 00:00 on the 8th
            fact("2026-03-09T03:59:59Z", Channel::Kakao), // 23:59:59 on the 8th (EDT)
            fact("2026-03-09T04:00:00Z", Channel::Kakao), // 00:00 on the 9th
        ];
        let f = figures(facts, &ny, None, None);
        let per_day = kakao_per_day(&f);
        assert_eq!(
            per_day,
            vec![
                (date("2026-03-07"), 1),
                (date("2026-03-08"), 2),
                (date("2026-03-09"), 1)
            ]
        );
    }

    #[test]
    fn the_period_holds_empty_days_and_spreads_per_day_and_overall() {
        let seoul = zone("Asia/Seoul");
        let mut a = fact("2026-03-02T01:00:00Z", Channel::WebchatV2);
        a.waited_ms = Some(10_000);
        a.first_response_ms = Some(40_000);
        a.category_id = Some(CategoryId::new(3));
        a.agent_id = Some(AgentId::new(7));
        a.rating = Some(5);
        let mut b = fact("2026-03-02T02:00:00Z", Channel::WebchatV2);
        b.waited_ms = Some(30_000);
        b.first_response_ms = Some(90_000);
        b.category_id = Some(CategoryId::new(3));
        b.agent_id = Some(AgentId::new(8));
        b.rating = Some(1);
        let mut c = fact("2026-03-04T01:00:00Z", Channel::Naver);
        c.waited_ms = Some(20_000);
        let f = figures(
            [a, b, c],
            &seoul,
            Some(date("2026-03-01")),
            Some(date("2026-03-05")),
        );
        assert_eq!(f.days.len(), 5);
        assert_eq!(f.days[0].waiting, Spread::default(), "an empty day");
        assert_eq!(
            f.days[1].waiting,
            Spread {
                count: 2,
                median_ms: Some(10_000),
                p90_ms: Some(30_000)
            }
        );
        assert_eq!(f.days[3].first_response.count, 0);
        assert_eq!(
            f.waiting,
            Spread {
                count: 3,
                median_ms: Some(20_000),
                p90_ms: Some(30_000)
            }
        );
        assert_eq!(f.categories, vec![(Some(CategoryId::new(3)), 2), (None, 1)]);
        assert_eq!(
            f.agents,
            vec![
                (None, 1),
                (Some(AgentId::new(7)), 1),
                (Some(AgentId::new(8)), 1)
            ],
            "equal counts in id order, nobody first"
        );
        assert_eq!(f.scores, [1, 0, 0, 0, 1]);
        assert_eq!(f.unrated, 1);
    }

    #[test]
    fn channels_are_counted_in_their_own_place() {
        for (i, c) in Channel::ALL.into_iter().enumerate() {
            assert_eq!(channel_index(c), i, "{c:?}");
        }
    }

    #[test]
    fn a_quarter_hour_offset_splits_days_at_its_own_midnight() {
        // Kathmandu is UTC+5:45: local midnight is 18:15Z.
        let kathmandu = zone("Asia/Kathmandu");
        let facts = [
            fact("2026-03-01T18:14:59Z", Channel::Kakao),
            fact("2026-03-01T18:15:00Z", Channel::Kakao),
        ];
        let f = figures(facts, &kathmandu, None, None);
        let per_day = kakao_per_day(&f);
        assert_eq!(
            per_day,
            vec![(date("2026-03-01"), 1), (date("2026-03-02"), 1)]
        );
    }

    /// Facts of arbitrary instants over a few days, channels, times and classes.
    fn arbitrary_facts() -> impl Strategy<Value = Vec<Fact>> {
        let start = ms("2026-03-06T00:00:00Z");
        let one = (
            0..5 * DAY_MS,
            0..Channel::ALL.len(),
            proptest::option::of(-1_000i64..3_600_000),
            proptest::option::of(0i64..7_200_000),
            proptest::option::of(1i64..4),
            proptest::option::of(1i64..4),
            proptest::option::of(0i64..7),
        )
            .prop_map(move |(at, c, w, r, cat, agent, rating)| Fact {
                created_at: start + at,
                channel: Channel::ALL[c],
                waited_ms: w,
                first_response_ms: r,
                category_id: cat.map(CategoryId::new),
                agent_id: agent.map(AgentId::new),
                rating,
            });
        proptest::collection::vec(one, 0..300)
    }

    use proptest::prelude::*;

    /// One day in the plain oracle: inflow per channel, waits, first responses.
    type PlainDay = (BTreeMap<Channel, u64>, Vec<i64>, Vec<i64>);

    /// The figures worked out the plainest way: each instant's local date asked of the time
    /// zone database, each day's times sorted.
    fn plain_figures(facts: &[Fact], zone: &Zone) -> Figures {
        let mut per_day: BTreeMap<Date, PlainDay> = BTreeMap::new();
        let mut out = Figures::default();
        let mut categories = BTreeMap::new();
        let mut agents = BTreeMap::new();
        for f in facts {
            let date = Timestamp::from_millisecond(f.created_at)
                .unwrap()
                .in_tz(zone.time_zone().iana_name().unwrap_or("UTC"))
                .unwrap()
                .date();
            let day = per_day.entry(date).or_default();
            *day.0.entry(f.channel).or_default() += 1;
            day.1.extend(f.waited_ms.map(|w| w.max(0)));
            day.2.extend(f.first_response_ms.map(|r| r.max(0)));
            *categories.entry(f.category_id).or_default() += 1;
            *agents.entry(f.agent_id).or_default() += 1;
            match f.rating {
                Some(s @ 1..=5) => out.scores[(s - 1) as usize] += 1,
                _ => out.unrated += 1,
            }
        }
        let (mut all_w, mut all_r) = (Vec::new(), Vec::new());
        if let (Some(first), Some(last)) = (
            per_day.keys().next().copied(),
            per_day.keys().next_back().copied(),
        ) {
            let mut date = first;
            while date <= last {
                let (mut inflow, mut w, mut r) = per_day.remove(&date).unwrap_or_default();
                for c in Channel::ALL {
                    inflow.entry(c).or_default();
                }
                all_w.extend(w.iter().copied());
                all_r.extend(r.iter().copied());
                out.days.push(Day {
                    date,
                    inflow,
                    waiting: Spread::of(&mut w),
                    first_response: Spread::of(&mut r),
                });
                date = date.tomorrow().unwrap();
            }
        }
        out.waiting = Spread::of(&mut all_w);
        out.first_response = Spread::of(&mut all_r);
        out.categories = most_first(categories);
        out.agents = most_first(agents);
        out
    }

    proptest! {
        /// Consultations in any order, tallied in two parts and merged, give the figures
        /// worked out the plainest way, in any zone.
        #[test]
        fn tallies_in_parts_give_the_plain_figures(
            facts in arbitrary_facts(),
            split in 0usize..300,
            sorted in any::<bool>(),
            z in 0usize..4,
        ) {
            let zone = zone(["Asia/Seoul", "America/New_York", "Asia/Kathmandu", "UTC"][z]);
            let mut facts = facts;
            if sorted {
                facts.sort_by_key(|f| f.created_at);
            }
            let expected = plain_figures(&facts, &zone);
            let split = split.min(facts.len());
            let mut whole = Tally::default();
            let mut later = Tally::default();
            for f in &facts[..split] {
                whole.add(*f);
            }
            for f in &facts[split..] {
                later.add(*f);
            }
            whole.merge(later);
            prop_assert_eq!(whole.figures(&zone, None, None), expected);
        }
    }

    #[test]
    fn nothing_gives_no_days() {
        let f = figures([], &zone("Asia/Seoul"), None, None);
        assert!(f.days.is_empty());
        assert_eq!(f.waiting.median_ms, None);
    }
}
