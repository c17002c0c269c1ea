//! What KakaoTalk users are answered (PROTOCOLS §1): the skill response of their request, and
//! replies that do not wait for their next message.
//!
//! Open Builder only answers requests, so an agent's reply used to reach a Kakao user with the
//! answer to their next message. A request carries a callback URL, good for one answer within a
//! minute: when the consultation is in agents' hands and nothing waits for the user, Sangdam
//! answers `useCallback` and keeps the URL. An agent's reply written within that minute goes
//! out through it at once (`callback`). One written later goes out through the Event API when
//! the site names an event for it and may be billed (`event_api`); otherwise it waits for the
//! user's next message as before (`next_message`). Each message records which, and the agent's
//! console shows it. A callback nobody used is answered before it expires with what the user
//! would otherwise have been told (the receipt, or their place in the queue).

use protocol::kakao::event::EventApiError;
use protocol::kakao::{Output, QuickReply, SimpleImage, SkillResponse, SkillTemplate, limits};
use sangdam_core::RoomId;
use sangdam_core::business::Requirement;
use sangdam_core::event_api::RecipientKind;
use serde::Deserialize;
use store::{JobRecord, MessageRecord, NewEventTask, NewJob, RoomRecord};

use crate::Services;
use crate::clock::Millis;
use crate::error::AppError;
use crate::events::Event;
use crate::scheduler::{JobError, Scheduler};

/// The job that sends an agent's reply to a Kakao user without waiting.
pub const KAKAO_PUSH: &str = "kakao_push";
/// The job that answers a callback nobody used before it expires.
pub const KAKAO_CALLBACK_DUE: &str = "kakao_callback_due";
/// How long a callback URL is used: Kakao's minute, less a margin for the network.
pub const CALLBACK_MS: Millis = 55_000;
/// How long before its end an unused callback is answered.
const CALLBACK_MARGIN_MS: Millis = 5_000;
const PUSH_MAX_ATTEMPTS: u32 = 3;

/// The language KakaoTalk users are written to.
const LANG: i18n::Lang = i18n::Lang::DEFAULT;

/// The simpleText outputs one message needs (up to three; see `SkillResponse::text`).
pub fn text_outputs(body: &str) -> Vec<Output> {
    SkillResponse::text(body)
        .template
        .map(|t| t.outputs)
        .unwrap_or_default()
}

/// A bot message's template, when it carries one.
pub fn rich_template(m: &MessageRecord) -> Option<SkillTemplate> {
    m.rich
        .as_ref()
        .and_then(|v| serde_json::from_value(v.clone()).ok())
}

/// How many outputs a message takes in a response.
fn cost(m: &MessageRecord) -> usize {
    match (&m.file, rich_template(m)) {
        // An image, or a file's name and link: one output.
        (Some(_), _) => 1,
        // A bot's answer: its own outputs.
        (None, Some(t)) => t.outputs.len().max(1),
        (None, None) => text_outputs(&m.body).len(),
    }
}

#[derive(Debug, Deserialize)]
struct PushPayload {
    message_id: i64,
}

#[derive(Debug, Deserialize)]
struct DuePayload {
    room_id: i64,
}

impl Services {
    /// The skill response of a Kakao user's request: the replies waiting for them (which count
    /// as delivered with it), then `place` (the waiting line) when it fits, or a receipt when
    /// there is nothing to say.
    pub async fn kakao_answer(
        &self,
        room: &RoomRecord,
        place: Option<String>,
    ) -> Result<SkillResponse, AppError> {
        // A response holds at most three outputs: replies that do not fit stay queued for the
        // next request instead of being cut (see `take_undelivered_replies`).
        let budget = limits::OUTPUTS_MAX - usize::from(place.is_some());
        let replies = self.kakao_replies(room, budget, cost).await?;
        self.kakao_response(&replies, place).await
    }

    /// Whether replies wait for the Kakao user of `room`.
    pub async fn kakao_replies_waiting(&self, room: &RoomRecord) -> Result<bool, AppError> {
        Ok(!self
            .store
            .peek_undelivered_replies(room.id, 1, |_| 1)
            .await?
            .is_empty())
    }

