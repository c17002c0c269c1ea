//! What a site's admin edits on the parameter page: the parameter and identity settings, the
//! consultation-info URL template, the title message, the base chat URLs of the messenger channels and the origins
//! allowed to frame the chat window, saved together in one statement so a save is all or
//! nothing.

use inflow::Settings;
use sangdam_core::SiteId;
use serde::{Deserialize, Serialize};

use crate::db::Store;
use crate::error::StoreError;
use crate::records::{SiteRecord, col};

/// The base chat URLs of the channels whose URL belongs to the platform, not to Sangdam: the
/// site's KakaoTalk channel chat URL (`https://pf.kakao.com/_abc/chat`) and its Naver TalkTalk
/// URL (`https://talk.naver.com/ct/w4abcd`). `None` while the site has not set one.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChannelUrls {
    #[serde(default)]
    pub kakao: Option<String>,
    #[serde(default)]
    pub naver: Option<String>,
}

/// Everything the parameter page saves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteSettings<'a> {
    pub settings: &'a Settings,
    pub require_verified_uid: bool,
    pub info_url_template: Option<&'a str>,
    pub title_template: Option<&'a str>,
    pub channel_urls: &'a ChannelUrls,
    pub frame_origins: &'a [String],
}

impl Store {
    /// The site's channel base URLs.
    pub async fn channel_urls(&self, site: SiteId) -> Result<ChannelUrls, StoreError> {
        let row = sqlx::query("SELECT channel_urls FROM sites WHERE id = $1")
            .bind(site.get())
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound("site"))?;
        let text: String = col(&row, "channel_urls")?;
        Ok(serde_json::from_str(&text)?)
    }

    /// Saves a site's settings, identity switch, templates, channel URLs and frame origins at
    /// once.
    pub async fn save_site_settings(
        &self,
        site: SiteId,
        s: &SiteSettings<'_>,
    ) -> Result<(SiteRecord, ChannelUrls), StoreError> {
        let _w = self.write_guard().await;
        let row = sqlx::query(
            "UPDATE sites SET settings = $1, require_verified_uid = $2, info_url_template = $3, \
             channel_urls = $4, frame_origins = $5, title_template = $6 WHERE id = $7 \
             RETURNING *",
        )
        .bind(serde_json::to_string(s.settings)?)
        .bind(i64::from(s.require_verified_uid))
        .bind(s.info_url_template)
        .bind(serde_json::to_string(s.channel_urls)?)
        .bind(serde_json::to_string(s.frame_origins)?)
        .bind(s.title_template)
        .bind(site.get())
        .fetch_optional(&self.pool)
        .await?
        .ok_or(StoreError::NotFound("site"))?;
        let text: String = col(&row, "channel_urls")?;
        Ok((SiteRecord::from_row(&row)?, serde_json::from_str(&text)?))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[tokio::test]
    async fn settings_and_channel_urls_round_trip() {
        let dir = std::env::temp_dir().join(format!(
            "sangdam-site-settings-{}-{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        let store = Store::connect(dir.join("t.db").to_str().unwrap())
            .await
            .unwrap();
        let site = store
            .create_site("s", "secret", &Settings::default(), 1)
            .await
            .unwrap();
        assert_eq!(
            store.channel_urls(site.id).await.unwrap(),
            ChannelUrls::default()
        );
        assert!(site.frame_origins.is_empty());

        let mut settings = Settings::default();
        settings.slots[2].enabled = true;
        settings.slots[2].description = "캠페인".into();
        let urls = ChannelUrls {
            kakao: Some("https://pf.kakao.com/_abc/chat".into()),
            naver: None,
        };
        let (saved, saved_urls) = store
            .save_site_settings(
                site.id,
                &SiteSettings {
                    settings: &settings,
                    require_verified_uid: true,
                    info_url_template: Some("https://crm.example.com/?id=[site_uid]"),
                    title_template: Some("[[category_name]] 접수"),
                    channel_urls: &urls,
                    frame_origins: &["https://shop.example".to_owned()],
                },
            )
            .await
            .unwrap();
        assert_eq!(saved.settings, settings);
        assert!(saved.require_verified_uid);
        assert_eq!(saved_urls, urls);
        assert_eq!(store.channel_urls(site.id).await.unwrap(), urls);
        let again = store.site(site.id).await.unwrap();
        assert_eq!(again.settings, settings);
        assert_eq!(again.frame_origins, ["https://shop.example"]);
        assert_eq!(
            again.title_template.as_deref(),
            Some("[[category_name]] 접수")
        );
        assert_eq!(
            again.info_url_template.as_deref(),
            Some("https://crm.example.com/?id=[site_uid]")
        );
        store.close().await;
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
