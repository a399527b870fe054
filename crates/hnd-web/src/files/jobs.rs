//! Import jobs: waiting, running or done, by number, in memory.
//!
//! Imports have their own budget: one runs at a time on a server (the
//! others wait their turn), each holding one connection for one chunk at a
//! time, so the pools that pages and sign-in use are never all taken by
//! imports. A job and its error file are removed [`JOB_TTL`] after it
//! ends; on shutdown running jobs stop at their next chunk.

use hnd_import::ImportSummary;
use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

/// How long a finished job (its page and its error file) is kept.
pub const JOB_TTL: std::time::Duration = std::time::Duration::from_secs(60 * 60);

/// Imports running at once on one server.
const IMPORTS_AT_ONCE: usize = 1;

/// Imports waiting, running or done, by number.
pub struct Jobs {
    next: AtomicU64,
    jobs: Mutex<HashMap<u64, Job>>,
    /// The imports' budget: a job holds a permit while it reads and loads.
    budget: tokio::sync::Semaphore,
    /// Set on shutdown: jobs stop at their next chunk.
    stopping: std::sync::atomic::AtomicBool,
    /// Jobs whose task has not ended yet, and a signal when one ends.
    live: std::sync::atomic::AtomicUsize,
    ended: tokio::sync::Notify,
    /// Files uploaded in a layout of their own, waiting for their mapping.
    drafts: Mutex<HashMap<u64, Draft>>,
}

impl Default for Jobs {
    fn default() -> Jobs {
        Jobs {
            next: AtomicU64::new(0),
            jobs: Mutex::new(HashMap::new()),
            budget: tokio::sync::Semaphore::new(IMPORTS_AT_ONCE),
            stopping: Default::default(),
            live: Default::default(),
            ended: tokio::sync::Notify::new(),
            drafts: Mutex::new(HashMap::new()),
        }
    }
}

#[derive(Clone)]
pub(super) struct Job {
    /// Who started it: the only one who may see it.
    pub user: i64,
    pub file_name: String,
    /// Data rows in the file, when known beforehand (CSV).
    pub total: Option<usize>,
    pub state: JobState,
    pub errors_path: std::path::PathBuf,
    /// When it ended, for its expiry.
    pub ended: Option<std::time::Instant>,
}

/// A file in a layout of its own between its upload and its import: the
/// mapping the user is checking (the import wizard, `wizard.rs`). Kept
/// [`JOB_TTL`] after its upload, then removed with its file.
#[derive(Clone)]
pub(super) struct Draft {
    pub user: i64,
    pub unit: String,
    pub file_name: String,
    pub path: std::path::PathBuf,
    pub mapping: hnd_import::Mapping,
    pub at: std::time::Instant,
}

#[derive(Clone)]
pub(super) enum JobState {
    /// Waiting for the imports' budget.
    Waiting,
    Running(ImportSummary),
    Done(ImportSummary),
    Failed(String),
}

impl Jobs {
    /// A number for a new job or work file.
    pub(super) fn next_id(&self) -> u64 {
        self.next.fetch_add(1, Ordering::Relaxed) + 1
    }

    /// Job `id`, waiting for the budget: `import` runs on a task of its
    /// own once the budget allows (it is told whether to stop and where to
    /// report its progress, [`Jobs::stopping`], [`Jobs::progress`]); the
    /// job then ends with its summary or the sentence that failed it
    /// (`cancelled` when the server stopped before it began).
    pub(super) fn spawn<F, Fut>(self: &std::sync::Arc<Self>, id: u64, job: Job, cancelled: String, import: F)
    where
        F: FnOnce() -> Fut + Send + 'static,
        Fut: std::future::Future<Output = Result<ImportSummary, String>> + Send,
    {
        self.expire();
        self.jobs.lock().expect("jobs lock").insert(id, job);
        self.live.fetch_add(1, Ordering::SeqCst);
        let jobs = self.clone();
        tokio::spawn(async move {
            // The budget is closed on shutdown: the job then ends as cancelled.
            let result = match jobs.budget.acquire().await {
                Ok(_permit) => {
                    jobs.update(id, JobState::Running(ImportSummary::default()));
                    import().await
                }
                Err(_) => Err(cancelled),
            };
            jobs.update(
                id,
                match result {
                    Ok(summary) => JobState::Done(summary),
                    Err(message) => JobState::Failed(message),
                },
            );
            jobs.live.fetch_sub(1, Ordering::SeqCst);
            jobs.ended.notify_waiters();
        });
    }

