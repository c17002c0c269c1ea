//! How the store's records look in the API, for the OpenAPI document.
//!
//! The records are serialised as they are (`store` knows no HTTP and has no schema of its
//! own); these types only describe that JSON, and answer types point at them with
//! `#[schema(value_type = …)]`. The tests below serialise a record of each kind and compare its
//! keys with its description, so the two cannot drift apart unnoticed.

use std::collections::BTreeMap;

use inflow::{Channel, Warning};
use sangdam_core::{
    AgentId, CategoryId, ConsultationId, ConsultationState, EndType, MessageId, Presence,
    ProfileId, Role, RoomId, SiteId,
};
use serde::Serialize;
use utoipa::ToSchema;

/// Custom slot values, `parameterN` → value.
pub type Custom = BTreeMap<String, String>;

/// A staff account (agent, manager or the site's admin). Never its password.
#[derive(Debug, Serialize, ToSchema)]
pub struct Agent {
    pub id: AgentId,
    pub site_id: SiteId,
    pub login: String,
    pub display_name: String,
    pub role: Role,
    /// What the account chose in the console header.
    pub status: Presence,
    /// The most consultations held at once (1 to 100).
    pub max_concurrent: i64,
    /// `false`: the "takes no consultations" switch is on.
    pub takes_consultations: bool,
    /// When a console of theirs was last known connected.
    pub last_seen_at: Option<i64>,
    /// The categories served in `by_category` mode (empty: all).
    pub serves_categories: Vec<i64>,
    /// The channels served in `by_channel` mode (empty: all).
    pub serves_channels: Vec<Channel>,
    /// When the admin deactivated the account (`null`: active). A deactivated account cannot
    /// log in and is given no consultations.
    pub deactivated_at: Option<i64>,
    /// The account's group (a manager leads the group they are in).
    pub group_id: Option<sangdam_core::GroupId>,
}

/// The customer information agents see; may link many rooms.
#[derive(Debug, Serialize, ToSchema)]
pub struct Profile {
    pub id: ProfileId,
    pub site_id: SiteId,
    pub site_uid: Option<String>,
    pub verified: bool,
    pub name: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub mobile: Option<String>,
    pub mobile_method: Option<String>,
    pub mobile_verified_at: Option<i64>,
    pub custom: Custom,
    /// How the site treats the customer (`blocked`: their new consultations reach no agent).
    pub grade: sangdam_core::Grade,
    /// An agent's flag on the customer.
    pub flagged: bool,
    pub created_at: i64,
    pub updated_at: i64,
}

/// The conversation space of one customer key.
#[derive(Debug, Serialize, ToSchema)]
pub struct Room {
    pub id: RoomId,
    pub site_id: SiteId,
    /// `webchat`, `kakao` or `naver`.
    pub platform: String,
    pub channel: Channel,
    pub customer_key: String,
    pub profile_id: ProfileId,
    pub created_at: i64,
}

/// One consultation, from inflow to close. Times are milliseconds since the Unix epoch.
#[derive(Debug, Serialize, ToSchema)]
pub struct Consultation {
    pub id: ConsultationId,
    pub site_id: SiteId,
    pub room_id: RoomId,
    pub channel: Channel,
    pub state: ConsultationState,
    /// HappyTalk's integer code of the state.
    pub state_code: i64,
    pub end_type: Option<EndType>,
    pub agent_id: Option<AgentId>,
    pub closed_by: Option<AgentId>,
    /// Its category and division in the site's tree (`GET /api/v1/categories`).
    pub category_id: Option<CategoryId>,
    pub division_id: Option<CategoryId>,
    /// The free-text sub-label an agent gave it (at most 8 characters).
    pub sub_label: Option<String>,
    pub user_parameter: Option<String>,
    pub custom: Custom,
    pub created_at: i64,
    pub assigned_at: Option<i64>,
    pub first_response_at: Option<i64>,
    pub closed_at: Option<i64>,
    pub updated_at: i64,
    /// When it first started waiting for an agent (kept when it is sent back).
    pub waiting_since: Option<i64>,
    /// When its current agent first answered (absent until they do).
    pub answered_at: Option<i64>,
    /// The customer's satisfaction rating, 1 to 5, once given after the end.
    #[schema(minimum = 1, maximum = 5)]
    pub rating: Option<i64>,
    /// The customer's comment with the rating.
    pub rating_comment: Option<String>,
    pub rated_at: Option<i64>,
    /// An agent's hold: exempt from auto-close until it ends.
    pub hold: bool,
    /// The newest message id the customer's window has shown (`null`: none yet).
    pub customer_read_to: Option<i64>,
    /// The newest message id an agent handling it has read; customer messages after it are
    /// unread.
    pub agent_read_to: Option<i64>,
}

