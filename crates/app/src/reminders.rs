//! What waits for the caller across every area (待办), in one list: the home page shows it, the API
//! gives it to apps, and the inbox will take it when messages exist (DESIGN.md, "Reminders").
//! Each area says what it asks of whom in its own `reminders`; a new area adds its line below.

use dangjian_domain::reminder::{self, Reminder};
use serde::Serialize;

use crate::{Actor, App, AppResult};

/// A reminder as pages and the API show it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ReminderView {
    /// approve_plan, publish_plan, decide_leave, decide_proposal, publish_bulletin,
    /// receive_transfer, development_step, evaluate, attend or make_up.
    #[schema(value_type = String)]
    pub kind: reminder::ReminderKind,
    /// The tag a list shows (待审批, 请假待批, …).
    pub label: &'static str,
    pub title: String,
    pub href: String,
    pub detail: String,
    /// YYYY-MM-DD, when it has a day.
    #[schema(format = Date)]
    pub due_on: Option<String>,
    pub overdue: bool,
}

/// Everything that waits for the caller now, overdue first.
pub async fn due_for(app: &App, actor: &Actor) -> AppResult<Vec<ReminderView>> {
    let mut all = Vec::new();
    all.extend(crate::activities::reminders(app, actor).await?);
    all.extend(crate::points::proposals::reminders(app, actor).await?);
    all.extend(crate::points::bulletin::reminders(app, actor).await?);
    all.extend(crate::points::evaluation::reminders(app, actor).await?);
    all.extend(crate::transfers::reminders(app, actor).await?);
    all.extend(crate::development::reminders(app, actor).await?);
    let today = app.today();
    Ok(reminder::in_order(all, today)
        .into_iter()
        .map(|r: Reminder| ReminderView {
            overdue: r.is_overdue(today),
            label: r.kind.label(),
            due_on: r.due_on.map(|d| d.to_string()),
            kind: r.kind,
            title: r.title,
            href: r.href,
            detail: r.detail,
        })
        .collect())
}
