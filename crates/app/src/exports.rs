//! Report downloads as background work (R7.2, R7.4): a manager asks for the history of a
//! filter as `.xlsx` or CSV; the export is recorded (who, what filter, how many rows) and
//! queued; one worker writes it, recording its progress, which the page shows as a bar; it
//! can be cancelled at any time, and a cancelled or failed export leaves no file behind. The
//! finished file is kept for a while ([`ExportConfig::keep_ms`]) and then deleted.
//!
//! The export row is the durable record: an export whose server stopped midway is written
//! again from the start by the next worker that finds its lease run out.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use sangdam_core::report::FilterSpec;
use store::{AgentRecord, ExportRecord, ExportState, NewExport};
use tokio::sync::{Notify, watch};

use crate::Services;
use crate::clock::Millis;
use crate::error::AppError;
use crate::export::FileFormat;
use crate::reports::may_read_reports;

/// Where export files go and how long they are kept.
#[derive(Debug, Clone)]
pub struct ExportConfig {
    pub dir: PathBuf,
    /// A finished file is deleted this long after it was written.
    pub keep_ms: Millis,
    /// A worker's hold on an export, renewed at each progress; another worker takes the export
    /// over only when it ran out (its server stopped).
    pub lease_ms: Millis,
}

impl ExportConfig {
    /// One day's keeping; a minute's lease.
    pub fn in_dir(dir: PathBuf) -> Self {
        ExportConfig {
            dir,
            keep_ms: 24 * 3_600_000,
            lease_ms: 60_000,
        }
    }
}

/// The exports' settings and the worker's doorbell.
#[derive(Debug)]
pub(crate) struct Exports {
    pub(crate) config: ExportConfig,
    pub(crate) wake: Notify,
}

impl Exports {
    pub(crate) fn new(config: ExportConfig) -> Self {
        Exports {
            config,
            wake: Notify::new(),
        }
    }
}

/// Most exports listed at once.
pub const MAX_EXPORTS_LISTED: u32 = 50;

/// The file name a download is offered under.
pub fn download_name(e: &ExportRecord, zone: &sangdam_core::hours::Zone) -> String {
    let stamp = jiff::Timestamp::from_millisecond(e.created_at)
        .map(|t| zone.local(t).strftime("%Y%m%d-%H%M").to_string())
        .unwrap_or_default();
    format!("consultations-{}-{stamp}-{}.{}", e.site_id, e.id, e.format)
}

impl Services {
    fn exports(&self) -> Result<&Exports, AppError> {
        self.exports
            .as_deref()
            .ok_or_else(|| AppError::Internal("exports are not configured".into()))
    }

    /// Queues a download of `spec` in `format` for `caller` (a manager or the admin). The
    /// filter is checked now, so a bad one is refused at once.
    pub async fn start_export(
        &self,
        caller: &AgentRecord,
        spec: FilterSpec,
        format: FileFormat,
    ) -> Result<ExportRecord, AppError> {
        may_read_reports(caller)?;
        let exports = self.exports()?;
        let context = self.report_context(caller.site_id).await?;
        context.filter(spec.clone())?;
        let filter = serde_json::to_value(&spec)
            .map_err(|e| AppError::Internal(format!("the filter as JSON: {e}")))?;
        let columns: Vec<String> = context.columns.iter().map(|c| c.key().to_owned()).collect();
        let record = self
            .store
            .create_export(&NewExport {
                site: caller.site_id,
                agent: Some((caller.id, &caller.display_name)),
                format: format.as_str(),
                filter: &filter,
                columns: &columns,
                now: self.now(),
            })
            .await?;
        tracing::info!(site = %caller.site_id, agent = %caller.id, export = record.id, format = format.as_str(), "report export queued");
        exports.wake.notify_one();
        Ok(record)
    }

    /// The exports `caller` sees: their own; the admin's, everyone's of the site.
    pub async fn exports_of(&self, caller: &AgentRecord) -> Result<Vec<ExportRecord>, AppError> {
        may_read_reports(caller)?;
        let own = (caller.role != sangdam_core::Role::Admin).then_some(caller.id);
        Ok(self
            .store
            .exports_of_site(caller.site_id, own, MAX_EXPORTS_LISTED)
            .await?)
    }

