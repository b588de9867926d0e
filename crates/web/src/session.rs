//! Who is calling: the session cookie or a bearer token becomes an [`Actor`] on the request,
//! and the guards that every signed-in route passes.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use dangjian_app::{Actor, AppError, RequestContext, auth};

use crate::AppState;
use crate::cookies::{self, Lifetime};
use crate::error::HttpError;

/// Resolves the caller on every request; routes decide with their guard whether one is needed.
pub async fn resolve_actor(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    let bearer = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(|t| t.trim().to_string());
    let mut clear_cookie = false;
    if let Some(token) = bearer {
        match auth::authenticate_token(&state.app, &token).await {
            Ok(actor) => {
                request.extensions_mut().insert(actor);
            }
            Err(AppError::Unauthenticated) => {
                return HttpError::new(
                    StatusCode::UNAUTHORIZED,
                    "invalid_token",
                    "API 令牌无效或已被吊销",
                )
                .into_response();
            }
            Err(other) => return HttpError::from(other).into_response(),
        }
    } else if let Some(session) = cookies::read(request.headers(), &state.config, cookies::SESSION)
    {
        match auth::authenticate_session(&state.app, &session).await {
            Ok(actor) => {
                request.extensions_mut().insert(actor);
            }
            Err(AppError::Unauthenticated) => clear_cookie = true,
            Err(other) => return HttpError::from(other).into_response(),
        }
    }
    let mut response = next.run(request).await;
    // A stale cookie is cleared, unless this very answer signs the browser in (a login over an
    // ended session): a removal after the new cookie would sign it straight out again.
    if clear_cookie && !cookies::sets(response.headers(), &state.config, cookies::SESSION) {
        response
            .headers_mut()
            .append(header::SET_COOKIE, expired_session_cookie(&state));
    }
    response
}

/// The `Set-Cookie` that signs this browser in, kept while the session may stay idle.
pub fn session_cookie(token: &str, state: &AppState) -> HeaderValue {
    let max_age = state.app.settings.session_idle.as_secs();
    cookies::set_cookie(
        &state.config,
        cookies::SESSION,
        token,
        Lifetime::Seconds(max_age),
    )
    .unwrap_or_else(|_| expired_session_cookie(state))
}

/// The `Set-Cookie` that signs this browser out.
pub fn expired_session_cookie(state: &AppState) -> HeaderValue {
    cookies::removal(&state.config, cookies::SESSION)
}

fn is_api(request: &Request) -> bool {
    request.uri().path().starts_with("/api/")
}

/// Guard of every signed-in route. Pages send a stranger to the login page (and back afterwards);
/// the API answers 401. An account on its initial password may only change it.
pub async fn require_signed_in(request: Request, next: Next) -> Response {
    guard(request, next, false).await
}

/// Guard of the few routes an account on its initial password may use (change it, sign out).
pub async fn require_signed_in_allow_initial_password(request: Request, next: Next) -> Response {
    guard(request, next, true).await
}

async fn guard(request: Request, next: Next, allow_initial_password: bool) -> Response {
    let must_change = match request.extensions().get::<Actor>() {
        None if is_api(&request) => {
            return HttpError::from(AppError::Unauthenticated).into_response();
        }
        None => {
            let here = request
                .uri()
                .path_and_query()
                .map(|p| p.as_str())
                .unwrap_or("/");
            let next_param = serde_urlencoded::to_string([("next", here)]).unwrap_or_default();
            return Redirect::to(&format!("/login?{next_param}")).into_response();
        }
        Some(actor) => actor.must_change_password,
    };
    if must_change && !allow_initial_password {
        if is_api(&request) {
            return HttpError::from(AppError::PasswordChangeRequired).into_response();
        }
        return Redirect::to("/account/password").into_response();
    }
    next.run(request).await
}

/// The signed-in caller, in a handler behind a guard.
pub struct CurrentActor(pub Actor);

impl<S: Send + Sync> FromRequestParts<S> for CurrentActor {
    type Rejection = HttpError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<Actor>()
            .cloned()
            .map(CurrentActor)
            .ok_or_else(|| AppError::Unauthenticated.into())
    }
}

/// The caller if signed in, for public pages that adapt to it.
pub struct MaybeActor(pub Option<Actor>);

impl<S: Send + Sync> FromRequestParts<S> for MaybeActor {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(MaybeActor(parts.extensions.get::<Actor>().cloned()))
    }
}

/// Where the request came from, for the audit log.
pub struct Ctx(pub RequestContext);

impl FromRequestParts<AppState> for Ctx {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip().to_string());
        let forwarded = state
            .config
            .trust_forwarded_for
            .then(|| {
                parts
                    .headers
                    .get("x-forwarded-for")
                    .and_then(|v| v.to_str().ok())
            })
            .flatten()
            .and_then(|v| v.split(',').next())
            .map(|v| v.trim().to_string());
        let request_id = parts
            .headers
            .get("x-request-id")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string();
        Ok(Ctx(RequestContext {
            client_ip: forwarded.or(peer).unwrap_or_else(|| "unknown".into()),
            request_id,
        }))
    }
}
