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
        ..Config::default()
    };
    config.scheduler.lease_ms = i64::from(args.job_lease_seconds.max(2)) * 1000;
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
