//! Transfers of membership (组织关系转接). Within the system the sending branch initiates, the
//! member stays on its rolls until the receiving branch accepts (or rejects, with a reason). Out
//! of the system an introduction letter is issued and its return slip is awaited for 3 months.
//! Into the system a member is registered together with the letter they brought.

use dangjian_domain::{MemberId, TransferId};
use std::collections::HashSet;

use dangjian_domain::access::{Action, Scope};
use dangjian_domain::member::MemberStatus;
use dangjian_domain::time::{display_minute, from_micros};
use dangjian_domain::transfer::{slip_due, slip_overdue};
use dangjian_domain::{OrgId, OrgPath};
use dangjian_store::transfers::{self, NewTransfer, TransferRow};
use dangjian_store::{Tx, members};
use serde::Serialize;

use crate::audit::{self, AuditAction, AuditEntity, Entry, Who};
use crate::members::record::{MemberInput, parse_date};
use crate::members::{MemberView, placement};
use crate::{Actor, App, AppError, AppResult, RequestContext, orgs};

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct TransferView {
    pub id: i64,
    pub member_id: i64,
    pub member_name: String,
    /// internal, out or in.
    pub kind: String,
    pub kind_label: &'static str,
    /// pending, accepted, rejected, cancelled (internal); issued, received (out); received (in).
    pub status: String,
    pub status_label: &'static str,
    pub from_branch_id: Option<i64>,
    pub from_branch_name: Option<String>,
    pub to_branch_id: Option<i64>,
    pub to_branch_name: Option<String>,
    /// The organization outside the system: where the member goes (out) or comes from (in).
    pub counterpart: String,
    pub letter_no: String,
    #[schema(format = Date)]
    pub issued_on: Option<String>,
    #[schema(format = Date)]
    pub slip_due_on: Option<String>,
    #[schema(format = Date)]
    pub slip_returned_on: Option<String>,
    /// The return slip is past its due day (RULES.md: letters are valid 3 months).
    pub slip_overdue: bool,
    pub reason: String,
    pub decision_note: String,
    pub initiated_by: String,
    #[schema(pattern = r"^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}$")]
    pub created_at: String,
    /// Whether the caller may accept or reject it now.
    pub can_decide: bool,
    /// Whether the caller may cancel it now (the sending side, while pending).
    pub can_cancel: bool,
    /// Whether the caller may record the return slip now.
    pub can_record_slip: bool,
}

fn labels(kind: &str, status: &str) -> (&'static str, &'static str) {
    let kind_label = match kind {
        "internal" => "系统内转接",
        "out" => "转出",
        _ => "转入",
    };
    let status_label = match status {
        "pending" => "待接收",
        "accepted" => "已接收",
        "rejected" => "已退回",
        "cancelled" => "已撤回",
        "issued" => "已开介绍信，待回执",
        _ => "已办结",
    };
    (kind_label, status_label)
}

/// Which branches the actor manages, among those the rows name: one lookup per branch, not per row.
async fn managed_branches(app: &App, actor: &Actor, rows: &[TransferRow]) -> HashSet<i64> {
    let mut managed = HashSet::new();
    let branches: HashSet<i64> = rows
        .iter()
        .flat_map(|r| [r.from_branch_id, r.to_branch_id])
        .flatten()
        .collect();
    for id in branches {
        if let Ok(path) = orgs::path_of(app, OrgId(id)).await
            && actor
                .grant
                .permits(Action::ManageMembers, Scope::Org(&path))
        {
            managed.insert(id);
        }
    }
    managed
}

async fn view(app: &App, actor: &Actor, row: &TransferRow) -> TransferView {
    let managed = managed_branches(app, actor, std::slice::from_ref(row)).await;
    view_with(&managed, row, app.today())
}

