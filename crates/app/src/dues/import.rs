//! Bulk entry from a spreadsheet: a month's payments or a year's bases, into a branch or group.
//! The file is read with the roster import's reader (`members::import::sheet`), and the same
//! contract holds: every row is checked and applied inside one transaction; if any row is wrong
//! the transaction is dropped, nothing is written, and every problem is listed by row and column.

use std::collections::HashMap;

use dangjian_domain::Month;
use dangjian_domain::OrgId;
use dangjian_domain::access::{Action, Scope};
use dangjian_store::dues::sheet;
use dangjian_store::{Tx, members};

use super::collection::{PaymentInput, check_payment, pay};
use super::profile::{apply_base, parse_month};
use super::settings;
use crate::audit::{self, AuditAction, AuditEntity, Entry};
use crate::members::import::format::normalise_header;
use crate::members::import::sheet::{SheetRow, read_rows};
use crate::members::import::{
    Caller, ImportOutcome, Imported, MAX_LISTED_ERRORS, Rejected, RosterFile, RowError,
};
use crate::members::placement;
use crate::{App, AppError, AppResult, RequestContext};

/// What a file holds. A row names its member by 党员编号 (the number the pre-filled template
/// carries), else by 身份证号, else by 姓名 where the name is unique in the organization, so a
/// member already on the roster is never identified by typing the full ID number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DuesImport {
    /// 党员编号, 姓名, 身份证号, 月份, 金额 (empty: in full), 交纳日期, 方式, 收据号.
    Payments,
    /// 党员编号, 姓名, 身份证号, 党费类别, 月基数, 生效月份, 调整原因.
    Bases,
}

/// The columns that name a row's member, any one of which will do.
const IDENTITY_COLUMNS: [&str; 3] = ["党员编号", "身份证号", "姓名"];

impl DuesImport {
    pub fn parse(kind: &str) -> AppResult<DuesImport> {
        match kind {
            "payments" => Ok(DuesImport::Payments),
            "bases" => Ok(DuesImport::Bases),
            _ => Err(AppError::invalid(
                "kind",
                "导入类型应为 payments（交纳记录）或 bases（党费基数）",
            )),
        }
    }

    fn columns(self) -> &'static [&'static str] {
        match self {
            DuesImport::Payments => &[
                "党员编号",
                "姓名",
                "身份证号",
                "月份",
                "金额",
                "交纳日期",
                "方式",
                "收据号",
            ],
            DuesImport::Bases => &[
                "党员编号",
                "姓名",
                "身份证号",
                "党费类别",
                "月基数",
                "生效月份",
                "调整原因",
            ],
        }
    }

    fn required(self) -> &'static [&'static str] {
        match self {
            DuesImport::Payments => &["月份", "方式"],
            DuesImport::Bases => &["党费类别", "生效月份"],
        }
    }
}

/// A dues file may hold at most this many rows: a province-sized load goes by branch.
pub(crate) const MAX_ROWS: usize = 20_000;

/// Imports every row of `file` into the branch or group `target`, or none of them.
pub async fn import_dues(
    app: &App,
    caller: Caller<'_>,
    kind: DuesImport,
    target: OrgId,
    file: RosterFile,
    ctx: &RequestContext,
) -> AppResult<ImportOutcome> {
    let place = placement(app, target).await?;
    caller.authorize(Action::ManageDues, Scope::Org(&place.path))?;
    let _slot = app.import_slot().await?;
    let rows = tokio::task::spawn_blocking(move || {
        let mut rows = Vec::new();
        let read = read_rows(
            file,
            |_| {},
            |row| {
                if !row.is_blank() {
                    rows.push(row);
                }
                rows.len() <= MAX_ROWS + 1
            },
        );
        read.map(|()| rows)
    })
    .await
    .map_err(|e| AppError::Unexpected(format!("dues import reader: {e}")))?
    .map_err(|unreadable| AppError::invalid("file", unreadable.0))?;
    if rows.len() > MAX_ROWS + 1 {
        return Err(AppError::invalid(
            "file",
            format!("一次最多导入 {MAX_ROWS} 行，请按党支部分开导入"),
        ));
    }
    let (outcome, _) = import_rows(app, caller, kind, target, &rows, ctx, RowSource::File).await?;
    Ok(outcome)
}

