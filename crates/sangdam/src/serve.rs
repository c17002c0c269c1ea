//! `sangdam serve`, `sangdam site create`, `sangdam migrate`: the server and its database.

use std::net::SocketAddr;

use clap::Args;
use server::Config;
use server::provision::{self, Provisioned};
use store::Store;
use tokio::net::TcpListener;

use crate::Failure;

/// Where the database is: `--database-url`, else `SANGDAM_DATABASE_URL`, else `sangdam.db` in
/// the working directory.
#[derive(Debug, Args)]
pub struct DbArgs {
    /// `postgres://…` for PostgreSQL, or a SQLite file path / `sqlite://path`.
    #[arg(long, env = "SANGDAM_DATABASE_URL", default_value = "sangdam.db")]
    pub database_url: String,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "SANGDAM_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    #[command(flatten)]
    pub db: DbArgs,
    /// Create (or refresh) a demo site and print its login and chat URLs.
    #[arg(long)]
    pub demo: bool,
    /// Naver TalkTalk send API base URL (replies to Naver users are sent there).
    #[arg(long, env = "SANGDAM_NAVER_ENDPOINT", requires = "naver_key")]
    pub naver_endpoint: Option<String>,
    /// Naver TalkTalk authorization key.
    #[arg(long, env = "SANGDAM_NAVER_KEY")]
    pub naver_key: Option<String>,
    /// Kakao's Event API base URL, where KakaoTalk event messages go (default Kakao's own,
    /// `https://bot-api.kakao.com`).
    #[arg(long, env = "SANGDAM_KAKAO_BOT_API_URL")]
    pub kakao_bot_api_url: Option<String>,
    /// Event API requests per minute per site.
    #[arg(long, default_value_t = 120)]
    pub event_requests_per_minute: u32,
    /// Web chat requests per minute per client address.
    #[arg(long, default_value_t = 600)]
    pub webchat_per_minute: u32,
    /// Chat sessions opened per minute per client address (each page load opens one).
    #[arg(long, default_value_t = 60)]
    pub sessions_per_minute: u32,
    /// Failed logins in a row from one address before it must wait (then 1 minute, doubling
    /// up to 30); one login waits after 5 (30 seconds, doubling up to 15 minutes).
    #[arg(long, default_value_t = 20)]
    pub login_failures_per_address: u32,
    /// How long a background job (an outbound send, a timer) is held by the instance running
    /// it; after a crash, another instance (or this one restarted) runs it again once this has
    /// passed. A job gets half of it to finish.
    #[arg(long, env = "SANGDAM_JOB_LEASE_SECONDS", default_value_t = 60)]
    pub job_lease_seconds: u32,
    /// The address people reach Sangdam at (`https://chat.example.com`), when a proxy in front
    /// does not pass the `Host` they used: requests from pages there count as Sangdam's own.
    #[arg(long, env = "SANGDAM_PUBLIC_URL", value_parser = server::security::PublicUrl::parse)]
    pub public_url: Option<server::security::PublicUrl>,
    /// The bearer token a Prometheus scraper sends for `GET /metrics`; without one the
    /// figures are not served.
    #[arg(long, env = "SANGDAM_METRICS_TOKEN")]
    pub metrics_token: Option<String>,
    /// How long a minute of the auto-close rules lasts, in milliseconds: 60000 (a real
    /// minute). Shorter only to watch auto-close work in a test or a demo.
    #[arg(long, default_value_t = 60_000, value_parser = clap::value_parser!(i64).range(1..=60_000))]
    pub auto_close_minute_ms: i64,
    /// Where report downloads are written and kept for a day. Default: next to a SQLite
    /// database (`sangdam.db.exports`), else `sangdam-exports` in the working directory.
    #[arg(long, env = "SANGDAM_EXPORT_DIR")]
    pub export_dir: Option<std::path::PathBuf>,
    /// Where images and files sent in consultations are stored, by the SHA-256 of their
    /// content. Default: next to a SQLite database (`sangdam.db.files`), else `sangdam-files`
    /// in the working directory. Keep it with the database's backups.
    #[arg(long, env = "SANGDAM_FILES_DIR")]
    pub files_dir: Option<std::path::PathBuf>,
    /// Keep images and files in an S3-compatible bucket instead (`s3://bucket` or
    /// `s3://bucket/prefix`): AWS S3, MinIO, Ceph, R2, NCP Object Storage. Credentials, region
    /// and endpoint come from `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_REGION`,
    /// `AWS_ENDPOINT` (a service other than AWS) and `AWS_ALLOW_HTTP=true` (a plain-HTTP one).
    #[arg(long, env = "SANGDAM_FILES_BUCKET")]
    pub files_bucket: Option<String>,
    /// The NATS server that carries realtime events between instances (`nats://host:4222`).
    /// Without it, events stay in this process: one instance only. Several instances share
    /// one PostgreSQL database, this NATS, and the files (a bucket or a shared directory).
    #[arg(long, env = "SANGDAM_NATS_URL")]
    pub nats_url: Option<String>,
    #[command(flatten)]
    pub wallet: WalletArgs,
}

