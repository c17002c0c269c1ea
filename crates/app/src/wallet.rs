//! The wallet (R5.2–R5.6) as use cases: who sees it and does what, its details, the cards
//! people register and the ones it charges, buying paid cash, refunds. Billing usages, the
//! daily settlement and the invoices are `billing_run`'s; the notices `notices`'.
//!
//! Roles: the site's admins are the chatbot masters; the wallet names one master and any
//! number of workers. All three see the wallet, buy paid cash and register their own cards
//! (as backups); the master and the chatbot masters change its details, its people, its
//! payment card (which must be the master's: the amount due is always charged through the
//! master's payment card), and refund. Nobody else learns it exists.

use std::collections::HashMap;
use std::sync::Arc;

use billing::{BusinessNumber, CardId, CardSlot, IdempotencyKey, Krw};
use protocol::pay::{CancelRequest, IssueRequest, PayError, PaymentGateway};
use sangdam_core::{AgentId, AuditAction, Role, SiteId};
use serde::Serialize;
use store::{
    AgentRecord, CardRecord, GrantRecord, InvoiceRecord, NewCard, NewEntry, NewPayment,
    PaymentRecord, StoreError, WalletCardRecord, WalletRecord, WalletText,
};

use crate::Services;
use crate::error::AppError;
use crate::notices::Notice;

/// What a person is to a wallet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum WalletRole {
    /// The site's admin.
    ChatbotMaster,
    Master,
    Worker,
}

impl WalletRole {
    /// Changes the wallet's details, people, payment card; refunds.
    pub fn manages(self) -> bool {
        matches!(self, WalletRole::ChatbotMaster | WalletRole::Master)
    }
}

/// The installation's prices and limits (the platform operator's settings).
#[derive(Debug, Clone)]
pub struct BillingConfig {
    /// Price of one unit of each billable usage kind (KRW, VAT excluded).
    pub prices: HashMap<String, Krw>,
    /// The amount due at which card usage is charged at once (new wallets).
    pub threshold: Krw,
    /// How a charge names the purchase on the card statement.
    pub order_name: String,
    /// Days before a grant expires that its notice goes out.
    pub expiry_notice_days: i64,
}

/// The usage kind of a message sent through the Event API.
pub const EVENT_MESSAGE: &str = "event_message";
/// Its default price (R5.1: 15 KRW, VAT excluded).
pub const EVENT_MESSAGE_PRICE: Krw = Krw::won(15);
/// Most paid cash bought at once, and least.
pub const MAX_CASH_CHARGE: Krw = Krw::won(10_000_000);
pub const MIN_CASH_CHARGE: Krw = Krw::won(1_000);

impl Default for BillingConfig {
    fn default() -> Self {
        BillingConfig {
            prices: HashMap::from([(EVENT_MESSAGE.to_owned(), EVENT_MESSAGE_PRICE)]),
            threshold: billing::DEFAULT_SETTLEMENT_THRESHOLD,
            order_name: "Sangdam 이용료".to_owned(),
            expiry_notice_days: 7,
        }
    }
}

/// The payment gateway and where people register cards with it.
#[derive(Debug, Clone)]
pub struct Payments {
    pub gateway: Arc<dyn PaymentGateway>,
    /// The gateway's card registration window: the page sends the person there with
    /// `customerKey`, `successUrl` and `failUrl`.
    pub registration_url: String,
}

/// The wallet as its people see it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WalletView {
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub wallet: WalletRecord,
    pub role: WalletRole,
    pub balances: BalancesView,
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<Object>))]
    pub cards: Vec<WalletCardView>,
    /// The caller's own registered cards.
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<Object>))]
    pub my_cards: Vec<CardRecord>,
    pub people: Vec<PersonView>,
    /// Whether billed features work (no receivable outstanding).
    pub billable: bool,
}

/// The wallet's figures (KRW, VAT excluded).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BalancesView {
    pub paid: i64,
    /// Usable free cash (unexpired grants).
    pub free: i64,
    pub grants: Vec<GrantView>,
    /// Card usage not charged yet.
    pub due: i64,
    /// Settlements whose charge failed.
    pub receivable: i64,
    /// The next daily settlement (milliseconds).
    pub next_settlement_at: i64,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GrantView {
    pub id: i64,
    pub granted: i64,
    pub remaining: i64,
    pub expires_at: i64,
    pub reason: String,
}

