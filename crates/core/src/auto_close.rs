//! Auto-close (R3.5): when a silent consultation closes by itself, as due times the
//! application turns into durable jobs.
//!
//! Two rules, per site, each in whole minutes:
//! - customer idle (on, [`DEFAULT_CUSTOMER_IDLE_MINUTES`]): the agent wrote last and the
//!   customer has not answered for N minutes. Thirty minutes leaves a customer time to find an
//!   order number or take a call, and frees an agent's place (their limit counts open
//!   consultations) within the half hour when the customer has simply gone;
//! - agent idle (off unless set): the customer wrote last and no agent has answered for N
//!   minutes.
//!
//! Whoever wrote last decides which rule runs, so a customer's reply cancels the
//! customer-idle timer and an agent's reply the agent-idle one; a message at the same instant
//! from both counts as the customer's last. An optional warning comes M minutes before the
//! close (M below every enabled rule's N); it is off unless set, because on Kakao a message
//! the customer did not prompt goes out through the Event API, billed per message. Only a
//! consultation in progress closes this way; the room's hold flag exempts it.
//!
//! [`auto_close_due`] gives the due times for the consultation as it stands; the application
//! recomputes them after every message and every change of state or hold, replaces the job it
//! had scheduled, and when a job fires asks [`auto_close_action`] what is due at that instant
//! (nothing, if the consultation changed since; the job's own time is not trusted).

use serde::{Deserialize, Serialize};

use crate::error::CoreError;

/// How long a minute of the rules lasts, in milliseconds: a real minute, unless a test or a
/// demo runs the rules faster (the due-time arithmetic takes the length of its minute).
pub const MINUTE_MS: i64 = 60_000;
/// The customer-idle rule's minutes unless the site says otherwise.
pub const DEFAULT_CUSTOMER_IDLE_MINUTES: u32 = 30;
/// The longest either rule may wait: a week.
pub const MAX_IDLE_MINUTES: u32 = 7 * 24 * 60;

/// A site's auto-close settings; `None` switches a rule or the warning off. Read from JSON
/// through [`AutoCloseSettings::parse`]: an absent customer rule is the default, `null` off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "AutoCloseSpec")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AutoCloseSettings {
    /// Close after this many minutes without a customer reply to the agent's last message.
    pub customer_idle_minutes: Option<u32>,
    /// Close after this many minutes without an agent reply to the customer's last message.
    pub agent_idle_minutes: Option<u32>,
    /// Warn this many minutes before closing.
    pub warning_minutes: Option<u32>,
}

/// The settings as a request gives them, before [`AutoCloseSettings::parse`].
#[derive(Debug, Clone, Copy, Deserialize)]
struct AutoCloseSpec {
    #[serde(default = "default_customer_idle")]
    customer_idle_minutes: Option<i64>,
    #[serde(default)]
    agent_idle_minutes: Option<i64>,
    #[serde(default)]
    warning_minutes: Option<i64>,
}

fn default_customer_idle() -> Option<i64> {
    Some(i64::from(DEFAULT_CUSTOMER_IDLE_MINUTES))
}

impl TryFrom<AutoCloseSpec> for AutoCloseSettings {
    type Error = CoreError;

    fn try_from(s: AutoCloseSpec) -> Result<Self, Self::Error> {
        AutoCloseSettings::parse(
            s.customer_idle_minutes,
            s.agent_idle_minutes,
            s.warning_minutes,
        )
    }
}

impl Default for AutoCloseSettings {
    fn default() -> Self {
        AutoCloseSettings {
            customer_idle_minutes: Some(DEFAULT_CUSTOMER_IDLE_MINUTES),
            agent_idle_minutes: None,
            warning_minutes: None,
        }
    }
}