/// One place in the queue.
#[derive(Debug, Serialize, ToSchema)]
pub struct QueuePlace {
    pub consultation_id: ConsultationId,
    pub room_id: RoomId,
    pub channel: Channel,
    pub category_id: Option<i64>,
    /// 1: next.
    pub position: u32,
    pub waiting_since: i64,
    /// From recent waiting times; `null` when there are too few to say.
    pub estimated_wait_ms: Option<i64>,
}

/// A request to hand a consultation to another agent.
#[derive(Debug, Serialize, ToSchema)]
pub struct Transfer {
    pub id: i64,
    pub site_id: SiteId,
    pub consultation_id: ConsultationId,
    pub from_agent_id: AgentId,
    pub to_agent_id: AgentId,
    pub note: String,
    /// `pending`, `accepted`, `declined`, `withdrawn` (by the sender) or `expired`.
    pub state: String,
    pub created_at: i64,
    /// When an unanswered request lapses (the consultation stays with the sender).
    pub expires_at: i64,
    pub answered_at: Option<i64>,
}

/// One entry of a consultation's timeline: who or what moved it.
#[derive(Debug, Serialize, ToSchema)]
pub struct TimelineEntry {
    pub id: i64,
    pub consultation_id: ConsultationId,
    /// `assigned` (by distribution), `taken`, `reassigned`, `transfer_requested`,
    /// `transferred`, `transfer_declined`, `transfer_expired`, `sent_back` or `reclaimed`.
    pub kind: String,
    /// Who did it; `null`: Sangdam itself (distribution, a timer).
    pub actor_id: Option<AgentId>,
    /// The agent it went to (or was asked to go to).
    pub agent_id: Option<AgentId>,
    /// The agent it came from.
    pub from_agent_id: Option<AgentId>,
    pub note: Option<String>,
    /// A `sent_back` into another category: the category and division it went into (`null`
    /// on every other entry)…
    pub category_id: Option<CategoryId>,
    pub division_id: Option<CategoryId>,
    /// …and those it had before.
    pub from_category_id: Option<CategoryId>,
    pub from_division_id: Option<CategoryId>,
    pub at: i64,
}

