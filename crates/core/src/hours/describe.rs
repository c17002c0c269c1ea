//! The next opening in words, for the off-hours message's `[next_opening]`, in the site's
//! zone and the customer's language.
//!
//! Relative to the day it is said on: "오늘 오후 2시부터" / "today at 2:00 PM", "내일 오전
//! 9시부터" / "tomorrow at 9:00 AM", within the week the weekday ("월요일 오전 9시 30분부터" /
//! "Monday at 9:30 AM"), further the date as well ("3월 2일 월요일 오전 9시부터" / "Monday,
//! March 2 at 9:00 AM"). The Korean phrase ends in 부터 ("from") and the English one starts a
//! time expression, so each reads on in its language's default off-hours message
//! ("[next_opening] 상담이 가능합니다." / "We are back [next_opening].").
//!
//! These words are grammar (a 12-hour clock, a particle, an order), written per language in
//! code: a match over [`Lang`] that a new language cannot compile past without its own.

use i18n::Lang;
use jiff::Timestamp;
use jiff::civil::{DateTime, Weekday};

use super::{Hours, Zone, next_opening};

/// Beyond this many days ahead the date is said, not only the weekday.
const WEEKDAY_ONLY_DAYS: i64 = 6;

/// `opening` in words, as said at `now`, both read in `zone`.
pub fn describe_opening(zone: &Zone, opening: Timestamp, now: Timestamp, lang: Lang) -> String {
    let at = zone.local(opening);
    let today = zone.local(now).date();
    let days = at
        .date()
        .since(today)
        .map(|s| i64::from(s.get_days()))
        .unwrap_or(0);
    let when = match days {
        ..=0 => When::Today,
        1 => When::Tomorrow,
        2..=WEEKDAY_ONLY_DAYS => When::Weekday,
        _ => When::Date,
    };
    match lang {
        Lang::Ko => korean(at, when),
        Lang::En => english(at, when),
    }
}

/// The next opening after `now` in words, or `None` when the desk does not open within the
/// look-ahead (the message then has no value for `[next_opening]`).
pub fn describe_next_opening(hours: &Hours, now: Timestamp, lang: Lang) -> Option<String> {
    next_opening(hours, now).map(|at| describe_opening(hours.zone(), at, now, lang))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum When {
    Today,
    Tomorrow,
    Weekday,
    Date,
}

/// The hour on a 12-hour clock (12 for noon and midnight) and whether it is after noon.
fn twelve_hour(at: DateTime) -> (i8, bool) {
    let h = at.hour();
    let h12 = match h % 12 {
        0 => 12,
        n => n,
    };
    (h12, h >= 12)
}

fn korean(at: DateTime, when: When) -> String {
    let (hour, pm) = twelve_hour(at);
    let period = if pm { "오후" } else { "오전" };
    let time = match at.minute() {
        0 => format!("{period} {hour}시"),
        m => format!("{period} {hour}시 {m}분"),
    };
    let weekday = match at.weekday() {
        Weekday::Monday => "월요일",
        Weekday::Tuesday => "화요일",
        Weekday::Wednesday => "수요일",
        Weekday::Thursday => "목요일",
        Weekday::Friday => "금요일",
        Weekday::Saturday => "토요일",
        Weekday::Sunday => "일요일",
    };
    match when {
        When::Today => format!("오늘 {time}부터"),
        When::Tomorrow => format!("내일 {time}부터"),
        When::Weekday => format!("{weekday} {time}부터"),
        When::Date => format!("{}월 {}일 {weekday} {time}부터", at.month(), at.day()),
    }
}

fn english(at: DateTime, when: When) -> String {
    let (hour, pm) = twelve_hour(at);
    let period = if pm { "PM" } else { "AM" };
    let time = format!("{hour}:{:02} {period}", at.minute());
    let weekday = match at.weekday() {
        Weekday::Monday => "Monday",
        Weekday::Tuesday => "Tuesday",
        Weekday::Wednesday => "Wednesday",
        Weekday::Thursday => "Thursday",
        Weekday::Friday => "Friday",
        Weekday::Saturday => "Saturday",
        Weekday::Sunday => "Sunday",
    };
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let month = usize::try_from(at.month() - 1)
        .ok()
        .and_then(|i| MONTHS.get(i))
        .copied()
        .unwrap_or_default();
    match when {
        When::Today => format!("today at {time}"),
        When::Tomorrow => format!("tomorrow at {time}"),
        When::Weekday => format!("{weekday} at {time}"),
        When::Date => format!("{weekday}, {month} {} at {time}", at.day()),
    }
}
