//! Group commit: short writes that arrive while another is committing share the next transaction.
//!
//! Why (issue #8, `dangjian bench run`): with 64 members checking in at once, each check-in's own
//! transaction spent most of its time in round trips that cannot overlap (BEGIN, COMMIT, and the
//! hand-over of SQLite's one writer turn between tasks on a busy runtime); the database itself was
//! mostly idle. One writer task takes every queued write, runs them one after another in one
//! transaction and commits once, then answers each. An answer still means committed: nobody
//! hears "done" before the COMMIT that made their write durable has returned.
//!
//! The contract of a job: when it fails with a rule's error (a conflict, a refusal) it has written
//! nothing, so the others in its transaction are unaffected. A database error rolls the whole
//! batch back and every job in it gets the error (the client may retry). On PostgreSQL, where
//! several writers run, that includes the deadlock PostgreSQL breaks when two batches update the
//! same two rows in opposite orders: only possible when two members each send the same check-in
//! twice at the same instant, and the duplicates land in different batches.

use std::future::Future;
use std::pin::Pin;

use std::sync::Arc;

use dangjian_store::{Backend, Store, Tx};
use tokio::sync::{Mutex, OnceCell, mpsc, oneshot};

use crate::{AppError, AppResult, Clock};

/// Writer tasks per backend: SQLite admits one writer at a time anyway; PostgreSQL's row locks let
/// several transactions write at once, and each statement is a network round trip, so one writer
/// would leave the server waiting on it.
fn writers(backend: Backend) -> usize {
    match backend {
        Backend::Sqlite => 1,
        Backend::Postgres => 4,
    }
}

/// Most writes one transaction takes; more wait for the next.
const MAX_BATCH: usize = 256;
/// Writes waiting for the writer before callers wait to queue.
const QUEUE: usize = 4096;

type JobFuture<'t> = Pin<Box<dyn Future<Output = AppResult<()>> + Send + 't>>;
type Work = Box<dyn for<'t> FnOnce(&'t mut Tx) -> JobFuture<'t> + Send>;

struct Job {
    work: Work,
    done: oneshot::Sender<AppResult<()>>,
}

/// The queue of one process; its writer task starts with the first job.
#[derive(Clone, Default)]
pub struct GroupCommit {
    queue: std::sync::Arc<OnceCell<mpsc::Sender<Job>>>,
}

impl std::fmt::Debug for GroupCommit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GroupCommit").finish_non_exhaustive()
    }
}

impl GroupCommit {
    /// Runs `work` in a shared write transaction; returns once that transaction has committed.
    pub async fn run<W>(&self, store: &Store, clock: Clock, work: W) -> AppResult<()>
    where
        W: for<'t> FnOnce(&'t mut Tx) -> JobFuture<'t> + Send + 'static,
    {
        let queue = self
            .queue
            .get_or_init(|| async {
                let (sender, receiver) = mpsc::channel(QUEUE);
                let receiver = Arc::new(Mutex::new(receiver));
                for _ in 0..writers(store.backend()) {
                    tokio::spawn(writer(store.clone(), clock, receiver.clone()));
                }
                sender
            })
            .await;
        let (done, answer) = oneshot::channel();
        let job = Job {
            work: Box::new(work),
            done,
        };
        queue.send(job).await.map_err(|_| stopped())?;
        answer.await.map_err(|_| stopped())?
    }
}

fn stopped() -> AppError {
    AppError::Unexpected("the group-commit writer stopped".into())
}

/// Takes whatever is queued (at least one job), runs it in one transaction, answers each. With
/// several writers, one takes a batch while the others run theirs.
async fn writer(store: Store, clock: Clock, receiver: Arc<Mutex<mpsc::Receiver<Job>>>) {
    loop {
        let jobs = {
            let mut receiver = receiver.lock().await;
            let Some(first) = receiver.recv().await else {
                return;
            };
            let mut jobs = vec![first];
            while jobs.len() < MAX_BATCH {
                match receiver.try_recv() {
                    Ok(job) => jobs.push(job),
                    Err(_) => break,
                }
            }
            jobs
        };
        run_batch(&store, clock, jobs).await;
    }
}

async fn run_batch(store: &Store, clock: Clock, jobs: Vec<Job>) {
    let mut tx = match store.begin_at(clock.now_micros()).await {
        Ok(tx) => tx,
        Err(error) => return fail_all(jobs.into_iter().map(|j| j.done), &error.to_string()),
    };
    let mut answers = Vec::with_capacity(jobs.len());
    let mut broken = None;
    let mut jobs = jobs.into_iter();
    for job in jobs.by_ref() {
        match (job.work)(&mut tx).await {
            Err(AppError::Internal(error)) => {
                broken = Some(error.to_string());
                answers.push((job.done, Ok(())));
                break;
            }
            outcome => answers.push((job.done, outcome)),
        }
    }
    if let Some(error) = broken {
        drop(tx);
        let not_run = jobs.map(|j| j.done);
        return fail_all(answers.into_iter().map(|(d, _)| d).chain(not_run), &error);
    }
    if let Err(error) = tx.commit().await {
        return fail_all(answers.into_iter().map(|(d, _)| d), &error.to_string());
    }
    for (done, outcome) in answers {
        // A caller that gave up (its request was dropped) no longer listens.
        let _ = done.send(outcome);
    }
}

fn fail_all(waiting: impl Iterator<Item = oneshot::Sender<AppResult<()>>>, error: &str) {
    tracing::error!(%error, "a group-committed write transaction failed");
    for done in waiting {
        let _ = done.send(Err(AppError::Unexpected(error.to_string())));
    }
}
