//! Business hours and automatic messages (R3.4) over HTTP, the admin's, under `/api/v1/site`:
//! the hours (time zone, the three day schedules, holidays, whether off-hours inflows queue),
//! an iCalendar import of holidays, and the automatic messages. What they may hold is core's
//! ([`sangdam_core::hours`], [`sangdam_core::auto_message`]); a refusal names its field and
//! its problem in `details.errors`, as a settings save does.

use std::collections::BTreeMap;

use app::AppError;
use app::hours::{HolidayImportReport, SiteHours, SiteMessages};
use axum::Json;
use axum::extract::{DefaultBodyLimit, State};
use jiff::civil::Date;
use sangdam_core::CoreError;
use sangdam_core::auto_message::{
    AutoMessageKind, AutoMessageSpec, AutoMessages, MAX_AUTO_MESSAGE_CHARS, MessageProblem,
};
use sangdam_core::hours::{
    DEFAULT_TIME_ZONE, DaySchedule, Holiday, Hours, HoursProblem, HoursSpec,
    MAX_HOLIDAY_NAME_CHARS, MAX_HOLIDAYS, MAX_ICS_BYTES, MAX_RANGES, Range,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::api::extract::Body;
use crate::api::site::Admin;
use crate::error::{ApiError, ErrorBody};
use crate::state::AppState;

/// The largest import request: the file's limit, with room for its JSON escapes (a line
/// break is two bytes of the file and four of the string).
pub const MAX_IMPORT_BODY_BYTES: usize = 2 * MAX_ICS_BYTES + 4096;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_hours, put_hours))
        .routes(routes!(get_auto_messages, put_auto_messages))
        .merge(
            OpenApiRouter::new()
                .routes(routes!(import_holidays))
                .layer(DefaultBodyLimit::max(MAX_IMPORT_BODY_BYTES)),
        )
}

// ---------------------------------------------------------------------------------------------
// Business hours.

/// What a day schedule is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ScheduleKind {
    /// Closed all day.
    #[default]
    Off,
    /// Open from midnight to midnight.
    AllDay,
    /// Open in the ranges given.
    Ranges,
}

/// One from–to range; a `to` at or before `from` runs past midnight into the next day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RangeBody {
    /// `HH:MM`, 00:00 to 23:59.
    #[schema(pattern = r"^\s*([01]?[0-9]|2[0-3]):[0-5][0-9]\s*$")]
    pub from: String,
    /// `HH:MM`, 00:00 to 24:00.
    #[schema(pattern = r"^\s*(([01]?[0-9]|2[0-3]):[0-5][0-9]|24:00)\s*$")]
    pub to: String,
}

/// The hours of one kind of day.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScheduleBody {
    pub kind: ScheduleKind,
    /// The ranges of a `ranges` schedule (at least one, not overlapping); not used with
    /// another kind, but their times are checked all the same.
    #[serde(default)]
    #[schema(max_items = 8)]
    pub ranges: Vec<RangeBody>,
}

/// A registered date with its own hours.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HolidayBody {
    #[schema(value_type = String, format = Date)]
    pub date: Date,
    /// What it is; none is fine.
    #[serde(default)]
    #[schema(max_length = 50)]
    pub name: Option<String>,
    /// Its hours; off (the whole day) when absent.
    #[serde(default)]
    pub schedule: ScheduleBody,
}

fn default_zone() -> String {
    DEFAULT_TIME_ZONE.to_owned()
}

fn yes() -> bool {
    true
}

/// A site's business hours as it edits them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HoursBody {
    /// An IANA time zone (`Asia/Seoul` when absent).
    #[serde(default = "default_zone")]
    #[schema(max_length = 100)]
    pub time_zone: String,
    /// Monday to Friday.
    pub weekdays: ScheduleBody,
    pub saturday: ScheduleBody,
    pub sunday: ScheduleBody,
    /// Dates with their own hours (each date once).
    #[serde(default)]
    #[schema(max_items = 1000)]
    pub holidays: Vec<HolidayBody>,
    /// Whether an inflow outside the hours still waits in the queue (answered once the desk
    /// opens) rather than being closed after the off-hours message. `true` when absent.
    #[serde(default = "yes")]
    pub accept_off_hours_into_queue: bool,
}

