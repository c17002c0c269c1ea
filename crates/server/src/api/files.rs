//! Images and files (R3.7): sent as `multipart/form-data` by a chat window or an agent,
//! fetched by those who may see the room, and by messenger platforms through signed links.
//!
//! Every file answer is served so that it cannot run as a page of the site: images Sangdam
//! accepted inline with their own type, everything else as a download; always with `nosniff`
//! and a sandboxing content security policy ([`crate::security::ServedFile`]).

use std::net::SocketAddr;

use app::files::Fetched;
use axum::Json;
use axum::extract::{
    ConnectInfo, DefaultBodyLimit, FromRequestParts, Multipart, Path, Query, State,
};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use sangdam_core::file::{FileKind, FileRules, MAX_BYTES_CEILING, content_disposition, served_as};
use sangdam_core::{FileId, SiteId};
use serde::{Deserialize, Serialize};
use store::MessageRecord;
use utoipa::openapi::Required;
use utoipa::openapi::path::{Parameter, ParameterBuilder, ParameterIn};
use utoipa::{IntoParams, PartialSchema, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::api::consultations::SentAnswer;
use crate::api::extract::{Body, ConsultationPath, FilePath, IdPath, SitePath};
use crate::api::schema;
use crate::api::site::Admin;
use crate::api::webchat::{VisitorHeader, VisitorQuery, visitor_of};
use crate::auth::AuthAgent;
use crate::error::{ApiError, ErrorBody};
use crate::security::ServedFile;
use crate::state::AppState;

/// The largest upload request: the largest limit a site may set, and room for the form's
/// other parts.
pub const MAX_UPLOAD_BODY_BYTES: usize = MAX_BYTES_CEILING as usize + 64 * 1024;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(
            OpenApiRouter::new()
                .routes(routes!(webchat_upload))
                .routes(routes!(consultation_upload))
                .layer(DefaultBodyLimit::max(MAX_UPLOAD_BODY_BYTES)),
        )
        .routes(routes!(webchat_file))
        .routes(routes!(webchat_thumbnail))
        .routes(routes!(agent_file))
        .routes(routes!(agent_thumbnail))
        .routes(routes!(get_file_rules, put_file_rules))
}

/// The signed links messenger platforms fetch images from (not part of the API document:
/// nobody calls them but by the link Sangdam made).
pub fn link_routes() -> axum::Router<AppState> {
    axum::Router::new().route(
        "/files/{id}/{expires}/{signature}",
        axum::routing::get(linked_file),
    )
}

/// The visitor key, when the `X-Sangdam-Visitor` header cannot be sent (an `<img>`, a link).
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct VisitorKeyQuery {
    #[serde(default)]
    pub visitor: Option<String>,
}

impl VisitorKeyQuery {
    fn as_visitor_query(&self) -> VisitorQuery {
        VisitorQuery {
            visitor: self.visitor.clone(),
            after: None,
        }
    }
}

/// A chat window's upload: the file, and the window's own id for the message. No other part.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct UploadForm {
    /// The file (its part's `filename` is the name it is offered under). Its type is read off
    /// its bytes; the site's rules say which types and how large.
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
    /// The sender's own id for the message (1 to 64 characters): a retry with the same one is
    /// stored once.
    #[schema(min_length = 1, max_length = 64)]
    client_msg_id: Option<String>,
}

/// An agent's upload: the file. No other part.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct AgentUploadForm {
    /// The file (its part's `filename` is the name it is offered under). Its type is read off
    /// its bytes; the site's rules say which types and how large.
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
}

/// An upload as read from its form.
struct Upload {
    name: String,
    bytes: Vec<u8>,
    client_msg_id: Option<String>,
}

/// Reads an upload's form: one `file` part, and `client_msg_id` where `with_client_id`; any
/// other part is refused, as unknown JSON keys of these bodies would be.
async fn read_upload(mut form: Multipart, with_client_id: bool) -> Result<Upload, ApiError> {
    let unreadable = |e: axum::extract::multipart::MultipartError| {
        if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::TooLarge {
                limit: MAX_UPLOAD_BODY_BYTES,
            }
        } else {
            ApiError::BadRequest(format!("not a multipart form: {}", e.body_text()))
        }
    };
    let mut file: Option<(String, Vec<u8>)> = None;
    let mut client_msg_id = None;
    while let Some(field) = form.next_field().await.map_err(unreadable)? {
        match field.name() {
            Some("file") if file.is_none() => {
                let name = field.file_name().unwrap_or_default().to_owned();
                let bytes = field.bytes().await.map_err(unreadable)?;
                file = Some((name, bytes.to_vec()));
            }
            Some("file") => {
                return Err(ApiError::invalid_field("file", "send one file at a time"));
            }
            Some("client_msg_id") if with_client_id => {
                client_msg_id = Some(field.text().await.map_err(unreadable)?);
            }
            other => {
                let name = other
                    .unwrap_or_default()
                    .chars()
                    .take(40)
                    .collect::<String>();
                return Err(ApiError::invalid_field(
                    "file",
                    format!("the form has a part {name:?} it does not take"),
                ));
            }
        }
    }
    let (name, bytes) =
        file.ok_or_else(|| ApiError::invalid_field("file", "the form has no part named file"))?;
    Ok(Upload {
        name,
        bytes,
        client_msg_id,
    })
}

