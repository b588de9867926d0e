//! Recording the branch assembly's decisions on a probation other than conversion: an extension
//! (once, 6 to 12 months) or a cancellation. Checked like a step; a cancellation ends the pipeline
//! and takes the person off the active roster (出党), history kept.

use dangjian_domain::ApplicantId;
use dangjian_domain::OrgId;
use dangjian_domain::development::window::probation_end;
use dangjian_domain::development::{Cancellation, DevelopmentFile, Extension, StepNo, check};
use dangjian_domain::member::{MemberCategory, MemberStatus};
use dangjian_store::development::{self as store, NewStep};

use super::input::{self, DecisionInput};
use super::steps::{Refusal, decide, open_file, reason_of};
use super::{ApplicantDetail, Loaded};
use crate::audit::{self, AuditAction, AuditEntity, Entry, Who};
use crate::{Actor, App, AppError, AppResult, RequestContext};

/// The decision's own violations: the checker reports them on step 23 with this prefix.
fn decision_messages(
    file: &DevelopmentFile,
    prefix: &str,
    today: jiff::civil::Date,
) -> Vec<String> {
    check(file, today)
        .into_iter()
        .filter_map(|v| v.message.strip_prefix(prefix).map(str::to_string))
        .collect()
}

/// Extends the probation (once, 6 to 12 months), as the branch assembly voted.
pub async fn record_extension(
    app: &App,
    actor: &Actor,
    id: ApplicantId,
    decision: &DecisionInput,
    ctx: &RequestContext,
) -> AppResult<ApplicantDetail> {
    let loaded = open_file(app, actor, id.0).await?;
    let file = &loaded.file;
    if !file.has(StepNo::of(15)) || file.has(StepNo::of(23)) {
        return Err(AppError::Conflict(
            "只有预备期中、尚未讨论转正的预备党员才能延长预备期".into(),
        ));
    }
    if file.probation.extension.is_some() {
        return Err(AppError::Conflict("预备期只能延长一次".into()));
    }
    let months = decision
        .months
        .ok_or_else(|| AppError::invalid("months", "请填写延长的月数（6 至 12）"))?;
    let extension = Extension {
        date: input::date("date", &decision.date)?,
        months,
        vote: decision.vote,
        reason: input::optional_text("reason", decision.reason.as_deref(), 500, "原因")?,
    };
    let mut with = file.clone();
    with.probation.extension = Some(extension.clone());
    let reason = reason_of(decision.deviation_reason.as_deref())?;
    let refusal = decide(
        "延长预备期".into(),
        decision_messages(&with, "延长预备期：", app.today()),
        reason.as_deref(),
    )?;
    let end = probation_end(&with)
        .map(|d| d.to_string())
        .unwrap_or_default();
    let details =
        serde_json::to_string(&extension).map_err(|e| AppError::Unexpected(e.to_string()))?;
    let summary = format!("{} 的预备期延长 {months} 个月，至 {end}", loaded.row.name);
    write_decision(
        app,
        actor,
        &loaded,
        "extension",
        extension.date,
        &details,
        refusal,
        summary,
        ctx,
    )
    .await?;
    super::applicant_detail(app, actor, id).await
}

/// Cancels the probationary membership (取消预备党员资格), as the branch assembly voted: the pipeline
/// ends and the person leaves the roster (status 出党), history kept.
pub async fn record_cancellation(
    app: &App,
    actor: &Actor,
    id: ApplicantId,
    decision: &DecisionInput,
    ctx: &RequestContext,
) -> AppResult<ApplicantDetail> {
    let loaded = open_file(app, actor, id.0).await?;
    if !loaded.file.has(StepNo::of(15)) || loaded.file.has(StepNo::of(24)) {
        return Err(AppError::Conflict(
            "只有尚未批准转正的预备党员才能取消预备党员资格".into(),
        ));
    }
    let cancellation = Cancellation {
        date: input::date("date", &decision.date)?,
        vote: decision.vote,
        reason: input::optional_text("reason", decision.reason.as_deref(), 500, "原因")?,
    };
    let mut with = loaded.file.clone();
    with.probation.cancellation = Some(cancellation.clone());
    let reason = reason_of(decision.deviation_reason.as_deref())?;
    let refusal = decide(
        "取消预备党员资格".into(),
        decision_messages(&with, "取消预备党员资格：", app.today()),
        reason.as_deref(),
    )?;
    let details =
        serde_json::to_string(&cancellation).map_err(|e| AppError::Unexpected(e.to_string()))?;
    let summary = format!(
        "取消 {} 的预备党员资格（{}）",
        loaded.row.name, cancellation.date
    );
    write_decision(
        app,
        actor,
        &loaded,
        "cancellation",
        cancellation.date,
        &details,
        refusal,
        summary,
        ctx,
    )
    .await?;
    super::applicant_detail(app, actor, id).await
}

#[allow(clippy::too_many_arguments)]
async fn write_decision(
    app: &App,
    actor: &Actor,
    loaded: &Loaded,
    kind: &str,
    date: jiff::civil::Date,
    details: &str,
    refusal: Option<Refusal>,
    summary: String,
    ctx: &RequestContext,
) -> AppResult<()> {
    let row = &loaded.row;
    let now = app.now_micros();
    let deviation = refusal.as_ref().map(Refusal::text);
    let mut tx = app.begin().await?;
    store::insert_decision(
        tx.conn(),
        kind,
        &NewStep {
            applicant_id: row.id,
            step: 23,
            occurred_on: &date.to_string(),
            details,
            deviation_reason: refusal.as_ref().map(|r| r.reason.as_str()),
            deviation: deviation.as_deref(),
            recorded_by: actor.account_id.0,
            now,
        },
    )
    .await
    .map_err(|e| match e {
        dangjian_store::StoreError::Duplicate(_) => {
            AppError::Conflict("该决定已记录，不能重复记录".into())
        }
        other => other.into(),
    })?;
    let action = if kind == "extension" {
        AuditAction::ProbationExtended
    } else {
        AuditAction::ProbationCancelled
    };
    let entry = Entry::new(action, AuditEntity::Applicant, row.id, summary.clone())
        .org(Some(OrgId(row.branch_id)));
    audit::record(&mut tx, Who::from(actor), ctx, entry).await?;
    if let Some(r) = &refusal {
        audit::record(
            &mut tx,
            Who::from(actor),
            ctx,
            r.entry(row.id, &row.name, row.branch_id),
        )
        .await?;
    }
    if let Some(member) = row.member_id {
        if kind == "cancellation" {
            let probationary = MemberCategory::Probationary.code();
            let left = MemberStatus::Left.code();
            store::set_member_standing(tx.conn(), member, probationary, None, left, now).await?;
        }
        let entry = Entry::new(action, AuditEntity::Member, member, summary)
            .org(Some(OrgId(row.branch_id)));
        audit::record(&mut tx, Who::from(actor), ctx, entry).await?;
    }
    if kind == "cancellation" {
        store::set_applicant_status(tx.conn(), row.id, "cancelled", None, now).await?;
    }
    tx.commit().await?;
    Ok(())
}
