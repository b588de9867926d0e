//! What is done to an activity from its page: lifecycle steps, attendance, leave, make-up
//! study, minutes, amendments and votes. Each answers by going back to the activity.

use axum::extract::State;
use axum::response::Response;
use dangjian_app::AppError;
use dangjian_app::activities::{self, VoteInput};
use dangjian_domain::ActivityId;
use dangjian_domain::MemberId;
use serde::Deserialize;

use super::back;
use crate::AppState;
use crate::error::HttpError;
use crate::extract::{IdPath, PageForm};
use crate::pages::Csrf;
use crate::pages::notice::Notice;
use crate::session::{Ctx, CurrentActor};

#[derive(Deserialize, Default)]
pub struct ActionForm {
    #[serde(default)]
    action: String,
    #[serde(default)]
    note: String,
}

pub async fn act(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    Csrf(csrf): Csrf,
    IdPath(id): IdPath,
    PageForm(form): PageForm<ActionForm>,
) -> Result<Response, HttpError> {
    let app = &state.app;
    let result = match form.action.as_str() {
        "submit" => activities::submit(app, &actor, &ctx, ActivityId(id))
            .await
            .map(|_| Notice::PlanSubmitted),
        "approve" => activities::approve(app, &actor, &ctx, ActivityId(id), &form.note)
            .await
            .map(|_| Notice::PlanApproved),
        "return" => activities::return_plan(app, &actor, &ctx, ActivityId(id), &form.note)
            .await
            .map(|_| Notice::PlanReturned),
        "publish" => activities::publish(app, &actor, &ctx, ActivityId(id))
            .await
            .map(|_| Notice::Published),
        "cancel" => activities::cancel(app, &actor, &ctx, ActivityId(id))
            .await
            .map(|_| Notice::ActivityCancelled),
        "open_check_in" => activities::set_check_in(app, &actor, &ctx, ActivityId(id), true)
            .await
            .map(|_| Notice::CheckInOpened),
        "close_check_in" => activities::set_check_in(app, &actor, &ctx, ActivityId(id), false)
            .await
            .map(|_| Notice::CheckInClosed),
        "finish" => activities::finish(app, &actor, &ctx, ActivityId(id))
            .await
            .map(|_| Notice::Held),
        "archive" => activities::archive(app, &actor, &ctx, ActivityId(id))
            .await
            .map(|_| Notice::Archived),
        _ => Err(AppError::invalid("action", "未知的操作")),
    };
    back(&state, &actor, csrf, id, result).await
}

#[derive(Deserialize, Default)]
pub struct MarkForm {
    #[serde(default)]
    member_id: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    invited_as: String,
    #[serde(default)]
    approve: String,
}

fn member_param(raw: &str) -> Result<i64, AppError> {
    raw.trim()
        .parse()
        .map_err(|_| AppError::invalid("member_id", "请选择党员"))
}

pub async fn mark(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    Csrf(csrf): Csrf,
    IdPath(id): IdPath,
    PageForm(form): PageForm<MarkForm>,
) -> Result<Response, HttpError> {
    let input = member_param(&form.member_id)
        .and_then(|member| Ok((member, activities::markable_attendance(&form.status)?)));
    let result = match input {
        Ok((member, status)) => activities::mark(
            &state.app,
            &actor,
            &ctx,
            ActivityId(id),
            MemberId(member),
            status,
        )
        .await
        .map(|_| Notice::AttendanceMarked),
        Err(e) => Err(e),
    };
    back(&state, &actor, csrf, id, result).await
}

pub async fn invite(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    Csrf(csrf): Csrf,
    IdPath(id): IdPath,
    PageForm(form): PageForm<MarkForm>,
) -> Result<Response, HttpError> {
    let result = match member_param(&form.member_id) {
        Ok(member) => activities::invite(
            &state.app,
            &actor,
            &ctx,
            ActivityId(id),
            MemberId(member),
            &form.invited_as,
        )
        .await
        .map(|_| Notice::AttendeeInvited),
        Err(e) => Err(e),
    };
    back(&state, &actor, csrf, id, result).await
}