fn view_with(managed: &HashSet<i64>, row: &TransferRow, today: jiff::civil::Date) -> TransferView {
    let may = |branch: Option<i64>| branch.is_some_and(|b| managed.contains(&b));
    let (kind_label, status_label) = labels(&row.kind, &row.status);
    let due = row.slip_due_on.as_deref().and_then(parse_date);
    let returned = row.slip_returned_on.as_deref().and_then(parse_date);
    let pending = row.status == "pending";
    TransferView {
        id: row.id,
        member_id: row.member_id,
        member_name: row.member_name.clone(),
        kind: row.kind.clone(),
        kind_label,
        status: row.status.clone(),
        status_label,
        from_branch_id: row.from_branch_id,
        from_branch_name: row.from_branch_name.clone(),
        to_branch_id: row.to_branch_id,
        to_branch_name: row.to_branch_name.clone(),
        counterpart: row.counterpart.clone(),
        letter_no: row.letter_no.clone(),
        issued_on: row.issued_on.clone(),
        slip_due_on: row.slip_due_on.clone(),
        slip_returned_on: row.slip_returned_on.clone(),
        slip_overdue: row.kind == "out"
            && due.is_some_and(|due| slip_overdue(due, returned, today)),
        reason: row.reason.clone(),
        decision_note: row.decision_note.clone(),
        initiated_by: row.initiated_by_name.clone(),
        created_at: display_minute(from_micros(row.created_at)),
        can_decide: pending && may(row.to_branch_id),
        can_cancel: pending && may(row.from_branch_id),
        can_record_slip: row.kind == "out" && row.status == "issued" && may(row.from_branch_id),
    }
}

/// Appends the audit entry, commits, and answers with the transfer as it now stands.
async fn finish(
    mut tx: Tx,
    app: &App,
    actor: &Actor,
    ctx: &RequestContext,
    id: i64,
    entry: Entry,
) -> AppResult<TransferView> {
    audit::record(&mut tx, Who::from(actor), ctx, entry).await?;
    let row = transfers::transfer_by_id(tx.conn(), id)
        .await?
        .ok_or(AppError::NotFound("转接记录"))?;
    tx.commit().await?;
    Ok(view(app, actor, &row).await)
}

async fn load(app: &App, id: i64) -> AppResult<TransferRow> {
    let mut handle = app.store.acquire().await?;
    transfers::transfer_by_id(handle.conn(), id)
        .await?
        .ok_or(AppError::NotFound("转接记录"))
}

/// A member the actor manages, active and with no transfer under way.
async fn movable_member(app: &App, actor: &Actor, member_id: i64) -> AppResult<members::MemberRow> {
    let mut handle = app.store.acquire().await?;
    let row = members::member_by_id(handle.conn(), member_id)
        .await?
        .ok_or(AppError::NotFound("党员"))?;
    let history = transfers::transfers_of_member(handle.conn(), member_id).await?;
    drop(handle);
    let (_, path) = orgs::load(app, OrgId(row.group_id.unwrap_or(row.branch_id))).await?;
    actor.authorize(Action::ManageMembers, Scope::Org(&path))?;
    if !MemberStatus::from_code(&row.status).is_some_and(MemberStatus::is_active) {
        return Err(AppError::Conflict(format!(
            "{} 的党籍状态不是正常，不能办理转接",
            row.name
        )));
    }
    if history.iter().any(|t| t.status == "pending") {
        return Err(AppError::Conflict(format!(
            "{} 已有一笔待接收的转接",
            row.name
        )));
    }
    Ok(row)
}

/// The sending branch starts a transfer to another branch (or one of its groups) of the system.
pub async fn start_internal(
    app: &App,
    actor: &Actor,
    member_id: MemberId,
    to: OrgId,
    reason: &str,
    ctx: &RequestContext,
) -> AppResult<TransferView> {
    let member = movable_member(app, actor, member_id.0).await?;
    let target = placement(app, to).await?;
    if target.branch_id == member.branch_id {
        return Err(AppError::invalid(
            "to_org_id",
            "同一党支部内调整党小组，请直接修改党员信息",
        ));
    }
    let reason = reason.trim();
    if reason.chars().count() > 200 {
        return Err(AppError::invalid("reason", "转接原因最多 200 字"));
    }
    let mut tx = app.begin().await?;
    let new = NewTransfer {
        member_id: member_id.0,
        kind: "internal",
        status: "pending",
        from_branch_id: Some(member.branch_id),
        to_branch_id: Some(target.branch_id),
        to_group_id: target.group_id,
        counterpart: "",
        letter_no: "",
        issued_on: None,
        slip_due_on: None,
        reason,
        initiated_by: actor.account_id.0,
        now: app.now_micros(),
    };
    let id = transfers::insert_transfer(tx.conn(), &new).await?;
    let entry = Entry::new(
        AuditAction::TransferStarted,
        AuditEntity::Member,
        member_id,
        format!("发起 {} 的组织关系转接（系统内）", member.name),
    )
    .org(Some(OrgId(member.branch_id)));
    finish(tx, app, actor, ctx, id, entry).await
}

