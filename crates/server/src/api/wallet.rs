//! The wallet (R5.2–R5.6) over HTTP: its details and people, cards, paid cash, refunds,
//! usages billed by features, the history and statement, invoices and the notices sent. Who
//! may do what is the application's ([`app::wallet`]); someone who is nothing to the wallet
//! gets 404, as if it did not exist.

use axum::Json;
use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use app::billing_run::{UsageOutcome, UsageRequest};
use app::wallet::{CardRegistration, CashCharge, WalletInput, WalletView};
use app::wallet_io::{HistoryQuery, StatementView};
use billing::{CardSlot, Krw};
use sangdam_core::AgentId;

use crate::api::extract::{
    AgentPath, Body, CardPath, IdPath, InvoicePath, account_id, optional_whole, record_id, whole,
};
use crate::api::site::Admin;
use crate::auth::AuthAgent;
use crate::error::{ApiError, ErrorBody};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_wallet, create_wallet, update_wallet))
        .routes(routes!(add_worker))
        .routes(routes!(remove_worker))
        .routes(routes!(set_notice_email))
        .routes(routes!(card_registration))
        .routes(routes!(register_card))
        .routes(routes!(delete_my_card))
        .routes(routes!(use_card, drop_card))
        .routes(routes!(charge_cash))
        .routes(routes!(refund))
        .routes(routes!(bill_usages))
        .routes(routes!(history))
        .routes(routes!(history_xlsx))
        .routes(routes!(statement))
        .routes(routes!(payments))
        .routes(routes!(invoices))
        .routes(routes!(invoice_document))
        .routes(routes!(emails))
}

/// The site's wallet as the caller sees it: figures, cards in charging order, people.
#[utoipa::path(
    get,
    path = "/wallet",
    tag = "wallet",
    security(("session" = []), ("bearer" = [])),
    responses(
        (status = 200, description = "The wallet.", body = WalletView),
        (status = 401, description = "Not logged in.", body = ErrorBody),
        (status = 404, description = "The site has no wallet, or the caller is none of its people.", body = ErrorBody),
    )
)]
pub async fn get_wallet(
    State(st): State<AppState>,
    AuthAgent(a): AuthAgent,
) -> Result<Json<WalletView>, ApiError> {
    Ok(Json(st.app.wallet_view(&a).await?))
}

/// The site's admin makes its wallet, naming its master (a business wallet needs its
/// registration number, name, representative and invoice e-mail).
#[utoipa::path(
    post,
    path = "/wallet",
    tag = "wallet",
    security(("session" = []), ("bearer" = [])),
    request_body = WalletInput,
    responses(
        (status = 201, description = "Made.", body = WalletView),
        (status = 400, description = "Not a wallet.", body = ErrorBody),
        (status = 401, description = "Not logged in.", body = ErrorBody),
        (status = 403, description = "Not the site's admin.", body = ErrorBody),
        (status = 404, description = "The master is no account of the site.", body = ErrorBody),
        (status = 409, description = "The site already has a wallet.", body = ErrorBody),
        (status = 422, description = "`invalid_field`: each refused field in `details.errors` (a business number whose check digit is wrong, …).", body = ErrorBody),
    )
)]
pub async fn create_wallet(
    State(st): State<AppState>,
    Admin(a): Admin,
    Body(input): Body<WalletInput>,
) -> Result<(StatusCode, Json<WalletView>), ApiError> {
    Ok((
        StatusCode::CREATED,
        Json(st.app.create_wallet(&a, &input).await?),
    ))
}

/// The master or the site's admin changes the wallet's details or master.
#[utoipa::path(
    put,
    path = "/wallet",
    tag = "wallet",
    security(("session" = []), ("bearer" = [])),
    request_body = WalletInput,
    responses(
        (status = 200, description = "Changed.", body = WalletView),
        (status = 400, description = "Not a wallet.", body = ErrorBody),
        (status = 401, description = "Not logged in.", body = ErrorBody),
        (status = 403, description = "A worker.", body = ErrorBody),
        (status = 404, description = "No wallet, or the master is no account of the site.", body = ErrorBody),
        (status = 422, description = "`invalid_field`: each refused field in `details.errors`.", body = ErrorBody),
    )
)]
pub async fn update_wallet(
    State(st): State<AppState>,
    AuthAgent(a): AuthAgent,
    Body(input): Body<WalletInput>,
) -> Result<Json<WalletView>, ApiError> {
    Ok(Json(st.app.update_wallet(&a, &input).await?))
}

