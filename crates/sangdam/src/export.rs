//! `sangdam export consultations`: a site's consultation history to an `.xlsx` or CSV file,
//! for operators and scripts: the same rows and columns the report page downloads.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use app::export::FileFormat;
use app::{NoEvents, Services, SystemClock};
use clap::{Args, Subcommand};
use sangdam_core::SiteId;
use sangdam_core::report::FilterSpec;
use serde::Serialize;

use crate::{Failure, serve};

#[derive(Debug, Subcommand)]
pub enum ExportCommand {
    /// The consultation history with every column (custom parameters headed by their
    /// descriptions); prints `{"rows", "bytes", "seconds", "out"}`.
    Consultations(ConsultationsArgs),
}

#[derive(Debug, Args)]
pub struct ConsultationsArgs {
    #[command(flatten)]
    pub db: serve::DbArgs,
    #[arg(long)]
    pub site: i64,
    /// The first day (YYYY-MM-DD, by creation in the site's time zone), inclusive.
    #[arg(long)]
    pub from: Option<String>,
    /// The last day (YYYY-MM-DD), inclusive.
    #[arg(long)]
    pub to: Option<String>,
    /// Only this channel (kakao, webchat_v1, webchat_v2, naver); may repeat.
    #[arg(long)]
    pub channel: Vec<String>,
    /// xlsx or csv.
    #[arg(long)]
    pub format: String,
    /// The file to write; it must not exist.
    #[arg(long)]
    pub out: PathBuf,
    /// The headings' language (ko or en).
    #[arg(long, default_value = "ko")]
    pub lang: String,
}

#[derive(Debug, Serialize)]
struct Printed {
    rows: u64,
    bytes: u64,
    seconds: f64,
    out: String,
}

pub async fn run(command: &ExportCommand) -> Result<String, Failure> {
    match command {
        ExportCommand::Consultations(args) => consultations(args).await,
    }
}

fn day(value: &Option<String>, flag: &str) -> Result<Option<jiff::civil::Date>, Failure> {
    value
        .as_deref()
        .map(|v| {
            v.parse()
                .map_err(|_| Failure::Usage(format!("--{flag} {v:?}: expected YYYY-MM-DD")))
        })
        .transpose()
}

async fn consultations(args: &ConsultationsArgs) -> Result<String, Failure> {
    let format = FileFormat::parse(&args.format).ok_or_else(|| {
        Failure::Usage(format!("--format {:?}: expected xlsx or csv", args.format))
    })?;
    let lang = i18n::Lang::parse(&args.lang)
        .ok_or_else(|| Failure::Usage(format!("--lang {:?}: expected ko or en", args.lang)))?;
    let channels = args
        .channel
        .iter()
        .map(|c| {
            c.parse()
                .map_err(|e: inflow::UnknownChannel| Failure::Usage(e.to_string()))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let spec = FilterSpec {
        from: day(&args.from, "from")?,
        to: day(&args.to, "to")?,
        channels,
        ..FilterSpec::default()
    };
    if args.out.exists() {
        return Err(Failure::Refused(format!(
            "{} exists: an export never replaces a file",
            args.out.display()
        )));
    }
    let store = serve::open(&args.db).await?;
    let services = Services::new(store.clone(), Arc::new(SystemClock), Arc::new(NoEvents));
    let site = SiteId::new(args.site);
    let result = async {
        services
            .store
            .site(site)
            .await
            .map_err(|_| Failure::Refused(format!("there is no site {}", args.site)))?;
        let context = services
            .report_context(site)
            .await
            .map_err(|e| Failure::Refused(e.to_string()))?;
        let filter = context
            .filter(spec)
            .map_err(|e| Failure::Usage(e.to_string()))?;
        let started = Instant::now();
        let tty = std::io::stderr().is_terminal();
        let mut shown = 0u64;
        let written = services
            .write_report(
                site,
                &context,
                &filter,
                &context.columns.clone(),
                lang,
                format,
                &args.out,
                |done, total| {
                    if tty && (done - shown >= 50_000 || done == total) {
                        shown = done;
                        let pct = (done * 100).checked_div(total).unwrap_or(100);
                        let mut err = std::io::stderr();
                        let _ = write!(err, "\r{pct:>3}%  {done}/{total} rows");
                        if done == total {
                            let _ = writeln!(err);
                        }
                        let _ = err.flush();
                    }
                    true
                },
            )
            .await
            .map_err(|e| Failure::Refused(format!("export: {e}")))?;
        Ok::<_, Failure>(Printed {
            rows: written.rows,
            bytes: written.bytes,
            seconds: (started.elapsed().as_secs_f64() * 1000.0).round() / 1000.0,
            out: args.out.display().to_string(),
        })
    }
    .await;
    store.close().await;
    let printed = result?;
    serde_json::to_string(&printed).map_err(|e| Failure::Refused(e.to_string()))
}
