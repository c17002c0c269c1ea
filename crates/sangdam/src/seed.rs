//! `sangdam seed`: realistic made-up consultations, fast, for demos and for measuring reports on
//! a big desk. The rows are made by [`plan`] (deterministic for a seed and an end time) on one
//! thread while the store inserts the previous batch.

pub mod plan;

use std::io::{IsTerminal, Write};
use std::time::Instant;

use clap::Args;
use sangdam_core::SiteId;
use serde::Serialize;
use store::{SeedBatch, Store, StoreError};

use crate::{Failure, serve};

/// Consultations per batch (one transaction): about 15 messages each.
const BATCH: usize = 2000;

#[derive(Debug, Args)]
pub struct SeedArgs {
    #[command(flatten)]
    pub db: serve::DbArgs,
    /// The site's id (`sangdam site create` prints it).
    #[arg(long)]
    pub site: String,
    /// How many consultations to make.
    #[arg(long)]
    pub consultations: u64,
    /// The length of the period they are spread over, in days, ending at --until.
    #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u32).range(1..=3650))]
    pub days: u32,
    /// The same seed (and --until) makes the same rows.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// The end of the period, in ms since the epoch (default: now, rounded down to the
    /// minute).
    #[arg(long)]
    pub until: Option<i64>,
}

/// The JSON line printed: what this run wrote (agents and categories only when the site had
/// none of them yet), and how long it took.
#[derive(Debug, Serialize)]
struct Summary {
    site: i64,
    consultations: u64,
    messages: u64,
    rooms: u64,
    profiles: u64,
    agents: u64,
    categories: u64,
    seconds: f64,
}

pub async fn seed(args: &SeedArgs) -> Result<String, Failure> {
    let site: SiteId = args
        .site
        .parse()
        .map_err(|e| Failure::Usage(format!("--site: {e}")))?;
    let until = match args.until {
        Some(until) => until,
        None => {
            let now = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_err(|e| Failure::Refused(format!("the clock: {e}")))?;
            let ms = i64::try_from(now.as_millis()).unwrap_or(i64::MAX);
            ms - ms % 60_000
        }
    };
    let config = plan::Config {
        site: site.get(),
        consultations: args.consultations,
        days: args.days,
        seed: args.seed,
        until,
    };
    let store = serve::open(&args.db).await?;
    let result = run(&store, site, config).await;
    store.close().await;
    let summary = result?;
    serde_json::to_string(&summary).map_err(|e| Failure::Refused(e.to_string()))
}

async fn run(store: &Store, site: SiteId, config: plan::Config) -> Result<Summary, Failure> {
    let started = Instant::now();
    let failed = |e: StoreError| Failure::Refused(format!("seeding site {site}: {e}"));
    let record = match store.site(site).await {
        Ok(record) => record,
        Err(StoreError::NotFound(_)) => {
            return Err(Failure::Usage(format!(
                "there is no site {site} (make one with `sangdam site create`)"
            )));
        }
        Err(e) => return Err(failed(e)),
    };
    enable_slots(store, &record).await.map_err(failed)?;
    let start = store
        .seed_start(site, &plan::agent_logins(site.get()))
        .await
        .map_err(failed)?;
    let mut plan = plan::Plan::new(config, &start);

    // The plan runs on a thread of its own, a batch or two ahead of the inserts.
    let (tx, mut rx) = tokio::sync::mpsc::channel::<(SeedBatch, u64)>(2);
    let maker = std::thread::spawn(move || {
        while let Some(batch) = plan.next_batch(BATCH) {
            if tx.blocking_send((batch, plan.made())).is_err() {
                return;
            }
        }
    });
    let progress = std::io::stderr().is_terminal();
    let mut summary = Summary {
        site: site.get(),
        consultations: 0,
        messages: 0,
        rooms: 0,
        profiles: 0,
        agents: 0,
        categories: 0,
        seconds: 0.0,
    };
    while let Some((batch, made)) = rx.recv().await {
        store.seed_batch(site, &batch).await.map_err(failed)?;
        summary.consultations += batch.consultations.len() as u64;
        summary.messages += batch.messages.len() as u64;
        summary.rooms += batch.rooms.len() as u64;
        summary.profiles += batch.profiles.len() as u64;
        summary.agents += batch.agents.len() as u64;
        summary.categories += batch.categories.len() as u64;
        if progress {
            let percent = (made * 100)
                .checked_div(config.consultations)
                .unwrap_or(100);
            let mut err = std::io::stderr();
            let _ = write!(
                err,
                "\rseeding site {site}: {percent:3}% ({made}/{})",
                config.consultations
            );
            let _ = err.flush();
        }
    }
    if progress {
        eprintln!();
    }
    if maker.join().is_err() {
        return Err(Failure::Refused("making the rows failed".into()));
    }
    if progress {
        // PostgreSQL rewrites the table in creation order and gathers statistics: seconds a
        // million rows.
        eprintln!("seeding site {site}: finishing (table layout, statistics)");
    }
    store.seed_finish().await.map_err(failed)?;
    summary.seconds = (started.elapsed().as_secs_f64() * 100.0).round() / 100.0;
    Ok(summary)
}

/// Switches on the custom slots seeding fills, keeping the descriptions a slot already has.
async fn enable_slots(store: &Store, site: &store::SiteRecord) -> Result<(), StoreError> {
    let mut settings = site.settings.clone();
    for (number, description) in plan::SLOTS {
        let Some(slot) = inflow::Slot::all().find(|s| s.number() == number) else {
            continue;
        };
        let s = settings.slot_mut(slot);
        if !s.enabled {
            s.enabled = true;
            if s.description.trim().is_empty() {
                s.description = description.to_owned();
            }
        }
    }
    if settings != site.settings {
        store
            .update_site(
                site.id,
                &settings,
                site.require_verified_uid,
                site.info_url_template.as_deref(),
            )
            .await?;
    }
    Ok(())
}
