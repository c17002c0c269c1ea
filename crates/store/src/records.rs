//! What the store hands back: plain records, decoded from rows.

use inflow::{Channel, Custom, Settings, Warning};
use sangdam_core::file::FileKind;
use sangdam_core::{
    AgentId, CategoryId, ConsultationId, ConsultationState, EndType, FileId, Grade, GroupId,
    MessageId, Presence, ProfileId, RoomId, SiteId,
};
// Domain rules (core decides what a role sees and which platform a channel keys into), named
// here too because records carry them and callers know them as `store::Role`.
pub use sangdam_core::{Role, platform};
use serde::{Deserialize, Serialize};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::error::StoreError;

pub(crate) fn col<'r, T>(row: &'r AnyRow, name: &str) -> Result<T, StoreError>
where
    T: sqlx::Decode<'r, sqlx::Any> + sqlx::Type<sqlx::Any>,
{
    Ok(row.try_get::<T, _>(name)?)
}

fn json<T: serde::de::DeserializeOwned>(row: &AnyRow, name: &str) -> Result<T, StoreError> {
    let text: String = col(row, name)?;
    Ok(serde_json::from_str(&text)?)
}

fn channel(row: &AnyRow) -> Result<Channel, StoreError> {
    let c: String = col(row, "channel")?;
    c.parse()
        .map_err(|_| StoreError::Corrupt(format!("unknown channel {c:?}")))
}

#[derive(Debug, Clone, Serialize)]
pub struct SiteRecord {
    pub id: SiteId,
    pub name: String,
    #[serde(skip)]
    pub secret: String,
    pub settings: Settings,
    pub require_verified_uid: bool,
    pub info_url_template: Option<String>,
    /// The origins whose pages may show the chat window in a frame (normalised
    /// `http(s)://host[:port]`, as the settings rules keep them).
    pub frame_origins: Vec<String>,
    /// The title message a consultation opens with (`inflow::TitleTemplate`); none when off.
    pub title_template: Option<String>,
    pub created_at: i64,
}

