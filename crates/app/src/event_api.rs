//! The Event API (R5.1): a business sends a message to its customers by an event name.
//!
//! A request names an event bound to one of the site's bot blocks, which renders the message
//! with the request's `data` and `params`, and up to 100 recipients. Accepting it needs a
//! verified business, a wallet and nothing unpaid; it stores a task with every recipient
//! pending and the job that delivers it, in one transaction, and answers the task's id. The job
//! then reaches each recipient on their channel — KakaoTalk through Kakao's Event API (which
//! refuses users who have not added the channel or blocked it), Naver TalkTalk through the send
//! API, web chat into the room of a verified site ID — records the message in the customer's
//! room, and bills each delivered message once, under a key of the task and the recipient, so
//! a job run again after a crash never bills twice. A repeat of a request with the same
//! `Idempotency-Key` answers the first task and sends nothing.

use std::collections::BTreeMap;

use inflow::Channel;
use protocol::kakao::SkillTemplate;
use protocol::kakao::event::{EventApiClient, EventRequest, EventSpec, EventUser};
use sangdam_core::business::Requirement;
use sangdam_core::event_api::{self, DeliveryState, EventChannel, RecipientKind};
use sangdam_core::{AuditAction, CustomerKey, SiteId};
use serde::{Deserialize, Serialize};
use store::{
    AgentRecord, DeliveryRecord, DeliveryUpdate, EventTaskRecord, JobRecord, NewEventTask,
    NewMessage, RoomRecord, Sender, Target,
};

use crate::Services;
use crate::access::admin_only;
use crate::billing_run::{UsageOutcome, UsageRequest};
use crate::clock::Millis;
use crate::error::AppError;
use crate::scheduler::{JobError, Scheduler};
use crate::secrets::{random_token, token_hash};
use crate::wallet::EVENT_MESSAGE;

/// The job that delivers a task.
pub const EVENT_TASK: &str = "event_task";
const EVENT_TASK_MAX_ATTEMPTS: u32 = 10;
/// How soon Kakao's task is read again while it is processing.
const KAKAO_POLL_MS: Millis = 2_000;
/// Kakao's Event API, where the installation does not say otherwise.
pub const KAKAO_BOT_API: &str = "https://bot-api.kakao.com";
/// Longest idempotency key.
const MAX_KEY_CHARS: usize = 200;

/// A task as the API shows it, in Kakao's shape with Sangdam's per-recipient detail.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TaskView {
    pub task_id: String,
    /// `PROCESSING`, then `SUCCESS` (`FAIL` when nobody got the message).
    pub status: String,
    pub event: String,
    pub all_request_count: usize,
    pub success_count: usize,
    pub fail: FailView,
    pub results: Vec<RecipientView>,
    pub created_at: i64,
    pub finished_at: Option<i64>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FailView {
    pub count: usize,
    pub list: Vec<FailItem>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FailItem {
    pub user_id: String,
    pub error_msg: String,
}

/// One recipient's result.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecipientView {
    #[serde(rename = "type")]
    pub kind: RecipientKind,
    pub id: String,
    pub channel: EventChannel,
    pub state: DeliveryState,
    pub error: Option<String>,
    /// Whether the delivered message is billed.
    pub billed: bool,
    /// The message in the customer's room, when Sangdam has one for them.
    pub message_id: Option<i64>,
}

/// A site's Event API settings as its admin sees them (no secret).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EventApiView {
    /// Whether a key was issued (it is shown only when issued).
    pub has_key: bool,
    pub kakao_bot_id: Option<String>,
    /// Whether the Kakao REST API key is set (it is never shown again).
    pub has_kakao_rest_key: bool,
    /// The event agents' replies to KakaoTalk users go out as once their request's callback
    /// has expired (billed like any event message); none: they wait for the user's next
    /// message.
    pub kakao_reply_event: Option<String>,
    /// What requests need and the site has not (empty: requests are accepted).
    pub missing: Vec<Requirement>,
    /// The events the site's blocks send.
    pub events: Vec<String>,
}

/// What the job's payload carries.
#[derive(Debug, Deserialize)]
struct TaskPayload {
    task_id: i64,
}

fn field(name: impl Into<String>, message: impl Into<String>) -> AppError {
    AppError::Fields(vec![(name.into(), message.into())])
}

