//! Auto-close (R3.5) as the application runs it: a consultation in progress whose customer
//! has not answered the agent (or, when the site says so, whose agent has not answered the
//! customer) for the site's minutes is warned (when the site warns) and then closed, with the
//! end type `auto_close` and the `auto_closed` message.
//!
//! The rules are core's ([`sangdam_core::auto_close`]); every due time is a durable timer in
//! the database (`store::timers`), one per consultation, run by the job scheduler:
//! - every message sets or cancels its consultation's timer in the writer's batch
//!   ([`Services::idle_timer`] decides which, from the site's settings as last read: they are
//!   kept for a few seconds, so a message costs no read);
//! - an assignment, a hold switched, the settings saved, and the start of the workers set the
//!   timers again from what is stored ([`Services::rearm`]), which also repairs a change a crash
//!   lost between a batch of customer messages and its timers;
//! - a timer that fires reads the consultation afresh and asks core what is due now: nothing
//!   (a reply since: it ends, or waits for a later due time), the warning, or the close.
//!
//! Exactly once: the warning and the closing message are written with ids of their own (the
//! consultation and the due close), so a run repeated after a crash stores neither twice, and
//! the close itself only happens to a consultation still in progress.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use sangdam_core::auto_close::{self, AutoCloseAction, AutoCloseDue, AutoCloseSettings, MINUTE_MS};
use sangdam_core::auto_message::{AutoMessageKind, AutoMessages, MessageValues};
use sangdam_core::{Action, AuditAction, ConsultationId, EndType, SiteId, Transition};
use store::{AgentRecord, ConsultationRecord, IdleActivity, IdleTimer, JobRecord, Sender};

use crate::Services;
use crate::access::admin_only;
use crate::clock::Millis;
use crate::consultations::Actor;
use crate::error::AppError;
use crate::events::Event;
use crate::scheduler::{JobError, Scheduler};

/// How long the settings read for the message path are kept.
const KEEP_SETTINGS: Duration = Duration::from_secs(5);

/// The settings of each site as last read, and the length of a rule's minute.
#[derive(Debug)]
pub(crate) struct AutoCloseRules {
    minute_ms: Millis,
    read: Mutex<HashMap<SiteId, (AutoCloseSettings, Instant)>>,
}

impl Default for AutoCloseRules {
    fn default() -> Self {
        AutoCloseRules::with_minute(MINUTE_MS)
    }
}

impl AutoCloseRules {
    pub(crate) fn with_minute(minute_ms: Millis) -> Self {
        AutoCloseRules {
            minute_ms: minute_ms.max(1),
            read: Mutex::new(HashMap::new()),
        }
    }

    fn kept(&self, site: SiteId) -> Option<AutoCloseSettings> {
        let read = self.read.lock().unwrap_or_else(|e| e.into_inner());
        read.get(&site)
            .filter(|(_, at)| at.elapsed() < KEEP_SETTINGS)
            .map(|(s, _)| *s)
    }

    /// Forgets the site's settings: the next message reads them again.
    pub(crate) fn forget(&self, site: SiteId) {
        self.read
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(&site);
    }

    fn keep(&self, site: SiteId, settings: AutoCloseSettings) {
        let mut read = self.read.lock().unwrap_or_else(|e| e.into_inner());
        read.insert(site, (settings, Instant::now()));
    }
}

/// A site's auto-close settings, and whether it ever saved them.
#[derive(Debug, Clone, Copy)]
pub struct SiteAutoClose {
    pub settings: AutoCloseSettings,
    pub saved: bool,
}

/// The timer's due time for `due`: the warning's while it is still to come, else the close's.
fn next_due(due: &AutoCloseDue, now: Millis) -> Millis {
    match due.warn_at {
        Some(w) if w > now => w,
        _ => due.close_at,
    }
}

impl Services {
    /// How long a minute of the auto-close rules lasts here (a real minute, unless the server
    /// was started with a shorter one for tests or demos).
    pub fn auto_close_minute_ms(&self) -> Millis {
        self.auto_close.minute_ms
    }

    /// The site's auto-close settings as they rule (the default when never saved).
    pub async fn auto_close_of_site(&self, site: SiteId) -> Result<SiteAutoClose, AppError> {
        let stored = self.store.auto_close_settings(site).await?;
        let settings = stored.unwrap_or_default();
        self.auto_close.keep(site, settings);
        Ok(SiteAutoClose {
            settings,
            saved: stored.is_some(),
        })
    }

    /// The admin reads the site's auto-close settings.
    pub async fn site_auto_close(&self, admin: &AgentRecord) -> Result<SiteAutoClose, AppError> {
        admin_only(admin, "manages the auto-close rules")?;
        self.auto_close_of_site(admin.site_id).await
    }

