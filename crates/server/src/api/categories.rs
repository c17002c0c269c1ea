//! Consultation categories (R3.2): the site's tree, which its admin builds under
//! `/api/v1/site/categories` (add, rename, reorder, switch, choose the default), which every
//! account of the site reads at `/api/v1/categories`, and a consultation's classification,
//! which whoever may handle the consultation sets (`PUT /api/v1/consultations/{id}/category`).
//! The rules are core's ([`sangdam_core::category`]); the application checks who may.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use sangdam_core::CategoryId;
use sangdam_core::category::{Edit, MAX_CATEGORY_NAME_CHARS, MAX_SUB_LABEL_CHARS, Node, Tree};
use serde::{Deserialize, Serialize};
use store::ConsultationRecord;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::api::extract::{Body, ConsultationPath, IdPath, whole_number};
use crate::api::site::Admin;
use crate::api::{patterns, schema};
use crate::auth::AuthAgent;
use crate::error::{ApiError, ErrorBody, ErrorCode, ErrorDetails};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(admin_list, add))
        .routes(routes!(edit))
        .routes(routes!(move_node))
        .routes(routes!(classify))
}

pub type CategoryPath = IdPath<CategoryId>;

/// A division as listed.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DivisionView {
    pub id: CategoryId,
    /// The category it belongs to.
    pub category_id: CategoryId,
    pub name: String,
    /// Its place among its category's divisions, from 0.
    pub position: i64,
    pub used: bool,
}

/// A category with its divisions, in order.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CategoryView {
    pub id: CategoryId,
    pub name: String,
    /// Its place among the categories, from 0.
    pub position: i64,
    pub used: bool,
    /// Whether it is the site's default category (the one an inflow without a usable
    /// category gets).
    pub is_default: bool,
    pub divisions: Vec<DivisionView>,
}

/// The limits the rules apply, for a page to show.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CategoryLimits {
    pub name_chars: usize,
    pub sub_label_chars: usize,
}

/// The site's tree, used and unused, in order.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CategoryTree {
    pub categories: Vec<CategoryView>,
    pub limits: CategoryLimits,
}

pub fn tree_view(tree: &Tree) -> CategoryTree {
    CategoryTree {
        categories: tree
            .categories()
            .map(|c| CategoryView {
                id: c.id,
                name: c.name.clone(),
                position: c.position,
                used: c.used,
                is_default: c.is_default,
                divisions: tree
                    .divisions(c.id)
                    .map(|d| DivisionView {
                        id: d.id,
                        category_id: c.id,
                        name: d.name.clone(),
                        position: d.position,
                        used: d.used,
                    })
                    .collect(),
            })
            .collect(),
        limits: CategoryLimits {
            name_chars: MAX_CATEGORY_NAME_CHARS,
            sub_label_chars: MAX_SUB_LABEL_CHARS,
        },
    }
}

/// A node just added.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct NodeView {
    pub id: CategoryId,
    /// The category of a division; `null` for a category.
    pub parent_id: Option<CategoryId>,
    pub name: String,
    pub position: i64,
    pub used: bool,
    pub is_default: bool,
}

impl From<Node> for NodeView {
    fn from(n: Node) -> Self {
        NodeView {
            id: n.id,
            parent_id: n.parent,
            name: n.name,
            position: n.position,
            used: n.used,
            is_default: n.is_default,
        }
    }
}

/// An id given in a body (a JSON number: `3` and `3.0` alike): a positive whole number, else
/// refused naming `field`.
fn id_field(
    field: &'static str,
    n: Option<&serde_json::Number>,
) -> Result<Option<CategoryId>, ApiError> {
    let Some(n) = n else {
        return Ok(None);
    };
    match whole_number(n).filter(|v| *v >= 1) {
        Some(v) => Ok(Some(CategoryId::new(v))),
        None => Err(ApiError::Invalid {
            code: ErrorCode::InvalidField,
            message: format!("{field} is a positive whole number"),
            details: Some(ErrorDetails::Field {
                field: field.into(),
            }),
        }),
    }
}

fn name_schema() -> utoipa::openapi::Object {
    patterns::string(patterns::trimmed_text(MAX_CATEGORY_NAME_CHARS, true), false)
}

fn optional_name_schema() -> utoipa::openapi::Object {
    patterns::string(patterns::trimmed_text(MAX_CATEGORY_NAME_CHARS, true), true)
}

fn sub_label_schema() -> utoipa::openapi::Object {
    patterns::string(patterns::trimmed_text(MAX_SUB_LABEL_CHARS, false), true)
}

