//! Channel adapters: Kakao i Open Builder skill requests and Naver TalkTalk webhooks, read
//! leniently and turned into the application's use cases; the answers each platform expects.

use app::messenger::MessengerInflow;
use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use i18n::Lang;
use inflow::{Channel, Template, Var, parse_pairs, parse_params};
use protocol::kakao::{SkillRequest, SkillResponse, limits as kakao_limits};
use protocol::naver;
use sangdam_core::{ConsultationState, MessengerPlatform};
use serde::Serialize;
use store::{ConsultationRecord, ProfileRecord, RoomRecord, Sender, SiteRecord};

use utoipa::openapi::RefOr;
use utoipa::openapi::schema::Schema;
use utoipa::{PartialSchema, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::api::extract::{ChannelKey, ChannelKeyParams, IdPath, SitePath};
use crate::error::{ApiError, ErrorBody};
use crate::state::AppState;

/// `POST /kakao/{site_id}/skill` and `POST /naver/{site_id}/webhook`.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(kakao_skill))
        .routes(routes!(naver_webhook))
}

pub use app::consultations::Delivery;

/// The consultation-info link of a room, rendered from the site's template (R1.6); the names
/// of the consultation's category and division come from the site's `tree`.
pub fn render_info_url(
    t: &Template,
    room: &RoomRecord,
    profile: &ProfileRecord,
    c: Option<&ConsultationRecord>,
    tree: &sangdam_core::category::Tree,
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
        Var::CategoryName => c.and_then(|c| c.category_id).and_then(|id| tree.name(id)),
        Var::DivisionName => c.and_then(|c| c.division_id).and_then(|id| tree.name(id)),
        Var::BotStart => None,
    })
}

/// Texts sent to messenger users and notes left in their rooms are in the site's language
/// (Korean until sites choose one).
const CHANNEL_LANG: Lang = Lang::DEFAULT;

pub use app::consultations::KAKAO_REPLY_MAX_CHARS;

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

