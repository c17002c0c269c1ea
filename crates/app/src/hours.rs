//! Business hours and automatic messages (R3.4) as the application uses them: the admin reads
//! and saves the site's hours (also from an iCalendar file of holidays) and its automatic
//! messages; a consultation that opens meets the desk as core's [`hours::on_arrival`] decides
//! at the clock's instant; an agent given a consultation is announced with the greeting.
//!
//! What the customer hears, and when (each only while its kind is enabled):
//! - the desk is closed: `off_hours`, naming the next opening in the site's language. A site
//!   that queues off-hours inflows keeps the consultation waiting (distribution gives nothing
//!   until the desk opens, see `store::distribution`); one that does not closes it at once
//!   ([`EndType::OffHours`]), so nothing waits for an agent;
//! - the desk is open and the consultation waits on a site that distributes by itself:
//!   `unavailable` when no agent takes consultations at all, `busy` when those who do are all
//!   at their limit (when someone has room, a pass is about to give it: nothing is said);
//! - an agent is given it (a pass, a take, an assignment, an accepted transfer, or at once at
//!   its inflow): `greeting` with the agent's display name.
//!
//! The messages are Sangdam's own (`system`) messages of the consultation: they travel like
//! the title message, and a failure to send one is logged, never the customer's or the
//! agent's, whose action has happened either way.

use std::collections::BTreeMap;

use jiff::civil::Date;
use sangdam_core::auto_message::{AutoMessageKind, AutoMessageSpec, AutoMessages, MessageValues};
use sangdam_core::hours::{self, Arrival, Holiday, Hours, HoursSpec, Skipped};
use sangdam_core::{
    AgentLoad, AuditAction, ConsultationState, EndType, Presence, SiteId, Transition,
};
use store::{AgentRecord, ConsultationRecord, Role, Sender};
use tokio::task::JoinSet;

use crate::Services;
use crate::access::admin_only;
use crate::error::AppError;
use crate::events::Event;

/// The language Sangdam writes to a site's customers in: sites have no language of their own
/// yet, and Korean is the default of every page.
pub const SITE_LANG: i18n::Lang = i18n::Lang::DEFAULT;

/// A site's hours, and whether it ever saved them (if not, they are the default: open
/// around the clock).
#[derive(Debug, Clone)]
pub struct SiteHours {
    pub hours: Hours,
    pub saved: bool,
}

/// A site's automatic messages, and whether it ever saved them (if not, every kind's default).
#[derive(Debug, Clone)]
pub struct SiteMessages {
    pub messages: AutoMessages,
    pub saved: bool,
}

/// What importing an iCalendar file did.
#[derive(Debug, Clone)]
pub struct HolidayImportReport {
    /// The holidays added: dates of the file the site had not registered.
    pub added: Vec<Holiday>,
    /// The events left out, with why.
    pub skipped: Vec<Skipped>,
    /// Dates of the file the site had registered already: its own entries are kept.
    pub kept: Vec<Date>,
    /// The hours as saved.
    pub hours: Hours,
}

impl Services {
    /// The site's hours as they rule (the default when never saved).
    pub async fn hours_of_site(&self, site: SiteId) -> Result<SiteHours, AppError> {
        Ok(match self.store.site_hours(site).await? {
            Some(hours) => SiteHours { hours, saved: true },
            None => SiteHours {
                hours: Hours::default(),
                saved: false,
            },
        })
    }

    /// The admin reads the site's hours.
    pub async fn site_hours(&self, admin: &AgentRecord) -> Result<SiteHours, AppError> {
        admin_only(admin, "manages business hours and automatic messages")?;
        self.hours_of_site(admin.site_id).await
    }