    /// Whether running jobs are to stop at their next chunk.
    pub(super) fn stopping(&self) -> bool {
        self.stopping.load(Ordering::SeqCst)
    }

    /// Job `id` has read this far.
    pub(super) fn progress(&self, id: u64, summary: &ImportSummary) {
        self.update(id, JobState::Running(summary.clone()));
    }

    fn update(&self, id: u64, state: JobState) {
        if let Some(job) = self.jobs.lock().expect("jobs lock").get_mut(&id) {
            if matches!(state, JobState::Done(_) | JobState::Failed(_)) {
                job.ended = Some(std::time::Instant::now());
            }
            job.state = state;
        }
    }

    /// Forgets the jobs that ended more than [`JOB_TTL`] ago, and removes
    /// their error files.
    fn expire(&self) {
        let mut jobs = self.jobs.lock().expect("jobs lock");
        jobs.retain(|_, job| {
            let keep = job.ended.is_none_or(|at| at.elapsed() < JOB_TTL);
            if !keep {
                let _ = std::fs::remove_file(&job.errors_path);
            }
            keep
        });
    }

    /// Asks running and waiting jobs to stop at their next chunk; new
    /// jobs end as soon as they start.
    pub fn cancel(&self) {
        self.stopping.store(true, Ordering::SeqCst);
        self.budget.close();
    }

    /// [`Jobs::cancel`], then waits until every job has ended, for
    /// `deadline` at most.
    pub async fn stop(&self, deadline: std::time::Duration) {
        self.cancel();
        let all_ended = async {
            loop {
                let ended = self.ended.notified();
                if self.live.load(Ordering::SeqCst) == 0 {
                    return;
                }
                ended.await;
            }
        };
        let _ = tokio::time::timeout(deadline, all_ended).await;
    }

    /// Imports in progress and the rows they have read.
    pub fn running(&self) -> (usize, usize) {
        self.expire();
        let jobs = self.jobs.lock().expect("jobs lock");
        jobs.values().fold((0, 0), |(n, rows), job| match &job.state {
            JobState::Running(s) => (n + 1, rows + s.read),
            _ => (n, rows),
        })
    }

    pub(super) fn get(&self, id: u64) -> Option<Job> {
        self.jobs.lock().expect("jobs lock").get(&id).cloned()
    }

    /// Keeps draft `id` (replacing an earlier state of it); forgets the
    /// drafts older than [`JOB_TTL`] and removes their files.
    pub(super) fn put_draft(&self, id: u64, draft: Draft) {
        let mut drafts = self.drafts.lock().expect("drafts lock");
        drafts.retain(|_, d| {
            let keep = d.at.elapsed() < JOB_TTL;
            if !keep {
                let _ = std::fs::remove_file(&d.path);
            }
            keep
        });
        drafts.insert(id, draft);
    }

    pub(super) fn draft(&self, id: u64) -> Option<Draft> {
        self.drafts.lock().expect("drafts lock").get(&id).cloned()
    }

    /// Draft `id`, no longer kept: its file now belongs to its import.
    pub(super) fn take_draft(&self, id: u64) -> Option<Draft> {
        self.drafts.lock().expect("drafts lock").remove(&id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A job ended more than [`JOB_TTL`] ago is forgotten with its error
    /// file; a running one and a recent one are kept.
    #[test]
    fn ended_jobs_expire_with_their_error_files() {
        let dir = std::env::temp_dir().join(format!("hnd-jobs-expire-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let jobs = Jobs::default();
        let long_ago = std::time::Instant::now()
            .checked_sub(JOB_TTL + std::time::Duration::from_secs(1))
            .expect("an instant an hour ago");
        for (id, ended) in [(1, Some(long_ago)), (2, Some(std::time::Instant::now())), (3, None)] {
            let errors_path = dir.join(format!("errors-{id}.csv"));
            std::fs::write(&errors_path, "x").unwrap();
            let job = Job {
                user: 1,
                file_name: "tep.csv".into(),
                total: None,
                state: JobState::Done(ImportSummary::default()),
                errors_path,
                ended,
            };
            jobs.jobs.lock().unwrap().insert(id, job);
        }
        jobs.expire();
        assert!(jobs.get(1).is_none() && !dir.join("errors-1.csv").exists());
        assert!(jobs.get(2).is_some() && dir.join("errors-2.csv").exists());
        assert!(jobs.get(3).is_some() && dir.join("errors-3.csv").exists());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