/// The customer sends an image or file from the chat window: stored as a message whose body
/// is the file's name, like a message of text (the window's first one opens its
/// consultation).
#[utoipa::path(
    post,
    path = "/webchat/{site_id}/files",
    tag = "webchat",
    params(SitePath, VisitorKeyQuery, VisitorHeader),
    request_body(content = UploadForm, content_type = "multipart/form-data"),
    responses(
        (status = 200, description = "The stored message, with its `file`.", body = schema::Message),
        (status = 400, description = "The body is not a multipart form.", body = ErrorBody),
        (status = 401, description = "No visitor key of this site.", body = ErrorBody),
        (status = 404, description = "No such site.", body = ErrorBody),
        (status = 409, description = "The room has no open consultation.", body = ErrorBody),
        (status = 413, description = "`file_too_large` (over the site's limit) or `payload_too_large`.", body = ErrorBody),
        (status = 422, description = "`file_empty`, `file_type_unknown` (the bytes are of no accepted type, whatever the name says), `file_type_not_allowed` (the site does not accept this kind), `image_unreadable`, `invalid_field` (no file part, or a part it does not take) or `invalid_client_msg_id`.", body = ErrorBody),
        (status = 429, description = "Too many requests from this address.", body = ErrorBody),
    )
)]
pub async fn webchat_upload(
    State(st): State<AppState>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    IdPath(site): SitePath,
    Query(q): Query<VisitorKeyQuery>,
    headers: HeaderMap,
    form: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Json<MessageRecord>, ApiError> {
    st.check_rate(addr.ip())?;
    let mut v = visitor_of(&st, site, &headers, &q.as_visitor_query()).await?;
    let form = form.map_err(|e| ApiError::BadRequest(e.body_text()))?;
    let upload = read_upload(form, true).await?;
    let (message, _) = st
        .app
        .customer_send_file(
            &mut v,
            &upload.name,
            upload.bytes,
            upload.client_msg_id.as_deref(),
        )
        .await?;
    Ok(Json(message))
}

/// An agent sends an image or file in a consultation they may reply in (like a message).
#[utoipa::path(
    post,
    path = "/consultations/{id}/files",
    tag = "consultations",
    security(("session" = []), ("bearer" = [])),
    params(ConsultationPath),
    request_body(content = AgentUploadForm, content_type = "multipart/form-data"),
    responses(
        (status = 200, description = "Stored; `delivery` says how it goes out.", body = SentAnswer),
        (status = 400, description = "The body is not a multipart form.", body = ErrorBody),
        (status = 401, description = "Not logged in.", body = ErrorBody),
        (status = 403, description = "`forbidden`: an agent, and the consultation is not theirs.", body = ErrorBody),
        (status = 404, description = "No such consultation the caller may read.", body = ErrorBody),
        (status = 409, description = "The consultation is closed.", body = ErrorBody),
        (status = 413, description = "`file_too_large` (over the site's limit) or `payload_too_large`.", body = ErrorBody),
        (status = 422, description = "`file_empty`, `file_type_unknown`, `file_type_not_allowed`, `image_unreadable` or `invalid_field` (no file part, or a part it does not take).", body = ErrorBody),
    )
)]
pub async fn consultation_upload(
    State(st): State<AppState>,
    AuthAgent(agent): AuthAgent,
    IdPath(id): ConsultationPath,
    form: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Json<SentAnswer>, ApiError> {
    let form = form.map_err(|e| ApiError::BadRequest(e.body_text()))?;
    let upload = read_upload(form, false).await?;
    let reply = st
        .app
        .reply_file(&agent, id, &upload.name, upload.bytes)
        .await?;
    Ok(Json(SentAnswer {
        message: reply.message,
        delivery: reply.delivery,
    }))
}

/// A site and one of its files, from `/webchat/{site_id}/files/{file_id}`.
#[derive(Debug, Clone, Copy)]
pub struct SiteFilePath {
    site: SiteId,
    file: FileId,
}

impl<S: Send + Sync> FromRequestParts<S> for SiteFilePath {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let Path((site, file)) = Path::<(String, String)>::from_request_parts(parts, state)
            .await
            .map_err(|e| ApiError::BadRequest(e.body_text()))?;
        Ok(SiteFilePath {
            site: site.parse().map_err(|_| ApiError::NotFound("site"))?,
            file: file.parse().map_err(|_| ApiError::NotFound("file"))?,
        })
    }
}

