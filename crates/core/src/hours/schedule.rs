//! The calendar a site saves: its zone, day schedules, ranges, times of day and holidays, as
//! checked types with the structured refusals of [`HoursProblem`]. What the calendar means
//! at an instant is the parent module's.

use std::collections::BTreeMap;
use std::fmt;

use jiff::Timestamp;
use jiff::civil::{Date, DateTime, Weekday};
use jiff::tz::{TimeZone, TimeZoneDatabase};
use serde::{Deserialize, Serialize};

use super::{DAY_MINUTES, DEFAULT_TIME_ZONE, MAX_HOLIDAY_NAME_CHARS, MAX_HOLIDAYS, MAX_RANGES};
use crate::error::CoreError;

/// Why business hours were refused; each has a stable [`HoursProblem::code`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HoursProblem {
    /// A name the bundled IANA database does not know.
    UnknownTimeZone(String),
    /// A time of day that is not `HH:MM` from 00:00 to 23:59 (`24:00` only as a "to").
    InvalidTime(String),
    /// A schedule of ranges without any range (say `off` instead).
    NoRanges,
    TooManyRanges(usize),
    /// Two ranges of one schedule overlap (as written).
    OverlappingRanges {
        first: String,
        second: String,
    },
    TooManyHolidays(usize),
    /// A date registered twice.
    DuplicateHoliday(Date),
    HolidayNameTooLong(usize),
    /// A holiday name with a control character.
    InvalidHolidayName,
}

impl HoursProblem {
    /// The stable snake_case name, for an API's details.
    pub fn code(&self) -> &'static str {
        match self {
            HoursProblem::UnknownTimeZone(_) => "unknown_time_zone",
            HoursProblem::InvalidTime(_) => "invalid_time",
            HoursProblem::NoRanges => "no_ranges",
            HoursProblem::TooManyRanges(_) => "too_many_ranges",
            HoursProblem::OverlappingRanges { .. } => "overlapping_ranges",
            HoursProblem::TooManyHolidays(_) => "too_many_holidays",
            HoursProblem::DuplicateHoliday(_) => "duplicate_holiday",
            HoursProblem::HolidayNameTooLong(_) => "holiday_name_too_long",
            HoursProblem::InvalidHolidayName => "invalid_holiday_name",
        }
    }

    fn at(self, field: impl Into<String>) -> CoreError {
        CoreError::InvalidHours {
            field: field.into(),
            problem: self,
        }
    }
}

impl fmt::Display for HoursProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HoursProblem::UnknownTimeZone(name) => write!(
                f,
                "{name:?} is not a time zone: expected an IANA name such as Asia/Seoul"
            ),
            HoursProblem::InvalidTime(value) => write!(
                f,
                "{value:?} is not a time of day: expected HH:MM from 00:00 to 23:59 (24:00 as \
                 an end)"
            ),
            HoursProblem::NoRanges => {
                f.write_str("a schedule of hours needs at least one range (or is off)")
            }
            HoursProblem::TooManyRanges(n) => write!(
                f,
                "a day has at most {MAX_RANGES} ranges of hours; this one has {n}"
            ),
            HoursProblem::OverlappingRanges { first, second } => write!(
                f,
                "the ranges {first} and {second} overlap (a range past midnight counts into \
                 the next morning)"
            ),
            HoursProblem::TooManyHolidays(n) => write!(
                f,
                "a site registers at most {MAX_HOLIDAYS} holidays; this would be {n}"
            ),
            HoursProblem::DuplicateHoliday(date) => {
                write!(f, "{date} is registered twice")
            }
            HoursProblem::HolidayNameTooLong(n) => write!(
                f,
                "a holiday name has at most {MAX_HOLIDAY_NAME_CHARS} characters; this one has {n}"
            ),
            HoursProblem::InvalidHolidayName => {
                f.write_str("a holiday name contains a control character")
            }
        }
    }
}

/// A site's time zone: an IANA name of the bundled database, kept in its canonical spelling.
#[derive(Clone)]
pub struct Zone {
    name: String,
    tz: TimeZone,
}

impl Zone {
    /// The zone of an IANA name (`Asia/Seoul`, `europe/berlin`, `UTC`), trimmed.
    pub fn parse(name: &str) -> Result<Zone, CoreError> {
        let given = name.trim();
        let unknown = || HoursProblem::UnknownTimeZone(given.to_owned()).at("time_zone");
        // `Etc/Unknown` is jiff's marker for "no zone", not a place.
        if given.is_empty() || given.eq_ignore_ascii_case("Etc/Unknown") {
            return Err(unknown());
        }
        let tz = TimeZoneDatabase::bundled()
            .get(given)
            .map_err(|_| unknown())?;
        let name = tz.iana_name().unwrap_or(given).to_owned();
        Ok(Zone { name, tz })
    }