/// A card the wallet charges, with whose it is.
#[derive(Debug, Clone, Serialize)]
pub struct WalletCardView {
    #[serde(flatten)]
    pub card: WalletCardRecord,
    pub owner_name: String,
    /// 1 for the card charged first.
    pub order: usize,
}

/// Someone of the wallet.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PersonView {
    pub agent_id: AgentId,
    pub name: String,
    pub role: WalletRole,
    /// Where they get the wallet's notices (`None`: nowhere).
    pub notice_email: Option<String>,
}

/// A wallet's details as a page sends them.
#[derive(Debug, Clone, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct WalletInput {
    pub name: String,
    /// `business` (a tax invoice each month) or `personal`.
    pub kind: String,
    pub business_number: Option<String>,
    pub business_name: Option<String>,
    pub representative: Option<String>,
    pub invoice_email: Option<String>,
    /// The master: an account of the site (`7` or `7.0`).
    #[serde(deserialize_with = "account_id")]
    #[cfg_attr(feature = "openapi", schema(value_type = i64, minimum = 1))]
    pub master_id: AgentId,
}

/// An account id sent as a JSON number: any whole number from 1 (JSON Schema's `integer`
/// counts `7.0` too); one too large for an id is nobody's (`i64::MAX`, found by no lookup).
fn account_id<'de, D: serde::Deserializer<'de>>(d: D) -> Result<AgentId, D::Error> {
    let n = <serde_json::Number as serde::Deserialize>::deserialize(d)?;
    let id = match n.as_i64() {
        Some(v) => (v >= 1).then_some(v),
        None if n.as_u64().is_some() => Some(i64::MAX),
        None => n
            .as_f64()
            .filter(|f| f.fract() == 0.0 && *f >= 1.0)
            .map(|f| f as i64),
    };
    id.map(AgentId::new)
        .ok_or_else(|| serde::de::Error::custom(format!("{n} is not an account id")))
}

/// A charge of paid cash, as it ended.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CashCharge {
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub payment: PaymentRecord,
    /// `done`: the cash is in the wallet; `pending`: the gateway did not answer in time and
    /// the charge is being confirmed (the cash arrives once it is); `refused`.
    pub state: String,
}

const MAX_NAME_CHARS: usize = 100;
const MAX_EMAIL_CHARS: usize = 254;

fn field(name: &str, message: impl Into<String>) -> AppError {
    AppError::Fields(vec![(name.to_owned(), message.into())])
}

/// A plausible e-mail address (one `@`, something on each side, a dot in the domain, no
/// spaces): what a form can check; the mail server decides the rest.
pub fn check_email(name: &str, value: &str) -> Result<String, AppError> {
    let v = value.trim();
    let ok = v.chars().count() <= MAX_EMAIL_CHARS
        && !v.chars().any(|c| c.is_whitespace() || c.is_control())
        && matches!(v.split_once('@'), Some((local, domain))
            if !local.is_empty() && domain.contains('.') && !domain.starts_with('.')
                && !domain.ends_with('.') && !domain.contains('@'));
    if ok {
        Ok(v.to_owned())
    } else {
        Err(field(name, "is not an e-mail address"))
    }
}

fn check_text(name: &str, value: &str) -> Result<String, AppError> {
    let v = value.trim();
    if v.is_empty() {
        return Err(field(name, "is empty"));
    }
    if v.chars().count() > MAX_NAME_CHARS {
        return Err(field(
            name,
            format!("has at most {MAX_NAME_CHARS} characters"),
        ));
    }
    if v.chars().any(char::is_control) {
        return Err(field(name, "has a control character"));
    }
    Ok(v.to_owned())
}

/// A wallet's details checked: every refused field at once.
struct CheckedWallet {
    name: String,
    kind: &'static str,
    business_number: Option<String>,
    business_name: Option<String>,
    representative: Option<String>,
    invoice_email: Option<String>,
}