/// The requirements of a request (R5.1).
const NEEDED: [Requirement; 3] = [
    Requirement::BusinessVerified,
    Requirement::Wallet,
    Requirement::NoReceivable,
];

impl Services {
    /// The site whose Event API key this is.
    pub async fn site_of_event_key(&self, key: &str) -> Result<SiteId, AppError> {
        self.store
            .site_of_event_key(&token_hash(key.trim()))
            .await?
            .ok_or(AppError::Unauthorized)
    }

    /// The site's Event API settings, what requests still need, and the events its blocks send.
    pub async fn event_api_view(&self, admin: &AgentRecord) -> Result<EventApiView, AppError> {
        admin_only(admin, "keeps the Event API")?;
        let s = self.store.event_api_settings(admin.site_id).await?;
        let mut missing = Vec::new();
        for r in NEEDED {
            if self.require(admin.site_id, &[r]).await.is_err() {
                missing.push(r);
            }
        }
        let events = self.bot_events(admin.site_id).await?;
        Ok(EventApiView {
            has_key: s.has_key,
            kakao_bot_id: s.kakao_bot_id,
            has_kakao_rest_key: s.kakao_rest_key.is_some(),
            kakao_reply_event: s.kakao_reply_event,
            missing,
            events,
        })
    }

    /// The admin issues the site's Event API key (the one before stops working at once);
    /// answered once, kept only as its hash.
    pub async fn issue_event_key(&self, admin: &AgentRecord) -> Result<String, AppError> {
        admin_only(admin, "issues the Event API key")?;
        let key = format!("sdev_{}", random_token());
        self.store
            .set_event_key(admin.site_id, &token_hash(&key), self.now())
            .await?;
        self.audit(
            admin,
            AuditAction::SiteSecretRotated,
            "event_api_key",
            serde_json::json!({}),
        )
        .await;
        Ok(key)
    }

    /// The admin sets the Kakao bot (its id in Kakao's admin center) and the Kakao app's REST
    /// API key its event messages go through (`rest_key` none: the stored one stays).
    pub async fn set_event_kakao(
        &self,
        admin: &AgentRecord,
        bot_id: Option<&str>,
        rest_key: Option<&str>,
        reply_event: Option<&str>,
    ) -> Result<EventApiView, AppError> {
        admin_only(admin, "keeps the Event API")?;
        let clean = |name: &str, v: Option<&str>| -> Result<Option<String>, AppError> {
            match v.map(str::trim).filter(|v| !v.is_empty()) {
                None => Ok(None),
                Some(v) if v.chars().count() > 100 || !v.chars().all(|c| c.is_ascii_graphic()) => {
                    Err(field(
                        name,
                        "has 1 to 100 letters, digits and marks, no spaces",
                    ))
                }
                Some(v) => Ok(Some(v.to_owned())),
            }
        };
        let bot_id = clean("kakao_bot_id", bot_id)?;
        let rest_key = clean("kakao_rest_key", rest_key)?;
        let reply_event = match reply_event.map(str::trim).filter(|e| !e.is_empty()) {
            None => None,
            Some(e) => {
                bot::event::check_event_name(e).map_err(|why| field("kakao_reply_event", why))?;
                Some(e.to_owned())
            }
        };
        self.store
            .set_event_kakao(
                admin.site_id,
                bot_id.as_deref(),
                rest_key.as_deref(),
                reply_event.as_deref(),
                self.now(),
            )
            .await?;
        self.audit(
            admin,
            AuditAction::SiteSettingsSaved,
            "event_api",
            serde_json::json!({
                "kakao_bot_id": bot_id,
                "kakao_rest_key_changed": rest_key.is_some(),
                "kakao_reply_event": reply_event,
            }),
        )
        .await;
        self.event_api_view(admin).await
    }

