//! Bulletins (积分通报): for a node and period, the top and bottom members, the groups by average,
//! the biggest changes against the previous period, and the members with deductions and why; printable, as .xlsx, and once published visible to
//! the node's members.

use dangjian_domain::access::{Action, Scope};
use dangjian_domain::points::Points;
use dangjian_domain::{OrgId, OrgKind};
use dangjian_store::SubtreeRange;
use dangjian_store::points::ledger;
use dangjian_store::points::totals::{self, Among};
use rust_xlsxwriter::{Format, Workbook, XlsxError};
use serde::Serialize;

use dangjian_domain::Month;
use dangjian_domain::activity::period::Period;
use dangjian_domain::reminder::{Reminder, ReminderKind};

use super::views::{Ranked, leaderboard};
use crate::audit::{self, AuditAction, AuditEntity, Entry, Who};
use crate::{Actor, App, AppError, AppResult, RequestContext, orgs};

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Deduction {
    pub member_name: String,
    #[schema(format = Date)]
    pub occurred_on: String,
    pub points_text: String,
    pub reason: String,
}

/// A member whose points moved most against the previous period of the same length.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Change {
    pub member_id: i64,
    pub member_name: String,
    pub points_text: String,
    pub before_text: String,
    /// Signed, e.g. `+6` or `-5`.
    pub change_text: String,
}

/// How many members the "biggest changes" section lists.
const CHANGES_LISTED: usize = 10;

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct BulletinView {
    pub org_id: i64,
    pub org_name: String,
    pub period: String,
    pub period_label: String,
    pub top: Vec<Ranked>,
    pub bottom: Vec<Ranked>,
    pub groups: Vec<Ranked>,
    pub deductions: Vec<Deduction>,
    /// The previous period's label, and the biggest changes against it.
    pub previous_label: String,
    /// The period before and after, for stepping through bulletins without typing one; no next
    /// period once it would begin after today.
    pub previous_period: String,
    pub next_period: Option<String>,
    pub changes: Vec<Change>,
    pub published: bool,
    pub can_publish: bool,
}

/// The period a bulletin reports when none is named: the last month that has ended, the one a
/// monthly bulletin is written about.
pub fn period_or_last_month(text: Option<&str>, today: jiff::civil::Date) -> AppResult<Period> {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok(Period::Month(Month::of(today).previous())),
        Some(_) => super::period_or_year(text, today),
    }
}

/// Last month's bulletin of the caller's own organization, while it is unpublished and there is
/// something to report: one tap from the home page to the bulletin and its publish button.
pub async fn reminders(app: &App, actor: &Actor) -> AppResult<Vec<Reminder>> {
    let Some(org_id) = actor.own_org_for(Action::ManagePoints) else {
        return Ok(Vec::new());
    };
    let (org, path) = orgs::load(app, org_id).await?;
    if !actor.grant.permits(Action::ManagePoints, Scope::Org(&path)) {
        return Ok(Vec::new());
    }
    let period = period_or_last_month(None, app.today())?;
    let key = period.key();
    let mut handle = app.store.acquire().await?;
    if totals::is_published(handle.conn(), org_id.0, &key).await? {
        return Ok(Vec::new());
    }
    let among = among_of(&org.kind, org_id, &path);
    if totals::bottom_members(handle.conn(), &among, &key, 1)
        .await?
        .is_empty()
    {
        return Ok(Vec::new());
    }
    Ok(vec![Reminder {
        kind: ReminderKind::PublishBulletin,
        title: format!("{} · {}积分通报", org.name, period.label()),
        href: format!("/orgs/{}/points/bulletin?period={key}", org_id.0),
        detail: "核对后发布给本组织党员".into(),
        due_on: None,
    }])
}

/// Whom a node's bulletin ranks: a group's or a branch's members, or the subtree's.
fn among_of(kind: &str, org_id: OrgId, path: &dangjian_domain::OrgPath) -> Among {
    match OrgKind::from_code(kind) {
        Some(OrgKind::Group) => Among::Group(org_id.0),
        Some(OrgKind::Branch) => Among::Branch(org_id.0),
        _ => Among::Subtree(SubtreeRange::of(path)),
    }
}