/// The wallet's outside parties: the payment gateway, the SMTP relay, prices.
#[derive(Debug, Clone, clap::Args)]
pub struct WalletArgs {
    /// The payment gateway's API (Toss Payments: https://api.tosspayments.com). Without it the
    /// wallet's card charges are refused; `--demo` then runs a local gateway instead.
    #[arg(long, env = "SANGDAM_PAYMENTS_URL", requires = "payments_secret_key")]
    pub payments_url: Option<String>,
    /// The gateway's secret key (`live_sk_…` / `test_sk_…`).
    #[arg(long, env = "SANGDAM_PAYMENTS_SECRET_KEY")]
    pub payments_secret_key: Option<String>,
    /// Where people register a card: the gateway's card registration window, which comes
    /// back to the wallet page with `authKey` and `customerKey`.
    #[arg(long, env = "SANGDAM_PAYMENTS_REGISTRATION_URL")]
    pub payments_registration_url: Option<String>,
    /// How long a charge waits for the gateway before it is left to be confirmed later.
    #[arg(long, env = "SANGDAM_PAYMENTS_TIMEOUT_SECONDS", default_value_t = 30)]
    pub payments_timeout_seconds: u64,
    /// The SMTP relay notices go out through: `smtp://host:port`,
    /// `smtp+starttls://user:password@host:587` or `smtps://user:password@host:465`.
    #[arg(long, env = "SANGDAM_SMTP_URL")]
    pub smtp_url: Option<String>,
    /// The notices' sender.
    #[arg(
        long,
        env = "SANGDAM_MAIL_FROM",
        default_value = "Sangdam <no-reply@localhost>"
    )]
    pub mail_from: String,
    /// KRW (VAT excluded) of one message sent through the Event API.
    #[arg(long, env = "SANGDAM_EVENT_MESSAGE_PRICE", default_value_t = 15)]
    pub event_message_price: u32,
    /// KRW of card usage at which a wallet is charged at once instead of at midnight (new
    /// wallets; `sangdam wallet threshold` changes one).
    #[arg(long, env = "SANGDAM_SETTLEMENT_THRESHOLD", default_value_t = 500_000)]
    pub settlement_threshold: u32,
}

/// The local payment gateway `--demo` runs when no real one is configured.
const DEMO_PAYMENTS_KEY: &str = "test_sk_sangdam_demo";

impl WalletArgs {
    /// The billing settings, the gateway and the mailer these flags name; with `demo` and no
    /// gateway, a local one (kept running by the returned peer).
    pub async fn configure(
        &self,
        config: &mut Config,
        demo: bool,
    ) -> Result<Option<protocol::pay::peer::TossPeer>, Failure> {
        let mut billing = app::wallet::BillingConfig::default();
        billing.prices.insert(
            app::wallet::EVENT_MESSAGE.to_owned(),
            billing::Krw::won(self.event_message_price),
        );
        billing.threshold = billing::Krw::won(self.settlement_threshold);
        config.billing = billing;
        let timeout = std::time::Duration::from_secs(self.payments_timeout_seconds.max(1));
        let mut peer = None;
        match (&self.payments_url, &self.payments_secret_key) {
            (Some(url), Some(key)) => {
                let registration = self.payments_registration_url.clone().ok_or_else(|| {
                    Failure::Usage(
                        "--payments-registration-url is needed with --payments-url".into(),
                    )
                })?;
                config.payments = Some(app::wallet::Payments {
                    gateway: std::sync::Arc::new(protocol::pay::toss::TossPayments::new(
                        url, key, timeout,
                    )),
                    registration_url: registration,
                });
            }
            _ if demo => {
                let local = protocol::pay::peer::TossPeer::start(DEMO_PAYMENTS_KEY).await;
                println!(
                    "A local payment gateway (for trying the wallet; no real card is charged) listens on {}",
                    local.base_url()
                );
                config.payments = Some(app::wallet::Payments {
                    gateway: std::sync::Arc::new(protocol::pay::toss::TossPayments::new(
                        &local.base_url(),
                        DEMO_PAYMENTS_KEY,
                        timeout,
                    )),
                    registration_url: format!("{}/peer/billing-auth", local.base_url()),
                });
                peer = Some(local);
            }
            _ => {}
        }
        if let Some(url) = &self.smtp_url {
            let settings = app::mail::SmtpSettings::parse(url, &self.mail_from)
                .map_err(|e| Failure::Usage(format!("--smtp-url: {e}")))?;
            config.mailer = Some(std::sync::Arc::new(app::mail::SmtpMailer::new(settings)));
        }
        Ok(peer)
    }
}

