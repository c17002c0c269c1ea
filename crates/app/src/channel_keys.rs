//! The keys messenger platforms' requests must carry: checked before anything of a Kakao
//! skill request or a Naver webhook is read, shown to the site's admin, rotated with grace.

use sangdam_core::{KeyCheck, MessengerPlatform, SiteId, check_channel_key, grace_until};
use store::ChannelKeyRecord;

use crate::Services;
use crate::error::AppError;
use crate::secrets::random_token;

impl Services {
    /// The site's key for `platform` (made now for a site that has none yet).
    pub async fn channel_key(
        &self,
        site: SiteId,
        platform: MessengerPlatform,
    ) -> Result<ChannelKeyRecord, AppError> {
        Ok(self
            .store
            .ensure_channel_key(site, platform, &random_token(), self.now())
            .await?)
    }

    /// Whether a request of `platform` for `site` carries the site's key: the current one, or
    /// the previous one within its grace period. Refused with
    /// [`AppError::ChannelKeyRefused`], before the request is read any further.
    pub async fn check_channel_key(
        &self,
        site: SiteId,
        platform: MessengerPlatform,
        given: Option<&str>,
    ) -> Result<(), AppError> {
        let stored = self.channel_key(site, platform).await?;
        match check_channel_key(stored.keys(), given, self.now()) {
            KeyCheck::Current | KeyCheck::Previous => Ok(()),
            KeyCheck::Missing => Err(AppError::ChannelKeyRefused(format!(
                "this {} request carries no channel key: use the webhook URL shown on the \
                 site's channel settings page (it ends in ?key=…)",
                platform.as_str()
            ))),
            KeyCheck::Wrong => Err(AppError::ChannelKeyRefused(format!(
                "the channel key of this {} request is not the site's (it may have been \
                 rotated): use the webhook URL shown on the site's channel settings page",
                platform.as_str()
            ))),
        }
    }

    /// A new key for `platform`; the old one keeps working for `grace_ms` (0: not at all,
    /// at most a week).
    pub async fn rotate_channel_key(
        &self,
        site: SiteId,
        platform: MessengerPlatform,
        grace_ms: i64,
    ) -> Result<ChannelKeyRecord, AppError> {
        // A site without a key yet gets one first, so there is something to rotate.
        self.channel_key(site, platform).await?;
        let now = self.now();
        Ok(self
            .store
            .rotate_channel_key(
                site,
                platform,
                &random_token(),
                grace_until(now, grace_ms),
                now,
            )
            .await?)
    }
}
