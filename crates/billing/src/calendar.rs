//! When billing happens: the daily settlement at local midnight, days a receivable is overdue,
//! and calendar months for invoices and statements. Instants are milliseconds since the Unix
//! epoch; days and months are those of the given time zone.
//!
//! A day starts at its first instant: midnight, or the end of the gap when a clock change
//! skips midnight. Instants beyond the years jiff represents (±9999) are read as its first or
//! last instant; an answer beyond them is `i64::MAX`, "never".

use jiff::civil::Date;
use jiff::tz::{TimeZone, TimeZoneDatabase};
use jiff::{Timestamp, ToSpan};

use crate::error::BillingError;

/// The days after which a failed settlement is announced by e-mail (R5.2).
pub const OVERDUE_NOTICE_DAYS: i64 = 5;

/// The zone of the daily settlement (R5.2: 00:00 Asia/Seoul), from the IANA database bundled
/// in the binary, so it answers the same on a machine without tzdata.
pub fn seoul() -> TimeZone {
    TimeZoneDatabase::bundled()
        .get("Asia/Seoul")
        // Unreachable with the bundled database; Seoul has kept +09:00 since 1988.
        .unwrap_or_else(|_| TimeZone::fixed(jiff::tz::offset(9)))
}

fn instant(ms: i64) -> Timestamp {
    Timestamp::from_millisecond(ms).unwrap_or(if ms < 0 {
        Timestamp::MIN
    } else {
        Timestamp::MAX
    })
}

fn local_date(ms: i64, tz: &TimeZone) -> Date {
    tz.to_datetime(instant(ms)).date()
}

/// The first instant of `date` in `tz`, or `None` beyond jiff's years.
fn day_start(date: Date, tz: &TimeZone) -> Option<i64> {
    // `to_zoned_datetime` resolves a skipped midnight to the end of the gap and a repeated one
    // to its first occurrence: the day's first instant either way.
    date.to_zoned_datetime(tz.clone())
        .ok()
        .map(|z| z.timestamp().as_millisecond())
}

/// The first instant strictly after `after` that starts a day `next` reaches from the local
/// date of `after`.
fn next_start(after: i64, tz: &TimeZone, next: impl Fn(Date) -> Option<Date>) -> i64 {
    let mut date = local_date(after, tz);
    // A clock turned back across midnight can make a later date start before `after`; a few
    // steps always pass it.
    for _ in 0..4 {
        let Some(following) = next(date) else {
            return i64::MAX;
        };
        date = following;
        match day_start(date, tz) {
            Some(start) if start > after => return start,
            Some(_) => {}
            None => return i64::MAX,
        }
    }
    i64::MAX
}

/// The daily settlement after `after`: the next local 00:00 strictly after it (the day's
/// first instant when a clock change skips midnight).
pub fn next_daily_settlement(after: i64, tz: &TimeZone) -> i64 {
    next_start(after, tz, |d| d.tomorrow().ok())
}

/// Whole local calendar days from `receivable_since` to `now` (a failure at 23:59 is one day
/// old at 00:00); zero when `now` is not later.
pub fn overdue_days(receivable_since: i64, now: i64, tz: &TimeZone) -> i64 {
    let (since, today) = (local_date(receivable_since, tz), local_date(now, tz));
    if today <= since {
        return 0;
    }
    since
        .until(today)
        .map_or(0, |span| i64::from(span.get_days()))
}

/// The first day of a calendar month.
fn month_first(year: i16, month: i8) -> Result<Date, BillingError> {
    Date::new(year, month, 1).map_err(|_| BillingError::InvalidMonth { year, month })
}

/// The month `[start, end)` in milliseconds: from the 1st at 00:00 local to the next month's.
pub fn month_bounds(year: i16, month: i8, tz: &TimeZone) -> Result<(i64, i64), BillingError> {
    let invalid = || BillingError::InvalidMonth { year, month };
    let first = month_first(year, month)?;
    let next = first.checked_add(1.month()).map_err(|_| invalid())?;
    let start = day_start(first, tz).ok_or_else(invalid)?;
    let end = day_start(next, tz).ok_or_else(invalid)?;
    Ok((start, end))
}