/// Beside a SQLite file (`sangdam.db` → `sangdam.db.exports`); for PostgreSQL, in the working
/// directory.
fn default_export_dir(url: &str) -> std::path::PathBuf {
    beside_database(url, "exports")
}

/// `<sqlite file>.<what>` beside a SQLite database, else `sangdam-<what>` in the working
/// directory.
fn beside_database(url: &str, what: &str) -> std::path::PathBuf {
    if store::Backend::of_url(url) == store::Backend::Sqlite {
        let path = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
            .unwrap_or(url);
        let path = path.split('?').next().unwrap_or(path);
        if !path.is_empty() && !path.contains(":memory:") {
            return std::path::PathBuf::from(format!("{path}.{what}"));
        }
    }
    std::path::PathBuf::from(format!("sangdam-{what}"))
}

pub async fn open(db: &DbArgs) -> Result<Store, Failure> {
    Store::connect(&db.database_url)
        .await
        .map_err(|e| Failure::Refused(format!("database {}: {e}", db.database_url)))
}

fn print_demo(p: &Provisioned, base: &str) {
    let site = p.site_id;
    println!();
    println!("Demo site {site} ({}) is ready.", provision::DEMO_SITE);
    println!(
        "  Console login:   {} / {}",
        p.admin.login, p.admin.password
    );
    println!("  API token:       {}", p.api_token);
    println!("  Site secret:     {}", p.secret);
    println!();
    println!(
        "Chat URLs this site would publish (custom slots: parameter1=유입경로, parameter2=유저구분);"
    );
    println!("a chat window opens one with POST /api/v1/webchat/{site}/sessions:");
    println!(
        "  web chat v2: {base}/chat/{site}?params=site_uid=('member01'),cus_extra_username=('%ED%99%8D%EA%B8%B8%EB%8F%99'),parameter1=('%EB%84%A4%EC%9D%B4%EB%B2%84')"
    );
    println!("  web chat v1: {base}/chat/{site}/v1?is_login=Y&uid=member01&parameter2=VIP");
    println!(
        "  Kakao skill: POST {base}/kakao/{site}/skill?key={}",
        p.kakao_key
    );
    println!(
        "  Naver:       POST {base}/naver/{site}/webhook?key={}",
        p.naver_key
    );
    println!();
    println!("Try it:");
    println!(
        "  curl -s -X POST {base}/api/v1/webchat/{site}/sessions -H 'content-type: application/json' \\\n    -d '{{\"channel\":\"webchat_v2\",\"url\":\"{base}/chat/{site}?params=site_uid=(%27member01%27)\"}}'"
    );
    println!(
        "  curl -s {base}/api/v1/consultations?state=waiting -H 'authorization: Bearer {}'",
        p.api_token
    );
    println!();
}

