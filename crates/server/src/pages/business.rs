//! Admin: the site's business verification (`/admin/business`, R6.1). The page is the frame,
//! its form and its words; `assets/business.js` reads where the business stands through the
//! API ([`crate::api::platform`]): verified or not, the latest submission's state and the
//! operator's reason for a rejection, every submission with its documents; and submits the
//! business (a multipart form), showing each refused field beside it.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use sangdam_core::business::{
    MAX_BUSINESS_NAME_CHARS, MAX_DOCUMENT_BYTES, MAX_DOCUMENTS, MAX_REPRESENTATIVE_CHARS,
};

use crate::auth::AuthAgent;
use crate::error::ApiError;
use crate::pages::admin::admin_page_access;
use crate::pages::{Lang, PageLang, PageText, page, page_text, script_texts};
use crate::state::AppState;

/// Where the page is.
pub const PATH: &str = "/admin/business";

/// What the file field accepts (the server checks the bytes, whatever the name says).
pub const ACCEPTED_DOCUMENTS: &str = ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png";

pub fn routes() -> Router<AppState> {
    Router::new().route(PATH, get(business_page))
}

/// The largest document, in whole megabytes as the page says it.
pub fn max_document_mb() -> usize {
    MAX_DOCUMENT_BYTES / (1024 * 1024)
}

#[derive(Debug, Template)]
#[template(path = "admin_business.html")]
pub struct BusinessPage {
    pub lang: Lang,
    pub site_name: String,
    pub max_name: usize,
    pub max_representative: usize,
    pub max_documents: usize,
    pub max_document_mb: usize,
    pub max_document_bytes: usize,
    pub accept: &'static str,
    /// The texts the script shows (JSON).
    pub texts: String,
}

page_text!(BusinessPage);

impl BusinessPage {
    pub fn new(lang: Lang, site_name: String) -> Self {
        BusinessPage {
            lang,
            site_name,
            max_name: MAX_BUSINESS_NAME_CHARS,
            max_representative: MAX_REPRESENTATIVE_CHARS,
            max_documents: MAX_DOCUMENTS,
            max_document_mb: max_document_mb(),
            max_document_bytes: MAX_DOCUMENT_BYTES,
            accept: ACCEPTED_DOCUMENTS,
            texts: texts(lang),
        }
    }
}

/// What `assets/business.js`, `assets/event-api.js` and `assets/plugins.js` say.
pub(crate) const SCRIPT_TEXTS: &[&str] = &["business-", "eventapi-", "requirement-", "plugins-"];

pub(crate) fn texts(lang: Lang) -> String {
    script_texts(
        lang,
        SCRIPT_TEXTS,
        &[
            ("max-documents", MAX_DOCUMENTS.into()),
            ("max-mb", max_document_mb().into()),
        ],
    )
}

/// `GET /admin/business`. Without a login: to the login page; a logged-in non-admin: 403 with
/// a page that says why.
pub async fn business_page(
    State(st): State<AppState>,
    PageLang(lang): PageLang,
    auth: Result<AuthAgent, ApiError>,
) -> Result<Response, ApiError> {
    let agent = match admin_page_access(auth, lang, PATH, "business-forbidden")? {
        Ok(admin) => admin,
        Err(elsewhere) => return Ok(elsewhere),
    };
    let p = BusinessPage::new(lang, st.app.store.site(agent.site_id).await?.name);
    page(&p, lang)
}
