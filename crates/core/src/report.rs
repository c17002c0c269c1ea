//! Reports (R7): what a consultation-history filter may hold, its period as instants in the
//! site's time zone, the columns a report and its downloads have, and how a cell that a
//! spreadsheet would read as a formula is kept text.
//!
//! The filter is checked here once, so the store only translates a valid filter into SQL and
//! the page, the API, the downloads and the command line all mean the same by it.

use inflow::{Channel, Settings, Slot};
use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::error::CoreError;
use crate::hours::Zone;
use crate::ids::{AgentId, CategoryId};
use crate::{ConsultationState, EndType};

/// Rows a report page holds when not told otherwise.
pub const DEFAULT_PAGE_ROWS: u32 = 50;
/// Most rows a report page holds (downloads have no limit).
pub const MAX_PAGE_ROWS: u32 = 500;
/// Most parameter conditions one filter holds.
pub const MAX_PARAM_FILTERS: usize = 10;
/// Longest value a parameter condition compares with, in characters.
pub const MAX_PARAM_VALUE_CHARS: usize = 255;

/// A parameter a report filters on: a fixed one of the customer or the consultation, or a
/// custom slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ParamField {
    /// The site's ID of the customer (`site_uid`), on the profile.
    SiteUid,
    /// `cus_extra_username`, on the profile.
    Name,
    /// `cus_extra_phone`, on the profile.
    Phone,
    /// `cus_extra_email`, on the profile.
    Email,
    /// `user_parameter`, on the consultation.
    UserParameter,
    /// `parameter1` … `parameter10`, on the consultation.
    Custom(Slot),
}

impl ParamField {
    /// The fixed ones, in column order.
    pub const FIXED: [ParamField; 5] = [
        ParamField::SiteUid,
        ParamField::Name,
        ParamField::Phone,
        ParamField::Email,
        ParamField::UserParameter,
    ];

    /// The parameter's name as chat URLs write it.
    pub fn name(self) -> &'static str {
        match self {
            ParamField::SiteUid => "site_uid",
            ParamField::Name => "cus_extra_username",
            ParamField::Phone => "cus_extra_phone",
            ParamField::Email => "cus_extra_email",
            ParamField::UserParameter => "user_parameter",
            ParamField::Custom(slot) => slot.name(),
        }
    }

    /// A parameter name as chat URLs write it.
    pub fn parse(name: &str) -> Option<ParamField> {
        Some(match name {
            "site_uid" => ParamField::SiteUid,
            "cus_extra_username" => ParamField::Name,
            "cus_extra_phone" => ParamField::Phone,
            "cus_extra_email" => ParamField::Email,
            "user_parameter" => ParamField::UserParameter,
            other => ParamField::Custom(other.parse().ok()?),
        })
    }
}

/// How a parameter condition compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Match {
    /// The whole value, as stored.
    #[default]
    Exact,
    /// Anywhere in the value, ignoring the case of Latin letters.
    Contains,
}

/// One parameter condition of a filter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParamCondition {
    pub field: ParamField,
    pub matching: Match,
    pub value: String,
}

/// Which satisfaction a report keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RatingFilter {
    /// Consultations the customer rated.
    Rated,
    /// Consultations without a rating.
    Unrated,
}

/// A parameter condition as a person gives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParamSpec {
    /// `parameter1`, `cus_extra_username`, …
    pub name: String,
    #[serde(default, rename = "match")]
    pub matching: Match,
    pub value: String,
}

/// A report's filter as a person gives it: every part optional, lists meaning "any of". It is
/// kept as given (JSON) with a download, and checked again when the download is written.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct FilterSpec {
    /// The first day of the period (by creation, in the site's time zone), inclusive.
    pub from: Option<Date>,
    /// The last day of the period, inclusive.
    pub to: Option<Date>,
    pub channels: Vec<Channel>,
    pub states: Vec<ConsultationState>,
    pub end_types: Vec<EndType>,
    pub category_id: Option<CategoryId>,
    pub division_id: Option<CategoryId>,
    pub agent_id: Option<AgentId>,
    /// Scores 1–5 kept (any of them).
    pub scores: Vec<i64>,
    pub rating: Option<RatingFilter>,
    pub params: Vec<ParamSpec>,
}