    /// The canonical IANA name.
    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn time_zone(&self) -> &TimeZone {
        &self.tz
    }

    /// The local date and time of an instant.
    pub fn local(&self, instant: Timestamp) -> DateTime {
        self.tz.to_datetime(instant)
    }
}

impl Default for Zone {
    fn default() -> Self {
        Zone::parse(DEFAULT_TIME_ZONE).unwrap_or_else(|_| Zone {
            // Unreachable with the bundled database; Seoul has kept +09:00 since 1988.
            name: DEFAULT_TIME_ZONE.to_owned(),
            tz: TimeZone::fixed(jiff::tz::offset(9)),
        })
    }
}

impl fmt::Debug for Zone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Zone").field(&self.name).finish()
    }
}

impl fmt::Display for Zone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name)
    }
}

impl PartialEq for Zone {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}

impl Eq for Zone {}

/// A time of day to the minute, written `HH:MM`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct TimeOfDay(u16);

impl TimeOfDay {
    pub const MIDNIGHT: TimeOfDay = TimeOfDay(0);

    /// `None` outside 00:00–23:59.
    pub fn new(hour: u8, minute: u8) -> Option<TimeOfDay> {
        (hour < 24 && minute < 60).then(|| TimeOfDay(u16::from(hour) * 60 + u16::from(minute)))
    }

    /// `HH:MM` (or `H:MM`) from 00:00 to 23:59.
    pub fn parse(s: &str) -> Result<TimeOfDay, CoreError> {
        parse_hm(s.trim())
            .filter(|m| *m < DAY_MINUTES)
            .map(TimeOfDay)
            .ok_or_else(|| HoursProblem::InvalidTime(s.to_owned()).at("time"))
    }

    pub fn hour(self) -> u8 {
        u8::try_from(self.0 / 60).unwrap_or(0)
    }

    pub fn minute(self) -> u8 {
        u8::try_from(self.0 % 60).unwrap_or(0)
    }

    /// Minutes since midnight.
    pub fn minutes(self) -> u16 {
        self.0
    }
}

/// Minutes of `H:MM`/`HH:MM`, up to 24:00.
fn parse_hm(s: &str) -> Option<u16> {
    let (h, m) = s.split_once(':')?;
    let digits = |p: &str, max_len: usize| {
        (!p.is_empty() && p.len() <= max_len && p.bytes().all(|b| b.is_ascii_digit()))
            .then(|| p.parse::<u16>().ok())
            .flatten()
    };
    let (h, m) = (digits(h, 2)?, digits(m, 2).filter(|_| m.len() == 2)?);
    (m < 60 && (h < 24 || (h == 24 && m == 0))).then_some(h * 60 + m)
}

impl fmt::Display for TimeOfDay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}:{:02}", self.hour(), self.minute())
    }
}

impl Serialize for TimeOfDay {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for TimeOfDay {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        TimeOfDay::parse(&s).map_err(serde::de::Error::custom)
    }
}

/// One from–to range of a day. A `to` at or before `from` runs past midnight into the next
/// day; `to` may be written `24:00` for the end of the day (stored as `00:00`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Range {
    pub from: TimeOfDay,
    pub to: TimeOfDay,
}

impl Range {
    pub fn new(from: TimeOfDay, to: TimeOfDay) -> Range {
        Range { from, to }
    }

    /// A range from its written ends (`"09:00"`, `"24:00"`).
    pub fn parse(from: &str, to: &str) -> Result<Range, CoreError> {
        let from = TimeOfDay::parse(from)?;
        let to = parse_hm(to.trim())
            .map(|m| TimeOfDay(m % DAY_MINUTES))
            .ok_or_else(|| HoursProblem::InvalidTime(to.to_owned()).at("time"))?;
        Ok(Range { from, to })
    }

    /// Whether it runs past midnight into the next day.
    pub fn crosses_midnight(self) -> bool {
        self.to <= self.from
    }

    /// Its length in minutes (1 to 1440).
    pub fn minutes(self) -> u16 {
        self.end_minute() - self.from.0
    }

    /// Where it ends, in minutes from the start of its own day (up to two days).
    fn end_minute(self) -> u16 {
        if self.crosses_midnight() {
            self.to.0 + DAY_MINUTES
        } else {
            self.to.0
        }
    }
}

impl fmt::Display for Range {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}–{}", self.from, self.to)
    }
}