    /// The admin saves the site's hours, checked whole by core (the first problem refuses
    /// them, naming its field).
    pub async fn save_site_hours(
        &self,
        admin: &AgentRecord,
        spec: HoursSpec,
    ) -> Result<Hours, AppError> {
        admin_only(admin, "manages business hours and automatic messages")?;
        let hours = Hours::parse(spec)?;
        self.store.save_site_hours(admin.site_id, &hours).await?;
        tracing::info!(site = %admin.site_id, agent = %admin.id, "business hours saved");
        self.audit(
            admin,
            AuditAction::HoursSaved,
            "",
            crate::audit::detail(&hours),
        )
        .await;
        // The desk may be open now where it was not: the queue may move.
        self.wake_distribution(admin.site_id);
        self.arm_desk_closing(admin.site_id).await?;
        Ok(hours)
    }

    /// The admin imports the holidays of an iCalendar file into the site's hours: every whole
    /// day off is added unless the site registered its date already; what is not a day off is
    /// reported with its reason. A file that is no calendar changes nothing.
    pub async fn import_holidays(
        &self,
        admin: &AgentRecord,
        ics: &str,
    ) -> Result<HolidayImportReport, AppError> {
        admin_only(admin, "manages business hours and automatic messages")?;
        let found = hours::import_ics(ics)?;
        let imported = found.holidays;
        let (hours, kept) = self
            .store
            .change_site_hours(admin.site_id, |current| {
                current.unwrap_or_default().with_holidays(&imported)
            })
            .await?;
        let added = imported
            .into_iter()
            .filter(|h| !kept.contains(&h.date))
            .collect::<Vec<_>>();
        tracing::info!(site = %admin.site_id, agent = %admin.id, added = added.len(),
            kept = kept.len(), skipped = found.skipped.len(), "holidays imported");
        self.audit(
            admin,
            AuditAction::HolidaysImported,
            "",
            serde_json::json!({
                "added": crate::audit::detail(&added),
                "kept": crate::audit::detail(&kept),
                "skipped": found.skipped.len(),
            }),
        )
        .await;
        self.wake_distribution(admin.site_id);
        self.arm_desk_closing(admin.site_id).await?;
        Ok(HolidayImportReport {
            added,
            skipped: found.skipped,
            kept,
            hours,
        })
    }

    /// The site's automatic messages as they are sent (the defaults where never saved).
    pub async fn messages_of_site(&self, site: SiteId) -> Result<SiteMessages, AppError> {
        let defaults = AutoMessages::defaults(SITE_LANG);
        match self.store.site_auto_messages(site).await? {
            None => Ok(SiteMessages {
                messages: defaults,
                saved: false,
            }),
            Some(specs) => AutoMessages::parse(&defaults, &specs)
                .map(|messages| SiteMessages {
                    messages,
                    saved: true,
                })
                .map_err(|errors| {
                    AppError::Internal(format!(
                        "the stored automatic messages break their rules: {}",
                        crate::error::sentences(&errors)
                    ))
                }),
        }
    }

    /// The admin reads the site's automatic messages.
    pub async fn site_auto_messages(&self, admin: &AgentRecord) -> Result<SiteMessages, AppError> {
        admin_only(admin, "manages business hours and automatic messages")?;
        self.messages_of_site(admin.site_id).await
    }

    /// The admin saves automatic messages: every kind given is checked and every bad one
    /// refused at once, each naming its field; kinds not given keep theirs.
    pub async fn save_auto_messages(
        &self,
        admin: &AgentRecord,
        given: &BTreeMap<AutoMessageKind, AutoMessageSpec>,
    ) -> Result<AutoMessages, AppError> {
        admin_only(admin, "manages business hours and automatic messages")?;
        let current = self.messages_of_site(admin.site_id).await?.messages;
        let messages = AutoMessages::parse(&current, given).map_err(AppError::Rules)?;
        self.store
            .save_site_auto_messages(admin.site_id, &messages.to_specs())
            .await?;
        tracing::info!(site = %admin.site_id, agent = %admin.id, "automatic messages saved");
        self.audit(
            admin,
            AuditAction::AutoMessagesSaved,
            "",
            crate::audit::detail(given),
        )
        .await;
        Ok(messages)
    }

