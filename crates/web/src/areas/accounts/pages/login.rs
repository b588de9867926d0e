use askama::Template;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use dangjian_app::{AppError, auth, setup};
use serde::Deserialize;

use crate::AppState;
use crate::error::{HttpError, with_retry_after};
use crate::extract::{PageForm, QueryParams};
use crate::pages::{Csrf, Layout, ok, render};
use crate::session::{Ctx, CurrentActor, MaybeActor, expired_session_cookie, session_cookie};

#[derive(Template)]
#[template(path = "accounts/login.html")]
struct LoginPage {
    layout: Layout,
    error: Option<String>,
    phone: String,
    next: String,
}

#[derive(Deserialize)]
pub struct LoginQuery {
    next: Option<String>,
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    phone: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: String,
}

/// Only a page of ours may be the target after sign-in (no open redirect to another site): a
/// path of printable ASCII without backslashes (a browser drops a tab or newline and reads
/// `/\t/evil.example` as `//evil.example`; a control character cannot go in a header at all),
/// not starting `//`, that a GET route serves. Anything else goes home.
fn safe_next(next: &str) -> &str {
    let printable = next
        .bytes()
        .all(|b| (0x21..=0x7e).contains(&b) && b != b'\\');
    let path = next.split(['?', '#']).next().unwrap_or_default();
    if printable && next.starts_with('/') && !next.starts_with("//") && crate::routes::is_page(path)
    {
        next
    } else {
        "/"
    }
}

/// Where a browser goes once signed in, carrying its new session cookie.
fn signed_in_redirect(target: &str, signed_in: &auth::SignedIn, state: &AppState) -> Response {
    let mut response = Redirect::to(target).into_response();
    response.headers_mut().append(
        header::SET_COOKIE,
        session_cookie(&signed_in.session_token, state),
    );
    response
}

pub async fn show(
    State(state): State<AppState>,
    MaybeActor(actor): MaybeActor,
    Csrf(csrf): Csrf,
    QueryParams(query): QueryParams<LoginQuery>,
) -> Result<Response, HttpError> {
    if setup::needs_setup(&state.app).await? {
        return Ok(Redirect::to("/setup").into_response());
    }
    let next = query.next.unwrap_or_default();
    if actor.is_some() {
        return Ok(Redirect::to(safe_next(&next)).into_response());
    }
    Ok(ok(&LoginPage {
        layout: Layout::bare(csrf),
        error: None,
        phone: String::new(),
        next,
    }))
}

pub async fn submit(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Csrf(csrf): Csrf,
    PageForm(form): PageForm<LoginForm>,
) -> Result<Response, HttpError> {
    match auth::login(&state.app, &form.phone, &form.password, &ctx).await {
        Ok(signed_in) => {
            let target = if signed_in.actor.must_change_password {
                "/account/password"
            } else {
                safe_next(&form.next)
            };
            Ok(signed_in_redirect(target, &signed_in, &state))
        }
        Err(error @ AppError::Internal(_)) => Err(error.into()),
        Err(error) => {
            let status = crate::error::status_of(&error);
            let page = LoginPage {
                layout: Layout::bare(csrf),
                error: Some(error.to_string()),
                phone: form.phone,
                next: form.next,
            };
            Ok(with_retry_after(render(status, &page), &error))
        }
    }
}

#[derive(Template)]
#[template(path = "accounts/activate.html")]
struct ActivatePage {
    layout: Layout,
    error: Option<String>,
    phone: String,
}

#[derive(Deserialize)]
pub struct ActivateForm {
    #[serde(default)]
    phone: String,
    #[serde(default)]
    id_number_tail: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    password_again: String,
}

/// First use by a member on the roster: phone number, the ID number's last six characters and a
/// password of their own.
pub async fn activate_form(
    MaybeActor(actor): MaybeActor,
    Csrf(csrf): Csrf,
) -> Result<Response, HttpError> {
    if actor.is_some() {
        return Ok(Redirect::to("/").into_response());
    }
    Ok(ok(&ActivatePage {
        layout: Layout::bare(csrf),
        error: None,
        phone: String::new(),
    }))
}

pub async fn activate(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Csrf(csrf): Csrf,
    PageForm(form): PageForm<ActivateForm>,
) -> Result<Response, HttpError> {
    let result = if form.password != form.password_again {
        Err(AppError::invalid("password_again", "两次输入的密码不一致"))
    } else {
        auth::activate(
            &state.app,
            &form.phone,
            &form.id_number_tail,
            &form.password,
            &ctx,
        )
        .await
    };
    match result {
        Ok(signed_in) => Ok(signed_in_redirect("/", &signed_in, &state)),
        Err(error @ AppError::Internal(_)) => Err(error.into()),
        Err(error) => {
            let status = crate::error::status_of(&error);
            let page = ActivatePage {
                layout: Layout::bare(csrf),
                error: Some(error.to_string()),
                phone: form.phone,
            };
            Ok(with_retry_after(render(status, &page), &error))
        }
    }
}

pub async fn logout(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
) -> Result<Response, HttpError> {
    auth::logout(&state.app, &actor, &ctx).await?;
    let mut response = Redirect::to("/login").into_response();
    response
        .headers_mut()
        .append(header::SET_COOKIE, expired_session_cookie(&state));
    Ok(response)
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_local_paths_are_followed_after_login() {
        assert_eq!(
            super::safe_next("/admin/audit?page=2"),
            "/admin/audit?page=2"
        );
        assert_eq!(super::safe_next("//evil.example"), "/");
        assert_eq!(super::safe_next("https://evil.example"), "/");
        assert_eq!(super::safe_next("/\\evil.example"), "/");
        assert_eq!(super::safe_next(""), "/");
        for hostile in [
            "/\t/evil.example",
            "/\t\\evil.example",
            "/\n/evil.example",
            "/\r\nSet-Cookie: x=1",
            "/\u{0}",
            "/\u{7f}",
            "/ /evil.example",
            "/no/such/page",
        ] {
            assert_eq!(super::safe_next(hostile), "/", "{hostile:?}");
        }
        assert_eq!(
            super::safe_next("/orgs/12?notice=org_created"),
            "/orgs/12?notice=org_created"
        );
        assert_eq!(super::safe_next("/"), "/");
    }
}
