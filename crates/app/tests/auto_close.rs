//! Auto-close (R3.5) on durable timers: every message sets or cancels its consultation's
//! timer; the timer warns, then closes with `auto_close`; a reply, a hold or new settings
//! change it; a timer set or cancelled while it runs is never lost; a run repeated (a crash)
//! says nothing twice.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[macro_use]
mod common;

use app::consultations::Actor;
use app::scheduler::{Scheduler, SchedulerConfig};
use common::{TestApp, anonymous_consultation};
use inflow::Channel;
use sangdam_core::auto_close::AutoCloseSettings;
use sangdam_core::{ConsultationId, ConsultationState, EndType, Transition};
use store::{AUTO_CLOSE, IdleTimer, JobRecord, JobState, Role};

const MIN: i64 = 60_000;

fn scheduler(t: &TestApp) -> Scheduler {
    app::auto_close::with_handlers(Scheduler::new(
        t.services.clone(),
        SchedulerConfig::default(),
    ))
}

async fn admin(t: &TestApp) -> store::AgentRecord {
    static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let login = format!(
        "admin{}",
        N.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    );
    t.store
        .create_agent(
            t.site_id(),
            &login,
            "-",
            "관리자",
            Role::Admin,
            t.clock_now(),
        )
        .await
        .unwrap()
}

/// A consultation in progress with the test agent, the customer having written first: its id
/// and the customer's visitor.
async fn in_progress(t: &TestApp) -> (ConsultationId, store::VisitorRecord) {
    let s = &t.services;
    let (_, visitor, id) = anonymous_consultation(s, t, Channel::WebchatV2).await;
    s.transition(Actor::Agent(&t.agent), id, Transition::Take)
        .await
        .unwrap();
    // Whoever writes next writes after the customer (at the same instant, the customer's
    // message would count as the last word).
    t.clock.advance(MIN);
    (id, visitor)
}

async fn timer(t: &TestApp, id: ConsultationId) -> Option<JobRecord> {
    t.store
        .jobs_of_kind(AUTO_CLOSE)
        .await
        .unwrap()
        .into_iter()
        .find(|j| j.idempotency_key.as_deref() == Some(&format!("auto_close:{}", id.get())))
}

async fn save(t: &TestApp, c: Option<i64>, a: Option<i64>, w: Option<i64>) {
    let admin = admin(t).await;
    t.services
        .save_auto_close(&admin, AutoCloseSettings::parse(c, a, w).unwrap())
        .await
        .unwrap();
}

/// The default rule: the agent's reply starts 30 minutes, the customer's answer cancels them,
/// the next reply starts them again, and at the end the consultation closes as `auto_close`
/// with the closing message (no warning by default).
async fn the_customer_idle_rule_closes_after_the_agents_last_word(t: TestApp) {
    let s = &t.services;
    let (id, mut visitor) = in_progress(&t).await;
    assert_eq!(timer(&t, id).await, None, "the customer wrote last");
    let start = t.clock_now();
    s.reply(&t.agent, id, "주문번호를 알려주세요")
        .await
        .unwrap();
    let set = timer(&t, id).await.expect("the reply set a timer");
    assert_eq!(
        (set.state, set.due_at),
        (JobState::Pending, start + 30 * MIN)
    );

    t.clock.advance(10 * MIN);
    s.customer_send(&mut visitor, "12345입니다", Some("c2"))
        .await
        .unwrap();
    assert_eq!(timer(&t, id).await.unwrap().state, JobState::Cancelled);
    // Nothing runs: the cancelled timer is never claimed.
    t.clock.advance(40 * MIN);
    assert_eq!(scheduler(&t).run_due().await.unwrap().total(), 0);

    s.reply(&t.agent, id, "확인했습니다. 더 필요하신 것이 있나요?")
        .await
        .unwrap();
    let again = timer(&t, id).await.unwrap();
    assert_eq!(
        (again.state, again.due_at),
        (JobState::Pending, t.clock_now() + 30 * MIN)
    );
    t.clock.advance(30 * MIN - 1);
    assert_eq!(scheduler(&t).run_due().await.unwrap().total(), 0);
    t.clock.advance(1);
    assert_eq!(scheduler(&t).run_due().await.unwrap().done, 1);
    let c = t.store.consultation(id).await.unwrap();
    assert_eq!(c.state, ConsultationState::Closed);
    assert_eq!(c.end_type, Some(EndType::AutoClose));
    let texts = t.system_texts(id).await;
    assert_eq!(
        texts.last().unwrap(),
        "30분 동안 답변이 없어 상담이 자동으로 종료되었습니다. 다시 문의하시려면 메시지를 보내 주세요."
    );
    assert!(
        !texts.iter().any(|m| m.contains("자동으로 종료됩니다")),
        "{texts:?}"
    );
    assert_eq!(timer(&t, id).await.unwrap().state, JobState::Done);
}

