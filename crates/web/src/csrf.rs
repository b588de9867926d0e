//! Cross-site request forgery protection, for every unsafe request in one place:
//! 1. a browser must say the request comes from our own origin (`Sec-Fetch-Site`, else `Origin`);
//! 2. a form post, and an API call that rides on the session cookie, must also carry the token of
//!    the `dj_csrf` cookie (double-submit), as a `csrf_token` form field or an `X-CSRF-Token`
//!    header (htmx sends the header from `<body hx-headers>`).
//!
//! API calls with a bearer token carry no ambient credential and need no token.

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::cookies::{self, CsrfToken, Lifetime};
use crate::error::HttpError;
use crate::{AppState, BODY_LIMIT};

pub const CSRF_FIELD: &str = "csrf_token";
pub const CSRF_HEADER: &str = "x-csrf-token";

fn well_formed(token: &str) -> bool {
    token.len() == 64 && token.bytes().all(|b| b.is_ascii_hexdigit())
}

fn new_token() -> String {
    format!(
        "{}{}",
        uuid::Uuid::new_v4().simple(),
        uuid::Uuid::new_v4().simple()
    )
}

fn constant_time_eq(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

fn from_own_origin(request: &Request) -> bool {
    let headers = request.headers();
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return matches!(site, "same-origin" | "none");
    }
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        // Not a browser, or a very old one: nothing ambient to forge with beyond the token check.
        return true;
    };
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let origin_host = origin.split_once("://").map(|(_, rest)| rest).unwrap_or("");
    !host.is_empty() && origin_host == host
}

fn refused() -> Response {
    HttpError::new(
        StatusCode::FORBIDDEN,
        "csrf",
        "页面已过期或来源不明，请刷新页面后重试",
    )
    .into_response()
}

pub async fn protect(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let existing =
        cookies::read(request.headers(), &state.config, cookies::CSRF).filter(|t| well_formed(t));
    let token = existing.clone().unwrap_or_else(new_token);
    let mut request = request;
    request.extensions_mut().insert(CsrfToken(token.clone()));

    let unsafe_method = !matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    if unsafe_method {
        if !from_own_origin(&request) {
            return refused();
        }
        let is_api = request.uri().path().starts_with("/api/");
        let rides_on_session =
            cookies::read(request.headers(), &state.config, cookies::SESSION).is_some();
        if !is_api || rides_on_session {
            match check_token(request, existing.as_deref()).await {
                Ok(checked) => request = checked,
                Err(response) => return response,
            }
        }
    }

    let mut response = next.run(request).await;
    if existing.is_none()
        && let Ok(value) =
            cookies::set_cookie(&state.config, cookies::CSRF, &token, Lifetime::Browser)
    {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}

/// Passes the request on when its header or form field matches the cookie's token. A form body is
/// read here and handed on intact, so handlers never have to remember the check.
async fn check_token(request: Request, expected: Option<&str>) -> Result<Request, Response> {
    let Some(expected) = expected else {
        return Err(refused());
    };
    let header_token = request
        .headers()
        .get(CSRF_HEADER)
        .and_then(|v| v.to_str().ok());
    if header_token.is_some_and(|given| constant_time_eq(given, expected)) {
        return Ok(request);
    }
    let is_form = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return Err(refused());
    }
    let (parts, body) = request.into_parts();
    let bytes = axum::body::to_bytes(body, BODY_LIMIT).await.map_err(|_| {
        HttpError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
            "提交的内容过大",
        )
        .into_response()
    })?;
    let matches = serde_urlencoded::from_bytes::<Vec<(String, String)>>(&bytes)
        .ok()
        .and_then(|pairs| pairs.into_iter().find(|(k, _)| k == CSRF_FIELD))
        .is_some_and(|(_, given)| constant_time_eq(&given, expected));
    if matches {
        Ok(Request::from_parts(parts, Body::from(bytes)))
    } else {
        Err(refused())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(headers: &[(&str, &str)]) -> Request {
        let mut builder = Request::builder().method("POST").uri("/login");
        for (k, v) in headers {
            builder = builder.header(*k, *v);
        }
        builder.body(Body::empty()).expect("request")
    }

    #[test]
    fn origin_rules() {
        assert!(from_own_origin(&request(&[(
            "sec-fetch-site",
            "same-origin"
        )])));
        assert!(!from_own_origin(&request(&[(
            "sec-fetch-site",
            "cross-site"
        )])));
        assert!(!from_own_origin(&request(&[(
            "sec-fetch-site",
            "same-site"
        )])));
        assert!(from_own_origin(&request(&[
            ("origin", "http://a.example:8080"),
            ("host", "a.example:8080")
        ])));
        assert!(!from_own_origin(&request(&[
            ("origin", "http://evil.example"),
            ("host", "a.example:8080")
        ])));
        assert!(!from_own_origin(&request(&[
            ("origin", "null"),
            ("host", "a.example")
        ])));
        assert!(from_own_origin(&request(&[])));
    }

    #[test]
    fn tokens_are_well_formed() {
        assert!(well_formed(&new_token()));
        assert!(!well_formed("short"));
        assert!(constant_time_eq("abc", "abc"));
        assert!(!constant_time_eq("abc", "abd"));
    }
}
