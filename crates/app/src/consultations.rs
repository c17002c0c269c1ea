//! Consultations as agents (and timers) move them: take, close, reply, each allowed as
//! [`crate::access`] decides. A close fired by a timer comes through [`Services::transition`]
//! exactly like one an agent clicks, and is published the same way.

use inflow::Channel;
use protocol::kakao::limits as kakao_limits;
use sangdam_core::{Action, ConsultationId, EndType, Transition};
use serde::Serialize;
use store::{
    AgentRecord, ConsultationRecord, MessageRecord, NewMessage, Outbound, Role, Sender, Target,
};

use crate::Services;
use crate::error::{AppError, Refusal};
use crate::events::Event;
use crate::outbox::NAVER_SEND;
use crate::webchat::check_body;

/// The longest agent reply a Kakao user can be sent uncut: three texts of 1000 characters.
pub const KAKAO_REPLY_MAX_CHARS: usize = kakao_limits::OUTPUTS_MAX * kakao_limits::SIMPLE_TEXT_MAX;

/// Who changes a consultation.
#[derive(Debug, Clone, Copy)]
pub enum Actor<'a> {
    Agent(&'a AgentRecord),
    /// The application itself (a timer, a rule).
    System,
}

/// How an agent's reply reaches the customer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Delivery {
    /// The chat window receives it over its WebSocket (or its next poll).
    Realtime,
    /// Open Builder only answers requests: it goes out with the user's next skill request.
    Queued,
    /// The outbox sends it to the messenger's API (retrying through an outage).
    Sending,
    /// The messenger's send API is not configured: stored, not sent.
    NotConfigured,
}

/// A reply as stored, and how it travels.
#[derive(Debug, Clone, Serialize)]
pub struct Reply {
    pub message: MessageRecord,
    pub delivery: Delivery,
}

impl Services {
    /// Moves a consultation on (take, close, …) as the core's transition table allows.
    pub async fn transition(
        &self,
        actor: Actor<'_>,
        id: ConsultationId,
        t: Transition,
    ) -> Result<ConsultationRecord, AppError> {
        if let (Actor::Agent(agent), Transition::Take) = (actor, t) {
            // Within the agent's limit and the site's distribution rules.
            return self.take(agent, id).await;
        }
        let agent = match actor {
            Actor::Agent(agent) => {
                self.consultation_for(agent, id, Action::of_transition(t))
                    .await?;
                Some(agent.id)
            }
            Actor::System => None,
        };
        let c = self.store.transition(id, t, agent, self.now()).await?;
        self.publish([Event::consultation(&c)]);
        if let Transition::Close(end) = t {
            self.say_closed(&c, end).await;
            self.ask_rating(&c).await;
        }
        Ok(c)
    }

    /// A messenger customer whose consultation an agent had is asked for their rating as it
    /// ends, with the scores as quick replies (R3.8); their answer comes back as a message
    /// ([`Services::messenger_rating`]). A Naver user gets the request at once; a Kakao user,
    /// who cannot be written to first, with the answer to their next message (the request is
    /// stored under its own id, [`rating_request_id`], which the skill response recognises to
    /// add the scores as quick replies). Web chat windows show their own form. A failure is
    /// logged: the close stands.
    async fn ask_rating(&self, c: &ConsultationRecord) {
        let naver = c.channel == Channel::Naver && self.naver().is_some();
        if c.agent_id.is_none() || !(naver || c.channel == Channel::Kakao) {
            return;
        }
        let text = sangdam_core::auto_message::AutoMessage::default_for(
            sangdam_core::auto_message::AutoMessageKind::RatingRequest,
            crate::CUSTOMER_LANG,
        );
        let asked = async {
            if naver {
                self.write_with_buttons(c, Sender::System, text.text(), Some("rating"))
                    .await?;
            } else {
                self.write_once(c, text.text(), &rating_request_id(c.id))
                    .await?;
            }
            self.store.rating_requested(c.id, self.now()).await?;
            Ok::<(), AppError>(())
        };
        if let Err(e) = asked.await {
            tracing::warn!(consultation = %c.id, error = %e, "the rating request was not sent");
        }
    }

    /// The end type of a close an agent asks for without saying: by their role.
    pub fn default_end_type(agent: &AgentRecord) -> EndType {
        if agent.role == Role::Agent {
            EndType::Agent
        } else {
            EndType::Manager
        }
    }

    /// An agent replies in a consultation. Stored first; then it travels by the room's channel
    /// (for Naver, through the outbox: an outage delays it, never loses it).
    pub async fn reply(
        &self,
        agent: &AgentRecord,
        id: ConsultationId,
        body: &str,
    ) -> Result<Reply, AppError> {
        let text = check_body(body)?;
        let c = self.reply_target(agent, id).await?;
        // A skill response carries at most three 1000-character texts: a longer reply could
        // only reach a Kakao user cut, so it is refused here, where the agent can still split
        // it.
        if c.channel == Channel::Kakao && text.chars().count() > KAKAO_REPLY_MAX_CHARS {
            return Err(AppError::invalid(
                Refusal::TooLong,
                format!(
                    "a reply to a KakaoTalk user has at most {KAKAO_REPLY_MAX_CHARS} characters; \
                     split it into several"
                ),
            ));
        }
        let message = self
            .write_to_customer(&c, Sender::Agent, Some(agent.id), text)
            .await?;
        Ok(Reply {
            message,
            delivery: self.delivery_of(c.channel),
        })
    }