fn check_wallet(input: &WalletInput) -> Result<CheckedWallet, AppError> {
    let mut problems = Vec::new();
    let mut keep = |r: Result<String, AppError>| match r {
        Ok(v) => Some(v),
        Err(AppError::Fields(mut f)) => {
            problems.append(&mut f);
            None
        }
        Err(_) => None,
    };
    let name = keep(check_text("name", &input.name));
    let kind = match input.kind.as_str() {
        "business" => Some("business"),
        "personal" => Some("personal"),
        _ => {
            problems.push(("kind".into(), "is business or personal".into()));
            None
        }
    };
    let mut checked = CheckedWallet {
        name: name.unwrap_or_default(),
        kind: kind.unwrap_or("personal"),
        business_number: None,
        business_name: None,
        representative: None,
        invoice_email: None,
    };
    if kind == Some("business") {
        match input.business_number.as_deref().map(BusinessNumber::parse) {
            Some(Ok(n)) => checked.business_number = Some(n.to_string()),
            Some(Err(e)) => problems.push(("business_number".into(), e.to_string())),
            None => problems.push(("business_number".into(), "is required".into())),
        }
        let mut required = |name: &str, v: &Option<String>, email: bool| {
            let r = match v {
                None => Err(field(name, "is required")),
                Some(v) if email => check_email(name, v),
                Some(v) => check_text(name, v),
            };
            match r {
                Ok(v) => Some(v),
                Err(AppError::Fields(mut f)) => {
                    problems.append(&mut f);
                    None
                }
                Err(_) => None,
            }
        };
        checked.business_name = required("business_name", &input.business_name, false);
        checked.representative = required("representative", &input.representative, false);
        checked.invoice_email = required("invoice_email", &input.invoice_email, true);
    }
    if problems.is_empty() {
        Ok(checked)
    } else {
        Err(AppError::Fields(problems))
    }
}

impl CheckedWallet {
    fn text(&self, master: AgentId) -> WalletText<'_> {
        WalletText {
            name: &self.name,
            kind: self.kind,
            business_number: self.business_number.as_deref(),
            business_name: self.business_name.as_deref(),
            representative: self.representative.as_deref(),
            invoice_email: self.invoice_email.as_deref(),
            master_id: master,
        }
    }
}

impl Services {
    /// The installation's prices and limits.
    pub fn billing(&self) -> &BillingConfig {
        &self.billing
    }

    /// The site's wallet and what `caller` is to it; `NotFound` for someone who is nothing
    /// to it (they do not learn it exists) and for a site without one.
    pub(crate) async fn wallet_for(
        &self,
        caller: &AgentRecord,
    ) -> Result<(WalletRecord, WalletRole), AppError> {
        let wallet = self
            .store
            .wallet_of_site(caller.site_id)
            .await?
            .ok_or(AppError::NotFound("wallet"))?;
        let role = self
            .role_in(&wallet, caller)
            .await?
            .ok_or(AppError::NotFound("wallet"))?;
        Ok((wallet, role))
    }

    async fn role_in(
        &self,
        wallet: &WalletRecord,
        who: &AgentRecord,
    ) -> Result<Option<WalletRole>, AppError> {
        if who.site_id != wallet.site_id || who.deactivated_at.is_some() {
            return Ok(None);
        }
        if wallet.master_id == who.id {
            return Ok(Some(WalletRole::Master));
        }
        if who.role == Role::Admin {
            return Ok(Some(WalletRole::ChatbotMaster));
        }
        let workers = self.store.wallet_workers(wallet.id).await?;
        Ok(workers.contains(&who.id).then_some(WalletRole::Worker))
    }

    async fn managing_wallet(&self, caller: &AgentRecord) -> Result<WalletRecord, AppError> {
        let (wallet, role) = self.wallet_for(caller).await?;
        if !role.manages() {
            return Err(AppError::Forbidden(
                "only the wallet's master and the site's admin change this".into(),
            ));
        }
        Ok(wallet)
    }

