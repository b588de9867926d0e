//! The record of a meeting: minutes, resolutions, votes; archiving; amendments after archiving.

use dangjian_domain::ActivityId;
use dangjian_domain::activity::{Attendance, Operation};
use dangjian_domain::member::MemberCategory;
use dangjian_domain::vote::{VoteCount, VotePurpose};
use dangjian_store::activities::{self, NewAmendment, NewVote};
use serde::Deserialize;

use super::attendance::attendees;
use super::{commit, load_in};
use crate::audit::AuditAction;
use crate::{Actor, App, AppError, AppResult, RequestContext};

const MAX_TEXT: usize = 20_000;

pub async fn record_minutes(
    app: &App,
    actor: &Actor,
    ctx: &RequestContext,
    id: ActivityId,
    minutes: &str,
    resolutions: &str,
) -> AppResult<()> {
    let (minutes, resolutions) = (minutes.trim(), resolutions.trim());
    if minutes.is_empty() {
        return Err(AppError::invalid("minutes", "请填写会议记录内容"));
    }
    if minutes.chars().count() > MAX_TEXT || resolutions.chars().count() > MAX_TEXT {
        return Err(AppError::invalid("minutes", "会议记录过长（2 万字以内）"));
    }
    let mut tx = app.begin().await?;
    let loaded = load_in(&mut tx, id.0).await?;
    loaded.authorize_manage(actor)?;
    let next = loaded.allows(Operation::RecordMinutes)?;
    activities::set_minutes(
        tx.conn(),
        id.0,
        minutes,
        resolutions,
        actor.account_id.0,
        app.now_micros(),
    )
    .await?;
    activities::set_status(tx.conn(), id.0, next.code(), None, app.now_micros()).await?;
    commit(
        tx,
        actor,
        ctx,
        &loaded,
        AuditAction::ActivityMinutesRecorded,
        format!("记录会议记录「{}」", loaded.row.topic),
    )
    .await
}

/// A vote as counted at a branch assembly.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct VoteInput {
    pub motion: String,
    /// resolution (一般决议) or admission (接收预备党员、预备党员转正).
    pub purpose: String,
    /// 应到会有表决权的人数.
    pub expected_voters: u32,
    /// 实到会有表决权的人数.
    pub present_voters: u32,
    pub in_favour: u32,
    pub against: u32,
    pub abstaining: u32,
}

/// Records a vote and whether it stands (the vote rule is in `dangjian_domain::vote`). A count
/// that cannot have happened is refused; a count that does not carry is recorded with the reason.
pub async fn record_vote(
    app: &App,
    actor: &Actor,
    ctx: &RequestContext,
    id: ActivityId,
    input: &VoteInput,
) -> AppResult<String> {
    let motion = &AppError::check_name("motion", "表决事项", &input.motion, 500)?;
    let purpose = VotePurpose::from_code(input.purpose.trim())
        .ok_or_else(|| AppError::invalid("purpose", "请选择表决类型"))?;
    let count = VoteCount {
        purpose,
        expected_voters: input.expected_voters,
        present_voters: input.present_voters,
        in_favour: input.in_favour,
        against: input.against,
        abstaining: input.abstaining,
    };
    let outcome = count
        .decide()
        .map_err(|e| AppError::invalid("in_favour", e.to_string()))?;
    let mut tx = app.begin().await?;
    let loaded = load_in(&mut tx, id.0).await?;
    loaded.authorize_manage(actor)?;
    if !loaded.kind.may_vote() {
        return Err(AppError::Conflict("只有支部党员大会可以记录表决".into()));
    }
    let next = loaded.allows(Operation::RecordVote)?;
    // Voters are full members (probationary members have no vote); the count cannot name more
    // voters than the attendance shows.
    let attendees = attendees(tx.conn(), id.0).await?;
    let full = MemberCategory::Full.code();
    let voters_present = attendees
        .iter()
        .filter(|a| a.status == Attendance::Present && a.row.category == full)
        .count();
    let voters_listed = attendees.iter().filter(|a| a.row.category == full).count();
    if input.present_voters as usize > voters_present {
        return Err(AppError::invalid(
            "present_voters",
            format!(
                "实到会有表决权的人数（{}）超过签到出席的正式党员人数（{voters_present}）",
                input.present_voters
            ),
        ));
    }
    if input.expected_voters as usize > voters_listed {
        return Err(AppError::invalid(
            "expected_voters",
            format!(
                "应到会有表决权的人数（{}）超过应到人员中的正式党员人数（{voters_listed}）",
                input.expected_voters
            ),
        ));
    }
    let explanation = outcome.explain(&count);
    activities::insert_vote(
        tx.conn(),
        &NewVote {
            activity_id: id.0,
            motion,
            purpose: purpose.code(),
            expected_voters: i64::from(input.expected_voters),
            present_voters: i64::from(input.present_voters),
            in_favour: i64::from(input.in_favour),
            against: i64::from(input.against),
            abstaining: i64::from(input.abstaining),
            carried: outcome.carried(),
            explanation: &explanation,
            recorded_by: actor.account_id.0,
            now: app.now_micros(),
        },
    )
    .await?;
    activities::set_status(tx.conn(), id.0, next.code(), None, app.now_micros()).await?;
    commit(
        tx,
        actor,
        ctx,
        &loaded,
        AuditAction::ActivityVoteRecorded,
        format!("表决「{motion}」：{explanation}"),
    )
    .await?;
    Ok(explanation)
}