/// The calendar month before the one `now` falls in, locally: the month a tax invoice issued
/// at `now` covers (R5.4).
pub fn previous_month(now: i64, tz: &TimeZone) -> (i16, i8) {
    let this = local_date(now, tz).first_of_month();
    let last = this.checked_sub(1.month()).unwrap_or(this);
    (last.year(), last.month())
}

/// The next 1st of a month at 00:00 local strictly after `after`.
pub fn next_month_start(after: i64, tz: &TimeZone) -> i64 {
    next_start(after, tz, |d| {
        d.first_of_month().checked_add(1.month()).ok()
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn zone(name: &str) -> TimeZone {
        TimeZoneDatabase::bundled().get(name).unwrap()
    }

    /// Milliseconds of an RFC 3339 instant.
    fn ms(s: &str) -> i64 {
        s.parse::<Timestamp>().unwrap().as_millisecond()
    }

    #[test]
    fn seoul_midnight_is_three_in_the_afternoon_utc() {
        let tz = seoul();
        assert_eq!(
            next_daily_settlement(ms("2024-05-01T10:00:00Z"), &tz),
            ms("2024-05-01T15:00:00Z")
        );
        // Strictly after: at midnight itself the next one is a day later.
        assert_eq!(
            next_daily_settlement(ms("2024-05-01T15:00:00Z"), &tz),
            ms("2024-05-02T15:00:00Z")
        );
        assert_eq!(
            next_daily_settlement(ms("2024-05-01T14:59:59.999Z"), &tz),
            ms("2024-05-01T15:00:00Z")
        );
        assert_eq!(
            next_daily_settlement(ms("2024-12-31T15:00:00.001Z"), &tz),
            ms("2025-01-01T15:00:00Z")
        );
    }

    #[test]
    fn daily_settlement_across_new_york_clock_changes() {
        let tz = zone("America/New_York");
        // Spring forward (2024-03-10 02:00 → 03:00): the day after is 23 hours long.
        assert_eq!(
            next_daily_settlement(ms("2024-03-10T12:00:00Z"), &tz),
            ms("2024-03-11T04:00:00Z")
        );
        assert_eq!(
            next_daily_settlement(ms("2024-03-09T12:00:00Z"), &tz),
            ms("2024-03-10T05:00:00Z")
        );
        // Fall back (2024-11-03 02:00 → 01:00): midnight is still midnight.
        assert_eq!(
            next_daily_settlement(ms("2024-11-03T12:00:00Z"), &tz),
            ms("2024-11-04T05:00:00Z")
        );
        assert_eq!(
            next_daily_settlement(ms("2024-11-02T12:00:00Z"), &tz),
            ms("2024-11-03T04:00:00Z")
        );
    }

    #[test]
    fn a_skipped_midnight_starts_the_day_at_the_end_of_the_gap() {
        // São Paulo moved its clocks from 00:00 to 01:00 on 2015-10-18.
        let tz = zone("America/Sao_Paulo");
        assert_eq!(
            next_daily_settlement(ms("2015-10-17T12:00:00Z"), &tz),
            ms("2015-10-18T03:00:00Z")
        );
    }

    #[test]
    fn settlements_are_a_day_apart_for_years_of_instants() {
        for name in ["Asia/Seoul", "America/New_York", "Europe/London", "UTC"] {
            let tz = zone(name);
            let mut at = ms("2023-01-01T00:00:00Z");
            let end = ms("2025-01-01T00:00:00Z");
            let mut steps = 0;
            while at < end {
                let next = next_daily_settlement(at, &tz);
                assert!(next > at);
                let local = tz.to_datetime(instant(next));
                assert_eq!((local.hour(), local.minute()), (0, 0), "{name} {local}");
                assert_eq!(local.date(), local_date(at, &tz).tomorrow().unwrap());
                at = next;
                steps += 1;
            }
            assert!((730..=732).contains(&steps), "{name}: {steps}");
        }
    }

    #[test]
    fn overdue_days_count_local_dates() {
        let tz = seoul();
        // 2024-05-01 23:59 KST, then 00:00 KST: one day.
        let since = ms("2024-05-01T14:59:00Z");
        assert_eq!(overdue_days(since, ms("2024-05-01T14:59:30Z"), &tz), 0);
        assert_eq!(overdue_days(since, ms("2024-05-01T15:00:00Z"), &tz), 1);
        assert_eq!(overdue_days(since, ms("2024-05-06T14:59:59Z"), &tz), 5);
        assert_eq!(overdue_days(since, ms("2024-05-05T15:00:00Z"), &tz), 5);
        assert_eq!(overdue_days(since, ms("2024-05-05T14:59:59Z"), &tz), 4);
        assert_eq!(overdue_days(since, since - 86_400_000, &tz), 0);
        // Across a month end.
        assert_eq!(
            overdue_days(ms("2024-01-30T03:00:00Z"), ms("2024-03-01T03:00:00Z"), &tz),
            31
        );
    }

    #[test]
    fn month_bounds_in_seoul() {
        let tz = seoul();
        assert_eq!(
            month_bounds(2024, 12, &tz).unwrap(),
            (ms("2024-11-30T15:00:00Z"), ms("2024-12-31T15:00:00Z"))
        );
        assert_eq!(
            month_bounds(2025, 1, &tz).unwrap(),
            (ms("2024-12-31T15:00:00Z"), ms("2025-01-31T15:00:00Z"))
        );
        assert_eq!(
            month_bounds(2024, 2, &tz).unwrap(),
            (ms("2024-01-31T15:00:00Z"), ms("2024-02-29T15:00:00Z"))
        );
        for month in [0, 13, -1] {
            assert_eq!(
                month_bounds(2024, month, &tz),
                Err(BillingError::InvalidMonth { year: 2024, month })
            );
        }
    }

    #[test]
    fn month_bounds_across_a_clock_change() {
        let tz = zone("America/New_York");
        let (start, end) = month_bounds(2024, 3, &tz).unwrap();
        assert_eq!(start, ms("2024-03-01T05:00:00Z"));
        assert_eq!(end, ms("2024-04-01T04:00:00Z"));
        assert_eq!(end - start, (31 * 24 - 1) * 3_600_000);
    }

    #[test]
    fn previous_month_wraps_the_year() {
        let tz = seoul();
        // 2025-01-01 00:00 KST is still 2024-12-31 in UTC.
        assert_eq!(previous_month(ms("2024-12-31T15:00:00Z"), &tz), (2024, 12));
        assert_eq!(previous_month(ms("2024-12-31T14:59:59Z"), &tz), (2024, 11));
        assert_eq!(previous_month(ms("2024-03-15T00:00:00Z"), &tz), (2024, 2));
    }

    #[test]
    fn next_month_start_is_strictly_after() {
        let tz = seoul();
        assert_eq!(
            next_month_start(ms("2024-12-15T00:00:00Z"), &tz),
            ms("2024-12-31T15:00:00Z")
        );
        assert_eq!(
            next_month_start(ms("2024-12-31T15:00:00Z"), &tz),
            ms("2025-01-31T15:00:00Z")
        );
        assert_eq!(
            next_month_start(ms("2024-01-31T14:59:59.999Z"), &tz),
            ms("2024-01-31T15:00:00Z")
        );
        let (_, end) = month_bounds(2024, 2, &tz).unwrap();
        assert_eq!(next_month_start(end - 1, &tz), end);
    }

    #[test]
    fn instants_beyond_the_calendar_do_not_panic() {
        let tz = seoul();
        assert_eq!(next_daily_settlement(i64::MAX, &tz), i64::MAX);
        assert!(next_daily_settlement(i64::MIN, &tz) > i64::MIN);
        assert_eq!(next_month_start(i64::MAX, &tz), i64::MAX);
        assert!(overdue_days(i64::MIN, i64::MAX, &tz) > 7_000_000);
        assert_eq!(previous_month(i64::MIN, &tz), (-9999, 1));
        assert_eq!(previous_month(i64::MAX, &tz), (9999, 11));
    }
}