/// One arrival through a chat URL or a messenger, with what its parameters said.
#[derive(Debug, Serialize, ToSchema)]
pub struct Inflow {
    pub id: i64,
    pub consultation_id: ConsultationId,
    pub channel: Channel,
    pub raw: String,
    /// The parsed inflow: `channel`, `fields`, `custom`, `extra`, `warnings`.
    pub parameters: serde_json::Map<String, serde_json::Value>,
    pub warnings: Vec<Warning>,
    pub site_uid: Option<String>,
    pub verified: bool,
    pub referrer: Option<String>,
    pub user_agent: Option<String>,
    pub created_at: i64,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Sender {
    Customer,
    Agent,
    Bot,
    System,
}

/// One chat message.
#[derive(Debug, Serialize, ToSchema)]
pub struct Message {
    pub id: MessageId,
    pub room_id: RoomId,
    /// The message's number in its room: 1, 2, 3… in the order the room's messages were
    /// stored, without gaps. A reader that has `n` and then receives `n + 2` missed one and
    /// asks for the messages after `n`.
    #[schema(minimum = 1)]
    pub seq: i64,
    pub consultation_id: ConsultationId,
    pub sender: Sender,
    pub agent_id: Option<AgentId>,
    pub body: String,
    pub client_msg_id: Option<String>,
    /// How many characters the customer's message had when it was longer than Sangdam keeps
    /// (4000): a KakaoTalk or TalkTalk message is then stored cut, and this says so. Absent
    /// when the message is stored whole.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(minimum = 4001)]
    pub original_chars: Option<i64>,
    /// The image or file the message carries; its body is then the file's name. Absent on a
    /// message of text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<MessageFile>,
    pub created_at: i64,
    /// When a message to a messenger user reached their platform (a Kakao user's with their
    /// next message, a Naver user's when the send API took it). Absent until then, and on the
    /// web chat.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delivered_at: Option<i64>,
    /// A chatbot's answer (sender `bot`) as Kakao i Open Builder's skill template
    /// (`{"outputs": [...], "quickReplies": [...]}`): the chat window draws its cards, lists,
    /// carousels and buttons. `body` is its plain text. Absent on other messages.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub rich: Option<serde_json::Value>,
}

/// The image or file a message carries. Agents fetch it from `GET /files/{id}` (its thumbnail
/// from `GET /files/{id}/thumbnail`), a chat window from `GET /webchat/{site_id}/files/{id}`.
#[derive(Debug, Serialize, ToSchema)]
pub struct MessageFile {
    #[schema(value_type = i64, minimum = 1)]
    pub id: i64,
    pub kind: sangdam_core::file::FileKind,
    /// Read off the file's bytes when it was sent, never from its name.
    pub media_type: String,
    /// The name it is offered under (its extension is its real type's).
    pub name: String,
    /// Bytes.
    pub size: i64,
    /// Pixels, for an image Sangdam could read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub width: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub height: Option<i64>,
    /// Whether a thumbnail is served.
    pub thumbnail: bool,
}

/// One entry of a room's link journal: who set the room's ID, from what to what.
#[derive(Debug, Serialize, ToSchema)]
pub struct Link {
    pub id: i64,
    pub room_id: RoomId,
    /// `agent:<id>` or `inflow:<consultation id>`.
    pub actor: String,
    pub reason: String,
    pub from_profile_id: ProfileId,
    pub to_profile_id: ProfileId,
    pub from_site_uid: Option<String>,
    pub to_site_uid: Option<String>,
    pub created_at: i64,
    pub undone_at: Option<i64>,
    pub undone_by: Option<String>,
}

/// One change of a consultation's classification by an agent.
#[derive(Debug, Serialize, ToSchema)]
pub struct Classification {
    pub id: i64,
    pub consultation_id: ConsultationId,
    /// Who changed it.
    pub agent_id: AgentId,
    pub category_id: Option<CategoryId>,
    pub division_id: Option<CategoryId>,
    pub sub_label: Option<String>,
    pub created_at: i64,
}

/// The base chat URLs of the messenger channels; `null` while not set.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChannelUrls {
    pub kakao: Option<String>,
    pub naver: Option<String>,
}

