//! A few months of organizational life for the demo branch, written through the use cases (so
//! counters, events and the audit log are what real use leaves): members mostly attend, with a
//! few on leave or absent, and deliberate gaps: only one of the three groups meets, and no branch
//! assembly or party lecture has been held.

use dangjian_domain::ActivityId;
use dangjian_domain::Month;
use dangjian_domain::activity::Attendance;
use dangjian_domain::{MemberId, OrgId};
use dangjian_store::accounts;

use super::PlanInput;
use crate::{Actor, App, AppError, AppResult, Credential, RequestContext};

async fn actor(app: &App, phone: &str) -> AppResult<Actor> {
    let mut handle = app.store.acquire().await?;
    let row = accounts::account_by_phone(handle.conn(), phone)
        .await?
        .ok_or(AppError::NotFound("演示账号"))?;
    drop(handle);
    Actor::of_account(
        app,
        &row,
        Credential::Session {
            token_hash: String::new(),
        },
    )
    .await
}

async fn org(app: &App, name: &str) -> AppResult<i64> {
    let mut handle = app.store.acquire().await?;
    let all = dangjian_store::orgs::all_orgs(handle.conn()).await?;
    all.iter()
        .find(|o| o.name == name)
        .map(|o| o.id)
        .ok_or(AppError::NotFound("演示组织"))
}

fn plan(kind: &str, topic: &str, date: String, host: i64) -> PlanInput {
    PlanInput {
        kind: kind.into(),
        topic: topic.into(),
        date,
        start: "15:00".into(),
        end: "16:30".into(),
        place: "派出所三楼会议室".into(),
        host_member_id: Some(host),
        recorder_member_id: Some(host),
        speaker_member_id: (kind == "party_lecture").then_some(host),
        agenda: "1. 集中学习\n2. 交流讨论\n3. 部署下阶段工作".into(),
        ..PlanInput::default()
    }
}

/// Holds the activity as a working branch does: most members present, one in ten on approved
/// leave and one in ten absent (they then owe 补学), the same ones each time.
async fn hold(
    app: &App,
    by: &Actor,
    approver: Option<&Actor>,
    id: i64,
    minutes: &str,
) -> AppResult<()> {
    let ctx = RequestContext::command_line();
    if let Some(approver) = approver {
        super::submit(app, by, &ctx, ActivityId(id)).await?;
        super::approve(app, approver, &ctx, ActivityId(id), "同意").await?;
    }
    super::publish(app, by, &ctx, ActivityId(id)).await?;
    let mut handle = app.store.acquire().await?;
    let attendees = super::attendance::attendees(handle.conn(), id).await?;
    drop(handle);
    for (place, attendee) in attendees.iter().enumerate() {
        let member = attendee.row.member_id;
        let status = match place % 10 {
            _ if by.member_id == Some(member) => Attendance::Present,
            5 => Attendance::Leave,
            8 => continue,
            _ => Attendance::Present,
        };
        super::mark(app, by, &ctx, ActivityId(id), MemberId(member), status).await?;
    }
    super::finish(app, by, &ctx, ActivityId(id)).await?;
    super::record_minutes(app, by, &ctx, ActivityId(id), minutes, "").await?;
    Ok(())
}

pub(crate) async fn load(app: &App) -> AppResult<()> {
    let secretary = actor(app, "13800000001").await?;
    let leader = actor(app, "13800000002").await?;
    let ctx = RequestContext::command_line();
    let branch = org(app, "站南派出所党支部").await?;
    let general = org(app, "综合党小组").await?;
    let wang = secretary.member_id.ok_or(AppError::NotFound("演示党员"))?;
    let li = leader.member_id.ok_or(AppError::NotFound("演示党员"))?;
    let this_month = Month::of(app.today());
    let last_month = this_month.previous();
    let day = |month: Month, d: i8| format!("{month}-{d:02}");
    for month in [last_month.previous(), last_month] {
        let id = super::create(
            app,
            &secretary,
            &ctx,
            OrgId(branch),
            &plan("theme_day", "主题党日：重温入党誓词", day(month, 10), wang),
        )
        .await?;
        hold(
            app,
            &secretary,
            None,
            id.0,
            "全体党员重温入党誓词，王建国同志讲话。",
        )
        .await?;
        let id = super::create(
            app,
            &leader,
            &ctx,
            OrgId(general),
            &plan("group_meeting", "学习党的二十大报告", day(month, 15), li),
        )
        .await?;
        hold(
            app,
            &leader,
            Some(&secretary),
            id.0,
            "李红梅同志领学，大家结合执法工作交流体会。",
        )
        .await?;
    }
    // Next week's party lecture, published, for members to see and ask leave for.
    let next_week = app
        .today()
        .checked_add(jiff::Span::new().days(7))
        .map_err(|_| AppError::NotFound("日期"))?;
    let id = super::create(
        app,
        &secretary,
        &ctx,
        OrgId(branch),
        &plan("party_lecture", "坚持人民至上", next_week.to_string(), wang),
    )
    .await?;
    super::publish(app, &secretary, &ctx, id).await?;
    Ok(())
}
