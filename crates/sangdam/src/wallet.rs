//! `sangdam wallet …` and `sangdam operator …`: the platform operator's commands — grant free
//! cash (also on the operator's page), set a wallet's settlement threshold, check that every
//! wallet's ledger balances — and making the operators who log in to `/operator`.

use std::sync::Arc;

use app::{NoEvents, Services, SystemClock};
use billing::Krw;
use sangdam_core::SiteId;
use serde_json::json;

use crate::Failure;
use crate::serve::{DbArgs, open};

#[derive(Debug, clap::Subcommand)]
pub enum WalletCommand {
    /// Grant free cash to a site's wallet; prints the grant as JSON. The same `--key` again
    /// grants nothing more.
    Grant(GrantArgs),
    /// Set the amount due at which a site's wallet is charged at once.
    Threshold(ThresholdArgs),
    /// Check that every wallet's kept balances are the sums of its postings and every entry
    /// balances; prints the problems as JSON (exit 1 when there is one).
    Check(DbArgs),
}

#[derive(Debug, clap::Args)]
pub struct GrantArgs {
    #[arg(long)]
    pub site: i64,
    /// KRW of free cash.
    #[arg(long)]
    pub krw: u32,
    /// Days until it expires.
    #[arg(long, default_value_t = 30)]
    pub days: u32,
    /// Why (shown to the wallet's people).
    #[arg(long)]
    pub reason: String,
    /// Makes the grant once: a second run with the same key does nothing (default: one
    /// per site, amount, days and reason each day).
    #[arg(long)]
    pub key: Option<String>,
    #[command(flatten)]
    pub db: DbArgs,
}

#[derive(Debug, clap::Args)]
pub struct ThresholdArgs {
    #[arg(long)]
    pub site: i64,
    #[arg(long)]
    pub krw: u32,
    #[command(flatten)]
    pub db: DbArgs,
}

#[derive(Debug, clap::Subcommand)]
pub enum OperatorCommand {
    /// Add a platform operator; prints it with its generated password as JSON.
    Create(OperatorArgs),
}

#[derive(Debug, clap::Args)]
pub struct OperatorArgs {
    /// What the operator logs in with (3 to 64 of letters, digits, `. _ - @`).
    #[arg(long)]
    pub login: String,
    /// The operator's name, as the sites' audit logs show it.
    #[arg(long)]
    pub name: String,
    #[command(flatten)]
    pub db: DbArgs,
}

pub async fn run_operator(command: &OperatorCommand) -> Result<String, Failure> {
    match command {
        OperatorCommand::Create(a) => {
            let store = open(&a.db).await?;
            let services = Services::new(store.clone(), Arc::new(SystemClock), Arc::new(NoEvents));
            let (operator, password) = services
                .create_operator(&a.login, &a.name)
                .await
                .map_err(refused)?;
            store.close().await;
            Ok(json!({
                "operator": operator,
                "password": password,
                "login_url": "/operator/login",
            })
            .to_string())
        }
    }
}

fn refused(e: impl std::fmt::Display) -> Failure {
    Failure::Refused(e.to_string())
}

pub async fn run(command: &WalletCommand) -> Result<String, Failure> {
    match command {
        WalletCommand::Grant(a) => {
            let store = open(&a.db).await?;
            let services = Services::new(store.clone(), Arc::new(SystemClock), Arc::new(NoEvents));
            let now = services.now();
            let expires_at = now + i64::from(a.days) * 86_400_000;
            let key = a.key.clone().unwrap_or_else(|| {
                let day = now / 86_400_000;
                format!("cli:{}:{}:{}:{}:{day}", a.site, a.krw, a.days, a.reason)
            });
            let (grant, new) = services
                .grant_cash(
                    SiteId::new(a.site),
                    Krw::won(a.krw),
                    expires_at,
                    &a.reason,
                    &key,
                )
                .await
                .map_err(refused)?;
            // The notices are queued; the server's scheduler sends them.
            store.close().await;
            Ok(json!({ "grant": grant, "new": new }).to_string())
        }
        WalletCommand::Threshold(a) => {
            let store = open(&a.db).await?;
            let wallet = store
                .wallet_of_site(SiteId::new(a.site))
                .await
                .map_err(refused)?
                .ok_or_else(|| Failure::Refused(format!("site {} has no wallet", a.site)))?;
            let now = app::Clock::now_ms(&SystemClock);
            store
                .set_wallet_threshold(wallet.id, Krw::won(a.krw), now)
                .await
                .map_err(refused)?;
            store.close().await;
            Ok(json!({ "wallet": wallet.id, "threshold": a.krw }).to_string())
        }
        WalletCommand::Check(db) => {
            let store = open(db).await?;
            let problems = store.check_ledger().await.map_err(refused)?;
            store.close().await;
            let out = json!({ "problems": problems }).to_string();
            if problems.is_empty() {
                Ok(out)
            } else {
                Err(Failure::Refused(out))
            }
        }
    }
}