pub async fn archive(
    app: &App,
    actor: &Actor,
    ctx: &RequestContext,
    id: ActivityId,
) -> AppResult<()> {
    let mut tx = app.begin().await?;
    let loaded = load_in(&mut tx, id.0).await?;
    loaded.authorize_manage(actor)?;
    let next = loaded.allows(Operation::Archive)?;
    activities::set_status(tx.conn(), id.0, next.code(), None, app.now_micros()).await?;
    commit(
        tx,
        actor,
        ctx,
        &loaded,
        AuditAction::ActivityArchived,
        format!("归档「{}」", loaded.row.topic),
    )
    .await
}

/// Corrects the minutes or resolutions of an archived record; the old text, the new text, who
/// and why stay visible on the record.
pub async fn amend(
    app: &App,
    actor: &Actor,
    ctx: &RequestContext,
    id: ActivityId,
    field: &str,
    text: &str,
    reason: &str,
) -> AppResult<()> {
    let (text, reason) = (text.trim(), reason.trim());
    if reason.is_empty() || reason.chars().count() > 500 {
        return Err(AppError::invalid("reason", "请填写更正原因（500 字以内）"));
    }
    if text.is_empty() || text.chars().count() > MAX_TEXT {
        return Err(AppError::invalid(
            "text",
            "请填写更正后的内容（2 万字以内）",
        ));
    }
    let mut tx = app.begin().await?;
    let loaded = load_in(&mut tx, id.0).await?;
    loaded.authorize_manage(actor)?;
    loaded.allows(Operation::Amend)?;
    let (label, before, minutes, resolutions) = match field {
        "minutes" => (
            "会议记录",
            loaded.row.minutes.as_str(),
            text,
            loaded.row.resolutions.as_str(),
        ),
        "resolutions" => (
            "决议",
            loaded.row.resolutions.as_str(),
            loaded.row.minutes.as_str(),
            text,
        ),
        _ => return Err(AppError::invalid("field", "只能更正会议记录或决议")),
    };
    if before == text {
        return Err(AppError::invalid("text", "更正后的内容与原内容相同"));
    }
    activities::insert_amendment(
        tx.conn(),
        &NewAmendment {
            activity_id: id.0,
            account_id: actor.account_id.0,
            author: &actor.name,
            reason,
            field: label,
            before_text: before,
            after_text: text,
            now: app.now_micros(),
        },
    )
    .await?;
    activities::set_minutes(
        tx.conn(),
        id.0,
        minutes,
        resolutions,
        actor.account_id.0,
        app.now_micros(),
    )
    .await?;
    commit(
        tx,
        actor,
        ctx,
        &loaded,
        AuditAction::ActivityAmended,
        format!("更正{label}：{reason}"),
    )
    .await
}
