//! Holidays from an iCalendar file (RFC 5545), such as a public-holiday calendar exported
//! from a calendar service ("대한민국의 휴일").
//!
//! Each all-day event (`DTSTART;VALUE=DATE:20260301`, or a bare eight-digit date) becomes a
//! whole day off named by its `SUMMARY`, one holiday per date it covers: `DTEND` is the day
//! after the last (as the standard has it), a `DURATION` of days or weeks works too, and none
//! of either is one day. What is not a day off is left out and reported with its reason:
//! timed events (a meeting at 14:00 is no holiday), repeating events (`RRULE`: the file
//! should list each year's dates), cancelled ones, observances that are no day off (an export
//! marks them `기념일` / `Observance` in the first line of `DESCRIPTION`), events longer than
//! [`MAX_HOLIDAY_EVENT_DAYS`], and events whose dates cannot be read. Two events on one date
//! (어린이날 and 부처님 오신 날 in 2025) make one holiday with both names.
//!
//! A file that is no calendar, or breaks the syntax, is refused whole with
//! [`CoreError::InvalidCalendar`]; the parser is `icalendar`'s, which reports where.

use std::collections::BTreeMap;

use icalendar::parser::{Component, Property, read_calendar, unfold};
use jiff::ToSpan;
use jiff::civil::Date;

use super::{Holiday, MAX_HOLIDAY_NAME_CHARS};
use crate::error::CoreError;

/// Largest file read, in bytes (a national calendar over several years is well under).
pub const MAX_ICS_BYTES: usize = 1024 * 1024;
/// Longest all-day event imported, in days (a month's closure; longer is likely a mistake or
/// a season, not a holiday).
pub const MAX_HOLIDAY_EVENT_DAYS: i32 = 31;
/// Longest reason kept from the parser's error.
const MAX_ERROR_CHARS: usize = 300;

/// What an import found.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct HolidayImport {
    /// Whole days off, by date, one per date.
    pub holidays: Vec<Holiday>,
    /// The events left out, in file order.
    pub skipped: Vec<Skipped>,
}

/// An event left out of an import.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// Its `SUMMARY`, when it has one.
    pub summary: Option<String>,
    /// Its `DTSTART` as written.
    pub start: Option<String>,
    pub reason: SkipReason,
}

/// Why an event was left out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SkipReason {
    /// It has a time of day: not a whole day.
    Timed,
    /// It repeats (`RRULE`); only listed dates are imported.
    Recurring,
    Cancelled,
    /// Marked as an observance, not a day off.
    Observance,
    /// Longer than [`MAX_HOLIDAY_EVENT_DAYS`].
    TooLong,
    /// No start, or dates that cannot be read (or end before they start).
    BadDates,
}

impl SkipReason {
    /// The stable snake_case name.
    pub fn code(self) -> &'static str {
        match self {
            SkipReason::Timed => "timed",
            SkipReason::Recurring => "recurring",
            SkipReason::Cancelled => "cancelled",
            SkipReason::Observance => "observance",
            SkipReason::TooLong => "too_long",
            SkipReason::BadDates => "bad_dates",
        }
    }

    /// An English sentence for the import report.
    pub fn describe(self) -> &'static str {
        match self {
            SkipReason::Timed => "it has a time of day, so it is not a whole day off",
            SkipReason::Recurring => {
                "it repeats (RRULE); only events listed with their dates are imported"
            }
            SkipReason::Cancelled => "it is cancelled",
            SkipReason::Observance => "it is an observance, not a day off",
            SkipReason::TooLong => "it lasts longer than a holiday may",
            SkipReason::BadDates => "its dates cannot be read",
        }
    }
}

