//! Importing a roster file (.xlsx or .csv) into a branch or group, all or nothing.
//!
//! The file streams through a pipeline instead of being loaded: a blocking thread reads it row by
//! row ([`sheet`]) and checks each row without the database ([`rows`]), handing the verdicts over
//! a bounded channel to this task, which looks the ID numbers up and inserts the members inside one
//! transaction, [`BATCH_ROWS`] rows per look-up and a few multi-row INSERTs per batch (row by row,
//! two statements per member, it was bound by round trips to the database). As soon as any row is wrong it stops inserting but goes on checking, so the report
//! lists every problem of the file; then the transaction is dropped and nothing is written. What
//! stays in memory is the ID numbers seen so far (16 bytes each, for duplicates within the file),
//! the rows in the channel, and the error list (at most [`MAX_LISTED_ERRORS`]).

pub mod format;
mod rows;
pub mod sheet;
pub mod zip_guard;

use std::collections::HashMap;

use dangjian_domain::access::{Action, Scope};
use dangjian_domain::{OrgId, OrgKind};
use dangjian_store::members::{self, MemberFields};
use dangjian_store::{StoreError, SubtreeRange, Tx};
use serde::Serialize;
use tokio::sync::mpsc;

use crate::audit::{self, AuditAction, AuditEntity, Entry, Who};
use crate::{Actor, App, AppError, AppResult, RequestContext, orgs};
use rows::{Checked, GroupName, GroupRule, Placement, RowChecker, Step};
pub use sheet::RosterFile;

/// The report lists at most this many problems (and counts them all): a file that is wrong on
/// every row would otherwise make a report larger than the file.
pub const MAX_LISTED_ERRORS: usize = 1000;

/// Checked rows handed over together (one wake-up of the database task per chunk, not per row).
const CHUNK_ROWS: usize = 128;
/// Chunks in flight between the reading thread and the database task.
const CHANNEL_CHUNKS: usize = 4;

/// Valid rows looked up (one query) and inserted together.
const BATCH_ROWS: usize = 200;

/// One problem of the file: the spreadsheet row (1-based, the header is row 1), the column's
/// Chinese name, what the cell held, and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct RowError {
    pub row: u32,
    pub column: String,
    pub value: String,
    pub message: String,
}

/// Who asks for an import or export: a signed-in account, or the operator at the command line
/// (who holds the database itself, so no grant is checked; the audit log names the command line).
#[derive(Clone, Copy)]
pub enum Caller<'a> {
    Actor(&'a Actor),
    CommandLine,
}

impl<'a> Caller<'a> {
    pub(crate) fn authorize(self, action: Action, scope: Scope<'_>) -> AppResult<()> {
        match self {
            Caller::Actor(actor) => actor.authorize(action, scope),
            Caller::CommandLine => Ok(()),
        }
    }

    pub(crate) fn who(self) -> Who<'a> {
        match self {
            Caller::Actor(actor) => Who::from(actor),
            Caller::CommandLine => Who {
                account_id: None,
                name: "命令行",
            },
        }
    }
}

/// Told how an import advances (the command line draws a progress bar from it).
pub trait ImportProgress: Sync {
    /// How many rows the file says it holds, header included, when it says so (.xlsx does).
    fn rows_expected(&self, _rows: Option<u64>) {}
    /// How many data rows have been checked so far.
    fn rows_checked(&self, _rows: u64) {}
}

impl ImportProgress for () {}

#[derive(Debug, Clone)]
pub struct Imported {
    pub count: u64,
    /// The branch or group imported into.
    pub target_name: String,
}

/// Why nothing was imported: every problem found (up to [`MAX_LISTED_ERRORS`]) and how many
/// there were in all.
#[derive(Debug, Clone)]
pub struct Rejected {
    pub errors: Vec<RowError>,
    pub total_errors: u64,
}

impl Rejected {
    pub fn message(&self) -> String {
        let listed = if self.total_errors > self.errors.len() as u64 {
            format!("，以下列出前 {} 处", self.errors.len())
        } else {
            String::new()
        };
        format!(
            "文件中有 {} 处问题{listed}；未导入任何数据，请改正后重新导入",
            self.total_errors
        )
    }
}