    /// Accepts a request of site `site`: the task (and whether this request made it, rather
    /// than an earlier one with the same idempotency key). Refused, with nothing sent, when
    /// the site lacks a requirement or the request is wrong.
    pub async fn accept_event(
        &self,
        site: SiteId,
        idempotency_key: Option<&str>,
        req: &EventRequest,
    ) -> Result<(EventTaskRecord, bool), AppError> {
        self.require(site, &NEEDED).await?;
        let key = match idempotency_key.map(str::trim) {
            Some(k) if k.is_empty() || k.chars().count() > MAX_KEY_CHARS => {
                return Err(field(
                    "Idempotency-Key",
                    format!("has 1 to {MAX_KEY_CHARS} characters"),
                ));
            }
            other => other,
        };
        let canonical =
            serde_json::to_string(req).map_err(|e| AppError::Internal(e.to_string()))?;
        if let Some(k) = key
            && let Some(task) = self.store.event_task_by_key(site, k).await?
        {
            return if task.request == canonical {
                Ok((task, false))
            } else {
                Err(AppError::Conflict(
                    "this Idempotency-Key was used for another request".into(),
                ))
            };
        }

        let mut problems = Vec::new();
        if let Err(why) = bot::event::check_event_name(&req.event.name) {
            problems.push(("event.name".to_owned(), why));
        }
        let users: Vec<(&str, &str)> = req
            .user
            .iter()
            .map(|u| (u.kind.as_str(), u.id.as_str()))
            .collect();
        let recipients = match event_api::check_recipients(&users) {
            Ok(r) => r,
            Err(p) => {
                problems.extend(p);
                Vec::new()
            }
        };
        if !problems.is_empty() {
            return Err(AppError::Fields(problems));
        }
        let block = self
            .event_block(site, &req.event.name)
            .await?
            .ok_or_else(|| {
                field(
                    "event.name",
                    format!(
                        "no block of the site's chatbot sends the event {:?}",
                        req.event.name
                    ),
                )
            })?;
        let message = bot::event::render_event(&block.response, &req.event.data, &req.params)
            .map_err(|missing| {
                AppError::Fields(
                    missing
                        .into_iter()
                        .map(|m| {
                            let path = if m.starts_with("params.") {
                                m.clone()
                            } else {
                                format!("event.{m}")
                            };
                            (
                                path,
                                format!(
                                    "the block uses {{{{{m}}}}}, which the request does not give"
                                ),
                            )
                        })
                        .collect(),
                )
            })?;
        let rendered =
            serde_json::to_string(&message).map_err(|e| AppError::Internal(e.to_string()))?;
        let body = bot::summary(&message);
        let public_id = random_token();
        let (task, created) = self
            .store
            .create_event_task(NewEventTask {
                site,
                public_id: &public_id,
                idempotency_key: key,
                event_name: &req.event.name,
                request: &canonical,
                message: &rendered,
                body: &body,
                recipients: recipients
                    .into_iter()
                    .map(|r| (r.kind, r.id, None))
                    .collect(),
                job_kind: EVENT_TASK,
                job_max_attempts: EVENT_TASK_MAX_ATTEMPTS,
                now: self.now(),
            })
            .await?;
        if created {
            self.wake_jobs();
        }
        Ok((task, created))
    }

    /// A task of the site, by the id its request was answered with.
    pub async fn event_task_view(
        &self,
        site: SiteId,
        public_id: &str,
    ) -> Result<TaskView, AppError> {
        let task = self
            .store
            .event_task_by_public_id(site, public_id)
            .await?
            .ok_or(AppError::NotFound("task"))?;
        let deliveries = self.store.event_deliveries(task.id).await?;
        let states: Vec<DeliveryState> = deliveries.iter().map(|d| d.state).collect();
        let fails: Vec<FailItem> = deliveries
            .iter()
            .filter(|d| d.state == DeliveryState::Failed)
            .map(|d| FailItem {
                user_id: d.recipient.clone(),
                error_msg: d.error.clone().unwrap_or_default(),
            })
            .collect();
        Ok(TaskView {
            task_id: task.public_id,
            status: event_api::task_status(&states).to_owned(),
            event: task.event_name,
            all_request_count: deliveries.len(),
            success_count: states
                .iter()
                .filter(|s| **s == DeliveryState::Delivered)
                .count(),
            fail: FailView {
                count: fails.len(),
                list: fails,
            },
            results: deliveries
                .into_iter()
                .map(|d| RecipientView {
                    kind: d.kind,
                    id: d.recipient,
                    channel: d.channel,
                    state: d.state,
                    error: d.error,
                    billed: d.billed,
                    message_id: d.message_id,
                })
                .collect(),
            created_at: task.created_at,
            finished_at: task.finished_at,
        })
    }