    /// The wallet, its figures, cards and people, as `caller` sees it.
    pub async fn wallet_view(&self, caller: &AgentRecord) -> Result<WalletView, AppError> {
        let (wallet, role) = self.wallet_for(caller).await?;
        let now = self.now();
        let balances = self.store.balances(wallet.id).await?;
        let grants = self.store.grants(wallet.id).await?;
        let zone = self
            .hours_of_site(wallet.site_id)
            .await?
            .hours
            .zone()
            .clone();
        let grant_views = grants
            .iter()
            .filter_map(|g| {
                let left = balances.grant(g.id)?;
                Some(GrantView {
                    id: g.id.get(),
                    granted: g.amount.get(),
                    remaining: left.remaining.get(),
                    expires_at: g.expires_at,
                    reason: g.reason.clone(),
                })
            })
            .collect();
        let people = self.wallet_people(&wallet).await?;
        let names: HashMap<AgentId, String> = people
            .iter()
            .map(|p| (p.agent_id, p.name.clone()))
            .collect();
        let mut cards = Vec::new();
        let charged = self.store.wallet_cards(wallet.id).await?;
        let order = billing::charge_order(&wallet_cards(&charged));
        for c in charged {
            let owner_name = match names.get(&c.card.agent_id) {
                Some(n) => n.clone(),
                None => self.store.agent(c.card.agent_id).await?.display_name,
            };
            let position = order
                .iter()
                .position(|id| *id == c.card.id)
                .map_or(0, |p| p + 1);
            cards.push(WalletCardView {
                card: c,
                owner_name,
                order: position,
            });
        }
        cards.sort_by_key(|c| if c.order == 0 { usize::MAX } else { c.order });
        Ok(WalletView {
            role,
            billable: balances.receivable == Krw::ZERO,
            balances: BalancesView {
                paid: balances.paid.get(),
                free: balances.free_available(now).get(),
                grants: grant_views,
                due: balances.due.get(),
                receivable: balances.receivable.get(),
                next_settlement_at: billing::next_daily_settlement(now, zone.time_zone()),
            },
            cards,
            my_cards: self.store.cards_of(caller.id).await?,
            people,
            wallet,
        })
    }

    /// The wallet's people: the site's admins, the master, the workers, with their e-mail.
    pub(crate) async fn wallet_people(
        &self,
        wallet: &WalletRecord,
    ) -> Result<Vec<PersonView>, AppError> {
        let emails: HashMap<AgentId, String> = self
            .store
            .notice_emails(wallet.id)
            .await?
            .into_iter()
            .collect();
        let mut people = Vec::new();
        for a in self.store.agents_of_site(wallet.site_id).await? {
            if a.deactivated_at.is_some() {
                continue;
            }
            if let Some(role) = self.role_in(wallet, &a).await? {
                people.push(PersonView {
                    agent_id: a.id,
                    name: a.display_name.clone(),
                    role,
                    notice_email: emails.get(&a.id).cloned(),
                });
            }
        }
        Ok(people)
    }

    /// The site's admin makes its wallet, naming its master.
    pub async fn create_wallet(
        &self,
        caller: &AgentRecord,
        input: &WalletInput,
    ) -> Result<WalletView, AppError> {
        crate::access::admin_only(caller, "makes the site's wallet")?;
        let checked = check_wallet(input)?;
        self.site_account(caller.site_id, input.master_id).await?;
        let now = self.now();
        let wallet = self
            .store
            .create_wallet(
                caller.site_id,
                &checked.text(input.master_id),
                self.billing.threshold,
                now,
            )
            .await?;
        self.audit_wallet(caller, &wallet, "created").await?;
        self.arm_wallet(&wallet).await?;
        self.wallet_view(caller).await
    }

    /// The master or an admin changes the wallet's details or master.
    pub async fn update_wallet(
        &self,
        caller: &AgentRecord,
        input: &WalletInput,
    ) -> Result<WalletView, AppError> {
        let wallet = self.managing_wallet(caller).await?;
        let checked = check_wallet(input)?;
        self.site_account(caller.site_id, input.master_id).await?;
        let updated = self
            .store
            .update_wallet(wallet.id, &checked.text(input.master_id), self.now())
            .await?;
        self.audit_wallet(caller, &updated, "updated").await?;
        self.wallet_view(caller).await
    }