/// An account to add.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WorkerBody {
    #[serde(deserialize_with = "account_id")]
    #[schema(value_type = i64, minimum = 1)]
    pub agent_id: AgentId,
}

/// Makes an account of the site a wallet worker.
#[utoipa::path(
    post,
    path = "/wallet/workers",
    tag = "wallet",
    security(("session" = []), ("bearer" = [])),
    request_body = WorkerBody,
    responses(
        (status = 200, description = "Added (again: nothing changes).", body = WalletView),
        (status = 400, description = "Not an account.", body = ErrorBody),
        (status = 401, description = "Not logged in.", body = ErrorBody),
        (status = 403, description = "A worker.", body = ErrorBody),
        (status = 404, description = "No wallet, or no such account.", body = ErrorBody),
    )
)]
pub async fn add_worker(
    State(st): State<AppState>,
    AuthAgent(a): AuthAgent,
    Body(body): Body<WorkerBody>,
) -> Result<Json<WalletView>, ApiError> {
    Ok(Json(st.app.add_wallet_worker(&a, body.agent_id).await?))
}

/// Takes a worker off the wallet.
#[utoipa::path(
    delete,
    path = "/wallet/workers/{id}",
    tag = "wallet",
    security(("session" = []), ("bearer" = [])),
    params(AgentPath),
    responses(
        (status = 200, description = "Removed.", body = WalletView),
        (status = 401, description = "Not logged in.", body = ErrorBody),
        (status = 403, description = "A worker.", body = ErrorBody),
        (status = 404, description = "No wallet, or no such worker.", body = ErrorBody),
    )
)]
pub async fn remove_worker(
    State(st): State<AppState>,
    AuthAgent(a): AuthAgent,
    IdPath(agent): AgentPath,
) -> Result<Json<WalletView>, ApiError> {
    Ok(Json(st.app.remove_wallet_worker(&a, agent).await?))
}

/// Where someone of the wallet gets its notices.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NoticeEmailBody {
    /// `null`: no notices.
    pub email: Option<String>,
}

/// Sets where a person of the wallet gets its e-mail notices: one's own, or anyone's for the
/// master and the site's admin.
#[utoipa::path(
    put,
    path = "/wallet/notice-emails/{id}",
    tag = "wallet",
    security(("session" = []), ("bearer" = [])),
    params(AgentPath),
    request_body = NoticeEmailBody,
    responses(
        (status = 200, description = "Set.", body = WalletView),
        (status = 400, description = "Not an address.", body = ErrorBody),
        (status = 401, description = "Not logged in.", body = ErrorBody),
        (status = 403, description = "A worker setting someone else's.", body = ErrorBody),
        (status = 404, description = "No wallet, or the account is none of its people.", body = ErrorBody),
        (status = 422, description = "`invalid_field`: not an e-mail address.", body = ErrorBody),
    )
)]
pub async fn set_notice_email(
    State(st): State<AppState>,
    AuthAgent(a): AuthAgent,
    IdPath(agent): AgentPath,
    Body(body): Body<NoticeEmailBody>,
) -> Result<Json<WalletView>, ApiError> {
    Ok(Json(
        st.app
            .set_notice_email(&a, agent, body.email.as_deref())
            .await?,
    ))
}

/// Where the card registration window returns to.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegistrationBody {
    /// An `http(s)` address of this server's wallet page.
    pub return_url: String,
}

/// Where the caller registers a card: the gateway's window (it comes back to `return_url` with
/// `authKey` and `customerKey`).
#[utoipa::path(
    post,
    path = "/wallet/card-registration",
    tag = "wallet",
    security(("session" = []), ("bearer" = [])),
    request_body = RegistrationBody,
    responses(
        (status = 200, description = "The window's address.", body = CardRegistration),
        (status = 400, description = "Not a registration.", body = ErrorBody),
        (status = 401, description = "Not logged in.", body = ErrorBody),
        (status = 404, description = "No wallet of the caller's.", body = ErrorBody),
        (status = 409, description = "`payments_not_configured`: no payment gateway is configured.", body = ErrorBody),
        (status = 422, description = "`invalid_field`: the return address is not http(s).", body = ErrorBody),
    )
)]
pub async fn card_registration(
    State(st): State<AppState>,
    AuthAgent(a): AuthAgent,
    Body(body): Body<RegistrationBody>,
) -> Result<Json<CardRegistration>, ApiError> {
    st.app.wallet_view(&a).await?;
    let ok = body.return_url.len() <= 2000
        && (body.return_url.starts_with("http://") || body.return_url.starts_with("https://"))
        && !body
            .return_url
            .chars()
            .any(|c| c.is_whitespace() || c.is_control());
    if !ok {
        return Err(ApiError::invalid_field(
            "return_url",
            "return_url is an http(s) address",
        ));
    }
    Ok(Json(st.app.card_registration(&a, &body.return_url)?))
}

