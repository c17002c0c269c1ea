//! The platform operator's API (`/api/v1/operator/…`, by the operator's own session cookie)
//! and a site's business verification (`/api/v1/site/business`, the site's admin): logging
//! in, the sites, submissions and their review, free cash, prices.

use std::net::SocketAddr;

use axum::Json;
use axum::extract::{
    ConnectInfo, DefaultBodyLimit, FromRequestParts, Multipart, Path, Query, State,
};
use axum::http::header::SET_COOKIE;
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{AppendHeaders, IntoResponse, Response};
use billing::Krw;
use sangdam_core::VerificationId;
use sangdam_core::business::{Decision, MAX_DOCUMENT_BYTES, MAX_DOCUMENTS, VerificationState};
use sangdam_core::file::{content_disposition, served_as};
use serde::{Deserialize, Serialize};
use store::{DocumentRecord, OperatorRecord};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use app::platform::{BusinessStatus, Document, PriceView, SiteRow, Submission, VerificationView};

use crate::api::extract::{Body, IdPath, SitePath};
use crate::api::files::stored_bytes;
use crate::api::site::Admin;
use crate::auth::cookie_value;
use crate::error::{ApiError, ErrorBody, ErrorCode};
use crate::state::AppState;

/// The operator's session cookie (apart from the sites' accounts' one).
pub const OPERATOR_COOKIE: &str = "sangdam_operator";

/// The most free cash one grant gives (KRW), and the most days it lasts.
pub const MAX_GRANT_KRW: i64 = 10_000_000;
pub const MAX_GRANT_DAYS: i64 = 3650;
/// The highest price of one unit of a usage kind (KRW, VAT excluded).
pub const MAX_PRICE_KRW: i64 = 1_000_000;

/// The largest submission form: five documents at their limit and the fields.
const MAX_SUBMISSION_BYTES: usize = MAX_DOCUMENTS * MAX_DOCUMENT_BYTES + 64 * 1024;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(operator_login))
        .routes(routes!(operator_logout))
        .routes(routes!(operator_me))
        .routes(routes!(operator_sites))
        .routes(routes!(operator_verifications))
        .routes(routes!(decide))
        .routes(routes!(operator_document))
        .routes(routes!(grant))
        .routes(routes!(get_prices))
        .routes(routes!(put_price))
        .merge(
            OpenApiRouter::new()
                .routes(routes!(get_business, submit_business))
                .layer(DefaultBodyLimit::max(MAX_SUBMISSION_BYTES)),
        )
        .routes(routes!(business_document))
}

/// The logged-in platform operator (by the operator's cookie only).
#[derive(Debug, Clone)]
pub struct Operator(pub OperatorRecord);

impl FromRequestParts<AppState> for Operator {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        if let Some(found) = parts.extensions.get::<Operator>() {
            return Ok(found.clone());
        }
        let token = cookie_value(&parts.headers, OPERATOR_COOKIE).ok_or(ApiError::Unauthorized)?;
        let operator = state
            .app
            .operator_session(token)
            .await?
            .ok_or(ApiError::Unauthorized)?;
        let found = Operator(operator);
        parts.extensions.insert(found.clone());
        Ok(found)
    }
}

fn operator_cookie(token: &str, secure: bool) -> String {
    format!(
        "{OPERATOR_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age={}{}",
        app::sessions::SESSION_MS / 1000,
        if secure { "; Secure" } else { "" }
    )
}