/// A checked filter, with its period as instants.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReportFilter {
    /// Created at or after (ms since the epoch).
    pub created_from: Option<i64>,
    /// Created before (ms since the epoch).
    pub created_before: Option<i64>,
    pub channels: Vec<Channel>,
    pub states: Vec<ConsultationState>,
    pub end_types: Vec<EndType>,
    pub category_id: Option<CategoryId>,
    pub division_id: Option<CategoryId>,
    pub agent_id: Option<AgentId>,
    pub scores: Vec<i64>,
    pub rating: Option<RatingFilter>,
    pub params: Vec<ParamCondition>,
    /// The accounts whose business the report is limited to (a manager who leads a group: the
    /// queue and what the group's accounts hold); `None`: the whole site. Set by the
    /// application from who reads, never by the filter's form.
    pub scope: Option<Vec<AgentId>>,
}

impl ReportFilter {
    /// Checks `spec` against the site's parameter settings (a custom slot must be enabled to
    /// be filtered on) and turns its days into instants of `zone`. The first problem refuses
    /// it, naming its field.
    pub fn parse(spec: FilterSpec, zone: &Zone, settings: &Settings) -> Result<Self, CoreError> {
        if let (Some(from), Some(to)) = (spec.from, spec.to)
            && to < from
        {
            return Err(CoreError::field(
                "to",
                format!("the period ends ({to}) before it starts ({from})"),
            ));
        }
        let created_from = spec.from.map(|d| day_start(d, zone)).transpose()?;
        let created_before = spec
            .to
            .map(|d| {
                let next = d.tomorrow().map_err(|_| {
                    CoreError::field("to", format!("{d} is the last day a calendar holds"))
                })?;
                day_start(next, zone)
            })
            .transpose()?;
        if let Some(score) = spec.scores.iter().find(|s| !(1..=5).contains(*s)) {
            return Err(CoreError::field(
                "scores",
                format!("{score} is not a score: scores are 1 to 5"),
            ));
        }
        if spec.params.len() > MAX_PARAM_FILTERS {
            return Err(CoreError::field(
                "params",
                format!(
                    "{} parameter conditions: at most {MAX_PARAM_FILTERS}",
                    spec.params.len()
                ),
            ));
        }
        let mut params = Vec::with_capacity(spec.params.len());
        for ParamSpec {
            name,
            matching,
            value,
        } in spec.params
        {
            let field = ParamField::parse(&name).ok_or_else(|| {
                CoreError::field(
                    "params",
                    format!(
                        "{name:?} is not a parameter: expected site_uid, cus_extra_username, \
                         cus_extra_phone, cus_extra_email, user_parameter or parameter1 … parameter10"
                    ),
                )
            })?;
            if let ParamField::Custom(slot) = field
                && !settings.is_enabled(slot)
            {
                return Err(CoreError::field(
                    "params",
                    format!("{slot} is not an enabled custom parameter of this site"),
                ));
            }
            let value = value.trim().to_owned();
            if value.is_empty() {
                return Err(CoreError::field(
                    "params",
                    format!("the condition on {name} has no value"),
                ));
            }
            let chars = value.chars().count();
            if chars > MAX_PARAM_VALUE_CHARS {
                return Err(CoreError::field(
                    "params",
                    format!(
                        "the value for {name} has {chars} characters: at most {MAX_PARAM_VALUE_CHARS}"
                    ),
                ));
            }
            params.push(ParamCondition {
                field,
                matching,
                value,
            });
        }
        Ok(ReportFilter {
            created_from,
            created_before,
            channels: dedup(spec.channels),
            states: dedup(spec.states),
            end_types: dedup(spec.end_types),
            category_id: spec.category_id,
            division_id: spec.division_id,
            agent_id: spec.agent_id,
            scores: dedup(spec.scores),
            rating: spec.rating,
            params,
            scope: None,
        })
    }
}

fn dedup<T: Ord>(mut values: Vec<T>) -> Vec<T> {
    values.sort();
    values.dedup();
    values
}

/// The instant a day of `zone` starts (midnight, or the first instant after a gap).
pub fn day_start(day: Date, zone: &Zone) -> Result<i64, CoreError> {
    // Midnight, or where a gap skips it, the first instant after the gap.
    zone.time_zone()
        .to_ambiguous_timestamp(day.to_datetime(jiff::civil::Time::midnight()))
        .compatible()
        .map(|t| t.as_millisecond())
        .map_err(|e| CoreError::field("from", format!("{day} has no start in {zone}: {e}")))
}

/// The day of `zone` an instant falls on.
pub fn day_of(ms: i64, zone: &Zone) -> Option<Date> {
    let at = Timestamp::from_millisecond(ms).ok()?;
    Some(zone.local(at).date())
}

