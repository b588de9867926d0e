//! The member roster: add, edit, list with filters and search, profile, and the audited reveal
//! of an ID number. ID numbers are masked everywhere but the reveal; phones are shown whole only
//! to roles that may see personal data.

mod choices;
mod profile;
pub mod record;

use dangjian_domain::MemberId;
use dangjian_domain::access::{Action, Scope};
use dangjian_domain::id_number::IdNumber;
use dangjian_domain::member::{AgeBand, MemberCategory, MemberStatus, age_on};
use dangjian_domain::person::Gender;
use dangjian_domain::{OrgId, OrgKind, OrgPath, Phone};
use dangjian_store::members::{self, MemberFields, MemberFilter, MemberRow};
use dangjian_store::{StoreError, SubtreeRange};
use serde::Serialize;

use crate::audit::{self, AuditAction, AuditEntity, Entry, Who};
use crate::{Actor, App, AppError, AppResult, Page, PageParams, RequestContext, orgs};
pub use choices::{CHOICES_AT_ONCE, MemberChoice, MemberChoices, choice, choices};
pub use profile::{MemberProfile, ensure_may_add, may_manage_any, profile};
pub use record::{COLUMNS, MemberInput, PersonInput};

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MemberView {
    pub id: i64,
    pub name: String,
    pub gender: String,
    pub ethnicity: String,
    #[schema(format = Date)]
    pub birth_date: String,
    pub age: i16,
    /// Masked (`110***********1234`) except through the audited reveal.
    pub id_number: String,
    /// Masked unless the caller may see personal data.
    pub phone: String,
    pub education: String,
    pub job_title: String,
    pub work_unit: String,
    /// full or probationary.
    pub category: String,
    pub category_label: &'static str,
    #[schema(format = Date)]
    pub joined_on: Option<String>,
    #[schema(format = Date)]
    pub full_member_on: Option<String>,
    pub status: String,
    pub status_label: &'static str,
    pub is_mobile: bool,
    pub is_leading_cadre: bool,
    pub is_retired: bool,
    pub in_hardship: bool,
    pub branch_id: i64,
    pub branch_name: String,
    pub group_id: Option<i64>,
    pub group_name: Option<String>,
}

impl MemberView {
    fn from_row(row: &MemberRow, reveal_phone: bool, today: jiff::civil::Date) -> MemberView {
        let category = MemberCategory::from_code(&row.category).unwrap_or(MemberCategory::Full);
        let status = MemberStatus::from_code(&row.status).unwrap_or(MemberStatus::Normal);
        let birth = record::parse_date(&row.birth_date);
        let phone = match Phone::parse(&row.phone) {
            Ok(phone) if !reveal_phone => phone.masked(),
            _ => row.phone.clone(),
        };
        MemberView {
            id: row.id,
            name: row.name.clone(),
            gender: Gender::from_code(&row.gender)
                .map(|g| g.label().to_string())
                .unwrap_or_default(),
            ethnicity: row.ethnicity.clone(),
            birth_date: row.birth_date.clone(),
            age: birth.map(|b| age_on(b, today)).unwrap_or(0),
            id_number: IdNumber::parse(&row.id_number)
                .map(|id| id.masked())
                .unwrap_or_default(),
            phone,
            education: row.education.clone(),
            job_title: row.job_title.clone(),
            work_unit: row.work_unit.clone(),
            category: row.category.clone(),
            category_label: category.label(),
            joined_on: row.joined_on.clone(),
            full_member_on: row.full_member_on.clone(),
            status: row.status.clone(),
            status_label: status.label(),
            is_mobile: row.is_mobile,
            is_leading_cadre: row.is_leading_cadre,
            is_retired: row.is_retired,
            in_hardship: row.in_hardship,
            branch_id: row.branch_id,
            branch_name: row.branch_name.clone(),
            group_id: row.group_id,
            group_name: row.group_name.clone(),
        }
    }

    /// `流动党员、领导干部`: the flags that apply, for lists.
    pub fn flags(&self) -> String {
        [
            (self.is_mobile, "流动党员"),
            (self.is_leading_cadre, "领导干部"),
            (self.is_retired, "离退休"),
            (self.in_hardship, "困难党员"),
        ]
        .iter()
        .filter(|(on, _)| *on)
        .map(|(_, label)| *label)
        .collect::<Vec<_>>()
        .join("、")
    }
}