/// Where rows come from: a file, or the bases grid on a page (audited as what it is), which is
/// first checked without writing (`dry_run`) for its confirmation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RowSource {
    File,
    Grid { dry_run: bool },
}

/// Checks and applies `rows` (a header, then data) in one transaction, or nothing; on a dry run
/// the transaction is dropped even when every row is right. Also returns, for each
/// row that changes something, a line saying what (a base equal to the one in force changes
/// nothing), for a confirmation to list.
pub(crate) async fn import_rows(
    app: &App,
    caller: Caller<'_>,
    kind: DuesImport,
    target: OrgId,
    rows: &[SheetRow],
    ctx: &RequestContext,
    source: RowSource,
) -> AppResult<(ImportOutcome, Vec<String>)> {
    let place = placement(app, target).await?;
    caller.authorize(Action::ManageDues, Scope::Org(&place.path))?;
    let (org, _) = crate::orgs::load(app, target).await?;
    let Some((header_at, columns)) = header(rows, kind) else {
        let missing = kind.required().join("、") + "，以及党员编号、身份证号或姓名之一";
        let rejected = ImportOutcome::Rejected(Rejected {
            errors: vec![RowError {
                row: 1,
                column: String::new(),
                value: String::new(),
                message: format!("找不到表头：应有 {missing} 等列"),
            }],
            total_errors: 1,
        });
        return Ok((rejected, Vec::new()));
    };
    let mut tx = app.begin().await?;
    let settings = settings::for_path(tx.conn(), &place.path).await?;
    let mut errors = Vec::new();
    let mut total = 0u64;
    let mut count = 0u64;
    let mut changes = Vec::new();
    for row in &rows[header_at + 1..] {
        let cell = |name: &str| {
            columns
                .get(name)
                .and_then(|&c| row.cells.get(c))
                .map(|c| c.text.trim().to_string())
                .unwrap_or_default()
        };
        let result = match kind {
            DuesImport::Payments => payment_row(&mut tx, &place, &cell).await,
            DuesImport::Bases => base_row(&mut tx, &place, &settings, caller, &cell).await,
        };
        match result {
            Ok(change) => {
                count += 1;
                changes.extend(change);
            }
            Err(RowProblem::Row(column, message)) => {
                total += 1;
                if errors.len() < MAX_LISTED_ERRORS {
                    errors.push(RowError {
                        row: row.number,
                        value: cell(column),
                        column: column.to_string(),
                        message,
                    });
                }
            }
            Err(RowProblem::Fatal(error)) => return Err(error),
        }
    }
    if total > 0 {
        let rejected = ImportOutcome::Rejected(Rejected {
            errors,
            total_errors: total,
        });
        return Ok((rejected, Vec::new()));
    }
    let what = match kind {
        DuesImport::Payments => "党费交纳记录",
        DuesImport::Bases => "党费基数",
    };
    let (action, summary) = match source {
        RowSource::File => (
            AuditAction::DuesImported,
            format!("导入{what} {count} 行到{}", org.name),
        ),
        RowSource::Grid { .. } => (
            AuditAction::DuesBaseSet,
            format!(
                "在基数一览中核定{}党费：{} 人有变化",
                org.name,
                changes.len()
            ),
        ),
    };
    let entry = Entry::new(action, AuditEntity::Org, target.0, summary)
        .org(Some(target))
        .change(None, Some(changes.join("\n")));
    let imported = ImportOutcome::Imported(Imported {
        count,
        target_name: org.name,
    });
    // A dry run, or a grid saved with nothing changed, writes nothing, not even the audit entry.
    if source == (RowSource::Grid { dry_run: true })
        || (matches!(source, RowSource::Grid { .. }) && changes.is_empty())
    {
        return Ok((imported, changes));
    }
    audit::record(&mut tx, caller.who(), ctx, entry).await?;
    tx.commit().await?;
    Ok((imported, changes))
}