/// A refusal of `field`'s time, named there rather than as a bare `time`.
fn at_field(e: CoreError, field: String) -> CoreError {
    match e {
        CoreError::InvalidHours { problem, .. } => CoreError::InvalidHours { field, problem },
        other => other,
    }
}

impl ScheduleBody {
    fn to_schedule(&self, field: &str) -> Result<DaySchedule, CoreError> {
        // Ranges sent with another kind are not used, but too many, or a time that is none,
        // are refused all the same: what the document calls invalid is never accepted.
        if self.ranges.len() > MAX_RANGES {
            return Err(CoreError::InvalidHours {
                field: format!("{field}.ranges"),
                problem: HoursProblem::TooManyRanges(self.ranges.len()),
            });
        }
        let ranges = self
            .ranges
            .iter()
            .enumerate()
            .map(|(i, r)| {
                // Each end alone first, so a refusal names the end that is wrong.
                let at = |end: &str| format!("{field}.ranges[{i}].{end}");
                sangdam_core::hours::TimeOfDay::parse(&r.from)
                    .map_err(|e| at_field(e, at("from")))?;
                Range::parse(&r.from, &r.to).map_err(|e| at_field(e, at("to")))
            })
            .collect::<Result<Vec<_>, CoreError>>()?;
        Ok(match self.kind {
            ScheduleKind::Off => DaySchedule::Off,
            ScheduleKind::AllDay => DaySchedule::AllDay,
            ScheduleKind::Ranges => DaySchedule::Ranges { ranges },
        })
    }

    fn of(s: &DaySchedule) -> ScheduleBody {
        match s {
            DaySchedule::Off => ScheduleBody::default(),
            DaySchedule::AllDay => ScheduleBody {
                kind: ScheduleKind::AllDay,
                ranges: Vec::new(),
            },
            DaySchedule::Ranges { ranges } => ScheduleBody {
                kind: ScheduleKind::Ranges,
                ranges: ranges
                    .iter()
                    .map(|r| RangeBody {
                        from: r.from.to_string(),
                        // The end of the day reads as people write it.
                        to: if r.to.minutes() == 0 {
                            "24:00".to_owned()
                        } else {
                            r.to.to_string()
                        },
                    })
                    .collect(),
            },
        }
    }
}

impl HolidayBody {
    fn of(h: &Holiday) -> HolidayBody {
        HolidayBody {
            date: h.date,
            name: h.name.clone(),
            schedule: ScheduleBody::of(&h.schedule),
        }
    }
}

impl HoursBody {
    /// The spec core checks; a time that is no time is refused here, naming its field.
    fn to_spec(&self) -> Result<HoursSpec, CoreError> {
        Ok(HoursSpec {
            time_zone: self.time_zone.clone(),
            weekdays: self.weekdays.to_schedule("weekdays")?,
            saturday: self.saturday.to_schedule("saturday")?,
            sunday: self.sunday.to_schedule("sunday")?,
            holidays: self
                .holidays
                .iter()
                .enumerate()
                .map(|(i, h)| {
                    // Counted as sent: core trims a name before it counts, and the document
                    // counts what is sent.
                    let chars = h.name.as_deref().map_or(0, |n| n.chars().count());
                    if chars > MAX_HOLIDAY_NAME_CHARS {
                        return Err(CoreError::InvalidHours {
                            field: format!("holidays[{i}].name"),
                            problem: HoursProblem::HolidayNameTooLong(chars),
                        });
                    }
                    Ok(Holiday {
                        date: h.date,
                        name: h.name.clone(),
                        schedule: h.schedule.to_schedule(&format!("holidays[{i}].schedule"))?,
                    })
                })
                .collect::<Result<Vec<_>, CoreError>>()?,
            accept_off_hours_into_queue: self.accept_off_hours_into_queue,
        })
    }

    fn of(h: &Hours) -> HoursBody {
        HoursBody {
            time_zone: h.zone().name().to_owned(),
            weekdays: ScheduleBody::of(h.weekdays()),
            saturday: ScheduleBody::of(h.saturday()),
            sunday: ScheduleBody::of(h.sunday()),
            holidays: h.holidays().map(HolidayBody::of).collect(),
            accept_off_hours_into_queue: h.accept_off_hours_into_queue(),
        }
    }
}

