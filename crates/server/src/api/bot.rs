//! The chatbot (R4.1–R4.5) for the site's admin: its settings, blocks and knowledge base
//! (with import and export), and the test console. The rules are the `bot` crate's; who may
//! do what and the answering side are the application's ([`app::bot`]).

use axum::Json;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use app::bot::{BlockInput, BlockView, BotTest, BotView, EntryInput, EntryView};
use app::bot_io::SheetFormat;

use crate::api::extract::{BlockPath, Body, EntryPath, IdPath};
use crate::api::site::Admin;
use crate::error::{ApiError, ErrorBody};
use crate::state::AppState;

/// The largest knowledge-base import (10,000 entries of a few questions each).
pub const MAX_KB_IMPORT_BYTES: usize = 8 * 1024 * 1024;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_bot))
        .routes(routes!(put_settings))
        .routes(routes!(add_block))
        .routes(routes!(edit_block, delete_block))
        .routes(routes!(list_entries, add_entry))
        .routes(routes!(edit_entry, delete_entry))
        .routes(routes!(export_entries))
        .routes(routes!(test_bot))
        .merge(
            OpenApiRouter::new()
                .routes(routes!(import_entries))
                .layer(DefaultBodyLimit::max(MAX_KB_IMPORT_BYTES)),
        )
}

/// The site's chatbot: settings, blocks (a welcome and a fallback block to begin with) and how
/// many knowledge-base entries it has. Set up, switched off, the first time it is read.
#[utoipa::path(
    get,
    path = "/bot",
    tag = "chatbot",
    security(("session" = []), ("bearer" = [])),
    responses(
        (status = 200, description = "The bot.", body = BotView),
        (status = 401, description = "Not logged in.", body = ErrorBody),
        (status = 403, description = "Not the site's admin.", body = ErrorBody),
    )
)]
pub async fn get_bot(
    State(st): State<AppState>,
    Admin(a): Admin,
) -> Result<Json<BotView>, ApiError> {
    Ok(Json(st.app.bot_view(&a).await?))
}

/// The bot's settings.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BotSettingsBody {
    /// The bot answers consultations that start with it.
    pub enabled: bool,
    /// Every new consultation starts with the bot (otherwise only chat URLs with
    /// `bot_start=true`).
    pub bot_first: bool,
    /// The knowledge base and blocks' example utterances answer from this calibrated accuracy
    /// on (among answers given at accuracy about X, about X % are right).
    #[schema(minimum = 0, maximum = 100)]
    pub min_accuracy: u8,
    /// After this many fallbacks in a row the bot offers an agent (0: never).
    #[schema(minimum = 0, maximum = 10)]
    pub fallbacks_before_offer: u8,
    /// The offer's label (a quick reply: at most 14 characters).
    #[schema(min_length = 1, max_length = 14)]
    pub handoff_label: String,
}

/// Saves the bot's settings.
#[utoipa::path(
    put,
    path = "/bot/settings",
    tag = "chatbot",
    security(("session" = []), ("bearer" = [])),
    request_body = BotSettingsBody,
    responses(
        (status = 200, description = "The bot as it now is.", body = BotView),
        (status = 400, description = "The body is not the bot's settings.", body = ErrorBody),
        (status = 401, description = "Not logged in.", body = ErrorBody),
        (status = 403, description = "Not the site's admin.", body = ErrorBody),
        (status = 413, description = "The body is too large.", body = ErrorBody),
        (status = 422, description = "`invalid_field`: each refused setting named in `details.errors`.", body = ErrorBody),
    )
)]
pub async fn put_settings(
    State(st): State<AppState>,
    Admin(a): Admin,
    body: Result<Body<BotSettingsBody>, ApiError>,
) -> Result<Json<BotView>, ApiError> {
    let Body(b) = body?;
    let settings = bot::BotSettings {
        enabled: b.enabled,
        bot_first: b.bot_first,
        min_accuracy: b.min_accuracy,
        fallbacks_before_offer: b.fallbacks_before_offer,
        handoff_label: bot::trim_within(&b.handoff_label, bot::limits::HANDOFF_LABEL_MAX),
    };
    Ok(Json(st.app.save_bot_settings(&a, &settings).await?))
}

