//! Business hours (R3.4): when a site's desk is open, as a pure function of its calendar and an
//! instant.
//!
//! A site's [`Hours`] are a time zone (an IANA name, `Asia/Seoul` unless set), three day
//! schedules (weekdays Monday to Friday, Saturday, Sunday), registered holidays by local date,
//! and whether inflows outside the hours still enter the queue. A [`DaySchedule`] is off, all
//! day, or up to [`MAX_RANGES`] from–to ranges to the minute; a "to" at or before its "from"
//! runs past midnight into the next day (`22:00–02:00`; `09:00–09:00` is 24 hours). A holiday
//! replaces the schedule of its date: off for the whole day, or its own changed hours.
//!
//! The rules this module decides, where the spec is silent:
//! - A range belongs to the day it starts on. Friday `22:00–02:00` keeps the desk open until
//!   Saturday 02:00 even when Saturday is off, and also when Saturday is a registered holiday:
//!   a holiday changes the shifts that start on its date, not the night shift that began the
//!   evening before (people already working finish their shift). A holiday on Friday, in
//!   turn, cancels Friday's `22:00–02:00` whole, its Saturday-morning part included.
//! - Open is the union of every range: a Friday night range and a Saturday range that meet or
//!   overlap make one opening ([`closes_at`] follows it to its real end).
//! - The ranges of one schedule may not overlap, also across midnight (a range running past
//!   midnight may not reach the same schedule's first morning range), so one schedule covers
//!   at most 24 hours a day. Schedules of different days may meet or overlap.
//! - Clock changes: a local time that does not exist (the hour skipped when summer time
//!   starts) is read as the first instant after the gap; a local time that happens twice (the
//!   hour repeated when it ends) as the earlier one. A range `09:00–18:00` is therefore still
//!   nine hours on those days unless it spans the change, when it is eight or ten.
//! - [`next_opening`] looks at most [`LOOKAHEAD_DAYS`] ahead and says `None` beyond; at an
//!   instant that is open it answers that instant.
//! - A site that never saved hours is open around the clock ([`Hours::default`]), as every
//!   site was before hours existed, and still takes inflows into the queue.
//!
//! Time zones come from the IANA database bundled in the binary (jiff's `tzdb-bundle-always`),
//! looked up in that copy explicitly: an answer never depends on the machine's
//! `/usr/share/zoneinfo`, and a zone name is checked against the same data it is used with.
//!
//! [`describe_opening`] words the next opening for the off-hours message in the customer's
//! language; [`import_ics`] reads holidays from an iCalendar file (a public-holiday calendar).

mod describe;
mod ical;
mod schedule;

use jiff::civil::Date;
use jiff::tz::AmbiguousOffset;
use jiff::{Timestamp, ToSpan};

pub use describe::{describe_next_opening, describe_opening};
pub use ical::{
    HolidayImport, MAX_HOLIDAY_EVENT_DAYS, MAX_ICS_BYTES, SkipReason, Skipped, import_ics,
};
pub use schedule::{DaySchedule, Holiday, Hours, HoursProblem, HoursSpec, Range, TimeOfDay, Zone};

/// The time zone of a site that has not chosen one.
pub const DEFAULT_TIME_ZONE: &str = "Asia/Seoul";
/// Most from–to ranges one day schedule holds (a split shift with breaks fits easily).
pub const MAX_RANGES: usize = 8;
/// Most holidays a site registers (some years of public holidays and closures).
pub const MAX_HOLIDAYS: usize = 1000;
/// Longest holiday name, in characters.
pub const MAX_HOLIDAY_NAME_CHARS: usize = 50;
/// How far ahead [`next_opening`] and [`closes_at`] look, in days.
pub const LOOKAHEAD_DAYS: i32 = 366;

const DAY_MINUTES: u16 = 24 * 60;

/// The open intervals `[start, end)` of the schedules of the local dates `first..=last`,
/// by start. An interval the clock change leaves empty is left out.
fn intervals(hours: &Hours, first: Date, last: Date) -> Vec<(Timestamp, Timestamp)> {
    let mut out = Vec::new();
    let mut day = first;
    while day <= last {
        let next = day.tomorrow().ok();
        match hours.schedule_for(day) {
            DaySchedule::Off => {}
            DaySchedule::AllDay => {
                if let (Some(a), Some(b)) = (
                    resolve(hours, day, TimeOfDay::MIDNIGHT),
                    next.and_then(|n| resolve(hours, n, TimeOfDay::MIDNIGHT)),
                ) {
                    out.push((a, b));
                }
            }
            DaySchedule::Ranges { ranges } => {
                for r in ranges {
                    let end_day = if r.crosses_midnight() {
                        next
                    } else {
                        Some(day)
                    };
                    if let (Some(a), Some(b)) = (
                        resolve(hours, day, r.from),
                        end_day.and_then(|d| resolve(hours, d, r.to)),
                    ) {
                        out.push((a, b));
                    }
                }
            }
        }
        match next {
            Some(n) => day = n,
            None => break,
        }
    }
    out.retain(|(a, b)| a < b);
    out.sort_unstable();
    out
}

