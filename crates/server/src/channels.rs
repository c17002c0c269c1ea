//! Channel adapters: Kakao i Open Builder skill requests, Naver TalkTalk webhooks, and
//! delivering agent replies back to each channel.

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use inflow::{Channel, Inflow, Template, Var, Warning, parse_pairs, parse_params};
use protocol::kakao::{SkillRequest, SkillResponse, limits as kakao_limits};
use protocol::naver::{self, ProfileResult, SendEvent};
use sangdam_core::{
    ChannelUser, ConsultationState, Identity, IdentityPolicy, customer_key, normalize_mobile,
    resolve_identity,
};
use serde::Serialize;
use store::{
    ConsultationRecord, InflowRequest, MessageRecord, NewMessage, ProfileRecord, RoomRecord,
    Sender, SiteRecord, Target,
};

use utoipa::openapi::RefOr;
use utoipa::openapi::schema::Schema;
use utoipa::{PartialSchema, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::api::extract::{IdPath, SitePath};
use crate::bus::Event;
use crate::error::{ApiError, ErrorBody};
use crate::state::{AppState, now_ms};

/// `POST /kakao/{site_id}/skill` and `POST /naver/{site_id}/webhook`.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(kakao_skill))
        .routes(routes!(naver_webhook))
}

/// How an agent's reply reached (or will reach) the customer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Delivery {
    /// The chat window receives it over its WebSocket (or its next poll).
    Realtime,
    /// Open Builder only answers requests: the reply goes out with the user's next skill
    /// response.
    Queued,
    /// Sent through the Naver send API.
    Delivered,
    /// No Naver send API is configured.
    NotConfigured,
    /// The Naver send API refused it or did not answer.
    Failed,
}

/// How an agent's reply reached (or will reach) the customer.
pub async fn deliver(st: &AppState, room: &RoomRecord, message: &MessageRecord) -> Delivery {
    match room.channel {
        // The chat window receives it over its WebSocket (or its next poll).
        Channel::WebchatV1 | Channel::WebchatV2 => Delivery::Realtime,
        // Open Builder only answers requests: the reply goes out with the next skill response.
        Channel::Kakao => Delivery::Queued,
        Channel::Naver => match &st.naver {
            None => Delivery::NotConfigured,
            Some(client) => match client
                .send(&SendEvent::text(
                    room.customer_key.clone(),
                    message.body.clone(),
                ))
                .await
            {
                Ok(()) => Delivery::Delivered,
                Err(e) => {
                    tracing::warn!(room = %room.id, error = %e, "Naver send failed");
                    Delivery::Failed
                }
            },
        },
    }
}

/// The consultation-info link of a room, rendered from the site's template (R1.6).
pub fn render_info_url(
    t: &Template,
    room: &RoomRecord,
    profile: &ProfileRecord,
    c: Option<&ConsultationRecord>,
) -> String {
    let room_id = room.id.to_string();
    let consultation_id = c.map(|c| c.id.to_string());
    let category = c.and_then(|c| c.category_id).map(|v| v.to_string());
    let division = c.and_then(|c| c.division_id).map(|v| v.to_string());
    let agent = c.and_then(|c| c.agent_id).map(|v| v.to_string());
    t.render(|var| match var {
        Var::SiteUid => profile.site_uid.as_deref(),
        Var::CusExtraUsername => profile.name.as_deref(),
        Var::CusExtraPhone => profile.phone.as_deref(),
        Var::CusExtraEmail => profile.email.as_deref(),
        Var::UserParameter => c.and_then(|c| c.user_parameter.as_deref()),
        Var::CategoryId => category.as_deref(),
        Var::DivisionId => division.as_deref(),
        Var::Custom(slot) => c
            .and_then(|c| c.custom.get(&slot))
            .or_else(|| profile.custom.get(&slot))
            .map(String::as_str),
        Var::RoomId => Some(room_id.as_str()),
        Var::ConsultationId => consultation_id.as_deref(),
        Var::CustomerKey => Some(room.customer_key.as_str()),
        Var::Channel => Some(room.channel.as_str()),
        Var::AgentId => agent.as_deref(),
        Var::CategoryName | Var::DivisionName | Var::BotStart => None,
    })
}