impl AutoCloseSettings {
    /// Checks settings as given: each rule 1 to [`MAX_IDLE_MINUTES`], the warning at least one
    /// minute and shorter than every enabled rule.
    pub fn parse(
        customer_idle_minutes: Option<i64>,
        agent_idle_minutes: Option<i64>,
        warning_minutes: Option<i64>,
    ) -> Result<AutoCloseSettings, CoreError> {
        let rule = |field: &'static str, n: Option<i64>| -> Result<Option<u32>, CoreError> {
            match n {
                None => Ok(None),
                Some(n) => u32::try_from(n)
                    .ok()
                    .filter(|n| (1..=MAX_IDLE_MINUTES).contains(n))
                    .map(Some)
                    .ok_or_else(|| {
                        CoreError::field(
                            field,
                            format!("{n} is not a wait: expected 1 to {MAX_IDLE_MINUTES} minutes"),
                        )
                    }),
            }
        };
        let customer = rule("customer_idle_minutes", customer_idle_minutes)?;
        let agent = rule("agent_idle_minutes", agent_idle_minutes)?;
        let warning = rule("warning_minutes", warning_minutes)?;
        if let Some(w) = warning {
            let shortest = customer.into_iter().chain(agent).min();
            match shortest {
                None => {
                    return Err(CoreError::field(
                        "warning_minutes",
                        "a warning needs an auto-close rule switched on",
                    ));
                }
                Some(n) if w >= n => {
                    return Err(CoreError::field(
                        "warning_minutes",
                        format!(
                            "the warning comes before the close: it must be shorter than {n} \
                             minutes"
                        ),
                    ));
                }
                Some(_) => {}
            }
        }
        Ok(AutoCloseSettings {
            customer_idle_minutes: customer,
            agent_idle_minutes: agent,
            warning_minutes: warning,
        })
    }
}

/// What auto-close needs to know of a consultation (times in milliseconds since the epoch).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Activity {
    /// In progress (assigned to an agent): the only state auto-close ends.
    pub in_progress: bool,
    /// The room's hold flag.
    pub hold: bool,
    /// Since when it is in progress (its latest assignment): the agent-idle rule counts from
    /// here when the customer wrote while it waited, so an agent is not closed on for a queue's
    /// wait.
    pub in_progress_since: Option<i64>,
    pub last_customer_message_at: Option<i64>,
    pub last_agent_message_at: Option<i64>,
}

/// Which rule a due close follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IdleRule {
    /// The customer has not answered the agent.
    CustomerIdle,
    /// No agent has answered the customer.
    AgentIdle,
}

impl IdleRule {
    pub fn as_str(self) -> &'static str {
        match self {
            IdleRule::CustomerIdle => "customer_idle",
            IdleRule::AgentIdle => "agent_idle",
        }
    }
}

/// When a consultation closes unless someone writes, and when it is warned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AutoCloseDue {
    pub rule: IdleRule,
    /// The rule's minutes (for the messages' `[minutes]`).
    pub minutes: u32,
    /// When the warning is due, when the site warns.
    pub warn_at: Option<i64>,
    pub close_at: i64,
}

/// The due times of a consultation as it stands, or `None`: nothing to schedule (not in
/// progress, on hold, the rule for whoever wrote last is off, or nobody wrote yet). A minute
/// lasts `minute_ms` ([`MINUTE_MS`] outside tests).
pub fn auto_close_due(
    settings: &AutoCloseSettings,
    activity: &Activity,
    minute_ms: i64,
) -> Option<AutoCloseDue> {
    if !activity.in_progress || activity.hold {
        return None;
    }
    let agent_idle = |customer: i64| {
        let since = activity
            .in_progress_since
            .map_or(customer, |s| s.max(customer));
        Some((IdleRule::AgentIdle, since, settings.agent_idle_minutes?))
    };
    let customer_idle = |agent: i64| {
        Some((
            IdleRule::CustomerIdle,
            agent,
            settings.customer_idle_minutes?,
        ))
    };
    let (rule, since, minutes) = match (
        activity.last_customer_message_at,
        activity.last_agent_message_at,
    ) {
        (None, None) => return None,
        (Some(customer), None) => agent_idle(customer)?,
        (None, Some(agent)) => customer_idle(agent)?,
        // The same instant counts as the customer's last word.
        (Some(customer), Some(agent)) if customer >= agent => agent_idle(customer)?,
        (Some(_), Some(agent)) => customer_idle(agent)?,
    };
    let close_at = since.saturating_add(i64::from(minutes).saturating_mul(minute_ms));
    let warn_at = settings
        .warning_minutes
        .filter(|w| *w < minutes)
        .map(|w| close_at.saturating_sub(i64::from(w).saturating_mul(minute_ms)));
    Some(AutoCloseDue {
        rule,
        minutes,
        warn_at,
        close_at,
    })
}

/// What a fired auto-close job does at `now`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AutoCloseAction {
    /// Send the warning (once: the application records that it warned for this `close_at`).
    Warn(AutoCloseDue),
    /// Close the consultation (`EndType::AutoClose`) and send the auto-closed message.
    Close(AutoCloseDue),
}