/// The limits a save checks, for the page to show.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HoursLimits {
    pub ranges_per_day: usize,
    pub holidays: usize,
    pub holiday_name_chars: usize,
    /// The largest iCalendar file imported, in bytes.
    pub ics_bytes: usize,
}

/// A site's business hours.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HoursView {
    /// Whether the site ever saved hours; until then it is open around the clock.
    pub saved: bool,
    pub hours: HoursBody,
    pub limits: HoursLimits,
}

fn hours_view(saved: bool, hours: &Hours) -> HoursView {
    HoursView {
        saved,
        hours: HoursBody::of(hours),
        limits: HoursLimits {
            ranges_per_day: MAX_RANGES,
            holidays: MAX_HOLIDAYS,
            holiday_name_chars: MAX_HOLIDAY_NAME_CHARS,
            ics_bytes: MAX_ICS_BYTES,
        },
    }
}

/// The site's business hours (admin).
#[utoipa::path(
    get,
    path = "/site/hours",
    tag = "site",
    security(("session" = []), ("bearer" = [])),
    responses(
        (status = 200, description = "The hours (open around the clock until saved).", body = HoursView),
        (status = 401, description = "Not logged in.", body = ErrorBody),
        (status = 403, description = "Not the site's admin.", body = ErrorBody),
    )
)]
pub async fn get_hours(
    State(st): State<AppState>,
    Admin(admin): Admin,
) -> Result<Json<HoursView>, ApiError> {
    let SiteHours { hours, saved } = st.app.site_hours(&admin).await?;
    Ok(Json(hours_view(saved, &hours)))
}

/// Save the business hours (admin): the whole calendar, checked as one; the first problem
/// refuses it and changes nothing.
#[utoipa::path(
    put,
    path = "/site/hours",
    tag = "site",
    security(("session" = []), ("bearer" = [])),
    request_body = HoursBody,
    responses(
        (status = 200, description = "Saved; the hours now.", body = HoursView),
        (status = 400, description = "The body is not business hours.", body = ErrorBody),
        (status = 401, description = "Not logged in.", body = ErrorBody),
        (status = 403, description = "Not the site's admin.", body = ErrorBody),
        (status = 413, description = "The body is too large.", body = ErrorBody),
        (status = 422, description = "`invalid_hours`: `details.errors[0]` names the field (`time_zone`, `saturday.ranges[1]`, `holidays[3].date`) and the `problem` (`unknown_time_zone`, `invalid_time`, `no_ranges`, `too_many_ranges`, `overlapping_ranges`, `too_many_holidays`, `duplicate_holiday`, `holiday_name_too_long`, `invalid_holiday_name`).", body = ErrorBody),
    )
)]
pub async fn put_hours(
    State(st): State<AppState>,
    Admin(admin): Admin,
    body: Result<Body<HoursBody>, ApiError>,
) -> Result<Json<HoursView>, ApiError> {
    let Body(req) = body?;
    let hours = st.app.save_site_hours(&admin, req.to_spec()?).await?;
    Ok(Json(hours_view(true, &hours)))
}

/// An iCalendar file to take holidays from.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ImportRequest {
    /// The file's text (`BEGIN:VCALENDAR` …), at most 1 MiB.
    #[schema(max_length = 1048576)]
    pub ics: String,
}

/// An event of the file left out.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SkippedEvent {
    /// Its `SUMMARY`.
    pub summary: Option<String>,
    /// Its `DTSTART` as written.
    pub start: Option<String>,
    /// `timed`, `recurring`, `cancelled`, `observance`, `too_long` or `bad_dates`.
    pub reason: String,
    /// Why, in a sentence.
    pub message: String,
}

/// What an import did.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ImportReport {
    /// The holidays added (whole days off named by their events).
    pub added: Vec<HolidayBody>,
    /// The events left out, with why.
    pub skipped: Vec<SkippedEvent>,
    /// Dates of the file the site had registered already: its own entries were kept.
    #[schema(value_type = Vec<String>)]
    pub already_registered: Vec<Date>,
    /// The hours as saved.
    pub hours: HoursView,
}

