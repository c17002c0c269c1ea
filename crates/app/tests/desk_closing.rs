//! The desk closing: one durable timer per site with hours, due at the next closing; when it
//! fires, every customer still waiting hears the desk-closing message with the next opening,
//! once, and the timer moves to the closing after.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[macro_use]
mod common;

use app::consultations::Actor;
use app::desk_closing::DESK_CLOSING;
use app::scheduler::{Scheduler, SchedulerConfig};
use common::{START, TestApp, anonymous_consultation};
use inflow::Channel;
use sangdam_core::Transition;
use sangdam_core::hours::{DaySchedule, HoursSpec};
use store::{JobState, Role};

const HOUR: i64 = 3_600_000;

fn scheduler(t: &TestApp) -> Scheduler {
    app::desk_closing::with_handlers(Scheduler::new(
        t.services.clone(),
        SchedulerConfig::default(),
    ))
}

async fn timer(t: &TestApp) -> store::JobRecord {
    let jobs = t.store.jobs_of_kind(DESK_CLOSING).await.unwrap();
    assert_eq!(jobs.len(), 1, "one timer per site: {jobs:?}");
    jobs.into_iter().next().unwrap()
}

/// Weekdays 09:00–18:00 in Seoul; the clock starts on Monday at 09:00.
async fn weekday_hours(t: &TestApp) {
    let admin = t
        .store
        .create_agent(t.site_id(), "admin", "-", "관리자", Role::Admin, START)
        .await
        .unwrap();
    t.services
        .save_site_hours(
            &admin,
            HoursSpec {
                time_zone: "Asia/Seoul".into(),
                weekdays: DaySchedule::ranges(&[("09:00", "18:00")]).unwrap(),
                saturday: DaySchedule::Off,
                sunday: DaySchedule::Off,
                holidays: Vec::new(),
                accept_off_hours_into_queue: true,
            },
        )
        .await
        .unwrap();
}

async fn waiting_customers_hear_the_desk_close_once(t: TestApp) {
    let s = &t.services;
    assert!(t.store.jobs_of_kind(DESK_CLOSING).await.unwrap().is_empty());
    weekday_hours(&t).await;
    let j = timer(&t).await;
    assert_eq!((j.state, j.due_at), (JobState::Pending, START + 9 * HOUR));
    // One customer waits; another is with an agent.
    let (_, _, waiting) = anonymous_consultation(s, &t, Channel::WebchatV2).await;
    let (_, _, served) = anonymous_consultation(s, &t, Channel::WebchatV2).await;
    s.transition(Actor::Agent(&t.agent), served, Transition::Take)
        .await
        .unwrap();

    t.clock.advance(9 * HOUR - 1);
    assert_eq!(scheduler(&t).run_due().await.unwrap().total(), 0);
    t.clock.advance(1);
    assert_eq!(scheduler(&t).run_due().await.unwrap().done, 1);
    let told = t.system_texts(waiting).await;
    assert_eq!(
        told.last().unwrap(),
        "상담 시간이 끝났습니다.\n내일 오전 9시부터 순서대로 답변드리겠습니다.",
        "{told:?}"
    );
    assert!(
        !t.system_texts(served)
            .await
            .iter()
            .any(|m| m.starts_with("상담 시간이 끝났습니다")),
        "only the waiting are told"
    );
    // The next closing: Tuesday 18:00.
    let j = timer(&t).await;
    assert_eq!((j.state, j.due_at), (JobState::Pending, START + 33 * HOUR));

    // The same closing run again (a crash before it settled) tells nobody twice.
    t.store
        .set_timer(
            DESK_CLOSING,
            &format!("{DESK_CLOSING}:{}", t.site_id().get()),
            &j.payload,
            START + 9 * HOUR,
            t.services.now(),
        )
        .await
        .unwrap();
    assert_eq!(scheduler(&t).run_due().await.unwrap().done, 1);
    let again = t.system_texts(waiting).await;
    assert_eq!(
        again
            .iter()
            .filter(|m| m.starts_with("상담 시간이 끝났습니다"))
            .count(),
        1
    );
    assert_eq!(timer(&t).await.due_at, START + 33 * HOUR);

    // Friday's closing is followed by Monday's.
    t.clock.set(START + 4 * 24 * HOUR + 8 * HOUR);
    s.arm_all_desk_closings().await.unwrap();
    assert_eq!(timer(&t).await.due_at, START + 4 * 24 * HOUR + 9 * HOUR);
    t.clock.advance(HOUR);
    assert_eq!(scheduler(&t).run_due().await.unwrap().done, 1);
    assert_eq!(timer(&t).await.due_at, START + 7 * 24 * HOUR + 9 * HOUR);
    assert!(
        t.system_texts(waiting)
            .await
            .last()
            .unwrap()
            .contains("월요일 오전 9시부터"),
        "{:?}",
        t.system_texts(waiting).await
    );
}

both!(waiting_customers_hear_the_desk_close_once);