/// A block as saved.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BlockBody {
    /// At most 50 characters.
    #[schema(min_length = 1, max_length = 50)]
    pub name: String,
    /// Example utterances (at most 100 of at most 200 characters), scored like the knowledge
    /// base's questions.
    #[serde(default)]
    pub utterances: Vec<String>,
    /// Words (at most 20 of at most 30 characters) that pick the block when an utterance
    /// contains one (spaces ignored).
    #[serde(default)]
    pub keywords: Vec<String>,
    /// What the block answers: Open Builder's skill template `{"outputs": [...],
    /// "quickReplies": [...]}`, checked against every Open Builder limit (each broken one named
    /// by its path). May be empty with a `skill_url`.
    #[serde(default)]
    #[schema(value_type = Object)]
    pub response: serde_json::Value,
    /// An outside skill server asked for the answer (Open Builder's request, 5 s); a failure
    /// runs the fallback block.
    #[serde(default)]
    pub skill_url: Option<String>,
    /// The consultation plugin: reaching the block hands the customer to an agent (after its
    /// response, if it has one).
    #[serde(default)]
    pub hand_off: bool,
    /// The Event API's event this block sends (letters, digits and `_`; one block per name).
    /// Its texts may use `{{data.KEY}}` and `{{params.KEY}}` of the Event API request.
    #[serde(default)]
    pub event: Option<String>,
    /// The plugin the block asks the customer through, after its response: `profile` (a form
    /// of name, phone and e-mail with consent in the web chat window), `kakao_sync` (the same
    /// form, with consent to the sign-up terms), `location` (the browser's location, with
    /// consent). The plugin must be set up and working (`plugin` names why not).
    #[serde(default)]
    pub plugin: Option<PluginStep>,
}

/// A plugin a block asks through.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PluginStep {
    Profile,
    KakaoSync,
    Location,
}

impl From<PluginStep> for bot::BlockPlugin {
    fn from(p: PluginStep) -> Self {
        match p {
            PluginStep::Profile => bot::BlockPlugin::Profile,
            PluginStep::KakaoSync => bot::BlockPlugin::KakaoSync,
            PluginStep::Location => bot::BlockPlugin::Location,
        }
    }
}

fn block_input(b: BlockBody) -> Result<BlockInput, ApiError> {
    let response = if b.response.is_null() {
        protocol::kakao::SkillTemplate::default()
    } else {
        serde_json::from_value(b.response)
            .map_err(|e| ApiError::BadRequest(format!("response is not a skill template: {e}")))?
    };
    Ok(BlockInput {
        name: b.name,
        utterances: b.utterances,
        keywords: b.keywords,
        response,
        skill_url: b.skill_url,
        hand_off: b.hand_off,
        event: b.event,
        plugin: b.plugin.map(Into::into),
    })
}

/// Adds a general block.
#[utoipa::path(
    post,
    path = "/bot/blocks",
    tag = "chatbot",
    security(("session" = []), ("bearer" = [])),
    request_body = BlockBody,
    responses(
        (status = 201, description = "The block.", body = BlockView),
        (status = 400, description = "The body is not a block (or its response no skill template).", body = ErrorBody),
        (status = 401, description = "Not logged in.", body = ErrorBody),
        (status = 403, description = "Not the site's admin.", body = ErrorBody),
        (status = 409, description = "The bot has 300 blocks.", body = ErrorBody),
        (status = 413, description = "The body is too large.", body = ErrorBody),
        (status = 422, description = "`invalid_field`: every broken limit named by its path (`response.outputs[0].basicCard.title`), or a button naming no block.", body = ErrorBody),
    )
)]
pub async fn add_block(
    State(st): State<AppState>,
    Admin(a): Admin,
    body: Result<Body<BlockBody>, ApiError>,
) -> Result<(StatusCode, Json<BlockView>), ApiError> {
    let Body(b) = body?;
    let input = block_input(b)?;
    Ok((
        StatusCode::CREATED,
        Json(st.app.create_block(&a, &input).await?),
    ))
}

