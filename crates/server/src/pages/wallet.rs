//! The wallet (`/wallet`, R5.2–R5.6), for every logged-in account: the page is the frame, its
//! words and the limits its forms say; `assets/wallet.js` reads the wallet through the API
//! ([`crate::api::wallet`]), which decides what the caller sees and may do, and draws its
//! figures, cards, charging and refunds; `assets/wallet-people.js` keeps its details and people
//! (and makes the wallet, for the site's admin, when there is none); `assets/wallet-records.js`
//! shows the history, the monthly statement, the payments, invoices and notices sent, with
//! `assets/wallet-format.js` writing amounts and times for all three.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use billing::{EntryKind, MAX_BACKUP_CARDS, MAX_CARDS_PER_PERSON};
use serde_json::json;
use store::Role;

use app::wallet::{MAX_CASH_CHARGE, MIN_CASH_CHARGE};

use crate::auth::AuthAgent;
use crate::error::ApiError;
use crate::pages::{Lang, PageLang, PageText, page, page_text, script_json, script_texts};
use crate::state::AppState;

/// Where the page is (and where the card registration window comes back to).
pub const PATH: &str = "/wallet";

/// Movements the history shows at once (the API takes up to 500).
pub const HISTORY_PAGE: usize = 50;

pub fn routes() -> Router<AppState> {
    Router::new().route(PATH, get(wallet_page))
}

#[derive(Debug, Template)]
#[template(path = "wallet.html")]
pub struct WalletPage {
    pub lang: Lang,
    pub site_name: String,
    /// The site's admin (the chatbot master): the admin links, and the form that makes the
    /// wallet when there is none.
    pub is_admin: bool,
    /// Managers and the admin also read the consultation history.
    pub sees_reports: bool,
    /// The least and most paid cash bought at once, written as the page shows won (`1,000`).
    pub min_charge: String,
    pub max_charge: String,
    /// The same as numbers, for the amount field.
    pub min_charge_won: i64,
    pub max_charge_won: i64,
    pub max_cards: usize,
    pub max_backups: usize,
    /// Every movement kind, for the history's filter: (code, catalogue key).
    pub entry_kinds: Vec<(&'static str, String)>,
    /// The usage kinds the installation prices, for the history's filter: (code, name).
    pub usage_kinds: Vec<(String, String)>,
    /// What the scripts need to know: who is logged in, the site's zone, the limits (JSON).
    pub config: String,
    /// The texts the scripts show (JSON).
    pub texts: String,
}

page_text!(WalletPage);

/// What `assets/wallet.js`, `wallet-people.js`, `wallet-records.js` and `wallet-format.js`
/// say (the roles name the accounts a master or worker is chosen from).
pub(crate) const SCRIPT_TEXTS: &[&str] = &["wallet-", "role-"];

pub(crate) fn texts(lang: Lang) -> String {
    script_texts(
        lang,
        SCRIPT_TEXTS,
        &[
            ("min-charge", MIN_CASH_CHARGE.to_string().into()),
            ("max-charge", MAX_CASH_CHARGE.to_string().into()),
            ("max-cards", MAX_CARDS_PER_PERSON.into()),
            ("max-backups", MAX_BACKUP_CARDS.into()),
        ],
    )
}

/// The catalogue key naming a movement kind.
pub fn entry_kind_key(kind: EntryKind) -> String {
    format!("wallet-kind-{}", kind.code())
}

/// The catalogue key naming a usage kind (`event_message`).
pub fn usage_kind_key(kind: &str) -> String {
    format!("wallet-usage-{kind}")
}

/// The history filter's movement kinds.
pub fn entry_kinds() -> Vec<(&'static str, String)> {
    EntryKind::ALL
        .into_iter()
        .map(|k| (k.code(), entry_kind_key(k)))
        .collect()
}

/// The history filter's usage kinds, by name where the catalogue has one.
pub fn usage_kinds(lang: Lang, prices: &[(String, i64)]) -> Vec<(String, String)> {
    let keys = i18n::keys();
    prices
        .iter()
        .map(|(kind, _)| {
            let key = usage_kind_key(kind);
            let name = if keys.contains(key.as_str()) {
                i18n::t(lang, &key)
            } else {
                kind.clone()
            };
            (kind.clone(), name)
        })
        .collect()
}

/// Who opens the page.
#[derive(Debug, Clone, Copy)]
pub struct Me<'a> {
    pub id: i64,
    pub display_name: &'a str,
    pub role: Role,
}

/// What the scripts are built with.
pub(crate) fn config(me: Me<'_>, zone: &str, prices: &[(String, i64)]) -> String {
    script_json(&json!({
        "me": {"id": me.id, "display_name": me.display_name},
        "is_admin": me.role == Role::Admin,
        "zone": zone,
        "min_charge": MIN_CASH_CHARGE.get(),
        "max_charge": MAX_CASH_CHARGE.get(),
        "max_cards": MAX_CARDS_PER_PERSON,
        "max_backups": MAX_BACKUP_CARDS,
        "history_page": HISTORY_PAGE,
        "prices": prices.iter().map(|(k, p)| json!({"kind": k, "price": p})).collect::<Vec<_>>(),
    }))
}

impl WalletPage {
    /// The page for `me` of `site_name` (whose zone is `zone`), in `lang`.
    pub fn new(
        lang: Lang,
        site_name: String,
        me: Me<'_>,
        zone: &str,
        prices: &[(String, i64)],
    ) -> WalletPage {
        let is_admin = me.role == Role::Admin;
        WalletPage {
            lang,
            site_name,
            is_admin,
            sees_reports: me.role.sees_all(),
            min_charge: MIN_CASH_CHARGE.to_string(),
            max_charge: MAX_CASH_CHARGE.to_string(),
            min_charge_won: MIN_CASH_CHARGE.get(),
            max_charge_won: MAX_CASH_CHARGE.get(),
            max_cards: MAX_CARDS_PER_PERSON,
            max_backups: MAX_BACKUP_CARDS,
            entry_kinds: entry_kinds(),
            usage_kinds: usage_kinds(lang, prices),
            config: config(me, zone, prices),
            texts: texts(lang),
        }
    }
}

/// `GET /wallet`: any logged-in account (the API decides what it sees: the wallet, a form to
/// make it, or that it is none of theirs); without a login, to the login page, which comes
/// back here.
pub async fn wallet_page(
    State(st): State<AppState>,
    PageLang(lang): PageLang,
    auth: Result<AuthAgent, ApiError>,
) -> Result<Response, ApiError> {
    let agent = match auth {
        Ok(AuthAgent(agent)) => agent,
        Err(ApiError::Unauthorized) => {
            let next = PATH.replace('/', "%2F");
            return Ok(Redirect::to(&format!("/login?next={next}")).into_response());
        }
        Err(e) => return Err(e),
    };
    let site_name = st.app.store.site(agent.site_id).await?.name;
    let zone = st
        .app
        .hours_of_site(agent.site_id)
        .await?
        .hours
        .zone()
        .name()
        .to_owned();
    let mut prices: Vec<(String, i64)> = st
        .app
        .billing()
        .prices
        .iter()
        .map(|(k, p)| (k.clone(), p.get()))
        .collect();
    prices.sort();
    let me = Me {
        id: agent.id.get(),
        display_name: &agent.display_name,
        role: agent.role,
    };
    page(&WalletPage::new(lang, site_name, me, &zone, &prices), lang)
}