async fn receiving_path(app: &App, actor: &Actor, row: &TransferRow) -> AppResult<OrgPath> {
    // Authorize first: whether another branch's transfer is settled is not ours to learn.
    let branch = row.to_branch_id.ok_or(AppError::NotFound("接收党支部"))?;
    let path = orgs::path_of(app, OrgId(branch)).await?;
    actor.authorize(Action::ManageMembers, Scope::Org(&path))?;
    if row.status != "pending" {
        return Err(AppError::Conflict("该转接已办结".into()));
    }
    Ok(path)
}

/// The receiving branch accepts: the member moves, optionally into one of its groups.
pub async fn accept(
    app: &App,
    actor: &Actor,
    id: TransferId,
    group: Option<OrgId>,
    ctx: &RequestContext,
) -> AppResult<TransferView> {
    let row = load(app, id.0).await?;
    receiving_path(app, actor, &row).await?;
    let branch = row.to_branch_id.ok_or(AppError::NotFound("接收党支部"))?;
    let group_id = match group {
        Some(group) => {
            let place = placement(app, group).await?;
            if place.branch_id != branch || place.group_id.is_none() {
                return Err(AppError::invalid("group_id", "请选择本党支部的党小组"));
            }
            place.group_id
        }
        None => row.to_group_id,
    };
    let now = app.now_micros();
    let mut tx = app.begin().await?;
    if transfers::decide(
        tx.conn(),
        id.0,
        "accepted",
        group_id,
        "",
        actor.account_id.0,
        now,
    )
    .await?
        == 0
    {
        return Err(AppError::Conflict("该转接已办结".into()));
    }
    members::set_placement(tx.conn(), row.member_id, branch, group_id, now).await?;
    crate::accounts::roster::follow_member(&mut tx, actor, ctx, row.member_id).await?;
    let entry = Entry::new(
        AuditAction::TransferAccepted,
        AuditEntity::Member,
        row.member_id,
        format!(
            "{} 的组织关系由{}转入{}",
            row.member_name,
            row.from_branch_name.clone().unwrap_or_default(),
            row.to_branch_name.clone().unwrap_or_default()
        ),
    )
    .org(Some(OrgId(branch)));
    finish(tx, app, actor, ctx, id.0, entry).await
}

/// The receiving branch rejects, saying why; the member stays where they were.
pub async fn reject(
    app: &App,
    actor: &Actor,
    id: TransferId,
    note: &str,
    ctx: &RequestContext,
) -> AppResult<TransferView> {
    let row = load(app, id.0).await?;
    receiving_path(app, actor, &row).await?;
    let note = &AppError::check_name("note", "退回原因", note, 200)?;
    decide_and_record(
        app,
        actor,
        &row,
        "rejected",
        note,
        format!("退回 {} 的组织关系转接：{note}", row.member_name),
        row.to_branch_id,
        ctx,
    )
    .await
}

/// The sending branch withdraws a transfer that has not been accepted yet.
pub async fn cancel(
    app: &App,
    actor: &Actor,
    id: TransferId,
    ctx: &RequestContext,
) -> AppResult<TransferView> {
    let row = load(app, id.0).await?;
    // Authorize first: whether another branch's transfer is settled is not ours to learn.
    let path = orgs::path_of(
        app,
        OrgId(row.from_branch_id.ok_or(AppError::NotFound("党支部"))?),
    )
    .await?;
    actor.authorize(Action::ManageMembers, Scope::Org(&path))?;
    if row.status != "pending" {
        return Err(AppError::Conflict("该转接已办结".into()));
    }
    decide_and_record(
        app,
        actor,
        &row,
        "cancelled",
        "",
        format!("撤回 {} 的组织关系转接", row.member_name),
        row.from_branch_id,
        ctx,
    )
    .await
}