#[derive(Debug, Clone)]
pub enum ImportOutcome {
    Imported(Imported),
    Rejected(Rejected),
}

enum Event {
    RowsExpected(Option<u64>),
    Header(Vec<RowError>),
    Rows(Vec<Checked>),
}

#[derive(Default)]
struct Report {
    errors: Vec<RowError>,
    total: u64,
}

impl Report {
    fn add(&mut self, errors: Vec<RowError>) {
        self.total += errors.len() as u64;
        let room = MAX_LISTED_ERRORS.saturating_sub(self.errors.len());
        self.errors.extend(errors.into_iter().take(room));
    }
}

/// Imports every row of `file` into the branch or group `target`, or none of them.
pub async fn import_members(
    app: &App,
    caller: Caller<'_>,
    target: OrgId,
    file: RosterFile,
    ctx: &RequestContext,
    progress: &dyn ImportProgress,
) -> AppResult<ImportOutcome> {
    let place = super::placement(app, target).await?;
    caller.authorize(Action::ManageMembers, Scope::Org(&place.path))?;
    let _slot = app.import_slot().await?;
    let placement = placement_of(app, &place).await?;
    let target_name = match &placement.target {
        GroupRule::Fixed { name, .. } => format!("{}·{name}", placement.branch_name),
        GroupRule::ByName(_) => placement.branch_name.clone(),
    };
    let file_name = file.name().to_string();
    let checker = RowChecker::new(placement, app.today());
    let (sender, mut receiver) = mpsc::channel(CHANNEL_CHUNKS);
    let reader = tokio::task::spawn_blocking(move || read_and_check(file, checker, &sender));

    let mut tx = app.begin().await?;
    let mut batch = Batch {
        report: Report::default(),
        rows: Vec::with_capacity(BATCH_ROWS),
        imported: 0,
        now: app.now_micros(),
    };
    let mut checked = 0u64;
    while let Some(event) = receiver.recv().await {
        match event {
            Event::RowsExpected(rows) => progress.rows_expected(rows),
            Event::Header(errors) => batch.report.add(errors),
            Event::Rows(verdicts) => {
                checked += verdicts.len() as u64;
                progress.rows_checked(checked);
                for verdict in verdicts {
                    match verdict {
                        Checked::Invalid(errors) => {
                            // The rows before it are judged first: the report stays in row order.
                            batch.flush(&mut tx).await?;
                            batch.report.add(errors);
                        }
                        Checked::Valid { row, fields } => {
                            batch.rows.push((row, *fields));
                            if batch.rows.len() == BATCH_ROWS {
                                batch.flush(&mut tx).await?;
                            }
                        }
                    }
                }
            }
        }
    }
    batch.flush(&mut tx).await?;
    let Batch {
        report, imported, ..
    } = batch;
    match reader.await {
        Ok(Ok(())) => {}
        Ok(Err(sheet::Unreadable(message))) => return Err(AppError::invalid("file", message)),
        Err(panic) => {
            tracing::error!(error = %panic, "roster reader failed");
            return Err(AppError::invalid("file", "文件无法读取"));
        }
    }
    if report.total > 0 {
        // Dropping the transaction rolls back whatever was inserted before the first problem.
        return Ok(ImportOutcome::Rejected(Rejected {
            errors: report.errors,
            total_errors: report.total,
        }));
    }
    if imported == 0 {
        return Err(AppError::invalid(
            "file",
            "文件中没有党员数据：表头下面至少要有一行",
        ));
    }
    let entry = Entry::new(
        AuditAction::MembersImported,
        AuditEntity::Org,
        target.0,
        format!("从文件“{file_name}”导入党员 {imported} 名到{target_name}"),
    )
    .org(Some(target));
    audit::record(&mut tx, caller.who(), ctx, entry).await?;
    tx.commit().await?;
    Ok(ImportOutcome::Imported(Imported {
        count: imported,
        target_name,
    }))
}

/// Valid rows waiting to be looked up and inserted, and what the import found so far.
struct Batch {
    report: Report,
    rows: Vec<(u32, MemberFields)>,
    imported: u64,
    now: i64,
}

