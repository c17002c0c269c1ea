//! Web chat: a browser opens a chat URL (an inflow), then reads and writes the room's
//! messages with the visitor credential it was given.

use inflow::{Channel, Warning};
use sangdam_core::{
    ChannelUser, ConsultationId, IdentityPolicy, RoomId, SiteId, VisitorKey, customer_key,
    resolve_identity,
};
use serde::Serialize;
use store::{InflowRequest, MessageRecord, NewMessage, Sender, Target, VisitorRecord};

use crate::Services;
use crate::error::{AppError, Refusal};
use crate::events::Event;
use crate::secrets::{random_bytes, token_hash};

/// Longest chat URL accepted (browsers cut at about this much anyway).
pub const MAX_URL_CHARS: usize = 8192;
/// Longest message, in characters.
pub const MAX_MESSAGE_CHARS: usize = 4000;
/// Longest client message id.
pub const MAX_CLIENT_ID_CHARS: usize = 64;
/// Longest Referer or User-Agent kept with an inflow.
pub const MAX_HEADER_CHARS: usize = 500;

/// A browser opening a chat URL.
#[derive(Debug, Clone, Copy)]
pub struct OpenChat<'a> {
    pub site: SiteId,
    pub channel: Channel,
    pub url: &'a str,
    /// The credential the browser kept from an earlier visit, if any.
    pub visitor: Option<&'a str>,
    pub referrer: Option<&'a str>,
    pub user_agent: Option<&'a str>,
}

/// What the chat window needs to go on.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChatSession {
    /// The browser's credential (new, or the one it brought).
    pub visitor: String,
    pub room_id: RoomId,
    pub consultation_id: ConsultationId,
    pub customer_key: String,
    pub verified: bool,
    /// Whether this visitor sees earlier consultations' messages (R2.8).
    pub sees_history: bool,
    pub warnings: Vec<Warning>,
}

fn cut(s: Option<&str>) -> Option<&str> {
    s.map(|v| match v.char_indices().nth(MAX_HEADER_CHARS) {
        Some((at, _)) => &v[..at],
        None => v,
    })
}

/// A message body as stored: trimmed, not empty, within [`MAX_MESSAGE_CHARS`].
pub fn check_body(body: &str) -> Result<&str, AppError> {
    let trimmed = body.trim();
    if trimmed.is_empty() {
        return Err(AppError::invalid(
            Refusal::EmptyMessage,
            "the message is empty",
        ));
    }
    if trimmed.chars().count() > MAX_MESSAGE_CHARS {
        return Err(AppError::invalid(
            Refusal::TooLong,
            format!("a message has at most {MAX_MESSAGE_CHARS} characters"),
        ));
    }
    Ok(trimmed)
}

fn check_client_id(id: Option<&str>) -> Result<Option<&str>, AppError> {
    match id {
        Some(id) if id.is_empty() || id.chars().count() > MAX_CLIENT_ID_CHARS => {
            Err(AppError::invalid(
                Refusal::InvalidClientMsgId,
                format!("client_msg_id has 1 to {MAX_CLIENT_ID_CHARS} characters"),
            ))
        }
        other => Ok(other),
    }
}