pub async fn decide_leave(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    Csrf(csrf): Csrf,
    IdPath(id): IdPath,
    PageForm(form): PageForm<MarkForm>,
) -> Result<Response, HttpError> {
    let approve = form.approve == "yes";
    let result = match member_param(&form.member_id) {
        Ok(member) => activities::decide_leave(
            &state.app,
            &actor,
            &ctx,
            ActivityId(id),
            MemberId(member),
            approve,
        )
        .await
        .map(|_| {
            if approve {
                Notice::LeaveApproved
            } else {
                Notice::LeaveRefused
            }
        }),
        Err(e) => Err(e),
    };
    back(&state, &actor, csrf, id, result).await
}

#[derive(Deserialize, Default)]
pub struct TextForm {
    #[serde(default)]
    reason: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    minutes: String,
    #[serde(default)]
    resolutions: String,
    #[serde(default)]
    field: String,
    #[serde(default)]
    text: String,
}

pub async fn request_leave(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    Csrf(csrf): Csrf,
    IdPath(id): IdPath,
    PageForm(form): PageForm<TextForm>,
) -> Result<Response, HttpError> {
    let result = activities::request_leave(&state.app, &actor, &ctx, ActivityId(id), &form.reason)
        .await
        .map(|_| Notice::LeaveRequested);
    back(&state, &actor, csrf, id, result).await
}

pub async fn make_up(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    Csrf(csrf): Csrf,
    IdPath(id): IdPath,
    PageForm(form): PageForm<TextForm>,
) -> Result<Response, HttpError> {
    let result = activities::confirm_make_up(&state.app, &actor, &ctx, ActivityId(id), &form.note)
        .await
        .map(|_| Notice::MakeUpConfirmed);
    back(&state, &actor, csrf, id, result).await
}

pub async fn minutes(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    Csrf(csrf): Csrf,
    IdPath(id): IdPath,
    PageForm(form): PageForm<TextForm>,
) -> Result<Response, HttpError> {
    let result = activities::record_minutes(
        &state.app,
        &actor,
        &ctx,
        ActivityId(id),
        &form.minutes,
        &form.resolutions,
    )
    .await
    .map(|_| Notice::MinutesSaved);
    back(&state, &actor, csrf, id, result).await
}

pub async fn amend(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    Csrf(csrf): Csrf,
    IdPath(id): IdPath,
    PageForm(form): PageForm<TextForm>,
) -> Result<Response, HttpError> {
    let result = activities::amend(
        &state.app,
        &actor,
        &ctx,
        ActivityId(id),
        &form.field,
        &form.text,
        &form.reason,
    )
    .await
    .map(|_| Notice::AmendmentRecorded);
    back(&state, &actor, csrf, id, result).await
}

#[derive(Deserialize, Default)]
pub struct VoteForm {
    #[serde(default)]
    motion: String,
    #[serde(default)]
    purpose: String,
    #[serde(default)]
    expected_voters: String,
    #[serde(default)]
    present_voters: String,
    #[serde(default)]
    in_favour: String,
    #[serde(default)]
    against: String,
    #[serde(default)]
    abstaining: String,
}

fn count(raw: &str, field: &'static str) -> Result<u32, AppError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(0);
    }
    raw.parse()
        .map_err(|_| AppError::invalid(field, "人数和票数须为不小于 0 的整数"))
}

pub async fn vote(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    Csrf(csrf): Csrf,
    IdPath(id): IdPath,
    PageForm(form): PageForm<VoteForm>,
) -> Result<Response, HttpError> {
    let input = (|| -> Result<VoteInput, AppError> {
        Ok(VoteInput {
            motion: form.motion.clone(),
            purpose: form.purpose.clone(),
            expected_voters: count(&form.expected_voters, "expected_voters")?,
            present_voters: count(&form.present_voters, "present_voters")?,
            in_favour: count(&form.in_favour, "in_favour")?,
            against: count(&form.against, "against")?,
            abstaining: count(&form.abstaining, "abstaining")?,
        })
    })();
    let result = match input {
        // The outcome and its explanation are listed with the activity's votes.
        Ok(input) => activities::record_vote(&state.app, &actor, &ctx, ActivityId(id), &input)
            .await
            .map(|_| Notice::VoteRecorded),
        Err(e) => Err(e),
    };
    back(&state, &actor, csrf, id, result).await
}
