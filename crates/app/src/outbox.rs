//! The outbox: messages that leave Sangdam for a messenger's API go as durable jobs, enqueued
//! in the transaction that stores the message, and sent by the scheduler. An outage of the
//! messenger delays them (retried with backoff); it neither loses nor reorders them (a room's
//! deliveries are one queue, sent one at a time in order).

use protocol::naver::{NaverError, SendEvent};
use sangdam_core::MessageId;
use serde::Deserialize;
use store::{JobRecord, StoreError};

use crate::Services;
use crate::scheduler::{JobError, Scheduler};

/// Jobs sending an agent's reply (or the title message) to a Naver TalkTalk user.
pub const NAVER_SEND: &str = "naver.send";
/// Attempts before a delivery is given up: with the default backoff (1 s doubling up to
/// 10 min) about six hours of outage.
pub const MAX_ATTEMPTS: u32 = 40;

#[derive(Debug, Deserialize)]
struct Delivery {
    message_id: i64,
    /// Buttons under the message, by name (see `store::Outbound::buttons`).
    #[serde(default)]
    buttons: Option<String>,
}

/// Rating code of a quick reply: `rating:4`. A button sends its code back with its title,
/// which reads as the score even where a customer's typed text would not.
pub(crate) const RATING_CODE: &str = "rating:";

/// The buttons named `name`, as TalkTalk quick replies; none for a name this build does not
/// know (a job enqueued by a newer one): the message goes without them.
fn naver_buttons(name: &str) -> Option<protocol::naver::QuickReply> {
    match name {
        "rating" => Some(protocol::naver::QuickReply {
            button_list: sangdam_core::rating::quick_replies(crate::CUSTOMER_LANG)
                .into_iter()
                .map(|q| {
                    protocol::naver::Button::text(
                        q.label,
                        Some(format!("{RATING_CODE}{}", q.score.get())),
                    )
                })
                .collect(),
        }),
        _ => None,
    }
}

fn store_error(e: StoreError) -> JobError {
    match e {
        StoreError::NotFound(what) => JobError::Fail(format!("{what} not found")),
        other => JobError::Retry(other.to_string()),
    }
}

/// Sends one stored message (an agent's reply, the title message) to its Naver user.
pub async fn naver_send(services: Services, job: JobRecord) -> Result<(), JobError> {
    let d: Delivery = serde_json::from_str(&job.payload)
        .map_err(|e| JobError::Fail(format!("unreadable payload: {e}")))?;
    let store = &services.store;
    let message = store
        .message(MessageId::new(d.message_id))
        .await
        .map_err(store_error)?;
    let room = store.room(message.room_id).await.map_err(store_error)?;
    let Some(client) = services.naver() else {
        return Err(JobError::Retry(
            "the Naver send API is not configured".into(),
        ));
    };
    // A bot's answer: its cards and buttons as TalkTalk messages, in order.
    if let Some(template) = message
        .rich
        .as_ref()
        .and_then(|v| serde_json::from_value::<protocol::kakao::SkillTemplate>(v.clone()).ok())
    {
        for event in bot::naver::messages(&template, &room.customer_key) {
            send_one(client, &event).await?;
        }
        return delivered(&services, &message, room.site_id).await;
    }
    let mut event = match &message.file {
        Some(f) => match services.messenger_file(f).await {
            Ok(crate::files::MessengerFile::Image { url, .. }) => {
                SendEvent::image(room.customer_key.clone(), url)
            }
            Ok(crate::files::MessengerFile::Text(text)) => {
                SendEvent::text(room.customer_key.clone(), text)
            }
            Err(e) => return Err(JobError::Retry(e.to_string())),
        },
        None => SendEvent::text(room.customer_key.clone(), message.body.clone()),
    };
    if let Some(buttons) = d.buttons.as_deref().and_then(naver_buttons) {
        event = event.with_quick_reply(buttons);
    }
    send_one(client, &event).await?;
    delivered(&services, &message, room.site_id).await
}

/// Sends one event: a refusal Naver gave after reading it fails the job (sending it again
/// changes nothing); outages, timeouts, a key being replaced retry it later.
async fn send_one(
    client: &protocol::naver::NaverClient,
    event: &SendEvent,
) -> Result<(), JobError> {
    match client.send(event).await {
        Ok(()) => Ok(()),
        Err(
            e @ (NaverError::BadRequest { .. } | NaverError::Invalid(_) | NaverError::Image { .. }),
        ) => Err(JobError::Fail(e.to_string())),
        Err(e) => Err(JobError::Retry(e.to_string())),
    }
}

/// Marks a message delivered and says so.
async fn delivered(
    services: &Services,
    message: &store::MessageRecord,
    site: sangdam_core::SiteId,
) -> Result<(), JobError> {
    let now = services.now();
    services
        .store
        .mark_delivered(message.id, now)
        .await
        .map_err(store_error)?;
    services.publish(crate::Event::delivered(
        site,
        std::slice::from_ref(message),
        now,
    ));
    Ok(())
}

/// The scheduler with every handler the application has.
pub fn with_handlers(scheduler: Scheduler) -> Scheduler {
    scheduler.handle(NAVER_SEND, naver_send).handle(
        crate::messenger_images::NAVER_IMAGE,
        crate::messenger_images::naver_image,
    )
}
