use i18n::Lang;
use jiff::Timestamp;
use jiff::civil::{Date, DateTime, date};
use proptest::prelude::*;

use super::*;

fn sched(pairs: &[(&str, &str)]) -> DaySchedule {
    DaySchedule::ranges(pairs).unwrap()
}

fn hours_in(
    zone: &str,
    weekdays: DaySchedule,
    saturday: DaySchedule,
    sunday: DaySchedule,
    holidays: Vec<Holiday>,
) -> Hours {
    Hours::parse(HoursSpec {
        time_zone: zone.into(),
        weekdays,
        saturday,
        sunday,
        holidays,
        accept_off_hours_into_queue: true,
    })
    .unwrap()
}

/// Weekdays 09:00–18:00 in Seoul, weekends off, with `holidays`.
fn office(holidays: Vec<Holiday>) -> Hours {
    hours_in(
        DEFAULT_TIME_ZONE,
        sched(&[("09:00", "18:00")]),
        DaySchedule::Off,
        DaySchedule::Off,
        holidays,
    )
}

/// The instant of a local time in the site's zone (`2026-03-02T09:30`), an unambiguous one.
fn at(h: &Hours, local: &str) -> Timestamp {
    let dt: DateTime = local.parse().unwrap();
    h.zone()
        .time_zone()
        .to_ambiguous_timestamp(dt)
        .unambiguous()
        .unwrap()
}

fn utc(s: &str) -> Timestamp {
    s.parse().unwrap()
}

fn local(h: &Hours, t: Timestamp) -> String {
    h.zone().local(t).strftime("%Y-%m-%dT%H:%M").to_string()
}

fn holiday(d: Date, name: &str, schedule: DaySchedule) -> Holiday {
    Holiday {
        date: d,
        name: Some(name.into()),
        schedule,
    }
}

/// `(local time, open?)` rows against `h`.
fn check_open(h: &Hours, rows: &[(&str, bool)]) {
    for (when, open) in rows {
        assert_eq!(is_open(h, at(h, when)), *open, "{when}");
    }
}

#[test]
fn a_range_past_midnight_belongs_to_the_day_it_starts() {
    // Weekday nights only: Friday's night runs into Saturday, Sunday has none into Monday.
    let h = hours_in(
        DEFAULT_TIME_ZONE,
        sched(&[("22:00", "02:00")]),
        DaySchedule::Off,
        DaySchedule::Off,
        vec![],
    );
    check_open(
        &h,
        &[
            ("2026-03-06T21:59", false), // Friday
            ("2026-03-06T22:00", true),
            ("2026-03-06T23:59", true),
            ("2026-03-07T01:00", true), // Saturday, off, but Friday's night goes on
            ("2026-03-07T02:00", false),
            ("2026-03-07T22:30", false),
            ("2026-03-09T01:00", false), // Monday morning: Sunday is off
            ("2026-03-09T22:00", true),
            ("2026-03-10T01:59", true),
        ],
    );
    assert_eq!(
        closes_at(&h, at(&h, "2026-03-06T23:00")),
        Some(at(&h, "2026-03-07T02:00"))
    );
    // "24:00" is the end of the day; a range may also run a whole day round.
    let until_midnight = sched(&[("18:00", "24:00")]);
    assert_eq!(
        until_midnight,
        DaySchedule::Ranges {
            ranges: vec![Range::parse("18:00", "00:00").unwrap()]
        }
    );
    let round = Range::parse("09:00", "09:00").unwrap();
    assert!(round.crosses_midnight());
    assert_eq!(round.minutes(), 24 * 60);
}