/// Where a member is placed: a branch, or a group with its branch.
pub(crate) struct Placement {
    pub branch_id: i64,
    pub group_id: Option<i64>,
    pub path: OrgPath,
}

pub(crate) async fn placement(app: &App, org_id: OrgId) -> AppResult<Placement> {
    let (row, path) = orgs::load(app, org_id).await.map_err(|e| match e {
        AppError::NotFound(_) => AppError::invalid("org_id", "所选组织不存在"),
        other => other,
    })?;
    if row.status == "dissolved" {
        return Err(AppError::invalid("org_id", "该组织已撤销"));
    }
    match OrgKind::from_code(&row.kind) {
        Some(OrgKind::Branch) if row.is_temporary => Err(AppError::invalid(
            "org_id",
            "临时党支部不接收党员组织关系，请选择党员所在的正式党支部",
        )),
        Some(OrgKind::Branch) => Ok(Placement {
            branch_id: row.id,
            group_id: None,
            path,
        }),
        Some(OrgKind::Group) => {
            let branch_id = row.parent_id.ok_or(AppError::NotFound("党支部"))?;
            Ok(Placement {
                branch_id,
                group_id: Some(row.id),
                path,
            })
        }
        _ => Err(AppError::invalid("org_id", "党员只能编入党支部或党小组")),
    }
}

fn duplicate_id(error: StoreError) -> AppError {
    match error {
        StoreError::Duplicate(_) => AppError::Conflict("该身份证号已在花名册中".into()),
        other => other.into(),
    }
}

async fn check_unique_id(app: &App, id_number: &str, except: Option<i64>) -> AppResult<()> {
    let mut handle = app.store.acquire().await?;
    match members::member_id_by_id_number(handle.conn(), id_number).await? {
        Some(existing) if Some(existing) != except => {
            Err(AppError::InvalidFields(vec![crate::FieldError {
                field: "id_number",
                label: "身份证号",
                value: IdNumber::parse(id_number)
                    .map(|id| id.masked())
                    .unwrap_or_default(),
                message: "该身份证号已在花名册中，同一人不能登记两次".into(),
            }]))
        }
        _ => Ok(()),
    }
}

pub async fn create_member(
    app: &App,
    actor: &Actor,
    org_id: OrgId,
    input: &MemberInput,
    ctx: &RequestContext,
) -> AppResult<MemberView> {
    let place = placement(app, org_id).await?;
    actor.authorize(Action::ManageMembers, Scope::Org(&place.path))?;
    let checked = record::check(input, app.today()).map_err(AppError::InvalidFields)?;
    let fields = MemberFields {
        branch_id: place.branch_id,
        group_id: place.group_id,
        ..checked.fields
    };
    check_unique_id(app, &fields.id_number, None).await?;
    let mut tx = app.begin().await?;
    let id = members::insert_member(tx.conn(), &fields, app.now_micros())
        .await
        .map_err(duplicate_id)?;
    let masked = IdNumber::parse(&fields.id_number)
        .map(|i| i.masked())
        .unwrap_or_default();
    let entry = Entry::new(
        AuditAction::MemberCreated,
        AuditEntity::Member,
        id,
        format!("登记党员 {}（{masked}）", fields.name),
    )
    .org(Some(OrgId(place.branch_id)));
    audit::record(&mut tx, Who::from(actor), ctx, entry).await?;
    let row = members::member_by_id(tx.conn(), id)
        .await?
        .ok_or(AppError::NotFound("党员"))?;
    tx.commit().await?;
    Ok(MemberView::from_row(&row, true, app.today()))
}

/// Loads a member the actor may take `action` on.
pub(crate) async fn member_for(
    app: &App,
    actor: &Actor,
    id: i64,
    action: Action,
) -> AppResult<(MemberRow, OrgPath)> {
    let mut handle = app.store.acquire().await?;
    let row = members::member_by_id(handle.conn(), id)
        .await?
        .ok_or(AppError::NotFound("党员"))?;
    drop(handle);
    let holder = OrgId(row.group_id.unwrap_or(row.branch_id));
    let (_, path) = orgs::load(app, holder).await?;
    actor.authorize(action, Scope::Org(&path))?;
    Ok((row, path))
}

