//! The organization tree: browse with counts, create, edit, move, dissolve and delete nodes.

use std::collections::HashMap;

use dangjian_domain::access::{Action, Scope};
use dangjian_domain::audit::yes_no;
use dangjian_domain::{OrgId, OrgKind, OrgPath};
use dangjian_store::SubtreeRange;
use dangjian_store::orgs::{self, NewOrg, OrgRow};
use serde::Serialize;

use crate::audit::{self, AuditAction, AuditEntity, Entry, Who};
use crate::{Actor, App, AppError, AppResult, RequestContext};

mod overview;
pub use overview::{
    OrgOverview, may_create_top, move_targets, org_for_editing, overview, parent_for_new,
};

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct OrgView {
    #[schema(value_type = i64)]
    pub id: OrgId,
    #[schema(value_type = Option<i64>)]
    pub parent_id: Option<OrgId>,
    /// committee, general_branch, branch or group.
    #[schema(value_type = String)]
    pub kind: OrgKind,
    pub kind_label: &'static str,
    pub name: String,
    /// 1 for a top-level node.
    pub depth: usize,
    /// 联合党支部.
    pub is_joint: bool,
    /// 临时党支部.
    pub is_temporary: bool,
    pub joint_units: Option<i64>,
    /// Term of the node's committee in years (3–5); none: the default for its kind.
    pub term_years: Option<i64>,
    /// Dissolved nodes stay readable with their history.
    pub dissolved: bool,
}

impl OrgView {
    pub(crate) fn from_row(row: &OrgRow) -> OrgView {
        let kind = OrgKind::from_code(&row.kind).unwrap_or(OrgKind::Branch);
        OrgView {
            id: OrgId(row.id),
            parent_id: row.parent_id.map(OrgId),
            kind,
            kind_label: kind.label(),
            name: row.name.clone(),
            depth: OrgPath::parse(&row.path).map(|p| p.depth()).unwrap_or(1),
            is_joint: row.is_joint,
            is_temporary: row.is_temporary,
            joint_units: row.joint_units,
            term_years: row.term_years,
            dissolved: row.status == "dissolved",
        }
    }

    /// `党支部（联合）`: the kind with the flags that qualify it.
    pub fn kind_with_flags(&self) -> String {
        let mut label = self.kind_label.to_string();
        if self.is_joint {
            label.push_str("（联合）");
        }
        if self.is_temporary {
            label.push_str("（临时）");
        }
        label
    }
}

/// A node of the tree view with the members on its rolls, its subtree included.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct TreeNode {
    #[serde(flatten)]
    pub org: OrgView,
    pub full_members: i64,
    pub probationary_members: i64,
}

impl TreeNode {
    pub fn members(&self) -> i64 {
        self.full_members + self.probationary_members
    }
}

/// The nodes the actor may take `action` on, in tree order (for pickers).
pub async fn orgs_in_reach(app: &App, actor: &Actor, action: Action) -> AppResult<Vec<OrgView>> {
    let reach = actor.reach(action)?;
    let mut handle = app.store.acquire().await?;
    let rows = match &reach {
        None => orgs::all_orgs(handle.conn()).await?,
        Some(range) => orgs::orgs_in_subtree(handle.conn(), range).await?,
    };
    Ok(rows.iter().map(OrgView::from_row).collect())
}

/// The tree under `root` (the actor's whole reach when `None`), each node with member counts
/// summed up from the branches and groups below it.
pub async fn tree(app: &App, actor: &Actor, root: Option<OrgId>) -> AppResult<Vec<TreeNode>> {
    let range = match root {
        Some(id) => {
            let (_, path) = load(app, id).await?;
            actor.authorize(Action::ViewOrg, Scope::Org(&path))?;
            Some(SubtreeRange::of(&path))
        }
        None => actor.reach(Action::ViewOrg)?,
    };
    let mut handle = app.store.acquire().await?;
    let (rows, counts) = match &range {
        Some(range) => (
            orgs::orgs_in_subtree(handle.conn(), range).await?,
            orgs::member_counts_in_subtree(handle.conn(), range).await?,
        ),
        None => {
            let everything = SubtreeRange {
                start: "/".into(),
                end: "0".into(),
            };
            (
                orgs::all_orgs(handle.conn()).await?,
                orgs::member_counts_in_subtree(handle.conn(), &everything).await?,
            )
        }
    };
    // Each count lands on its group (or branch) and on every ancestor on the path.
    let paths: HashMap<i64, &str> = rows.iter().map(|r| (r.id, r.path.as_str())).collect();
    let mut totals: HashMap<i64, (i64, i64)> = HashMap::new();
    for count in &counts {
        let holder = count.group_id.unwrap_or(count.branch_id);
        let Some(path) = paths.get(&holder).and_then(|p| OrgPath::parse(p)) else {
            continue;
        };
        for id in path.ids() {
            let entry = totals.entry(id.0).or_default();
            if count.category == "full" {
                entry.0 += count.members;
            } else {
                entry.1 += count.members;
            }
        }
    }
    Ok(rows
        .iter()
        .map(|row| {
            let (full, probationary) = totals.get(&row.id).copied().unwrap_or_default();
            TreeNode {
                org: OrgView::from_row(row),
                full_members: full,
                probationary_members: probationary,
            }
        })
        .collect())
}

