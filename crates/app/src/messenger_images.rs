//! A Naver TalkTalk user's image (`imageContent`): the message is stored at once with the
//! image's address in words, so nothing waits on Naver's image host and nothing is lost; a
//! durable job then fetches the image (within the site's file rules), keeps it as any file is
//! kept, attaches it to the message and publishes the message again, now with its image.

use protocol::naver::NaverError;
use sangdam_core::MessageId;
use serde::{Deserialize, Serialize};
use store::{JobRecord, MessageRecord, NewJob, RoomRecord, StoreError};

use crate::Services;
use crate::error::AppError;
use crate::events::Event;
use crate::scheduler::JobError;

/// Jobs fetching a Naver user's image into the file storage.
pub const NAVER_IMAGE: &str = "naver.image";
/// Attempts before an image is given up (the message keeps its address in words).
const MAX_ATTEMPTS: u32 = 12;

#[derive(Debug, Serialize, Deserialize)]
struct Fetch {
    message_id: i64,
    url: String,
}

impl Services {
    /// Enqueues the fetch of the image `url` for `message` (the user's, already stored).
    pub async fn fetch_messenger_image(
        &self,
        message: &MessageRecord,
        url: &str,
    ) -> Result<(), AppError> {
        let payload = serde_json::to_string(&Fetch {
            message_id: message.id.get(),
            url: url.to_owned(),
        })
        .map_err(|e| AppError::Internal(e.to_string()))?;
        let key = format!("{NAVER_IMAGE}:{}", message.id);
        self.store
            .enqueue(
                &NewJob {
                    kind: NAVER_IMAGE,
                    payload: &payload,
                    queue: None,
                    idempotency_key: Some(&key),
                    due_at: self.now(),
                    max_attempts: MAX_ATTEMPTS,
                },
                self.now(),
            )
            .await?;
        Ok(())
    }
}

fn store_error(e: StoreError) -> JobError {
    match e {
        StoreError::NotFound(what) => JobError::Fail(format!("{what} not found")),
        other => JobError::Retry(other.to_string()),
    }
}

/// The name a fetched image is kept under: the last part of its address's path, or "image".
fn image_name(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let path = rest.split(['?', '#']).next().unwrap_or("");
    let path = path.split_once('/').map_or("", |(_, p)| p);
    match path.rsplit('/').next().map(str::trim) {
        Some(last) if !last.is_empty() => last.to_owned(),
        _ => "image".to_owned(),
    }
}

/// Fetches one user's image and attaches it to its message.
pub async fn naver_image(services: Services, job: JobRecord) -> Result<(), JobError> {
    let f: Fetch = serde_json::from_str(&job.payload)
        .map_err(|e| JobError::Fail(format!("unreadable payload: {e}")))?;
    let store = &services.store;
    let message = store
        .message(MessageId::new(f.message_id))
        .await
        .map_err(store_error)?;
    if message.file.is_some() {
        return Ok(());
    }
    let room: RoomRecord = store.room(message.room_id).await.map_err(store_error)?;
    let Some(client) = services.naver() else {
        return Err(JobError::Retry(
            "the Naver send API is not configured".into(),
        ));
    };
    let rules = store.file_rules(room.site_id).await.map_err(store_error)?;
    let bytes = match client.fetch_image(&f.url, rules.max_bytes).await {
        Ok(b) => b,
        Err(e) if e.is_retryable() => return Err(JobError::Retry(e.to_string())),
        Err(e @ (NaverError::Transport(_) | NaverError::Http(408 | 425 | 429))) => {
            return Err(JobError::Retry(e.to_string()));
        }
        Err(e) => return Err(JobError::Fail(e.to_string())),
    };
    let kept = services
        .keep_file(room.site_id, room.id, &image_name(&f.url), bytes)
        .await
        .map_err(|e| match e {
            AppError::Rule(_) => JobError::Fail(e.to_string()),
            other => JobError::Retry(other.to_string()),
        })?;
    if !store
        .attach_file(message.id, kept.id)
        .await
        .map_err(store_error)?
    {
        services.drop_unsent(kept.id).await;
        return Ok(());
    }
    let message = store.message(message.id).await.map_err(store_error)?;
    services.publish([Event::Message {
        site_id: room.site_id,
        message,
    }]);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::image_name;

    #[test]
    fn names_come_from_the_path() {
        assert_eq!(
            image_name("https://talk.pstatic.net/a/b/photo.jpg?type=w1"),
            "photo.jpg"
        );
        assert_eq!(image_name("https://talk.pstatic.net/"), "image");
        assert_eq!(image_name("https://talk.pstatic.net"), "image");
        assert_eq!(image_name(""), "image");
    }
}