pub async fn serve(args: ServeArgs) -> Result<String, Failure> {
    let store = open(&args.db).await?;
    let listener = TcpListener::bind(args.listen)
        .await
        .map_err(|e| Failure::Refused(format!("cannot listen on {}: {e}", args.listen)))?;
    let addr = listener
        .local_addr()
        .map_err(|e| Failure::Refused(e.to_string()))?;
    let base = format!("http://{addr}");
    if args.demo {
        let p = provision::demo(&store)
            .await
            .map_err(|e| Failure::Refused(format!("demo site: {e}")))?;
        print_demo(&p, &base);
    }
    let mut config = Config {
        webchat_per_minute: args.webchat_per_minute,
        sessions_per_minute: args.sessions_per_minute,
        login_failures_per_address: args.login_failures_per_address,
        naver: args.naver_endpoint.zip(args.naver_key),
        kakao_bot_api: args.kakao_bot_api_url.clone(),
        event_requests_per_minute: args.event_requests_per_minute,
        public_url: args.public_url,
        metrics_token: args.metrics_token.filter(|t| !t.is_empty()),
        auto_close_minute_ms: args.auto_close_minute_ms,
        export_dir: Some(
            args.export_dir
                .clone()
                .unwrap_or_else(|| default_export_dir(&args.db.database_url)),
        ),
        files_dir: Some(
            args.files_dir
                .clone()
                .unwrap_or_else(|| beside_database(&args.db.database_url, "files")),
        ),
        files_bucket: match &args.files_bucket {
            Some(url) => Some(std::sync::Arc::new(
                app::files::Bucket::from_url(url).map_err(Failure::Usage)?,
            )),
            None => None,
        },
        nats_url: args.nats_url.clone().filter(|u| !u.is_empty()),
        ..Config::default()
    };
    config.scheduler.lease_ms = i64::from(args.job_lease_seconds.max(2)) * 1000;
    // Kept until the server stops: the demo's local payment gateway.
    let _payments_peer = args.wallet.configure(&mut config, args.demo).await?;
    let app = server::App::build(store.clone(), &config, listener)
        .await
        .map_err(|e| Failure::Refused(e.to_string()))?;
    println!(
        "Sangdam is listening on {base} (database: {})",
        args.db.database_url
    );
    app.run_until_stopped(shutdown_signal())
        .await
        .map_err(|e| Failure::Refused(format!("server stopped: {e}")))?;
    store.close().await;
    Ok("Sangdam stopped.".into())
}

/// Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("shutting down");
}

pub async fn site_create(name: &str, db: &DbArgs) -> Result<String, Failure> {
    let store = open(db).await?;
    let p = provision::create_site(&store, name, &inflow::Settings::default())
        .await
        .map_err(|e| Failure::Refused(e.to_string()))?;
    store.close().await;
    serde_json::to_string_pretty(&p).map_err(|e| Failure::Refused(e.to_string()))
}

#[derive(Debug, clap::Args)]
pub struct AgentCreateArgs {
    /// The site's id.
    #[arg(long)]
    pub site: String,
    /// Login: 3 to 64 of letters, digits and . _ - @.
    #[arg(long)]
    pub login: String,
    /// The name colleagues and customers see.
    #[arg(long)]
    pub name: String,
    /// agent or manager.
    #[arg(long, default_value = "agent")]
    pub role: String,
    /// Also issue an API token (shown once).
    #[arg(long)]
    pub api_token: bool,
    #[command(flatten)]
    pub db: DbArgs,
}

pub async fn agent_create(args: &AgentCreateArgs) -> Result<String, Failure> {
    let role = match args.role.as_str() {
        "agent" => store::Role::Agent,
        "manager" => store::Role::Manager,
        other => {
            return Err(Failure::Usage(format!(
                "--role is agent or manager, not {other:?}"
            )));
        }
    };
    let site: sangdam_core::SiteId = args
        .site
        .parse()
        .map_err(|e| Failure::Usage(format!("--site: {e}")))?;
    let store = open(&args.db).await?;
    let result = async {
        store.site(site).await.map_err(|e| e.to_string())?;
        provision::create_account(
            &store,
            site,
            provision::NewAccount {
                login: &args.login,
                display_name: &args.name,
                role,
                password: None,
                api_token: args.api_token,
            },
        )
        .await
        .map_err(|e| e.to_string())
    }
    .await;
    store.close().await;
    let account = result.map_err(Failure::Refused)?;
    serde_json::to_string_pretty(&account).map_err(|e| Failure::Refused(e.to_string()))
}

pub async fn migrate(db: &DbArgs) -> Result<String, Failure> {
    let store = open(db).await?;
    store.close().await;
    Ok(format!("database {} is up to date", db.database_url))
}