impl Batch {
    /// Reports the rows already on the roster; inserts the rows while the file has no problem.
    async fn flush(&mut self, tx: &mut Tx) -> AppResult<()> {
        if self.rows.is_empty() {
            return Ok(());
        }
        let rows = std::mem::take(&mut self.rows);
        let numbers: Vec<&str> = rows.iter().map(|(_, f)| f.id_number.as_str()).collect();
        let on_roster = members::existing_id_numbers(tx.conn(), &numbers).await?;
        for (row, fields) in rows
            .iter()
            .filter(|(_, f)| on_roster.contains(&f.id_number))
        {
            self.report.add(vec![RowError {
                row: *row,
                column: "身份证号".into(),
                value: fields.id_number.clone(),
                message: "该身份证号已在花名册中，同一人不能登记两次".into(),
            }]);
        }
        if self.report.total == 0 {
            let fields: Vec<&MemberFields> = rows.iter().map(|(_, f)| f).collect();
            let first = rows.first().map_or(0, |(row, _)| *row);
            self.imported += members::insert_members(tx.conn(), &fields, self.now)
                .await
                .map_err(|e| duplicate(e, first))?;
        }
        self.rows = rows;
        self.rows.clear();
        Ok(())
    }
}

/// Runs on a blocking thread: reads and checks the file, sending each verdict on. Stops early when
/// the receiving task has gone (it failed, or the request was abandoned).
fn read_and_check(
    file: RosterFile,
    mut checker: RowChecker,
    sender: &mpsc::Sender<Event>,
) -> Result<(), sheet::Unreadable> {
    let mut pending = Vec::with_capacity(CHUNK_ROWS);
    sheet::read_rows(
        file,
        |rows| {
            let _ = sender.blocking_send(Event::RowsExpected(rows));
        },
        |row| match checker.accept(row) {
            Step::Skip => true,
            Step::HeaderErrors(errors) => {
                let _ = sender.blocking_send(Event::Header(errors));
                false
            }
            Step::Row(verdict) => {
                pending.push(verdict);
                pending.len() < CHUNK_ROWS
                    || sender
                        .blocking_send(Event::Rows(std::mem::take(&mut pending)))
                        .is_ok()
            }
        },
    )?;
    if !pending.is_empty() {
        let _ = sender.blocking_send(Event::Rows(pending));
    }
    if let Some(error) = checker.finish() {
        let _ = sender.blocking_send(Event::Header(vec![error]));
    }
    Ok(())
}

/// A concurrent write (PostgreSQL only: SQLite's import holds the write lock) registered the
/// same person between the look-up and the insert.
fn duplicate(error: StoreError, row: u32) -> AppError {
    match error {
        StoreError::Duplicate(_) => AppError::Conflict(format!(
            "自第 {row} 行起的一批党员中，有身份证号刚刚被登记到花名册中，未导入任何数据，请重新导入"
        )),
        other => other.into(),
    }
}

/// The branch's name and groups (or the one target group) that rows are placed by.
async fn placement_of(app: &App, place: &super::Placement) -> AppResult<Placement> {
    let (branch, branch_path) = orgs::load(app, OrgId(place.branch_id)).await?;
    let target = match place.group_id {
        Some(id) => {
            let (group, _) = orgs::load(app, OrgId(id)).await?;
            GroupRule::Fixed {
                id,
                name: group.name,
            }
        }
        None => {
            let mut handle = app.store.acquire().await?;
            let nodes = dangjian_store::orgs::orgs_in_subtree(
                handle.conn(),
                &SubtreeRange::of(&branch_path),
            )
            .await?;
            let mut groups = HashMap::new();
            for node in nodes
                .into_iter()
                .filter(|n| n.kind == OrgKind::Group.code() && n.parent_id == Some(place.branch_id))
            {
                let this = if node.status == "dissolved" {
                    GroupName::Dissolved
                } else {
                    GroupName::Group(node.id)
                };
                let merged = match (groups.get(&node.name), this) {
                    (None, this) | (Some(GroupName::Dissolved), this) => this,
                    (Some(existing), GroupName::Dissolved) => *existing,
                    (Some(_), _) => GroupName::Ambiguous,
                };
                groups.insert(node.name, merged);
            }
            GroupRule::ByName(groups)
        }
    };
    Ok(Placement {
        branch_id: place.branch_id,
        branch_name: branch.name,
        target,
    })
}
