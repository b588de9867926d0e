use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use dangjian_app::AppError;
use dangjian_app::setup::{self, SetupInput};
use serde::Deserialize;

use crate::AppState;
use crate::error::HttpError;
use crate::extract::PageForm;
use crate::pages::{Csrf, Layout, ok, render};
use crate::session::Ctx;

#[derive(Template)]
#[template(path = "accounts/setup.html")]
struct SetupPage {
    layout: Layout,
    error: Option<String>,
    field: &'static str,
    form: SetupForm,
}

#[derive(Deserialize, Default)]
pub struct SetupForm {
    #[serde(default)]
    org_name: String,
    #[serde(default)]
    admin_name: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    password_again: String,
}

/// The first-run page; once setup is done it does not exist any more.
pub async fn show(State(state): State<AppState>, Csrf(csrf): Csrf) -> Result<Response, HttpError> {
    if !setup::needs_setup(&state.app).await? {
        return Err(HttpError::not_found());
    }
    Ok(ok(&SetupPage {
        layout: Layout::bare(csrf),
        error: None,
        field: "",
        form: SetupForm::default(),
    }))
}

pub async fn submit(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Csrf(csrf): Csrf,
    PageForm(form): PageForm<SetupForm>,
) -> Result<Response, HttpError> {
    if !setup::needs_setup(&state.app).await? {
        return Err(HttpError::not_found());
    }
    let input = SetupInput {
        org_name: form.org_name.clone(),
        admin_name: form.admin_name.clone(),
        phone: form.phone.clone(),
        password: form.password.clone(),
        password_again: form.password_again.clone(),
    };
    match setup::complete_setup(&state.app, &input, &ctx).await {
        Ok(()) => Ok(Redirect::to("/login").into_response()),
        Err(error @ AppError::Internal(_)) => Err(error.into()),
        Err(error) => {
            let field = match &error {
                AppError::Invalid {
                    field: Some(field), ..
                } => *field,
                _ => "",
            };
            let status = crate::error::status_of(&error);
            let form = SetupForm {
                password: String::new(),
                password_again: String::new(),
                ..form
            };
            Ok(render(
                status,
                &SetupPage {
                    layout: Layout::bare(csrf),
                    error: Some(error.to_string()),
                    field,
                    form,
                },
            ))
        }
    }
}