/// With a warning: the timer fires at the warning, says it once, and comes back for the close;
/// a run repeated (a scheduler that died after warning) says nothing twice.
async fn the_warning_comes_first_and_only_once(t: TestApp) {
    save(&t, Some(10), None, Some(3)).await;
    let s = &t.services;
    let (id, _) = in_progress(&t).await;
    s.reply(&t.agent, id, "답변 기다리겠습니다").await.unwrap();
    let start = t.clock_now();
    assert_eq!(timer(&t, id).await.unwrap().due_at, start + 7 * MIN);
    t.clock.advance(7 * MIN);
    assert_eq!(scheduler(&t).run_due().await.unwrap().done, 1);
    let j = timer(&t, id).await.unwrap();
    assert_eq!((j.state, j.due_at), (JobState::Pending, start + 10 * MIN));
    assert_eq!(
        t.system_texts(id).await.last().unwrap(),
        "3분 동안 답변이 없으면 상담이 자동으로 종료됩니다."
    );
    // The same timer run again at the same instant (as after a crash before it settled).
    t.store
        .apply_idle_timers(&[(id, IdleTimer::Set(start + 7 * MIN))], t.clock_now())
        .await
        .unwrap();
    assert_eq!(scheduler(&t).run_due().await.unwrap().done, 1);
    let warnings = t
        .system_texts(id)
        .await
        .into_iter()
        .filter(|m| m.contains("자동으로 종료됩니다"))
        .count();
    assert_eq!(warnings, 1, "the warning is stored once");
    t.clock.advance(3 * MIN);
    assert_eq!(scheduler(&t).run_due().await.unwrap().done, 1);
    let c = t.store.consultation(id).await.unwrap();
    assert_eq!(c.end_type, Some(EndType::AutoClose));
    let texts = t.system_texts(id).await;
    assert!(
        texts.last().unwrap().starts_with("10분 동안 답변이 없어"),
        "{texts:?}"
    );
}

/// A close found due without its warning (the server was down through it) warns first and
/// closes the warning's minutes later.
async fn a_late_timer_still_warns_before_closing(t: TestApp) {
    save(&t, Some(10), None, Some(3)).await;
    let s = &t.services;
    let (id, _) = in_progress(&t).await;
    s.reply(&t.agent, id, "답변").await.unwrap();
    t.clock.advance(60 * MIN);
    assert_eq!(scheduler(&t).run_due().await.unwrap().done, 1);
    assert_eq!(
        t.store.consultation(id).await.unwrap().state,
        ConsultationState::InProgress,
        "warned, not closed"
    );
    assert_eq!(
        t.system_texts(id).await.last().unwrap(),
        "3분 동안 답변이 없으면 상담이 자동으로 종료됩니다."
    );
    assert_eq!(timer(&t, id).await.unwrap().due_at, t.clock_now() + 3 * MIN);
    t.clock.advance(3 * MIN);
    assert_eq!(scheduler(&t).run_due().await.unwrap().done, 1);
    assert_eq!(
        t.store.consultation(id).await.unwrap().end_type,
        Some(EndType::AutoClose)
    );
    let texts = t.system_texts(id).await;
    assert_eq!(
        texts.iter().filter(|m| m.contains("종료됩니다.")).count(),
        1,
        "{texts:?}"
    );
}

/// A hold exempts the consultation (its timer cancelled); off hold, it is timed again from the
/// agent's last message.
async fn a_hold_exempts_and_releasing_it_times_again(t: TestApp) {
    let s = &t.services;
    let (id, _) = in_progress(&t).await;
    s.reply(&t.agent, id, "확인 후 연락드릴게요").await.unwrap();
    let replied = t.clock_now();
    let held = s.set_hold(&t.agent, id, true).await.unwrap();
    assert!(held.hold);
    assert_eq!(timer(&t, id).await.unwrap().state, JobState::Cancelled);
    // Replies while held set nothing.
    s.reply(&t.agent, id, "조금만 기다려 주세요").await.unwrap();
    assert_eq!(timer(&t, id).await.unwrap().state, JobState::Cancelled);
    t.clock.advance(3 * 60 * MIN);
    assert_eq!(scheduler(&t).run_due().await.unwrap().total(), 0);
    assert_eq!(
        t.store.consultation(id).await.unwrap().state,
        ConsultationState::InProgress
    );
    let released = s.set_hold(&t.agent, id, false).await.unwrap();
    assert!(!released.hold);
    // Long past the 30 minutes of the agent's last message: due now, and it closes.
    let j = timer(&t, id).await.unwrap();
    assert_eq!(j.state, JobState::Pending);
    assert!(j.due_at <= t.clock_now() && j.due_at > replied);
    assert_eq!(scheduler(&t).run_due().await.unwrap().done, 1);
    assert_eq!(
        t.store.consultation(id).await.unwrap().end_type,
        Some(EndType::AutoClose)
    );
    // A closed consultation cannot be held.
    assert!(s.set_hold(&t.agent, id, true).await.is_err());
}