/// Changes a block (its kind stays).
#[utoipa::path(
    put,
    path = "/bot/blocks/{id}",
    tag = "chatbot",
    security(("session" = []), ("bearer" = [])),
    params(BlockPath),
    request_body = BlockBody,
    responses(
        (status = 200, description = "The block as it now is.", body = BlockView),
        (status = 400, description = "The body is not a block.", body = ErrorBody),
        (status = 401, description = "Not logged in.", body = ErrorBody),
        (status = 403, description = "Not the site's admin.", body = ErrorBody),
        (status = 404, description = "No such block of the site.", body = ErrorBody),
        (status = 413, description = "The body is too large.", body = ErrorBody),
        (status = 422, description = "`invalid_field`: every broken limit named by its path.", body = ErrorBody),
    )
)]
pub async fn edit_block(
    State(st): State<AppState>,
    Admin(a): Admin,
    IdPath(id): BlockPath,
    body: Result<Body<BlockBody>, ApiError>,
) -> Result<Json<BlockView>, ApiError> {
    let Body(b) = body?;
    let input = block_input(b)?;
    Ok(Json(st.app.update_block(&a, id.0, &input).await?))
}

/// Deletes a general block no other block's button leads to.
#[utoipa::path(
    delete,
    path = "/bot/blocks/{id}",
    tag = "chatbot",
    security(("session" = []), ("bearer" = [])),
    params(BlockPath),
    responses(
        (status = 204, description = "Deleted."),
        (status = 401, description = "Not logged in.", body = ErrorBody),
        (status = 403, description = "Not the site's admin.", body = ErrorBody),
        (status = 404, description = "No such block of the site.", body = ErrorBody),
        (status = 409, description = "The welcome or fallback block, or one other blocks' buttons lead to (named).", body = ErrorBody),
    )
)]
pub async fn delete_block(
    State(st): State<AppState>,
    Admin(a): Admin,
    IdPath(id): BlockPath,
) -> Result<StatusCode, ApiError> {
    st.app.delete_block(&a, id.0).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The knowledge base.
#[derive(Debug, Serialize, ToSchema)]
pub struct EntriesAnswer {
    pub entries: Vec<EntryView>,
}

/// The knowledge base's entries, oldest first.
#[utoipa::path(
    get,
    path = "/bot/knowledge",
    tag = "chatbot",
    security(("session" = []), ("bearer" = [])),
    responses(
        (status = 200, description = "The entries.", body = EntriesAnswer),
        (status = 401, description = "Not logged in.", body = ErrorBody),
        (status = 403, description = "Not the site's admin.", body = ErrorBody),
    )
)]
pub async fn list_entries(
    State(st): State<AppState>,
    Admin(a): Admin,
) -> Result<Json<EntriesAnswer>, ApiError> {
    Ok(Json(EntriesAnswer {
        entries: st.app.kb_entries(&a).await?,
    }))
}

/// A knowledge-base entry as saved.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EntryBody {
    #[serde(default)]
    #[schema(max_length = 50)]
    pub category: String,
    #[serde(default = "yes")]
    pub enabled: bool,
    /// Example questions: 1 to 50, each at most 200 characters.
    #[schema(min_items = 1, max_items = 50)]
    pub questions: Vec<String>,
    /// The answer: a text, or Open Builder's skill template.
    #[schema(value_type = Object)]
    pub answer: serde_json::Value,
}

fn yes() -> bool {
    true
}

fn entry_input(b: EntryBody) -> Result<EntryInput, ApiError> {
    let answer = match b.answer {
        serde_json::Value::String(text) => app::bot::text_template(&text),
        other => serde_json::from_value(other).map_err(|e| {
            ApiError::BadRequest(format!("answer is not a text or a skill template: {e}"))
        })?,
    };
    Ok(EntryInput {
        category: b.category,
        enabled: b.enabled,
        questions: b.questions,
        answer,
    })
}

