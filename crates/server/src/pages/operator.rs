//! The platform operator's pages: the login (`/operator/login`) and the operator's page
//! (`/operator`), by the operator's own cookie ([`crate::api::platform::Operator`]), never a
//! site's account. The pages are the frames, their words and the limits their forms say;
//! `assets/operator-login.js` logs in through the API, and `assets/operator.js` reads the
//! submissions waiting for review, the sites and the prices through
//! [`crate::api::platform`], decides submissions, grants free cash and sets prices.

use askama::Template;
use axum::Router;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use billing::Krw;
use sangdam_core::business::MAX_REASON_CHARS;

use crate::api::platform::{MAX_GRANT_DAYS, MAX_GRANT_KRW, MAX_PRICE_KRW, Operator};
use crate::error::ApiError;
use crate::pages::{Lang, PageLang, PageText, page, page_text, script_texts};
use crate::state::AppState;

/// Where the operator's page is.
pub const PATH: &str = "/operator";
/// Where the operator logs in.
pub const LOGIN_PATH: &str = "/operator/login";

/// Days a grant lasts unless the operator says otherwise.
pub const DEFAULT_GRANT_DAYS: i64 = 30;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(PATH, get(operator_page))
        .route(LOGIN_PATH, get(login_page))
}

#[derive(Debug, Template)]
#[template(path = "operator_login.html")]
pub struct OperatorLoginPage {
    pub lang: Lang,
    /// The texts the script shows (JSON).
    pub texts: String,
}

#[derive(Debug, Template)]
#[template(path = "operator.html")]
pub struct OperatorPage {
    pub lang: Lang,
    pub operator_name: String,
    /// The longest reason of a rejection.
    pub max_reason: usize,
    /// The most one grant gives, as a number (the field's bound) and as the page writes it.
    pub max_grant: i64,
    pub max_grant_won: String,
    /// The most days a grant lasts, and the days the form starts with.
    pub max_days: i64,
    pub default_days: i64,
    /// The highest price of one unit, as a number and as the page writes it.
    pub max_price: i64,
    pub max_price_won: String,
    /// The texts the script shows (JSON).
    pub texts: String,
}

page_text!(OperatorLoginPage, OperatorPage);

/// What `assets/operator-login.js` says.
pub(crate) const LOGIN_SCRIPT_TEXTS: &[&str] = &["operator-login-"];

/// What `assets/operator.js` says, and the usage kinds' names (the prices' rows).
pub(crate) const SCRIPT_TEXTS: &[&str] = &["operator-", "wallet-usage-"];

/// An amount of won as the page writes it (`10,000,000`).
pub fn won(krw: i64) -> String {
    Krw::clamp_from(krw).to_string()
}

pub(crate) fn login_texts(lang: Lang) -> String {
    script_texts(lang, LOGIN_SCRIPT_TEXTS, &[])
}

pub(crate) fn texts(lang: Lang) -> String {
    script_texts(
        lang,
        SCRIPT_TEXTS,
        &[
            ("max-reason", MAX_REASON_CHARS.into()),
            ("max-grant", won(MAX_GRANT_KRW).into()),
            ("max-days", MAX_GRANT_DAYS.into()),
            ("max-price", won(MAX_PRICE_KRW).into()),
        ],
    )
}

impl OperatorPage {
    pub fn new(lang: Lang, operator_name: String) -> Self {
        OperatorPage {
            lang,
            operator_name,
            max_reason: MAX_REASON_CHARS,
            max_grant: MAX_GRANT_KRW,
            max_grant_won: won(MAX_GRANT_KRW),
            max_days: MAX_GRANT_DAYS,
            default_days: DEFAULT_GRANT_DAYS,
            max_price: MAX_PRICE_KRW,
            max_price_won: won(MAX_PRICE_KRW),
            texts: texts(lang),
        }
    }
}

/// Whether the request carries the operator's session; `Err` only for a failure that is not
/// "no session".
fn logged_in(operator: Result<Operator, ApiError>) -> Result<Option<Operator>, ApiError> {
    match operator {
        Ok(o) => Ok(Some(o)),
        Err(ApiError::Unauthorized) => Ok(None),
        Err(e) => Err(e),
    }
}

/// `GET /operator/login`: the operator's login form, or straight to the operator's page when
/// logged in already.
pub async fn login_page(
    PageLang(lang): PageLang,
    operator: Result<Operator, ApiError>,
) -> Result<Response, ApiError> {
    if logged_in(operator)?.is_some() {
        return Ok(Redirect::to(PATH).into_response());
    }
    page(
        &OperatorLoginPage {
            lang,
            texts: login_texts(lang),
        },
        lang,
    )
}

/// `GET /operator`: the operator's page; without the operator's session, to the operator's
/// login page (a site's login does not open it).
pub async fn operator_page(
    PageLang(lang): PageLang,
    operator: Result<Operator, ApiError>,
) -> Result<Response, ApiError> {
    let Some(Operator(operator)) = logged_in(operator)? else {
        return Ok(Redirect::to(LOGIN_PATH).into_response());
    };
    page(&OperatorPage::new(lang, operator.name), lang)
}