    /// Delivers what of a task is pending and bills what is delivered; when Kakao is still
    /// processing, answers when to look again.
    async fn run_event_task(&self, task_id: i64) -> Result<Option<Millis>, JobError> {
        let retry = |e: AppError| JobError::Retry(e.to_string());
        let Some(task) = self
            .store
            .event_task(task_id)
            .await
            .map_err(|e| retry(e.into()))?
        else {
            return Err(JobError::Fail(format!("no event task {task_id}")));
        };
        let message: SkillTemplate = serde_json::from_str(&task.message)
            .map_err(|e| JobError::Fail(format!("task {task_id}'s message: {e}")))?;
        let deliveries = self
            .store
            .event_deliveries(task.id)
            .await
            .map_err(|e| retry(e.into()))?;
        let mut again = None;
        let pending = |c: EventChannel| -> Vec<&DeliveryRecord> {
            deliveries
                .iter()
                .filter(|d| d.channel == c && d.state == DeliveryState::Pending)
                .collect()
        };
        for d in pending(EventChannel::Webchat) {
            self.deliver_in_room(&task, &message, d)
                .await
                .map_err(retry)?;
        }
        for d in pending(EventChannel::Naver) {
            self.deliver_naver(&task, &message, d).await?;
        }
        let kakao = pending(EventChannel::Kakao);
        if !kakao.is_empty() && self.deliver_kakao(&task, &message, &kakao).await? {
            again = Some(self.now() + KAKAO_POLL_MS);
        }
        self.bill_delivered(&task).await.map_err(retry)?;
        if again.is_none() {
            self.store
                .finish_event_task(task.id, self.now())
                .await
                .map_err(|e| retry(e.into()))?;
        }
        Ok(again)
    }

    async fn mark(&self, d: &DeliveryRecord, u: DeliveryUpdate<'_>) -> Result<(), AppError> {
        Ok(self
            .store
            .update_delivery(d.task_id, d.position, &u, self.now())
            .await?)
    }

    async fn fail(&self, d: &DeliveryRecord, why: &str) -> Result<(), AppError> {
        self.mark(
            d,
            DeliveryUpdate {
                state: Some(DeliveryState::Failed),
                error: Some(why),
                ..DeliveryUpdate::default()
            },
        )
        .await
    }

    /// The message in the room, as the bot's, in the open consultation or one the event opens
    /// and ends; stored once per task and recipient however often it is tried.
    async fn record_in_room(
        &self,
        task: &EventTaskRecord,
        message: &SkillTemplate,
        d: &DeliveryRecord,
        room: &RoomRecord,
    ) -> Result<i64, AppError> {
        let raw = serde_json::json!({
            "event": task.event_name, "task_id": task.public_id, "request": task.request,
        })
        .to_string();
        let now = self.now();
        let consultation = self.store.event_consultation(room, &raw, now).await?;
        let rich = serde_json::to_string(message).map_err(|e| AppError::Internal(e.to_string()))?;
        let client_id = format!("event:{}:{}", task.id, d.position);
        let (stored, _) = self
            .store
            .add_message(NewMessage {
                site: room.site_id,
                room: room.id,
                target: Target::Consultation(consultation.id),
                sender: Sender::Bot,
                agent: None,
                body: &task.body,
                client_msg_id: Some(&client_id),
                original_chars: None,
                outbound: None,
                idle: self.idle_timer(room.site_id, Sender::Bot, now).await,
                file: None,
                rich: Some(&rich),
                bot_memory: None,
                now,
            })
            .await?;
        Ok(stored.id.get())
    }

    /// Web chat: into the room of a verified site ID (an unverified one could be anyone's).
    async fn deliver_in_room(
        &self,
        task: &EventTaskRecord,
        message: &SkillTemplate,
        d: &DeliveryRecord,
    ) -> Result<(), AppError> {
        let site = task.site_id;
        if !self.store.uid_arrived_verified(site, &d.recipient).await? {
            return self
                .fail(
                    d,
                    "web chat messages go only to a verified ID (site_uid_hash): this ID never arrived verified",
                )
                .await;
        }
        let key = CustomerKey::parse(&format!("{site}_{}", d.recipient))?;
        let Some(room) = self
            .store
            .room_by_key(site, Channel::WebchatV2, &key)
            .await?
        else {
            return self
                .fail(
                    d,
                    "this ID has no web chat room: the customer has not chatted yet",
                )
                .await;
        };
        let message_id = self.record_in_room(task, message, d, &room).await?;
        self.mark(
            d,
            DeliveryUpdate {
                state: Some(DeliveryState::Delivered),
                room_id: Some(room.id.get()),
                message_id: Some(message_id),
                ..DeliveryUpdate::default()
            },
        )
        .await
    }