impl<'de> Deserialize<'de> for Range {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct Raw {
            from: String,
            to: String,
        }
        let raw = Raw::deserialize(d)?;
        Range::parse(&raw.from, &raw.to).map_err(serde::de::Error::custom)
    }
}

/// The hours of one kind of day.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DaySchedule {
    /// Closed all day.
    #[default]
    Off,
    /// Open from midnight to midnight.
    AllDay,
    /// Open in these ranges (sorted by start once checked).
    Ranges { ranges: Vec<Range> },
}

impl DaySchedule {
    /// A schedule of ranges, from `(from, to)` pairs as written.
    pub fn ranges(pairs: &[(&str, &str)]) -> Result<DaySchedule, CoreError> {
        let ranges = pairs
            .iter()
            .map(|(from, to)| Range::parse(from, to))
            .collect::<Result<Vec<_>, _>>()?;
        DaySchedule::Ranges { ranges }.checked("schedule")
    }

    /// The schedule as stored: ranges sorted by start; refused when it has no range, too many,
    /// or two that overlap on the 24-hour clock.
    pub fn checked(self, field: &str) -> Result<DaySchedule, CoreError> {
        let DaySchedule::Ranges { mut ranges } = self else {
            return Ok(self);
        };
        if ranges.is_empty() {
            return Err(HoursProblem::NoRanges.at(format!("{field}.ranges")));
        }
        if ranges.len() > MAX_RANGES {
            return Err(HoursProblem::TooManyRanges(ranges.len()).at(format!("{field}.ranges")));
        }
        ranges.sort_by_key(|r| (r.from, r.to));
        // Each range's minutes on the 24-hour circle: one piece, or two when it passes
        // midnight (to the end of the day, and from the start of the next).
        let mut pieces: Vec<(u16, u16, usize)> = Vec::new();
        for (i, r) in ranges.iter().enumerate() {
            let end = r.end_minute();
            if end > DAY_MINUTES {
                pieces.push((r.from.0, DAY_MINUTES, i));
                pieces.push((0, end - DAY_MINUTES, i));
            } else {
                pieces.push((r.from.0, end, i));
            }
        }
        pieces.sort_unstable();
        for pair in pieces.windows(2) {
            let ((_, end, a), (start, _, b)) = (pair[0], pair[1]);
            if start < end && a != b {
                let (a, b) = (a.min(b), a.max(b));
                return Err(HoursProblem::OverlappingRanges {
                    first: ranges[a].to_string(),
                    second: ranges[b].to_string(),
                }
                .at(format!("{field}.ranges[{b}]")));
            }
        }
        Ok(DaySchedule::Ranges { ranges })
    }
}

/// A registered date with its own hours: off all day, or changed hours.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Holiday {
    pub date: Date,
    /// What it is (`추석`, `Inventory day`); none is fine.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Its hours; `off` (the default) closes the whole day.
    #[serde(default)]
    pub schedule: DaySchedule,
}

impl Holiday {
    /// A whole day off.
    pub fn off(date: Date, name: Option<&str>) -> Holiday {
        Holiday {
            date,
            name: name.map(str::to_owned),
            schedule: DaySchedule::Off,
        }
    }
}

/// Business hours as a site saves them (the API's body): checked by [`Hours::parse`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HoursSpec {
    /// An IANA name; `Asia/Seoul` when absent.
    #[serde(default = "default_zone_name")]
    pub time_zone: String,
    /// Monday to Friday.
    pub weekdays: DaySchedule,
    pub saturday: DaySchedule,
    pub sunday: DaySchedule,
    #[serde(default)]
    pub holidays: Vec<Holiday>,
    /// Whether an inflow outside the hours still enters the queue (answered when the desk
    /// opens) rather than only hearing the off-hours message.
    #[serde(default = "yes")]
    pub accept_off_hours_into_queue: bool,
}

fn default_zone_name() -> String {
    DEFAULT_TIME_ZONE.to_owned()
}

fn yes() -> bool {
    true
}

/// A site's business hours, checked: see the module documentation for what they mean.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "HoursSpec", into = "HoursSpec")]
pub struct Hours {
    zone: Zone,
    weekdays: DaySchedule,
    saturday: DaySchedule,
    sunday: DaySchedule,
    holidays: BTreeMap<Date, Holiday>,
    accept_off_hours_into_queue: bool,
}

impl Default for Hours {
    /// Open around the clock in Seoul, off-hours inflows queued (there are none).
    fn default() -> Self {
        Hours {
            zone: Zone::default(),
            weekdays: DaySchedule::AllDay,
            saturday: DaySchedule::AllDay,
            sunday: DaySchedule::AllDay,
            holidays: BTreeMap::new(),
            accept_off_hours_into_queue: true,
        }
    }
}