    /// The admin saves the site's auto-close settings (checked by core as they were read);
    /// every consultation in progress gets its timer again under the new rules.
    pub async fn save_auto_close(
        &self,
        admin: &AgentRecord,
        settings: AutoCloseSettings,
    ) -> Result<AutoCloseSettings, AppError> {
        admin_only(admin, "manages the auto-close rules")?;
        self.store
            .save_auto_close_settings(admin.site_id, &settings)
            .await?;
        self.auto_close.keep(admin.site_id, settings);
        self.publish([Event::SettingsChanged {
            site_id: admin.site_id,
            settings: crate::events::KeptSettings::AutoClose,
        }]);
        tracing::info!(site = %admin.site_id, agent = %admin.id, "auto-close rules saved");
        self.audit(
            admin,
            AuditAction::AutoCloseSaved,
            "",
            crate::audit::detail(&settings),
        )
        .await;
        let open = self.store.idle_activities(Some(admin.site_id)).await?;
        self.rearm_activities(&open).await?;
        Ok(settings)
    }

    /// What a new message from `sender` at `now` does to its consultation's timer. Sangdam's
    /// and the chatbot's messages answer no one: they leave it. The settings come from what
    /// was read in the last few seconds; if they cannot be read, the timer is left and the
    /// next assignment or start sets it right.
    pub(crate) async fn idle_timer(&self, site: SiteId, sender: Sender, now: Millis) -> IdleTimer {
        let (customer, agent) = match sender {
            Sender::Customer => (Some(now), None),
            Sender::Agent => (None, Some(now)),
            Sender::System | Sender::Bot => return IdleTimer::Keep,
        };
        let settings = match self.auto_close.kept(site) {
            Some(s) => s,
            None => match self.auto_close_of_site(site).await {
                Ok(s) => s.settings,
                Err(e) => {
                    tracing::warn!(site = %site, error = %e, "auto-close rules unreadable");
                    return IdleTimer::Keep;
                }
            },
        };
        // The message is the consultation's latest: whoever sent it decides the rule.
        let activity = auto_close::Activity {
            in_progress: true,
            hold: false,
            in_progress_since: None,
            last_customer_message_at: customer,
            last_agent_message_at: agent,
        };
        match auto_close::auto_close_due(&settings, &activity, self.auto_close.minute_ms) {
            Some(due) => IdleTimer::Set(next_due(&due, now)),
            None => IdleTimer::Cancel,
        }
    }

    /// Sets the timers of `ids` again from what is stored (after an assignment: the agent-idle
    /// rule counts from it). A failure is logged: the timer fires as it was set and finds out.
    pub(crate) async fn rearm(&self, ids: &[ConsultationId]) {
        let mut found = Vec::with_capacity(ids.len());
        for id in ids {
            match self.store.idle_activity(*id).await {
                Ok(Some(a)) => found.push(a),
                Ok(None) => {}
                Err(e) => tracing::warn!(consultation = %id, error = %e,
                    "the auto-close timer was not set again"),
            }
        }
        if let Err(e) = self.rearm_activities(&found).await {
            tracing::warn!(error = %e, "auto-close timers were not set again");
        }
    }

    /// Sets the timer of every consultation in progress again from what is stored (the
    /// workers' start: repairs what a crash lost); answers how many have one.
    pub async fn rearm_all(&self) -> Result<usize, AppError> {
        let open = self.store.idle_activities(None).await?;
        self.rearm_activities(&open).await
    }

    async fn rearm_activities(&self, found: &[IdleActivity]) -> Result<usize, AppError> {
        let now = self.now();
        let mut settings: HashMap<SiteId, AutoCloseSettings> = HashMap::new();
        let mut effects = Vec::with_capacity(found.len());
        let mut armed = 0;
        for a in found {
            let rules = match settings.get(&a.site_id) {
                Some(s) => *s,
                None => {
                    let s = self.auto_close_of_site(a.site_id).await?.settings;
                    settings.insert(a.site_id, s);
                    s
                }
            };
            let due = auto_close::auto_close_due(&rules, &a.activity, self.auto_close.minute_ms);
            effects.push((
                a.consultation_id,
                match due {
                    Some(d) => {
                        armed += 1;
                        IdleTimer::Set(next_due(&d, now))
                    }
                    None => IdleTimer::Cancel,
                },
            ));
        }
        self.store.apply_idle_timers(&effects, now).await?;
        if armed > 0 {
            self.wake_jobs();
        }
        Ok(armed)
    }