#[allow(clippy::too_many_arguments)]
async fn decide_and_record(
    app: &App,
    actor: &Actor,
    row: &TransferRow,
    status: &str,
    note: &str,
    summary: String,
    org: Option<i64>,
    ctx: &RequestContext,
) -> AppResult<TransferView> {
    let mut tx = app.begin().await?;
    if transfers::decide(
        tx.conn(),
        row.id,
        status,
        None,
        note,
        actor.account_id.0,
        app.now_micros(),
    )
    .await?
        == 0
    {
        return Err(AppError::Conflict("该转接已办结".into()));
    }
    let entry = Entry::new(
        match status {
            "rejected" => AuditAction::TransferRejected,
            _ => AuditAction::TransferCancelled,
        },
        AuditEntity::Member,
        row.member_id,
        summary,
    )
    .org(org.map(OrgId));
    finish(tx, app, actor, ctx, row.id, entry).await
}

/// A letter out of the system (转出): what the form gives.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
pub struct LetterInput {
    /// The organization outside the system (destination for 转出, origin for 转入).
    pub counterpart: String,
    pub letter_no: String,
    /// YYYY-MM-DD.
    #[schema(format = Date)]
    pub issued_on: String,
}

fn check_letter(
    letter: &LetterInput,
    today: jiff::civil::Date,
) -> AppResult<(String, String, jiff::civil::Date)> {
    let counterpart =
        &AppError::check_name("counterpart", "对方党组织名称", &letter.counterpart, 100)?;
    let letter_no = &AppError::check_name("letter_no", "介绍信编号", &letter.letter_no, 50)?;
    let issued = parse_date(&letter.issued_on)
        .ok_or_else(|| AppError::invalid("issued_on", "开具日期格式应为 2026-01-15"))?;
    if issued > today {
        return Err(AppError::invalid("issued_on", "开具日期不能晚于今天"));
    }
    Ok((counterpart.to_string(), letter_no.to_string(), issued))
}

/// Transfers a member out of the system: the letter is issued, the member leaves the rolls
/// (status 已转出), and the return slip is due 3 months later.
pub async fn transfer_out(
    app: &App,
    actor: &Actor,
    member_id: MemberId,
    letter: &LetterInput,
    ctx: &RequestContext,
) -> AppResult<TransferView> {
    let member = movable_member(app, actor, member_id.0).await?;
    let (counterpart, letter_no, issued) = check_letter(letter, app.today())?;
    let (issued_on, due_on) = (issued.to_string(), slip_due(issued).to_string());
    let now = app.now_micros();
    let mut tx = app.begin().await?;
    let new = NewTransfer {
        member_id: member_id.0,
        kind: "out",
        status: "issued",
        from_branch_id: Some(member.branch_id),
        to_branch_id: None,
        to_group_id: None,
        counterpart: &counterpart,
        letter_no: &letter_no,
        issued_on: Some(&issued_on),
        slip_due_on: Some(&due_on),
        reason: "",
        initiated_by: actor.account_id.0,
        now,
    };
    let id = transfers::insert_transfer(tx.conn(), &new).await?;
    members::set_status(
        tx.conn(),
        member_id.0,
        MemberStatus::TransferredOut.code(),
        now,
    )
    .await?;
    let entry = Entry::new(
        AuditAction::TransferOut,
        AuditEntity::Member,
        member_id,
        format!(
            "{} 的组织关系转出至{counterpart}（介绍信 {letter_no}）",
            member.name
        ),
    )
    .org(Some(OrgId(member.branch_id)));
    finish(tx, app, actor, ctx, id, entry).await
}

/// Records the return slip (回执) of a letter out of the system.
pub async fn record_slip(
    app: &App,
    actor: &Actor,
    id: TransferId,
    returned_on: &str,
    ctx: &RequestContext,
) -> AppResult<TransferView> {
    let row = load(app, id.0).await?;
    // Authorize first: whether a slip is awaited is the business of the branches involved only.
    let branch = row
        .from_branch_id
        .or(row.to_branch_id)
        .ok_or(AppError::NotFound("党支部"))?;
    let path = orgs::path_of(app, OrgId(branch)).await?;
    actor.authorize(Action::ManageMembers, Scope::Org(&path))?;
    if row.kind != "out" || row.slip_returned_on.is_some() {
        return Err(AppError::Conflict("该转接没有待登记的回执".into()));
    }
    let date = parse_date(returned_on)
        .ok_or_else(|| AppError::invalid("returned_on", "回执日期格式应为 2026-01-15"))?;
    if date > app.today()
        || row
            .issued_on
            .as_deref()
            .and_then(parse_date)
            .is_some_and(|issued| date < issued)
    {
        return Err(AppError::invalid(
            "returned_on",
            "回执日期应在开具日期之后、今天之前",
        ));
    }
    let mut tx = app.begin().await?;
    transfers::record_slip(tx.conn(), id.0, &date.to_string()).await?;
    let entry = Entry::new(
        AuditAction::TransferSlipReturned,
        AuditEntity::Member,
        row.member_id,
        format!("登记 {} 转出介绍信的回执", row.member_name),
    )
    .org(row.from_branch_id.map(OrgId));
    finish(tx, app, actor, ctx, id.0, entry).await
}