/// The header row (the first of the first five rows naming the required columns and a column
/// that identifies the member) and where each known column is.
fn header(rows: &[SheetRow], kind: DuesImport) -> Option<(usize, HashMap<&'static str, usize>)> {
    rows.iter().take(5).enumerate().find_map(|(at, row)| {
        let mut columns = HashMap::new();
        for (c, cell) in row.cells.iter().enumerate() {
            let name = normalise_header(&cell.text);
            if let Some(known) = kind.columns().iter().find(|k| **k == name) {
                columns.insert(*known, c);
            }
        }
        (kind.required().iter().all(|r| columns.contains_key(r))
            && IDENTITY_COLUMNS.iter().any(|c| columns.contains_key(c)))
        .then_some((at, columns))
    })
}

enum RowProblem {
    Row(&'static str, String),
    Fatal(AppError),
}

impl From<dangjian_store::StoreError> for RowProblem {
    fn from(error: dangjian_store::StoreError) -> Self {
        RowProblem::Fatal(error.into())
    }
}

/// A refusal of the row's content becomes a row problem in `column`; anything else is fatal.
fn in_column(column: &'static str) -> impl Fn(AppError) -> RowProblem {
    move |error| match error {
        AppError::Invalid { .. } | AppError::InvalidFields(_) | AppError::Conflict(_) => {
            RowProblem::Row(column, error.to_string())
        }
        other => RowProblem::Fatal(other),
    }
}

/// The member the row names, in the target node: by 党员编号, else by ID number, else by a name
/// unique in the node; a name given beside a number must match the roster.
async fn row_member(
    tx: &mut Tx,
    place: &crate::members::Placement,
    cell: &(dyn Fn(&str) -> String + Sync),
) -> Result<sheet::DuesMember, RowProblem> {
    let name = cell("姓名");
    let number = cell("党员编号");
    let id_number = cell("身份证号").to_uppercase();
    let (column, found) = if !number.is_empty() {
        let id = number.parse::<i64>().ok();
        let found = match id {
            Some(id) => sheet::dues_member(tx.conn(), id).await?,
            None => None,
        };
        ("党员编号", found)
    } else if !id_number.is_empty() {
        let found = match members::member_id_by_id_number(tx.conn(), &id_number).await? {
            Some(id) => sheet::dues_member(tx.conn(), id).await?,
            None => None,
        };
        ("身份证号", found)
    } else if !name.is_empty() {
        let mut same = sheet::dues_members_of(tx.conn(), place.branch_id, place.group_id)
            .await?
            .into_iter()
            .filter(|m| m.name == name && matches!(m.status.as_str(), "normal" | "lost"))
            .collect::<Vec<_>>();
        if same.len() > 1 {
            return Err(RowProblem::Row(
                "姓名",
                format!(
                    "本组织有 {} 位党员叫 {name}，请填写党员编号（见预填模板）",
                    same.len()
                ),
            ));
        }
        return same
            .pop()
            .ok_or_else(|| RowProblem::Row("姓名", format!("本组织没有叫 {name} 的党员")));
    } else {
        return Err(RowProblem::Row(
            "姓名",
            "请填写党员编号、身份证号或姓名之一".into(),
        ));
    };
    let member =
        found.ok_or_else(|| RowProblem::Row(column, format!("花名册中没有这个{column}的党员")))?;
    if member.branch_id != place.branch_id
        || place.group_id.is_some_and(|g| member.group_id != Some(g))
    {
        return Err(RowProblem::Row(
            column,
            format!("{} 不在本组织", member.name),
        ));
    }
    if !name.is_empty() && name != member.name {
        return Err(RowProblem::Row(
            "姓名",
            format!("姓名与{column}不符（花名册为 {}）", member.name),
        ));
    }
    Ok(member)
}

async fn payment_row(
    tx: &mut Tx,
    place: &crate::members::Placement,
    cell: &(dyn Fn(&str) -> String + Sync),
) -> Result<Option<String>, RowProblem> {
    let member = row_member(tx, place, cell).await?;
    let input = PaymentInput {
        member_id: member.id,
        months: vec![cell("月份")],
        amount: cell("金额"),
        paid_on: cell("交纳日期"),
        channel: cell("方式"),
        receipt_no: cell("收据号"),
    };
    let column_of = |error: &AppError| match error {
        AppError::Invalid {
            field: Some("amount"),
            ..
        } => "金额",
        AppError::Invalid {
            field: Some("paid_on"),
            ..
        } => "交纳日期",
        AppError::Invalid {
            field: Some("channel"),
            ..
        } => "方式",
        AppError::Invalid {
            field: Some("receipt_no"),
            ..
        } => "收据号",
        _ => "月份",
    };
    let payment =
        check_payment(&input, crate::clock::day_of(tx)).map_err(|e| in_column(column_of(&e))(e))?;
    pay(tx, &member, &payment)
        .await
        .map_err(|e| in_column(column_of(&e))(e))?;
    Ok(Some(format!(
        "{}（党员编号 {}）：{} 交纳",
        member.name,
        member.id,
        cell("月份")
    )))
}

async fn base_row(
    tx: &mut Tx,
    place: &crate::members::Placement,
    settings: &dangjian_domain::dues::DuesSettings,
    caller: Caller<'_>,
    cell: &(dyn Fn(&str) -> String + Sync),
) -> Result<Option<String>, RowProblem> {
    let member = row_member(tx, place, cell).await?;
    let from: Month =
        parse_month("effective_from", &cell("生效月份")).map_err(in_column("生效月份"))?;
    let history = dangjian_store::dues::profile::bases_of_member(tx.conn(), member.id).await?;
    let in_force_at = |month: Month| {
        history
            .iter()
            .filter(move |b| b.effective_from.as_str() <= month.to_string().as_str())
            .max_by(|a, b| (&a.effective_from, a.id).cmp(&(&b.effective_from, b.id)))
    };
    // A member not assessed yet whose row was left blank (a pre-filled template, the grid).
    if cell("党费类别").is_empty() && cell("月基数").is_empty() && in_force_at(from).is_none()
    {
        return Ok(None);
    }
    let income = cell("月基数");
    let assessment =
        super::assess(&cell("党费类别"), Some(&income), settings).map_err(|e| match &e {
            AppError::Invalid {
                field: Some("category"),
                ..
            } => in_column("党费类别")(e),
            _ => in_column("月基数")(e),
        })?;
    // A row that repeats the base in force (a pre-filled template or the grid left as it was:
    // they show this month's base) records nothing: the base carries on, and its history is not
    // filled with copies, nor is a later mid-year base pushed back to `from`.
    let same = |b: &&dangjian_store::dues::profile::BaseRow| {
        b.category == assessment.category.code()
            && b.base_fen == assessment.base.map(|f| f.0)
            && b.amount_fen == assessment.amount.0
    };
    let this_month = Month::of(crate::clock::day_of(tx));
    let in_force = in_force_at(from);
    if in_force.as_ref().is_some_and(same) || in_force_at(this_month).as_ref().is_some_and(same) {
        return Ok(None);
    }
    let reason = cell("调整原因");
    if from.number() != 1 && reason.is_empty() {
        return Err(RowProblem::Row(
            "调整原因",
            "年度中途调整党费基数须填写调整原因".into(),
        ));
    }
    let before = in_force.map_or_else(
        || "未核定".to_string(),
        |b| {
            format!(
                "每月 {} 元",
                dangjian_domain::dues::Fen(b.amount_fen).yuan()
            )
        },
    );
    let change = format!(
        "{}（党员编号 {}）：{}起 {} → 每月 {} 元（{}）",
        member.name,
        member.id,
        from.label(),
        before,
        assessment.amount.yuan(),
        assessment.category.label()
    );
    let by = caller.who().account_id;
    apply_base(tx, by, &member, from, &assessment, &reason)
        .await
        .map_err(in_column("生效月份"))?;
    Ok(Some(change))
}

/// An empty workbook with the header row of `kind`, every column formatted as text (so Excel
/// keeps ID numbers whole and months as typed).
pub fn template(kind: DuesImport) -> AppResult<Vec<u8>> {
    workbook(kind, &[])
}

/// The header row of `kind` and `rows` below it, every column formatted as text.
fn workbook(kind: DuesImport, rows: &[Vec<String>]) -> AppResult<Vec<u8>> {
    let build = || -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        let text = rust_xlsxwriter::Format::new().set_num_format("@");
        let bold = rust_xlsxwriter::Format::new()
            .set_bold()
            .set_num_format("@");
        for (c, name) in kind.columns().iter().enumerate() {
            sheet.set_column_format(c as u16, &text)?;
            sheet.set_column_width(c as u16, if *name == "身份证号" { 22.0 } else { 12.0 })?;
            sheet.write_string_with_format(0, c as u16, *name, &bold)?;
        }
        for (r, row) in rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                if !cell.is_empty() {
                    sheet.write_string_with_format(r as u32 + 1, c as u16, cell, &text)?;
                }
            }
        }
        book.save_to_buffer()
    };
    build().map_err(|e| AppError::Unexpected(format!("writing dues template: {e}")))
}

