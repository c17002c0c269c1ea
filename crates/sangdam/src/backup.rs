//! `sangdam backup`: a consistent copy of a SQLite database, taken while the server runs.

use std::path::PathBuf;

use clap::Args;
use serde::Serialize;
use store::Backend;

use crate::{Failure, serve};

#[derive(Debug, Args)]
pub struct BackupArgs {
    #[command(flatten)]
    pub db: serve::DbArgs,
    /// The file to write the copy to; it must not exist (a backup never replaces a file).
    #[arg(long)]
    pub out: PathBuf,
}

/// Prints `{"out", "bytes", "messages", "elapsed_ms", "check_ms"}`.
pub async fn backup(args: &BackupArgs) -> Result<String, Failure> {
    // Refused before connecting: connecting would migrate the database, and the hint is worth
    // giving also when the server is down.
    if Backend::of_url(&args.db.database_url) == Backend::Postgres {
        return Err(Failure::Refused(
            store::postgres_backup_refused(&args.out).to_string(),
        ));
    }
    let store = serve::open(&args.db).await?;
    let result = store.backup_to(&args.out).await;
    store.close().await;
    let report = result.map_err(|e| Failure::Refused(format!("backup: {e}")))?;
    let printed = Printed {
        out: args.out.display().to_string(),
        report,
    };
    serde_json::to_string(&printed).map_err(|e| Failure::Refused(e.to_string()))
}

/// The JSON line printed: where the copy is, then the report.
#[derive(Debug, Serialize)]
struct Printed {
    out: String,
    #[serde(flatten)]
    report: store::BackupReport,
}