/// Who may read a node's bulletin: those who may view the node, and, once published, its members.
pub(crate) async fn may_read(
    app: &App,
    actor: &Actor,
    path: &dangjian_domain::OrgPath,
    org_id: i64,
    period: &str,
) -> AppResult<bool> {
    if actor.grant.permits(Action::ViewOrg, Scope::Org(path)) {
        return Ok(true);
    }
    let Some(member_id) = actor.member_id else {
        return Ok(false);
    };
    let mut handle = app.store.acquire().await?;
    let p = super::placement(handle.conn(), member_id).await?;
    Ok(path.contains(&p.node_path) && totals::is_published(handle.conn(), org_id, period).await?)
}

pub async fn bulletin(
    app: &App,
    actor: &Actor,
    org_id: OrgId,
    period: Option<&str>,
) -> AppResult<BulletinView> {
    let (org, path) = orgs::load(app, org_id).await?;
    let period = period_or_last_month(period, app.today())?;
    let key = period.key();
    if !may_read(app, actor, &path, org_id.0, &key).await? {
        return Err(AppError::Forbidden("该积分通报尚未发布".into()));
    }
    let mut handle = app.store.acquire().await?;
    let range = SubtreeRange::of(&path);
    let among = among_of(&org.kind, org_id, &path);
    let bottom = totals::bottom_members(handle.conn(), &among, &key, 10).await?;
    let deductions = ledger::deductions_in(
        handle.conn(),
        &range,
        &period.first_day().to_string(),
        &period.last_day().to_string(),
        100,
    )
    .await?;
    let previous = period.previous();
    let mut moved = totals::changes(handle.conn(), &among, &key, &previous.key()).await?;
    moved.retain(|c| c.points != c.before);
    moved.sort_by_key(|c| (std::cmp::Reverse((c.points - c.before).abs()), c.member_id));
    moved.truncate(CHANGES_LISTED);
    let published = totals::is_published(handle.conn(), org_id.0, &key).await?;
    drop(handle);
    // The leaderboards are read as the node's own viewers read them.
    let top = leaderboard_as_reader(app, actor, org_id.0, &key, "members").await?;
    let groups = leaderboard_as_reader(app, actor, org_id.0, &key, "groups").await?;
    Ok(BulletinView {
        org_id: org_id.0,
        org_name: org.name,
        period: key,
        period_label: period.label(),
        top,
        bottom: bottom
            .into_iter()
            .map(|t| Ranked {
                rank: 0,
                id: t.member_id,
                name: t.name,
                points: t.points,
                points_text: Points(t.points).plain(),
                members: None,
                average: None,
                average_text: None,
                can_open: false,
            })
            .collect(),
        groups,
        deductions: deductions
            .into_iter()
            .map(|(name, e)| Deduction {
                member_name: name,
                occurred_on: e.occurred_on,
                points_text: Points(e.points).signed(),
                reason: e.reason,
            })
            .collect(),
        previous_label: previous.label(),
        previous_period: previous.key(),
        next_period: Some(period.next())
            .filter(|next| next.first_day() <= app.today())
            .map(|next| next.key()),
        changes: moved
            .into_iter()
            .map(|c| Change {
                member_id: c.member_id,
                member_name: c.name,
                points_text: Points(c.points).plain(),
                before_text: Points(c.before).plain(),
                change_text: Points(c.points - c.before).signed(),
            })
            .collect(),
        published,
        can_publish: actor.grant.permits(Action::ManagePoints, Scope::Org(&path)),
    })
}

async fn leaderboard_as_reader(
    app: &App,
    actor: &Actor,
    org_id: i64,
    period: &str,
    of: &str,
) -> AppResult<Vec<Ranked>> {
    match leaderboard(app, actor, OrgId(org_id), Some(period), of, Some(10)).await {
        Ok(board) => Ok(board.rows),
        Err(AppError::Forbidden(_)) => Ok(Vec::new()),
        Err(e) => Err(e),
    }
}