    /// An active account of the site (a master, a worker).
    async fn site_account(&self, site: SiteId, id: AgentId) -> Result<AgentRecord, AppError> {
        match self.store.agent(id).await {
            Ok(a) if a.site_id == site && a.deactivated_at.is_none() => Ok(a),
            Ok(_) | Err(StoreError::NotFound(_)) => Err(AppError::NotFound("account")),
            Err(e) => Err(e.into()),
        }
    }

    async fn audit_wallet(
        &self,
        caller: &AgentRecord,
        wallet: &WalletRecord,
        what: &str,
    ) -> Result<(), AppError> {
        self.audit(
            caller,
            AuditAction::WalletChanged,
            format!("wallet:{}", wallet.id),
            serde_json::json!({ "change": what }),
        )
        .await;
        Ok(())
    }

    /// Adds a worker.
    pub async fn add_wallet_worker(
        &self,
        caller: &AgentRecord,
        agent: AgentId,
    ) -> Result<WalletView, AppError> {
        let wallet = self.managing_wallet(caller).await?;
        self.site_account(caller.site_id, agent).await?;
        self.store
            .add_wallet_worker(wallet.id, agent, self.now())
            .await?;
        self.audit_wallet(caller, &wallet, "worker added").await?;
        self.wallet_view(caller).await
    }

    pub async fn remove_wallet_worker(
        &self,
        caller: &AgentRecord,
        agent: AgentId,
    ) -> Result<WalletView, AppError> {
        let wallet = self.managing_wallet(caller).await?;
        if !self.store.remove_wallet_worker(wallet.id, agent).await? {
            return Err(AppError::NotFound("worker"));
        }
        self.audit_wallet(caller, &wallet, "worker removed").await?;
        self.wallet_view(caller).await
    }

    /// Sets where someone gets the notices: one's own, or anyone's for a manager of it.
    pub async fn set_notice_email(
        &self,
        caller: &AgentRecord,
        agent: AgentId,
        email: Option<&str>,
    ) -> Result<WalletView, AppError> {
        let (wallet, role) = self.wallet_for(caller).await?;
        if agent != caller.id && !role.manages() {
            return Err(AppError::Forbidden(
                "only the wallet's master and the site's admin set others' notice e-mail".into(),
            ));
        }
        let person = self.site_account(caller.site_id, agent).await?;
        if self.role_in(&wallet, &person).await?.is_none() {
            return Err(AppError::NotFound("wallet person"));
        }
        let email = email.map(|e| check_email("email", e)).transpose()?;
        self.store
            .set_notice_email(wallet.id, agent, email.as_deref())
            .await?;
        self.wallet_view(caller).await
    }

    fn payments(&self) -> Result<&Payments, AppError> {
        self.payments
            .as_deref()
            .ok_or(AppError::PaymentsNotConfigured)
    }

    /// Where `caller` registers a card: the gateway's window, with a customer key that names
    /// them, coming back to `return_url`.
    pub fn card_registration(
        &self,
        caller: &AgentRecord,
        return_url: &str,
    ) -> Result<CardRegistration, AppError> {
        let payments = self.payments()?;
        let customer_key = customer_key_of(caller.id);
        let query = form_urlencoded::Serializer::new(String::new())
            .append_pair("customerKey", &customer_key)
            .append_pair("successUrl", return_url)
            .append_pair("failUrl", return_url)
            .finish();
        let joiner = if payments.registration_url.contains('?') {
            '&'
        } else {
            '?'
        };
        Ok(CardRegistration {
            url: format!("{}{joiner}{query}", payments.registration_url),
            customer_key,
        })
    }