impl IntoParams for SiteFilePath {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        let param = |name: &str, description: &str| {
            ParameterBuilder::new()
                .name(name)
                .parameter_in(ParameterIn::Path)
                .required(Required::True)
                .description(Some(description))
                .schema(Some(SiteId::schema()))
                .build()
        };
        vec![
            param("site_id", "The site's id."),
            param("file_id", "The file's id."),
        ]
    }
}

/// A file's answer: its bytes with the headers that keep it from running as a page.
fn serve(f: Fetched) -> Response {
    let (content_type, disposition) = if f.thumbnail {
        (
            "image/jpeg",
            content_disposition(&format!("{}.jpg", f.file.name), true),
        )
    } else {
        let served = served_as(&f.file.media_type);
        (
            served.content_type,
            content_disposition(&f.file.name, served.inline),
        )
    };
    // A file id never names other bytes: browsers keep it, but only for this user.
    stored_bytes(
        f.bytes,
        content_type,
        &disposition,
        "private, max-age=86400, immutable",
    )
}

/// Stored bytes as an answer, with the headers that keep them from running as a page: their
/// type, how they are shown (`disposition`), `nosniff`, how long browsers keep them.
pub(crate) fn stored_bytes(
    bytes: Vec<u8>,
    content_type: &'static str,
    disposition: &str,
    cache: &'static str,
) -> Response {
    let mut res = bytes.into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(v) = HeaderValue::from_str(disposition) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    res.extensions_mut().insert(ServedFile);
    res
}

/// A file of a message the chat window sees (by the `X-Sangdam-Visitor` header, or
/// `?visitor=` where an `<img>` or a link cannot send one).
#[utoipa::path(
    get,
    path = "/webchat/{site_id}/files/{file_id}",
    tag = "webchat",
    params(SiteFilePath, VisitorKeyQuery, VisitorHeader),
    responses(
        (status = 200, description = "The file: an image inline with its own type, anything else as a download.", content_type = "application/octet-stream", body = Vec<u8>),
        (status = 401, description = "No visitor key of this site.", body = ErrorBody),
        (status = 404, description = "No such file in a message this window sees.", body = ErrorBody),
        (status = 429, description = "Too many requests from this address.", body = ErrorBody),
    )
)]
pub async fn webchat_file(
    State(st): State<AppState>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    path: SiteFilePath,
    Query(q): Query<VisitorKeyQuery>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    st.check_rate(addr.ip())?;
    let v = visitor_of(&st, path.site, &headers, &q.as_visitor_query()).await?;
    Ok(serve(st.app.file_for_visitor(&v, path.file, false).await?))
}

/// An image's thumbnail (a JPEG of at most 320 pixels a side), for the chat window.
#[utoipa::path(
    get,
    path = "/webchat/{site_id}/files/{file_id}/thumbnail",
    tag = "webchat",
    params(SiteFilePath, VisitorKeyQuery, VisitorHeader),
    responses(
        (status = 200, description = "The thumbnail.", content_type = "image/jpeg", body = Vec<u8>),
        (status = 401, description = "No visitor key of this site.", body = ErrorBody),
        (status = 404, description = "No such file in a message this window sees, or it has no thumbnail.", body = ErrorBody),
        (status = 429, description = "Too many requests from this address.", body = ErrorBody),
    )
)]
pub async fn webchat_thumbnail(
    State(st): State<AppState>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    path: SiteFilePath,
    Query(q): Query<VisitorKeyQuery>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    st.check_rate(addr.ip())?;
    let v = visitor_of(&st, path.site, &headers, &q.as_visitor_query()).await?;
    Ok(serve(st.app.file_for_visitor(&v, path.file, true).await?))
}