/// What the registration window came back with.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CardBody {
    pub auth_key: String,
    pub customer_key: String,
}

/// Registers the card the window just authorised as the caller's (at most 10 a person).
#[utoipa::path(
    post,
    path = "/wallet/cards",
    tag = "wallet",
    security(("session" = []), ("bearer" = [])),
    request_body = CardBody,
    responses(
        (status = 201, description = "Registered.", body = Object),
        (status = 400, description = "Not a card.", body = ErrorBody),
        (status = 401, description = "Not logged in.", body = ErrorBody),
        (status = 402, description = "`card_refused`: the gateway refused the card.", body = ErrorBody),
        (status = 409, description = "The caller has 10 cards (`conflict`), or `payments_not_configured`.", body = ErrorBody),
        (status = 422, description = "`invalid_field`: a customer key that is not the caller's, or an auth key the gateway did not issue or that was used.", body = ErrorBody),
        (status = 502, description = "The gateway did not answer or refused the request.", body = ErrorBody),
    )
)]
pub async fn register_card(
    State(st): State<AppState>,
    AuthAgent(a): AuthAgent,
    Body(body): Body<CardBody>,
) -> Result<(StatusCode, Json<store::CardRecord>), ApiError> {
    let card = st
        .app
        .register_card(&a, &body.auth_key, &body.customer_key)
        .await?;
    Ok((StatusCode::CREATED, Json(card)))
}

/// Removes one of the caller's cards (from every wallet it was in).
#[utoipa::path(
    delete,
    path = "/me/cards/{id}",
    tag = "wallet",
    security(("session" = []), ("bearer" = [])),
    params(CardPath),
    responses(
        (status = 204, description = "Removed."),
        (status = 401, description = "Not logged in.", body = ErrorBody),
        (status = 404, description = "No card of the caller's.", body = ErrorBody),
    )
)]
pub async fn delete_my_card(
    State(st): State<AppState>,
    AuthAgent(a): AuthAgent,
    IdPath(card): CardPath,
) -> Result<StatusCode, ApiError> {
    st.app.delete_card(&a, card.0).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Which place a card takes in the wallet.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SlotBody {
    /// `payment` (the master's own card, charged first) or `backup` (tried in the order added).
    #[schema(value_type = String, pattern = "^(payment|backup)$")]
    pub slot: CardSlot,
}

/// Puts one of the caller's cards in the wallet (a new payment card sends the old one to the
/// backups).
#[utoipa::path(
    put,
    path = "/wallet/cards/{id}",
    tag = "wallet",
    security(("session" = []), ("bearer" = [])),
    params(CardPath),
    request_body = SlotBody,
    responses(
        (status = 200, description = "Set.", body = WalletView),
        (status = 400, description = "Not a slot.", body = ErrorBody),
        (status = 401, description = "Not logged in.", body = ErrorBody),
        (status = 403, description = "The payment card is the master's own.", body = ErrorBody),
        (status = 404, description = "No wallet, or no card of the caller's.", body = ErrorBody),
        (status = 409, description = "The wallet already has 2 backup cards.", body = ErrorBody),
    )
)]
pub async fn use_card(
    State(st): State<AppState>,
    AuthAgent(a): AuthAgent,
    IdPath(card): CardPath,
    Body(body): Body<SlotBody>,
) -> Result<Json<WalletView>, ApiError> {
    Ok(Json(st.app.use_card(&a, card.0, body.slot).await?))
}

/// Takes a card off the wallet (one's own; any for the master and the admin).
#[utoipa::path(
    delete,
    path = "/wallet/cards/{id}",
    tag = "wallet",
    security(("session" = []), ("bearer" = [])),
    params(CardPath),
    responses(
        (status = 200, description = "Removed.", body = WalletView),
        (status = 401, description = "Not logged in.", body = ErrorBody),
        (status = 404, description = "No wallet, or the card is not in it.", body = ErrorBody),
    )
)]
pub async fn drop_card(
    State(st): State<AppState>,
    AuthAgent(a): AuthAgent,
    IdPath(card): CardPath,
) -> Result<Json<WalletView>, ApiError> {
    Ok(Json(st.app.drop_card(&a, card.0).await?))
}