    /// The gateway's window came back with a one-time auth key: the card is `caller`'s.
    pub async fn register_card(
        &self,
        caller: &AgentRecord,
        auth_key: &str,
        customer_key: &str,
    ) -> Result<CardRecord, AppError> {
        let payments = self.payments()?;
        if customer_key != customer_key_of(caller.id) {
            return Err(field(
                "customer_key",
                "is not yours: start the registration again",
            ));
        }
        if auth_key.is_empty() || auth_key.len() > 300 {
            return Err(field("auth_key", "is not an auth key"));
        }
        let issued = payments
            .gateway
            .issue_billing_key(&IssueRequest {
                auth_key: auth_key.to_owned(),
                customer_key: customer_key.to_owned(),
            })
            .await
            .map_err(|e| match e {
                // The window's one-time key was not one the gateway issued, or was used: the
                // person starts the registration again.
                PayError::Rejected { code, message } => field(
                    "auth_key",
                    format!("the payment gateway did not accept it ({code}: {message}); register the card again"),
                ),
                other => pay_error(other),
            })?;
        let card = self
            .store
            .add_card(
                caller.id,
                &NewCard {
                    billing_key: &issued.billing_key,
                    customer_key,
                    card_company: &issued.card_company,
                    masked_number: &issued.masked_number,
                },
                billing::MAX_CARDS_PER_PERSON,
                self.now(),
            )
            .await?;
        Ok(card)
    }

    /// Removes one of `caller`'s own cards (from every wallet it was in).
    pub async fn delete_card(&self, caller: &AgentRecord, card: CardId) -> Result<(), AppError> {
        let c = self.own_card(caller, card).await?;
        self.store.delete_card(c.id, self.now()).await?;
        Ok(())
    }

    async fn own_card(&self, caller: &AgentRecord, card: CardId) -> Result<CardRecord, AppError> {
        match self.store.card(card).await {
            Ok(c) if c.agent_id == caller.id && c.deleted_at.is_none() => Ok(c),
            Ok(_) | Err(StoreError::NotFound(_)) => Err(AppError::NotFound("card")),
            Err(e) => Err(e.into()),
        }
    }

    /// Puts a card in the wallet: one's own as a backup, or (master) one's own as the payment
    /// card.
    pub async fn use_card(
        &self,
        caller: &AgentRecord,
        card: CardId,
        slot: CardSlot,
    ) -> Result<WalletView, AppError> {
        let (wallet, role) = self.wallet_for(caller).await?;
        let c = self.own_card(caller, card).await?;
        if slot == CardSlot::Payment && role != WalletRole::Master {
            return Err(AppError::Forbidden(
                "the payment card is the wallet master's own card".into(),
            ));
        }
        self.store
            .set_wallet_card(wallet.id, c.id, slot, self.now(), billing::check_slots)
            .await?;
        self.audit_wallet(caller, &wallet, "card set").await?;
        self.wallet_view(caller).await
    }

    /// Takes a card off the wallet: one's own, or any for a manager of it.
    pub async fn drop_card(
        &self,
        caller: &AgentRecord,
        card: CardId,
    ) -> Result<WalletView, AppError> {
        let (wallet, role) = self.wallet_for(caller).await?;
        let c = match self.store.card(card).await {
            Ok(c) => c,
            Err(StoreError::NotFound(_)) => return Err(AppError::NotFound("card")),
            Err(e) => return Err(e.into()),
        };
        if c.agent_id != caller.id && !role.manages() {
            return Err(AppError::NotFound("card"));
        }
        if !self.store.remove_wallet_card(wallet.id, c.id).await? {
            return Err(AppError::NotFound("card"));
        }
        self.audit_wallet(caller, &wallet, "card removed").await?;
        self.wallet_view(caller).await
    }