/// Adds an entry.
#[utoipa::path(
    post,
    path = "/bot/knowledge",
    tag = "chatbot",
    security(("session" = []), ("bearer" = [])),
    request_body = EntryBody,
    responses(
        (status = 201, description = "The entry.", body = EntryView),
        (status = 400, description = "The body is not an entry.", body = ErrorBody),
        (status = 401, description = "Not logged in.", body = ErrorBody),
        (status = 403, description = "Not the site's admin.", body = ErrorBody),
        (status = 409, description = "The knowledge base holds 10,000 entries.", body = ErrorBody),
        (status = 413, description = "The body is too large.", body = ErrorBody),
        (status = 422, description = "`invalid_field`: each problem named by its field.", body = ErrorBody),
    )
)]
pub async fn add_entry(
    State(st): State<AppState>,
    Admin(a): Admin,
    body: Result<Body<EntryBody>, ApiError>,
) -> Result<(StatusCode, Json<EntryView>), ApiError> {
    let Body(b) = body?;
    let input = entry_input(b)?;
    let mut added = st.app.add_entries(&a, &[input], false).await?;
    let entry = added
        .pop()
        .ok_or_else(|| ApiError::Internal("an entry added without its record".into()))?;
    Ok((StatusCode::CREATED, Json(entry)))
}

/// Changes an entry.
#[utoipa::path(
    put,
    path = "/bot/knowledge/{id}",
    tag = "chatbot",
    security(("session" = []), ("bearer" = [])),
    params(EntryPath),
    request_body = EntryBody,
    responses(
        (status = 200, description = "The entry as it now is.", body = EntryView),
        (status = 400, description = "The body is not an entry.", body = ErrorBody),
        (status = 401, description = "Not logged in.", body = ErrorBody),
        (status = 403, description = "Not the site's admin.", body = ErrorBody),
        (status = 404, description = "No such entry of the site.", body = ErrorBody),
        (status = 413, description = "The body is too large.", body = ErrorBody),
        (status = 422, description = "`invalid_field`: each problem named by its field.", body = ErrorBody),
    )
)]
pub async fn edit_entry(
    State(st): State<AppState>,
    Admin(a): Admin,
    IdPath(id): EntryPath,
    body: Result<Body<EntryBody>, ApiError>,
) -> Result<Json<EntryView>, ApiError> {
    let Body(b) = body?;
    let input = entry_input(b)?;
    Ok(Json(st.app.update_entry(&a, id.0, &input).await?))
}

/// Deletes an entry.
#[utoipa::path(
    delete,
    path = "/bot/knowledge/{id}",
    tag = "chatbot",
    security(("session" = []), ("bearer" = [])),
    params(EntryPath),
    responses(
        (status = 204, description = "Deleted."),
        (status = 401, description = "Not logged in.", body = ErrorBody),
        (status = 403, description = "Not the site's admin.", body = ErrorBody),
        (status = 404, description = "No such entry of the site.", body = ErrorBody),
    )
)]
pub async fn delete_entry(
    State(st): State<AppState>,
    Admin(a): Admin,
    IdPath(id): EntryPath,
) -> Result<StatusCode, ApiError> {
    st.app.delete_entry(&a, id.0).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A spreadsheet's format, and whether an import replaces the knowledge base.
#[derive(Debug, Deserialize, IntoParams)]
pub struct SheetQuery {
    /// `csv` or `xlsx`.
    #[param(value_type = String, pattern = "^(csv|xlsx)$")]
    pub format: SheetFormat,
    /// Import only: replace every entry (otherwise the rows are added).
    #[serde(default)]
    pub replace: bool,
}

/// How many entries an import added.
#[derive(Debug, Serialize, ToSchema)]
pub struct ImportAnswer {
    pub imported: usize,
}

/// Imports entries from a CSV (UTF-8) or xlsx file, sent as the body. Its first row names the
/// columns: `질문` (one question a line) and `답변` (a text, or a skill template as JSON) are
/// needed, `분류` and `사용` (Y/N) optional; English names (`questions`, `answer`,
/// `category`, `enabled`) too. Every row is checked first: one refused row refuses the file,
/// each problem named by its row (`rows[3].questions`).
#[utoipa::path(
    post,
    path = "/bot/knowledge/import",
    tag = "chatbot",
    security(("session" = []), ("bearer" = [])),
    params(SheetQuery),
    request_body(content = Vec<u8>, description = "The file.", content_type = "application/octet-stream"),
    responses(
        (status = 200, description = "Imported.", body = ImportAnswer),
        (status = 400, description = "No `format`.", body = ErrorBody),
        (status = 401, description = "Not logged in.", body = ErrorBody),
        (status = 403, description = "Not the site's admin.", body = ErrorBody),
        (status = 409, description = "The knowledge base would hold over 10,000 entries.", body = ErrorBody),
        (status = 413, description = "The file is over 8 MB.", body = ErrorBody),
        (status = 422, description = "`invalid_field`: the file is unreadable, or rows are refused (each named).", body = ErrorBody),
    )
)]
pub async fn import_entries(
    State(st): State<AppState>,
    Admin(a): Admin,
    query: Result<Query<SheetQuery>, axum::extract::rejection::QueryRejection>,
    body: Bytes,
) -> Result<Json<ImportAnswer>, ApiError> {
    let Query(q) = query.map_err(|e| ApiError::BadRequest(e.body_text()))?;
    let format = q.format;
    let entries = tokio::task::spawn_blocking(move || app::bot_io::read_entries(format, &body))
        .await
        .map_err(|e| ApiError::Internal(format!("reading the import: {e}")))??;
    let added = st.app.add_entries(&a, &entries, q.replace).await?;
    Ok(Json(ImportAnswer {
        imported: added.len(),
    }))
}

