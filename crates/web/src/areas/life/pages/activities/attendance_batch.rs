//! Marking several attendees at once from the activity's page: the ticked rows (their boxes join
//! the batch form with `form="mark-many"`) post here and get a confirmation listing each name
//! and the change; that page's form posts them again with `confirm=1`, and only then is anything
//! written. Plain forms, so it works without JavaScript.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use dangjian_app::AppError;
use dangjian_app::activities::{self, MarkMany};
use dangjian_domain::{ActivityId, MemberId};

use super::{HERE, back};
use crate::AppState;
use crate::error::HttpError;
use crate::extract::{FormFields, IdPath, PageForm};
use crate::pages::notice::Notice;
use crate::pages::{Csrf, Layout, ok};
use crate::session::{Ctx, CurrentActor};

#[derive(Template)]
#[template(path = "life/mark_many_confirm.html")]
struct ConfirmPage {
    layout: Layout,
    batch: MarkMany,
}

/// The ticked members, the status and whether this is the confirmation.
fn read(fields: &FormFields) -> Result<(Vec<MemberId>, String, bool), AppError> {
    let members = fields
        .all("member_id")
        .map(|v| {
            v.trim().parse().map_err(|_| {
                AppError::invalid("member_id", "所选人员的编号不对，请刷新页面后重新勾选")
            })
        })
        .collect::<Result<Vec<MemberId>, _>>()?;
    Ok((
        members,
        fields.first("status"),
        fields.first("confirm") == "1",
    ))
}

pub async fn mark_many(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    Csrf(csrf): Csrf,
    IdPath(id): IdPath,
    PageForm(fields): PageForm<FormFields>,
) -> Result<Response, HttpError> {
    let asked = read(&fields).and_then(|(members, status, confirm)| {
        Ok((members, activities::markable_attendance(&status)?, confirm))
    });
    let (members, status, confirm) = match asked {
        Ok(asked) => asked,
        Err(error) => return back(&state, &actor, csrf, id, Err(error)).await,
    };
    let result = activities::mark_many(
        &state.app,
        &actor,
        &ctx,
        ActivityId(id),
        &members,
        status,
        confirm,
    )
    .await;
    match result {
        Ok(batch) if !batch.done => Ok(ok(&ConfirmPage {
            layout: Layout::for_actor(csrf, &actor, HERE),
            batch,
        })),
        Ok(_) => back(&state, &actor, csrf, id, Ok(Notice::AttendanceMarked)).await,
        Err(error) => back(&state, &actor, csrf, id, Err(error)).await,
    }
}