    /// Buys `supply` of paid cash with one of `caller`'s cards (or the wallet's payment card
    /// for its master). A gateway that does not answer in time leaves the charge pending: a
    /// job asks again with the same idempotency key until it knows.
    pub async fn charge_cash(
        &self,
        caller: &AgentRecord,
        card: CardId,
        supply: Krw,
        request_key: &str,
    ) -> Result<CashCharge, AppError> {
        let (wallet, _) = self.wallet_for(caller).await?;
        let c = self.own_card(caller, card).await?;
        if supply < MIN_CASH_CHARGE || supply > MAX_CASH_CHARGE {
            return Err(field(
                "amount",
                format!("is between {MIN_CASH_CHARGE} and {MAX_CASH_CHARGE} KRW"),
            ));
        }
        let key = IdempotencyKey::parse(request_key)
            .map_err(|e| field("idempotency_key", e.to_string()))?;
        let order_id = format!("cash-{}-{}", wallet.id, short_hash(key.as_str()));
        let payment = match self
            .store
            .new_payment(
                &NewPayment {
                    wallet_id: wallet.id,
                    card_id: c.id,
                    purpose: "cash",
                    supply,
                    amount: billing::gross(supply),
                    order_id: &order_id,
                    idempotency_key: &order_id,
                    created_by: Some(caller.id),
                },
                self.now(),
            )
            .await
        {
            Ok(p) => p,
            // The same request again: answer how the first one stands.
            Err(StoreError::Conflict(_)) => {
                let p = self.store.payment_by_order(&order_id).await?;
                if p.wallet_id != wallet.id {
                    return Err(AppError::NotFound("payment"));
                }
                return Ok(CashCharge {
                    state: p.state.clone(),
                    payment: p,
                });
            }
            Err(e) => return Err(e.into()),
        };
        self.ensure_payment_followed(&payment).await?;
        let payment = self.ask_gateway(&wallet, &payment, &c).await?;
        Ok(CashCharge {
            state: payment.state.clone(),
            payment,
        })
    }

    /// Refunds unused paid cash (all of it, or `amount`) to the latest cash purchases, newest
    /// first.
    pub async fn refund(
        &self,
        caller: &AgentRecord,
        amount: Option<Krw>,
        request_key: &str,
    ) -> Result<Krw, AppError> {
        let wallet = self.managing_wallet(caller).await?;
        let key = IdempotencyKey::parse(request_key)
            .map_err(|e| field("idempotency_key", e.to_string()))?;
        let balances = self.store.balances(wallet.id).await?;
        billing::plan_refund(&balances, amount).map_err(AppError::Billing)?;
        let mut left = amount.unwrap_or(balances.paid);
        let mut refunded = Krw::ZERO;
        let mut part = 0;
        while left > Krw::ZERO {
            let Some(payment) = self.store.latest_cash_payment(wallet.id).await? else {
                break;
            };
            let refundable_gross = payment.amount.get() - payment.refunded;
            // The supply that gross covers (gross = supply + floor(supply / 10)).
            let refundable = supply_within(Krw::clamp_from(refundable_gross));
            let this = left.min(refundable);
            if this == Krw::ZERO {
                break;
            }
            part += 1;
            let entry_key = IdempotencyKey::parse(&format!("refund:{}:{part}", key.as_str()))
                .map_err(|e| AppError::Internal(e.to_string()))?;
            let payment_key = payment.payment_key.clone().ok_or_else(|| {
                AppError::Internal("a completed payment without its payment key".into())
            })?;
            let gross = billing::gross(this);
            self.payments()?
                .gateway
                .cancel(&CancelRequest {
                    payment_key,
                    amount: Some(gross.get()),
                    reason: "월렛 유상캐시 환불".into(),
                    idempotency_key: entry_key.as_str().to_owned(),
                })
                .await
                .map_err(pay_error)?;
            let now = self.now();
            let k = entry_key.clone();
            self.store
                .post(
                    wallet.id,
                    &[entry_key.as_str()],
                    Some(store::PaymentEffect::Refunded {
                        payment: payment.id,
                        gross,
                    }),
                    now,
                    |view| {
                        if view.recorded.contains_key(k.as_str()) {
                            return (Vec::new(), ());
                        }
                        let transfers =
                            billing::plan_refund(view.balances, Some(this)).unwrap_or_default();
                        (
                            vec![NewEntry {
                                key: k,
                                kind: billing::EntryKind::Refunded,
                                amount: this,
                                transfers,
                                usage: None,
                                payment_id: Some(payment.id),
                            }],
                            (),
                        )
                    },
                )
                .await?;
            refunded = refunded.saturating_add(this);
            left = left.saturating_sub(this);
        }
        if refunded > Krw::ZERO {
            self.notify(
                &wallet,
                Notice::RefundCompleted { amount: refunded },
                key.as_str(),
            )
            .await?;
            self.audit_wallet(caller, &wallet, "refunded").await?;
        }
        Ok(refunded)
    }