/// One node with the members on its rolls, its subtree included (a group: its own members).
pub async fn node_with_counts(app: &App, actor: &Actor, id: OrgId) -> AppResult<TreeNode> {
    // The subtree comes in path order, so the node itself is first.
    tree(app, actor, Some(id))
        .await?
        .into_iter()
        .next()
        .ok_or(AppError::NotFound("组织"))
}

/// A node with its path, for use cases that authorize against it.
pub(crate) async fn load(app: &App, id: OrgId) -> AppResult<(OrgRow, OrgPath)> {
    let mut handle = app.store.acquire().await?;
    let row = orgs::org_by_id(handle.conn(), id.0)
        .await?
        .ok_or(AppError::NotFound("组织"))?;
    let path = OrgPath::parse(&row.path).ok_or(AppError::NotFound("组织"))?;
    Ok((row, path))
}

pub async fn get_org(app: &App, actor: &Actor, id: OrgId) -> AppResult<OrgView> {
    let (row, path) = load(app, id).await?;
    actor.authorize(Action::ViewOrg, Scope::Org(&path))?;
    Ok(OrgView::from_row(&row))
}

/// What an administrator fills in for a node.
#[derive(Debug, Clone, Default)]
pub struct OrgInput {
    pub name: String,
    pub kind: String,
    pub is_joint: bool,
    pub is_temporary: bool,
    pub joint_units: Option<i64>,
    pub term_years: Option<i64>,
}

struct CheckedOrg {
    name: String,
    kind: OrgKind,
    joint_units: Option<i64>,
    term_years: Option<i64>,
}

fn check_input(input: &OrgInput) -> AppResult<CheckedOrg> {
    let name = &AppError::check_name("name", "组织名称", &input.name, 100)?;
    let kind = OrgKind::from_code(&input.kind)
        .ok_or_else(|| AppError::invalid("kind", "请选择组织类型"))?;
    let is_branch = kind == OrgKind::Branch;
    if !is_branch && (input.is_joint || input.is_temporary) {
        return Err(AppError::invalid(
            "kind",
            "只有党支部可以设为联合党支部或临时党支部",
        ));
    }
    if let Some(units) = input.joint_units
        && (units < 1 || !input.is_joint)
    {
        return Err(AppError::invalid(
            "joint_units",
            "联建单位数只适用于联合党支部，且至少为 1",
        ));
    }
    if let Some(years) = input.term_years {
        dangjian_domain::structure::TermYears::new(u8::try_from(years).unwrap_or(0))
            .map_err(|e| AppError::invalid("term_years", e.to_string()))?;
        if kind == OrgKind::Group {
            return Err(AppError::invalid("term_years", "党小组不设委员会任期"));
        }
    }
    Ok(CheckedOrg {
        name: name.to_string(),
        kind,
        joint_units: input.joint_units,
        term_years: input.term_years,
    })
}

fn placement_error(kind: OrgKind, parent: Option<OrgKind>) -> AppError {
    let rule = match kind {
        OrgKind::Group => "党小组只能设在党支部下",
        OrgKind::Branch => "党支部只能设在党委或党总支下",
        OrgKind::GeneralBranch => "党总支只能设在党委下",
        OrgKind::Committee => "党委只能设在党委下或作为最上级组织",
    };
    let here = parent
        .map(|p| format!("，不能设在{}下", p.label()))
        .unwrap_or_else(|| "，不能作为最上级组织".into());
    AppError::invalid("parent_id", format!("{rule}{here}"))
}