#[test]
fn a_lunch_break_closes_the_desk() {
    let h = hours_in(
        DEFAULT_TIME_ZONE,
        sched(&[("13:00", "18:00"), ("09:00", "12:00")]),
        DaySchedule::Off,
        DaySchedule::Off,
        vec![],
    );
    // Stored in order of start.
    assert_eq!(
        h.weekdays(),
        &DaySchedule::Ranges {
            ranges: vec![
                Range::parse("09:00", "12:00").unwrap(),
                Range::parse("13:00", "18:00").unwrap()
            ]
        }
    );
    check_open(
        &h,
        &[
            ("2026-03-02T08:59", false),
            ("2026-03-02T09:00", true),
            ("2026-03-02T11:59", true),
            ("2026-03-02T12:00", false),
            ("2026-03-02T12:30", false),
            ("2026-03-02T13:00", true),
            ("2026-03-02T17:59", true),
            ("2026-03-02T18:00", false),
        ],
    );
    let noon = at(&h, "2026-03-02T12:30");
    assert_eq!(next_opening(&h, noon), Some(at(&h, "2026-03-02T13:00")));
    assert_eq!(
        closes_at(&h, at(&h, "2026-03-02T10:00")),
        Some(at(&h, "2026-03-02T12:00"))
    );
    assert_eq!(closes_at(&h, noon), None);
}

#[test]
fn holidays_close_the_day_or_change_its_hours() {
    let h = office(vec![
        holiday(
            date(2026, 12, 24),
            "크리스마스 이브",
            sched(&[("09:00", "13:00")]),
        ),
        Holiday::off(date(2026, 12, 25), Some("기독탄신일")),
        // A Saturday that opens for once.
        holiday(date(2026, 12, 26), "특별 영업", DaySchedule::AllDay),
    ]);
    check_open(
        &h,
        &[
            ("2026-12-24T10:00", true),
            ("2026-12-24T13:00", false),
            ("2026-12-24T15:00", false),
            ("2026-12-25T10:00", false),
            ("2026-12-26T00:00", true),
            ("2026-12-26T23:59", true),
            ("2026-12-27T10:00", false),
            ("2026-12-28T10:00", true),
        ],
    );
    assert_eq!(
        next_opening(&h, at(&h, "2026-12-24T14:00")),
        Some(at(&h, "2026-12-26T00:00"))
    );
    assert_eq!(
        h.holiday(date(2026, 12, 25))
            .and_then(|x| x.name.as_deref()),
        Some("기독탄신일")
    );
    assert_eq!(h.schedule_for(date(2026, 12, 25)), &DaySchedule::Off);
}

#[test]
fn a_holiday_cancels_the_night_that_starts_on_it_not_the_one_before() {
    let nights = sched(&[("22:00", "02:00")]);
    // Saturday is a holiday: Friday's night still runs into it.
    let h = hours_in(
        DEFAULT_TIME_ZONE,
        nights.clone(),
        nights.clone(),
        DaySchedule::Off,
        vec![Holiday::off(date(2026, 3, 7), None)],
    );
    check_open(
        &h,
        &[
            ("2026-03-07T01:00", true),
            ("2026-03-07T22:30", false),
            ("2026-03-08T01:00", false),
        ],
    );
    // Friday is a holiday: its whole night is gone, Saturday morning included.
    let h = hours_in(
        DEFAULT_TIME_ZONE,
        nights,
        DaySchedule::Off,
        DaySchedule::Off,
        vec![Holiday::off(date(2026, 3, 6), None)],
    );
    check_open(
        &h,
        &[
            ("2026-03-06T23:00", false),
            ("2026-03-07T01:00", false),
            ("2026-03-06T01:00", true), // Thursday's night
        ],
    );
}