    /// A consultation `c` has just opened (its title message sent; at web chat, the
    /// customer's first message stored): the desk meets it, and the agents an inflow's pass
    /// gave consultations to (`c` among them or not) are announced. Answers `c` as it now is
    /// (closed, on a site that does not queue off-hours inflows).
    pub(crate) async fn after_opening(
        &self,
        c: ConsultationRecord,
        also_given: &[ConsultationRecord],
    ) -> ConsultationRecord {
        // The bot answers first; the desk meets the consultation when it hands it to agents.
        if c.state.with_bot() {
            self.greet_all(also_given).await;
            self.bot_opened(&c).await;
            return c;
        }
        self.desk_meets(c, also_given).await
    }

    /// What a consultation that starts waiting hears from the desk (and those a pass gave to
    /// agents meanwhile): [`Services::after_opening`] without the bot, also for one the bot
    /// hands to agents.
    pub(crate) async fn desk_meets(
        &self,
        c: ConsultationRecord,
        also_given: &[ConsultationRecord],
    ) -> ConsultationRecord {
        self.greet_all(also_given).await;
        match self.meet_desk(&c).await {
            Ok(Some(now)) => now,
            Ok(None) => c,
            Err(e) => {
                tracing::warn!(consultation = %c.id, error = %e,
                    "the desk's automatic message was not sent");
                c
            }
        }
    }

    /// What the desk says to a consultation that opened, and `Some` of it when it closed it.
    async fn meet_desk(
        &self,
        c: &ConsultationRecord,
    ) -> Result<Option<ConsultationRecord>, AppError> {
        // A blocked customer's consultation closed as it opened: it hears the polite refusal,
        // whatever the hour.
        if c.end_type == Some(EndType::Blocked) {
            let messages = self.messages_of_site(c.site_id).await?.messages;
            self.say(
                c,
                &messages,
                AutoMessageKind::Blocked,
                MessageValues::default(),
            )
            .await?;
            return Ok(None);
        }
        // The chatbot answers whatever the hour; the desk meets the customer at the handoff.
        if !matches!(
            c.state,
            ConsultationState::Waiting | ConsultationState::InProgress
        ) {
            return Ok(None);
        }
        let now = self.now();
        let site_hours = self.store.site_hours(c.site_id).await?;
        let at = hours::instant_ms(now);
        let arrival = match (&site_hours, at) {
            (Some(h), Some(at)) => hours::on_arrival(h, at),
            _ => Arrival::Open,
        };
        // A consultation that would wait behind a full queue is not taken: the customer is
        // told so, and nothing waits.
        if c.state == ConsultationState::Waiting
            && c.agent_id.is_none()
            && !matches!(arrival, Arrival::Refused { .. })
            && let Some(closed) = self.refuse_over_capacity(c).await?
        {
            return Ok(Some(closed));
        }
        match arrival {
            Arrival::Open => {
                if c.state == ConsultationState::InProgress {
                    let messages = self.messages_of_site(c.site_id).await?.messages;
                    self.greet_with(c, &messages).await?;
                } else if let Some(kind) = self.waiting_kind(c).await? {
                    let messages = self.messages_of_site(c.site_id).await?.messages;
                    self.say(c, &messages, kind, MessageValues::default())
                        .await?;
                }
                Ok(None)
            }
            Arrival::Queued { .. } | Arrival::Refused { .. } => {
                let next = match (&site_hours, at) {
                    (Some(h), Some(at)) => hours::describe_next_opening(h, at, SITE_LANG),
                    _ => None,
                };
                let values = MessageValues {
                    next_opening: next.as_deref(),
                    ..MessageValues::default()
                };
                let messages = self.messages_of_site(c.site_id).await?.messages;
                self.say(c, &messages, AutoMessageKind::OffHours, values)
                    .await?;
                if !matches!(arrival, Arrival::Refused { .. }) {
                    return Ok(None);
                }
                let closed = self
                    .store
                    .transition(c.id, Transition::Close(EndType::OffHours), None, now)
                    .await?;
                self.publish([Event::consultation(&closed)]);
                Ok(Some(closed))
            }
        }
    }