    /// The response carrying `replies`, then `place` when it fits (the receipt when there is
    /// nothing else). A rating request among them comes with the scores as quick replies.
    pub async fn kakao_response(
        &self,
        replies: &[MessageRecord],
        place: Option<String>,
    ) -> Result<SkillResponse, AppError> {
        let asks_rating = replies.iter().any(|m| {
            m.client_msg_id
                .as_deref()
                .is_some_and(|id| id.starts_with(crate::consultations::RATING_REQUEST_PREFIX))
        });
        let mut outputs = Vec::new();
        // The quick replies of the last bot answer among them (those of earlier ones are moot).
        let mut bot_quick_replies: Vec<QuickReply> = Vec::new();
        for m in replies {
            if let Some(t) = rich_template(m) {
                let t = bot::for_kakao(t);
                outputs.extend(t.outputs);
                bot_quick_replies = t.quick_replies;
                continue;
            }
            match &m.file {
                Some(f) => match self.messenger_file(f).await? {
                    crate::files::MessengerFile::Image { url, alt } => {
                        outputs.push(Output::SimpleImage(SimpleImage {
                            image_url: url,
                            alt_text: alt,
                        }));
                    }
                    crate::files::MessengerFile::Text(text) => outputs.extend(text_outputs(&text)),
                },
                None => outputs.extend(text_outputs(&m.body)),
            }
        }
        match place {
            // One reply may take every output (a long one is taken whole even past the
            // budget): it goes out, and the place with the next answer.
            Some(line) if outputs.len() < limits::OUTPUTS_MAX => {
                outputs.extend(text_outputs(&line));
            }
            None if outputs.is_empty() => {
                outputs = text_outputs(&i18n::t(LANG, "channel-received"));
            }
            _ => {}
        }
        outputs.truncate(limits::OUTPUTS_MAX);
        let mut response = SkillResponse::new(outputs);
        if !bot_quick_replies.is_empty() {
            response = response.with_quick_replies(bot_quick_replies);
        }
        if asks_rating {
            response = response.with_quick_replies(
                sangdam_core::rating::quick_replies(LANG)
                    .into_iter()
                    .map(|q| QuickReply::message(q.label.clone(), q.label)),
            );
        }
        if let Err(problems) = response.validate() {
            return Err(AppError::Internal(format!(
                "built an invalid skill response: {problems:?}"
            )));
        }
        Ok(response)
    }

    /// Keeps the callback URL of a Kakao user's request while nothing waits for them: the
    /// response that says the answer comes later (`waiting` shown meanwhile), and a job that
    /// answers the callback before it expires if no agent has.
    pub async fn kakao_offer_callback(
        &self,
        room: &RoomRecord,
        url: &str,
        waiting: &str,
    ) -> Result<SkillResponse, AppError> {
        let now = self.now();
        let expires_at = now + self.kakao_callback_ms();
        self.store
            .offer_kakao_callback(room.id, url, expires_at, now)
            .await?;
        let payload = serde_json::json!({ "room_id": room.id.get() }).to_string();
        let key = format!("{KAKAO_CALLBACK_DUE}:{}:{now}", room.id);
        self.store
            .enqueue(
                &NewJob {
                    kind: KAKAO_CALLBACK_DUE,
                    payload: &payload,
                    // Not in the room's queue: a job due later would hold back the room's
                    // replies behind it.
                    queue: None,
                    idempotency_key: Some(&key),
                    due_at: expires_at - CALLBACK_MARGIN_MS.min(self.kakao_callback_ms() / 3),
                    max_attempts: 1,
                },
                now,
            )
            .await?;
        let mut data = serde_json::Map::new();
        data.insert("text".into(), serde_json::Value::String(waiting.to_owned()));
        Ok(SkillResponse {
            version: protocol::kakao::VERSION.to_owned(),
            template: None,
            context: None,
            data: Some(data),
            use_callback: true,
        })
    }

    /// Sends what waits for the Kakao user of `room` through the callback URL `url` (taken
    /// already): the replies, else `fallback`. Whether it went out; the replies are marked
    /// delivered by `callback` only once Kakao took them.
    async fn answer_callback(
        &self,
        room: &RoomRecord,
        url: &str,
        fallback: Option<String>,
    ) -> Result<bool, JobError> {
        let retry = |e: AppError| JobError::Retry(e.to_string());
        let replies = self
            .store
            .peek_undelivered_replies(room.id, limits::OUTPUTS_MAX, cost)
            .await
            .map_err(|e| retry(e.into()))?;
        if replies.is_empty() && fallback.is_none() {
            return Ok(false);
        }
        let response = self
            .kakao_response(&replies, if replies.is_empty() { fallback } else { None })
            .await
            .map_err(retry)?;
        match self.kakao_callbacks.send(url, &response).await {
            Ok(()) => {}
            Err(EventApiError::Refused { status, message }) => {
                tracing::warn!(room = %room.id, status, %message, "Kakao refused a callback answer");
                return Ok(false);
            }
            Err(EventApiError::Unreachable(e)) => return Err(JobError::Retry(e)),
        }
        let ids: Vec<_> = replies.iter().map(|m| m.id).collect();
        let marked = self
            .store
            .mark_delivered_via(&ids, "callback", self.now())
            .await
            .map_err(|e| retry(e.into()))?;
        self.publish(Event::delivered(room.site_id, &marked, self.now()));
        Ok(true)
    }

    /// An agent's reply to a Kakao user: through the open callback at once; else through the
    /// Event API when the site names an event for late replies and may be billed; else it
    /// waits for the user's next message.
    async fn kakao_push(&self, message_id: i64) -> Result<(), JobError> {
        let retry = |e: AppError| JobError::Retry(e.to_string());
        let message = self
            .store
            .message(sangdam_core::MessageId::new(message_id))
            .await
            .map_err(|e| retry(e.into()))?;
        if message.delivered_at.is_some() {
            return Ok(());
        }
        let room = self
            .store
            .room(message.room_id)
            .await
            .map_err(|e| retry(e.into()))?;
        if let Some(url) = self
            .store
            .take_kakao_callback(room.id, self.now())
            .await
            .map_err(|e| retry(e.into()))?
            && self.answer_callback(&room, &url, None).await?
        {
            return Ok(());
        }
        self.reply_by_event(&room, &message).await.map_err(retry)
    }