#[test]
fn the_site_zone_decides() {
    let ny = hours_in(
        "america/new_york",
        sched(&[("09:00", "17:00")]),
        DaySchedule::Off,
        DaySchedule::Off,
        vec![],
    );
    assert_eq!(ny.zone().name(), "America/New_York");
    // 09:30 in New York (EST, -05:00) is 23:30 in Seoul, when a Seoul desk is closed.
    let t = utc("2026-03-02T14:30Z");
    assert!(is_open(&ny, t));
    assert!(!is_open(&office(vec![]), t));
    assert!(!is_open(&ny, utc("2026-03-02T13:59Z")));
    // Monday 09:00 in Seoul is still Sunday evening in New York.
    let seoul_monday = at(&office(vec![]), "2026-03-02T09:00");
    assert!(is_open(&office(vec![]), seoul_monday));
    assert!(!is_open(&ny, seoul_monday));
    assert_eq!(
        next_opening(&ny, seoul_monday),
        Some(utc("2026-03-02T14:00Z"))
    );
}

#[test]
fn a_skipped_hour_opens_at_the_first_instant_after_it() {
    // Berlin, 2026-03-29 (Sunday): 02:00 CET becomes 03:00 CEST at 01:00 UTC.
    let h = hours_in(
        "Europe/Berlin",
        sched(&[("09:00", "18:00")]),
        DaySchedule::Off,
        sched(&[("02:30", "05:00")]),
        vec![],
    );
    let opens = utc("2026-03-29T01:00Z");
    assert_eq!(local(&h, opens), "2026-03-29T03:00");
    assert!(!is_open(&h, utc("2026-03-29T00:59Z")));
    assert!(is_open(&h, opens));
    assert_eq!(next_opening(&h, utc("2026-03-28T20:00Z")), Some(opens));
    assert_eq!(closes_at(&h, opens), Some(utc("2026-03-29T03:00Z")));
    // The weekday hours after the change are summer time: 09:00 CEST is 07:00 UTC.
    assert!(is_open(&h, utc("2026-03-30T07:00Z")));
    assert!(!is_open(&h, utc("2026-03-30T06:59Z")));
    // A range that ends in the gap ends with it.
    let short = hours_in(
        "Europe/Berlin",
        DaySchedule::Off,
        DaySchedule::Off,
        sched(&[("01:00", "02:30")]),
        vec![],
    );
    assert_eq!(
        closes_at(&short, utc("2026-03-29T00:30Z")),
        Some(utc("2026-03-29T01:00Z"))
    );
}

#[test]
fn a_repeated_hour_is_read_the_first_time() {
    // Berlin, 2026-10-25 (Sunday): 03:00 CEST becomes 02:00 CET at 01:00 UTC, so 02:00–03:00
    // happens twice.
    let h = hours_in(
        "Europe/Berlin",
        DaySchedule::Off,
        DaySchedule::Off,
        sched(&[("02:30", "04:00")]),
        vec![],
    );
    // 02:30 the first time (CEST) is 00:30 UTC; 04:00 CET is 03:00 UTC.
    assert!(!is_open(&h, utc("2026-10-25T00:29Z")));
    assert!(is_open(&h, utc("2026-10-25T00:30Z")));
    assert!(is_open(&h, utc("2026-10-25T01:45Z"))); // 02:45 the second time
    assert_eq!(
        next_opening(&h, utc("2026-10-24T22:00Z")),
        Some(utc("2026-10-25T00:30Z"))
    );
    assert_eq!(
        closes_at(&h, utc("2026-10-25T01:00Z")),
        Some(utc("2026-10-25T03:00Z"))
    );
    assert!(!is_open(&h, utc("2026-10-25T03:00Z")));
}