    /// A messenger user's room, when Sangdam has one.
    async fn messenger_room_of(
        &self,
        site: SiteId,
        channel: Channel,
        user: &str,
    ) -> Result<Option<RoomRecord>, AppError> {
        let Ok(key) = CustomerKey::parse(user) else {
            return Ok(None);
        };
        Ok(self.store.room_by_key(site, channel, &key).await?)
    }

    /// A delivered messenger message: recorded in the user's room when there is one (an
    /// agent's reply sent by event is there already: it is marked delivered by the Event API).
    async fn delivered(
        &self,
        task: &EventTaskRecord,
        message: &SkillTemplate,
        d: &DeliveryRecord,
        channel: Channel,
    ) -> Result<(), AppError> {
        if let Some(reply) = d.message_id {
            let now = self.now();
            let marked = self
                .store
                .mark_delivered_via(&[sangdam_core::MessageId::new(reply)], "event_api", now)
                .await?;
            self.publish(crate::events::Event::delivered(task.site_id, &marked, now));
            return self
                .mark(
                    d,
                    DeliveryUpdate {
                        state: Some(DeliveryState::Delivered),
                        ..DeliveryUpdate::default()
                    },
                )
                .await;
        }
        let room = self
            .messenger_room_of(task.site_id, channel, &d.recipient)
            .await?;
        let message_id = match &room {
            Some(room) => Some(self.record_in_room(task, message, d, room).await?),
            None => None,
        };
        self.mark(
            d,
            DeliveryUpdate {
                state: Some(DeliveryState::Delivered),
                room_id: room.map(|r| r.id.get()),
                message_id,
                ..DeliveryUpdate::default()
            },
        )
        .await
    }

    /// Naver TalkTalk: through the send API.
    async fn deliver_naver(
        &self,
        task: &EventTaskRecord,
        message: &SkillTemplate,
        d: &DeliveryRecord,
    ) -> Result<(), JobError> {
        let retry = |e: AppError| JobError::Retry(e.to_string());
        let Some(client) = self.naver.clone() else {
            return self
                .fail(d, "Naver TalkTalk sending is not configured on this server")
                .await
                .map_err(retry);
        };
        for ev in bot::naver::messages(message, &d.recipient) {
            match client.send(&ev).await {
                Ok(()) => {}
                Err(e) if e.is_retryable() => return Err(JobError::Retry(e.to_string())),
                Err(e) => return self.fail(d, &e.to_string()).await.map_err(retry),
            }
        }
        self.delivered(task, message, d, Channel::Naver)
            .await
            .map_err(retry)
    }