fn identity_of(site: &SiteRecord, inflow: &Inflow) -> Identity {
    resolve_identity(
        &inflow.fields,
        site.secret.as_bytes(),
        IdentityPolicy {
            require_verified_uid: site.require_verified_uid,
        },
    )
}

/// Records an inflow of a messenger user and tells the consoles. `referrer` is the page the
/// user came from when the platform says (Naver's `options.referer`).
async fn messenger_inflow(
    st: &AppState,
    site: &SiteRecord,
    channel: Channel,
    user: &str,
    inflow: &Inflow,
    raw: &str,
    referrer: Option<&str>,
) -> Result<(RoomRecord, ConsultationRecord), ApiError> {
    let identity = identity_of(site, inflow);
    let platform_user = match channel {
        Channel::Kakao => ChannelUser::Kakao(user),
        _ => ChannelUser::Naver(user),
    };
    let key = customer_key(
        site.id,
        channel,
        identity.site_uid.as_deref(),
        platform_user,
    )?;
    let mut warnings: Vec<Warning> = inflow.warnings.clone();
    warnings.extend(identity.warnings.iter().cloned());
    // Cut like web chat's Referer header (500): a platform's field is input too.
    let referrer: Option<String> = referrer.map(|r| r.chars().take(500).collect());
    let result = st
        .store
        .record_inflow(InflowRequest {
            site: site.id,
            channel,
            customer_key: &key,
            identity: &identity,
            inflow,
            warnings: &warnings,
            raw,
            referrer: referrer.as_deref(),
            user_agent: None,
            now: now_ms(),
        })
        .await?;
    st.bus.publish(Event::Consultation {
        site_id: site.id,
        consultation: result.consultation.clone(),
    });
    Ok((result.room, result.consultation))
}

/// The room and open consultation of a messenger user, opening one when there is none.
async fn messenger_room(
    st: &AppState,
    site: &SiteRecord,
    channel: Channel,
    user: &str,
    raw: &str,
) -> Result<(RoomRecord, ConsultationRecord), ApiError> {
    let platform_user = match channel {
        Channel::Kakao => ChannelUser::Kakao(user),
        _ => ChannelUser::Naver(user),
    };
    let key = customer_key(site.id, channel, None, platform_user)?;
    if let Some(room) = st.store.room_by_key(site.id, channel, &key).await?
        && let Some(open) = st.store.open_consultation(room.id).await?
    {
        return Ok((room, open));
    }
    let empty = parse_pairs(channel, [], &site.settings);
    messenger_inflow(st, site, channel, user, &empty, raw, None).await
}

async fn customer_message(
    st: &AppState,
    room: &RoomRecord,
    consultation: &ConsultationRecord,
    sender: Sender,
    body: &str,
) -> Result<MessageRecord, ApiError> {
    let body: String = body
        .chars()
        .take(crate::webchat::MAX_MESSAGE_CHARS)
        .collect();
    let (message, _) = st
        .store
        .add_message(NewMessage {
            site: room.site_id,
            room: room.id,
            target: Target::Consultation(consultation.id),
            sender,
            agent: None,
            body: &body,
            client_msg_id: None,
            now: now_ms(),
        })
        .await?;
    Ok(message)
}

/// The simpleText outputs one message needs (up to three; see `SkillResponse::text`).
fn text_outputs(body: &str) -> Vec<protocol::kakao::Output> {
    SkillResponse::text(body)
        .template
        .map(|t| t.outputs)
        .unwrap_or_default()
}