/// The import template of `kind` filled in for an organization's members, one row each, keyed by
/// 党员编号 so that no ID number is typed: bases with each member's category and base in force
/// (change what changed; an unchanged row records nothing), payments with this month's amount
/// still owed by each member who owes it and today's date (fill in 方式, delete who did not pay).
/// Returns the file name and the workbook.
pub async fn prefilled_template(
    app: &App,
    actor: &crate::Actor,
    ctx: &RequestContext,
    org_id: OrgId,
    kind: DuesImport,
) -> AppResult<(String, Vec<u8>)> {
    let place = super::sheet_view::sheet_place(app, actor, org_id, Action::ManageDues).await?;
    let (org, _) = crate::orgs::load(app, org_id).await?;
    let today = app.today();
    let month = Month::of(today);
    let mut handle = app.store.acquire().await?;
    let mut rows: Vec<Vec<String>> = Vec::new();
    match kind {
        DuesImport::Payments => {
            let lines = super::sheet_view::month_lines(handle.conn(), &place, month).await?;
            for (member, view) in &lines {
                let owed = view.due_fen - view.paid_fen;
                let owes = matches!(view.status.as_str(), "unpaid" | "partial") && owed > 0;
                if !owes || !matches!(member.status.as_str(), "normal" | "lost") {
                    continue;
                }
                rows.push(vec![
                    member.id.to_string(),
                    member.name.clone(),
                    String::new(),
                    month.to_string(),
                    dangjian_domain::dues::Fen(owed).yuan(),
                    today.to_string(),
                    String::new(),
                    String::new(),
                ]);
            }
        }
        DuesImport::Bases => {
            for (member, current) in
                super::bases_grid::bases_in_force(handle.conn(), &place, month).await?
            {
                let category = current
                    .as_ref()
                    .and_then(|b| dangjian_domain::dues::DuesCategory::from_code(&b.category))
                    .map(|c| c.label().to_string())
                    .unwrap_or_default();
                let base = current
                    .as_ref()
                    .and_then(|b| b.base_fen)
                    .map(|f| dangjian_domain::dues::Fen(f).yuan())
                    .unwrap_or_default();
                rows.push(vec![
                    member.id.to_string(),
                    member.name.clone(),
                    String::new(),
                    category,
                    base,
                    month.to_string(),
                    String::new(),
                ]);
            }
        }
    }
    drop(handle);
    let what = match kind {
        DuesImport::Payments => format!("{}党费交纳", month.label()),
        DuesImport::Bases => format!("{}年党费基数", today.year()),
    };
    let bytes = workbook(kind, &rows)?;
    let name = format!("{}{what}（预填）.xlsx", org.name);
    // A list of names leaving the system, like every other spreadsheet.
    crate::audit::exported(app, actor, ctx, org_id, &name).await?;
    Ok((name, bytes))
}
