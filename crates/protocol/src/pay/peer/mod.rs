//! A local Toss Payments for development and tests (feature `testing`): the same endpoints,
//! authentication, idempotency and error codes as the real API, with cards that behave as a
//! test asks.
//!
//! # The API it speaks
//!
//! - `POST /v1/billing/authorizations/issue`, `POST /v1/billing/{billingKey}`,
//!   `POST /v1/payments/{paymentKey}/cancel`, authenticated with `Basic base64(secretKey + ":")`
//!   (anything else: `401 UNAUTHORIZED_KEY`). A body that is not JSON is `400 INVALID_REQUEST`,
//!   a missing field `400 INVALID_REQUIRED_PARAM`, a field Toss would refuse the code Toss gives
//!   (`INVALID_ORDER_ID`, `BELOW_MINIMUM_AMOUNT`, …).
//! - `Idempotency-Key`: the first answer to a key (success or error) is kept and given again at
//!   once to any repeat on the same path, which changes nothing. Toss answers a repeat that
//!   arrives while the first is still being processed with `409 IDEMPOTENT_REQUEST_PROCESSING`;
//!   the peer decides at once and only holds the answer back (`timeout`, `late`), so a repeat
//!   always finds the answer.
//! - An auth key issues one billing key (`404 NOT_FOUND_BILLING` when unknown,
//!   `400 INVALID_BILLING_AUTH` when already used). A charge of an unknown billing key is
//!   `400 INVALID_BILL_KEY_REQUEST`, of another customer's `400 NOT_MATCHES_CUSTOMER_KEY`, with
//!   an order id already paid `400 DUPLICATED_ORDER_ID`. A cancel of an unknown payment is
//!   `404 NOT_FOUND_PAYMENT`, of more than is left `403 NOT_CANCELABLE_AMOUNT`, of a payment
//!   refunded in full `400 ALREADY_CANCELED_PAYMENT`.
//!
//! # The card registration window
//!
//! Toss's window is a page on Toss's site that sends the customer back to the merchant's
//! `successUrl?customerKey=…&authKey=…` (or `failUrl?code=…&message=…`). The peer serves a
//! plain form in its place: `GET /peer/billing-auth?customerKey=&successUrl=&failUrl=`. The card
//! number typed there (16 digits) decides how the card behaves, like Toss's test cards:
//!
//! | number ends in | behaviour | a charge gets |
//! | --- | --- | --- |
//! | `0001` | `dormant` | `400 INVALID_STOPPED_CARD` |
//! | `0002` | `over_limit` | `403 REJECT_CARD_PAYMENT` |
//! | `0003` | `refused` | `403 REJECT_CARD_COMPANY` |
//! | `0004` | `expired` | `400 INVALID_CARD_EXPIRATION` |
//! | `0005` | `lost_or_stolen` | `400 INVALID_CARD_LOST_OR_STOLEN` |
//! | `0006` | `invalid_card` | `400 INVALID_BILL_KEY_REQUEST` |
//! | `0007` | `timeout` | the charge is made, its answer held [`TIMEOUT_HOLD`] |
//! | `0008` | `late` | the charge is made, answered after [`LATE_DELAY`] |
//! | anything else | `ok` | `200`, a `DONE` payment |
//!
//! # Controls for tests (JSON, no authentication: the peer listens on localhost)
//!
//! - `POST /peer/auth-keys {"customerKey", "cardNumber"}` → `{"authKey"}`, the window skipped.
//! - `POST /peer/cards/{billingKey}/behaviour {"behaviour": "ok" | "dormant" | …}`.
//! - `GET /peer/charges` → every charge made:
//!   `[{paymentKey, orderId, billingKey, amount, idempotencyKey, cancelledAmount}]`.
//!
//! [`TossPeer`] has the same as methods.

mod ledger;
mod window;

use std::io;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

pub use self::ledger::PeerCharge;
use self::ledger::{Answer, Hold, Ledger};
use super::wire::{self, CancelBody, ChargeBody, Refused};

/// How long a `late` card's charge waits before its answer.
pub const LATE_DELAY: Duration = Duration::from_secs(2);
/// How long a `timeout` card's charge holds its answer: longer than any client waits. The
/// hold ends early when the peer stops.
pub const TIMEOUT_HOLD: Duration = Duration::from_secs(120);

/// How a registered card answers a charge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CardBehaviour {
    Ok,
    Dormant,
    OverLimit,
    Refused,
    Expired,
    LostOrStolen,
    InvalidCard,
    /// The charge is made but its answer comes only after [`TIMEOUT_HOLD`].
    Timeout,
    /// The charge is made and answered after [`LATE_DELAY`].
    Late,
}