/// The longest agent reply a Kakao user can be sent uncut: three texts of 1000 characters.
pub const KAKAO_REPLY_MAX_CHARS: usize = kakao_limits::OUTPUTS_MAX * kakao_limits::SIMPLE_TEXT_MAX;

fn raw_text(body: &[u8]) -> String {
    String::from_utf8_lossy(body).into_owned()
}

/// A schema written out in JSON: the messengers' formats are read leniently (a value of the
/// wrong type becomes a default), which the derive cannot say.
fn described(schema: serde_json::Value) -> RefOr<Schema> {
    match serde_json::from_value(schema) {
        Ok(s) => s,
        Err(e) => {
            // Only a mistake in the JSON below gets here; the tests read every schema.
            tracing::error!(error = %e, "unreadable schema");
            RefOr::T(Schema::default())
        }
    }
}

/// A platform's user id as a string: what a customer key may be (not blank, at most 300
/// characters, no control characters).
fn user_key_schema() -> serde_json::Value {
    serde_json::json!({
        "type": "string",
        "minLength": 1,
        "maxLength": sangdam_core::CustomerKey::MAX_CHARS,
        "pattern": r"^[^\x00-\x1f\x7f-\x9f]*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x1f\x7f-\x9f]*$",
    })
}

/// A skill request, of which Sangdam reads the user (`userRequest.user.id`, else the
/// `botUserKey` property), `userRequest.utterance`, and parameters from `action.params`,
/// `action.clientExtra` and `userRequest.params`. It is read leniently, as Open Builder's
/// format changes: any other key, and a key of another type, is ignored; a user id that is a
/// number or a boolean is read as its text.
#[derive(Debug)]
pub struct KakaoSkillRequest;

impl PartialSchema for KakaoSkillRequest {
    fn schema() -> RefOr<Schema> {
        let id = serde_json::json!({
            "anyOf": [user_key_schema(), {"type": ["number", "boolean"]}],
        });
        described(serde_json::json!({
            "type": "object",
            "required": ["userRequest"],
            "properties": {
                "userRequest": {
                    "type": "object",
                    "required": ["user"],
                    "properties": {
                        "user": {
                            "type": "object",
                            "required": ["id"],
                            "properties": {"id": id},
                        },
                        "utterance": {
                            "type": ["string", "number", "boolean", "array", "object", "null"],
                            "description": "What the user said (a value of another type is read as its JSON text).",
                        },
                    },
                },
            },
        }))
    }
}

impl ToSchema for KakaoSkillRequest {}

/// An Open Builder skill response: up to three simpleText outputs.
#[derive(Debug)]
pub struct KakaoSkillResponse;

impl PartialSchema for KakaoSkillResponse {
    fn schema() -> RefOr<Schema> {
        described(serde_json::json!({
            "type": "object",
            "required": ["version", "template"],
            "properties": {
                "version": {"type": "string"},
                "template": {
                    "type": "object",
                    "required": ["outputs"],
                    "properties": {
                        "outputs": {
                            "type": "array",
                            "maxItems": kakao_limits::OUTPUTS_MAX,
                            "items": {
                                "type": "object",
                                "required": ["simpleText"],
                                "properties": {
                                    "simpleText": {
                                        "type": "object",
                                        "required": ["text"],
                                        "properties": {"text": {"type": "string"}},
                                    },
                                },
                            },
                        },
                    },
                },
            },
        }))
    }
}

impl ToSchema for KakaoSkillResponse {}

/// The user of a skill request is an object under an object, and its id a string, number or
/// boolean: the lenient reader would also take a struct written as an array of its fields, or
/// make a key of an array's JSON text, which no platform sends.
fn check_skill_user(body: &[u8]) -> Result<(), ApiError> {
    let value: serde_json::Value = serde_json::from_slice(body)
        .map_err(|e| ApiError::BadRequest(format!("not a skill request: {e}")))?;
    let user_request = value.get("userRequest");
    let user = user_request.and_then(|u| u.get("user"));
    let refused = |what: &str| Err(ApiError::BadRequest(format!("not a skill request: {what}")));
    if user_request.is_some_and(|u| !u.is_object() && !u.is_null()) {
        return refused("userRequest is not an object");
    }
    if user.is_some_and(|u| !u.is_object() && !u.is_null()) {
        return refused("userRequest.user is not an object");
    }
    if user
        .and_then(|u| u.get("id"))
        .is_some_and(|id| id.is_array() || id.is_object())
    {
        return refused("userRequest.user.id is not text");
    }
    Ok(())
}