impl Hours {
    /// Checks business hours as given; the first problem found is the error, naming its field.
    /// Holiday names are trimmed (empty is none).
    pub fn parse(spec: HoursSpec) -> Result<Hours, CoreError> {
        let zone = Zone::parse(&spec.time_zone)?;
        let weekdays = spec.weekdays.checked("weekdays")?;
        let saturday = spec.saturday.checked("saturday")?;
        let sunday = spec.sunday.checked("sunday")?;
        if spec.holidays.len() > MAX_HOLIDAYS {
            return Err(HoursProblem::TooManyHolidays(spec.holidays.len()).at("holidays"));
        }
        let mut holidays = BTreeMap::new();
        for (i, h) in spec.holidays.into_iter().enumerate() {
            let name = check_holiday_name(h.name.as_deref(), i)?;
            let schedule = h.schedule.checked(&format!("holidays[{i}].schedule"))?;
            let date = h.date;
            if holidays.contains_key(&date) {
                return Err(HoursProblem::DuplicateHoliday(date).at(format!("holidays[{i}].date")));
            }
            holidays.insert(
                date,
                Holiday {
                    date,
                    name,
                    schedule,
                },
            );
        }
        Ok(Hours {
            zone,
            weekdays,
            saturday,
            sunday,
            holidays,
            accept_off_hours_into_queue: spec.accept_off_hours_into_queue,
        })
    }

    pub fn zone(&self) -> &Zone {
        &self.zone
    }

    pub fn weekdays(&self) -> &DaySchedule {
        &self.weekdays
    }

    pub fn saturday(&self) -> &DaySchedule {
        &self.saturday
    }

    pub fn sunday(&self) -> &DaySchedule {
        &self.sunday
    }

    /// The registered holidays, by date.
    pub fn holidays(&self) -> impl Iterator<Item = &Holiday> {
        self.holidays.values()
    }

    pub fn holiday(&self, date: Date) -> Option<&Holiday> {
        self.holidays.get(&date)
    }

    pub fn accept_off_hours_into_queue(&self) -> bool {
        self.accept_off_hours_into_queue
    }

    /// The schedule that rules a local date: its holiday's, or its day of the week's.
    pub fn schedule_for(&self, date: Date) -> &DaySchedule {
        if let Some(h) = self.holidays.get(&date) {
            return &h.schedule;
        }
        match date.weekday() {
            Weekday::Saturday => &self.saturday,
            Weekday::Sunday => &self.sunday,
            _ => &self.weekdays,
        }
    }

    /// The hours as a site edits them.
    pub fn to_spec(&self) -> HoursSpec {
        HoursSpec::from(self.clone())
    }

    /// These hours with `imported` holidays added: a date the site registered already keeps
    /// its own entry (its changed hours are deliberate); the dates left out are returned.
    pub fn with_holidays(&self, imported: &[Holiday]) -> Result<(Hours, Vec<Date>), CoreError> {
        let mut spec = self.to_spec();
        let mut kept = Vec::new();
        for h in imported {
            if spec.holidays.iter().any(|x| x.date == h.date) {
                kept.push(h.date);
            } else {
                spec.holidays.push(h.clone());
            }
        }
        Ok((Hours::parse(spec)?, kept))
    }
}

fn check_holiday_name(name: Option<&str>, i: usize) -> Result<Option<String>, CoreError> {
    let Some(name) = name.map(str::trim).filter(|n| !n.is_empty()) else {
        return Ok(None);
    };
    let chars = name.chars().count();
    if chars > MAX_HOLIDAY_NAME_CHARS {
        return Err(HoursProblem::HolidayNameTooLong(chars).at(format!("holidays[{i}].name")));
    }
    if name.chars().any(char::is_control) {
        return Err(HoursProblem::InvalidHolidayName.at(format!("holidays[{i}].name")));
    }
    Ok(Some(name.to_owned()))
}

impl TryFrom<HoursSpec> for Hours {
    type Error = CoreError;

    fn try_from(spec: HoursSpec) -> Result<Self, Self::Error> {
        Hours::parse(spec)
    }
}

impl From<Hours> for HoursSpec {
    fn from(h: Hours) -> Self {
        HoursSpec {
            time_zone: h.zone.name,
            weekdays: h.weekdays,
            saturday: h.saturday,
            sunday: h.sunday,
            holidays: h.holidays.into_values().collect(),
            accept_off_hours_into_queue: h.accept_off_hours_into_queue,
        }
    }
}