    /// One export `caller` sees (else not found).
    pub async fn export_of(&self, caller: &AgentRecord, id: i64) -> Result<ExportRecord, AppError> {
        may_read_reports(caller)?;
        let e = self.store.export_of_site(caller.site_id, id).await?;
        if caller.role != sangdam_core::Role::Admin && e.agent_id != Some(caller.id) {
            return Err(AppError::NotFound("export"));
        }
        Ok(e)
    }

    /// Cancels an export still queued or being written; one that ended is a conflict.
    pub async fn cancel_export(
        &self,
        caller: &AgentRecord,
        id: i64,
    ) -> Result<ExportRecord, AppError> {
        let e = self.export_of(caller, id).await?;
        match self
            .store
            .cancel_export(caller.site_id, e.id, self.now())
            .await?
        {
            Some(cancelled) => {
                tracing::info!(export = id, "report export cancelled");
                Ok(cancelled)
            }
            None => Err(AppError::Conflict(format!(
                "the export has ended ({}): there is nothing to cancel",
                e.state.as_str()
            ))),
        }
    }

    /// The finished file of an export `caller` sees: its path and the name to offer.
    pub async fn export_file(
        &self,
        caller: &AgentRecord,
        id: i64,
    ) -> Result<(PathBuf, String, FileFormat), AppError> {
        let e = self.export_of(caller, id).await?;
        let (ExportState::Done, Some(file)) = (e.state, e.file.as_deref()) else {
            return Err(AppError::Conflict(format!(
                "the export is {}: only a finished export has a file",
                e.state.as_str()
            )));
        };
        let format = FileFormat::parse(&e.format)
            .ok_or_else(|| AppError::Internal(format!("unknown export format {:?}", e.format)))?;
        let path = self.exports()?.config.dir.join(file);
        if !path.exists() {
            return Err(AppError::Conflict("the export's file is gone".into()));
        }
        let zone = self.report_context(caller.site_id).await?.zone;
        Ok((path, download_name(&e, &zone), format))
    }

    /// Writes one claimed export to its file, recording progress; answers when it ended.
    async fn write_export(&self, e: ExportRecord) {
        let Some(exports) = self.exports.clone() else {
            return;
        };
        let config = &exports.config;
        let id = e.id;
        let outcome = self.write_export_file(&e, config).await;
        let now = self.now();
        match outcome {
            Ok(Some((file, rows, bytes))) => {
                let kept = self
                    .store
                    .finish_export(id, &file, rows, bytes, now, now + config.keep_ms)
                    .await;
                if !matches!(kept, Ok(true)) {
                    // Cancelled at the last moment (or the record is unreachable): no file
                    // is offered, so none is kept.
                    let _ = std::fs::remove_file(config.dir.join(&file));
                }
                tracing::info!(export = id, rows, bytes, "report export written");
            }
            Ok(None) => tracing::info!(export = id, "report export stopped: cancelled"),
            Err(why) => {
                tracing::warn!(export = id, error = %why, "report export failed");
                let _ = self.store.fail_export(id, &why.to_string(), now).await;
            }
        }
    }