    /// KakaoTalk: the recipients not yet handed to Kakao go in one request; then Kakao's task
    /// says who got it. Whether Kakao is still processing.
    async fn deliver_kakao(
        &self,
        task: &EventTaskRecord,
        message: &SkillTemplate,
        pending: &[&DeliveryRecord],
    ) -> Result<bool, JobError> {
        let retry = |e: AppError| JobError::Retry(e.to_string());
        let settings = self
            .store
            .event_api_settings(task.site_id)
            .await
            .map_err(|e| retry(e.into()))?;
        let (Some(bot_id), Some(rest_key)) = (settings.kakao_bot_id, settings.kakao_rest_key)
        else {
            for d in pending {
                self.fail(
                    d,
                    "the site's Kakao bot for the Event API is not set (its bot id and REST API key)",
                )
                .await
                .map_err(retry)?;
            }
            return Ok(false);
        };
        let client = EventApiClient::new(self.kakao_bot_api(), &rest_key)
            .map_err(|e| JobError::Retry(e.to_string()))?;
        let unsent: Vec<&&DeliveryRecord> = pending
            .iter()
            .filter(|d| d.outside_task.is_none())
            .collect();
        if !unsent.is_empty() {
            let request: EventRequest = serde_json::from_str(&task.request)
                .map_err(|e| JobError::Fail(format!("task {}'s request: {e}", task.id)))?;
            let mut data = request.event.data.clone();
            data.insert("text".into(), serde_json::Value::String(task.body.clone()));
            data.insert(
                "message".into(),
                serde_json::to_value(message).unwrap_or_default(),
            );
            let outgoing = EventRequest {
                event: EventSpec {
                    name: task.event_name.clone(),
                    data,
                },
                user: unsent
                    .iter()
                    .map(|d| EventUser {
                        kind: d.kind.as_str().to_owned(),
                        id: d.recipient.clone(),
                        properties: serde_json::Map::new(),
                    })
                    .collect(),
                params: request.params,
            };
            match client.talk(&bot_id, &outgoing).await {
                Ok(accepted) => {
                    for d in &unsent {
                        self.mark(
                            d,
                            DeliveryUpdate {
                                outside_task: Some(&accepted.task_id),
                                ..DeliveryUpdate::default()
                            },
                        )
                        .await
                        .map_err(retry)?;
                    }
                }
                Err(protocol::kakao::event::EventApiError::Unreachable(e)) => {
                    return Err(JobError::Retry(e));
                }
                Err(e) => {
                    for d in &unsent {
                        self.fail(d, &e.to_string()).await.map_err(retry)?;
                    }
                }
            }
        }
        // Read each of Kakao's tasks this task's recipients are in.
        let deliveries = self
            .store
            .event_deliveries(task.id)
            .await
            .map_err(|e| retry(e.into()))?;
        let mut by_task: BTreeMap<String, Vec<&DeliveryRecord>> = BTreeMap::new();
        for d in deliveries
            .iter()
            .filter(|d| d.channel == EventChannel::Kakao && d.state == DeliveryState::Pending)
        {
            if let Some(t) = &d.outside_task {
                by_task.entry(t.clone()).or_default().push(d);
            }
        }
        let mut processing = false;
        for (kakao_task, ds) in by_task {
            let result = match client.task(&kakao_task).await {
                Ok(r) => r,
                Err(protocol::kakao::event::EventApiError::Unreachable(e)) => {
                    return Err(JobError::Retry(e));
                }
                Err(e) => return Err(JobError::Retry(e.to_string())),
            };
            if result.is_processing() {
                processing = true;
                continue;
            }
            for d in ds {
                match result.fail.list.iter().find(|f| f.user_id == d.recipient) {
                    Some(f) => self.fail(d, &f.error_msg).await.map_err(retry)?,
                    None => self
                        .delivered(task, message, d, Channel::Kakao)
                        .await
                        .map_err(retry)?,
                }
            }
        }
        Ok(processing)
    }

    /// Bills each delivered message not billed yet, once per task and recipient.
    async fn bill_delivered(&self, task: &EventTaskRecord) -> Result<(), AppError> {
        let deliveries = self.store.event_deliveries(task.id).await?;
        for d in deliveries
            .iter()
            .filter(|d| d.state == DeliveryState::Delivered && !d.billed)
        {
            let usage = UsageRequest {
                key: format!("event:{}:{}", task.public_id, d.position),
                kind: EVENT_MESSAGE.to_owned(),
                quantity: 1,
                reference: Some(format!("event task {} · {}", task.public_id, d.recipient)),
            };
            let outcome = self.bill_usages(task.site_id, &[usage]).await?;
            match outcome.first() {
                Some(UsageOutcome::Billed { .. } | UsageOutcome::Replayed { .. }) => {
                    self.mark(
                        d,
                        DeliveryUpdate {
                            billed: true,
                            ..DeliveryUpdate::default()
                        },
                    )
                    .await?;
                }
                Some(UsageOutcome::Refused { message, .. }) => {
                    // The message went out: what it costs is owed, and billing is tried again.
                    return Err(AppError::Conflict(format!(
                        "a delivered event message is not billed yet: {message}"
                    )));
                }
                None => return Err(AppError::Internal("billing answered nothing".into())),
            }
        }
        Ok(())
    }
}

async fn event_task_job(services: Services, job: JobRecord) -> Result<Option<Millis>, JobError> {
    let p: TaskPayload = serde_json::from_str(&job.payload)
        .map_err(|e| JobError::Fail(format!("not an event task payload: {e}")))?;
    services.run_event_task(p.task_id).await
}

/// The scheduler with the Event API's deliveries.
pub fn with_handlers(scheduler: Scheduler) -> Scheduler {
    scheduler.handle_timer(EVENT_TASK, event_task_job)
}