/// Reads the holidays of an iCalendar text; see the module documentation.
pub fn import_ics(text: &str) -> Result<HolidayImport, CoreError> {
    if text.len() > MAX_ICS_BYTES {
        return Err(CoreError::InvalidCalendar(format!(
            "the file has {} bytes; at most {MAX_ICS_BYTES} are read",
            text.len()
        )));
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let unfolded = unfold(text);
    let calendar = read_calendar(&unfolded).map_err(|e| {
        let reason: String = e.chars().take(MAX_ERROR_CHARS).collect();
        CoreError::InvalidCalendar(reason.trim().to_owned())
    })?;
    // The parser takes any component list; a calendar file has a VCALENDAR with the events.
    let has_root = unfolded
        .lines()
        .find(|l| !l.trim().is_empty())
        .is_some_and(|l| l.trim().eq_ignore_ascii_case("BEGIN:VCALENDAR"));
    if !has_root {
        return Err(CoreError::InvalidCalendar(
            "it does not start with BEGIN:VCALENDAR".into(),
        ));
    }
    let mut days: BTreeMap<Date, Vec<String>> = BTreeMap::new();
    let mut skipped = Vec::new();
    for event in calendar
        .components
        .iter()
        .filter(|c| c.name.as_str().eq_ignore_ascii_case("VEVENT"))
    {
        let summary = prop(event, "SUMMARY")
            .map(|p| clean_name(p.val.clone().unescape_text().as_str()))
            .filter(|s| !s.is_empty());
        let start = prop(event, "DTSTART");
        match event_dates(event) {
            Ok(dates) => {
                for date in dates {
                    let names = days.entry(date).or_default();
                    if let Some(s) = &summary
                        && !names.contains(s)
                    {
                        names.push(s.clone());
                    }
                }
            }
            Err(reason) => skipped.push(Skipped {
                summary,
                start: start.map(|p| p.val.as_str().to_owned()),
                reason,
            }),
        }
    }
    let holidays = days
        .into_iter()
        .map(|(date, names)| {
            let name: String = names
                .join(", ")
                .chars()
                .take(MAX_HOLIDAY_NAME_CHARS)
                .collect();
            let name = name.trim();
            Holiday::off(date, (!name.is_empty()).then_some(name))
        })
        .collect();
    Ok(HolidayImport { holidays, skipped })
}

fn prop<'c>(c: &'c Component<'_>, name: &str) -> Option<&'c Property<'c>> {
    c.properties
        .iter()
        .find(|p| p.name.as_str().eq_ignore_ascii_case(name))
}

fn param<'p>(p: &'p Property<'_>, key: &str) -> Option<&'p str> {
    p.params
        .iter()
        .find(|x| x.key.as_str().eq_ignore_ascii_case(key))
        .and_then(|x| x.val.as_ref())
        .map(|v| v.as_str())
}