/// Answers Open Builder skill requests (PROTOCOLS §1). The user's utterance becomes a message;
/// the answer carries the agent replies waiting for this user, or an acknowledgement.
#[utoipa::path(
    post,
    path = "/kakao/{site_id}/skill",
    tag = "channels",
    params(SitePath),
    request_body = KakaoSkillRequest,
    responses(
        (status = 200, description = "The skill response.", body = KakaoSkillResponse),
        (status = 400, description = "Not a skill request (not a JSON object, or no user key).", body = ErrorBody),
        (status = 404, description = "No such site.", body = ErrorBody),
        (status = 413, description = "The body is too large.", body = ErrorBody),
        (status = 422, description = "A user key no platform would send (`invalid_key`).", body = ErrorBody),
    )
)]
pub async fn kakao_skill(
    State(st): State<AppState>,
    IdPath(site): SitePath,
    body: Bytes,
) -> Result<Json<SkillResponse>, ApiError> {
    let site = st.store.site(site).await?;
    let req = SkillRequest::from_slice(&body)
        .map_err(|e| ApiError::BadRequest(format!("not a skill request: {e}")))?;
    check_skill_user(&body)?;
    let user = req
        .user_key()
        .ok_or_else(|| ApiError::BadRequest("the skill request has no user key".into()))?
        .to_owned();
    let pairs = req.parameter_pairs();
    let raw = raw_text(&body);
    let (room, consultation) = if pairs.is_empty() {
        messenger_room(&st, &site, Channel::Kakao, &user, &raw).await?
    } else {
        let inflow = parse_pairs(
            Channel::Kakao,
            pairs.iter().map(|(n, v)| (n.as_str(), v.as_str())),
            &site.settings,
        );
        messenger_inflow(&st, &site, Channel::Kakao, &user, &inflow, &raw, None).await?
    };
    let utterance = req.utterance().trim();
    if !utterance.is_empty() {
        customer_message(&st, &room, &consultation, Sender::Customer, utterance).await?;
    }
    // Each reply is its own text output (several for one over 1000 characters). A response
    // holds at most three outputs: replies that do not fit stay queued for the next request
    // instead of being cut (see `take_undelivered_agent_messages`).
    let replies = st
        .store
        .take_undelivered_agent_messages(room.id, now_ms(), kakao_limits::OUTPUTS_MAX, |m| {
            text_outputs(&m.body).len()
        })
        .await?;
    let response = if replies.is_empty() {
        SkillResponse::text(match consultation.state {
            ConsultationState::Waiting => "상담원 연결을 기다리고 있습니다. 잠시만 기다려 주세요.",
            _ => "메시지가 상담원에게 전달되었습니다.",
        })
    } else {
        SkillResponse::new(replies.iter().flat_map(|m| text_outputs(&m.body)))
    };
    if let Err(problems) = response.validate() {
        return Err(ApiError::Internal(format!(
            "built an invalid skill response: {problems:?}"
        )));
    }
    Ok(Json(response))
}

/// What a TalkTalk event did: `open` gives the room and consultation, `send` the stored
/// message; events that are no consultation's business (echoes, payments, unknown events,
/// empty messages) are `ignored`; anything else answers `{}`.
#[derive(Debug, Default, Serialize, ToSchema)]
pub struct NaverAnswer {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub room_id: Option<sangdam_core::RoomId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub consultation_id: Option<sangdam_core::ConsultationId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message_id: Option<sangdam_core::MessageId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ignored: Option<String>,
}

