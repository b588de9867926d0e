//! Opening the database, migrations, and the connection/transaction handles every query takes.

use crate::{Result, StoreError};
use sqlx::pool::PoolConnection;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{PgConnection, PgPool, Postgres, Sqlite, SqliteConnection, SqlitePool, Transaction};
use std::str::FromStr;
use std::time::Duration;

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// SQLite's durability setting. `Normal` (the default) in WAL mode loses no committed transaction
/// when the process is killed, only on power loss or an OS crash; `Full` also survives those, at
/// the cost of an fsync per commit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Synchronous {
    #[default]
    Normal,
    Full,
}

#[derive(Debug, Clone)]
pub struct ConnectOptions {
    pub synchronous: Synchronous,
    /// Create the SQLite file when it does not exist (serve, migrate); restore and backup do not.
    pub create_if_missing: bool,
    pub max_connections: u32,
}

impl Default for ConnectOptions {
    fn default() -> Self {
        ConnectOptions {
            synchronous: Synchronous::Normal,
            create_if_missing: true,
            max_connections: 8,
        }
    }
}

#[derive(Clone)]
enum Pool {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// The database, cheap to clone. Reads acquire a [`Handle`]; writes run in a [`Tx`].
#[derive(Clone)]
pub struct Store {
    pool: Pool,
    redacted_url: String,
    /// SQLite's one writer, queued in this process: see [`Store::begin`].
    writer: std::sync::Arc<tokio::sync::Mutex<()>>,
    /// Whether a transaction of this process committed a domain event since the last
    /// [`Store::take_events_recorded`]: the points consumer runs after every write request, and
    /// most writes record none. Starts true, so events a previous process left are booked too.
    events_recorded: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("url", &self.redacted_url)
            .finish()
    }
}

/// A borrowed connection on either backend; queries match on it with `on_backend!`.
pub enum Conn<'a> {
    Sqlite(&'a mut SqliteConnection),
    Postgres(&'a mut PgConnection),
}

impl Conn<'_> {
    /// The same connection for one more call, so a function can run several queries on it.
    pub fn reborrow(&mut self) -> Conn<'_> {
        match self {
            Conn::Sqlite(c) => Conn::Sqlite(c),
            Conn::Postgres(c) => Conn::Postgres(c),
        }
    }
}

/// A pooled connection for reads.
pub enum Handle {
    Sqlite(PoolConnection<Sqlite>),
    Postgres(PoolConnection<Postgres>),
}

impl Handle {
    pub fn conn(&mut self) -> Conn<'_> {
        match self {
            Handle::Sqlite(c) => Conn::Sqlite(c),
            Handle::Postgres(c) => Conn::Postgres(c),
        }
    }
}

/// A write transaction. Dropped without [`Tx::commit`], it rolls back. On SQLite it holds the
/// process's writer turn until then.
pub struct Tx {
    inner: TxInner,
    /// The instant the transaction's writes carry (audit time, recorded-at), in microseconds:
    /// one instant for the whole transaction, as PostgreSQL's `now()` is, read from the caller's
    /// clock.
    now_micros: i64,
    /// Set by [`crate::events::record_event`]; passed on to the store when the commit succeeds.
    pub(crate) recorded_event: bool,
    events_recorded: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

enum TxInner {
    Sqlite(
        Transaction<'static, Sqlite>,
        tokio::sync::OwnedMutexGuard<()>,
    ),
    Postgres(Transaction<'static, Postgres>),
}

impl Tx {
    /// The instant this transaction's writes carry, in microseconds since the epoch.
    pub fn now_micros(&self) -> i64 {
        self.now_micros
    }

    pub fn conn(&mut self) -> Conn<'_> {
        match &mut self.inner {
            TxInner::Sqlite(tx, _) => Conn::Sqlite(tx),
            TxInner::Postgres(tx) => Conn::Postgres(tx),
        }
    }