#[test]
fn next_opening_skips_weekends_and_holiday_runs() {
    let h = office(vec![
        // 추석 2026, and 개천절 with its substitute Monday.
        Holiday::off(date(2026, 9, 24), Some("추석 연휴")),
        Holiday::off(date(2026, 9, 25), Some("추석")),
        Holiday::off(date(2026, 9, 26), Some("추석 연휴")),
        Holiday::off(date(2026, 10, 3), Some("개천절")),
        Holiday::off(date(2026, 10, 5), Some("대체공휴일")),
    ]);
    for (from, opens) in [
        ("2026-03-06T18:30", "2026-03-09T09:00"), // Friday evening → Monday
        ("2026-03-07T12:00", "2026-03-09T09:00"), // Saturday
        ("2026-03-09T07:00", "2026-03-09T09:00"), // Monday early
        ("2026-03-09T10:00", "2026-03-09T10:00"), // open: now
        ("2026-09-23T18:30", "2026-09-28T09:00"), // 추석 and a weekend
        ("2026-10-02T18:30", "2026-10-06T09:00"), // 개천절 weekend and its Monday
    ] {
        assert_eq!(
            next_opening(&h, at(&h, from))
                .map(|t| local(&h, t))
                .as_deref(),
            Some(opens),
            "{from}"
        );
    }
}

#[test]
fn a_calendar_that_never_opens_has_no_next_opening() {
    let never = hours_in(
        DEFAULT_TIME_ZONE,
        DaySchedule::Off,
        DaySchedule::Off,
        DaySchedule::Off,
        vec![],
    );
    let t = utc("2026-03-02T00:00Z");
    assert!(!is_open(&never, t));
    assert_eq!(next_opening(&never, t), None);
    assert_eq!(closes_at(&never, t), None);
    assert_eq!(
        desk_status(&never, t),
        DeskStatus::Closed { opens_at: None }
    );
    // Open only more than a year ahead is beyond the look-ahead too.
    let far = hours_in(
        DEFAULT_TIME_ZONE,
        DaySchedule::Off,
        DaySchedule::Off,
        DaySchedule::Off,
        vec![holiday(date(2027, 6, 1), "개점", DaySchedule::AllDay)],
    );
    assert_eq!(next_opening(&far, t), None);
    assert!(next_opening(&far, utc("2026-07-01T00:00Z")).is_some());
}

#[test]
fn a_site_without_hours_is_always_open() {
    let h = Hours::default();
    assert_eq!(h.zone().name(), "Asia/Seoul");
    let t = utc("2026-03-07T03:00Z");
    assert!(is_open(&h, t));
    assert_eq!(closes_at(&h, t), None);
    assert_eq!(desk_status(&h, t), DeskStatus::Open { closes_at: None });
    assert_eq!(on_arrival(&h, t), Arrival::Open);
}

#[test]
fn arrivals_off_hours_queue_or_not_as_the_site_says() {
    let mut spec = office(vec![]).to_spec();
    let friday_night = utc("2026-03-06T12:00Z"); // 21:00 in Seoul
    let monday = at(&office(vec![]), "2026-03-09T09:00");
    let queued = Hours::parse(spec.clone()).unwrap();
    assert_eq!(
        on_arrival(&queued, friday_night),
        Arrival::Queued {
            opens_at: Some(monday)
        }
    );
    spec.accept_off_hours_into_queue = false;
    let refused = Hours::parse(spec).unwrap();
    assert_eq!(
        on_arrival(&refused, friday_night),
        Arrival::Refused {
            opens_at: Some(monday)
        }
    );
    assert_eq!(
        desk_status(&refused, monday),
        DeskStatus::Open {
            closes_at: Some(at(&refused, "2026-03-09T18:00"))
        }
    );
}

#[test]
fn meeting_ranges_of_different_days_make_one_opening() {
    // Friday night and a Saturday that starts at midnight: one stretch until Saturday noon.
    let h = hours_in(
        DEFAULT_TIME_ZONE,
        sched(&[("18:00", "01:00")]),
        sched(&[("00:00", "12:00")]),
        DaySchedule::Off,
        vec![],
    );
    assert_eq!(
        closes_at(&h, at(&h, "2026-03-06T20:00")),
        Some(at(&h, "2026-03-07T12:00"))
    );
}

/// The field and code of the error of `spec`.
fn refused(spec: HoursSpec) -> (String, &'static str) {
    let e = Hours::parse(spec).unwrap_err();
    assert_eq!(e.code(), "invalid_hours");
    assert!(!e.to_string().is_empty());
    (
        e.field_name().unwrap_or_default().to_owned(),
        e.problem_code().unwrap_or_default(),
    )
}

