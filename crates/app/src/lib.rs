//! Use cases: one function per thing a user does. Each authorizes the [`Actor`] through the one
//! authorization rule (`dangjian_domain::access`), validates with the domain, and writes the data
//! and its audit entry in one transaction.

pub mod accounts;
pub mod activities;
mod actor;
pub mod audit;
pub mod auth;
pub mod bench;
mod clock;
pub mod demo;
pub mod development;
pub mod dues;
mod error;
mod group_commit;
pub mod members;
pub mod orgs;
pub mod points;
pub mod reminders;
mod secrets;
pub mod setup;
pub mod structure;
pub mod tokens;
pub mod transfers;

pub use actor::{Actor, Credential, RequestContext};
pub use clock::Clock;
pub use error::{AppError, AppResult, FieldError};

use dangjian_store::Store;
use jiff::SignedDuration;

/// What every use case needs: the database and the few settings that shape behaviour.
#[derive(Clone, Debug)]
pub struct App {
    /// Private: every read and write goes through a use case, which authorizes it.
    store: Store,
    pub settings: AppSettings,
    /// Short, frequent writes (check-ins) that share transactions under load.
    pub(crate) group_commit: group_commit::GroupCommit,
    /// Spreadsheet imports running at once (each may hold a shared-string table and a write
    /// transaction): see [`App::import_slot`].
    imports: std::sync::Arc<tokio::sync::Semaphore>,
}

/// Imports that may run at once: a file's checks take a core, and its memory adds up (issue #15).
pub const CONCURRENT_IMPORTS: usize = 2;
/// How long an import waits for a slot before it is told to come back.
const IMPORT_WAIT: std::time::Duration = std::time::Duration::from_secs(5);

#[derive(Clone, Debug)]
pub struct AppSettings {
    /// How long a session lives without being used (it slides forward on use).
    pub session_idle: SignedDuration,
    /// The time the product runs on: the system clock except in tests.
    pub clock: Clock,
}

impl Default for AppSettings {
    fn default() -> Self {
        AppSettings {
            session_idle: SignedDuration::from_hours(12),
            clock: Clock::system(),
        }
    }
}

impl App {
    pub fn new(store: Store, settings: AppSettings) -> App {
        App {
            store,
            settings,
            group_commit: Default::default(),
            imports: std::sync::Arc::new(tokio::sync::Semaphore::new(CONCURRENT_IMPORTS)),
        }
    }

    pub fn clock(&self) -> Clock {
        self.settings.clock
    }

    /// Today's date in China on this app's clock.
    pub fn today(&self) -> jiff::civil::Date {
        self.settings.clock.today()
    }

    pub fn now(&self) -> jiff::Timestamp {
        self.settings.clock.now()
    }

    pub(crate) fn now_micros(&self) -> i64 {
        self.settings.clock.now_micros()
    }

    /// A turn to import a spreadsheet: waits briefly for one of the [`CONCURRENT_IMPORTS`] slots,
    /// then answers [`AppError::Busy`] (the web layer says 503 with `Retry-After`).
    pub async fn import_slot(&self) -> AppResult<tokio::sync::OwnedSemaphorePermit> {
        match tokio::time::timeout(IMPORT_WAIT, self.imports.clone().acquire_owned()).await {
            Ok(Ok(permit)) => Ok(permit),
            _ => Err(AppError::Busy {
                message: "当前正在导入的文件较多，请稍后再试".into(),
                retry_after_seconds: 10,
            }),
        }
    }

    /// Whether the database answers (readiness).
    pub async fn ping(&self) -> AppResult<()> {
        Ok(self.store.ping().await?)
    }

    /// Starts a write transaction whose writes carry this app's time.
    pub(crate) async fn begin(&self) -> Result<dangjian_store::Tx, dangjian_store::StoreError> {
        self.store.begin_at(self.now_micros()).await
    }
}

/// A page of results with the total, as every list returns.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
}

impl<T> Page<T> {
    pub fn pages(&self) -> i64 {
        ((self.total + self.per_page - 1) / self.per_page).max(1)
    }
}

/// The most rows one page holds.
pub const MAX_PER_PAGE: i64 = 200;
/// The highest page number asked for.
pub const MAX_PAGE: i64 = 1_000_000;

/// Which page a caller asked for, clamped to sane bounds (1-based page, at most 200 rows).
#[derive(Debug, Clone, Copy)]
pub struct PageParams {
    pub page: i64,
    pub per_page: i64,
}

impl PageParams {
    pub fn new(page: Option<i64>, per_page: Option<i64>) -> PageParams {
        PageParams {
            page: page.unwrap_or(1).clamp(1, MAX_PAGE),
            per_page: per_page.unwrap_or(20).clamp(1, MAX_PER_PAGE),
        }
    }

    /// The page an API caller asked for: a page number or size out of range is refused with the
    /// field named, never clamped (the caller would get fewer rows than asked for and not know).
    pub fn checked(page: Option<i64>, per_page: Option<i64>) -> AppResult<PageParams> {
        if page.is_some_and(|p| !(1..=MAX_PAGE).contains(&p)) {
            return Err(AppError::invalid(
                "page",
                format!("页码须在 1 到 {MAX_PAGE} 之间"),
            ));
        }
        if per_page.is_some_and(|n| !(1..=MAX_PER_PAGE).contains(&n)) {
            return Err(AppError::invalid(
                "per_page",
                format!("每页条数须在 1 到 {MAX_PER_PAGE} 之间"),
            ));
        }
        Ok(PageParams::new(page, per_page))
    }

    pub(crate) fn request(self) -> dangjian_store::PageRequest {
        dangjian_store::PageRequest {
            offset: (self.page - 1) * self.per_page,
            limit: self.per_page,
        }
    }

    pub(crate) fn wrap<T>(self, items: Vec<T>, total: i64) -> Page<T> {
        Page {
            items,
            total,
            page: self.page,
            per_page: self.per_page,
        }
    }
}