fn cleared_operator_cookie(secure: bool) -> String {
    format!(
        "{OPERATOR_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0{}",
        if secure { "; Secure" } else { "" }
    )
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct OperatorLogin {
    pub login: String,
    pub password: String,
}

/// The operator.
#[derive(Debug, Serialize, ToSchema)]
pub struct OperatorAnswer {
    #[schema(value_type = Object)]
    pub operator: OperatorRecord,
}

/// The platform operator logs in; sets the operator's cookie.
#[utoipa::path(
    post,
    path = "/operator/login",
    tag = "operator",
    request_body = OperatorLogin,
    responses(
        (status = 200, description = "Logged in; the `sangdam_operator` cookie is set.", body = OperatorAnswer),
        (status = 400, description = "The body is not a login request.", body = ErrorBody),
        (status = 401, description = "A login or password longer than any operator has.", body = ErrorBody),
        (status = 422, description = "`bad_credentials`: the login or the password is wrong.", body = ErrorBody),
        (status = 429, description = "`rate_limited`: too many failed logins; `Retry-After` says how long to wait.", body = ErrorBody),
    )
)]
pub async fn operator_login(
    State(st): State<AppState>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    body: Result<Body<OperatorLogin>, ApiError>,
) -> Result<Response, ApiError> {
    let Body(req) = body?;
    if req.login.len() > 200 || req.password.len() > 1000 {
        return Err(ApiError::Unauthorized);
    }
    let Some((operator, token)) = st
        .app
        .operator_log_in(&req.login, &req.password, addr.ip())
        .await?
    else {
        return Err(ApiError::invalid(
            ErrorCode::BadCredentials,
            "the login or the password is wrong",
        ));
    };
    Ok((
        AppendHeaders([(SET_COOKIE, operator_cookie(&token, st.secure_cookies))]),
        Json(OperatorAnswer { operator }),
    )
        .into_response())
}

/// The operator logs out (the session ends, the cookie is cleared).
#[utoipa::path(
    post,
    path = "/operator/logout",
    tag = "operator",
    responses((status = 204, description = "Logged out."))
)]
pub async fn operator_logout(
    State(st): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    if let Some(token) = cookie_value(&headers, OPERATOR_COOKIE) {
        st.app.operator_log_out(token).await?;
    }
    Ok((
        AppendHeaders([(SET_COOKIE, cleared_operator_cookie(st.secure_cookies))]),
        StatusCode::NO_CONTENT,
    )
        .into_response())
}

/// The logged-in operator.
#[utoipa::path(
    get,
    path = "/operator/me",
    tag = "operator",
    responses(
        (status = 200, description = "The operator.", body = OperatorAnswer),
        (status = 401, description = "No operator's session.", body = ErrorBody),
    )
)]
pub async fn operator_me(Operator(operator): Operator) -> Json<OperatorAnswer> {
    Json(OperatorAnswer { operator })
}

/// Every site, with its business verification state.
#[derive(Debug, Serialize, ToSchema)]
pub struct SitesAnswer {
    pub sites: Vec<SiteRow>,
}

/// The installation's sites.
#[utoipa::path(
    get,
    path = "/operator/sites",
    tag = "operator",
    responses(
        (status = 200, description = "Every site, oldest first.", body = SitesAnswer),
        (status = 401, description = "No operator's session.", body = ErrorBody),
    )
)]
pub async fn operator_sites(
    State(st): State<AppState>,
    _: Operator,
) -> Result<Json<SitesAnswer>, ApiError> {
    Ok(Json(SitesAnswer {
        sites: st.app.operator_sites().await?,
    }))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StateQuery {
    /// `pending`, `approved` or `rejected`; every submission when absent.
    pub state: Option<String>,
}

/// Submissions, newest first (at most 500).
#[derive(Debug, Serialize, ToSchema)]
pub struct VerificationsAnswer {
    pub verifications: Vec<VerificationView>,
}

/// The sites' submissions.
#[utoipa::path(
    get,
    path = "/operator/verifications",
    tag = "operator",
    params(StateQuery),
    responses(
        (status = 200, description = "The submissions in that state, newest first.", body = VerificationsAnswer),
        (status = 401, description = "No operator's session.", body = ErrorBody),
        (status = 422, description = "`invalid_field`: an unknown state.", body = ErrorBody),
    )
)]
pub async fn operator_verifications(
    State(st): State<AppState>,
    _: Operator,
    Query(q): Query<StateQuery>,
) -> Result<Json<VerificationsAnswer>, ApiError> {
    let state = match q.state.as_deref().filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => Some(VerificationState::parse(s).ok_or_else(|| {
            ApiError::invalid_field("state", "expected pending, approved or rejected")
        })?),
    };
    Ok(Json(VerificationsAnswer {
        verifications: st.app.operator_verifications(state).await?,
    }))
}

/// The operator's decision.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionRequest {
    /// `approve` or `reject` (a pending submission), `revoke` (an approved one: the business
    /// no longer counts as verified).
    pub decision: String,
    /// Why it is rejected or revoked (1 to 500 characters; the site's admin reads it).
    pub reason: Option<String>,
}

/// A submission, decided.
#[derive(Debug, Serialize, ToSchema)]
pub struct VerificationAnswer {
    pub verification: VerificationView,
}

