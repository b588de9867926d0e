use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use dangjian_app::{Actor, auth};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::AppState;
use crate::api::ErrorBody;
use crate::error::HttpError;
use crate::extract::ApiJson;
use crate::session::{Ctx, CurrentActor, expired_session_cookie, session_cookie};

#[derive(Deserialize, ToSchema)]
pub struct LoginRequest {
    /// Mobile phone number, the login name.
    pub phone: String,
    pub password: String,
}

#[derive(Deserialize, ToSchema)]
pub struct ActivateRequest {
    /// The phone number on the member's roster record.
    pub phone: String,
    /// The last six characters of the member's ID number.
    pub id_number_tail: String,
    /// The password the member chooses (at least 8 characters, letters and digits).
    pub password: String,
}

/// The signed-in account.
#[derive(Serialize, ToSchema)]
pub struct Me {
    pub id: i64,
    pub name: String,
    pub phone: String,
    /// system_admin, org_admin, group_leader or member.
    pub role: String,
    pub role_label: String,
    pub org_id: Option<i64>,
    pub org_name: Option<String>,
    /// The account still has the password an administrator set; only a password change is allowed.
    pub must_change_password: bool,
}

impl Me {
    fn of(actor: &Actor) -> Me {
        Me {
            id: actor.account_id.0,
            name: actor.name.clone(),
            phone: actor.phone.clone(),
            role: actor.role().code().to_string(),
            role_label: actor.role().label().to_string(),
            org_id: actor.org_id.map(|o| o.0),
            org_name: actor.org_name.clone(),
            must_change_password: actor.must_change_password,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct LoginResponse {
    pub account: Me,
    /// Send it back as the X-CSRF-Token header on writes made with the session cookie.
    pub csrf_token: String,
}

/// The signed-in account and the CSRF token, with the new session cookie.
fn signed_in_answer(signed_in: &auth::SignedIn, csrf: String, state: &AppState) -> Response {
    let mut response = Json(LoginResponse {
        account: Me::of(&signed_in.actor),
        csrf_token: csrf,
    })
    .into_response();
    response.headers_mut().append(
        header::SET_COOKIE,
        session_cookie(&signed_in.session_token, state),
    );
    response
}

/// Sign in with phone and password; sets the `dj_session` cookie.
#[utoipa::path(post, path = "/api/v1/auth/login", tag = "auth", request_body = LoginRequest, security(()),
    responses((status = 200, body = LoginResponse), (status = 401, body = ErrorBody, description = "手机号或密码错误（未注册、密码错误与账号锁定同一答复）"),
              (status = 429, body = ErrorBody, description = "尝试次数过多")))]
pub async fn login(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    crate::pages::Csrf(csrf): crate::pages::Csrf,
    ApiJson(body): ApiJson<LoginRequest>,
) -> Result<Response, HttpError> {
    let signed_in = auth::login(&state.app, &body.phone, &body.password, &ctx).await?;
    Ok(signed_in_answer(&signed_in, csrf, &state))
}

/// Sign out: ends the session.
#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "auth", responses((status = 204), (status = 401, body = ErrorBody)))]
pub async fn logout(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
) -> Result<Response, HttpError> {
    auth::logout(&state.app, &actor, &ctx).await?;
    Ok((
        [(header::SET_COOKIE, expired_session_cookie(&state))],
        StatusCode::NO_CONTENT,
    )
        .into_response())
}

/// The signed-in account.
#[utoipa::path(get, path = "/api/v1/me", tag = "auth", responses((status = 200, body = Me), (status = 401, body = ErrorBody)))]
pub async fn me(CurrentActor(actor): CurrentActor) -> Json<Me> {
    Json(Me::of(&actor))
}

#[derive(Deserialize, ToSchema)]
pub struct ChangePasswordRequest {
    pub current_password: String,
    /// At least 8 characters with letters and digits.
    pub new_password: String,
}

/// Change one's own password; other sessions of the account are ended.
#[utoipa::path(post, path = "/api/v1/me/password", tag = "auth", request_body = ChangePasswordRequest,
    responses((status = 204), (status = 422, body = ErrorBody), (status = 401, body = ErrorBody)))]
pub async fn change_password(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    ApiJson(body): ApiJson<ChangePasswordRequest>,
) -> Result<StatusCode, HttpError> {
    auth::change_password(
        &state.app,
        &actor,
        &body.current_password,
        &body.new_password,
        &ctx,
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// First use by a member on the roster: proves who they are with the roster's phone number and
/// the ID number's last six characters, sets a password, and is signed in (sets `dj_session`).
#[utoipa::path(post, path = "/api/v1/auth/activate", tag = "auth", request_body = ActivateRequest, security(()),
    responses((status = 200, body = LoginResponse), (status = 401, body = ErrorBody, description = "与花名册不符"),
              (status = 409, body = ErrorBody, description = "已有账号"), (status = 422, body = ErrorBody),
              (status = 429, body = ErrorBody, description = "尝试次数过多")))]
pub async fn activate(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    crate::pages::Csrf(csrf): crate::pages::Csrf,
    ApiJson(body): ApiJson<ActivateRequest>,
) -> Result<Response, HttpError> {
    let signed_in = auth::activate(
        &state.app,
        &body.phone,
        &body.id_number_tail,
        &body.password,
        &ctx,
    )
    .await?;
    Ok(signed_in_answer(&signed_in, csrf, &state))
}

/// What waits for the signed-in account in every area (待办), overdue first.
#[utoipa::path(get, path = "/api/v1/me/reminders", tag = "auth",
    responses((status = 200, body = Vec<dangjian_app::reminders::ReminderView>), (status = 401, body = ErrorBody)))]
pub async fn reminders(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
) -> Result<Json<Vec<dangjian_app::reminders::ReminderView>>, HttpError> {
    Ok(Json(
        dangjian_app::reminders::due_for(&state.app, &actor).await?,
    ))
}
