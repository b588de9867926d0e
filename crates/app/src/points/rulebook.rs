//! Rulebooks: the items in force for a node on a day (inherited down the tree, overridden by lower
//! nodes) and new versions from an effective date.

use dangjian_domain::access::{Action, Scope};
use dangjian_domain::activity::Frequency;
use dangjian_domain::points::{
    Category, DEFAULT_BASE, Points, RuleItem, Trigger, resolve, version_date_allowed,
};
use dangjian_domain::{OrgId, OrgPath};
use dangjian_store::points::rules::{self, ItemRow, NewVersion};
use dangjian_store::{Conn, SubtreeRange};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::audit::{self, AuditAction, AuditEntity, Entry, Who};
use crate::{Actor, App, AppError, AppResult, RequestContext, orgs};

/// The rules in force somewhere on some day, with the version each item came from.
pub struct InForce {
    pub items: Vec<(RuleItem, Option<i64>)>,
    pub base: Points,
}

fn frequency_code(f: Frequency) -> &'static str {
    match f {
        Frequency::Monthly => "monthly",
        Frequency::Quarterly => "quarterly",
        Frequency::Yearly => "yearly",
    }
}

fn frequency_from(code: &str) -> Option<Frequency> {
    match code {
        "monthly" | "month" | "月" => Some(Frequency::Monthly),
        "quarterly" | "quarter" | "季度" => Some(Frequency::Quarterly),
        "yearly" | "year" | "年" => Some(Frequency::Yearly),
        _ => None,
    }
}

fn to_item(row: &ItemRow) -> Option<RuleItem> {
    Some(RuleItem {
        code: row.code.clone(),
        name: row.name.clone(),
        category: Category::from_code(&row.category)?,
        points: Points(row.points),
        min: Points(row.min_points),
        max: Points(row.max_points),
        cap: row.cap.map(Points),
        cap_period: frequency_from(&row.cap_period)?,
        trigger: Trigger::from_code(&row.trigger_on)?,
        enabled: row.enabled,
    })
}

fn to_row(item: &RuleItem) -> ItemRow {
    ItemRow {
        version_id: 0,
        code: item.code.clone(),
        name: item.name.clone(),
        category: item.category.code().into(),
        points: item.points.0,
        min_points: item.min.0,
        max_points: item.max.0,
        cap: item.cap.map(|c| c.0),
        cap_period: frequency_code(item.cap_period).into(),
        trigger_on: item.trigger.code().into(),
        enabled: item.enabled,
    }
}