    /// Closes `c`, just queued, with the over-capacity message when the site's queue limit is
    /// reached by those waiting before it (core's [`sangdam_core::queue_full`]); `None` when it
    /// may wait (or the site has no limit).
    async fn refuse_over_capacity(
        &self,
        c: &ConsultationRecord,
    ) -> Result<Option<ConsultationRecord>, AppError> {
        let settings = self.store.distribution_settings(c.site_id).await?;
        if settings.max_waiting.is_none() {
            return Ok(None);
        }
        let queue = self.store.queue(c.site_id).await?;
        // Not in the queue any more: a pass has given it to someone meanwhile.
        let Some(ahead) = queue.iter().position(|q| q.consultation_id == c.id) else {
            return Ok(None);
        };
        if !sangdam_core::queue_full(ahead, settings.max_waiting) {
            return Ok(None);
        }
        // Closed first, only while still queued (a pass may have given it to someone who
        // just freed up); then told.
        let Some(closed) = self
            .store
            .close_queued(c.id, EndType::OverCapacity, self.now())
            .await?
        else {
            return Ok(None);
        };
        tracing::info!(site = %c.site_id, consultation = %c.id, waiting = ahead,
            "queue full: consultation refused");
        self.publish([Event::consultation(&closed)]);
        let messages = self.messages_of_site(c.site_id).await?.messages;
        self.say(
            &closed,
            &messages,
            AutoMessageKind::OverCapacity,
            MessageValues::default(),
        )
        .await?;
        Ok(Some(closed))
    }

    /// Which message a consultation left waiting while the desk is open hears: none where
    /// agents pick from the queue by hand or someone has room (a pass is about to give it);
    /// `unavailable` when no agent takes consultations; `busy` when all who do are full.
    async fn waiting_kind(
        &self,
        c: &ConsultationRecord,
    ) -> Result<Option<AutoMessageKind>, AppError> {
        let settings = self.store.distribution_settings(c.site_id).await?;
        if !settings.mode.is_automatic() {
            return Ok(None);
        }
        let board = self.store.agent_board(c.site_id, self.now()).await?;
        let loads: Vec<AgentLoad> = board
            .iter()
            .filter(|l| l.agent.role == Role::Agent)
            .map(|l| AgentLoad {
                id: l.agent.id,
                presence: l.presence,
                takes_consultations: l.agent.takes_consultations,
                max_open: u32::try_from(l.agent.max_concurrent).unwrap_or(0),
                open: l.open,
                last_assigned_at: l.agent.last_assigned_at,
                categories: l.agent.serves_categories.clone(),
                channels: l.agent.serves_channels.clone(),
            })
            .collect();
        if loads.iter().any(AgentLoad::available) {
            return Ok(None);
        }
        let anyone_on = loads
            .iter()
            .any(|l| l.presence == Presence::Online && l.takes_consultations);
        Ok(Some(if anyone_on {
            AutoMessageKind::Busy
        } else {
            AutoMessageKind::Unavailable
        }))
    }

    /// Announces the agent each of `given` went to (a distribution pass's, an inflow's):
    /// concurrently, so the message writer commits them together.
    pub(crate) async fn greet_all(&self, given: &[ConsultationRecord]) {
        if given.is_empty() {
            return;
        }
        // The agent-idle rule counts from the assignment; a timer set before it (a transfer)
        // follows the new state.
        let ids: Vec<_> = given.iter().map(|c| c.id).collect();
        self.rearm(&ids).await;
        let messages = match self.greeting_messages(given[0].site_id).await {
            Ok(Some(m)) => m,
            Ok(None) => return,
            Err(e) => {
                tracing::warn!(error = %e, "the greetings were not sent");
                return;
            }
        };
        let mut tasks = JoinSet::new();
        for c in given {
            let (services, c, messages) = (self.clone(), c.clone(), messages.clone());
            tasks.spawn(async move {
                if let Err(e) = services.greet_with(&c, &messages).await {
                    tracing::warn!(consultation = %c.id, error = %e,
                        "the greeting was not sent");
                }
            });
        }
        while tasks.join_next().await.is_some() {}
    }