impl CardBehaviour {
    pub const ALL: [CardBehaviour; 9] = [
        CardBehaviour::Ok,
        CardBehaviour::Dormant,
        CardBehaviour::OverLimit,
        CardBehaviour::Refused,
        CardBehaviour::Expired,
        CardBehaviour::LostOrStolen,
        CardBehaviour::InvalidCard,
        CardBehaviour::Timeout,
        CardBehaviour::Late,
    ];

    pub fn code(self) -> &'static str {
        match self {
            CardBehaviour::Ok => "ok",
            CardBehaviour::Dormant => "dormant",
            CardBehaviour::OverLimit => "over_limit",
            CardBehaviour::Refused => "refused",
            CardBehaviour::Expired => "expired",
            CardBehaviour::LostOrStolen => "lost_or_stolen",
            CardBehaviour::InvalidCard => "invalid_card",
            CardBehaviour::Timeout => "timeout",
            CardBehaviour::Late => "late",
        }
    }

    pub fn parse(code: &str) -> Option<CardBehaviour> {
        CardBehaviour::ALL.into_iter().find(|b| b.code() == code)
    }

    /// A new card's behaviour, by the last four digits of its number (see the table above).
    pub fn for_number(number: &str) -> CardBehaviour {
        let last4 = number
            .get(number.len().saturating_sub(4)..)
            .unwrap_or_default();
        match last4 {
            "0001" => CardBehaviour::Dormant,
            "0002" => CardBehaviour::OverLimit,
            "0003" => CardBehaviour::Refused,
            "0004" => CardBehaviour::Expired,
            "0005" => CardBehaviour::LostOrStolen,
            "0006" => CardBehaviour::InvalidCard,
            "0007" => CardBehaviour::Timeout,
            "0008" => CardBehaviour::Late,
            _ => CardBehaviour::Ok,
        }
    }
}

/// What the peer refused, with Toss's code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{code}: {message}")]
pub struct TossError {
    pub code: String,
    pub message: String,
}

impl From<Refused> for TossError {
    fn from(r: Refused) -> TossError {
        TossError {
            code: r.code.to_owned(),
            message: r.message,
        }
    }
}

/// A running peer; stops when dropped.
#[derive(Debug)]
pub struct TossPeer {
    addr: SocketAddr,
    shared: Arc<Shared>,
    task: JoinHandle<()>,
}

#[derive(Debug)]
struct Shared {
    /// The `Authorization` header Toss would accept for the peer's secret key.
    authorization: String,
    ledger: Mutex<Ledger>,
    /// Set when the peer stops: held answers are let go.
    stopped: watch::Sender<bool>,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, Ledger> {
        // A panicking test thread must not take the peer down with it.
        self.ledger.lock().unwrap_or_else(|e| e.into_inner())
    }

    async fn hold(&self, hold: Hold) {
        let duration = match hold {
            Hold::None => return,
            Hold::Late => LATE_DELAY,
            Hold::Timeout => TIMEOUT_HOLD,
        };
        let mut stopped = self.stopped.subscribe();
        if *stopped.borrow_and_update() {
            return;
        }
        // Whichever comes first: the hold's end or the peer stopping (or its sender gone).
        let _ = tokio::time::timeout(duration, stopped.changed()).await;
    }
}

impl TossPeer {
    /// Starts a peer on 127.0.0.1 (a free port) accepting `secret_key`. Must be called inside
    /// a tokio runtime.
    ///
    /// # Panics
    /// When no local port can be bound (a test cannot go on without it).
    pub async fn start(secret_key: &str) -> TossPeer {
        let listener = crate::local_peer::bind_local("TossPeer").await;
        match TossPeer::serve(secret_key, listener) {
            Ok(peer) => peer,
            Err(e) => panic!("TossPeer: no local address: {e}"),
        }
    }

    /// Serves a peer accepting `secret_key` on `listener` (any address the caller bound), in
    /// the background until the returned peer is dropped. Must be called inside a tokio
    /// runtime.
    pub fn serve(secret_key: &str, listener: TcpListener) -> io::Result<TossPeer> {
        let addr = listener.local_addr()?;
        let (stopped, _) = watch::channel(false);
        let shared = Arc::new(Shared {
            authorization: wire::basic_auth(secret_key),
            ledger: Mutex::new(Ledger::new()),
            stopped,
        });
        let app = routes().with_state(shared.clone());
        let task = tokio::spawn(async move {
            // Ends only when the task is aborted (on drop) or the runtime stops.
            let _ = axum::serve(listener, app).await;
        });
        Ok(TossPeer { addr, shared, task })
    }

