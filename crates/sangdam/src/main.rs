//! The `sangdam` command: a thin shell over the library crates.

mod backup;
mod export;
mod kb;
mod seed;
mod serve;
mod url;
mod wallet;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "sangdam",
    version,
    about = "Sangdam: self-hosted multi-channel customer consultation"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Chat URLs: parse, build, render consultation-info templates, make the v2 button snippet.
    Url {
        #[command(subcommand)]
        command: url::UrlCommand,
    },
    /// Run the server (migrates the database first).
    Serve(Box<serve::ServeArgs>),
    /// Sites: `sangdam site create --name NAME` prints its credentials as JSON.
    Site {
        #[command(subcommand)]
        command: SiteCommand,
    },
    /// Staff accounts: `sangdam agent create --site N --login L --name NAME` prints the
    /// account with its generated password (and API token with --api-token) as JSON.
    Agent {
        #[command(subcommand)]
        command: AgentCommand,
    },
    /// Create or upgrade the database schema.
    Migrate(serve::DbArgs),
    /// Copy a SQLite database to a new file while the server runs (`--out FILE`, which must
    /// not exist); prints the copy's size, messages and time as JSON. PostgreSQL: use pg_dump.
    Backup(backup::BackupArgs),
    /// Write a report to a file: `sangdam export consultations --site N --format xlsx|csv
    /// --out FILE [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--channel C]`.
    Export {
        #[command(subcommand)]
        command: export::ExportCommand,
    },
    /// Fill a site with made-up consultations (`--site N --consultations COUNT`, over `--days`
    /// before `--until`; the same `--seed` makes the same rows) for demos and for measuring
    /// reports; prints what it wrote and its time as JSON. On PostgreSQL it ends by rewriting
    /// the consultations table in creation order, holding it for seconds: not for a live desk.
    Seed(seed::SeedArgs),
    /// The knowledge base: `sangdam kb match --kb FILE [--top N] [--min-accuracy A]` reads
    /// utterances on standard input and prints each one's best entries as a JSON line;
    /// `sangdam kb eval --pairs FILE` measures the matcher on labelled question pairs.
    Kb {
        #[command(subcommand)]
        command: kb::KbCommand,
    },
    /// Wallets, as the platform operator: `sangdam wallet grant --site N --krw A --days D
    /// --reason R` grants free cash; `sangdam wallet threshold --site N --krw A`;
    /// `sangdam wallet check` verifies every ledger.
    Wallet {
        #[command(subcommand)]
        command: wallet::WalletCommand,
    },
    /// Platform operators (above every site): `sangdam operator create --login L --name N`
    /// prints the operator with a generated password as JSON; they log in at `/operator`.
    Operator {
        #[command(subcommand)]
        command: wallet::OperatorCommand,
    },
}

#[derive(Debug, Subcommand)]
enum AgentCommand {
    /// Add an agent or a manager to a site.
    Create(serve::AgentCreateArgs),
}

#[derive(Debug, Subcommand)]
enum SiteCommand {
    /// Create a site with its admin login and API token.
    Create {
        #[arg(long)]
        name: String,
        #[command(flatten)]
        db: serve::DbArgs,
    },
}

fn run_async(command: Command) -> Result<String, Failure> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("SANGDAM_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn")),
        )
        .with_writer(std::io::stderr)
        .init();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure::Refused(format!("cannot start the runtime: {e}")))?;
    runtime.block_on(async move {
        match command {
            Command::Serve(args) => serve::serve(*args).await,
            Command::Site {
                command: SiteCommand::Create { name, db },
            } => serve::site_create(&name, &db).await,
            Command::Agent {
                command: AgentCommand::Create(args),
            } => serve::agent_create(&args).await,
            Command::Migrate(db) => serve::migrate(&db).await,
            Command::Backup(args) => backup::backup(&args).await,
            Command::Export { command } => export::run(&command).await,
            Command::Seed(args) => seed::seed(&args).await,
            Command::Wallet { command } => wallet::run(&command).await,
            Command::Operator { command } => wallet::run_operator(&command).await,
            Command::Url { command } => url::run(command),
            Command::Kb { command } => kb::run(command),
        }
    })
}

/// How a command failed: a usage error (exit 2) or a refused request (exit 1).
#[derive(Debug)]
pub enum Failure {
    Usage(String),
    Refused(String),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Url { command } => url::run(command),
        Command::Kb { command } => kb::run(command),
        other => run_async(other),
    };
    match result {
        Ok(output) if output.is_empty() => ExitCode::SUCCESS,
        Ok(output) => {
            println!("{output}");
            ExitCode::SUCCESS
        }
        Err(Failure::Usage(msg)) => {
            eprintln!("error: {msg}");
            ExitCode::from(2)
        }
        Err(Failure::Refused(msg)) => {
            eprintln!("error: {msg}");
            ExitCode::from(1)
        }
    }
}
