//! Exporting a subtree's roster as .xlsx in the import format, so that an unmasked export imports
//! back into an empty database as the same roster. ID numbers and phones are masked unless the
//! caller may see personal data there and asks for them whole; every export is audited.
//!
//! Rows are read page by page and written by a blocking thread in rust_xlsxwriter's
//! constant-memory mode, so a large roster never sits in memory: at most two pages wait in the
//! channel while one is being written.

mod workbook;

use std::collections::HashSet;
use std::io::Write;

use dangjian_domain::access::{Action, Scope};
use dangjian_domain::id_number::IdNumber;
use dangjian_domain::member::{MemberCategory, MemberStatus};
use dangjian_domain::person::Gender;
use dangjian_domain::{OrgId, Phone};
use dangjian_store::members::{self, MemberFilter, MemberRow};
use dangjian_store::{PageRequest, SubtreeRange};
use tokio::sync::mpsc;

pub use super::import::Caller;
use super::import::format::{Column, flag_text};
use crate::audit::{self, AuditAction, AuditEntity, Entry};
use crate::{AppError, AppResult, RequestContext, orgs};
use workbook::RowCells;

/// Rows read from the database at a time.
const PAGE: i64 = 5000;

/// What to export: a node's subtree (`None`: everything within the caller's reach), and whether
/// ID numbers and phones are wanted whole.
#[derive(Debug, Clone, Copy, Default)]
pub struct ExportRequest {
    pub org_id: Option<OrgId>,
    pub unmasked: bool,
}

/// A finished export: the sink holding the workbook, and what went into it.
#[derive(Debug)]
pub struct Exported<W> {
    pub sink: W,
    pub rows: u64,
    pub masked: bool,
    /// A file name to offer, e.g. `党员花名册-站南派出所党支部-20261123.xlsx`.
    pub file_name: String,
}

pub const XLSX_MEDIA_TYPE: &str =
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// The import template (.xlsx), for anyone who may import somewhere.
pub fn import_template(caller: Caller<'_>) -> AppResult<Vec<u8>> {
    if let Caller::Actor(actor) = caller {
        actor.reach(Action::ManageMembers)?;
    }
    workbook::template().map_err(internal)
}

/// A failure below the use case that is not the database's (writing the workbook, a crashed
/// thread). `AppError` has no variant of its own for it; it is logged and shown as an internal
/// error like a database failure.
fn internal(cause: impl std::fmt::Display) -> AppError {
    AppError::Unexpected(cause.to_string())
}

/// Writes the roster of the requested subtree into `sink` as an .xlsx workbook.
pub async fn export_members<W: Write + Send + 'static>(
    app: &crate::App,
    caller: Caller<'_>,
    request: ExportRequest,
    ctx: &RequestContext,
    sink: W,
) -> AppResult<Exported<W>> {
    let (scope, scope_name) = match (request.org_id, caller) {
        (Some(id), _) => {
            let (row, path) = orgs::load(app, id).await?;
            caller.authorize(Action::ViewMembers, Scope::Org(&path))?;
            if request.unmasked {
                caller.authorize(Action::ViewPersonalData, Scope::Org(&path))?;
            }
            (Some(SubtreeRange::of(&path)), row.name)
        }
        (None, Caller::Actor(actor)) => {
            let reach = actor.reach(Action::ViewMembers)?;
            if request.unmasked {
                let whole = match &actor.grant.org {
                    Some(own) if reach.is_some() => Scope::Org(own),
                    _ => Scope::Installation,
                };
                actor.authorize(Action::ViewPersonalData, whole)?;
            }
            let name = match &reach {
                Some(_) => actor.org_name.clone().unwrap_or_default(),
                None => "全部组织".to_string(),
            };
            (reach, name)
        }
        (None, Caller::CommandLine) => (None, "全部组织".to_string()),
    };
    let masked = !request.unmasked;
    let filter = MemberFilter {
        scope,
        ..MemberFilter::default()
    };

    let (sender, receiver) = mpsc::channel::<Vec<RowCells>>(2);
    let writer = tokio::task::spawn_blocking(move || workbook::write_rows(sink, receiver));
    let mut exported = 0u64;
    // Pages are separate queries, so a member registered meanwhile can shift the pages by one
    // row; the ids already written keep anyone from appearing twice.
    let mut written: HashSet<i64> = HashSet::new();
    let mut handle = app.store.acquire().await?;
    let mut offset = 0;
    loop {
        let page = PageRequest {
            offset,
            limit: PAGE,
        };
        let (rows, _) = members::members(handle.conn(), &filter, page).await?;
        let full_page = rows.len() as i64 == PAGE;
        let batch: Vec<RowCells> = rows
            .iter()
            .filter(|row| written.insert(row.id))
            .map(|row| cells_of(row, masked))
            .collect();
        exported += batch.len() as u64;
        if sender.send(batch).await.is_err() || !full_page {
            break;
        }
        offset += PAGE;
    }
    drop(handle);
    drop(sender);
    let sink = writer.await.map_err(internal)?.map_err(internal)?;

    let unmasked_note = if masked {
        "身份证号和手机号已遮蔽"
    } else {
        "含完整身份证号和手机号"
    };
    let mut tx = app.begin().await?;
    let entry = Entry::new(
        AuditAction::MembersExported,
        AuditEntity::Org,
        request
            .org_id
            .map(|o| o.0.to_string())
            .unwrap_or_else(|| "all".into()),
        format!("导出{scope_name}的党员花名册 {exported} 人（{unmasked_note}）"),
    )
    .org(request.org_id);
    audit::record(&mut tx, caller.who(), ctx, entry).await?;
    tx.commit().await?;
    Ok(Exported {
        sink,
        rows: exported,
        masked,
        file_name: format!(
            "党员花名册-{scope_name}-{}.xlsx",
            app.today().strftime("%Y%m%d")
        ),
    })
}

/// A member as the cells of one row, in file order.
fn cells_of(row: &MemberRow, masked: bool) -> RowCells {
    Column::all()
        .map(|column| match column.field() {
            "name" => row.name.clone(),
            "gender" => Gender::from_code(&row.gender)
                .map(|g| g.label().to_string())
                .unwrap_or_default(),
            "ethnicity" => row.ethnicity.clone(),
            "birth_date" => row.birth_date.clone(),
            "id_number" if masked => IdNumber::parse(&row.id_number)
                .map(|id| id.masked())
                .unwrap_or_default(),
            "id_number" => row.id_number.clone(),
            "phone" => match Phone::parse(&row.phone) {
                Ok(phone) if masked => phone.masked(),
                _ => row.phone.clone(),
            },
            "education" => row.education.clone(),
            "job_title" => row.job_title.clone(),
            "work_unit" => row.work_unit.clone(),
            "category" => MemberCategory::from_code(&row.category)
                .map(|c| c.label().to_string())
                .unwrap_or_else(|| row.category.clone()),
            "joined_on" => row.joined_on.clone().unwrap_or_default(),
            "full_member_on" => row.full_member_on.clone().unwrap_or_default(),
            "status" => MemberStatus::from_code(&row.status)
                .map(|s| s.label().to_string())
                .unwrap_or_else(|| row.status.clone()),
            "is_mobile" => flag_text(row.is_mobile).into(),
            "is_leading_cadre" => flag_text(row.is_leading_cadre).into(),
            "is_retired" => flag_text(row.is_retired).into(),
            "in_hardship" => flag_text(row.in_hardship).into(),
            "group" => row.group_name.clone().unwrap_or_default(),
            _ => String::new(),
        })
        .collect()
}
