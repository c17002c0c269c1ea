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
    let event = SendEvent::text(room.customer_key.clone(), message.body.clone());
    match client.send(&event).await {
        Ok(()) => {
            store
                .mark_delivered(message.id, services.now())
                .await
                .map_err(store_error)?;
            Ok(())
        }
        // Naver read the request and refused it: sending it again changes nothing.
        Err(
            e @ (NaverError::BadRequest { .. } | NaverError::Invalid(_) | NaverError::Image { .. }),
        ) => Err(JobError::Fail(e.to_string())),
        // Outages, timeouts, a key being replaced: later.
        Err(e) => Err(JobError::Retry(e.to_string())),
    }
}

/// The scheduler with every handler the application has.
pub fn with_handlers(scheduler: Scheduler) -> Scheduler {
    scheduler.handle(NAVER_SEND, naver_send)
}