    pub async fn commit(self) -> Result<()> {
        match self.inner {
            TxInner::Sqlite(tx, _turn) => tx.commit().await?,
            TxInner::Postgres(tx) => tx.commit().await?,
        }
        if self.recorded_event {
            self.events_recorded
                .store(true, std::sync::atomic::Ordering::Release);
        }
        Ok(())
    }
}

/// Runs the same query code against whichever backend the connection is on.
/// Written `on_backend!(conn, |c| body)`: the closure-looking form is one rustfmt can format.
/// It is not a real closure; `body` is expanded into each match arm, so `.await` and `?` work.
macro_rules! on_backend {
    ($conn:expr, |$c:ident| $body:expr) => {
        match $conn {
            $crate::Conn::Sqlite($c) => $body,
            $crate::Conn::Postgres($c) => $body,
        }
    };
}
pub(crate) use on_backend;

/// `postgres://user:secret@host/db` → `postgres://user:***@host/db`, for logs and messages.
pub fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    match rest.split_once('@') {
        Some((userinfo, host)) => {
            let user = userinfo.split(':').next().unwrap_or("");
            format!("{scheme}://{user}:***@{host}")
        }
        None => url.to_string(),
    }
}

impl Store {
    /// Opens the database the URL names. Errors say in one line what is wrong, in Chinese and
    /// English.
    pub async fn connect(url: &str, options: &ConnectOptions) -> Result<Store> {
        let redacted_url = redact_url(url);
        let pool = if url.starts_with("sqlite:") {
            Pool::Sqlite(connect_sqlite(url, options).await?)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Pool::Postgres(connect_postgres(url, options).await?)
        } else {
            return Err(StoreError::BadUrl);
        };
        Ok(Store {
            pool,
            redacted_url,
            writer: Default::default(),
            events_recorded: std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true)),
        })
    }

    pub fn backend(&self) -> Backend {
        match self.pool {
            Pool::Sqlite(_) => Backend::Sqlite,
            Pool::Postgres(_) => Backend::Postgres,
        }
    }

    pub fn redacted_url(&self) -> &str {
        &self.redacted_url
    }

    /// Applies the migrations this binary carries for the backend; idempotent.
    pub async fn migrate(&self) -> Result<()> {
        match &self.pool {
            Pool::Sqlite(pool) => SQLITE_MIGRATIONS.run(pool).await?,
            Pool::Postgres(pool) => POSTGRES_MIGRATIONS.run(pool).await?,
        }
        // Entries written before the audit chain existed (migration 0014) are chained, once.
        let chained = crate::audit::chain_unlinked(self).await?;
        if chained > 0 {
            tracing::info!(
                chained,
                "audit entries written before the chain were chained"
            );
        }
        Ok(())
    }

    pub async fn acquire(&self) -> Result<Handle> {
        Ok(match &self.pool {
            Pool::Sqlite(pool) => Handle::Sqlite(pool.acquire().await?),
            Pool::Postgres(pool) => Handle::Postgres(pool.acquire().await?),
        })
    }

    /// Starts a write transaction. On SQLite it takes the write lock at once (`BEGIN IMMEDIATE`):
    /// a deferred transaction that later upgrades can fail with SQLITE_BUSY without waiting.
    /// Before that, writers of this process wait their turn on an async queue, without holding a
    /// connection: SQLite admits one writer anyway, and its busy handler makes the others poll
    /// with sleeps of up to 100 ms, which under load cost more throughput and latency than the
    /// writes themselves (measured by `dangjian bench run`, docs/performance.md). Another process
    /// writing the same file still meets the busy timeout.
    ///
    /// `now_micros` is the instant its writes carry ([`Tx::now_micros`]), from the caller's clock.
    pub async fn begin_at(&self, now_micros: i64) -> Result<Tx> {
        let inner = match &self.pool {
            Pool::Sqlite(pool) => {
                let turn = self.writer.clone().lock_owned().await;
                TxInner::Sqlite(pool.begin_with("BEGIN IMMEDIATE").await?, turn)
            }
            Pool::Postgres(pool) => TxInner::Postgres(pool.begin().await?),
        };
        Ok(Tx {
            inner,
            now_micros,
            recorded_event: false,
            events_recorded: self.events_recorded.clone(),
        })
    }

    /// Whether a domain event was committed since the last call (and forget it). With several
    /// servers, each books the events its own requests recorded; `dangjian ledger process`
    /// books whatever is left.
    pub fn take_events_recorded(&self) -> bool {
        self.events_recorded
            .swap(false, std::sync::atomic::Ordering::AcqRel)
    }

    /// Whether the database answers (for `/readyz`).
    pub async fn ping(&self) -> Result<()> {
        let mut handle = self.acquire().await?;
        on_backend!(handle.conn(), |c| sqlx::query("SELECT 1")
            .execute(c)
            .await
            .map(|_| ()))?;
        Ok(())
    }

    pub async fn close(&self) {
        match &self.pool {
            Pool::Sqlite(pool) => pool.close().await,
            Pool::Postgres(pool) => pool.close().await,
        }
    }

    pub(crate) fn sqlite_pool(&self) -> Option<&SqlitePool> {
        match &self.pool {
            Pool::Sqlite(pool) => Some(pool),
            Pool::Postgres(_) => None,
        }
    }
}

