//! Creating a site with its first admin and API token (used by `sangdam site create`, the
//! demo and the tests).

use inflow::Settings;
use sangdam_core::MessengerPlatform;
use serde::Serialize;
use store::{Role, Store};

use crate::auth::{hash_password, random_bytes, random_token, token_hash};
use crate::error::ApiError;

#[derive(Debug, Clone, Serialize)]
pub struct Admin {
    pub login: String,
    pub password: String,
}

/// What a new site's owner needs, shown once: the token and password are stored only hashed.
#[derive(Debug, Clone, Serialize)]
pub struct Provisioned {
    pub site_id: sangdam_core::SiteId,
    pub api_token: String,
    pub secret: String,
    /// The keys Kakao skill requests and Naver webhooks must carry (`?key=…`).
    pub kakao_key: String,
    pub naver_key: String,
    pub admin: Admin,
}

/// The site's channel keys (made now if it has none).
async fn channel_keys(
    store: &Store,
    site: sangdam_core::SiteId,
) -> Result<(String, String), ApiError> {
    let mut keys = Vec::with_capacity(2);
    for platform in [MessengerPlatform::Kakao, MessengerPlatform::Naver] {
        let record = store
            .ensure_channel_key(site, platform, &random_token(), now_ms())
            .await?;
        keys.push(record.key);
    }
    let naver = keys.pop().unwrap_or_default();
    let kakao = keys.pop().unwrap_or_default();
    Ok((kakao, naver))
}

/// A password people can type: 16 characters from an alphabet without look-alikes.
pub fn readable_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    random_bytes::<16>()
        .iter()
        .map(|b| char::from(ALPHABET[usize::from(*b) % ALPHABET.len()]))
        .collect()
}

pub async fn create_site(
    store: &Store,
    name: &str,
    settings: &Settings,
) -> Result<Provisioned, ApiError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(ApiError::invalid(
            crate::error::ErrorCode::InvalidName,
            "a site name has 1 to 100 characters",
        ));
    }
    let now = now_ms();
    let secret = random_token();
    let site = store.create_site(name, &secret, settings, now).await?;
    let login = format!("admin{}", site.id);
    let password = readable_password();
    let admin = store
        .create_agent(
            site.id,
            &login,
            &hash_password(&password)?,
            "관리자",
            Role::Admin,
            now,
        )
        .await?;
    let api_token = random_token();
    store
        .create_api_token(site.id, admin.id, &token_hash(&api_token), "initial", now)
        .await?;
    let (kakao_key, naver_key) = channel_keys(store, site.id).await?;
    Ok(Provisioned {
        site_id: site.id,
        api_token,
        secret,
        kakao_key,
        naver_key,
        admin: Admin { login, password },
    })
}

/// A staff account to create.
#[derive(Debug, Clone)]
pub struct NewAccount<'a> {
    pub login: &'a str,
    pub display_name: &'a str,
    pub role: Role,
    /// A password the person chose; `None` generates one (shown once).
    pub password: Option<&'a str>,
    /// Also issue an API token (for integrations and tools).
    pub api_token: bool,
}

/// A created account with what is shown once: the generated password and the API token.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Account {
    #[schema(value_type = crate::api::schema::Agent)]
    pub agent: store::AgentRecord,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub api_token: Option<String>,
}

/// Creates an agent or manager of `site`. A site has one admin, made with the site.
pub async fn create_account(
    store: &Store,
    site: sangdam_core::SiteId,
    new: NewAccount<'_>,
) -> Result<Account, ApiError> {
    let login = sangdam_core::validate_login(new.login)?;
    let display_name = sangdam_core::validate_display_name(new.display_name)?;
    if new.role == Role::Admin {
        return Err(ApiError::invalid(
            crate::error::ErrorCode::InvalidRole,
            "a site has one admin, created with the site; new accounts are agents or managers",
        ));
    }
    let (password, shown) = match new.password {
        Some(p) => (sangdam_core::validate_password(p)?.to_owned(), None),
        None => {
            let p = readable_password();
            (p.clone(), Some(p))
        }
    };
    let now = now_ms();
    let agent = store
        .create_agent(
            site,
            login,
            &hash_password(&password)?,
            display_name,
            new.role,
            now,
        )
        .await?;
    let api_token = if new.api_token {
        let token = random_token();
        store
            .create_api_token(site, agent.id, &token_hash(&token), "account", now)
            .await?;
        Some(token)
    } else {
        None
    };
    Ok(Account {
        agent,
        password: shown,
        api_token,
    })
}

/// The demo site's name.
pub const DEMO_SITE: &str = "Sangdam 데모 쇼핑몰";

/// Settings of the demo site: the help page's two custom slots and an info-URL template.
pub fn demo_settings() -> Settings {
    let mut settings = Settings::default();
    for (n, description) in [(1, "유입경로"), (2, "유저구분")] {
        if let Some(slot) = inflow::Slot::new(n) {
            let s = settings.slot_mut(slot);
            s.enabled = true;
            s.description = description.to_owned();
        }
    }
    settings
}

/// Creates the demo site, or on a later run gives its admin a fresh password and token (the
/// earlier ones were shown once and are stored only hashed).
pub async fn demo(store: &Store) -> Result<Provisioned, ApiError> {
    let Some(site) = store.site_by_name(DEMO_SITE).await? else {
        let p = create_site(store, DEMO_SITE, &demo_settings()).await?;
        store
            .update_site(
                p.site_id,
                &demo_settings(),
                false,
                Some("https://crm.example.com/view?id=[site_uid]&src=[parameter1]&room=[room_id]"),
            )
            .await?;
        return Ok(p);
    };
    let login = format!("admin{}", site.id);
    let admin = store
        .agent_by_login(&login)
        .await?
        .ok_or(ApiError::NotFound("demo admin"))?;
    let password = readable_password();
    store
        .set_agent_password(admin.id, &hash_password(&password)?)
        .await?;
    let api_token = random_token();
    store
        .create_api_token(site.id, admin.id, &token_hash(&api_token), "demo", now_ms())
        .await?;
    let (kakao_key, naver_key) = channel_keys(store, site.id).await?;
    Ok(Provisioned {
        site_id: site.id,
        api_token,
        secret: site.secret,
        kakao_key,
        naver_key,
        admin: Admin { login, password },
    })
}

/// Setting a site up happens outside any request (the CLI, the demo): the system's time.
fn now_ms() -> i64 {
    use app::Clock;
    app::SystemClock.now_ms()
}