#[test]
fn bad_hours_are_refused_naming_the_field() {
    let base = office(vec![]).to_spec();
    let ranges = |pairs: &[(&str, &str)]| DaySchedule::Ranges {
        ranges: pairs
            .iter()
            .map(|(a, b)| Range::parse(a, b).unwrap())
            .collect(),
    };
    let cases: Vec<(HoursSpec, &str, &str)> = vec![
        (
            HoursSpec {
                time_zone: "Mars/Olympus".into(),
                ..base.clone()
            },
            "time_zone",
            "unknown_time_zone",
        ),
        (
            HoursSpec {
                time_zone: " ".into(),
                ..base.clone()
            },
            "time_zone",
            "unknown_time_zone",
        ),
        (
            HoursSpec {
                saturday: ranges(&[("09:00", "12:00"), ("11:00", "13:00")]),
                ..base.clone()
            },
            "saturday.ranges[1]",
            "overlapping_ranges",
        ),
        (
            // The night's morning part reaches the first morning range.
            HoursSpec {
                weekdays: ranges(&[("01:00", "03:00"), ("22:00", "02:00")]),
                ..base.clone()
            },
            "weekdays.ranges[1]",
            "overlapping_ranges",
        ),
        (
            HoursSpec {
                sunday: ranges(&[("09:00", "09:00"), ("10:00", "11:00")]),
                ..base.clone()
            },
            "sunday.ranges[1]",
            "overlapping_ranges",
        ),
        (
            HoursSpec {
                weekdays: ranges(&[]),
                ..base.clone()
            },
            "weekdays.ranges",
            "no_ranges",
        ),
        (
            HoursSpec {
                weekdays: ranges(&[
                    ("00:00", "01:00"),
                    ("02:00", "03:00"),
                    ("04:00", "05:00"),
                    ("06:00", "07:00"),
                    ("08:00", "09:00"),
                    ("10:00", "11:00"),
                    ("12:00", "13:00"),
                    ("14:00", "15:00"),
                    ("16:00", "17:00"),
                ]),
                ..base.clone()
            },
            "weekdays.ranges",
            "too_many_ranges",
        ),
        (
            HoursSpec {
                holidays: vec![
                    Holiday::off(date(2026, 1, 1), Some("신정")),
                    Holiday::off(date(2026, 1, 1), Some("새해")),
                ],
                ..base.clone()
            },
            "holidays[1].date",
            "duplicate_holiday",
        ),
        (
            HoursSpec {
                holidays: vec![Holiday::off(date(2026, 1, 1), Some(&"가".repeat(51)))],
                ..base.clone()
            },
            "holidays[0].name",
            "holiday_name_too_long",
        ),
        (
            HoursSpec {
                holidays: vec![Holiday::off(date(2026, 1, 1), Some("신\u{0}정"))],
                ..base.clone()
            },
            "holidays[0].name",
            "invalid_holiday_name",
        ),
        (
            HoursSpec {
                holidays: vec![holiday(
                    date(2026, 1, 2),
                    "시무식",
                    ranges(&[("09:00", "12:00"), ("10:00", "11:00")]),
                )],
                ..base.clone()
            },
            "holidays[0].schedule.ranges[1]",
            "overlapping_ranges",
        ),
        (
            HoursSpec {
                holidays: (0..=MAX_HOLIDAYS)
                    .map(|i| Holiday::off(shift(date(2026, 1, 1), i32::try_from(i).unwrap()), None))
                    .collect(),
                ..base.clone()
            },
            "holidays",
            "too_many_holidays",
        ),
    ];
    for (spec, field, code) in cases {
        assert_eq!(refused(spec), (field.to_owned(), code));
    }
    // Ranges that meet, and a night that ends where the morning starts, are fine.
    assert!(DaySchedule::ranges(&[("09:00", "12:00"), ("12:00", "18:00")]).is_ok());
    assert!(DaySchedule::ranges(&[("22:00", "06:00"), ("06:00", "12:00")]).is_ok());
    // The overlap names both ranges as written.
    let e = DaySchedule::ranges(&[("09:00", "12:00"), ("11:00", "13:00")]).unwrap_err();
    assert!(e.to_string().contains("09:00–12:00"), "{e}");
    assert!(e.to_string().contains("11:00–13:00"), "{e}");
}

