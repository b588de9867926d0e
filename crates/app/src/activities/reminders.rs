//! What organizational life asks of someone now: plans to approve, approved plans to publish,
//! leave requests to decide, meetings to attend and make-up study to confirm.

use dangjian_domain::access::{Action, Scope};
use dangjian_domain::activity::Attendance;
use dangjian_domain::activity::kind::activity_title;
use dangjian_domain::reminder::{Reminder, ReminderKind};
use dangjian_store::activities as activity_records;

use super::{ActivityListFilter, list, my_activities};
use crate::{Actor, App, AppResult, PageParams, orgs};

/// How many of each kind the home page lists; the area's own pages have the rest.
const EACH: i64 = 20;

fn date_of(text: &str) -> Option<jiff::civil::Date> {
    text.get(..10).and_then(|day| day.parse().ok())
}

pub async fn reminders(app: &App, actor: &Actor) -> AppResult<Vec<Reminder>> {
    let mut found = Vec::new();
    if actor.grant.may_ever(Action::ApproveActivities) {
        let filter = ActivityListFilter {
            awaiting_approval: true,
            per_page: Some(EACH),
            ..ActivityListFilter::default()
        };
        for a in list(app, actor, &filter).await?.items {
            found.push(Reminder {
                kind: ReminderKind::ApprovePlan,
                title: format!("{} · {}", a.org_name, a.title),
                href: format!("/activities/{}", a.id),
                detail: a.starts_at.clone(),
                due_on: date_of(&a.date),
            });
        }
    }
    if let Some(org_id) = actor.own_org_for(Action::ManageActivities) {
        // A plan the superior approved is the planner's to publish: one tap from the home page.
        let filter = ActivityListFilter {
            org: Some(org_id.0),
            status: Some("approved".into()),
            per_page: Some(EACH),
            ..ActivityListFilter::default()
        };
        for a in list(app, actor, &filter).await?.items {
            found.push(Reminder {
                kind: ReminderKind::PublishPlan,
                title: format!("{} · {}", a.org_name, a.title),
                href: format!("/activities/{}", a.id),
                detail: format!("已审批，发布后通知参加人员 · {}", a.starts_at),
                due_on: date_of(&a.date),
            });
        }
    }
    if let Some(org_id) = actor.org_id
        && actor.grant.may_ever(Action::ManageActivities)
    {
        let path = orgs::path_of(app, org_id).await?;
        if actor
            .grant
            .permits(Action::ManageActivities, Scope::Org(&path))
        {
            let mut handle = app.store.acquire().await?;
            for a in activity_records::leave_requests_waiting(handle.conn(), org_id.0, EACH).await?
            {
                let title = activity_title(&a.kind, &a.topic);
                found.push(Reminder {
                    kind: ReminderKind::DecideLeave,
                    title: format!("{} · {title}", a.org_name),
                    href: format!("/activities/{}", a.activity_id),
                    detail: format!("{} 人请假待批", a.requests),
                    due_on: date_of(&a.held_on),
                });
            }
        }
    }
    if actor.member_id.is_some() {
        let mine = my_activities(app, actor, PageParams::new(Some(1), Some(50))).await?;
        for a in mine.items {
            let expected = matches!(a.status, Attendance::Expected | Attendance::LeaveRequested);
            let kind = if a.activity_status == "published" && expected {
                ReminderKind::Attend
            } else if a.make_up == "assigned" {
                ReminderKind::MakeUp
            } else {
                continue;
            };
            let detail = match kind {
                ReminderKind::Attend if a.place.is_empty() => a.starts_at.clone(),
                ReminderKind::Attend => format!("{} {}", a.starts_at, a.place),
                _ => "缺席后须补学，学完请确认".to_string(),
            };
            found.push(Reminder {
                kind,
                title: a.title.clone(),
                href: format!("/activities/{}", a.activity_id),
                detail,
                due_on: if kind == ReminderKind::Attend {
                    date_of(&a.starts_at)
                } else {
                    None
                },
            });
        }
    }
    Ok(found)
}