/// Paid cash to buy.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CashBody {
    /// One of the caller's cards.
    #[serde(deserialize_with = "record_id")]
    #[schema(minimum = 1)]
    pub card_id: i64,
    /// KRW of cash (VAT excluded; the card pays it with VAT).
    #[serde(deserialize_with = "whole")]
    #[schema(minimum = 1000, maximum = 10000000)]
    pub amount: i64,
    /// The same key again answers how the first request stands (no second charge).
    #[schema(min_length = 1, max_length = 200)]
    pub idempotency_key: String,
}

/// Buys paid cash with one of the caller's cards. `200` once charged; `202` when the gateway
/// did not answer in time (the charge is confirmed in the background and the cash arrives
/// then); `402` when the card was refused.
#[utoipa::path(
    post,
    path = "/wallet/cash",
    tag = "wallet",
    security(("session" = []), ("bearer" = [])),
    request_body = CashBody,
    responses(
        (status = 200, description = "Charged.", body = CashCharge),
        (status = 202, description = "Being confirmed.", body = CashCharge),
        (status = 400, description = "Not a charge.", body = ErrorBody),
        (status = 401, description = "Not logged in.", body = ErrorBody),
        (status = 402, description = "`card_refused`: the card was refused; `details.refusal` says why (`dormant`, `over_limit`, `expired`, `lost_or_stolen`, `refused`, `invalid_card`).", body = ErrorBody),
        (status = 404, description = "No wallet, or no card of the caller's.", body = ErrorBody),
        (status = 409, description = "`payments_not_configured`: no payment gateway is configured.", body = ErrorBody),
        (status = 422, description = "`invalid_field`: an amount out of range, an empty key.", body = ErrorBody),
    )
)]
pub async fn charge_cash(
    State(st): State<AppState>,
    AuthAgent(a): AuthAgent,
    Body(body): Body<CashBody>,
) -> Result<Response, ApiError> {
    let amount = Krw::new(body.amount)
        .map_err(|_| ApiError::invalid_field("amount", "amount is at least 1,000 KRW"))?;
    let charge = st
        .app
        .charge_cash(
            &a,
            billing::CardId::new(body.card_id),
            amount,
            &body.idempotency_key,
        )
        .await?;
    match charge.state.as_str() {
        "done" => Ok(Json(charge).into_response()),
        "pending" => Ok((StatusCode::ACCEPTED, Json(charge)).into_response()),
        _ => Err(ApiError::CardRefused {
            message: format!(
                "the card was refused: {}",
                charge
                    .payment
                    .message
                    .as_deref()
                    .or(charge.payment.refusal.as_deref())
                    .unwrap_or("no reason given")
            ),
            refusal: charge.payment.refusal.clone(),
        }),
    }
}

/// A refund.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RefundBody {
    /// KRW of paid cash to refund (absent: all of it).
    #[serde(default, deserialize_with = "optional_whole")]
    #[schema(minimum = 1)]
    pub amount: Option<i64>,
    #[schema(min_length = 1, max_length = 200)]
    pub idempotency_key: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RefundAnswer {
    /// KRW of paid cash refunded (VAT excluded; the card gets it back with VAT).
    pub refunded: i64,
}

/// Refunds unused paid cash (free cash is never refunded) to the latest cash purchases.
#[utoipa::path(
    post,
    path = "/wallet/refund",
    tag = "wallet",
    security(("session" = []), ("bearer" = [])),
    request_body = RefundBody,
    responses(
        (status = 200, description = "Refunded.", body = RefundAnswer),
        (status = 400, description = "Not a refund.", body = ErrorBody),
        (status = 401, description = "Not logged in.", body = ErrorBody),
        (status = 403, description = "A worker.", body = ErrorBody),
        (status = 404, description = "No wallet.", body = ErrorBody),
        (status = 409, description = "`nothing_to_refund`, `refund_over_balance`.", body = ErrorBody),
        (status = 422, description = "`invalid_field`: an empty key, an amount that is not more than 0.", body = ErrorBody),
        (status = 502, description = "The gateway did not answer.", body = ErrorBody),
    )
)]
pub async fn refund(
    State(st): State<AppState>,
    AuthAgent(a): AuthAgent,
    Body(body): Body<RefundBody>,
) -> Result<Json<RefundAnswer>, ApiError> {
    let amount = body
        .amount
        .map(|v| match Krw::new(v) {
            Ok(k) if v > 0 => Ok(k),
            _ => Err(ApiError::invalid_field("amount", "amount is more than 0")),
        })
        .transpose()?;
    let refunded = st.app.refund(&a, amount, &body.idempotency_key).await?;
    Ok(Json(RefundAnswer {
        refunded: refunded.get(),
    }))
}

