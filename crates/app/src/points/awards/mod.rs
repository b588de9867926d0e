//! 争先创优: a node's campaign for the four honours. Administrators and group leaders nominate
//! with reasons; the committee decides and sets the public notice (公示) dates; members of the
//! node may object during the notice; after it ends the final list is recorded and shows in each
//! honoured member's record.

use dangjian_domain::access::{Action, Role, Scope};
use dangjian_domain::points::awards::Honour;
use dangjian_domain::{AwardCampaignId, OrgId};
use dangjian_store::points::awards::{self as store, CampaignRow, NewNomination, NominationRow};
use serde::{Deserialize, Serialize};

mod notice;

pub use notice::*;

use crate::audit::{self, AuditAction, AuditEntity, Entry, Who};
use crate::{Actor, App, AppError, AppResult, RequestContext, orgs};

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct NominationView {
    pub id: i64,
    pub honour_label: &'static str,
    pub nominee_name: String,
    pub reason: String,
    pub nominated_by: String,
    pub selected: bool,
    /// How many objections were filed (their content is for the committee's file).
    pub objections: i64,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AwardCampaignView {
    pub id: i64,
    pub org_id: i64,
    pub title: String,
    /// nominating, notice, final.
    pub status: String,
    pub status_label: &'static str,
    pub notice_from: Option<String>,
    pub notice_to: Option<String>,
    pub nominations: Vec<NominationView>,
    pub can_manage: bool,
    /// May recommend (org administrators and group leaders, while nominating).
    pub can_nominate: bool,
    /// The groups of the campaign's organization, for 优秀党小组: (id, name).
    pub groups: Vec<(i64, String)>,
}

fn status_label(s: &str) -> &'static str {
    match s {
        "nominating" => "推荐中",
        "notice" => "公示中",
        _ => "已确定",
    }
}

async fn load(
    app: &App,
    actor: &Actor,
    id: i64,
) -> AppResult<(CampaignRow, dangjian_domain::OrgPath, bool)> {
    let mut handle = app.store.acquire().await?;
    let row = store::campaign(handle.conn(), id)
        .await?
        .ok_or(AppError::NotFound("评选活动"))?;
    drop(handle);
    let path = orgs::path_of(app, OrgId(row.org_id)).await?;
    let can_manage = actor
        .grant
        .permits(Action::ManageAssessments, Scope::Org(&path));
    // Members of the node see the campaign: a public notice is for them.
    let member_of_node = match actor.member_id {
        Some(m) => {
            let mut handle = app.store.acquire().await?;
            path.contains(&super::placement(handle.conn(), m).await?.node_path)
        }
        None => false,
    };
    if !can_manage
        && !member_of_node
        && !actor.grant.permits(Action::ViewMembers, Scope::Org(&path))
    {
        return Err(AppError::forbidden());
    }
    Ok((row, path, can_manage))
}

pub async fn view(app: &App, actor: &Actor, id: AwardCampaignId) -> AppResult<AwardCampaignView> {
    let (row, path, can_manage) = load(app, actor, id.0).await?;
    let mut handle = app.store.acquire().await?;
    let rows = store::nominations(handle.conn(), id.0).await?;
    let groups = dangjian_store::orgs::orgs_in_subtree(
        handle.conn(),
        &dangjian_store::SubtreeRange::of(&path),
    )
    .await?
    .into_iter()
    .filter(|o| o.kind == "group" && o.dissolved_on.is_none())
    .map(|o| (o.id, o.name))
    .collect();
    let visible = |n: &NominationRow| can_manage || row.status == "nominating" || n.selected;
    let can_nominate = may_nominate(actor) && row.status == "nominating";
    Ok(AwardCampaignView {
        nominations: rows
            .iter()
            .filter(|n| visible(n))
            .map(|n| NominationView {
                id: n.id,
                honour_label: Honour::parse(&n.honour).map(Honour::label).unwrap_or(""),
                nominee_name: n.nominee_name.clone(),
                reason: n.reason.clone(),
                nominated_by: n.nominated_by.clone(),
                selected: n.selected,
                objections: n.objections,
            })
            .collect(),
        id: id.0,
        org_id: row.org_id,
        title: row.title,
        status_label: status_label(&row.status),
        status: row.status,
        notice_from: row.notice_from,
        notice_to: row.notice_to,
        can_manage,
        can_nominate,
        groups,
    })
}