/// A name as a holiday keeps it: control characters (an escaped line break) become spaces,
/// runs of spaces one.
fn clean_name(s: &str) -> String {
    s.split(|c: char| c.is_control() || c.is_whitespace())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The dates an all-day event covers, or why it is left out.
fn event_dates(event: &Component<'_>) -> Result<Vec<Date>, SkipReason> {
    if prop(event, "STATUS").is_some_and(|p| p.val.as_str().eq_ignore_ascii_case("CANCELLED")) {
        return Err(SkipReason::Cancelled);
    }
    let first_line = prop(event, "DESCRIPTION").and_then(|p| {
        p.val
            .clone()
            .unescape_text()
            .as_str()
            .lines()
            .next()
            .map(|l| l.trim().to_lowercase())
    });
    if first_line.is_some_and(|l| l == "기념일" || l == "observance") {
        return Err(SkipReason::Observance);
    }
    let start = prop(event, "DTSTART").ok_or(SkipReason::BadDates)?;
    if is_timed(start) {
        return Err(SkipReason::Timed);
    }
    if prop(event, "RRULE").is_some() || prop(event, "RDATE").is_some() {
        return Err(SkipReason::Recurring);
    }
    let first = parse_date(start.val.as_str()).ok_or(SkipReason::BadDates)?;
    let days = match (prop(event, "DTEND"), prop(event, "DURATION")) {
        (Some(end), _) => {
            if is_timed(end) {
                return Err(SkipReason::Timed);
            }
            let end = parse_date(end.val.as_str()).ok_or(SkipReason::BadDates)?;
            let span = end.since(first).map_err(|_| SkipReason::BadDates)?;
            span.get_days()
        }
        (None, Some(d)) => parse_day_duration(d.val.as_str()).ok_or(SkipReason::BadDates)?,
        (None, None) => 1,
    };
    if days < 1 {
        // An end on the start day is a zero-length event; some exporters write it for one day.
        if days == 0 {
            return Ok(vec![first]);
        }
        return Err(SkipReason::BadDates);
    }
    if days > MAX_HOLIDAY_EVENT_DAYS {
        return Err(SkipReason::TooLong);
    }
    (0..days)
        .map(|i| {
            first
                .checked_add(i.days())
                .map_err(|_| SkipReason::BadDates)
        })
        .collect()
}

/// Whether a DTSTART/DTEND has a time: `VALUE=DATE` or a bare date has none.
fn is_timed(p: &Property<'_>) -> bool {
    if param(p, "VALUE").is_some_and(|v| v.eq_ignore_ascii_case("DATE")) {
        return false;
    }
    let v = p.val.as_str().trim();
    v.len() != 8 || v.contains('T')
}

/// `YYYYMMDD`.
fn parse_date(s: &str) -> Option<Date> {
    let s = s.trim();
    if s.len() != 8 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let year: i16 = s.get(0..4)?.parse().ok()?;
    let month: i8 = s.get(4..6)?.parse().ok()?;
    let day: i8 = s.get(6..8)?.parse().ok()?;
    Date::new(year, month, day).ok()
}

/// A duration of whole days or weeks (`P1D`, `P2W`), in days.
fn parse_day_duration(s: &str) -> Option<i32> {
    let rest = s.trim().strip_prefix('P')?;
    let (n, unit) = rest.split_at(rest.len().checked_sub(1)?);
    if n.is_empty() || !n.bytes().all(|b| b.is_ascii_digit()) || n.len() > 4 {
        return None;
    }
    let n: i32 = n.parse().ok()?;
    match unit {
        "D" => Some(n),
        "W" => n.checked_mul(7),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;

    use super::*;

    /// A public-holiday calendar as a calendar service exports it (CRLF, folded lines, escaped
    /// commas), with an observance and a timed event mixed in.
    const KOREA_2026: &str = include_str!("../../tests/fixtures/ko_holidays_2026.ics");

    fn names(import: &HolidayImport) -> Vec<(String, String)> {
        import
            .holidays
            .iter()
            .map(|h| (h.date.to_string(), h.name.clone().unwrap_or_default()))
            .collect()
    }

    #[test]
    fn a_public_holiday_calendar_becomes_days_off() {
        let import = import_ics(KOREA_2026).unwrap();
        let got = names(&import);
        let expect = [
            ("2026-01-01", "신정"),
            ("2026-02-16", "설날 연휴"),
            ("2026-02-17", "설날 연휴"),
            ("2026-02-18", "설날 연휴"),
            ("2026-03-01", "삼일절"),
            ("2026-03-02", "대체공휴일(삼일절)"),
            ("2026-05-05", "어린이날"),
            ("2026-05-24", "부처님 오신 날"),
            ("2026-05-25", "대체공휴일(부처님 오신 날)"),
            ("2026-06-03", "전국동시지방선거"),
            ("2026-06-06", "현충일"),
            ("2026-08-15", "광복절"),
            ("2026-08-17", "대체공휴일(광복절)"),
            ("2026-09-24", "추석 연휴"),
            ("2026-09-25", "추석 연휴"),
            ("2026-09-26", "추석 연휴"),
            ("2026-10-03", "개천절"),
            ("2026-10-05", "대체공휴일(개천절)"),
            ("2026-10-09", "한글날"),
            ("2026-12-25", "기독탄신일"),
        ];
        assert_eq!(
            got,
            expect
                .iter()
                .map(|(d, n)| ((*d).to_owned(), (*n).to_owned()))
                .collect::<Vec<_>>()
        );
        assert!(
            import
                .holidays
                .iter()
                .all(|h| h.schedule == super::super::DaySchedule::Off)
        );
        // The observance and the meeting are reported, not imported.
        let skipped: Vec<_> = import
            .skipped
            .iter()
            .map(|s| (s.summary.as_deref().unwrap_or_default(), s.reason))
            .collect();
        assert_eq!(
            skipped,
            [
                ("식목일", SkipReason::Observance),
                ("시무식 (전 직원 참석, 대회의실)", SkipReason::Timed),
            ]
        );
        assert_eq!(import.skipped[1].start.as_deref(), Some("20260102T090000"));
    }

    fn calendar(events: &str) -> String {
        format!("BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//test//EN\n{events}END:VCALENDAR\n")
    }

    fn event(lines: &str) -> String {
        format!("BEGIN:VEVENT\nUID:x\n{lines}\nEND:VEVENT\n")
    }

    #[test]
    fn what_is_no_whole_day_off_is_reported_with_its_reason() {
        let text = calendar(&[
            event("DTSTART:20260101T090000Z\nSUMMARY:timed"),
            event("DTSTART;VALUE=DATE:20260101\nRRULE:FREQ=YEARLY\nSUMMARY:yearly"),
            event("DTSTART;VALUE=DATE:20260102\nSTATUS:CANCELLED\nSUMMARY:cancelled"),
            event("DTSTART;VALUE=DATE:20260103\nDTEND;VALUE=DATE:20260303\nSUMMARY:long"),
            event("DTSTART;VALUE=DATE:20260231\nSUMMARY:no such day"),
            event("DTSTART;VALUE=DATE:20260105\nDTEND;VALUE=DATE:20260101\nSUMMARY:backwards"),
            event("SUMMARY:no start"),
            event("DTSTART;VALUE=DATE:20260110\nDESCRIPTION:Observance\\nTo hide…\nSUMMARY:Parents"),
        ]
        .concat());
        let import = import_ics(&text).unwrap();
        assert!(import.holidays.is_empty(), "{:?}", import.holidays);
        let reasons: Vec<_> = import.skipped.iter().map(|s| s.reason.code()).collect();
        assert_eq!(
            reasons,
            [
                "timed",
                "recurring",
                "cancelled",
                "too_long",
                "bad_dates",
                "bad_dates",
                "bad_dates",
                "observance"
            ]
        );
        for s in &import.skipped {
            assert!(!s.reason.describe().is_empty());
        }
    }

    #[test]
    fn dates_ends_and_durations() {
        let text = calendar(
            &[
                // A bare date is a date; no end is one day.
                event("DTSTART:20260301\nSUMMARY:A"),
                event("DTSTART;VALUE=DATE:20260310\nDURATION:P2D\nSUMMARY:B"),
                event("DTSTART;VALUE=DATE:20260320\nDURATION:P1W\nSUMMARY:C"),
                // An end on its start day: one day, as some exporters write it.
                event("DTSTART;VALUE=DATE:20260401\nDTEND;VALUE=DATE:20260401\nSUMMARY:D"),
                // Two events on one date: one holiday with both names.
                event("DTSTART;VALUE=DATE:20260505\nSUMMARY:어린이날"),
                event("DTSTART;VALUE=DATE:20260505\nSUMMARY:부처님 오신 날"),
                event("DTSTART;VALUE=DATE:20260505\nSUMMARY:어린이날"),
                // No summary: a holiday without a name.
                event("DTSTART;VALUE=DATE:20260601"),
            ]
            .concat(),
        );
        let import = import_ics(&text).unwrap();
        assert!(import.skipped.is_empty(), "{:?}", import.skipped);
        let dates: Vec<_> = import.holidays.iter().map(|h| h.date).collect();
        assert_eq!(dates.len(), 1 + 2 + 7 + 1 + 1 + 1);
        assert_eq!(dates[0], date(2026, 3, 1));
        assert_eq!(dates[3], date(2026, 3, 20));
        assert_eq!(dates[9], date(2026, 3, 26));
        let may = import
            .holidays
            .iter()
            .find(|h| h.date == date(2026, 5, 5))
            .unwrap();
        assert_eq!(may.name.as_deref(), Some("어린이날, 부처님 오신 날"));
        assert_eq!(import.holidays.last().unwrap().name, None);
    }

    #[test]
    fn what_is_no_calendar_is_refused_whole() {
        for bad in [
            "",
            "hello",
            "BEGIN:VEVENT\nDTSTART:20260101\nEND:VEVENT\n",
            "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:20260101\n",
            "BEGIN:VCALENDAR\nEND:VEVENT\n",
            "\u{0}\u{1}BEGIN:",
        ] {
            let e = import_ics(bad).unwrap_err();
            assert_eq!(e.code(), "invalid_calendar", "{bad:?}");
            assert!(!e.to_string().is_empty());
        }
        let huge = "A".repeat(MAX_ICS_BYTES + 1);
        assert!(import_ics(&huge).unwrap_err().to_string().contains("bytes"));
        // A byte-order mark and LF line ends are fine.
        let with_bom = format!("\u{feff}{}", calendar(&event("DTSTART:20260301")));
        assert_eq!(import_ics(&with_bom).unwrap().holidays.len(), 1);
    }

    proptest::proptest! {
        /// Whatever the text, reading it returns (holidays or an error) and never panics.
        #[test]
        fn any_text_is_read_or_refused(
            lines in proptest::collection::vec(
                proptest::prop_oneof![
                    proptest::strategy::Just("BEGIN:VCALENDAR".to_owned()),
                    proptest::strategy::Just("END:VCALENDAR".to_owned()),
                    proptest::strategy::Just("BEGIN:VEVENT".to_owned()),
                    proptest::strategy::Just("END:VEVENT".to_owned()),
                    "DT(START|END)(;VALUE=DATE)?:[0-9T]{0,16}",
                    "(DURATION|SUMMARY|RRULE|STATUS|DESCRIPTION):[A-Z0-9가-힣\\\\,;: ]{0,12}",
                    "\\PC{0,16}",
                ],
                0..12,
            ),
        ) {
            let text = lines.join("\r\n");
            if let Ok(import) = import_ics(&text) {
                for h in &import.holidays {
                    proptest::prop_assert!(
                        h.name.as_ref().is_none_or(|n| n.chars().count() <= MAX_HOLIDAY_NAME_CHARS)
                    );
                }
            }
        }
    }
}