fn verification_id(raw: &str) -> Result<VerificationId, ApiError> {
    raw.parse().map_err(|_| ApiError::NotFound("submission"))
}

/// Approve or reject a pending submission, or revoke an approved one.
#[utoipa::path(
    post,
    path = "/operator/verifications/{id}/decision",
    tag = "operator",
    params(("id" = i64, Path, description = "The submission's id.")),
    request_body = DecisionRequest,
    responses(
        (status = 200, description = "Decided; the site's audit log records it.", body = VerificationAnswer),
        (status = 401, description = "No operator's session.", body = ErrorBody),
        (status = 404, description = "No such submission.", body = ErrorBody),
        (status = 409, description = "It is decided already (or, for a revocation, not approved).", body = ErrorBody),
        (status = 422, description = "`invalid_field`: no such decision, or a rejection or revocation without a reason.", body = ErrorBody),
    )
)]
pub async fn decide(
    State(st): State<AppState>,
    Operator(operator): Operator,
    Path(id): Path<String>,
    body: Result<Body<DecisionRequest>, ApiError>,
) -> Result<Json<VerificationAnswer>, ApiError> {
    let id = verification_id(&id)?;
    let Body(req) = body?;
    let decision =
        Decision::parse(&req.decision, req.reason.as_deref()).map_err(app::AppError::from)?;
    Ok(Json(VerificationAnswer {
        verification: st.app.decide_business(&operator, id, decision).await?,
    }))
}

/// A document's answer: its bytes, downloaded, never run as a page, never kept.
fn serve_document(doc: &DocumentRecord, bytes: Vec<u8>) -> Response {
    let served = served_as(&doc.content_type);
    stored_bytes(
        bytes,
        served.content_type,
        &content_disposition(&doc.name, served.inline),
        "private, no-store",
    )
}

fn document_ids(raw: &(String, String)) -> Result<(VerificationId, i64), ApiError> {
    let doc = raw
        .1
        .parse::<VerificationId>()
        .map_err(|_| ApiError::NotFound("document"))?;
    Ok((verification_id(&raw.0)?, doc.get()))
}

/// A document of a submission.
#[utoipa::path(
    get,
    path = "/operator/verifications/{id}/documents/{document_id}",
    tag = "operator",
    params(
        ("id" = i64, Path, description = "The submission's id."),
        ("document_id" = i64, Path, description = "The document's id."),
    ),
    responses(
        (status = 200, description = "The document (PDF or image).", content_type = "application/octet-stream", body = Vec<u8>),
        (status = 401, description = "No operator's session.", body = ErrorBody),
        (status = 404, description = "No such submission or document.", body = ErrorBody),
    )
)]
pub async fn operator_document(
    State(st): State<AppState>,
    _: Operator,
    Path(raw): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let (id, doc) = document_ids(&raw)?;
    let (doc, bytes) = st.app.verification_document(None, id, doc).await?;
    Ok(serve_document(&doc, bytes))
}

/// Free cash for a site's wallet.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GrantRequest {
    /// KRW (1 to 10,000,000).
    pub krw: f64,
    /// Days until it expires (1 to 3650).
    pub days: f64,
    /// Why (the wallet's people read it).
    pub reason: String,
    /// Makes the grant once: the same key again grants nothing more (the form sends one per
    /// opening).
    pub key: String,
}

/// The grant, and whether this request made it.
#[derive(Debug, Serialize, ToSchema)]
pub struct GrantAnswer {
    #[schema(value_type = Object)]
    pub grant: store::GrantRecord,
    pub created: bool,
}

/// A whole number from a JSON number (`7` and `7.0` alike) within `range`.
fn whole(name: &str, v: f64, range: std::ops::RangeInclusive<i64>) -> Result<i64, ApiError> {
    let n = v as i64;
    if v.fract() != 0.0 || !v.is_finite() || !range.contains(&n) {
        return Err(ApiError::invalid_field(
            name,
            format!("a whole number from {} to {}", range.start(), range.end()),
        ));
    }
    Ok(n)
}