    /// The consultation `agent` replies in: who may reply (the consultation's holder,
    /// managers, the admin) before whether it can be replied in (open).
    pub(crate) async fn reply_target(
        &self,
        agent: &AgentRecord,
        id: ConsultationId,
    ) -> Result<ConsultationRecord, AppError> {
        let c = self.consultation_for(agent, id, Action::Handle).await?;
        if !c.state.is_open() {
            return Err(AppError::Conflict("this consultation is closed".into()));
        }
        Ok(c)
    }
}

/// A message to a customer, as [`Services::write_message`] stores it.
#[derive(Debug, Clone, Copy)]
struct ToCustomer<'a> {
    sender: Sender,
    agent: Option<sangdam_core::AgentId>,
    body: &'a str,
    /// Buttons under it where the channel shows them.
    buttons: Option<&'static str>,
    /// The id it is stored once under.
    once: Option<&'a str>,
    file: Option<&'a store::FileRef>,
    /// A bot's answer as Open Builder's template (JSON).
    rich: Option<&'a str>,
    /// What the bot remembers after it (JSON), stored with it.
    bot_memory: Option<&'a str>,
}

impl<'a> ToCustomer<'a> {
    fn text(sender: Sender, body: &'a str) -> Self {
        ToCustomer {
            sender,
            agent: None,
            body,
            buttons: None,
            once: None,
            file: None,
            rich: None,
            bot_memory: None,
        }
    }
}

impl Services {
    /// Stores a message to the customer of consultation `c` (from an agent, or from Sangdam
    /// itself) and sends it on where it must be: through the outbox to a Naver customer when
    /// the send API is configured (an outage delays it, never loses it); web chat windows and
    /// Kakao users read it as stored.
    pub(crate) async fn write_to_customer(
        &self,
        c: &ConsultationRecord,
        sender: Sender,
        agent: Option<sangdam_core::AgentId>,
        body: &str,
    ) -> Result<MessageRecord, AppError> {
        let m = ToCustomer {
            agent,
            ..ToCustomer::text(sender, body)
        };
        self.write_message(c, m).await
    }

    /// [`Services::write_to_customer`] of an agent's file (its name as the body).
    pub(crate) async fn write_file_to_customer(
        &self,
        c: &ConsultationRecord,
        agent: sangdam_core::AgentId,
        name: &str,
        file: &store::FileRef,
    ) -> Result<MessageRecord, AppError> {
        let m = ToCustomer {
            agent: Some(agent),
            file: Some(file),
            ..ToCustomer::text(Sender::Agent, name)
        };
        self.write_message(c, m).await
    }

    /// [`Services::write_to_customer`] from Sangdam, stored once under the id `once` however
    /// often it is written (a timer's message, when the timer runs again after a crash).
    pub(crate) async fn write_once(
        &self,
        c: &ConsultationRecord,
        body: &str,
        once: &str,
    ) -> Result<MessageRecord, AppError> {
        let m = ToCustomer {
            once: Some(once),
            ..ToCustomer::text(Sender::System, body)
        };
        self.write_message(c, m).await
    }

    /// The bot's answer: `body` its plain text, `rich` its template (JSON), sent on like any
    /// message to the customer (TalkTalk gets the template's cards and buttons).
    pub(crate) async fn write_rich(
        &self,
        c: &ConsultationRecord,
        body: &str,
        rich: &str,
        bot_memory: Option<&str>,
    ) -> Result<MessageRecord, AppError> {
        let m = ToCustomer {
            rich: Some(rich),
            bot_memory,
            ..ToCustomer::text(Sender::Bot, body)
        };
        self.write_message(c, m).await
    }

    /// [`Services::write_to_customer`] from Sangdam, with the buttons named `buttons` under
    /// it where the channel shows them.
    pub(crate) async fn write_with_buttons(
        &self,
        c: &ConsultationRecord,
        sender: Sender,
        body: &str,
        buttons: Option<&'static str>,
    ) -> Result<MessageRecord, AppError> {
        let m = ToCustomer {
            buttons,
            ..ToCustomer::text(sender, body)
        };
        self.write_message(c, m).await
    }

    async fn write_message(
        &self,
        c: &ConsultationRecord,
        m: ToCustomer<'_>,
    ) -> Result<MessageRecord, AppError> {
        let outbound = match c.channel {
            Channel::Naver if self.naver().is_some() => Some(Outbound {
                kind: NAVER_SEND,
                max_attempts: crate::outbox::MAX_ATTEMPTS,
                buttons: m.buttons,
            }),
            // An agent's reply to a Kakao user: at once through their last request's callback,
            // else by the Event API or with their next message (see `kakao`).
            Channel::Kakao if m.sender == Sender::Agent => Some(crate::kakao::push_outbound()),
            _ => None,
        };
        let now = self.now();
        let (message, _) = self
            .store
            .add_message(NewMessage {
                site: c.site_id,
                room: c.room_id,
                target: Target::Consultation(c.id),
                sender: m.sender,
                agent: m.agent,
                body: m.body,
                client_msg_id: m.once,
                original_chars: None,
                outbound,
                idle: self.idle_timer(c.site_id, m.sender, now).await,
                file: m.file.cloned(),
                rich: m.rich,
                bot_memory: m.bot_memory,
                now,
            })
            .await?;
        if outbound.is_some() {
            self.wake_jobs();
        }
        Ok(message)
    }
}

/// The id the rating request of consultation `c` is stored under (see
/// [`Services::ask_rating`]).
pub fn rating_request_id(c: sangdam_core::ConsultationId) -> String {
    format!("{RATING_REQUEST_PREFIX}{c}")
}

/// What the ids of rating requests start with.
pub const RATING_REQUEST_PREFIX: &str = "sangdam:rating_request:";