fn sqlite_path(url: &str) -> String {
    let rest = url
        .trim_start_matches("sqlite://")
        .trim_start_matches("sqlite:");
    rest.split('?').next().unwrap_or(rest).to_string()
}

async fn connect_sqlite(url: &str, options: &ConnectOptions) -> Result<SqlitePool> {
    let path = sqlite_path(url);
    let cannot_open = |cause: String| StoreError::CannotOpen {
        path: path.clone(),
        cause,
    };
    let connect_options = SqliteConnectOptions::from_str(url)
        .map_err(|e| cannot_open(e.to_string()))?
        .create_if_missing(options.create_if_missing)
        .journal_mode(SqliteJournalMode::Wal)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(10))
        .synchronous(match options.synchronous {
            Synchronous::Normal => SqliteSynchronous::Normal,
            Synchronous::Full => SqliteSynchronous::Full,
        });
    // No liveness ping on each acquire: a file connection does not go stale, and the ping is a
    // round trip to the connection's thread, the dominant cost of a short request (perf of
    // `bench run`'s check-ins: half the CPU went to waking those threads).
    let pool = SqlitePoolOptions::new()
        .max_connections(options.max_connections.max(1))
        .test_before_acquire(false)
        .connect_with(connect_options)
        .await
        .map_err(|error| classify_sqlite_error(&path, error))?;
    // Opening succeeds on any file; reading the schema is what finds out it is not a database.
    sqlx::query("SELECT count(*) FROM sqlite_master")
        .execute(&pool)
        .await
        .map_err(|error| classify_sqlite_error(&path, error))?;
    Ok(pool)
}

fn classify_sqlite_error(path: &str, error: sqlx::Error) -> StoreError {
    if let sqlx::Error::Database(db) = &error {
        // SQLITE_NOTADB = 26; extended codes keep the primary code in the low byte.
        let code = db
            .code()
            .and_then(|c| c.parse::<i32>().ok())
            .map(|c| c & 0xff);
        if code == Some(26) || db.message().contains("not a database") {
            return StoreError::NotSqlite {
                path: path.to_string(),
            };
        }
    }
    StoreError::CannotOpen {
        path: path.to_string(),
        cause: error.to_string(),
    }
}

async fn connect_postgres(url: &str, options: &ConnectOptions) -> Result<PgPool> {
    let connect_options = PgConnectOptions::from_str(url).map_err(|e| StoreError::Unreachable {
        cause: e.to_string(),
    })?;
    PgPoolOptions::new()
        .max_connections(options.max_connections.max(1))
        .acquire_timeout(Duration::from_secs(10))
        .connect_with(connect_options)
        .await
        .map_err(|e| StoreError::Unreachable {
            cause: e.to_string(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_never_reach_logs() {
        assert_eq!(
            redact_url("postgres://dj:s3cret@db:5432/dj"),
            "postgres://dj:***@db:5432/dj"
        );
        assert_eq!(redact_url("sqlite://dangjian.db"), "sqlite://dangjian.db");
    }

    #[test]
    fn sqlite_path_drops_scheme_and_query() {
        assert_eq!(sqlite_path("sqlite://data/dj.db?mode=rwc"), "data/dj.db");
        assert_eq!(sqlite_path("sqlite:dj.db"), "dj.db");
    }

    #[tokio::test]
    async fn a_text_file_is_not_a_database() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("notes.db");
        std::fs::write(
            &path,
            "这不是数据库 this is not a database, just some text long enough",
        )
        .expect("write");
        let url = format!("sqlite://{}", path.display());
        let error = Store::connect(&url, &ConnectOptions::default())
            .await
            .expect_err("must refuse");
        assert!(matches!(error, StoreError::NotSqlite { .. }), "{error:?}");
    }

    #[tokio::test]
    async fn migrations_apply_twice_without_harm() {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = format!("sqlite://{}", dir.path().join("dj.db").display());
        let store = Store::connect(&url, &ConnectOptions::default())
            .await
            .expect("connect");
        store.migrate().await.expect("first migration");
        store.migrate().await.expect("second migration");
        store.ping().await.expect("ping");
    }
}