/// Grant free cash to a site's wallet.
#[utoipa::path(
    post,
    path = "/operator/sites/{site_id}/grants",
    tag = "operator",
    params(("site_id" = i64, Path, description = "The site's id.")),
    request_body = GrantRequest,
    responses(
        (status = 200, description = "The grant already made with this key.", body = GrantAnswer),
        (status = 201, description = "Granted; the wallet's people are told by e-mail.", body = GrantAnswer),
        (status = 401, description = "No operator's session.", body = ErrorBody),
        (status = 404, description = "No such site, or it has no wallet.", body = ErrorBody),
        (status = 422, description = "`invalid_field`: an amount, a number of days, a reason or a key out of bounds.", body = ErrorBody),
    )
)]
pub async fn grant(
    State(st): State<AppState>,
    Operator(operator): Operator,
    IdPath(site): SitePath,
    body: Result<Body<GrantRequest>, ApiError>,
) -> Result<Response, ApiError> {
    let Body(req) = body?;
    let krw = whole("krw", req.krw, 1..=MAX_GRANT_KRW)?;
    let days = whole("days", req.days, 1..=MAX_GRANT_DAYS)?;
    let amount = Krw::new(krw).map_err(app::AppError::from)?;
    let (grant, created) = st
        .app
        .operator_grant(
            &operator,
            site,
            amount,
            u32::try_from(days).unwrap_or(1),
            &req.reason,
            &req.key,
        )
        .await?;
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(GrantAnswer { grant, created })).into_response())
}

/// The installation's prices.
#[derive(Debug, Serialize, ToSchema)]
pub struct PricesAnswer {
    pub prices: Vec<PriceView>,
}

/// The price of each billed usage kind.
#[utoipa::path(
    get,
    path = "/operator/prices",
    tag = "operator",
    responses(
        (status = 200, description = "Each priced usage kind, its price and whether the operator set it.", body = PricesAnswer),
        (status = 401, description = "No operator's session.", body = ErrorBody),
    )
)]
pub async fn get_prices(
    State(st): State<AppState>,
    _: Operator,
) -> Result<Json<PricesAnswer>, ApiError> {
    Ok(Json(PricesAnswer {
        prices: st.app.prices().await?,
    }))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PriceRequest {
    /// KRW of one unit, VAT excluded (0 to 1,000,000).
    pub krw: f64,
}

/// Set the price of a usage kind (from the next usage billed).
#[utoipa::path(
    put,
    path = "/operator/prices/{kind}",
    tag = "operator",
    params(("kind" = String, Path, description = "The usage kind, e.g. `event_message`.")),
    request_body = PriceRequest,
    responses(
        (status = 200, description = "Set; every price.", body = PricesAnswer),
        (status = 401, description = "No operator's session.", body = ErrorBody),
        (status = 404, description = "No such usage kind.", body = ErrorBody),
        (status = 422, description = "`invalid_field`: a price out of bounds.", body = ErrorBody),
    )
)]
pub async fn put_price(
    State(st): State<AppState>,
    Operator(operator): Operator,
    Path(kind): Path<String>,
    body: Result<Body<PriceRequest>, ApiError>,
) -> Result<Json<PricesAnswer>, ApiError> {
    let Body(req) = body?;
    let krw = whole("krw", req.krw, 0..=MAX_PRICE_KRW)?;
    Ok(Json(PricesAnswer {
        prices: st.app.set_price(&operator, &kind, krw).await?,
    }))
}

// ---------------------------------------------------------------------------------------------
// The site's side.

/// Where the site's business stands.
#[utoipa::path(
    get,
    path = "/site/business",
    tag = "site",
    security(("session" = []), ("bearer" = [])),
    responses(
        (status = 200, description = "Verified or not, and every submission with its state and the operator's reason.", body = BusinessStatus),
        (status = 401, description = "Not logged in.", body = ErrorBody),
        (status = 403, description = "Not the site's admin.", body = ErrorBody),
    )
)]
pub async fn get_business(
    State(st): State<AppState>,
    Admin(agent): Admin,
) -> Result<Json<BusinessStatus>, ApiError> {
    Ok(Json(st.app.business_status(agent.site_id).await?))
}

/// The submission form (multipart): the fields, and 1 to 5 parts named `document`.
#[derive(Debug, ToSchema)]
#[allow(dead_code)]
pub struct SubmissionForm {
    /// 10 digits, `1234567890` or `123-45-67890`; the last digit checks the others.
    pub business_number: String,
    /// The business's name (상호), 1 to 100 characters.
    pub business_name: String,
    /// The representative's name (대표자), 1 to 50 characters.
    pub representative: String,
    /// The business registration certificate and any other document asked for: PDF, JPEG or
    /// PNG, at most 10 MB each, 1 to 5 of them.
    #[schema(value_type = Vec<String>, format = Binary)]
    pub document: Vec<Vec<u8>>,
}

