//! The background workers, started and stopped together: the store's message writer and
//! checkpointer, and the job scheduler. Stopping tells them all, then waits for each to finish
//! what it holds (the writer writes what has queued up; the scheduler finishes running jobs).

use std::future::Future;
use std::time::Duration;

use tokio::sync::watch;
use tokio::task::JoinHandle;

/// How long a stop waits for one worker before leaving it behind.
const STOP_WAIT: Duration = Duration::from_secs(30);

/// A set of running background tasks sharing one stop signal.
#[derive(Debug)]
pub struct Workers {
    stop: watch::Sender<bool>,
    tasks: Vec<(&'static str, JoinHandle<()>)>,
}

impl Default for Workers {
    fn default() -> Self {
        Workers::new()
    }
}

impl Workers {
    pub fn new() -> Self {
        Workers {
            stop: watch::channel(false).0,
            tasks: Vec::new(),
        }
    }

    /// The signal a worker watches: it turns `true` when the set stops.
    pub fn stop_signal(&self) -> watch::Receiver<bool> {
        self.stop.subscribe()
    }

    /// Adds a task already started (with [`Workers::stop_signal`]).
    pub fn add(&mut self, name: &'static str, task: JoinHandle<()>) {
        self.tasks.push((name, task));
    }

    /// Starts `work` as a worker of this set.
    pub fn spawn(&mut self, name: &'static str, work: impl Future<Output = ()> + Send + 'static) {
        self.tasks.push((name, tokio::spawn(work)));
    }

    pub fn names(&self) -> Vec<&'static str> {
        self.tasks.iter().map(|(n, _)| *n).collect()
    }

    /// Tells every worker to stop and waits for them, in the order they were added.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        for (name, task) in self.tasks {
            match tokio::time::timeout(STOP_WAIT, task).await {
                Ok(Ok(())) => tracing::debug!(worker = name, "stopped"),
                Ok(Err(e)) => tracing::error!(worker = name, error = %e, "worker failed"),
                Err(_) => tracing::warn!(worker = name, "did not stop in time; left behind"),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn stopping_waits_for_every_worker_to_finish() {
        let mut workers = Workers::new();
        let (done_tx, mut done_rx) = tokio::sync::mpsc::unbounded_channel();
        for name in ["a", "b"] {
            let mut stop = workers.stop_signal();
            let done = done_tx.clone();
            workers.spawn(name, async move {
                let _ = stop.wait_for(|s| *s).await;
                // Some last work after the signal.
                tokio::time::sleep(Duration::from_millis(20)).await;
                let _ = done.send(name);
            });
        }
        assert_eq!(workers.names(), ["a", "b"]);
        assert!(
            done_rx.try_recv().is_err(),
            "nothing stops before it is told"
        );
        workers.stop().await;
        let mut finished = vec![done_rx.recv().await, done_rx.recv().await];
        finished.sort();
        assert_eq!(finished, [Some("a"), Some("b")]);
    }
}