#[test]
fn times_of_day_are_hh_mm() {
    for (s, ok) in [
        ("09:00", Some("09:00")),
        ("9:05", Some("09:05")),
        (" 23:59 ", Some("23:59")),
        ("00:00", Some("00:00")),
        ("24:00", None),
        ("9:5", None),
        ("25:00", None),
        ("12:60", None),
        ("1200", None),
        ("12:00:00", None),
        ("-1:00", None),
        ("+9:00", None),
        ("", None),
        ("١٢:٠٠", None),
    ] {
        let got = TimeOfDay::parse(s).ok().map(|t| t.to_string());
        assert_eq!(got.as_deref(), ok, "{s:?}");
    }
    let e = TimeOfDay::parse("25:00").unwrap_err();
    assert_eq!(e.problem_code(), Some("invalid_time"));
    assert!(Range::parse("24:00", "02:00").is_err());
    assert_eq!(Range::parse("18:00", "24:00").unwrap().minutes(), 360);
}

#[test]
fn hours_read_and_write_as_json() {
    let json = serde_json::json!({
        "time_zone": "Asia/Seoul",
        "weekdays": {"kind": "ranges", "ranges": [
            {"from": "09:00", "to": "12:00"}, {"from": "13:00", "to": "18:00"}]},
        "saturday": {"kind": "ranges", "ranges": [{"from": "22:00", "to": "02:00"}]},
        "sunday": {"kind": "off"},
        "holidays": [
            {"date": "2026-09-25", "name": "추석"},
            {"date": "2026-12-24", "name": "크리스마스 이브",
             "schedule": {"kind": "ranges", "ranges": [{"from": "09:00", "to": "13:00"}]}},
            {"date": "2026-12-26", "schedule": {"kind": "all_day"}}
        ],
        "accept_off_hours_into_queue": false
    });
    let h: Hours = serde_json::from_value(json.clone()).unwrap();
    assert!(!h.accept_off_hours_into_queue());
    assert_eq!(h.holidays().count(), 3);
    let mut back = serde_json::to_value(&h).unwrap();
    // Written back with the holiday's default schedule spelled out.
    back["holidays"][0]
        .as_object_mut()
        .unwrap()
        .remove("schedule");
    assert_eq!(back, json);
    // Absent zone and switch: Seoul, and queued.
    let minimal: Hours = serde_json::from_value(serde_json::json!({
        "weekdays": {"kind": "all_day"}, "saturday": {"kind": "off"}, "sunday": {"kind": "off"}
    }))
    .unwrap();
    assert_eq!(minimal.zone().name(), DEFAULT_TIME_ZONE);
    assert!(minimal.accept_off_hours_into_queue());
    // What `parse` refuses, reading refuses: a bad time, an overlap, an unknown zone.
    for bad in [
        r#"{"weekdays": {"kind": "ranges", "ranges": [{"from": "25:00", "to": "02:00"}]},
            "saturday": {"kind": "off"}, "sunday": {"kind": "off"}}"#,
        r#"{"weekdays": {"kind": "ranges", "ranges": [{"from": "09:00", "to": "12:00"},
            {"from": "10:00", "to": "11:00"}]}, "saturday": {"kind": "off"}, "sunday": {"kind": "off"}}"#,
        r#"{"time_zone": "KST", "weekdays": {"kind": "off"}, "saturday": {"kind": "off"},
            "sunday": {"kind": "off"}}"#,
    ] {
        assert!(serde_json::from_str::<Hours>(bad).is_err(), "{bad}");
    }
}