/// The tree, for any account of the site (agents classify consultations with it).
#[utoipa::path(
    get,
    path = "/categories",
    tag = "categories",
    security(("session" = []), ("bearer" = [])),
    responses(
        (status = 200, description = "The site's categories with their divisions, used and unused, in order.", body = CategoryTree),
        (status = 401, description = "Not logged in.", body = ErrorBody),
    )
)]
pub async fn list(
    State(st): State<AppState>,
    AuthAgent(agent): AuthAgent,
) -> Result<Json<CategoryTree>, ApiError> {
    Ok(Json(tree_view(&st.app.category_tree(&agent).await?)))
}

/// The tree (admin), as the admin page edits it.
#[utoipa::path(
    get,
    path = "/site/categories",
    tag = "categories",
    security(("session" = []), ("bearer" = [])),
    responses(
        (status = 200, description = "The site's categories with their divisions, used and unused, in order.", body = CategoryTree),
        (status = 401, description = "Not logged in.", body = ErrorBody),
        (status = 403, description = "Not the site's admin.", body = ErrorBody),
    )
)]
pub async fn admin_list(
    State(st): State<AppState>,
    Admin(agent): Admin,
) -> Result<Json<CategoryTree>, ApiError> {
    Ok(Json(tree_view(&st.app.category_tree(&agent).await?)))
}

/// A category to add, or a division of `parent_id`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AddRequest {
    /// 1 to 15 characters (trimmed), no control characters; unique among its siblings.
    #[schema(schema_with = name_schema)]
    pub name: String,
    /// The category a division is added to (used); absent or `null` adds a category.
    #[serde(default)]
    #[schema(value_type = Option<i64>, minimum = 1)]
    pub parent_id: Option<serde_json::Number>,
}

/// Add a category, or a division of a used category (admin). It comes in use, after its
/// siblings.
#[utoipa::path(
    post,
    path = "/site/categories",
    tag = "categories",
    security(("session" = []), ("bearer" = [])),
    request_body = AddRequest,
    responses(
        (status = 201, description = "Added.", body = NodeView),
        (status = 400, description = "The body is not a category to add.", body = ErrorBody),
        (status = 401, description = "Not logged in.", body = ErrorBody),
        (status = 403, description = "Not the site's admin.", body = ErrorBody),
        (status = 409, description = "Another request gave a sibling the same name meanwhile.", body = ErrorBody),
        (status = 413, description = "The body is too large.", body = ErrorBody),
        (status = 422, description = "`category_name_too_long`, `invalid_category_name`, `duplicate_category_name`; for `parent_id`: `unknown_category`, `not_a_category` (a division), `category_unused`, `invalid_field`. `details.field` names the field.", body = ErrorBody),
    )
)]
pub async fn add(
    State(st): State<AppState>,
    Admin(agent): Admin,
    body: Result<Body<AddRequest>, ApiError>,
) -> Result<(StatusCode, Json<NodeView>), ApiError> {
    let Body(req) = body?;
    let parent = id_field("parent_id", req.parent_id.as_ref())?;
    let node = st.app.add_category(&agent, parent, &req.name).await?;
    Ok((StatusCode::CREATED, Json(node.into())))
}

/// What to change of a node; a part left out stays as it is.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EditRequest {
    /// A new name: 1 to 15 characters (trimmed), no control characters; unique among its
    /// siblings.
    #[serde(default)]
    #[schema(schema_with = optional_name_schema)]
    pub name: Option<String>,
    /// Switch it on or off. Off takes a category's divisions with it; a division comes on
    /// only under a category in use; the default category cannot go off (unless `default`
    /// is `false` in the same request).
    #[serde(default)]
    pub used: Option<bool>,
    /// Make this used category the site's default (`true`, replacing the former one), or stop
    /// it being the default (`false`).
    #[serde(default)]
    pub default: Option<bool>,
}

/// Rename a category or division, switch it on or off, or choose the default category
/// (admin). Nothing is ever deleted: what is no longer offered is switched off.
#[utoipa::path(
    patch,
    path = "/site/categories/{id}",
    tag = "categories",
    security(("session" = []), ("bearer" = [])),
    params(CategoryPath),
    request_body = EditRequest,
    responses(
        (status = 200, description = "Changed; the tree as it now is.", body = CategoryTree),
        (status = 400, description = "The body is not a change of a category.", body = ErrorBody),
        (status = 401, description = "Not logged in.", body = ErrorBody),
        (status = 403, description = "Not the site's admin.", body = ErrorBody),
        (status = 404, description = "No such category or division on the caller's site.", body = ErrorBody),
        (status = 409, description = "Another request gave a sibling the same name meanwhile.", body = ErrorBody),
        (status = 413, description = "The body is too large.", body = ErrorBody),
        (status = 422, description = "`category_name_too_long`, `invalid_category_name`, `duplicate_category_name` (`name`); `category_unused` (a division switched on under an unused category, or an unused default), `category_is_default` (`used`); `not_a_category` (`default` on a division).", body = ErrorBody),
    )
)]
pub async fn edit(
    State(st): State<AppState>,
    Admin(agent): Admin,
    IdPath(id): CategoryPath,
    body: Result<Body<EditRequest>, ApiError>,
) -> Result<Json<CategoryTree>, ApiError> {
    let Body(req) = body?;
    let change = Edit {
        name: req.name,
        used: req.used,
        default: req.default,
    };
    let tree = st.app.edit_category(&agent, id, &change).await?;
    Ok(Json(tree_view(&tree)))
}