impl From<HolidayImportReport> for ImportReport {
    fn from(r: HolidayImportReport) -> Self {
        ImportReport {
            added: r.added.iter().map(HolidayBody::of).collect(),
            skipped: r
                .skipped
                .into_iter()
                .map(|s| SkippedEvent {
                    summary: s.summary,
                    start: s.start,
                    reason: s.reason.code().to_owned(),
                    message: s.reason.describe().to_owned(),
                })
                .collect(),
            already_registered: r.kept,
            hours: hours_view(true, &r.hours),
        }
    }
}

/// Import holidays from an iCalendar file (admin): each all-day event becomes a whole day off
/// unless the site registered its date already; the rest is reported with its reason.
#[utoipa::path(
    post,
    path = "/site/hours/import",
    tag = "site",
    security(("session" = []), ("bearer" = [])),
    request_body = ImportRequest,
    responses(
        (status = 200, description = "Imported and saved; what was added, skipped and kept.", body = ImportReport),
        (status = 400, description = "The body is not an import request.", body = ErrorBody),
        (status = 401, description = "Not logged in.", body = ErrorBody),
        (status = 403, description = "Not the site's admin.", body = ErrorBody),
        (status = 413, description = "The body is too large.", body = ErrorBody),
        (status = 422, description = "`invalid_calendar` (the text is no iCalendar file; nothing changed) or `invalid_hours` (`too_many_holidays`).", body = ErrorBody),
    )
)]
pub async fn import_holidays(
    State(st): State<AppState>,
    Admin(admin): Admin,
    body: Result<Body<ImportRequest>, ApiError>,
) -> Result<Json<ImportReport>, ApiError> {
    let Body(req) = body.map_err(|e| match e {
        ApiError::TooLarge { .. } => ApiError::TooLarge {
            limit: MAX_IMPORT_BODY_BYTES,
        },
        other => other,
    })?;
    let report = st.app.import_holidays(&admin, &req.ics).await?;
    Ok(Json(report.into()))
}

// ---------------------------------------------------------------------------------------------
// Automatic messages.

/// One automatic message as the site has it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AutoMessageView {
    pub kind: AutoMessageKind,
    pub enabled: bool,
    pub text: String,
    /// The variables its text may use (`counselor_name` is written `[counselor_name]`).
    pub variables: Vec<&'static str>,
    /// What it says until the site changes it.
    pub default_text: &'static str,
}

/// A site's automatic messages, every kind.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AutoMessagesView {
    /// Whether the site ever saved them; until then each is its default, enabled.
    pub saved: bool,
    pub messages: Vec<AutoMessageView>,
    /// The longest text, in characters.
    pub max_chars: usize,
}

fn messages_view(saved: bool, messages: &AutoMessages) -> AutoMessagesView {
    AutoMessagesView {
        saved,
        messages: AutoMessageKind::ALL
            .into_iter()
            .map(|kind| {
                let m = messages.get(kind);
                AutoMessageView {
                    kind,
                    enabled: m.enabled,
                    text: m.text().to_owned(),
                    variables: kind.variables().iter().map(|v| v.name()).collect(),
                    default_text: kind.default_text(app::hours::SITE_LANG),
                }
            })
            .collect(),
        max_chars: MAX_AUTO_MESSAGE_CHARS,
    }
}

/// One message to save.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AutoMessageBody {
    pub enabled: bool,
    /// Its text, with its kind's variables in brackets; required when enabled.
    #[serde(default)]
    #[schema(max_length = 1000)]
    pub text: String,
}

/// The messages to save; a kind not given keeps its message.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AutoMessagesRequest {
    #[serde(default)]
    pub greeting: Option<AutoMessageBody>,
    #[serde(default)]
    pub unavailable: Option<AutoMessageBody>,
    #[serde(default)]
    pub off_hours: Option<AutoMessageBody>,
    #[serde(default)]
    pub busy: Option<AutoMessageBody>,
    #[serde(default)]
    pub queue_position: Option<AutoMessageBody>,
    #[serde(default)]
    pub over_capacity: Option<AutoMessageBody>,
    #[serde(default)]
    pub desk_closing: Option<AutoMessageBody>,
    #[serde(default)]
    pub closed: Option<AutoMessageBody>,
    #[serde(default)]
    pub auto_close_warning: Option<AutoMessageBody>,
    #[serde(default)]
    pub auto_closed: Option<AutoMessageBody>,
    #[serde(default)]
    pub rating_request: Option<AutoMessageBody>,
    #[serde(default)]
    pub blocked: Option<AutoMessageBody>,
}