#[test]
fn imported_holidays_keep_the_sites_own_dates() {
    let h = office(vec![holiday(
        date(2026, 12, 24),
        "단축 근무",
        sched(&[("09:00", "13:00")]),
    )]);
    let (merged, kept) = h
        .with_holidays(&[
            Holiday::off(date(2026, 12, 24), Some("크리스마스 이브")),
            Holiday::off(date(2026, 12, 25), Some("기독탄신일")),
            Holiday::off(date(2026, 12, 25), Some("성탄절")),
        ])
        .unwrap();
    assert_eq!(kept, vec![date(2026, 12, 24), date(2026, 12, 25)]);
    assert_eq!(merged.holidays().count(), 2);
    assert_eq!(
        merged
            .holiday(date(2026, 12, 24))
            .and_then(|x| x.name.as_deref()),
        Some("단축 근무")
    );
    assert_eq!(
        merged
            .holiday(date(2026, 12, 25))
            .and_then(|x| x.name.as_deref()),
        Some("기독탄신일")
    );
}

#[test]
fn the_next_opening_is_said_in_the_customers_language() {
    let h = office(vec![]);
    let z = h.zone();
    let now = at(&h, "2026-03-04T20:00"); // Wednesday evening
    for (opening, ko, en) in [
        (
            "2026-03-04T21:30",
            "오늘 오후 9시 30분부터",
            "today at 9:30 PM",
        ),
        (
            "2026-03-05T09:00",
            "내일 오전 9시부터",
            "tomorrow at 9:00 AM",
        ),
        (
            "2026-03-09T09:00",
            "월요일 오전 9시부터",
            "Monday at 9:00 AM",
        ),
        (
            "2026-03-10T12:00",
            "화요일 오후 12시부터",
            "Tuesday at 12:00 PM",
        ),
        (
            "2026-03-11T00:05",
            "3월 11일 수요일 오전 12시 5분부터",
            "Wednesday, March 11 at 12:05 AM",
        ),
        (
            "2026-12-25T09:00",
            "12월 25일 금요일 오전 9시부터",
            "Friday, December 25 at 9:00 AM",
        ),
    ] {
        let t = at(&h, opening);
        assert_eq!(describe_opening(z, t, now, Lang::Ko), ko);
        assert_eq!(describe_opening(z, t, now, Lang::En), en);
    }
    // In the site's zone, not UTC's: Friday 18:00 in Seoul is still Friday morning in UTC.
    let friday = at(&h, "2026-03-06T18:30");
    assert_eq!(
        describe_next_opening(&h, friday, Lang::Ko).as_deref(),
        Some("월요일 오전 9시부터")
    );
    let never = hours_in(
        DEFAULT_TIME_ZONE,
        DaySchedule::Off,
        DaySchedule::Off,
        DaySchedule::Off,
        vec![],
    );
    assert_eq!(describe_next_opening(&never, friday, Lang::En), None);
}

const ZONES: [&str; 4] = [
    "Asia/Seoul",
    "Europe/Berlin",
    "America/New_York",
    "Australia/Lord_Howe",
];

fn any_schedule() -> impl Strategy<Value = DaySchedule> {
    let quarter = (0u8..24, 0u8..4).prop_map(|(h, q)| TimeOfDay::new(h, q * 15).unwrap());
    let range = (quarter.clone(), quarter).prop_map(|(from, to)| Range { from, to });
    prop_oneof![
        1 => Just(DaySchedule::Off),
        1 => Just(DaySchedule::AllDay),
        4 => proptest::collection::vec(range, 1..4).prop_map(|ranges| {
            // Keep the ranges that do not overlap the ones kept before.
            let mut kept: Vec<Range> = Vec::new();
            for r in ranges {
                let mut with = kept.clone();
                with.push(r);
                if (DaySchedule::Ranges { ranges: with.clone() }).checked("x").is_ok() {
                    kept = with;
                }
            }
            DaySchedule::Ranges { ranges: kept }
        }),
    ]
}