    /// The platform operator grants free cash to the site's wallet.
    pub async fn grant_cash(
        &self,
        site: SiteId,
        amount: Krw,
        expires_at: i64,
        reason: &str,
        key: &str,
    ) -> Result<(GrantRecord, bool), AppError> {
        let wallet = self
            .store
            .wallet_of_site(site)
            .await?
            .ok_or(AppError::NotFound("wallet"))?;
        if amount == Krw::ZERO {
            return Err(field("amount", "is more than 0"));
        }
        let now = self.now();
        if expires_at <= now {
            return Err(field("expires_at", "is in the future"));
        }
        let reason = check_text("reason", reason)?;
        let key = IdempotencyKey::parse(key).map_err(|e| field("key", e.to_string()))?;
        let (grant, new) = self
            .store
            .grant_cash(wallet.id, amount, expires_at, &reason, &key, now)
            .await?;
        if new {
            self.notify(
                &wallet,
                Notice::CashGranted { amount, expires_at },
                &format!("grant:{}", grant.id.get()),
            )
            .await?;
        }
        Ok((grant, new))
    }

    /// The wallet's invoices.
    pub async fn invoices(&self, caller: &AgentRecord) -> Result<Vec<InvoiceRecord>, AppError> {
        let (wallet, _) = self.wallet_for(caller).await?;
        Ok(self.store.invoices(wallet.id).await?)
    }

    pub async fn invoice(&self, caller: &AgentRecord, id: i64) -> Result<InvoiceRecord, AppError> {
        let (wallet, _) = self.wallet_for(caller).await?;
        match self.store.invoice(id).await {
            Ok(i) if i.wallet_id == wallet.id => Ok(i),
            Ok(_) | Err(StoreError::NotFound(_)) => Err(AppError::NotFound("invoice")),
            Err(e) => Err(e.into()),
        }
    }

    /// The wallet's payments, newest first.
    pub async fn wallet_payments(
        &self,
        caller: &AgentRecord,
    ) -> Result<Vec<PaymentRecord>, AppError> {
        let (wallet, _) = self.wallet_for(caller).await?;
        Ok(self.store.payments(wallet.id, 200).await?)
    }
}

/// Where the page sends a person to register a card.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CardRegistration {
    pub url: String,
    pub customer_key: String,
}

/// The gateway's customer key of an account: stable, and checked when the window comes back.
fn customer_key_of(agent: AgentId) -> String {
    format!("sangdam-agent-{}", agent.get())
}

/// A short stable digest of a caller's key (order ids have a length limit at the gateway).
pub(crate) fn short_hash(key: &str) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(&Sha256::digest(key.as_bytes())[..12])
}

/// The largest supply whose gross (supply + VAT) fits in `gross`.
fn supply_within(gross: Krw) -> Krw {
    let g = gross.get();
    // supply + floor(supply / 10) <= g; start from the estimate and step down.
    let mut s = g * 10 / 11;
    while s > 0 && billing::gross(Krw::clamp_from(s)).get() > g {
        s -= 1;
    }
    while billing::gross(Krw::clamp_from(s + 1)).get() <= g {
        s += 1;
    }
    Krw::clamp_from(s)
}

pub(crate) fn wallet_cards(cards: &[WalletCardRecord]) -> Vec<billing::WalletCard> {
    cards
        .iter()
        .map(|c| billing::WalletCard {
            id: c.card.id,
            slot: c.slot,
            added_at: c.added_at,
            usable: c.card.deleted_at.is_none(),
        })
        .collect()
}

/// A gateway's refusal as the application's error.
pub(crate) fn pay_error(e: PayError) -> AppError {
    AppError::Payment(e)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn supply_within_inverts_gross() {
        for s in 0..5000 {
            let g = billing::gross(Krw::clamp_from(s));
            assert_eq!(supply_within(g).get(), s, "gross {g}");
        }
    }

    #[test]
    fn emails_a_form_can_check() {
        for ok in ["a@b.co", " kim@example.com ", "세무@회사.kr"] {
            assert!(check_email("e", ok).is_ok(), "{ok}");
        }
        for bad in [
            "", "a", "a@b", "@b.co", "a@.co", "a b@c.co", "a@b.co.", "a@b@c.co",
        ] {
            assert!(check_email("e", bad).is_err(), "{bad}");
        }
    }
}