    /// The peer's routes over its state, to mount in another server.
    pub fn router(&self) -> Router {
        routes().with_state(self.shared.clone())
    }

    /// The base URL to give [`super::TossPayments::new`], e.g. `http://127.0.0.1:41234`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The registration window's URL for a customer (see the module doc).
    pub fn billing_auth_url(
        &self,
        customer_key: &str,
        success_url: &str,
        fail_url: &str,
    ) -> String {
        let base = format!("{}/peer/billing-auth", self.base_url());
        match reqwest::Url::parse(&base) {
            Ok(mut url) => {
                url.query_pairs_mut()
                    .append_pair("customerKey", customer_key)
                    .append_pair("successUrl", success_url)
                    .append_pair("failUrl", fail_url);
                url.into()
            }
            // The peer's own address always makes a URL.
            Err(_) => base,
        }
    }

    /// An auth key for `card_number`, as the window would send to `successUrl`.
    pub fn auth_key_for(&self, customer_key: &str, card_number: &str) -> Result<String, TossError> {
        self.shared
            .lock()
            .new_auth_key(customer_key, card_number)
            .map_err(TossError::from)
    }

    /// Makes a registered card answer the next charges like this; `false` for a billing key
    /// the peer never issued.
    pub fn set_behaviour(&self, billing_key: &str, behaviour: CardBehaviour) -> bool {
        self.shared.lock().set_behaviour(billing_key, behaviour)
    }

    pub fn behaviour(&self, billing_key: &str) -> Option<CardBehaviour> {
        self.shared.lock().behaviour(billing_key)
    }

    /// Every charge the peer made, in order, with what was refunded of each.
    pub fn charges(&self) -> Vec<PeerCharge> {
        self.shared.lock().charges()
    }
}

impl Drop for TossPeer {
    fn drop(&mut self) {
        self.shared.stopped.send_replace(true);
        self.task.abort();
    }
}

fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/v1/billing/authorizations/issue", post(issue))
        .route("/v1/billing/{billing_key}", post(charge))
        .route("/v1/payments/{payment_key}/cancel", post(cancel))
        .route(
            "/peer/billing-auth",
            get(window::window).post(window::window_submit),
        )
        .route("/peer/auth-keys", post(control_auth_key))
        .route(
            "/peer/cards/{billing_key}/behaviour",
            post(control_behaviour),
        )
        .route("/peer/charges", get(control_charges))
}

impl IntoResponse for Answer {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        (
            status,
            [(header::CONTENT_TYPE, "application/json")],
            self.body.to_string(),
        )
            .into_response()
    }
}

fn error(r: Refused) -> Response {
    Answer::error(r).into_response()
}

/// Runs one API call: authentication, then the answer kept for its idempotency key if there
/// is one, else `decide` (under the ledger's lock, so two calls with one key cannot both
/// charge), keeping its answer for the key; the answer is held back as `decide` says.
async fn api_call(
    shared: &Shared,
    headers: &HeaderMap,
    path: String,
    decide: impl FnOnce(&mut Ledger, Option<&str>) -> (Answer, Hold),
) -> Response {
    let authorized = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v == shared.authorization);
    if !authorized {
        return error(Refused::new(
            401,
            "UNAUTHORIZED_KEY",
            "인증되지 않은 시크릿 키 혹은 클라이언트 키 입니다.",
        ));
    }
    let key = match headers.get("idempotency-key").map(|v| v.to_str()) {
        None => None,
        Some(Ok(k)) => match wire::check_idempotency_key(k) {
            Ok(()) => Some(k.to_owned()),
            Err(r) => return error(r),
        },
        Some(Err(_)) => {
            return error(Refused::new(
                400,
                "INVALID_IDEMPOTENCY_KEY",
                "멱등키가 올바르지 않습니다.",
            ));
        }
    };
    let (answer, hold) = {
        let mut ledger = shared.lock();
        if let Some(kept) = key.as_deref().and_then(|k| ledger.replay(&path, k)) {
            return kept.into_response();
        }
        let (answer, hold) = decide(&mut ledger, key.as_deref());
        if let Some(key) = key {
            ledger.remember(path, key, answer.clone());
        }
        (answer, hold)
    };
    shared.hold(hold).await;
    answer.into_response()
}

/// A JSON object body; Toss's answer to anything else.
fn object(body: &[u8]) -> Result<serde_json::Map<String, Value>, Refused> {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(Refused::new(400, "INVALID_REQUEST", "잘못된 요청입니다.")),
        Err(e) => Err(Refused::new(
            400,
            "INVALID_REQUEST",
            format!("잘못된 요청입니다. ({e})"),
        )),
    }
}