fn any_hours() -> impl Strategy<Value = Hours> {
    (
        0..ZONES.len(),
        any_schedule(),
        any_schedule(),
        any_schedule(),
        proptest::collection::vec((0i32..60, any_schedule()), 0..6),
    )
        .prop_map(|(zone, weekdays, saturday, sunday, holidays)| {
            let mut seen = std::collections::BTreeSet::new();
            let holidays = holidays
                .into_iter()
                .filter(|(d, _)| seen.insert(*d))
                .map(|(d, schedule)| Holiday {
                    // Around the clock changes of 2026 in both hemispheres.
                    date: shift(date(2026, 3, 20), d),
                    name: None,
                    schedule,
                })
                .collect();
            hours_in(ZONES[zone], weekdays, saturday, sunday, holidays)
        })
}

/// Instants in March–April 2026 (both DST changes of Berlin/New York/Lord Howe are near),
/// to the second.
fn any_instant() -> impl Strategy<Value = Timestamp> {
    let start = utc("2026-03-01T00:00Z").as_second();
    (0i64..61 * 86_400).prop_map(move |s| Timestamp::from_second(start + s).unwrap())
}

fn plus_seconds(t: Timestamp, s: i64) -> Timestamp {
    Timestamp::from_second(t.as_second() + s).unwrap()
}

/// The minute boundaries after `t` and before `end`, all of them up to three days, then one
/// in seven (a gap of a week is checked at 1,440 of its instants).
fn minutes_between(t: Timestamp, end: Timestamp) -> impl Iterator<Item = Timestamp> {
    let first = (t.as_second().div_euclid(60) + 1) * 60;
    let span = end.as_second() - first;
    let step = if span > 3 * 86_400 { 7 * 60 } else { 60 };
    (0..)
        .map(move |i| first + i * step)
        .take_while(move |s| *s < end.as_second())
        .map(|s| Timestamp::from_second(s).unwrap())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// The next opening is open, and nothing between the instant and it is.
    #[test]
    fn nothing_opens_before_the_next_opening(h in any_hours(), t in any_instant()) {
        match next_opening(&h, t) {
            Some(o) => {
                prop_assert!(o >= t);
                prop_assert!(is_open(&h, o), "{} not open", local(&h, o));
                prop_assert_eq!(is_open(&h, t), o == t);
                for m in minutes_between(t, o) {
                    prop_assert!(!is_open(&h, m), "{} open before {}", local(&h, m), local(&h, o));
                }
            }
            None => {
                for m in minutes_between(t, plus_seconds(t, 14 * 86_400)) {
                    prop_assert!(!is_open(&h, m), "{} open", local(&h, m));
                }
            }
        }
    }

    /// While open, the desk stays open until it closes, and is closed then.
    #[test]
    fn the_desk_stays_open_until_it_closes(h in any_hours(), t in any_instant()) {
        if let Some(c) = closes_at(&h, t) {
            prop_assert!(is_open(&h, t));
            prop_assert!(c > t);
            prop_assert!(!is_open(&h, c), "{} still open", local(&h, c));
            for m in minutes_between(t, c) {
                prop_assert!(is_open(&h, m), "{} closed before {}", local(&h, m), local(&h, c));
            }
        }
    }

    /// Hours written as JSON read back as themselves.
    #[test]
    fn hours_round_trip_through_json(h in any_hours()) {
        let json = serde_json::to_string(&h).unwrap();
        let back: Hours = serde_json::from_str(&json).unwrap();
        prop_assert_eq!(back, h);
    }
}