async fn read_submission(mut form: Multipart) -> Result<Submission, ApiError> {
    let unreadable = |e: axum::extract::multipart::MultipartError| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::TooLarge {
                limit: MAX_SUBMISSION_BYTES,
            }
        } else {
            ApiError::BadRequest(format!("not a multipart form: {}", e.body_text()))
        }
    };
    let mut s = Submission {
        business_number: String::new(),
        business_name: String::new(),
        representative: String::new(),
        documents: Vec::new(),
    };
    while let Some(field) = form.next_field().await.map_err(unreadable)? {
        let name = field.name().unwrap_or_default().to_owned();
        match name.as_str() {
            "document" => {
                if s.documents.len() == MAX_DOCUMENTS {
                    return Err(ApiError::invalid_field(
                        "documents",
                        format!("at most {MAX_DOCUMENTS} documents"),
                    ));
                }
                let file_name = field.file_name().unwrap_or_default().to_owned();
                let bytes = field.bytes().await.map_err(unreadable)?;
                s.documents.push(Document {
                    name: file_name,
                    bytes: bytes.to_vec(),
                });
            }
            "business_number" | "business_name" | "representative" => {
                let text = field.text().await.map_err(unreadable)?;
                if text.len() > 1000 {
                    return Err(ApiError::invalid_field(&name, "too long"));
                }
                match name.as_str() {
                    "business_number" => s.business_number = text,
                    "business_name" => s.business_name = text,
                    _ => s.representative = text,
                }
            }
            other => {
                let other: String = other.chars().take(40).collect();
                return Err(ApiError::invalid_field(
                    "form",
                    format!("the form has a part {other:?} it does not take"),
                ));
            }
        }
    }
    Ok(s)
}

/// Submit the site's business for verification by the platform operator.
#[utoipa::path(
    post,
    path = "/site/business",
    tag = "site",
    security(("session" = []), ("bearer" = [])),
    request_body(content = SubmissionForm, content_type = "multipart/form-data"),
    responses(
        (status = 201, description = "Submitted, pending review.", body = VerificationAnswer),
        (status = 400, description = "The body is not a multipart form.", body = ErrorBody),
        (status = 401, description = "Not logged in.", body = ErrorBody),
        (status = 403, description = "Not the site's admin.", body = ErrorBody),
        (status = 409, description = "A submission is waiting for review already.", body = ErrorBody),
        (status = 413, description = "The form is too large.", body = ErrorBody),
        (status = 422, description = "`invalid_field`: each field that is wrong (a registration number whose check digit does not match, a missing name, no document, a document that is not a PDF, JPEG or PNG, or over 10 MB).", body = ErrorBody),
    )
)]
pub async fn submit_business(
    State(st): State<AppState>,
    Admin(agent): Admin,
    form: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, ApiError> {
    let form = form.map_err(|e| ApiError::BadRequest(e.body_text()))?;
    let submission = read_submission(form).await?;
    let verification = st.app.submit_business(&agent, submission).await?;
    Ok((
        StatusCode::CREATED,
        Json(VerificationAnswer { verification }),
    )
        .into_response())
}

/// A document of one of the site's submissions.
#[utoipa::path(
    get,
    path = "/site/business/{id}/documents/{document_id}",
    tag = "site",
    security(("session" = []), ("bearer" = [])),
    params(
        ("id" = i64, Path, description = "The submission's id."),
        ("document_id" = i64, Path, description = "The document's id."),
    ),
    responses(
        (status = 200, description = "The document.", content_type = "application/octet-stream", body = Vec<u8>),
        (status = 401, description = "Not logged in.", body = ErrorBody),
        (status = 403, description = "Not the site's admin.", body = ErrorBody),
        (status = 404, description = "No such submission of this site, or no such document.", body = ErrorBody),
    )
)]
pub async fn business_document(
    State(st): State<AppState>,
    Admin(agent): Admin,
    Path(raw): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let (id, doc) = document_ids(&raw)?;
    let (doc, bytes) = st
        .app
        .verification_document(Some(agent.site_id), id, doc)
        .await?;
    Ok(serve_document(&doc, bytes))
}