/// What the counters above a report count: one consultation in exactly one of the last four
/// (or in none, when closed otherwise: by a manager, outside hours, for a full queue).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Counters {
    pub total: u64,
    pub closed_by_agent: u64,
    pub closed_by_customer: u64,
    pub auto_closed: u64,
    pub still_open: u64,
}

/// Which counter a consultation adds to, besides the total.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Counted {
    ClosedByAgent,
    ClosedByCustomer,
    AutoClosed,
    StillOpen,
    /// Ended otherwise (off hours, a full queue, a blocked customer, deleted).
    Other,
}

/// The counter a consultation in `state`, ended by `end`, adds to. A consultation the agent's
/// manager closed counts as closed by the desk: it is the business, not the customer, that
/// ended it.
pub fn counted(state: ConsultationState, end: Option<EndType>) -> Counted {
    if state.is_open() {
        return Counted::StillOpen;
    }
    match end {
        Some(EndType::Agent | EndType::Manager) => Counted::ClosedByAgent,
        Some(EndType::Customer) => Counted::ClosedByCustomer,
        Some(EndType::AutoClose) => Counted::AutoClosed,
        Some(EndType::OffHours | EndType::OverCapacity | EndType::Blocked) | None => Counted::Other,
    }
}

impl Counters {
    /// Adds `n` consultations counted as `what`.
    pub fn add(&mut self, what: Counted, n: u64) {
        self.total += n;
        match what {
            Counted::ClosedByAgent => self.closed_by_agent += n,
            Counted::ClosedByCustomer => self.closed_by_customer += n,
            Counted::AutoClosed => self.auto_closed += n,
            Counted::StillOpen => self.still_open += n,
            Counted::Other => {}
        }
    }
}

/// A column of the consultation history, in the order reports show them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Column {
    ConsultationId,
    RoomId,
    CustomerKey,
    Channel,
    State,
    StateCode,
    EndType,
    CategoryId,
    CategoryName,
    DivisionId,
    DivisionName,
    AgentId,
    AgentName,
    CreatedAt,
    AssignedAt,
    FirstResponseAt,
    ClosedAt,
    /// Seconds from creation to the first agent answer.
    FirstResponseSeconds,
    MessageCount,
    Param(ParamField),
    Tags,
    Rating,
    RatingComment,
}

impl Column {
    /// Every column of a site, custom parameters only where enabled.
    pub fn all(settings: &Settings) -> Vec<Column> {
        let mut columns = vec![
            Column::ConsultationId,
            Column::RoomId,
            Column::CustomerKey,
            Column::Channel,
            Column::State,
            Column::StateCode,
            Column::EndType,
            Column::CategoryId,
            Column::CategoryName,
            Column::DivisionId,
            Column::DivisionName,
            Column::AgentId,
            Column::AgentName,
            Column::CreatedAt,
            Column::AssignedAt,
            Column::FirstResponseAt,
            Column::ClosedAt,
            Column::FirstResponseSeconds,
            Column::MessageCount,
        ];
        columns.extend(ParamField::FIXED.map(Column::Param));
        columns.extend(
            settings
                .enabled_slots()
                .map(|s| Column::Param(ParamField::Custom(s))),
        );
        columns.extend([Column::Tags, Column::Rating, Column::RatingComment]);
        columns
    }

    /// The stable key used by the API, the column chooser and the CSV header's second name.
    pub fn key(self) -> &'static str {
        match self {
            Column::ConsultationId => "consultation_id",
            Column::RoomId => "room_id",
            Column::CustomerKey => "customer_key",
            Column::Channel => "channel",
            Column::State => "state",
            Column::StateCode => "state_code",
            Column::EndType => "end_type",
            Column::CategoryId => "category_id",
            Column::CategoryName => "category_name",
            Column::DivisionId => "division_id",
            Column::DivisionName => "division_name",
            Column::AgentId => "agent_id",
            Column::AgentName => "agent_name",
            Column::CreatedAt => "created_at",
            Column::AssignedAt => "assigned_at",
            Column::FirstResponseAt => "first_response_at",
            Column::ClosedAt => "closed_at",
            Column::FirstResponseSeconds => "first_response_seconds",
            Column::MessageCount => "message_count",
            Column::Param(p) => p.name(),
            Column::Tags => "tags",
            Column::Rating => "rating",
            Column::RatingComment => "rating_comment",
        }
    }

    /// The column of a key, among a site's columns.
    pub fn parse(key: &str, settings: &Settings) -> Option<Column> {
        Column::all(settings).into_iter().find(|c| c.key() == key)
    }

    /// Whether the column holds an instant (written as a date-time in the site's zone).
    pub fn is_time(self) -> bool {
        matches!(
            self,
            Column::CreatedAt | Column::AssignedAt | Column::FirstResponseAt | Column::ClosedAt
        )
    }
}