/// Where a node goes among its siblings.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MoveRequest {
    /// Its new place, from 0 (first) to the number of its siblings less one.
    #[schema(value_type = i64, minimum = 0)]
    pub position: serde_json::Number,
}

/// Move a category among the categories, or a division among its category's (admin); the
/// others close up.
#[utoipa::path(
    post,
    path = "/site/categories/{id}/move",
    tag = "categories",
    security(("session" = []), ("bearer" = [])),
    params(CategoryPath),
    request_body = MoveRequest,
    responses(
        (status = 200, description = "Moved; the tree as it now is.", body = CategoryTree),
        (status = 400, description = "The body is not a move.", body = ErrorBody),
        (status = 401, description = "Not logged in.", body = ErrorBody),
        (status = 403, description = "Not the site's admin.", body = ErrorBody),
        (status = 404, description = "No such category or division on the caller's site.", body = ErrorBody),
        (status = 413, description = "The body is too large.", body = ErrorBody),
        (status = 422, description = "`invalid_position`: not a place among its siblings.", body = ErrorBody),
    )
)]
pub async fn move_node(
    State(st): State<AppState>,
    Admin(agent): Admin,
    IdPath(id): CategoryPath,
    body: Result<Body<MoveRequest>, ApiError>,
) -> Result<Json<CategoryTree>, ApiError> {
    let Body(req) = body?;
    // Not a whole number: a place no tree has, which the rule refuses with its own code.
    let position = whole_number(&req.position).unwrap_or(-1);
    let tree = st.app.move_category(&agent, id, position).await?;
    Ok(Json(tree_view(&tree)))
}

/// A consultation's classification, all three parts (a part left out or `null` is none).
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClassifyRequest {
    /// A category in use (or the one the consultation has).
    #[serde(default)]
    #[schema(value_type = Option<i64>, minimum = 1)]
    pub category_id: Option<serde_json::Number>,
    /// A division of that category in use (or the one the consultation has); given alone,
    /// its category is taken.
    #[serde(default)]
    #[schema(value_type = Option<i64>, minimum = 1)]
    pub division_id: Option<serde_json::Number>,
    /// Free text of at most 8 characters (trimmed), no control characters; empty is none.
    #[serde(default)]
    #[schema(schema_with = sub_label_schema)]
    pub sub_label: Option<String>,
}

/// The consultation after its classification changed.
#[derive(Debug, Serialize, ToSchema)]
pub struct ClassifiedAnswer {
    #[schema(value_type = schema::Consultation)]
    pub consultation: ConsultationRecord,
}

/// Set a consultation's category, division and sub-label: whoever may handle it (its
/// holder, managers, the admin), also once it is closed. The change is recorded with who
/// made it and reaches the consoles like any change of the consultation.
#[utoipa::path(
    put,
    path = "/consultations/{id}/category",
    tag = "consultations",
    security(("session" = []), ("bearer" = [])),
    params(ConsultationPath),
    request_body = ClassifyRequest,
    responses(
        (status = 200, description = "Classified.", body = ClassifiedAnswer),
        (status = 400, description = "The body is not a classification.", body = ErrorBody),
        (status = 401, description = "Not logged in.", body = ErrorBody),
        (status = 403, description = "`forbidden`: an agent, and the consultation is not theirs (waiting in the queue: take it first; or another agent's of a customer of theirs).", body = ErrorBody),
        (status = 404, description = "No such consultation on the caller's site, or one an agent may not read.", body = ErrorBody),
        (status = 413, description = "The body is too large.", body = ErrorBody),
        (status = 422, description = "`unknown_category`, `not_a_category`, `not_a_division`, `category_unused`, `division_not_of_category`, `invalid_field` (`category_id`, `division_id`); `sub_label_too_long`, `invalid_sub_label` (`sub_label`). `details.field` names the field.", body = ErrorBody),
    )
)]
pub async fn classify(
    State(st): State<AppState>,
    AuthAgent(agent): AuthAgent,
    IdPath(id): ConsultationPath,
    body: Result<Body<ClassifyRequest>, ApiError>,
) -> Result<Json<ClassifiedAnswer>, ApiError> {
    let Body(req) = body?;
    let category = id_field("category_id", req.category_id.as_ref())?;
    let division = id_field("division_id", req.division_id.as_ref())?;
    let consultation = st
        .app
        .classify_consultation(&agent, id, category, division, req.sub_label.as_deref())
        .await?;
    Ok(Json(ClassifiedAnswer { consultation }))
}