#[cfg(test)]
pub(crate) mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use std::collections::BTreeSet;

    use serde_json::Value;
    use utoipa::PartialSchema;
    use utoipa::openapi::RefOr;
    use utoipa::openapi::schema::Schema;

    use super::*;

    pub(crate) fn described<T: PartialSchema>() -> BTreeSet<String> {
        match T::schema() {
            RefOr::T(Schema::Object(o)) => o.properties.keys().cloned().collect(),
            _ => panic!("not an object schema"),
        }
    }

    pub(crate) fn serialised(v: impl Serialize) -> BTreeSet<String> {
        match serde_json::to_value(v).unwrap() {
            Value::Object(o) => o.keys().cloned().collect(),
            other => panic!("not an object: {other}"),
        }
    }

    #[test]
    fn descriptions_have_the_records_keys() {
        let agent = store::AgentRecord {
            id: AgentId::new(1),
            site_id: SiteId::new(1),
            login: "l".into(),
            password_hash: "h".into(),
            display_name: "d".into(),
            role: store::Role::Agent,
            status: sangdam_core::Presence::Online,
            max_concurrent: 1,
            takes_consultations: true,
            last_seen_at: None,
            last_assigned_at: None,
            serves_categories: Vec::new(),
            serves_channels: Vec::new(),
            deactivated_at: None,
            group_id: Some(sangdam_core::GroupId::new(3)),
        };
        assert_eq!(serialised(&agent), described::<Agent>());
        let profile = store::ProfileRecord {
            id: ProfileId::new(1),
            site_id: SiteId::new(1),
            site_uid: None,
            verified: false,
            name: None,
            phone: None,
            email: None,
            mobile: None,
            mobile_method: None,
            mobile_verified_at: None,
            custom: Default::default(),
            grade: sangdam_core::Grade::Vip,
            flagged: true,
            created_at: 0,
            updated_at: 0,
        };
        assert_eq!(serialised(&profile), described::<Profile>());
        let room = store::RoomRecord {
            id: RoomId::new(1),
            site_id: SiteId::new(1),
            platform: "webchat".into(),
            channel: Channel::WebchatV2,
            customer_key: "k".into(),
            profile_id: ProfileId::new(1),
            created_at: 0,
        };
        assert_eq!(serialised(&room), described::<Room>());
        let consultation = store::ConsultationRecord {
            id: ConsultationId::new(1),
            site_id: SiteId::new(1),
            room_id: RoomId::new(1),
            channel: Channel::Kakao,
            state: ConsultationState::Waiting,
            state_code: 0,
            end_type: None,
            agent_id: None,
            closed_by: None,
            category_id: None,
            division_id: None,
            sub_label: Some("재문의".into()),
            user_parameter: None,
            custom: Default::default(),
            created_at: 0,
            assigned_at: None,
            first_response_at: None,
            closed_at: None,
            updated_at: 0,
            waiting_since: None,
            answered_at: None,
            rating: Some(4),
            rating_comment: Some("친절했어요".into()),
            rated_at: Some(1),
            hold: false,
            customer_read_to: Some(9),
            agent_read_to: None,
        };
        assert_eq!(serialised(&consultation), described::<Consultation>());
        let inflow = store::InflowRecord {
            id: 1,
            consultation_id: ConsultationId::new(1),
            channel: Channel::Naver,
            raw: String::new(),
            parameters: serde_json::json!({}),
            warnings: Vec::new(),
            site_uid: None,
            verified: false,
            referrer: None,
            user_agent: None,
            created_at: 0,
        };
        assert_eq!(serialised(&inflow), described::<Inflow>());
        let message = store::MessageRecord {
            id: MessageId::new(1),
            room_id: RoomId::new(1),
            seq: 1,
            consultation_id: ConsultationId::new(1),
            sender: store::Sender::Customer,
            agent_id: None,
            body: String::new(),
            client_msg_id: None,
            original_chars: Some(100_000),
            file: Some(store::FileRef {
                id: sangdam_core::FileId::new(1),
                kind: sangdam_core::file::FileKind::Image,
                media_type: "image/png".into(),
                name: "a.png".into(),
                size: 1,
                width: Some(1),
                height: Some(1),
                thumbnail: true,
            }),
            created_at: 0,
            delivered_at: Some(2),
            delivered_via: None,
            rich: Some(serde_json::json!({"outputs": []})),
        };
        assert_eq!(serialised(&message), described::<Message>());
        assert_eq!(
            serialised(message.file.as_ref().unwrap()),
            described::<MessageFile>()
        );
        let link = store::LinkRecord {
            id: 1,
            room_id: RoomId::new(1),
            actor: String::new(),
            reason: String::new(),
            from_profile_id: ProfileId::new(1),
            to_profile_id: ProfileId::new(2),
            from_site_uid: None,
            to_site_uid: None,
            created_at: 0,
            undone_at: None,
            undone_by: None,
        };
        assert_eq!(serialised(&link), described::<Link>());
        let classification = store::ClassificationRecord {
            id: 1,
            consultation_id: ConsultationId::new(1),
            agent_id: AgentId::new(1),
            category_id: Some(CategoryId::new(1)),
            division_id: None,
            sub_label: None,
            created_at: 0,
        };
        assert_eq!(serialised(&classification), described::<Classification>());
        let entry = store::TimelineEntry {
            id: 1,
            consultation_id: ConsultationId::new(1),
            kind: "sent_back".into(),
            actor_id: Some(AgentId::new(1)),
            agent_id: None,
            from_agent_id: Some(AgentId::new(1)),
            note: None,
            category_id: Some(CategoryId::new(2)),
            division_id: None,
            from_category_id: Some(CategoryId::new(1)),
            from_division_id: None,
            at: 0,
        };
        assert_eq!(serialised(&entry), described::<TimelineEntry>());
        assert_eq!(
            serialised(store::ChannelUrls::default()),
            described::<ChannelUrls>()
        );
    }

    #[test]
    fn enums_have_the_records_names() {
        for (role, name) in [
            (store::Role::Admin, "admin"),
            (store::Role::Manager, "manager"),
            (store::Role::Agent, "agent"),
        ] {
            assert_eq!(serde_json::to_value(role).unwrap(), name);
        }
        for (sender, mirror) in [
            (store::Sender::Customer, Sender::Customer),
            (store::Sender::Agent, Sender::Agent),
            (store::Sender::Bot, Sender::Bot),
            (store::Sender::System, Sender::System),
        ] {
            assert_eq!(
                serde_json::to_value(sender).unwrap(),
                serde_json::to_value(mirror).unwrap()
            );
        }
    }
}