/// Edits a member's record. Moving between groups of the same branch is an edit; moving to
/// another branch is a transfer (组织关系转接), not an edit.
pub async fn update_member(
    app: &App,
    actor: &Actor,
    id: MemberId,
    org_id: Option<OrgId>,
    input: &MemberInput,
    ctx: &RequestContext,
) -> AppResult<MemberView> {
    // Authorize first: a form without its organization is refused only to those who may edit.
    let (row, _) = member_for(app, actor, id.0, Action::ManageMembers).await?;
    let org_id = org_id.ok_or_else(|| AppError::invalid("org_id", "请选择所在党支部或党小组"))?;
    let place = placement(app, org_id).await?;
    if place.branch_id != row.branch_id {
        return Err(AppError::invalid(
            "org_id",
            "调往其他党支部须办理组织关系转接，不能直接修改",
        ));
    }
    actor.authorize(Action::ManageMembers, Scope::Org(&place.path))?;
    let checked = record::check(input, app.today()).map_err(AppError::InvalidFields)?;
    let fields = MemberFields {
        branch_id: place.branch_id,
        group_id: place.group_id,
        ..checked.fields
    };
    check_unique_id(app, &fields.id_number, Some(id.0)).await?;
    let mut tx = app.begin().await?;
    members::update_member(tx.conn(), id.0, &fields, app.now_micros())
        .await
        .map_err(duplicate_id)?;
    // Read back so the record names the group the member is now in, not its id.
    let updated = members::member_by_id(tx.conn(), id.0)
        .await?
        .ok_or(AppError::NotFound("党员"))?;
    let entry = Entry::new(
        AuditAction::MemberUpdated,
        AuditEntity::Member,
        id,
        format!("修改党员 {} 的信息", fields.name),
    )
    .org(Some(OrgId(row.branch_id)))
    .change(Some(described(&row)), Some(described(&updated)));
    audit::record(&mut tx, Who::from(actor), ctx, entry).await?;
    crate::accounts::roster::follow_member(&mut tx, actor, ctx, id.0).await?;
    tx.commit().await?;
    Ok(MemberView::from_row(&updated, true, app.today()))
}

/// The fields of a record the audit log compares before and after an edit, in the roster's words.
fn described(row: &MemberRow) -> String {
    let category = MemberCategory::from_code(&row.category).map_or("未知", MemberCategory::label);
    let status = MemberStatus::from_code(&row.status).map_or("未知", MemberStatus::label);
    format!(
        "姓名={}；类别={category}；状态={status}；党小组={}",
        row.name,
        row.group_name.as_deref().unwrap_or("未编入党小组")
    )
}

pub async fn get_member(app: &App, actor: &Actor, id: MemberId) -> AppResult<MemberView> {
    let (row, path) = member_for(app, actor, id.0, Action::ViewMembers).await?;
    let reveal_phone = actor
        .grant
        .permits(Action::ViewPersonalData, Scope::Org(&path));
    Ok(MemberView::from_row(&row, reveal_phone, app.today()))
}

/// The full ID number, for a role that may see it; every reveal is audited.
pub async fn reveal_id_number(
    app: &App,
    actor: &Actor,
    id: MemberId,
    ctx: &RequestContext,
) -> AppResult<String> {
    let (row, _) = member_for(app, actor, id.0, Action::ViewPersonalData).await?;
    let mut tx = app.begin().await?;
    let entry = Entry::new(
        AuditAction::IdNumberViewed,
        AuditEntity::Member,
        id,
        format!("查看了 {} 的完整身份证号", row.name),
    )
    .org(Some(OrgId(row.branch_id)));
    audit::record(&mut tx, Who::from(actor), ctx, entry).await?;
    tx.commit().await?;
    Ok(row.id_number)
}

/// The roster's filters as a page or API call gives them.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MemberQuery {
    /// Only this node's subtree (a group: only the group).
    pub org_id: Option<i64>,
    /// full or probationary.
    pub category: Option<String>,
    /// normal, lost, suspended, left, deceased, transferred_out.
    pub status: Option<String>,
    /// mobile, leading_cadre, retired or hardship.
    pub flag: Option<String>,
    /// up_to_30, 31_40, 41_50, 51_60, 61_up.
    pub age_band: Option<String>,
    pub join_year: Option<i32>,
    /// Name, pinyin initials (张三: zs) or phone.
    pub q: Option<String>,
    /// Only members in no group.
    #[serde(default)]
    pub without_group: bool,
}