/// A file of a room the caller may read.
#[utoipa::path(
    get,
    path = "/files/{id}",
    tag = "consultations",
    security(("session" = []), ("bearer" = [])),
    params(FilePath),
    responses(
        (status = 200, description = "The file: an image inline with its own type, anything else as a download.", content_type = "application/octet-stream", body = Vec<u8>),
        (status = 401, description = "Not logged in.", body = ErrorBody),
        (status = 404, description = "No such file in a room the caller may read.", body = ErrorBody),
    )
)]
pub async fn agent_file(
    State(st): State<AppState>,
    AuthAgent(agent): AuthAgent,
    IdPath(id): FilePath,
) -> Result<Response, ApiError> {
    Ok(serve(st.app.file_for_agent(&agent, id, false).await?))
}

/// An image's thumbnail (a JPEG of at most 320 pixels a side).
#[utoipa::path(
    get,
    path = "/files/{id}/thumbnail",
    tag = "consultations",
    security(("session" = []), ("bearer" = [])),
    params(FilePath),
    responses(
        (status = 200, description = "The thumbnail.", content_type = "image/jpeg", body = Vec<u8>),
        (status = 401, description = "Not logged in.", body = ErrorBody),
        (status = 404, description = "No such file in a room the caller may read, or it has no thumbnail.", body = ErrorBody),
    )
)]
pub async fn agent_thumbnail(
    State(st): State<AppState>,
    AuthAgent(agent): AuthAgent,
    IdPath(id): FilePath,
) -> Result<Response, ApiError> {
    Ok(serve(st.app.file_for_agent(&agent, id, true).await?))
}

/// A file through the link Sangdam gave a messenger platform.
async fn linked_file(
    State(st): State<AppState>,
    Path((id, expires, signature)): Path<(String, String, String)>,
) -> Result<Response, ApiError> {
    let id: FileId = id.parse().map_err(|_| ApiError::NotFound("file"))?;
    let expires: i64 = expires.parse().map_err(|_| ApiError::NotFound("file"))?;
    Ok(serve(st.app.file_by_link(id, expires, &signature).await?))
}

/// What the site accepts from customers and agents.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct FileRulesBody {
    /// The largest file, in bytes (1 to 52,428,800; 10 MB until changed).
    #[schema(minimum = 1, maximum = 52428800)]
    #[serde(deserialize_with = "crate::api::extract::whole")]
    pub max_bytes: i64,
    /// The kinds accepted, each once however often given (an empty list accepts no file at
    /// all).
    pub kinds: Vec<FileKind>,
}

impl From<FileRules> for FileRulesBody {
    fn from(r: FileRules) -> Self {
        FileRulesBody {
            max_bytes: i64::try_from(r.max_bytes).unwrap_or(i64::MAX),
            kinds: r.kinds,
        }
    }
}

/// What the site accepts as images and files.
#[utoipa::path(
    get,
    path = "/site/file-rules",
    tag = "site",
    security(("session" = []), ("bearer" = [])),
    responses(
        (status = 200, description = "The site's rules.", body = FileRulesBody),
        (status = 401, description = "Not logged in.", body = ErrorBody),
        (status = 403, description = "Not the site's admin.", body = ErrorBody),
    )
)]
pub async fn get_file_rules(
    State(st): State<AppState>,
    Admin(admin): Admin,
) -> Result<Json<FileRulesBody>, ApiError> {
    Ok(Json(st.app.file_rules(admin.site_id).await?.into()))
}

/// The admin sets what the site accepts as images and files.
#[utoipa::path(
    put,
    path = "/site/file-rules",
    tag = "site",
    security(("session" = []), ("bearer" = [])),
    request_body = FileRulesBody,
    responses(
        (status = 200, description = "The rules as saved.", body = FileRulesBody),
        (status = 400, description = "The body is not the rules.", body = ErrorBody),
        (status = 401, description = "Not logged in.", body = ErrorBody),
        (status = 403, description = "Not the site's admin.", body = ErrorBody),
        (status = 413, description = "The body is too large.", body = ErrorBody),
        (status = 422, description = "`invalid_field`: a limit outside 1 to 52,428,800 bytes.", body = ErrorBody),
    )
)]
pub async fn put_file_rules(
    State(st): State<AppState>,
    Admin(admin): Admin,
    body: Result<Body<FileRulesBody>, ApiError>,
) -> Result<Json<FileRulesBody>, ApiError> {
    let Body(req) = body?;
    let rules = st
        .app
        // A negative limit is no limit the rules take (refused as out of range).
        .set_file_rules(
            admin.site_id,
            u64::try_from(req.max_bytes).unwrap_or(0),
            &req.kinds,
        )
        .await?;
    Ok(Json(rules.into()))
}