/// The node's administrator publishes the bulletin to the node's members.
pub async fn publish(
    app: &App,
    actor: &Actor,
    ctx: &RequestContext,
    org_id: OrgId,
    period: Option<&str>,
) -> AppResult<()> {
    let (org, path) = orgs::load(app, org_id).await?;
    actor.authorize(Action::ManagePoints, Scope::Org(&path))?;
    let period = period_or_last_month(period, app.today())?;
    let mut tx = app.begin().await?;
    if !totals::publish_bulletin(
        tx.conn(),
        org_id.0,
        &period.key(),
        actor.account_id.0,
        app.now_micros(),
    )
    .await?
    {
        return Err(AppError::Conflict("该期积分通报已发布".into()));
    }
    let entry = Entry::new(
        AuditAction::PointsBulletinPublished,
        AuditEntity::PointsBulletin,
        format!("{org_id}:{}", period.key()),
        format!("发布「{}」{}积分通报", org.name, period.label()),
    )
    .org(Some(org_id));
    audit::record(&mut tx, Who::from(actor), ctx, entry).await?;
    tx.commit().await?;
    Ok(())
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PublishedView {
    pub org_id: i64,
    pub org_name: String,
    pub period: String,
}

/// Bulletins published to the caller: those of their branch, group and the nodes above.
pub async fn published_for_me(app: &App, actor: &Actor) -> AppResult<Vec<PublishedView>> {
    let Some(member_id) = actor.member_id else {
        return Ok(Vec::new());
    };
    let mut handle = app.store.acquire().await?;
    let p = super::placement(handle.conn(), member_id).await?;
    let ids: Vec<i64> = p.node_path.ids().iter().map(|OrgId(id)| *id).collect();
    Ok(totals::bulletins_of(handle.conn(), &ids)
        .await?
        .into_iter()
        .map(|b| PublishedView {
            org_id: b.org_id,
            org_name: b.org_name,
            period: b.period,
        })
        .collect())
}

/// The bulletin as an .xlsx workbook: file name and bytes.
pub async fn bulletin_xlsx(
    app: &App,
    actor: &Actor,
    ctx: &crate::RequestContext,
    org_id: OrgId,
    period: Option<&str>,
) -> AppResult<(String, Vec<u8>)> {
    let b = bulletin(app, actor, org_id, period).await?;
    let bytes = write(&b).map_err(|e| AppError::Unexpected(format!("bulletin workbook: {e}")))?;
    let name = format!("{}积分通报（{}）.xlsx", b.org_name, b.period_label);
    crate::audit::exported(app, actor, ctx, org_id, &name).await?;
    Ok((name, bytes))
}

fn write(b: &BulletinView) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold();
    let tables: [(&str, &[Ranked]); 3] = [
        ("积分前列", &b.top),
        ("积分靠后", &b.bottom),
        ("党小组（人均）", &b.groups),
    ];
    for (name, rows) in tables {
        let sheet = workbook.add_worksheet();
        sheet.set_name(name)?;
        for (col, title) in ["名次", "名称", "得分", "人数", "人均得分"]
            .iter()
            .enumerate()
        {
            sheet.write_string_with_format(0, col as u16, *title, &bold)?;
        }
        for (line, r) in (1u32..).zip(rows.iter()) {
            if r.rank > 0 {
                sheet.write_number(line, 0, r.rank as f64)?;
            }
            sheet.write_string(line, 1, &r.name)?;
            sheet.write_string(line, 2, &r.points_text)?;
            if let Some(m) = r.members {
                sheet.write_number(line, 3, m as f64)?;
            }
            if let Some(a) = &r.average_text {
                sheet.write_string(line, 4, a)?;
            }
        }
    }
    let sheet = workbook.add_worksheet();
    sheet.set_name("扣分情况")?;
    for (col, title) in ["党员", "日期", "分值", "原因"].iter().enumerate() {
        sheet.write_string_with_format(0, col as u16, *title, &bold)?;
    }
    for (line, d) in (1u32..).zip(b.deductions.iter()) {
        sheet.write_string(line, 0, &d.member_name)?;
        sheet.write_string(line, 1, &d.occurred_on)?;
        sheet.write_string(line, 2, &d.points_text)?;
        sheet.write_string(line, 3, &d.reason)?;
    }
    let sheet = workbook.add_worksheet();
    sheet.set_name("变化最大")?;
    let headers = [
        "党员",
        "本期",
        &format!("上期（{}）", b.previous_label),
        "变化",
    ];
    for (col, title) in headers.iter().enumerate() {
        sheet.write_string_with_format(0, col as u16, *title, &bold)?;
    }
    for (line, c) in (1u32..).zip(b.changes.iter()) {
        sheet.write_string(line, 0, &c.member_name)?;
        sheet.write_string(line, 1, &c.points_text)?;
        sheet.write_string(line, 2, &c.before_text)?;
        sheet.write_string(line, 3, &c.change_text)?;
    }
    workbook.save_to_buffer()
}