pub async fn list_members(
    app: &App,
    actor: &Actor,
    query: &MemberQuery,
    page: PageParams,
) -> AppResult<Page<MemberView>> {
    let mut filter = MemberFilter {
        scope: actor.reach(Action::ViewMembers)?,
        ..MemberFilter::default()
    };
    if let Some(org_id) = query.org_id {
        let (row, path) = orgs::load(app, OrgId(org_id)).await?;
        actor.authorize(Action::ViewMembers, Scope::Org(&path))?;
        if row.kind == OrgKind::Group.code() {
            filter.group_id = Some(row.id);
        } else {
            filter.scope = Some(SubtreeRange::of(&path));
        }
    }
    let non_empty = |s: &Option<String>| {
        s.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    filter.category = non_empty(&query.category);
    filter.status = non_empty(&query.status);
    match non_empty(&query.flag).as_deref() {
        Some("mobile") => filter.is_mobile = Some(true),
        Some("leading_cadre") => filter.is_leading_cadre = Some(true),
        Some("retired") => filter.is_retired = Some(true),
        Some("hardship") => filter.in_hardship = Some(true),
        Some(other) => return Err(AppError::invalid("flag", format!("未知的标记「{other}」"))),
        None => {}
    }
    if let Some(band) = non_empty(&query.age_band) {
        let band = AgeBand::from_code(&band)
            .ok_or_else(|| AppError::invalid("age_band", "未知的年龄段"))?;
        let range = band.birth_dates(app.today());
        filter.born_from = range
            .after
            .and_then(|d| d.tomorrow().ok())
            .map(|d| d.to_string());
        filter.born_to = range.on_or_before.map(|d| d.to_string());
    }
    if let Some(year) = query.join_year {
        if !(1921..=9999).contains(&year) {
            return Err(AppError::invalid("join_year", "入党年份应在 1921 年以后"));
        }
        filter.joined_from = Some(format!("{year:04}-01-01"));
        filter.joined_to = Some(format!("{year:04}-12-31"));
    }
    filter.search =
        non_empty(&query.q).map(|q| dangjian_store::contains_pattern(&q.to_lowercase()));
    filter.without_group = query.without_group;
    let reveal_phones = actor.grant.may_ever(Action::ViewPersonalData);
    let mut handle = app.store.acquire().await?;
    let (rows, total) = members::members(handle.conn(), &filter, page.request()).await?;
    Ok(page.wrap(
        rows.iter()
            .map(|r| MemberView::from_row(r, reveal_phones, app.today()))
            .collect(),
        total,
    ))
}

/// A member's history, oldest first: joining, conversion, and every recorded change.
pub async fn timeline(app: &App, actor: &Actor, id: MemberId) -> AppResult<Vec<(String, String)>> {
    let (row, _) = member_for(app, actor, id.0, Action::ViewMembers).await?;
    let mut items = Vec::new();
    if let Some(joined) = &row.joined_on {
        items.push((joined.clone(), "入党（成为预备党员，政治生日）".to_string()));
    }
    if let Some(full) = &row.full_member_on {
        items.push((full.clone(), "转为正式党员".to_string()));
    }
    let filter = dangjian_store::audit::AuditFilter {
        entity_type: Some(AuditEntity::Member.code().into()),
        entity_id: Some(id.to_string()),
        ..Default::default()
    };
    let mut handle = app.store.acquire().await?;
    let page = dangjian_store::PageRequest {
        offset: 0,
        limit: 200,
    };
    let (entries, _) = dangjian_store::audit::entries(handle.conn(), &filter, page).await?;
    for entry in entries
        .iter()
        .rev()
        .filter(|e| e.action != AuditAction::IdNumberViewed.code())
    {
        let at =
            dangjian_domain::time::display_minute(dangjian_domain::time::from_micros(entry.at));
        items.push((at, format!("{}（{}）", entry.summary, entry.actor_name)));
    }
    items.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(items)
}

pub mod export;
pub mod import;