/// Who may recommend: organization administrators and group leaders.
fn may_nominate(actor: &Actor) -> bool {
    matches!(
        actor.role(),
        Role::OrgAdmin | Role::GroupLeader | Role::SystemAdmin
    )
}

pub async fn start(
    app: &App,
    actor: &Actor,
    ctx: &RequestContext,
    org_id: OrgId,
    title: &str,
) -> AppResult<AwardCampaignView> {
    let path = orgs::path_of(app, org_id).await?;
    actor.authorize(Action::ManageAssessments, Scope::Org(&path))?;
    let title = &AppError::check_name("title", "评选名称", title, 100)?;
    let mut tx = app.begin().await?;
    let id = store::insert_campaign(
        tx.conn(),
        org_id.0,
        title,
        actor.account_id.0,
        app.now_micros(),
    )
    .await?;
    audit::record(
        &mut tx,
        Who::from(actor),
        ctx,
        Entry::new(
            AuditAction::AwardCampaignStarted,
            AuditEntity::AwardCampaign,
            id,
            format!("开展评选「{title}」"),
        )
        .org(Some(org_id)),
    )
    .await?;
    tx.commit().await?;
    view(app, actor, AwardCampaignId(id)).await
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct NominationInput {
    /// excellent_member, excellent_group, excellent_group_leader, excellent_party_worker.
    pub honour: String,
    /// The nominated member (all honours but 优秀党小组).
    #[serde(default)]
    pub member_id: Option<i64>,
    /// The nominated group (优秀党小组).
    #[serde(default)]
    pub group_id: Option<i64>,
    pub reason: String,
}

pub async fn nominate(
    app: &App,
    actor: &Actor,
    ctx: &RequestContext,
    id: AwardCampaignId,
    input: &NominationInput,
) -> AppResult<AwardCampaignView> {
    let (row, path, _) = load(app, actor, id.0).await?;
    if !may_nominate(actor) {
        return Err(AppError::Forbidden("由组织管理员或党小组长推荐".into()));
    }
    if row.status != "nominating" {
        return Err(AppError::Conflict("推荐已截止".into()));
    }
    let honour = Honour::parse(&input.honour)
        .ok_or_else(|| AppError::invalid("honour", "请选择评选类别"))?;
    let reason = &AppError::check_text(
        "reason",
        "推荐理由",
        &input.reason,
        dangjian_domain::text::Shape::MultiLine,
        2000,
        true,
    )?;
    let mut tx = app.begin().await?;
    let (name, member_id, group_id) = if honour.is_for_group() {
        let gid = input
            .group_id
            .ok_or_else(|| AppError::invalid("group_id", "请选择党小组"))?;
        let g = dangjian_store::orgs::org_by_id(tx.conn(), gid)
            .await?
            .ok_or(AppError::NotFound("党小组"))?;
        let gp = dangjian_domain::OrgPath::parse(&g.path).ok_or(AppError::NotFound("党小组"))?;
        if g.kind != "group" || !path.contains(&gp) {
            return Err(AppError::invalid("group_id", "只能推荐本组织下的党小组"));
        }
        actor.authorize(Action::ViewOrg, Scope::Org(&gp))?;
        (g.name, None, Some(gid))
    } else {
        let mid = input
            .member_id
            .ok_or_else(|| AppError::invalid("member_id", "请选择党员"))?;
        let p = super::placement(tx.conn(), mid).await?;
        if !path.contains(&p.node_path) {
            return Err(AppError::invalid("member_id", "只能推荐本组织的党员"));
        }
        actor.authorize(Action::ViewMembers, Scope::Org(&p.node_path))?;
        (p.name, Some(mid), None)
    };
    let nid = store::insert_nomination(
        tx.conn(),
        &NewNomination {
            campaign_id: id.0,
            honour: honour.code(),
            member_id,
            group_id,
            nominee_name: &name,
            reason,
            nominated_by: &actor.name,
        },
    )
    .await?;
    audit::record(
        &mut tx,
        Who::from(actor),
        ctx,
        Entry::new(
            AuditAction::AwardNominated,
            AuditEntity::AwardNomination,
            nid,
            format!("推荐 {name} 为{}", honour.label()),
        )
        .org(Some(OrgId(row.org_id))),
    )
    .await?;
    tx.commit().await?;
    view(app, actor, id).await
}