/// Answers Open Builder skill requests (PROTOCOLS §1), which must carry the site's Kakao
/// channel key. The user's utterance becomes a message;
/// the answer carries the agent replies waiting for this user, or an acknowledgement.
#[utoipa::path(
    post,
    path = "/kakao/{site_id}/skill",
    tag = "channels",
    params(SitePath, ChannelKeyParams),
    request_body = KakaoSkillRequest,
    responses(
        (status = 200, description = "The skill response.", body = KakaoSkillResponse),
        (status = 400, description = "Not a skill request (not a JSON object, or no user key).", body = ErrorBody),
        (status = 401, description = "Without the site's Kakao channel key (`channel_key_refused`): nothing is stored or answered.", body = ErrorBody),
        (status = 404, description = "No such site.", body = ErrorBody),
        (status = 413, description = "The body is too large.", body = ErrorBody),
        (status = 422, description = "A user key no platform would send (`invalid_key`).", body = ErrorBody),
    )
)]
pub async fn kakao_skill(
    State(st): State<AppState>,
    IdPath(site): SitePath,
    ChannelKey(key): ChannelKey,
    body: Bytes,
) -> Result<Json<SkillResponse>, ApiError> {
    let site = st.app.store.site(site).await?;
    st.app
        .check_channel_key(site.id, MessengerPlatform::Kakao, key.as_deref())
        .await?;
    let req = SkillRequest::from_slice(&body)
        .map_err(|e| ApiError::BadRequest(format!("not a skill request: {e}")))?;
    check_skill_user(&body)?;
    let user = req
        .user_key()
        .ok_or_else(|| ApiError::BadRequest("the skill request has no user key".into()))?
        .to_owned();
    let pairs = req.parameter_pairs();
    let raw = raw_text(&body);
    let utterance = req.utterance().trim();
    // The answer to a rating request (a quick reply below it, or a typed score) rates the
    // consultation that asked and is thanked, instead of going into a consultation.
    if let Some(rated) = st
        .app
        .messenger_rating(&site, Channel::Kakao, &user, utterance, None)
        .await?
    {
        let room = st.app.store.room(rated.room_id).await?;
        return Ok(Json(st.app.kakao_answer(&room, None).await?));
    }
    let (room, consultation) = if pairs.is_empty() {
        st.app
            .messenger_room(&site, Channel::Kakao, &user, &raw)
            .await?
    } else {
        let inflow = parse_pairs(
            Channel::Kakao,
            pairs.iter().map(|(n, v)| (n.as_str(), v.as_str())),
            &site.settings,
        );
        st.app
            .messenger_inflow(MessengerInflow {
                site: &site,
                channel: Channel::Kakao,
                user: &user,
                inflow: &inflow,
                raw: &raw,
                referrer: None,
            })
            .await?
    };
    // What Open Builder's profile or Kakao Sync plugin gave, before the bot or an agent reads
    // the profile for this request.
    if let Err(e) = st
        .app
        .kakao_plugin_results(&room, consultation.id, &req)
        .await
    {
        tracing::warn!(room = %room.id, error = %e, "a Kakao plugin's result was not stored");
    }
    let consultation = if utterance.is_empty() {
        consultation
    } else {
        st.app
            .messenger_message(&room, &consultation, Sender::Customer, utterance)
            .await?;
        // With the bot: it answers now, and its answer goes out with this response (a
        // handoff puts the consultation in the queue, whose place is then told).
        if consultation.state.with_bot() {
            st.app
                .after_customer_message(
                    site.id,
                    consultation.id,
                    app::bot::BotInput::Text(utterance),
                )
                .await;
            st.app.store.consultation(consultation.id).await?
        } else {
            consultation
        }
    };
    // A Kakao user cannot be written to first: while the consultation waits, every answer
    // ends with their place (after what is waiting for them, such as the title message the
    // consultation opened with), so one output is kept for it.
    let place = if consultation.state == ConsultationState::Waiting {
        Some(st.app.waiting_line(&room).await?)
    } else {
        None
    };
    // An agent holds the consultation and nothing waits for the user: the answer comes
    // later, through the request's callback, as soon as the agent replies (within Kakao's
    // minute; see `app::kakao`).
    if let Some(url) = req.callback_url()
        && consultation.state == ConsultationState::InProgress
        && !st.app.kakao_replies_waiting(&room).await?
    {
        let waiting = i18n::t(CHANNEL_LANG, "channel-received");
        return Ok(Json(
            st.app.kakao_offer_callback(&room, url, &waiting).await?,
        ));
    }
    Ok(Json(st.app.kakao_answer(&room, place).await?))
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

/// TalkTalk events (PROTOCOLS §3), which must carry the site's Naver channel key. Every event is answered 200; unknown and payment events are
/// acknowledged and ignored.
#[utoipa::path(
    post,
    path = "/naver/{site_id}/webhook",
    tag = "channels",
    params(SitePath, ChannelKeyParams),
    request_body = NaverEvent,
    responses(
        (status = 200, description = "Taken.", body = NaverAnswer),
        (status = 400, description = "Not a TalkTalk event (not a JSON object, or a known event without `user`).", body = ErrorBody),
        (status = 401, description = "Without the site's Naver channel key (`channel_key_refused`): nothing is stored.", body = ErrorBody),
        (status = 404, description = "No such site.", body = ErrorBody),
        (status = 413, description = "The body is too large.", body = ErrorBody),
        (status = 422, description = "A user id no platform would send (`invalid_key`).", body = ErrorBody),
    )
)]
pub async fn naver_webhook(
    State(st): State<AppState>,
    IdPath(site): SitePath,
    ChannelKey(key): ChannelKey,
    body: Bytes,
) -> Result<Json<NaverAnswer>, ApiError> {
    let site = st.app.store.site(site).await?;
    st.app
        .check_channel_key(site.id, MessengerPlatform::Naver, key.as_deref())
        .await?;
    let event = naver::parse_event(&body)
        .map_err(|e| ApiError::BadRequest(format!("not a TalkTalk event: {e}")))?;
    let raw = raw_text(&body);
    let ch = Channel::Naver;
    // Every event that names a user names one a platform could send, even one that is then
    // ignored (an echo, a payment): the same `invalid_key` refusal for all of them.
    if let Some(user) = event.user() {
        sangdam_core::customer_key(site.id, ch, None, sangdam_core::ChannelUser::Naver(user))?;
    }
    match &event {
        naver::Event::Open { user, options, .. } => {
            let from = options.from.as_deref().unwrap_or("");
            let inflow = parse_params(ch, from, &site.settings);
            // R2.7: the inflow records where the user came from; Naver says it in
            // `options.referer` (it was dropped before; found by the integration tests).
            let referer = options.referer.as_deref();
            let (room, c) = st
                .app
                .messenger_inflow(MessengerInflow {
                    site: &site,
                    channel: ch,
                    user,
                    inflow: &inflow,
                    raw: &raw,
                    referrer: referer,
                })
                .await?;
            return Ok(Json(NaverAnswer {
                room_id: Some(room.id),
                consultation_id: Some(c.id),
                ..Default::default()
            }));
        }
        naver::Event::Send { user, .. } => {
            let text = match (event.text(), event.image_url()) {
                (Some(t), _) if !t.trim().is_empty() => t.to_owned(),
                (_, Some(url)) => {
                    i18n::t_args(CHANNEL_LANG, "channel-image", &[("url", url.into())])
                }
                _ => {
                    return Ok(Json(NaverAnswer {
                        ignored: Some("empty message".into()),
                        ..Default::default()
                    }));
                }
            };
            // The answer to a rating request rates the consultation that asked, instead of
            // opening a new one.
            if let Some(rated) = st
                .app
                .messenger_rating(&site, ch, user, &text, event.button_code())
                .await?
            {
                return Ok(Json(NaverAnswer {
                    room_id: Some(rated.room_id),
                    consultation_id: Some(rated.id),
                    ..Default::default()
                }));
            }
            let (room, c) = st.app.messenger_room(&site, ch, user, &raw).await?;
            let m = st
                .app
                .messenger_message(&room, &c, Sender::Customer, &text)
                .await?;
            // An image (no text): its address is in the message now; the image itself is
            // fetched into the file storage by a job and attached to it.
            if event.text().is_none_or(|t| t.trim().is_empty())
                && let Some(url) = event.image_url()
            {
                st.app.fetch_messenger_image(&m, url).await?;
            } else {
                // With the bot: it answers (through the send API); a button of its answer
                // says by its code what it asks.
                let input = event.button_code().and_then(bot::naver::read_code).map_or(
                    app::bot::BotInput::Text(&text),
                    |i| match i {
                        bot::Input::Operator => app::bot::BotInput::Operator,
                        bot::Input::Block(b) => app::bot::BotInput::Block(b),
                        bot::Input::Start | bot::Input::Text(_) => app::bot::BotInput::Text(&text),
                    },
                );
                st.app.after_customer_message(site.id, c.id, input).await;
            }
            return Ok(Json(NaverAnswer {
                message_id: Some(m.id),
                ..Default::default()
            }));
        }
        naver::Event::Leave { user, .. } => {
            note(&st, &site, user, &i18n::t(CHANNEL_LANG, "channel-left")).await?;
        }
        naver::Event::Friend { user, options, .. } => {
            let key = if options.is_on() {
                "channel-friend-on"
            } else {
                "channel-friend-off"
            };
            note(&st, &site, user, &i18n::t(CHANNEL_LANG, key)).await?;
        }
        naver::Event::Profile { user, options } => {
            st.app.naver_profile(&site, user, options).await?;
        }
        naver::Event::Handover { user, options, .. } => {
            let control = options.control.as_deref().unwrap_or("?");
            let text = i18n::t_args(
                CHANNEL_LANG,
                "channel-handover",
                &[("control", control.into())],
            );
            note(&st, &site, user, &text).await?;
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

/// A note in the Naver user's open consultation, if there is one.
async fn note(st: &AppState, site: &SiteRecord, user: &str, text: &str) -> Result<(), ApiError> {
    Ok(st
        .app
        .messenger_note(site, Channel::Naver, user, text)
        .await?)
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
