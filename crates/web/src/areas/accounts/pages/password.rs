use askama::Template;
use axum::extract::State;
use axum::response::Response;
use dangjian_app::{AppError, auth};
use serde::Deserialize;

use crate::AppState;
use crate::error::HttpError;
use crate::extract::PageForm;
use crate::pages::{Csrf, Layout, ok, render};
use crate::session::{Ctx, CurrentActor};

#[derive(Template)]
#[template(path = "accounts/password.html")]
struct PasswordPage {
    layout: Layout,
    must_change: bool,
    done: bool,
    error: Option<String>,
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    new_password: String,
    #[serde(default)]
    new_password_again: String,
}

pub async fn show(CurrentActor(actor): CurrentActor, Csrf(csrf): Csrf) -> Response {
    let page = PasswordPage {
        must_change: actor.must_change_password,
        layout: Layout::for_actor(csrf, &actor, "/account/password"),
        done: false,
        error: None,
    };
    ok(&page)
}

pub async fn submit(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    Csrf(csrf): Csrf,
    PageForm(form): PageForm<PasswordForm>,
) -> Result<Response, HttpError> {
    let result = if form.new_password != form.new_password_again {
        Err(AppError::invalid(
            "new_password_again",
            "两次输入的新密码不一致",
        ))
    } else {
        auth::change_password(
            &state.app,
            &actor,
            &form.current_password,
            &form.new_password,
            &ctx,
        )
        .await
    };
    match result {
        Ok(()) => {
            let mut actor = actor;
            actor.must_change_password = false;
            let layout = Layout::for_actor(csrf, &actor, "/account/password");
            Ok(ok(&PasswordPage {
                layout,
                must_change: false,
                done: true,
                error: None,
            }))
        }
        Err(error @ AppError::Internal(_)) => Err(error.into()),
        Err(error) => {
            let page = PasswordPage {
                must_change: actor.must_change_password,
                layout: Layout::for_actor(csrf, &actor, "/account/password"),
                done: false,
                error: Some(error.to_string()),
            };
            Ok(render(crate::error::status_of(&error), &page))
        }
    }
}