/// The knowledge base as a CSV or xlsx file the import reads back.
#[derive(Debug, Deserialize, IntoParams)]
pub struct ExportQuery {
    /// `csv` or `xlsx`.
    #[param(value_type = String, pattern = "^(csv|xlsx)$")]
    pub format: SheetFormat,
}

/// Downloads the knowledge base.
#[utoipa::path(
    get,
    path = "/bot/knowledge/export",
    tag = "chatbot",
    security(("session" = []), ("bearer" = [])),
    params(ExportQuery),
    responses(
        (status = 200, description = "The file (Korean column names).", content(
            (String = "text/csv"),
            (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        )),
        (status = 400, description = "No `format`.", body = ErrorBody),
        (status = 401, description = "Not logged in.", body = ErrorBody),
        (status = 403, description = "Not the site's admin.", body = ErrorBody),
    )
)]
pub async fn export_entries(
    State(st): State<AppState>,
    Admin(a): Admin,
    query: Result<Query<ExportQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(q) = query.map_err(|e| ApiError::BadRequest(e.body_text()))?;
    let entries = st.app.kb_entries(&a).await?;
    let format = q.format;
    let bytes = tokio::task::spawn_blocking(move || app::bot_io::write_entries(format, &entries))
        .await
        .map_err(|e| ApiError::Internal(format!("writing the export: {e}")))??;
    Ok((
        [
            (header::CONTENT_TYPE, format.media_type().to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!(
                    "attachment; filename=\"knowledge-base.{}\"",
                    format.extension()
                ),
            ),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        bytes,
    )
        .into_response())
}

/// An utterance to try.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TestBody {
    #[schema(min_length = 1, max_length = 200)]
    pub utterance: String,
}

/// The test console: the three best candidates for an utterance (blocks' examples and
/// knowledge-base entries, with their calibrated accuracies) and what the bot would do with it
/// at the start of a conversation. Nothing is stored.
#[utoipa::path(
    post,
    path = "/bot/test",
    tag = "chatbot",
    security(("session" = []), ("bearer" = [])),
    request_body = TestBody,
    responses(
        (status = 200, description = "The candidates and the outcome.", body = BotTest),
        (status = 400, description = "The body is not an utterance.", body = ErrorBody),
        (status = 401, description = "Not logged in.", body = ErrorBody),
        (status = 403, description = "Not the site's admin.", body = ErrorBody),
        (status = 413, description = "The body is too large.", body = ErrorBody),
        (status = 422, description = "`invalid_field`: an empty utterance, or one over 200 characters.", body = ErrorBody),
    )
)]
pub async fn test_bot(
    State(st): State<AppState>,
    Admin(a): Admin,
    body: Result<Body<TestBody>, ApiError>,
) -> Result<Json<BotTest>, ApiError> {
    let Body(b) = body?;
    let chars = b.utterance.chars().count();
    if b.utterance.trim().is_empty() || chars > bot::limits::UTTERANCE_MAX {
        return Err(app::AppError::Fields(vec![(
            "utterance".into(),
            format!(
                "is {chars} characters; 1 to {} that are not only spaces",
                bot::limits::UTTERANCE_MAX
            ),
        )])
        .into());
    }
    Ok(Json(st.app.bot_test(&a, &b.utterance).await?))
}