impl AutoMessagesRequest {
    /// The messages given, by kind; a text longer than the document allows as sent (core
    /// counts it trimmed, with its line breaks made one character) is refused here, each.
    fn specs(self) -> Result<BTreeMap<AutoMessageKind, AutoMessageSpec>, Vec<CoreError>> {
        use AutoMessageKind as K;
        let specs: BTreeMap<AutoMessageKind, AutoMessageSpec> = [
            (K::Greeting, self.greeting),
            (K::Unavailable, self.unavailable),
            (K::OffHours, self.off_hours),
            (K::Busy, self.busy),
            (K::QueuePosition, self.queue_position),
            (K::OverCapacity, self.over_capacity),
            (K::DeskClosing, self.desk_closing),
            (K::Closed, self.closed),
            (K::AutoCloseWarning, self.auto_close_warning),
            (K::AutoClosed, self.auto_closed),
            (K::RatingRequest, self.rating_request),
            (K::Blocked, self.blocked),
        ]
        .into_iter()
        .filter_map(|(kind, body)| {
            body.map(|b| {
                (
                    kind,
                    AutoMessageSpec {
                        enabled: b.enabled,
                        text: b.text,
                    },
                )
            })
        })
        .collect();
        let too_long: Vec<CoreError> = specs
            .iter()
            .filter_map(|(kind, spec)| {
                let chars = spec.text.chars().count();
                (chars > MAX_AUTO_MESSAGE_CHARS).then(|| CoreError::InvalidAutoMessage {
                    field: format!("auto_messages.{kind}.text"),
                    problem: MessageProblem::TooLong { chars },
                })
            })
            .collect();
        if too_long.is_empty() {
            Ok(specs)
        } else {
            Err(too_long)
        }
    }
}

/// The site's automatic messages (admin).
#[utoipa::path(
    get,
    path = "/site/auto-messages",
    tag = "site",
    security(("session" = []), ("bearer" = [])),
    responses(
        (status = 200, description = "Every kind's message.", body = AutoMessagesView),
        (status = 401, description = "Not logged in.", body = ErrorBody),
        (status = 403, description = "Not the site's admin.", body = ErrorBody),
    )
)]
pub async fn get_auto_messages(
    State(st): State<AppState>,
    Admin(admin): Admin,
) -> Result<Json<AutoMessagesView>, ApiError> {
    let SiteMessages { messages, saved } = st.app.site_auto_messages(&admin).await?;
    Ok(Json(messages_view(saved, &messages)))
}

/// Save automatic messages (admin): every message given is checked, and every bad one is
/// refused at once (nothing is saved), each naming its field.
#[utoipa::path(
    put,
    path = "/site/auto-messages",
    tag = "site",
    security(("session" = []), ("bearer" = [])),
    request_body = AutoMessagesRequest,
    responses(
        (status = 200, description = "Saved; every kind's message now.", body = AutoMessagesView),
        (status = 400, description = "The body is not a change of messages.", body = ErrorBody),
        (status = 401, description = "Not logged in.", body = ErrorBody),
        (status = 403, description = "Not the site's admin.", body = ErrorBody),
        (status = 413, description = "The body is too large.", body = ErrorBody),
        (status = 422, description = "`invalid_auto_message`: `details.errors` has one entry per refused message, its `field` (`auto_messages.greeting.text`), `problem` (`unknown_variables` with the names in `values`, `message_too_long`, `message_required`, `invalid_message`).", body = ErrorBody),
    )
)]
pub async fn put_auto_messages(
    State(st): State<AppState>,
    Admin(admin): Admin,
    body: Result<Body<AutoMessagesRequest>, ApiError>,
) -> Result<Json<AutoMessagesView>, ApiError> {
    let Body(req) = body?;
    let specs = req.specs().map_err(AppError::Rules)?;
    let messages = st.app.save_auto_messages(&admin, &specs).await?;
    Ok(Json(messages_view(true, &messages)))
}