/// Billable events to bill.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UsagesBody {
    /// 1 to 1,000 usages.
    pub usages: Vec<UsageRequest>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct UsagesAnswer {
    /// One outcome per usage, in order.
    pub results: Vec<UsageOutcome>,
}

/// Bills usages (the site's admin token): each in turn from free cash (soonest expiry first),
/// paid cash, then the card (accrued as the amount due, charged at the daily settlement or at
/// the threshold). A key billed before bills nothing again.
#[utoipa::path(
    post,
    path = "/wallet/usages",
    tag = "wallet",
    security(("session" = []), ("bearer" = [])),
    request_body = UsagesBody,
    responses(
        (status = 200, description = "Each usage's outcome (`billed`, `replayed`, `refused` with its code).", body = UsagesAnswer),
        (status = 400, description = "Not usages.", body = ErrorBody),
        (status = 401, description = "Not logged in.", body = ErrorBody),
        (status = 403, description = "Not the site's admin.", body = ErrorBody),
        (status = 404, description = "The site has no wallet.", body = ErrorBody),
        (status = 422, description = "`invalid_field`: each refused usage field in `details.errors` (nothing is billed).", body = ErrorBody),
    )
)]
pub async fn bill_usages(
    State(st): State<AppState>,
    Admin(a): Admin,
    Body(body): Body<UsagesBody>,
) -> Result<Json<UsagesAnswer>, ApiError> {
    let results = st.app.bill_usages(a.site_id, &body.usages).await?;
    Ok(Json(UsagesAnswer { results }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct HistoryAnswer {
    /// Newest first.
    #[schema(value_type = Vec<Object>)]
    pub entries: Vec<store::LedgerEntryRecord>,
}

fn query<T>(q: Result<Query<T>, axum::extract::rejection::QueryRejection>) -> Result<T, ApiError> {
    q.map(|Query(q)| q)
        .map_err(|e| ApiError::BadRequest(e.body_text()))
}

/// The wallet's movements (usages, charges, settlements, grants, expiries, refunds), newest
/// first.
#[utoipa::path(
    get,
    path = "/wallet/history",
    tag = "wallet",
    security(("session" = []), ("bearer" = [])),
    params(HistoryQuery),
    responses(
        (status = 200, description = "A page of movements.", body = HistoryAnswer),
        (status = 400, description = "Not a filter.", body = ErrorBody),
        (status = 401, description = "Not logged in.", body = ErrorBody),
        (status = 404, description = "No wallet of the caller's.", body = ErrorBody),
        (status = 422, description = "`invalid_field`: a day that is not YYYY-MM-DD, an unknown kind.", body = ErrorBody),
    )
)]
pub async fn history(
    State(st): State<AppState>,
    AuthAgent(a): AuthAgent,
    q: Result<Query<HistoryQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<HistoryAnswer>, ApiError> {
    let q = query(q)?;
    Ok(Json(HistoryAnswer {
        entries: st.app.wallet_history(&a, &q).await?,
    }))
}

/// Every movement the filter shows as an xlsx file (Korean headings, Excel date-times in the
/// site's zone, a frozen header and an autofilter).
#[utoipa::path(
    get,
    path = "/wallet/history.xlsx",
    tag = "wallet",
    security(("session" = []), ("bearer" = [])),
    params(HistoryQuery),
    responses(
        (status = 200, description = "The file.", content(
            (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        )),
        (status = 400, description = "Not a filter.", body = ErrorBody),
        (status = 401, description = "Not logged in.", body = ErrorBody),
        (status = 404, description = "No wallet of the caller's.", body = ErrorBody),
        (status = 422, description = "`invalid_field`: a day that is not YYYY-MM-DD, an unknown kind.", body = ErrorBody),
    )
)]
pub async fn history_xlsx(
    State(st): State<AppState>,
    AuthAgent(a): AuthAgent,
    q: Result<Query<HistoryQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, ApiError> {
    let q = query(q)?;
    let bytes = st.app.wallet_history_xlsx(&a, &q).await?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"wallet-history.xlsx\"",
            ),
            (header::CACHE_CONTROL, "no-store"),
        ],
        bytes,
    )
        .into_response())
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MonthQuery {
    /// `YYYY-MM` in the site's zone.
    pub month: String,
}