/// What is due at `now` for the consultation as it stands now, or `None` (a reply, a hold or
/// a change of state since the job was scheduled).
pub fn auto_close_action(
    settings: &AutoCloseSettings,
    activity: &Activity,
    now: i64,
    minute_ms: i64,
) -> Option<AutoCloseAction> {
    let due = auto_close_due(settings, activity, minute_ms)?;
    if now >= due.close_at {
        Some(AutoCloseAction::Close(due))
    } else if due.warn_at.is_some_and(|w| now >= w) {
        Some(AutoCloseAction::Warn(due))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIN: i64 = MINUTE_MS;

    fn due_of(s: &AutoCloseSettings, a: &Activity) -> Option<AutoCloseDue> {
        auto_close_due(s, a, MINUTE_MS)
    }

    fn action_at(s: &AutoCloseSettings, a: &Activity, now: i64) -> Option<AutoCloseAction> {
        auto_close_action(s, a, now, MINUTE_MS)
    }

    fn active(customer: Option<i64>, agent: Option<i64>) -> Activity {
        Activity {
            in_progress: true,
            hold: false,
            in_progress_since: None,
            last_customer_message_at: customer,
            last_agent_message_at: agent,
        }
    }

    #[test]
    fn the_agent_writing_last_starts_the_customer_idle_rule() {
        let s = AutoCloseSettings::default();
        let due = due_of(&s, &active(Some(0), Some(10 * MIN))).unwrap();
        assert_eq!(due.rule, IdleRule::CustomerIdle);
        assert_eq!(due.close_at, 40 * MIN);
        assert_eq!(due.minutes, 30);
        assert_eq!(due.warn_at, None);
        // An agent who wrote first (an explicit start) counts the same.
        let due = due_of(&s, &active(None, Some(0))).unwrap();
        assert_eq!(due.close_at, 30 * MIN);
    }

    #[test]
    fn a_customer_reply_cancels_the_customer_idle_timer() {
        let s = AutoCloseSettings::default();
        // The customer answered after the agent: agent idle is off by default, nothing runs.
        assert_eq!(due_of(&s, &active(Some(20 * MIN), Some(10 * MIN))), None);
        // At the same instant the customer has the last word.
        assert_eq!(due_of(&s, &active(Some(10 * MIN), Some(10 * MIN))), None);
        // A job scheduled before the reply fires and finds nothing to do.
        assert_eq!(
            action_at(&s, &active(Some(20 * MIN), Some(10 * MIN)), 40 * MIN),
            None
        );
    }

    #[test]
    fn the_agent_idle_rule_is_off_by_default_and_runs_when_set() {
        assert_eq!(AutoCloseSettings::default().agent_idle_minutes, None);
        assert_eq!(
            due_of(&AutoCloseSettings::default(), &active(Some(0), None)),
            None
        );
        let s = AutoCloseSettings::parse(Some(30), Some(15), None).unwrap();
        let due = due_of(&s, &active(Some(5 * MIN), Some(0))).unwrap();
        assert_eq!(due.rule, IdleRule::AgentIdle);
        assert_eq!(due.close_at, 20 * MIN);
        // Nobody wrote: nothing to count from.
        assert_eq!(due_of(&s, &active(None, None)), None);
    }

    #[test]
    fn the_agent_idle_rule_counts_from_the_assignment_after_a_wait() {
        let s = AutoCloseSettings::parse(Some(30), Some(15), None).unwrap();
        // The customer wrote at 0 while waiting; an agent took it at 40 minutes.
        let mut a = active(Some(0), None);
        a.in_progress_since = Some(40 * MIN);
        assert_eq!(due_of(&s, &a).unwrap().close_at, 55 * MIN);
        assert_eq!(action_at(&s, &a, 41 * MIN), None);
        // A customer message after the assignment counts from itself.
        a.last_customer_message_at = Some(50 * MIN);
        assert_eq!(due_of(&s, &a).unwrap().close_at, 65 * MIN);
        // The customer-idle rule counts from the agent's message, whenever it was.
        a.last_agent_message_at = Some(60 * MIN);
        assert_eq!(due_of(&s, &a).unwrap().close_at, 90 * MIN);
    }

    #[test]
    fn a_shorter_minute_scales_every_due_time() {
        let s = AutoCloseSettings::parse(Some(4), None, Some(2)).unwrap();
        let d = auto_close_due(&s, &active(None, Some(10_000)), 1_000).unwrap();
        assert_eq!((d.warn_at, d.close_at), (Some(12_000), 14_000));
        assert_eq!(
            auto_close_action(&s, &active(None, Some(10_000)), 12_500, 1_000),
            Some(AutoCloseAction::Warn(d))
        );
    }

    #[test]
    fn hold_and_other_states_are_exempt() {
        let s = AutoCloseSettings::parse(Some(30), Some(15), Some(5)).unwrap();
        let mut a = active(Some(0), Some(10 * MIN));
        a.hold = true;
        assert_eq!(due_of(&s, &a), None);
        assert_eq!(action_at(&s, &a, 100 * MIN), None);
        let mut waiting = active(Some(0), Some(10 * MIN));
        waiting.in_progress = false;
        assert_eq!(due_of(&s, &waiting), None);
    }

    #[test]
    fn the_warning_comes_only_when_set() {
        let without = AutoCloseSettings::parse(Some(30), None, None).unwrap();
        let a = active(Some(0), Some(MIN));
        assert_eq!(due_of(&without, &a).unwrap().warn_at, None);
        assert_eq!(action_at(&without, &a, 29 * MIN), None);
        let with = AutoCloseSettings::parse(Some(30), None, Some(5)).unwrap();
        let due = due_of(&with, &a).unwrap();
        assert_eq!(due.warn_at, Some(26 * MIN));
        assert_eq!(action_at(&with, &a, 25 * MIN), None);
        assert_eq!(
            action_at(&with, &a, 26 * MIN),
            Some(AutoCloseAction::Warn(due))
        );
        assert_eq!(
            action_at(&with, &a, 31 * MIN),
            Some(AutoCloseAction::Close(due))
        );
    }

    #[test]
    fn settings_are_bounded() {
        assert_eq!(
            AutoCloseSettings::parse(Some(30), None, None),
            Ok(AutoCloseSettings::default())
        );
        for (c, a, w, field) in [
            (Some(0), None, None, "customer_idle_minutes"),
            (
                Some(i64::from(MAX_IDLE_MINUTES) + 1),
                None,
                None,
                "customer_idle_minutes",
            ),
            (Some(30), Some(-1), None, "agent_idle_minutes"),
            (Some(30), None, Some(30), "warning_minutes"),
            (Some(30), Some(10), Some(10), "warning_minutes"),
            (None, None, Some(5), "warning_minutes"),
            (Some(30), None, Some(0), "warning_minutes"),
        ] {
            let e = AutoCloseSettings::parse(c, a, w).unwrap_err();
            assert_eq!(e.field_name(), Some(field), "{c:?} {a:?} {w:?}");
            assert_eq!(e.code(), "invalid_field");
        }
        let all_off = AutoCloseSettings::parse(None, None, None).unwrap();
        assert_eq!(due_of(&all_off, &active(Some(0), Some(MIN))), None);
        // The longest wait does not overflow.
        let long = AutoCloseSettings::parse(Some(i64::from(MAX_IDLE_MINUTES)), None, None).unwrap();
        let due = due_of(&long, &active(None, Some(i64::MAX - 1))).unwrap();
        assert_eq!(due.close_at, i64::MAX);
    }

    #[test]
    fn settings_read_and_write_as_json() {
        let s: AutoCloseSettings =
            serde_json::from_str(r#"{"customer_idle_minutes": 20}"#).unwrap();
        assert_eq!(s, AutoCloseSettings::parse(Some(20), None, None).unwrap());
        let back: AutoCloseSettings =
            serde_json::from_str(&serde_json::to_string(&s).unwrap()).unwrap();
        assert_eq!(back, s);
        let default: AutoCloseSettings = serde_json::from_str("{}").unwrap();
        assert_eq!(default, AutoCloseSettings::default());
        let off: AutoCloseSettings =
            serde_json::from_str(r#"{"customer_idle_minutes": null}"#).unwrap();
        assert_eq!(off.customer_idle_minutes, None);
        // What `parse` refuses, reading refuses too.
        assert!(
            serde_json::from_str::<AutoCloseSettings>(
                r#"{"customer_idle_minutes": 10, "warning_minutes": 10}"#
            )
            .is_err()
        );
    }
}