/// Whether a spreadsheet would take `text` for a formula (or a DDE command) when opened: its
/// first character is `=`, `+`, `-` or `@`, or a tab or carriage return that hides one.
/// Such a cell is written as text, never as a formula.
pub fn looks_like_formula(text: &str) -> bool {
    matches!(
        text.chars().next(),
        Some('=' | '+' | '-' | '@' | '\t' | '\r')
    )
}

/// `text` as a CSV cell holds it so that a spreadsheet never runs it: what looks like a
/// formula gets a leading apostrophe (OWASP's advice for CSV injection). A CSV has no cell
/// types, so this is the one change made to a value; the `.xlsx` keeps values unchanged as text.
pub fn csv_safe(text: &str) -> std::borrow::Cow<'_, str> {
    if looks_like_formula(text) {
        std::borrow::Cow::Owned(format!("'{text}"))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seoul() -> Zone {
        Zone::parse("Asia/Seoul").unwrap_or_default()
    }

    fn date(s: &str) -> Date {
        s.parse().unwrap_or_default()
    }

    fn settings_with(slots: &[u8]) -> Settings {
        Settings::with_enabled(slots.iter().filter_map(|n| Slot::new(*n)))
    }

    #[test]
    fn a_period_is_whole_days_of_the_site_zone() {
        let spec = FilterSpec {
            from: Some(date("2026-03-01")),
            to: Some(date("2026-03-01")),
            ..FilterSpec::default()
        };
        let f = ReportFilter::parse(spec.clone(), &seoul(), &Settings::default());
        let f = f.unwrap_or_default();
        // Midnight in Seoul is 15:00 UTC the day before.
        let start: Timestamp = "2026-02-28T15:00:00Z".parse().unwrap_or_default();
        assert_eq!(f.created_from, Some(start.as_millisecond()));
        assert_eq!(f.created_before, Some(start.as_millisecond() + 86_400_000));
        // The same days in New York, across the start of daylight saving time (8 March).
        let ny = Zone::parse("America/New_York").unwrap_or_default();
        let spec = FilterSpec {
            from: Some(date("2026-03-08")),
            to: Some(date("2026-03-08")),
            ..FilterSpec::default()
        };
        let f = ReportFilter::parse(spec, &ny, &Settings::default()).unwrap_or_default();
        let start: Timestamp = "2026-03-08T05:00:00Z".parse().unwrap_or_default();
        let end: Timestamp = "2026-03-09T04:00:00Z".parse().unwrap_or_default();
        assert_eq!(f.created_from, Some(start.as_millisecond()));
        assert_eq!(
            f.created_before,
            Some(end.as_millisecond()),
            "a 23-hour day"
        );
    }

    #[test]
    fn an_instant_falls_on_its_local_day() {
        let just_before: Timestamp = "2026-02-28T14:59:59.999Z".parse().unwrap_or_default();
        assert_eq!(
            day_of(just_before.as_millisecond(), &seoul()),
            Some(date("2026-02-28"))
        );
        assert_eq!(
            day_of(just_before.as_millisecond() + 1, &seoul()),
            Some(date("2026-03-01"))
        );
    }

    #[test]
    fn a_backwards_period_is_refused_naming_to() {
        let spec = FilterSpec {
            from: Some(date("2026-03-02")),
            to: Some(date("2026-03-01")),
            ..FilterSpec::default()
        };
        let e = ReportFilter::parse(spec, &seoul(), &Settings::default());
        assert_eq!(
            e.err().and_then(|e| e.field_name().map(str::to_owned)),
            Some("to".into())
        );
    }

    #[test]
    fn open_ended_periods_have_one_bound() {
        let only_from = FilterSpec {
            from: Some(date("2026-03-02")),
            ..FilterSpec::default()
        };
        let f = ReportFilter::parse(only_from, &seoul(), &Settings::default()).unwrap_or_default();
        assert!(f.created_from.is_some() && f.created_before.is_none());
        let only_to = FilterSpec {
            to: Some(date("2026-03-02")),
            ..FilterSpec::default()
        };
        let f = ReportFilter::parse(only_to, &seoul(), &Settings::default()).unwrap_or_default();
        assert!(f.created_from.is_none() && f.created_before.is_some());
    }

    #[test]
    fn parameter_conditions_are_checked() {
        let settings = settings_with(&[1, 3]);
        let with = |name: &str, value: &str| FilterSpec {
            params: vec![ParamSpec {
                name: name.to_owned(),
                matching: Match::Exact,
                value: value.to_owned(),
            }],
            ..FilterSpec::default()
        };
        let ok = ReportFilter::parse(with("parameter3", "  VIP "), &seoul(), &settings);
        let ok = ok.unwrap_or_default();
        assert_eq!(
            ok.params,
            vec![ParamCondition {
                field: ParamField::Custom(Slot::new(3).unwrap_or_else(|| unreachable!())),
                matching: Match::Exact,
                value: "VIP".into(),
            }]
        );
        for (name, value) in [
            ("parameter2", "x"),
            ("parameter11", "x"),
            ("cus_extra_tel", "x"),
            ("parameter1", "   "),
        ] {
            let e = ReportFilter::parse(with(name, value), &seoul(), &settings);
            assert_eq!(
                e.err().and_then(|e| e.field_name().map(str::to_owned)),
                Some("params".into()),
                "{name}={value:?}"
            );
        }
        let long = "가".repeat(MAX_PARAM_VALUE_CHARS + 1);
        assert!(
            ReportFilter::parse(with("cus_extra_username", &long), &seoul(), &settings).is_err()
        );
        let fits = "가".repeat(MAX_PARAM_VALUE_CHARS);
        assert!(
            ReportFilter::parse(with("cus_extra_username", &fits), &seoul(), &settings).is_ok()
        );
        let many = FilterSpec {
            params: vec![
                ParamSpec {
                    name: "site_uid".into(),
                    matching: Match::Contains,
                    value: "a".into(),
                };
                MAX_PARAM_FILTERS + 1
            ],
            ..FilterSpec::default()
        };
        assert!(ReportFilter::parse(many, &seoul(), &settings).is_err());
    }

    #[test]
    fn scores_are_one_to_five() {
        for (scores, ok) in [(vec![1, 5], true), (vec![0], false), (vec![6], false)] {
            let spec = FilterSpec {
                scores,
                ..FilterSpec::default()
            };
            assert_eq!(
                ReportFilter::parse(spec, &seoul(), &Settings::default()).is_ok(),
                ok
            );
        }
    }

    #[test]
    fn every_ending_adds_to_one_counter() {
        use ConsultationState as S;
        let cases = [
            (S::Waiting, None, Counted::StillOpen),
            (S::InProgress, None, Counted::StillOpen),
            (S::Bot, None, Counted::StillOpen),
            (S::Closed, Some(EndType::Agent), Counted::ClosedByAgent),
            (S::Closed, Some(EndType::Manager), Counted::ClosedByAgent),
            (
                S::Closed,
                Some(EndType::Customer),
                Counted::ClosedByCustomer,
            ),
            (S::Closed, Some(EndType::AutoClose), Counted::AutoClosed),
            (S::Closed, Some(EndType::OffHours), Counted::Other),
            (S::Closed, Some(EndType::OverCapacity), Counted::Other),
            (S::Closed, Some(EndType::Blocked), Counted::Other),
            (S::Deleted, None, Counted::Other),
        ];
        let mut counters = Counters::default();
        for (state, end, want) in cases {
            assert_eq!(counted(state, end), want, "{state} {end:?}");
            counters.add(want, 1);
        }
        assert_eq!(
            counters,
            Counters {
                total: 11,
                closed_by_agent: 2,
                closed_by_customer: 1,
                auto_closed: 1,
                still_open: 3,
            }
        );
    }

    #[test]
    fn columns_follow_the_enabled_slots_and_keys_round_trip() {
        let settings = settings_with(&[2, 7]);
        let columns = Column::all(&settings);
        let keys: Vec<_> = columns.iter().map(|c| c.key()).collect();
        assert!(keys.contains(&"parameter2") && keys.contains(&"parameter7"));
        assert!(!keys.contains(&"parameter1"));
        let mut unique = keys.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), keys.len(), "keys are distinct");
        for c in columns {
            assert_eq!(Column::parse(c.key(), &settings), Some(c));
        }
        assert_eq!(Column::parse("parameter1", &settings), None);
    }

    #[test]
    fn formula_like_cells_are_recognised() {
        for text in ["=1+1", "+82 10", "-할인", "@SUM(A1)", "\t=x", "\r=x"] {
            assert!(looks_like_formula(text), "{text:?}");
            assert!(csv_safe(text).starts_with('\''), "{text:?}");
        }
        for text in ["", "홍길동", "1+1", "a=b", "'quoted"] {
            assert!(!looks_like_formula(text), "{text:?}");
            assert_eq!(csv_safe(text), text);
        }
    }
}