/// Registers a member who brings a letter from outside the system (转入).
pub async fn transfer_in(
    app: &App,
    actor: &Actor,
    org: OrgId,
    input: &MemberInput,
    letter: &LetterInput,
    ctx: &RequestContext,
) -> AppResult<MemberView> {
    let (counterpart, letter_no, issued) = check_letter(letter, app.today())?;
    let issued_on = issued.to_string();
    let created = crate::members::create_member(app, actor, org, input, ctx).await?;
    let mut tx = app.begin().await?;
    let new = NewTransfer {
        member_id: created.id,
        kind: "in",
        status: "received",
        from_branch_id: None,
        to_branch_id: Some(created.branch_id),
        to_group_id: created.group_id,
        counterpart: &counterpart,
        letter_no: &letter_no,
        issued_on: Some(&issued_on),
        slip_due_on: None,
        reason: "",
        initiated_by: actor.account_id.0,
        now: app.now_micros(),
    };
    transfers::insert_transfer(tx.conn(), &new).await?;
    let entry = Entry::new(
        AuditAction::TransferIn,
        AuditEntity::Member,
        created.id,
        format!(
            "{} 的组织关系由{counterpart}转入（介绍信 {letter_no}）",
            created.name
        ),
    )
    .org(Some(OrgId(created.branch_id)));
    audit::record(&mut tx, Who::from(actor), ctx, entry).await?;
    tx.commit().await?;
    Ok(created)
}

/// Transfers leaving or entering the actor's reach, newest first.
pub async fn list_transfers(app: &App, actor: &Actor) -> AppResult<Vec<TransferView>> {
    let reach = actor.reach(Action::ViewMembers)?;
    let mut handle = app.store.acquire().await?;
    let rows = transfers::transfers_in_scope(handle.conn(), reach.as_ref()).await?;
    drop(handle);
    let managed = managed_branches(app, actor, &rows).await;
    Ok(rows
        .iter()
        .map(|row| view_with(&managed, row, app.today()))
        .collect())
}

/// A member's transfers, oldest first: readable wherever the member is now.
pub async fn transfers_of_member(
    app: &App,
    actor: &Actor,
    member_id: MemberId,
) -> AppResult<Vec<TransferView>> {
    crate::members::get_member(app, actor, member_id).await?;
    let mut handle = app.store.acquire().await?;
    let rows = transfers::transfers_of_member(handle.conn(), member_id.0).await?;
    drop(handle);
    let managed = managed_branches(app, actor, &rows).await;
    Ok(rows
        .iter()
        .map(|row| view_with(&managed, row, app.today()))
        .collect())
}

/// Transfers into a branch the caller runs that wait to be received.
pub async fn reminders(
    app: &App,
    actor: &Actor,
) -> AppResult<Vec<dangjian_domain::reminder::Reminder>> {
    use dangjian_domain::reminder::{Reminder, ReminderKind};
    if !actor.grant.may_ever(Action::ManageMembers) {
        return Ok(Vec::new());
    }
    Ok(list_transfers(app, actor)
        .await?
        .into_iter()
        .filter(|t| t.can_decide && t.status == "pending")
        .map(|t| Reminder {
            kind: ReminderKind::ReceiveTransfer,
            title: format!(
                "{} 由{}转入{}",
                t.member_name,
                t.from_branch_name.unwrap_or_default(),
                t.to_branch_name.unwrap_or_default()
            ),
            href: "/transfers".into(),
            detail: format!("{}发起", t.created_at),
            due_on: None,
        })
        .collect())
}