/// The rules in force at a node on a day: each ancestor's version in force, nearest first.
pub(crate) async fn in_force(mut conn: Conn<'_>, path: &OrgPath, on: Date) -> AppResult<InForce> {
    let ids: Vec<i64> = path.ids().iter().map(|OrgId(id)| *id).collect();
    let versions = rules::versions_in_force(conn.reborrow(), &ids, &on.to_string()).await?;
    let rows = rules::items_of(conn, &versions.iter().map(|v| v.id).collect::<Vec<_>>()).await?;
    let mut layers = Vec::new();
    let mut version_of = Vec::new();
    let mut base = None;
    for id in ids.iter().rev() {
        let Some(v) = versions.iter().find(|v| v.org_id == *id) else {
            continue;
        };
        if base.is_none() {
            base = v.base_points.map(Points);
        }
        let layer: Vec<RuleItem> = rows
            .iter()
            .filter(|r| r.version_id == v.id)
            .filter_map(to_item)
            .collect();
        version_of.extend(layer.iter().map(|i| (i.code.clone(), v.id)));
        layers.push(layer);
    }
    let items = resolve(&layers)
        .into_iter()
        .map(|i| {
            let v = version_of
                .iter()
                .find(|(c, _)| *c == i.code)
                .map(|(_, v)| *v);
            (i, v)
        })
        .collect();
    Ok(InForce {
        items,
        base: base.unwrap_or(DEFAULT_BASE),
    })
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ItemView {
    pub code: String,
    pub name: String,
    pub category: String,
    pub category_label: &'static str,
    /// Tenths of a point (+0.5 is 5); `points_text` shows it.
    pub points: i64,
    pub points_text: String,
    pub range_text: String,
    pub cap: Option<i64>,
    pub cap_text: String,
    pub cap_period: String,
    pub trigger: String,
    pub trigger_label: &'static str,
    pub enabled: bool,
    /// Where the item is defined: 系统默认 or a version id.
    pub version_id: Option<i64>,
}

impl ItemView {
    fn of(item: &RuleItem, version_id: Option<i64>) -> ItemView {
        ItemView {
            code: item.code.clone(),
            name: item.name.clone(),
            category: item.category.code().into(),
            category_label: item.category.label(),
            points: item.points.0,
            points_text: item.points.signed(),
            range_text: if item.min == item.max {
                item.points.signed()
            } else {
                format!("{} 至 {}", item.min.signed(), item.max.signed())
            },
            cap: item.cap.map(|c| c.0),
            cap_text: item
                .cap
                .map(|c| format!("{}{} 分", item.cap_period.label(), c.plain()))
                .unwrap_or_else(|| "不限".into()),
            cap_period: frequency_code(item.cap_period).into(),
            trigger: item.trigger.code().into(),
            trigger_label: item.trigger.label(),
            enabled: item.enabled,
            version_id,
        }
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct VersionView {
    pub id: i64,
    pub effective_from: String,
    pub note: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RulebookView {
    pub org_id: i64,
    pub org_name: String,
    pub on: String,
    pub base_text: String,
    pub items: Vec<ItemView>,
    /// This node's own versions, newest first.
    pub versions: Vec<VersionView>,
    pub can_edit: bool,
}

/// The rules in force at a node on a day (today by default); anyone who may see the node.
pub async fn rulebook(
    app: &App,
    actor: &Actor,
    org_id: OrgId,
    on: Option<&str>,
) -> AppResult<RulebookView> {
    let (org, path) = orgs::load(app, org_id).await?;
    let may_view = actor.grant.permits(Action::ViewOrg, Scope::Org(&path))
        || actor.member_id.is_some()
            && actor
                .grant
                .org
                .as_ref()
                .is_some_and(|own| own.contains(&path) || path.contains(own));
    if !may_view {
        return Err(AppError::forbidden());
    }
    let on = match on.map(str::trim).filter(|s| !s.is_empty()) {
        Some(d) => d
            .parse()
            .map_err(|_| AppError::invalid("on", "日期格式应为 2026-01-01"))?,
        None => app.today(),
    };
    let mut handle = app.store.acquire().await?;
    let force = in_force(handle.conn(), &path, on).await?;
    let versions = rules::versions_of(handle.conn(), org_id.0).await?;
    Ok(RulebookView {
        org_id: org_id.0,
        org_name: org.name,
        on: on.to_string(),
        base_text: force.base.plain(),
        items: force
            .items
            .iter()
            .map(|(i, v)| ItemView::of(i, *v))
            .collect(),
        versions: versions
            .into_iter()
            .map(|v| VersionView {
                id: v.id,
                effective_from: v.effective_from,
                note: v.note,
            })
            .collect(),
        can_edit: actor.grant.permits(Action::ManagePoints, Scope::Org(&path)),
    })
}

/// One item as an editor submits it. Points are text (`2`, `-5`, `0.5`).
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct ItemInput {
    pub code: String,
    pub name: String,
    /// basic, study, activity, contribution, deduction (or 基础 …).
    pub category: String,
    pub points: String,
    #[serde(default)]
    pub min: Option<String>,
    #[serde(default)]
    pub max: Option<String>,
    /// Empty for no cap.
    #[serde(default)]
    pub cap: Option<String>,
    /// monthly, quarterly or yearly.
    #[serde(default)]
    pub cap_period: Option<String>,
    /// An event kind (attended, dues_paid_on_time, …) or manual.
    pub trigger: String,
    #[serde(default = "yes")]
    pub enabled: bool,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct VersionInput {
    /// ISO date the version takes effect.
    pub effective_from: String,
    /// The yearly base score, when this node sets its own.
    #[serde(default)]
    pub base: Option<String>,
    #[serde(default)]
    pub note: String,
    /// Items this version defines or changes; the node's other items carry over.
    pub items: Vec<ItemInput>,
}

fn parse_points(field: &'static str, text: &str) -> AppResult<Points> {
    Points::parse(text).map_err(|m| AppError::invalid(field, m))
}

fn parse_item(input: &ItemInput) -> AppResult<RuleItem> {
    let points = parse_points("points", &input.points)?;
    let opt = |t: &Option<String>| {
        t.as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_string)
    };
    let min = opt(&input.min)
        .map(|t| parse_points("min", &t))
        .transpose()?
        .unwrap_or(points);
    let max = opt(&input.max)
        .map(|t| parse_points("max", &t))
        .transpose()?
        .unwrap_or(points);
    let cap = opt(&input.cap)
        .map(|t| parse_points("cap", &t))
        .transpose()?;
    let item = RuleItem {
        code: input.code.trim().to_uppercase(),
        name: input.name.trim().to_string(),
        category: Category::from_code(input.category.trim())
            .ok_or_else(|| AppError::invalid("category", "类别须为基础、学习、活动、贡献或扣分"))?,
        points,
        min,
        max,
        cap,
        cap_period: frequency_from(opt(&input.cap_period).as_deref().unwrap_or("yearly"))
            .ok_or_else(|| AppError::invalid("cap_period", "上限周期须为月、季度或年"))?,
        trigger: Trigger::from_code(input.trigger.trim())
            .ok_or_else(|| AppError::invalid("trigger", "触发方式须为系统事件或申报审批"))?,
        enabled: input.enabled,
    };
    item.check().map_err(|m| AppError::invalid("items", m))?;
    Ok(item)
}

/// A node's administrator adds a version of its rules from a date. Refused when the date is on or
/// before a day already scored in the subtree, or not after the node's latest version.
pub async fn new_version(
    app: &App,
    actor: &Actor,
    ctx: &RequestContext,
    org_id: OrgId,
    input: &VersionInput,
) -> AppResult<VersionView> {
    let (org, path) = orgs::load(app, org_id).await?;
    actor.authorize(Action::ManagePoints, Scope::Org(&path))?;
    let effective_from: Date = input
        .effective_from
        .trim()
        .parse()
        .map_err(|_| AppError::invalid("effective_from", "生效日期格式应为 2026-01-01"))?;
    if input.items.is_empty() && input.base.is_none() {
        return Err(AppError::invalid("items", "请至少修改一条规则或基础分"));
    }
    let mut changed = Vec::new();
    for i in &input.items {
        let item = parse_item(i)?;
        if changed.iter().any(|c: &RuleItem| c.code == item.code) {
            return Err(AppError::invalid(
                "items",
                format!("规则编号 {} 重复", item.code),
            ));
        }
        changed.push(item);
    }
    let base = input
        .base
        .as_deref()
        .map(str::trim)
        .filter(|b| !b.is_empty())
        .map(|b| parse_points("base", b))
        .transpose()?;
    let mut tx = app.begin().await?;
    let versions = rules::versions_of(tx.conn(), org_id.0).await?;
    let latest = versions.first();
    let last_awarded = rules::last_awarded_on(tx.conn(), &SubtreeRange::of(&path)).await?;
    version_date_allowed(
        effective_from,
        last_awarded.as_deref().and_then(|d| d.parse().ok()),
        latest.and_then(|v| v.effective_from.parse().ok()),
    )
    .map_err(|m| AppError::invalid("effective_from", m))?;
    // The node's own items carry over; the submitted ones replace or add.
    let mut items: Vec<RuleItem> = match latest {
        Some(v) => rules::items_of(tx.conn(), &[v.id])
            .await?
            .iter()
            .filter_map(to_item)
            .collect(),
        None => Vec::new(),
    };
    for item in &changed {
        items.retain(|i| i.code != item.code);
        items.push(item.clone());
    }
    let rows: Vec<ItemRow> = items.iter().map(to_row).collect();
    let note = input.note.trim();
    let id = rules::insert_version(
        tx.conn(),
        &NewVersion {
            org_id: org_id.0,
            effective_from: &effective_from.to_string(),
            base_points: base.map(|b| b.0).or(latest.and_then(|v| v.base_points)),
            note,
            created_by: actor.account_id.0,
            created_at: app.now_micros(),
        },
        &rows,
    )
    .await?;
    let summary = format!(
        "「{}」积分规则新版本自 {effective_from} 起生效：{}",
        org.name,
        changed
            .iter()
            .map(|i| format!("{} {} {}", i.code, i.name, i.points.signed()))
            .collect::<Vec<_>>()
            .join("；")
    );
    let entry = Entry::new(
        AuditAction::PointsRulesVersioned,
        AuditEntity::PointsRuleVersion,
        id,
        summary,
    )
    .org(Some(org_id));
    audit::record(&mut tx, Who::from(actor), ctx, entry).await?;
    tx.commit().await?;
    Ok(VersionView {
        id,
        effective_from: effective_from.to_string(),
        note: note.to_string(),
    })
}