/// A month's statement: opening and closing figures and every movement between.
#[utoipa::path(
    get,
    path = "/wallet/statement",
    tag = "wallet",
    security(("session" = []), ("bearer" = [])),
    params(MonthQuery),
    responses(
        (status = 200, description = "The statement.", body = StatementView),
        (status = 400, description = "No month.", body = ErrorBody),
        (status = 401, description = "Not logged in.", body = ErrorBody),
        (status = 404, description = "No wallet of the caller's.", body = ErrorBody),
        (status = 422, description = "`invalid_field`: not a month.", body = ErrorBody),
    )
)]
pub async fn statement(
    State(st): State<AppState>,
    AuthAgent(a): AuthAgent,
    q: Result<Query<MonthQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<StatementView>, ApiError> {
    let q = query(q)?;
    Ok(Json(st.app.wallet_statement(&a, &q.month).await?))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PaymentsAnswer {
    /// Newest first: cash bought, settlements and receivables charged, with refusals.
    #[schema(value_type = Vec<Object>)]
    pub payments: Vec<store::PaymentRecord>,
}

/// The card charges asked of the gateway, with how each went.
#[utoipa::path(
    get,
    path = "/wallet/payments",
    tag = "wallet",
    security(("session" = []), ("bearer" = [])),
    responses(
        (status = 200, description = "The payments.", body = PaymentsAnswer),
        (status = 401, description = "Not logged in.", body = ErrorBody),
        (status = 404, description = "No wallet of the caller's.", body = ErrorBody),
    )
)]
pub async fn payments(
    State(st): State<AppState>,
    AuthAgent(a): AuthAgent,
) -> Result<Json<PaymentsAnswer>, ApiError> {
    Ok(Json(PaymentsAnswer {
        payments: st.app.wallet_payments(&a).await?,
    }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct InvoicesAnswer {
    /// Newest month first.
    #[schema(value_type = Vec<Object>)]
    pub invoices: Vec<store::InvoiceRecord>,
}

/// The wallet's monthly tax invoices.
#[utoipa::path(
    get,
    path = "/wallet/invoices",
    tag = "wallet",
    security(("session" = []), ("bearer" = [])),
    responses(
        (status = 200, description = "The invoices.", body = InvoicesAnswer),
        (status = 401, description = "Not logged in.", body = ErrorBody),
        (status = 404, description = "No wallet of the caller's.", body = ErrorBody),
    )
)]
pub async fn invoices(
    State(st): State<AppState>,
    AuthAgent(a): AuthAgent,
) -> Result<Json<InvoicesAnswer>, ApiError> {
    Ok(Json(InvoicesAnswer {
        invoices: st.app.invoices(&a).await?,
    }))
}

/// One invoice as a printable Korean document (downloaded as an HTML file).
#[utoipa::path(
    get,
    path = "/wallet/invoices/{id}/document",
    tag = "wallet",
    security(("session" = []), ("bearer" = [])),
    params(InvoicePath),
    responses(
        (status = 200, description = "The document.", content((String = "text/html"))),
        (status = 401, description = "Not logged in.", body = ErrorBody),
        (status = 404, description = "No such invoice of the caller's wallet.", body = ErrorBody),
    )
)]
pub async fn invoice_document(
    State(st): State<AppState>,
    AuthAgent(a): AuthAgent,
    IdPath(id): InvoicePath,
) -> Result<Response, ApiError> {
    let html = st.app.invoice_document(&a, id.0).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"invoice-{}.html\"", id.0),
            ),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        html,
    )
        .into_response())
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EmailsAnswer {
    /// Newest first, with whether each went out.
    #[schema(value_type = Vec<Object>)]
    pub emails: Vec<store::EmailRecord>,
}

/// The notices the wallet's people were sent (or are about to be).
#[utoipa::path(
    get,
    path = "/wallet/emails",
    tag = "wallet",
    security(("session" = []), ("bearer" = [])),
    responses(
        (status = 200, description = "The e-mails.", body = EmailsAnswer),
        (status = 401, description = "Not logged in.", body = ErrorBody),
        (status = 404, description = "No wallet of the caller's.", body = ErrorBody),
    )
)]
pub async fn emails(
    State(st): State<AppState>,
    AuthAgent(a): AuthAgent,
) -> Result<Json<EmailsAnswer>, ApiError> {
    Ok(Json(EmailsAnswer {
        emails: st.app.wallet_emails(&a).await?,
    }))
}