/// The TalkTalk events a consultation reacts to; they name their `user`.
const NAVER_EVENTS: [&str; 9] = [
    "open",
    "send",
    "leave",
    "friend",
    "echo",
    "profile",
    "handover",
    "pay_complete",
    "pay_confirm",
];

/// A TalkTalk webhook event: `{"event", "user", "options", "textContent", …}`. The events
/// `open`, `send`, `leave`, `friend`, `echo`, `profile`, `handover`, `pay_complete` and
/// `pay_confirm` need `user`; any other event (or none) is acknowledged and ignored. Other keys
/// are read leniently: one of another type is ignored.
#[derive(Debug)]
pub struct NaverEvent;

impl PartialSchema for NaverEvent {
    fn schema() -> RefOr<Schema> {
        let other_event = format!("^(?!(?:{})$)", NAVER_EVENTS.join("|"));
        described(serde_json::json!({
            "anyOf": [
                {
                    "type": "object",
                    "required": ["event", "user"],
                    "properties": {
                        "event": {"type": "string", "enum": NAVER_EVENTS},
                        "user": user_key_schema(),
                    },
                },
                {
                    "type": "object",
                    "properties": {
                        "event": {
                            "anyOf": [
                                {"type": "string", "pattern": other_event},
                                {"type": ["number", "boolean", "array", "object", "null"]},
                            ],
                        },
                    },
                },
            ],
        }))
    }
}

impl ToSchema for NaverEvent {}

/// TalkTalk events (PROTOCOLS §3). Every event is answered 200; unknown and payment events are
/// acknowledged and ignored.
#[utoipa::path(
    post,
    path = "/naver/{site_id}/webhook",
    tag = "channels",
    params(SitePath),
    request_body = NaverEvent,
    responses(
        (status = 200, description = "Taken.", body = NaverAnswer),
        (status = 400, description = "Not a TalkTalk event (not a JSON object, or a known event without `user`).", body = ErrorBody),
        (status = 404, description = "No such site.", body = ErrorBody),
        (status = 413, description = "The body is too large.", body = ErrorBody),
        (status = 422, description = "A user id no platform would send (`invalid_key`).", body = ErrorBody),
    )
)]
pub async fn naver_webhook(
    State(st): State<AppState>,
    IdPath(site): SitePath,
    body: Bytes,
) -> Result<Json<NaverAnswer>, ApiError> {
    let site = st.store.site(site).await?;
    let event = naver::parse_event(&body)
        .map_err(|e| ApiError::BadRequest(format!("not a TalkTalk event: {e}")))?;
    let raw = raw_text(&body);
    let ch = Channel::Naver;
    match &event {
        naver::Event::Open { user, options, .. } => {
            let from = options.from.as_deref().unwrap_or("");
            let inflow = parse_params(ch, from, &site.settings);
            // R2.7: the inflow records where the user came from; Naver says it in
            // `options.referer` (it was dropped before; found by the integration tests).
            let referer = options.referer.as_deref();
            let (room, c) = messenger_inflow(&st, &site, ch, user, &inflow, &raw, referer).await?;
            return Ok(Json(NaverAnswer {
                room_id: Some(room.id),
                consultation_id: Some(c.id),
                ..Default::default()
            }));
        }
        naver::Event::Send { user, .. } => {
            let text = match (event.text(), event.image_url()) {
                (Some(t), _) if !t.trim().is_empty() => t.to_owned(),
                (_, Some(url)) => format!("[이미지] {url}"),
                _ => {
                    return Ok(Json(NaverAnswer {
                        ignored: Some("empty message".into()),
                        ..Default::default()
                    }));
                }
            };
            let (room, c) = messenger_room(&st, &site, ch, user, &raw).await?;
            let m = customer_message(&st, &room, &c, Sender::Customer, &text).await?;
            return Ok(Json(NaverAnswer {
                message_id: Some(m.id),
                ..Default::default()
            }));
        }
        naver::Event::Leave { user, .. } => {
            system_note(&st, &site, user, "고객이 채팅방을 나갔습니다.").await?;
        }
        naver::Event::Friend { user, options, .. } => {
            let note = if options.is_on() {
                "고객이 친구로 추가했습니다."
            } else {
                "고객이 친구를 해제했습니다."
            };
            system_note(&st, &site, user, note).await?;
        }
        naver::Event::Profile { user, options } => {
            naver_profile(&st, &site, user, options).await?;
        }
        naver::Event::Handover { user, options, .. } => {
            let control = options.control.as_deref().unwrap_or("?");
            system_note(&st, &site, user, &format!("대화 제어권 변경: {control}")).await?;
        }
        // Our own sends come back as echoes; payments and unknown events are not consultations.
        naver::Event::Echo { .. }
        | naver::Event::PayComplete { .. }
        | naver::Event::PayConfirm { .. }
        | naver::Event::Unknown { .. } => {
            return Ok(Json(NaverAnswer {
                ignored: Some(event.name().to_owned()),
                ..Default::default()
            }));
        }
    }
    Ok(Json(NaverAnswer::default()))
}