/// The agent-idle rule (off by default) counts from the assignment when the customer wrote
/// while waiting, and an agent's reply ends it.
async fn the_agent_idle_rule_counts_from_the_assignment(t: TestApp) {
    save(&t, Some(30), Some(15), None).await;
    let s = &t.services;
    let (_, visitor, id) = anonymous_consultation(s, &t, Channel::WebchatV2).await;
    // Waiting: no timer, however long.
    assert_eq!(timer(&t, id).await, None);
    t.clock.advance(60 * MIN);
    s.transition(Actor::Agent(&t.agent), id, Transition::Take)
        .await
        .unwrap();
    let taken = t.clock_now();
    assert_eq!(timer(&t, id).await.unwrap().due_at, taken + 15 * MIN);
    let mut visitor = visitor;
    t.clock.advance(5 * MIN);
    s.customer_send(&mut visitor, "아직 계신가요?", Some("c3"))
        .await
        .unwrap();
    assert_eq!(
        timer(&t, id).await.unwrap().due_at,
        t.clock_now() + 15 * MIN
    );
    s.reply(&t.agent, id, "네, 확인 중입니다").await.unwrap();
    assert_eq!(
        timer(&t, id).await.unwrap().due_at,
        t.clock_now() + 30 * MIN
    );
}

/// New settings time every consultation in progress again at once.
async fn saving_the_rules_times_every_open_consultation_again(t: TestApp) {
    let s = &t.services;
    let (id, _) = in_progress(&t).await;
    s.reply(&t.agent, id, "답변드렸습니다").await.unwrap();
    let replied = t.clock_now();
    assert_eq!(timer(&t, id).await.unwrap().due_at, replied + 30 * MIN);
    t.clock.advance(MIN);
    save(&t, Some(5), None, Some(2)).await;
    assert_eq!(timer(&t, id).await.unwrap().due_at, replied + 3 * MIN);
    save(&t, None, None, None).await;
    assert_eq!(timer(&t, id).await.unwrap().state, JobState::Cancelled);
    // The start of the workers sets them again the same way.
    save(&t, Some(5), None, None).await;
    t.store
        .apply_idle_timers(&[(id, IdleTimer::Cancel)], t.clock_now())
        .await
        .unwrap();
    assert_eq!(s.rearm_all().await.unwrap(), 1);
    assert_eq!(timer(&t, id).await.unwrap().due_at, replied + 5 * MIN);
}

/// A timer set again while its run is under way is not lost when the run ends: the job goes
/// back to pending at the new time; one cancelled meanwhile runs once more and finds nothing.
async fn a_timer_changed_while_it_runs_is_kept(t: TestApp) {
    let s = &t.services;
    let (id, mut visitor) = in_progress(&t).await;
    s.reply(&t.agent, id, "답변").await.unwrap();
    t.clock.advance(30 * MIN);
    let now = t.clock_now();
    let claimed = t.store.claim_jobs(now, now + MIN, 8).await.unwrap();
    assert_eq!(claimed.len(), 1);
    // Meanwhile the agent writes again: the timer moves.
    t.store
        .apply_idle_timers(&[(id, IdleTimer::Set(now + 30 * MIN))], now)
        .await
        .unwrap();
    let running = timer(&t, id).await.unwrap();
    assert_eq!(running.state, JobState::Running);
    // The run ends as if it closed nothing.
    assert!(t.store.finish_job(&claimed[0], now).await.unwrap());
    let after = timer(&t, id).await.unwrap();
    assert_eq!(
        (after.state, after.due_at, after.attempts),
        (JobState::Pending, now + 30 * MIN, 0)
    );
    // Cancelled while running (the customer answers): pending again, and its next run finds
    // nothing to do.
    t.clock.advance(30 * MIN);
    let now = t.clock_now();
    let claimed = t.store.claim_jobs(now, now + MIN, 8).await.unwrap();
    s.customer_send(&mut visitor, "여기 있어요", Some("late"))
        .await
        .unwrap();
    assert!(
        t.store
            .again_job(&claimed[0], now + 99 * MIN, now)
            .await
            .unwrap()
    );
    let after = timer(&t, id).await.unwrap();
    assert_eq!((after.state, after.due_at), (JobState::Pending, now));
    assert_eq!(scheduler(&t).run_due().await.unwrap().done, 1);
    assert_eq!(timer(&t, id).await.unwrap().state, JobState::Done);
    assert_eq!(
        t.store.consultation(id).await.unwrap().state,
        ConsultationState::InProgress,
        "the customer answered: nothing closed"
    );
}

both!(
    the_customer_idle_rule_closes_after_the_agents_last_word,
    the_warning_comes_first_and_only_once,
    a_late_timer_still_warns_before_closing,
    a_hold_exempts_and_releasing_it_times_again,
    the_agent_idle_rule_counts_from_the_assignment,
    saving_the_rules_times_every_open_consultation_again,
    a_timer_changed_while_it_runs_is_kept,
);