/// Creates a node under `parent` (`None`: a new top-level committee, system administrators only).
pub async fn create_org(
    app: &App,
    actor: &Actor,
    parent: Option<OrgId>,
    input: &OrgInput,
    ctx: &RequestContext,
) -> AppResult<OrgView> {
    let checked = check_input(input)?;
    let parent = match parent {
        Some(id) => {
            let (row, path) = load(app, id).await?;
            actor.authorize(Action::ManageOrg, Scope::Org(&path))?;
            if row.status == "dissolved" {
                return Err(AppError::invalid(
                    "parent_id",
                    "上级组织已撤销，不能再设下级组织",
                ));
            }
            Some(row)
        }
        None => {
            actor.authorize(Action::ManageOrg, Scope::Installation)?;
            None
        }
    };
    let parent_kind = parent.as_ref().and_then(|p| OrgKind::from_code(&p.kind));
    if !checked.kind.may_be_child_of(parent_kind) {
        return Err(placement_error(checked.kind, parent_kind));
    }
    let mut tx = app.begin().await?;
    let new = NewOrg {
        parent: parent.as_ref().map(|p| (p.id, p.path.as_str())),
        kind: checked.kind.code(),
        name: &checked.name,
        is_joint: input.is_joint,
        is_temporary: input.is_temporary,
        joint_units: checked.joint_units,
        term_years: checked.term_years,
        now: app.now_micros(),
    };
    let (id, _) = orgs::insert_org(tx.conn(), &new).await?;
    // Filed under the parent, so the new node itself has no history and may still be deleted.
    let entry = Entry::new(
        AuditAction::OrgCreated,
        AuditEntity::Org,
        id,
        format!("新建{}「{}」", checked.kind.label(), checked.name),
    )
    .org(parent.as_ref().map(|p| OrgId(p.id)));
    audit::record(&mut tx, Who::from(actor), ctx, entry).await?;
    let row = orgs::org_by_id(tx.conn(), id)
        .await?
        .ok_or(AppError::NotFound("组织"))?;
    tx.commit().await?;
    Ok(OrgView::from_row(&row))
}

/// Renames a node or changes its flags and term; its kind and place stay.
pub async fn update_org(
    app: &App,
    actor: &Actor,
    id: OrgId,
    input: &OrgInput,
    ctx: &RequestContext,
) -> AppResult<OrgView> {
    let (row, path) = load(app, id).await?;
    actor.authorize(Action::ManageOrg, Scope::Org(&path))?;
    let input = OrgInput {
        kind: row.kind.clone(),
        ..input.clone()
    };
    let checked = check_input(&input)?;
    let before = described(&row.name, row.is_joint, row.is_temporary, row.term_years);
    let after = described(
        &checked.name,
        input.is_joint,
        input.is_temporary,
        checked.term_years,
    );
    let mut tx = app.begin().await?;
    orgs::update_org(
        tx.conn(),
        row.id,
        &checked.name,
        input.is_joint,
        input.is_temporary,
        checked.joint_units,
        checked.term_years,
    )
    .await?;
    let entry = Entry::new(
        AuditAction::OrgUpdated,
        AuditEntity::Org,
        row.id,
        format!("修改组织「{}」", checked.name),
    )
    .org(Some(OrgId(row.id)))
    .change(Some(before), Some(after));
    audit::record(&mut tx, Who::from(actor), ctx, entry).await?;
    let row = orgs::org_by_id(tx.conn(), row.id)
        .await?
        .ok_or(AppError::NotFound("组织"))?;
    tx.commit().await?;
    Ok(OrgView::from_row(&row))
}

/// An organization's editable fields as the audit log shows them, in the form's words.
fn described(name: &str, is_joint: bool, is_temporary: bool, term_years: Option<i64>) -> String {
    let term = term_years.map_or_else(|| "未设".to_string(), |years| format!("{years} 年"));
    format!(
        "名称={name}；联合党支部={}；临时党支部={}；任期={term}",
        yes_no(is_joint),
        yes_no(is_temporary)
    )
}