impl SiteRecord {
    pub(crate) fn from_row(row: &AnyRow) -> Result<Self, StoreError> {
        Ok(SiteRecord {
            id: SiteId::new(col(row, "id")?),
            name: col(row, "name")?,
            secret: col(row, "secret")?,
            settings: json(row, "settings")?,
            require_verified_uid: col::<i64>(row, "require_verified_uid")? != 0,
            info_url_template: col(row, "info_url_template")?,
            frame_origins: json(row, "frame_origins")?,
            title_template: col(row, "title_template")?,
            created_at: col(row, "created_at")?,
        })
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AgentRecord {
    pub id: AgentId,
    pub site_id: SiteId,
    pub login: String,
    #[serde(skip)]
    pub password_hash: String,
    pub display_name: String,
    pub role: Role,
    /// What the agent chose in the console header (see [`sangdam_core::effective_presence`]
    /// for what distribution counts).
    pub status: Presence,
    pub max_concurrent: i64,
    /// `false`: the "takes no consultations" switch is on.
    pub takes_consultations: bool,
    /// When a console of theirs was last known connected.
    pub last_seen_at: Option<i64>,
    /// When they were last given a consultation (round robin's turn).
    #[serde(skip)]
    pub last_assigned_at: Option<i64>,
    /// The categories they serve in `by_category` mode (empty: all).
    pub serves_categories: Vec<i64>,
    /// The channels they serve in `by_channel` mode (empty: all).
    pub serves_channels: Vec<Channel>,
    /// When the admin deactivated the account (`None`: active). A deactivated account cannot
    /// log in, has no sessions or API tokens, and is given no consultations.
    pub deactivated_at: Option<i64>,
    /// The group (team) the account belongs to; a manager leads the group they belong to.
    pub group_id: Option<GroupId>,
}

impl AgentRecord {
    /// Not deactivated.
    pub fn is_active(&self) -> bool {
        self.deactivated_at.is_none()
    }

    pub(crate) fn from_row(row: &AnyRow) -> Result<Self, StoreError> {
        let role: String = col(row, "role")?;
        Ok(AgentRecord {
            id: AgentId::new(col(row, "id")?),
            site_id: SiteId::new(col(row, "site_id")?),
            login: col(row, "login")?,
            password_hash: col(row, "password_hash")?,
            display_name: col(row, "display_name")?,
            role: Role::parse(&role)
                .ok_or_else(|| StoreError::Corrupt(format!("unknown role {role:?}")))?,
            status: {
                let status: String = col(row, "status")?;
                status
                    .parse()
                    .map_err(|_| StoreError::Corrupt(format!("unknown status {status:?}")))?
            },
            max_concurrent: col(row, "max_concurrent")?,
            takes_consultations: col::<i64>(row, "takes_consultations")? != 0,
            last_seen_at: col(row, "last_seen_at")?,
            last_assigned_at: col(row, "last_assigned_at")?,
            serves_categories: json(row, "serves_categories")?,
            serves_channels: json(row, "serves_channels")?,
            deactivated_at: col(row, "deactivated_at")?,
            group_id: col::<Option<i64>>(row, "group_id")?.map(GroupId::new),
        })
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct ProfileRecord {
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
    /// How the site treats the customer (R3.6).
    pub grade: Grade,
    /// An agent's flag on the customer, for anyone to notice.
    pub flagged: bool,
    pub created_at: i64,
    pub updated_at: i64,
}

impl ProfileRecord {
    pub(crate) fn from_row(row: &AnyRow) -> Result<Self, StoreError> {
        Ok(ProfileRecord {
            id: ProfileId::new(col(row, "id")?),
            site_id: SiteId::new(col(row, "site_id")?),
            site_uid: col(row, "site_uid")?,
            verified: col::<i64>(row, "verified")? != 0,
            name: col(row, "name")?,
            phone: col(row, "phone")?,
            email: col(row, "email")?,
            mobile: col(row, "mobile")?,
            mobile_method: col(row, "mobile_method")?,
            mobile_verified_at: col(row, "mobile_verified_at")?,
            custom: json(row, "custom")?,
            grade: col::<String>(row, "grade")?
                .parse()
                .map_err(|e: sangdam_core::CoreError| StoreError::Corrupt(e.to_string()))?,
            flagged: col::<i64>(row, "flagged")? != 0,
            created_at: col(row, "created_at")?,
            updated_at: col(row, "updated_at")?,
        })
    }

    pub fn data(&self) -> sangdam_core::ProfileData {
        sangdam_core::ProfileData {
            name: self.name.clone(),
            phone: self.phone.clone(),
            email: self.email.clone(),
            custom: self.custom.clone(),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct RoomRecord {
    pub id: RoomId,
    pub site_id: SiteId,
    pub platform: String,
    pub channel: Channel,
    pub customer_key: String,
    pub profile_id: ProfileId,
    pub created_at: i64,
}

impl RoomRecord {
    pub(crate) fn from_row(row: &AnyRow) -> Result<Self, StoreError> {
        Ok(RoomRecord {
            id: RoomId::new(col(row, "id")?),
            site_id: SiteId::new(col(row, "site_id")?),
            platform: col(row, "platform")?,
            channel: channel(row)?,
            customer_key: col(row, "customer_key")?,
            profile_id: ProfileId::new(col(row, "profile_id")?),
            created_at: col(row, "created_at")?,
        })
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ConsultationRecord {
    pub id: ConsultationId,
    pub site_id: SiteId,
    pub room_id: RoomId,
    pub channel: Channel,
    pub state: ConsultationState,
    pub state_code: i64,
    pub end_type: Option<EndType>,
    pub agent_id: Option<AgentId>,
    pub closed_by: Option<AgentId>,
    /// Its category and division in the site's tree (R3.2).
    pub category_id: Option<CategoryId>,
    pub division_id: Option<CategoryId>,
    /// The free-text sub-label an agent gave it.
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
    /// When its current agent first answered (`None` until they do).
    pub answered_at: Option<i64>,
    /// The customer's satisfaction rating, 1 to 5, once given (R3.8).
    pub rating: Option<i64>,
    pub rating_comment: Option<String>,
    pub rated_at: Option<i64>,
    /// An agent's hold: exempt from auto-close until it ends (R3.5).
    pub hold: bool,
    /// The newest message of the consultation the customer's window has shown (read marks).
    pub customer_read_to: Option<i64>,
    /// The newest message an agent handling it has read; customer messages after it are
    /// unread.
    pub agent_read_to: Option<i64>,
}

impl ConsultationRecord {
    pub(crate) fn from_row(row: &AnyRow) -> Result<Self, StoreError> {
        let code: i64 = col(row, "state")?;
        let end_type: Option<String> = col(row, "end_type")?;
        Ok(ConsultationRecord {
            id: ConsultationId::new(col(row, "id")?),
            site_id: SiteId::new(col(row, "site_id")?),
            room_id: RoomId::new(col(row, "room_id")?),
            channel: channel(row)?,
            state: ConsultationState::from_code(code)
                .ok_or_else(|| StoreError::Corrupt(format!("unknown state {code}")))?,
            state_code: code,
            end_type: match end_type {
                None => None,
                Some(e) => Some(
                    e.parse()
                        .map_err(|_| StoreError::Corrupt(format!("unknown end type {e:?}")))?,
                ),
            },
            agent_id: col::<Option<i64>>(row, "agent_id")?.map(AgentId::new),
            closed_by: col::<Option<i64>>(row, "closed_by")?.map(AgentId::new),
            category_id: col::<Option<i64>>(row, "category_id")?.map(CategoryId::new),
            division_id: col::<Option<i64>>(row, "division_id")?.map(CategoryId::new),
            sub_label: col(row, "sub_label")?,
            user_parameter: col(row, "user_parameter")?,
            custom: json(row, "custom")?,
            created_at: col(row, "created_at")?,
            assigned_at: col(row, "assigned_at")?,
            first_response_at: col(row, "first_response_at")?,
            closed_at: col(row, "closed_at")?,
            updated_at: col(row, "updated_at")?,
            waiting_since: col(row, "waiting_since")?,
            answered_at: col(row, "answered_at")?,
            rating: col(row, "rating")?,
            rating_comment: col(row, "rating_comment")?,
            rated_at: col(row, "rated_at")?,
            hold: col::<i64>(row, "hold")? != 0,
            customer_read_to: col(row, "customer_read_to")?,
            agent_read_to: col(row, "agent_read_to")?,
        })
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct InflowRecord {
    pub id: i64,
    pub consultation_id: ConsultationId,
    pub channel: Channel,
    pub raw: String,
    /// The parsed inflow as the chat-URL engine produced it (fields, custom, extra).
    pub parameters: serde_json::Value,
    pub warnings: Vec<Warning>,
    pub site_uid: Option<String>,
    pub verified: bool,
    pub referrer: Option<String>,
    pub user_agent: Option<String>,
    pub created_at: i64,
}

impl InflowRecord {
    pub(crate) fn from_row(row: &AnyRow) -> Result<Self, StoreError> {
        Ok(InflowRecord {
            id: col(row, "id")?,
            consultation_id: ConsultationId::new(col(row, "consultation_id")?),
            channel: channel(row)?,
            raw: col(row, "raw")?,
            parameters: json(row, "parsed")?,
            warnings: json(row, "warnings")?,
            site_uid: col(row, "site_uid")?,
            verified: col::<i64>(row, "verified")? != 0,
            referrer: col(row, "referrer")?,
            user_agent: col(row, "user_agent")?,
            created_at: col(row, "created_at")?,
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sender {
    Customer,
    Agent,
    Bot,
    System,
}

impl Sender {
    pub fn as_str(self) -> &'static str {
        match self {
            Sender::Customer => "customer",
            Sender::Agent => "agent",
            Sender::Bot => "bot",
            Sender::System => "system",
        }
    }

    fn parse(s: &str) -> Option<Sender> {
        match s {
            "customer" => Some(Sender::Customer),
            "agent" => Some(Sender::Agent),
            "bot" => Some(Sender::Bot),
            "system" => Some(Sender::System),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MessageRecord {
    pub id: MessageId,
    pub room_id: RoomId,
    /// The message's number in its room: 1, 2, 3… in the order the room's messages were
    /// committed, without gaps (a reader that saw `n` and then gets `n + 2` missed one).
    pub seq: i64,
    pub consultation_id: ConsultationId,
    pub sender: Sender,
    pub agent_id: Option<AgentId>,
    pub body: String,
    pub client_msg_id: Option<String>,
    /// How long the message was before it was cut to what Sangdam keeps (a messenger's text
    /// over the limit); absent when stored whole.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub original_chars: Option<i64>,
    /// The image or file the message carries (its body is then the file's name).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<FileRef>,
    pub created_at: i64,
    /// When a message to a messenger user reached their platform (a Kakao user's with their
    /// next request, a Naver user's when the send API took it); absent until then, and on the
    /// web chat, where the window is told at once.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delivered_at: Option<i64>,
    /// How a message to a KakaoTalk user went out: `callback` (at once, through the callback of
    /// their last request), `event_api` (through the Event API, billed), `next_message` (with
    /// the answer to their next message); absent until then and on other channels.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delivered_via: Option<String>,
    /// A bot's answer as Open Builder's template (the chat window draws its cards and
    /// buttons; `body` is its plain text).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rich: Option<serde_json::Value>,
}

/// What a message says of the file it carries: enough to show it (a thumbnail's size, a
/// download's name), not where it is stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileRef {
    pub id: FileId,
    pub kind: FileKind,
    pub media_type: String,
    pub name: String,
    pub size: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub width: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub height: Option<i64>,
    /// Whether a thumbnail is served (images Sangdam could read).
    pub thumbnail: bool,
}

impl FileRef {
    /// The file columns of a message row (`file_*`, see `message_select!`); `None` for a
    /// message without a file, or a row read without them.
    fn from_message_row(row: &AnyRow) -> Result<Option<Self>, StoreError> {
        let Some(id) = col::<Option<i64>>(row, "file_id")? else {
            return Ok(None);
        };
        let Ok(Some(kind)) = row.try_get::<Option<String>, _>("file_kind") else {
            return Ok(None);
        };
        Ok(Some(FileRef {
            id: FileId::new(id),
            kind: parse_file_kind(&kind)?,
            media_type: col(row, "file_media_type")?,
            name: col(row, "file_name")?,
            size: col(row, "file_size")?,
            width: col(row, "file_width")?,
            height: col(row, "file_height")?,
            thumbnail: col::<Option<String>>(row, "file_thumb")?.is_some(),
        }))
    }
}

/// A kind as stored.
pub(crate) fn parse_file_kind(s: &str) -> Result<FileKind, StoreError> {
    FileKind::ALL
        .into_iter()
        .find(|k| k.as_str() == s)
        .ok_or_else(|| StoreError::Corrupt(format!("unknown file kind {s:?}")))
}

impl MessageRecord {
    pub(crate) fn from_row(row: &AnyRow) -> Result<Self, StoreError> {
        let sender: String = col(row, "sender")?;
        Ok(MessageRecord {
            id: MessageId::new(col(row, "id")?),
            room_id: RoomId::new(col(row, "room_id")?),
            seq: col(row, "seq")?,
            consultation_id: ConsultationId::new(col(row, "consultation_id")?),
            sender: Sender::parse(&sender)
                .ok_or_else(|| StoreError::Corrupt(format!("unknown sender {sender:?}")))?,
            agent_id: col::<Option<i64>>(row, "agent_id")?.map(AgentId::new),
            body: col(row, "body")?,
            client_msg_id: col(row, "client_msg_id")?,
            original_chars: col(row, "original_chars")?,
            file: FileRef::from_message_row(row)?,
            created_at: col(row, "created_at")?,
            delivered_at: col(row, "delivered_at")?,
            delivered_via: col(row, "delivered_via")?,
            rich: col::<Option<String>>(row, "rich")?
                .map(|t| serde_json::from_str(&t))
                .transpose()?,
        })
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct VisitorRecord {
    pub id: i64,
    pub site_id: SiteId,
    pub room_id: RoomId,
    /// Whether the window sees the room's history: a verified ID, or a room of its own. An
    /// unverified ID's window sees only its own consultation.
    pub verified: bool,
    /// Messages up to this number of the room's sequence are earlier consultations' history,
    /// hidden from a window that does not see the room's history.
    pub since_seq: i64,
    /// The consultation the window takes part in (opened or joined).
    pub consultation_id: Option<ConsultationId>,
    /// Whether the window holds an inflow waiting for its first message to open a
    /// consultation.
    pub has_pending_inflow: bool,
}

impl VisitorRecord {
    pub(crate) fn from_row(row: &AnyRow) -> Result<Self, StoreError> {
        Ok(VisitorRecord {
            id: col(row, "id")?,
            site_id: SiteId::new(col(row, "site_id")?),
            room_id: RoomId::new(col(row, "room_id")?),
            verified: col::<i64>(row, "verified")? != 0,
            since_seq: col(row, "since_seq")?,
            consultation_id: col::<Option<i64>>(row, "consultation_id")?.map(ConsultationId::new),
            has_pending_inflow: col::<Option<String>>(row, "pending_inflow")?.is_some(),
        })
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct LinkRecord {
    pub id: i64,
    pub room_id: RoomId,
    /// Who linked: `agent:<id>` or `inflow:<consultation id>`.
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

impl LinkRecord {
    pub(crate) fn from_row(row: &AnyRow) -> Result<Self, StoreError> {
        Ok(LinkRecord {
            id: col(row, "id")?,
            room_id: RoomId::new(col(row, "room_id")?),
            actor: col(row, "actor")?,
            reason: col(row, "reason")?,
            from_profile_id: ProfileId::new(col(row, "from_profile_id")?),
            to_profile_id: ProfileId::new(col(row, "to_profile_id")?),
            from_site_uid: col(row, "from_site_uid")?,
            to_site_uid: col(row, "to_site_uid")?,
            created_at: col(row, "created_at")?,
            undone_at: col(row, "undone_at")?,
            undone_by: col(row, "undone_by")?,
        })
    }
}