    /// The file of `e`: `Some((name, rows, bytes))` when written, `None` when cancelled.
    async fn write_export_file(
        &self,
        e: &ExportRecord,
        config: &ExportConfig,
    ) -> Result<Option<(String, i64, i64)>, AppError> {
        let format = FileFormat::parse(&e.format)
            .ok_or_else(|| AppError::Internal(format!("unknown export format {:?}", e.format)))?;
        let spec: FilterSpec = serde_json::from_value(e.filter.clone())
            .map_err(|err| AppError::Internal(format!("the stored filter: {err}")))?;
        let context = self.report_context(e.site_id).await?;
        let mut filter = context.filter(spec)?;
        // What its requester may read now (a manager's group); the whole site for the admin's.
        if let Some(agent) = e.agent_id {
            let requester = self.store.agent(agent).await?;
            filter = self.scoped(&requester, &filter).await?;
        }
        let columns = context.choose(&e.columns)?;
        std::fs::create_dir_all(&config.dir).map_err(|err| {
            AppError::Internal(format!("cannot create {}: {err}", config.dir.display()))
        })?;
        let name = format!("export-{}-{}.{}", e.site_id, e.id, format.as_str());
        let part = config.dir.join(format!("{name}.part"));

        // Progress goes to the database from its own task (the writer's callback is not
        // async); a cancel seen there stops the writing at the next chunk.
        let stop = Arc::new(AtomicBool::new(false));
        let done = Arc::new(AtomicU64::new(0));
        let total = Arc::new(AtomicU64::new(0));
        let (tick, mut ticks) = watch::channel(());
        let recorder = {
            let (services, stop, done, total) =
                (self.clone(), stop.clone(), done.clone(), total.clone());
            let (id, lease) = (e.id, config.lease_ms);
            tokio::spawn(async move {
                while ticks.changed().await.is_ok() {
                    let d = i64::try_from(done.load(Ordering::Relaxed)).unwrap_or(i64::MAX);
                    let t = i64::try_from(total.load(Ordering::Relaxed)).unwrap_or(i64::MAX);
                    let until = services.now() + lease;
                    match services.store.export_progress(id, d, t, until).await {
                        Ok(true) => {}
                        Ok(false) => stop.store(true, Ordering::Relaxed),
                        Err(err) => {
                            tracing::warn!(export = id, error = %err, "export progress not recorded")
                        }
                    }
                    tokio::time::sleep(Duration::from_millis(200)).await;
                }
            })
        };
        let written = self
            .write_report(
                e.site_id,
                &context,
                &filter,
                &columns,
                i18n::Lang::DEFAULT,
                format,
                &part,
                |d, t| {
                    done.store(d, Ordering::Relaxed);
                    total.store(t, Ordering::Relaxed);
                    let _ = tick.send(());
                    !stop.load(Ordering::Relaxed)
                },
            )
            .await;
        drop(tick);
        let _ = recorder.await;
        match written {
            Ok(w) => {
                if stop.load(Ordering::Relaxed) {
                    let _ = std::fs::remove_file(&part);
                    return Ok(None);
                }
                let path = config.dir.join(&name);
                std::fs::rename(&part, &path).map_err(|err| {
                    let _ = std::fs::remove_file(&part);
                    AppError::Internal(format!("cannot keep {}: {err}", path.display()))
                })?;
                Ok(Some((
                    name,
                    i64::try_from(w.rows).unwrap_or(i64::MAX),
                    i64::try_from(w.bytes).unwrap_or(i64::MAX),
                )))
            }
            Err(AppError::Cancelled) => Ok(None),
            Err(err) => Err(err),
        }
    }

    /// Deletes the files of exports kept long enough.
    async fn expire_exports(&self, dir: &Path) {
        match self.store.expire_exports(self.now()).await {
            Ok(files) => {
                for f in files {
                    let _ = std::fs::remove_file(dir.join(f));
                }
            }
            Err(e) => tracing::warn!(error = %e, "expired exports not removed"),
        }
    }
}

/// The export worker: writes queued exports one at a time until `stop` turns true.
pub async fn run(services: Services, mut stop: watch::Receiver<bool>) {
    let Some(exports) = services.exports.clone() else {
        return;
    };
    loop {
        if *stop.borrow() {
            return;
        }
        services.expire_exports(&exports.config.dir).await;
        let now = services.now();
        match services
            .store
            .claim_export(now, now + exports.config.lease_ms)
            .await
        {
            Ok(Some(e)) => {
                // Written to the end even when the server is stopping: a stop mid-file would
                // only leave it to be written again.
                services.write_export(e).await;
                continue;
            }
            Ok(None) => {}
            Err(e) => tracing::warn!(error = %e, "cannot look for exports"),
        }
        tokio::select! {
            _ = exports.wake.notified() => {}
            _ = tokio::time::sleep(Duration::from_secs(5)) => {}
            _ = stop.changed() => {}
        }
    }
}