/// A string field: absent, `null` or empty is missing; another type is a bad request.
fn text<'a>(map: &'a serde_json::Map<String, Value>, field: &str) -> Result<&'a str, Refused> {
    match map.get(field) {
        None | Some(Value::Null) => Err(wire::missing(field)),
        Some(Value::String(s)) if s.is_empty() => Err(wire::missing(field)),
        Some(Value::String(s)) => Ok(s),
        Some(_) => Err(Refused::new(
            400,
            "INVALID_REQUEST",
            format!("{field}는 문자열이어야 합니다."),
        )),
    }
}

fn opt_text<'a>(
    map: &'a serde_json::Map<String, Value>,
    field: &str,
) -> Result<Option<&'a str>, Refused> {
    match map.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(_) => text(map, field).map(Some),
    }
}

fn opt_amount(map: &serde_json::Map<String, Value>, field: &str) -> Result<Option<i64>, Refused> {
    match map.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => n.as_i64().map(Some).ok_or_else(|| {
            Refused::new(
                400,
                "INVALID_REQUEST",
                format!("{field}는 정수여야 합니다."),
            )
        }),
        Some(_) => Err(Refused::new(
            400,
            "INVALID_REQUEST",
            format!("{field}는 숫자여야 합니다."),
        )),
    }
}

async fn issue(State(shared): State<Arc<Shared>>, headers: HeaderMap, body: Bytes) -> Response {
    let path = "/v1/billing/authorizations/issue".to_owned();
    api_call(&shared, &headers, path, |ledger, _| {
        let answer = object(&body).and_then(|map| {
            let auth_key = text(&map, "authKey")?;
            let customer_key = text(&map, "customerKey")?;
            Ok(ledger.issue(auth_key, customer_key))
        });
        (answer.unwrap_or_else(Answer::error), Hold::None)
    })
    .await
}

async fn charge(
    State(shared): State<Arc<Shared>>,
    Path(billing_key): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let path = format!("/v1/billing/{billing_key}");
    api_call(&shared, &headers, path, |ledger, key| {
        let fields = object(&body).and_then(|map| {
            let amount = opt_amount(&map, "amount")?.ok_or_else(|| wire::missing("amount"))?;
            Ok(ledger.charge(
                &billing_key,
                &ChargeBody {
                    customer_key: text(&map, "customerKey")?,
                    amount,
                    order_id: text(&map, "orderId")?,
                    order_name: text(&map, "orderName")?,
                    customer_email: opt_text(&map, "customerEmail")?,
                },
                key,
            ))
        });
        fields.unwrap_or_else(|r| (Answer::error(r), Hold::None))
    })
    .await
}

async fn cancel(
    State(shared): State<Arc<Shared>>,
    Path(payment_key): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let path = format!("/v1/payments/{payment_key}/cancel");
    api_call(&shared, &headers, path, |ledger, _| {
        let answer = object(&body).and_then(|map| {
            Ok(ledger.cancel(
                &payment_key,
                &CancelBody {
                    cancel_reason: text(&map, "cancelReason")?,
                    cancel_amount: opt_amount(&map, "cancelAmount")?,
                },
            ))
        });
        (answer.unwrap_or_else(Answer::error), Hold::None)
    })
    .await
}

async fn control_auth_key(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    let answer = object(&body).and_then(|map| {
        let customer_key = text(&map, "customerKey")?;
        let card_number = text(&map, "cardNumber")?;
        shared.lock().new_auth_key(customer_key, card_number)
    });
    match answer {
        Ok(auth_key) => axum::Json(json!({"authKey": auth_key})).into_response(),
        Err(r) => error(r),
    }
}

async fn control_behaviour(
    State(shared): State<Arc<Shared>>,
    Path(billing_key): Path<String>,
    body: Bytes,
) -> Response {
    let behaviour = object(&body).and_then(|map| {
        let code = text(&map, "behaviour")?;
        CardBehaviour::parse(code).ok_or_else(|| {
            Refused::new(
                400,
                "INVALID_REQUEST",
                format!("unknown behaviour {code:?}"),
            )
        })
    });
    match behaviour {
        Ok(b) if shared.lock().set_behaviour(&billing_key, b) => {
            axum::Json(json!({"billingKey": billing_key, "behaviour": b})).into_response()
        }
        Ok(_) => error(Refused::new(
            404,
            "NOT_FOUND_BILLING",
            "존재하지 않는 빌링 결제 인증 정보 입니다.",
        )),
        Err(r) => error(r),
    }
}

async fn control_charges(State(shared): State<Arc<Shared>>) -> Response {
    axum::Json(shared.lock().charges()).into_response()
}