/// A note in the room's open consultation, if it has one (events outside a consultation are
/// not worth opening one for).
async fn system_note(
    st: &AppState,
    site: &SiteRecord,
    user: &str,
    note: &str,
) -> Result<(), ApiError> {
    let key = customer_key(site.id, Channel::Naver, None, ChannelUser::Naver(user))?;
    if let Some(room) = st.store.room_by_key(site.id, Channel::Naver, &key).await?
        && let Some(c) = st.store.open_consultation(room.id).await?
    {
        customer_message(st, &room, &c, Sender::System, note).await?;
    }
    Ok(())
}

/// The member-information answer: a shared cellphone is a number Naver verified; WITHDRAW
/// deletes what an earlier answer stored.
async fn naver_profile(
    st: &AppState,
    site: &SiteRecord,
    user: &str,
    options: &naver::ProfileOptions,
) -> Result<(), ApiError> {
    const METHOD: &str = "naver_profile";
    let key = customer_key(site.id, Channel::Naver, None, ChannelUser::Naver(user))?;
    let Some(room) = st.store.room_by_key(site.id, Channel::Naver, &key).await? else {
        return Ok(());
    };
    let now = now_ms();
    match options.result() {
        Some(ProfileResult::Success) => {
            if let Some(phone) = options.cellphone.as_deref()
                && let Ok(mobile) = normalize_mobile(phone)
            {
                st.store
                    .set_mobile(room.profile_id, &mobile, METHOD, now)
                    .await?;
            }
            if let Some(nickname) = options.nickname.as_deref().filter(|n| !n.trim().is_empty()) {
                let profile = st.store.profile(room.profile_id).await?;
                if profile.name.is_none() {
                    let edit = sangdam_core::ProfileEdit {
                        name: Some(nickname.chars().take(100).collect()),
                        ..Default::default()
                    };
                    st.store.edit_profile(room.profile_id, &edit, now).await?;
                }
            }
        }
        Some(ProfileResult::Withdraw) => {
            st.store.clear_mobile(room.profile_id, METHOD, now).await?;
        }
        _ => {}
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    /// The hand-written schemas are read whole (an unreadable one would describe any object).
    #[test]
    fn messenger_schemas_are_readable() {
        for (name, schema) in [
            ("kakao request", KakaoSkillRequest::schema()),
            ("kakao response", KakaoSkillResponse::schema()),
            ("naver event", NaverEvent::schema()),
        ] {
            let json = serde_json::to_value(&schema).unwrap();
            assert!(
                json.get("properties").is_some() || json.get("anyOf").is_some(),
                "{name}: {json}"
            );
        }
    }
}