/// Moves a node and everything under it below another node.
pub async fn move_org(
    app: &App,
    actor: &Actor,
    id: OrgId,
    new_parent: OrgId,
    ctx: &RequestContext,
) -> AppResult<OrgView> {
    let (row, path) = load(app, id).await?;
    let (parent, parent_path) = load(app, new_parent).await?;
    actor.authorize(Action::ManageOrg, Scope::Org(&path))?;
    actor.authorize(Action::ManageOrg, Scope::Org(&parent_path))?;
    if path.contains(&parent_path) {
        return Err(AppError::invalid(
            "parent_id",
            "不能把组织移到它自己或它的下级组织之下",
        ));
    }
    let kind = OrgKind::from_code(&row.kind).unwrap_or(OrgKind::Branch);
    let parent_kind = OrgKind::from_code(&parent.kind);
    if !kind.may_be_child_of(parent_kind) {
        return Err(placement_error(kind, parent_kind));
    }
    let new_path = parent_path.child(OrgId(row.id));
    let old_parent = match row.parent_id {
        Some(old) => load(app, OrgId(old)).await.ok().map(|(p, _)| p.name),
        None => None,
    };
    let mut tx = app.begin().await?;
    orgs::move_subtree(
        tx.conn(),
        row.id,
        parent.id,
        &SubtreeRange::of(&path),
        new_path.as_str(),
    )
    .await?;
    let entry = Entry::new(
        AuditAction::OrgMoved,
        AuditEntity::Org,
        row.id,
        format!("将「{}」移至「{}」下", row.name, parent.name),
    )
    .org(Some(OrgId(row.id)))
    .change(
        Some(format!(
            "上级组织={}",
            old_parent.as_deref().unwrap_or("无（最上级）")
        )),
        Some(format!("上级组织={}", parent.name)),
    );
    audit::record(&mut tx, Who::from(actor), ctx, entry).await?;
    let moved = orgs::org_by_id(tx.conn(), row.id)
        .await?
        .ok_or(AppError::NotFound("组织"))?;
    tx.commit().await?;
    Ok(OrgView::from_row(&moved))
}

/// Dissolves (撤销) a node that no longer has members or active sub-organizations; it keeps its
/// history. Members must be transferred first, so nobody is left outside an organization.
pub async fn dissolve_org(
    app: &App,
    actor: &Actor,
    id: OrgId,
    ctx: &RequestContext,
) -> AppResult<()> {
    let (row, path) = load(app, id).await?;
    actor.authorize(Action::ManageOrg, Scope::Org(&path))?;
    if row.status == "dissolved" {
        return Err(AppError::Conflict("该组织已撤销".into()));
    }
    let subtree = tree(app, actor, Some(id)).await?;
    let members: i64 = subtree.first().map(TreeNode::members).unwrap_or(0);
    if members > 0 {
        return Err(AppError::Conflict(format!(
            "该组织及其下级还有 {members} 名党员，请先办理组织关系转接"
        )));
    }
    if subtree.iter().skip(1).any(|node| !node.org.dissolved) {
        return Err(AppError::Conflict("请先撤销该组织的下级组织".into()));
    }
    let mut tx = app.begin().await?;
    orgs::dissolve(tx.conn(), row.id, &app.today().to_string()).await?;
    let entry = Entry::new(
        AuditAction::OrgDissolved,
        AuditEntity::Org,
        row.id,
        format!("撤销组织「{}」", row.name),
    )
    .org(Some(OrgId(row.id)));
    audit::record(&mut tx, Who::from(actor), ctx, entry).await?;
    tx.commit().await?;
    Ok(())
}

/// Deletes a node created by mistake. Anything with history is refused: dissolve it instead.
pub async fn delete_org(
    app: &App,
    actor: &Actor,
    id: OrgId,
    ctx: &RequestContext,
) -> AppResult<()> {
    let (row, path) = load(app, id).await?;
    actor.authorize(Action::ManageOrg, Scope::Org(&path))?;
    let mut tx = app.begin().await?;
    if orgs::has_history(tx.conn(), row.id).await? {
        return Err(AppError::Conflict(
            "该组织已有下级组织、党员或操作记录，不能删除；如需停用请撤销".into(),
        ));
    }
    orgs::delete_org(tx.conn(), row.id).await?;
    let entry = Entry::new(
        AuditAction::OrgDeleted,
        AuditEntity::Org,
        row.id,
        format!("删除误建的组织「{}」", row.name),
    )
    .org(row.parent_id.map(OrgId));
    audit::record(&mut tx, Who::from(actor), ctx, entry).await?;
    tx.commit().await?;
    Ok(())
}

/// A node's path (for pages that check what the actor may do there).
pub async fn path_of(app: &App, id: OrgId) -> AppResult<OrgPath> {
    Ok(load(app, id).await?.1)
}

/// Every active branch and group that can hold members, across the installation: where a
/// transfer may go. Names of organizations are not personal data; the receiving side decides.
pub async fn transfer_targets(app: &App, actor: &Actor) -> AppResult<Vec<OrgView>> {
    actor.reach(Action::ManageMembers)?;
    let mut handle = app.store.acquire().await?;
    let rows = orgs::all_orgs(handle.conn()).await?;
    Ok(rows
        .iter()
        .map(OrgView::from_row)
        .filter(|o| {
            !o.dissolved && !o.is_temporary && matches!(o.kind, OrgKind::Branch | OrgKind::Group)
        })
        .collect())
}