    /// An agent puts a consultation on hold (exempt from auto-close) or takes it off hold.
    pub async fn set_hold(
        &self,
        agent: &AgentRecord,
        id: ConsultationId,
        hold: bool,
    ) -> Result<ConsultationRecord, AppError> {
        self.consultation_for(agent, id, Action::Handle).await?;
        let c = self.store.set_hold(id, hold, self.now()).await?;
        tracing::info!(consultation = %id, agent = %agent.id, hold, "hold changed");
        self.rearm(&[id]).await;
        self.publish([Event::consultation(&c)]);
        Ok(c)
    }

    /// The auto-close timer of a consultation fires: what is due now, done. Answers when it
    /// is due again (the close after a warning, or a later due time after a reply), or `None`.
    ///
    /// The warning always comes first when the site warns: a close found due without it (the
    /// server was down through the warning, a hold was released late) warns now and closes
    /// the warning's minutes later. When it was sent is read from the warning itself, so a
    /// repeated run neither warns twice nor closes early.
    async fn idle_timer_fired(&self, id: ConsultationId) -> Result<Option<Millis>, AppError> {
        let Some(a) = self.store.idle_activity(id).await? else {
            return Ok(None);
        };
        let settings = self.auto_close_of_site(a.site_id).await?.settings;
        let (now, minute) = (self.now(), self.auto_close.minute_ms);
        let due = match auto_close::auto_close_action(&settings, &a.activity, now, minute) {
            None => {
                return Ok(auto_close::auto_close_due(&settings, &a.activity, minute)
                    .map(|d| next_due(&d, now)));
            }
            Some(AutoCloseAction::Warn(due) | AutoCloseAction::Close(due)) => due,
        };
        let c = self.store.consultation(id).await?;
        let messages = self.messages_of_site(c.site_id).await?.messages;
        let warning = settings
            .warning_minutes
            .filter(|_| due.warn_at.is_some())
            .filter(|_| messages.get(AutoMessageKind::AutoCloseWarning).enabled);
        let close_at = match warning {
            Some(w) => {
                let once = format!("sangdam:auto_close_warning:{}:{}", c.id, due.close_at);
                let warned_at = match self.store.message_by_client_id(c.room_id, &once).await? {
                    Some(m) => m.created_at,
                    None => {
                        self.idle_warning(&c, &messages, w, &once).await?;
                        now
                    }
                };
                due.close_at
                    .max(warned_at.saturating_add(i64::from(w).saturating_mul(minute)))
            }
            None => due.close_at,
        };
        if now < close_at {
            return Ok(Some(close_at));
        }
        self.idle_close(&c, &messages, &due).await?;
        Ok(None)
    }

    async fn idle_warning(
        &self,
        c: &ConsultationRecord,
        messages: &AutoMessages,
        minutes: u32,
        once: &str,
    ) -> Result<(), AppError> {
        let values = MessageValues {
            minutes: Some(minutes),
            ..MessageValues::default()
        };
        self.say_once(c, messages, AutoMessageKind::AutoCloseWarning, values, once)
            .await?;
        tracing::info!(consultation = %c.id, "auto-close warning sent");
        Ok(())
    }

    async fn idle_close(
        &self,
        c: &ConsultationRecord,
        messages: &AutoMessages,
        due: &AutoCloseDue,
    ) -> Result<(), AppError> {
        let id = c.id;
        let values = MessageValues {
            minutes: Some(due.minutes),
            ..MessageValues::default()
        };
        // The message first: a run repeated after a crash finds it stored and still closes.
        let once = format!("sangdam:auto_closed:{}", c.id);
        self.say_once(c, messages, AutoMessageKind::AutoClosed, values, &once)
            .await?;
        // Closed meanwhile (by an agent)? The transition refuses, the job is retried and its
        // next run finds the consultation no longer in progress.
        self.transition(Actor::System, id, Transition::Close(EndType::AutoClose))
            .await?;
        tracing::info!(consultation = %id, rule = due.rule.as_str(),
            "consultation closed by auto-close");
        Ok(())
    }
}

/// The payload of an auto-close job.
#[derive(Debug, serde::Deserialize)]
struct Payload {
    consultation_id: i64,
}

async fn auto_close_job(services: Services, job: JobRecord) -> Result<Option<Millis>, JobError> {
    let payload: Payload = serde_json::from_str(&job.payload)
        .map_err(|e| JobError::Fail(format!("not an auto-close payload: {e}")))?;
    services
        .idle_timer_fired(ConsultationId::new(payload.consultation_id))
        .await
        .map_err(|e| JobError::Retry(e.to_string()))
}

/// The scheduler with the auto-close handler.
pub fn with_handlers(scheduler: Scheduler) -> Scheduler {
    scheduler.handle_timer(store::AUTO_CLOSE, auto_close_job)
}