impl Services {
    /// A browser opens a chat URL: the inflow is parsed, the ID checked, the room found or
    /// made, the consultation opened or joined, and the browser given its credential.
    pub async fn open_chat(&self, req: OpenChat<'_>) -> Result<ChatSession, AppError> {
        let site = self.store.site(req.site).await?;
        if !matches!(req.channel, Channel::WebchatV1 | Channel::WebchatV2) {
            return Err(AppError::invalid(
                Refusal::InvalidChannel,
                format!(
                    "web chat sessions are webchat_v1 or webchat_v2, not {:?}",
                    req.channel.as_str()
                ),
            ));
        }
        if req.url.chars().count() > MAX_URL_CHARS {
            return Err(AppError::invalid(
                Refusal::TooLong,
                format!("the chat URL is longer than {MAX_URL_CHARS} characters"),
            ));
        }
        let inflow = inflow::parse(req.channel, req.url, &site.settings);
        let identity = resolve_identity(
            &inflow.fields,
            site.secret.as_bytes(),
            IdentityPolicy {
                require_verified_uid: site.require_verified_uid,
            },
        );

        // The browser's credential: reuse it when it is one of this site's, else issue a new
        // one.
        let mut existing: Option<VisitorRecord> = None;
        let mut key: Option<VisitorKey> = None;
        if let Some(given) = req.visitor.and_then(|v| VisitorKey::parse(v).ok())
            && let Some(v) = self.store.visitor(&token_hash(given.as_str())).await?
            && v.site_id == site.id
        {
            existing = Some(v);
            key = Some(given);
        }
        let key = key.unwrap_or_else(|| VisitorKey::from_random(random_bytes::<24>()));

        let ckey = customer_key(
            site.id,
            req.channel,
            identity.site_uid.as_deref(),
            ChannelUser::Visitor(&key),
        )?;
        let mut warnings = inflow.warnings.clone();
        warnings.extend(identity.warnings.iter().cloned());
        let now = self.now();
        let result = self
            .store
            .record_inflow(InflowRequest {
                site: site.id,
                channel: req.channel,
                customer_key: &ckey,
                identity: &identity,
                inflow: &inflow,
                warnings: &warnings,
                raw: req.url,
                referrer: cut(req.referrer),
                user_agent: cut(req.user_agent),
                now,
            })
            .await?;
        let room = result.room.id;

        // History privacy (R2.8): an ID nobody vouched for must not reveal earlier messages.
        // A room without an ID belongs to this browser alone, so its history is the visitor's
        // own.
        let sees_history = sangdam_core::customer_may_see_history(identity.verified)
            || identity.site_uid.is_none();
        let since = if sees_history {
            0
        } else {
            match &existing {
                Some(v) if v.room_id == room && !v.verified => v.since_message_id,
                _ => self.store.last_message_id(room).await?,
            }
        };
        let key_hash = token_hash(key.as_str());
        match existing {
            Some(v) => {
                self.store
                    .update_visitor(v.id, room, sees_history, since, now)
                    .await?
            }
            None => {
                self.store
                    .create_visitor(site.id, &key_hash, room, sees_history, since, now)
                    .await?
            }
        };
        self.publish([Event::consultation(&result.consultation)]);
        Ok(ChatSession {
            visitor: key.as_str().to_owned(),
            room_id: room,
            consultation_id: result.consultation.id,
            customer_key: ckey.as_str().to_owned(),
            verified: identity.verified,
            sees_history,
            warnings,
        })
    }

    /// The visitor a browser's credential belongs to, on `site`.
    pub async fn visitor(&self, site: SiteId, credential: &str) -> Result<VisitorRecord, AppError> {
        let key = VisitorKey::parse(credential).map_err(|_| AppError::Unauthorized)?;
        match self.store.visitor(&token_hash(key.as_str())).await? {
            Some(v) if v.site_id == site => Ok(v),
            _ => Err(AppError::Unauthorized),
        }
    }

    /// The room's messages a visitor may see, after `after`.
    pub async fn visitor_messages(
        &self,
        v: &VisitorRecord,
        after: i64,
        limit: i64,
    ) -> Result<Vec<MessageRecord>, AppError> {
        let after = after.max(v.since_message_id);
        Ok(self.store.room_messages(v.room_id, after, limit).await?)
    }

    /// A customer writes in the chat window. Answers the stored message and whether this call
    /// stored it (`false`: a retry of one stored before, same `client_msg_id`). It goes live
    /// from the message writer.
    pub async fn customer_send(
        &self,
        v: &VisitorRecord,
        body: &str,
        client_msg_id: Option<&str>,
    ) -> Result<(MessageRecord, bool), AppError> {
        let body = check_body(body)?;
        let client_id = check_client_id(client_msg_id)?;
        Ok(self
            .store
            .add_message(NewMessage {
                site: v.site_id,
                room: v.room_id,
                // Whichever is open when it is written; a closed consultation refuses it.
                target: Target::OpenOfRoom,
                sender: Sender::Customer,
                agent: None,
                body,
                client_msg_id: client_id,
                outbound: None,
                now: self.now(),
            })
            .await?)
    }
}