/// The instant a local date and time names in the site's zone: in a gap (the skipped hour),
/// the first instant after it; in a fold (the repeated hour), the earlier one.
fn resolve(hours: &Hours, date: Date, time: TimeOfDay) -> Option<Timestamp> {
    let dt = date.at(
        i8::try_from(time.hour()).ok()?,
        i8::try_from(time.minute()).ok()?,
        0,
        0,
    );
    let tz = hours.zone().time_zone();
    match tz.to_ambiguous_timestamp(dt).offset() {
        AmbiguousOffset::Unambiguous { offset } => offset.to_timestamp(dt).ok(),
        AmbiguousOffset::Fold { before, after } => {
            let (a, b) = (before.to_timestamp(dt).ok()?, after.to_timestamp(dt).ok()?);
            Some(a.min(b))
        }
        AmbiguousOffset::Gap { before, after } => {
            // Read with the offset after the change the time lies before the transition,
            // read with the one before it after: the transition is between.
            let early = after.to_timestamp(dt).ok()?;
            let late = before.to_timestamp(dt).ok()?;
            let transition = tz.following(early).next().map(|t| t.timestamp());
            Some(transition.map_or(late, |t| t.min(late)))
        }
    }
}

fn local_date(hours: &Hours, instant: Timestamp) -> Date {
    hours.zone().local(instant).date()
}

/// `date` moved by `days` (saturating at jiff's calendar limits).
fn shift(date: Date, days: i32) -> Date {
    date.checked_add(days.days()).unwrap_or(date)
}

/// Whether the desk is open at `instant`.
pub fn is_open(hours: &Hours, instant: Timestamp) -> bool {
    let today = local_date(hours, instant);
    // Two days back: a range reaches at most into the next day, and a clock change at
    // midnight can move a local date by one more.
    intervals(hours, shift(today, -2), shift(today, 1))
        .iter()
        .any(|(a, b)| *a <= instant && instant < *b)
}

/// The first instant at or after `instant` when the desk is open (`instant` itself when it is
/// open), or `None` when it does not open within [`LOOKAHEAD_DAYS`].
pub fn next_opening(hours: &Hours, instant: Timestamp) -> Option<Timestamp> {
    const CHUNK: i32 = 7;
    let today = local_date(hours, instant);
    let mut first = shift(today, -2);
    let horizon = shift(today, LOOKAHEAD_DAYS);
    let mut best: Option<Timestamp> = None;
    // Chunks of days in order: a later chunk's ranges start later, unless a clock change
    // folds midnight back, so one more chunk after the first finding settles it.
    let mut settled = false;
    while first <= horizon {
        let last = shift(first, CHUNK - 1).min(horizon);
        let found = intervals(hours, first, last)
            .into_iter()
            .filter(|(_, b)| *b > instant)
            .map(|(a, _)| a.max(instant))
            .min();
        if let Some(found) = found {
            best = Some(best.map_or(found, |b| b.min(found)));
        }
        if best.is_some() {
            if settled {
                break;
            }
            settled = true;
        }
        if last >= horizon {
            break;
        }
        first = shift(last, 1);
    }
    best
}

/// When the opening `instant` is in ends (the union of meeting ranges, across days), or `None`
/// when the desk is closed at `instant` or stays open past [`LOOKAHEAD_DAYS`].
pub fn closes_at(hours: &Hours, instant: Timestamp) -> Option<Timestamp> {
    let today = local_date(hours, instant);
    let intervals = intervals(hours, shift(today, -2), shift(today, LOOKAHEAD_DAYS));
    let mut end: Option<Timestamp> = None;
    for (a, b) in intervals {
        match end {
            None if a <= instant && instant < b => end = Some(b),
            Some(e) if a <= e && b > e => end = Some(b),
            _ => {}
        }
    }
    let end = end?;
    // Still open at the end of the horizon: it does not close within it.
    let horizon_end = resolve(hours, shift(today, LOOKAHEAD_DAYS), TimeOfDay::MIDNIGHT)?;
    (end < horizon_end).then_some(end)
}

/// Open (until when, if known) or closed (until when, if known) at an instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeskStatus {
    Open { closes_at: Option<Timestamp> },
    Closed { opens_at: Option<Timestamp> },
}

/// [`closes_at`] or [`next_opening`], whichever applies at `instant`.
pub fn desk_status(hours: &Hours, instant: Timestamp) -> DeskStatus {
    if is_open(hours, instant) {
        DeskStatus::Open {
            closes_at: closes_at(hours, instant),
        }
    } else {
        DeskStatus::Closed {
            opens_at: next_opening(hours, instant),
        }
    }
}

/// The instant `ms` milliseconds after the Unix epoch (the unit of the application's clock and
/// the store), or `None` beyond the years jiff reads.
pub fn instant_ms(ms: i64) -> Option<Timestamp> {
    Timestamp::from_millisecond(ms).ok()
}

/// [`is_open`] at `ms` epoch milliseconds. An instant beyond jiff's years counts as open: no
/// clock shows one, and an open desk is what a site had before hours existed.
pub fn is_open_ms(hours: &Hours, ms: i64) -> bool {
    instant_ms(ms).is_none_or(|at| is_open(hours, at))
}

/// What a customer's arrival (a consultation opening) meets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arrival {
    /// The desk is open: the consultation goes to distribution as usual.
    Open,
    /// Closed, and the site takes off-hours inflows: the consultation waits in the queue and
    /// the customer hears the off-hours message.
    Queued { opens_at: Option<Timestamp> },
    /// Closed, and the site does not take them: the customer hears the off-hours message and
    /// nothing enters the queue.
    Refused { opens_at: Option<Timestamp> },
}

/// How the desk meets an arrival at `instant`.
pub fn on_arrival(hours: &Hours, instant: Timestamp) -> Arrival {
    if is_open(hours, instant) {
        return Arrival::Open;
    }
    let opens_at = next_opening(hours, instant);
    if hours.accept_off_hours_into_queue() {
        Arrival::Queued { opens_at }
    } else {
        Arrival::Refused { opens_at }
    }
}

#[cfg(test)]
mod tests;