    /// A late agent reply through the Event API, when the site allows it: a task of one
    /// recipient carrying the reply (not recorded again in the room), billed like any event
    /// message once Kakao delivers it.
    async fn reply_by_event(
        &self,
        room: &RoomRecord,
        message: &MessageRecord,
    ) -> Result<(), AppError> {
        let settings = self.store.event_api_settings(room.site_id).await?;
        let Some(event) = settings.kakao_reply_event else {
            return Ok(());
        };
        let needed = [
            Requirement::BusinessVerified,
            Requirement::Wallet,
            Requirement::NoReceivable,
        ];
        if let Err(e) = self.require(room.site_id, &needed).await {
            tracing::info!(room = %room.id, reason = %e, "a late Kakao reply waits: the Event API is refused");
            return Ok(());
        }
        let template = SkillResponse::text(&message.body)
            .template
            .unwrap_or_default();
        let rendered =
            serde_json::to_string(&template).map_err(|e| AppError::Internal(e.to_string()))?;
        let request = serde_json::json!({
            "event": {"name": event, "data": {"text": message.body}},
            "user": [{"type": RecipientKind::BotUserKey.as_str(), "id": room.customer_key}],
        })
        .to_string();
        let public_id = crate::secrets::random_token();
        let key = format!("reply:{}", message.id);
        let (_, created) = self
            .store
            .create_event_task(NewEventTask {
                site: room.site_id,
                public_id: &public_id,
                idempotency_key: Some(&key),
                event_name: &event,
                request: &request,
                message: &rendered,
                body: &message.body,
                recipients: vec![(
                    RecipientKind::BotUserKey,
                    room.customer_key.clone(),
                    Some(message.id.get()),
                )],
                job_kind: crate::event_api::EVENT_TASK,
                job_max_attempts: 10,
                now: self.now(),
            })
            .await?;
        if created {
            self.wake_jobs();
        }
        Ok(())
    }

    /// A callback nobody used is answered before it expires: with the replies waiting, or with
    /// what the user would have been told (their place in the queue, or the receipt).
    async fn kakao_callback_due(&self, room_id: i64) -> Result<(), JobError> {
        let retry = |e: AppError| JobError::Retry(e.to_string());
        let room = self
            .store
            .room(RoomId::new(room_id))
            .await
            .map_err(|e| retry(e.into()))?;
        let Some(url) = self
            .store
            .take_kakao_callback(room.id, self.now())
            .await
            .map_err(|e| retry(e.into()))?
        else {
            return Ok(());
        };
        let fallback = self.waiting_line(&room).await.map_err(retry)?;
        self.answer_callback(&room, &url, Some(fallback)).await?;
        Ok(())
    }

    /// What a Kakao user is told while waiting: their place in the queue when their
    /// consultation waits, else the receipt.
    pub async fn waiting_line(&self, room: &RoomRecord) -> Result<String, AppError> {
        let received = i18n::t(LANG, "channel-received");
        let Some(open) = self.store.open_consultation(room.id).await? else {
            return Ok(received);
        };
        if open.state != sangdam_core::ConsultationState::Waiting {
            return Ok(received);
        }
        let place = self.queue_place(open.site_id, open.id).await?;
        let told = match &place {
            Some(p) => self.queue_message(open.site_id, p).await,
            None => None,
        };
        Ok(match told {
            Some(text) => format!("{} {text}", i18n::t(LANG, "channel-waiting")),
            None => i18n::t(LANG, "channel-waiting"),
        })
    }
}

async fn push_job(services: Services, job: JobRecord) -> Result<(), JobError> {
    let p: PushPayload = serde_json::from_str(&job.payload)
        .map_err(|e| JobError::Fail(format!("not a Kakao push payload: {e}")))?;
    services.kakao_push(p.message_id).await
}

async fn due_job(services: Services, job: JobRecord) -> Result<(), JobError> {
    let p: DuePayload = serde_json::from_str(&job.payload)
        .map_err(|e| JobError::Fail(format!("not a Kakao callback payload: {e}")))?;
    services.kakao_callback_due(p.room_id).await
}

/// The scheduler with the Kakao callback's jobs.
pub fn with_handlers(scheduler: Scheduler) -> Scheduler {
    scheduler
        .handle(KAKAO_PUSH, push_job)
        .handle(KAKAO_CALLBACK_DUE, due_job)
}

/// The outbound job an agent's reply to a Kakao user gets.
pub(crate) fn push_outbound() -> store::Outbound {
    store::Outbound {
        kind: KAKAO_PUSH,
        max_attempts: PUSH_MAX_ATTEMPTS,
        buttons: None,
    }
}
