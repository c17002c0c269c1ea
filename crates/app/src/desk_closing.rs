//! The desk closing (R3.4): when a site's business hours end, every customer still waiting
//! hears the `desk_closing` message with the next opening ("상담 시간이 끝났습니다. 월요일 오전
//! 9시부터 순서대로 답변드리겠습니다.").
//!
//! Each site with hours has one durable timer, a job of kind [`DESK_CLOSING`] keyed
//! `desk_closing:<site>`, due at the desk's next closing; saving the hours (or importing
//! holidays) and every start of the workers set it again from the hours as they are, and each
//! run sets the one after. The message is stored once per consultation and closing, however
//! often a run is repeated.

use hours::{DeskStatus, Hours};
use sangdam_core::auto_message::{AutoMessageKind, MessageValues};
use sangdam_core::hours;
use sangdam_core::{ConsultationState, SiteId};
use store::JobRecord;
use tokio::task::JoinSet;

use crate::Services;
use crate::clock::Millis;
use crate::error::AppError;
use crate::hours::SITE_LANG;
use crate::scheduler::{JobError, Scheduler};

/// The timers that tell waiting customers the desk has closed.
pub const DESK_CLOSING: &str = "desk_closing";

fn key(site: SiteId) -> String {
    format!("{DESK_CLOSING}:{}", site.get())
}

/// When the desk next closes after `now` (the end of the opening it is in, or of the next
/// one), or `None` when it never closes within the hours' horizon.
pub fn next_closing(h: &Hours, now: Millis) -> Option<Millis> {
    let at = hours::instant_ms(now)?;
    let closes = match hours::desk_status(h, at) {
        DeskStatus::Open { closes_at } => closes_at,
        DeskStatus::Closed { opens_at } => opens_at.and_then(|o| hours::closes_at(h, o)),
    }?;
    Some(closes.as_millisecond())
}

impl Services {
    /// Sets the site's desk-closing timer from its hours as they are (or cancels it: no hours
    /// saved, or a desk that never closes).
    pub(crate) async fn arm_desk_closing(&self, site: SiteId) -> Result<(), AppError> {
        let now = self.now();
        let due = match self.store.site_hours(site).await? {
            Some(h) => next_closing(&h, now),
            None => None,
        };
        match due {
            Some(due) => {
                let payload = serde_json::json!({ "site_id": site.get() }).to_string();
                self.store
                    .set_timer(DESK_CLOSING, &key(site), &payload, due, now)
                    .await?;
                self.wake_jobs();
            }
            None => self.store.cancel_timer(&key(site), now).await?,
        }
        Ok(())
    }

    /// Sets the desk-closing timer of every site with hours (the workers' start).
    pub async fn arm_all_desk_closings(&self) -> Result<usize, AppError> {
        let sites = self.store.sites_with_hours().await?;
        for site in &sites {
            self.arm_desk_closing(*site).await?;
        }
        Ok(sites.len())
    }

    /// The desk-closing timer due at `due_at` fires: if the desk is closed now, every waiting
    /// customer is told (once per closing); answers the next closing.
    async fn desk_closing_fired(
        &self,
        site: SiteId,
        due_at: Millis,
    ) -> Result<Option<Millis>, AppError> {
        let Some(h) = self.store.site_hours(site).await? else {
            return Ok(None);
        };
        let now = self.now();
        if due_at <= now && !hours::is_open_ms(&h, now) {
            self.tell_desk_closed(site, &h, due_at, now).await?;
        }
        Ok(next_closing(&h, now.max(due_at)))
    }

    async fn tell_desk_closed(
        &self,
        site: SiteId,
        h: &Hours,
        closed_at: Millis,
        now: Millis,
    ) -> Result<(), AppError> {
        let messages = self.messages_of_site(site).await?.messages;
        if !messages.get(AutoMessageKind::DeskClosing).enabled {
            return Ok(());
        }
        let next =
            hours::instant_ms(now).and_then(|at| hours::describe_next_opening(h, at, SITE_LANG));
        let waiting = self.store.queue(site).await?;
        let told = waiting.len();
        let mut tasks = JoinSet::new();
        for entry in waiting {
            let (services, messages, next) = (self.clone(), messages.clone(), next.clone());
            tasks.spawn(async move {
                let c = services.store.consultation(entry.consultation_id).await?;
                if c.state != ConsultationState::Waiting {
                    return Ok::<(), AppError>(());
                }
                let values = MessageValues {
                    next_opening: next.as_deref(),
                    ..MessageValues::default()
                };
                let once = format!("sangdam:desk_closing:{}:{closed_at}", c.id);
                services
                    .say_once(&c, &messages, AutoMessageKind::DeskClosing, values, &once)
                    .await
            });
        }
        while let Some(done) = tasks.join_next().await {
            match done {
                Ok(Ok(())) => {}
                Ok(Err(e)) => return Err(e),
                Err(e) => return Err(AppError::Internal(e.to_string())),
            }
        }
        tracing::info!(site = %site, waiting = told, "waiting customers told the desk closed");
        Ok(())
    }
}

#[derive(Debug, serde::Deserialize)]
struct Payload {
    site_id: i64,
}

async fn desk_closing_job(services: Services, job: JobRecord) -> Result<Option<Millis>, JobError> {
    let payload: Payload = serde_json::from_str(&job.payload)
        .map_err(|e| JobError::Fail(format!("not a desk-closing payload: {e}")))?;
    services
        .desk_closing_fired(SiteId::new(payload.site_id), job.due_at)
        .await
        .map_err(|e| JobError::Retry(e.to_string()))
}

/// The scheduler with the desk-closing handler.
pub fn with_handlers(scheduler: Scheduler) -> Scheduler {
    scheduler.handle_timer(DESK_CLOSING, desk_closing_job)
}