    /// Tells the customer their consultation has ended (the `closed` message, with the name of
    /// the agent who had it), unless the close said so already: auto-close and off-hours send
    /// their own. A failure is logged: the close stands.
    pub(crate) async fn say_closed(&self, c: &ConsultationRecord, end: EndType) {
        if matches!(
            end,
            EndType::AutoClose | EndType::OffHours | EndType::OverCapacity | EndType::Blocked
        ) {
            return;
        }
        let said = async {
            let messages = self.messages_of_site(c.site_id).await?.messages;
            let agent = match c.agent_id {
                Some(a) => Some(self.store.agent(a).await?.display_name),
                None => None,
            };
            let values = MessageValues {
                counselor_name: agent.as_deref(),
                ..MessageValues::default()
            };
            self.say(c, &messages, AutoMessageKind::Closed, values)
                .await
        };
        if let Err(e) = said.await {
            tracing::warn!(consultation = %c.id, error = %e, "the closing message was not sent");
        }
    }

    /// Announces the agent `c` was just given to, with the greeting.
    pub(crate) async fn greet(&self, c: &ConsultationRecord) {
        self.greet_all(std::slice::from_ref(c)).await;
    }

    /// The site's messages when its greeting is on (one read per pass, whatever it gave).
    async fn greeting_messages(&self, site: SiteId) -> Result<Option<AutoMessages>, AppError> {
        let messages = self.messages_of_site(site).await?.messages;
        Ok(messages
            .get(AutoMessageKind::Greeting)
            .enabled
            .then_some(messages))
    }

    async fn greet_with(
        &self,
        c: &ConsultationRecord,
        messages: &AutoMessages,
    ) -> Result<(), AppError> {
        let Some(agent) = c.agent_id else {
            return Ok(());
        };
        if c.state != ConsultationState::InProgress
            || !messages.get(AutoMessageKind::Greeting).enabled
        {
            return Ok(());
        }
        let agent = self.store.agent(agent).await?;
        let values = MessageValues {
            counselor_name: Some(&agent.display_name),
            ..MessageValues::default()
        };
        self.say(c, messages, AutoMessageKind::Greeting, values)
            .await
    }

    /// Sends `kind` into `c` with `values` (and the customer's own name when the text uses
    /// it), when it is on and says something with them.
    async fn say(
        &self,
        c: &ConsultationRecord,
        messages: &AutoMessages,
        kind: AutoMessageKind,
        values: MessageValues<'_>,
    ) -> Result<(), AppError> {
        self.say_as(c, messages, kind, values, None).await
    }

    /// [`Services::say`], stored once under the id `once` however often it is said.
    pub(crate) async fn say_once(
        &self,
        c: &ConsultationRecord,
        messages: &AutoMessages,
        kind: AutoMessageKind,
        values: MessageValues<'_>,
        once: &str,
    ) -> Result<(), AppError> {
        self.say_as(c, messages, kind, values, Some(once)).await
    }

    async fn say_as(
        &self,
        c: &ConsultationRecord,
        messages: &AutoMessages,
        kind: AutoMessageKind,
        values: MessageValues<'_>,
        once: Option<&str>,
    ) -> Result<(), AppError> {
        let message = messages.get(kind);
        if !message.enabled {
            return Ok(());
        }
        let name = if message.text().contains("[customer_name]") {
            self.customer_own_name(c).await?
        } else {
            None
        };
        let values = MessageValues {
            customer_name: name.as_deref(),
            ..values
        };
        if let Some(text) = message.render(&values) {
            match once {
                Some(once) => self.write_once(c, &text, once).await?,
                None => {
                    self.write_to_customer(c, Sender::System, None, &text)
                        .await?
                }
            };
        }
        Ok(())
    }
}
