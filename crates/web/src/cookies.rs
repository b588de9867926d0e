//! The site's cookies in one place: their names, the one function that writes a `Set-Cookie`
//! with the project's attributes, reading one back from a request, and the CSRF token a request
//! carries. [`crate::session`], [`crate::csrf`] and [`crate::error`] depend on this module for
//! cookie matters, never on each other.
//!
//! Every cookie is `Path=/; HttpOnly; SameSite=Lax`, plus `Secure` when
//! [`WebConfig::secure_cookies`] says the site is served over HTTPS. None is readable from
//! JavaScript: pages embed the CSRF token in their forms and in `<body hx-headers>`.
//!
//! Over HTTPS the names carry the `__Host-` prefix (`__Host-dj_session`): a browser then accepts
//! the cookie only with `Secure`, `Path=/` and no `Domain`, so neither a sibling subdomain nor a
//! plain-HTTP page can plant or overwrite one of ours (a planted CSRF cookie would defeat the
//! double-submit check; a planted session would sign the victim in as the attacker).

use axum::http::header::{self, InvalidHeaderValue};
use axum::http::{HeaderMap, HeaderValue, Request};

use crate::WebConfig;

/// One of our cookies: its name over plain HTTP and its `__Host-` name over HTTPS.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cookie {
    plain: &'static str,
    host: &'static str,
}

impl Cookie {
    /// The name this site uses: `__Host-…` when its cookies are `Secure`.
    pub fn name(self, config: &WebConfig) -> &'static str {
        if config.secure_cookies {
            self.host
        } else {
            self.plain
        }
    }

    /// The name without the prefix (a site served over plain HTTP, the API documentation).
    pub const fn plain_name(self) -> &'static str {
        self.plain
    }
}

/// The signed-in browser's session token.
pub const SESSION: Cookie = Cookie {
    plain: "dj_session",
    host: "__Host-dj_session",
};
/// The browser's CSRF token, submitted back with every unsafe request (see [`crate::csrf`]).
pub const CSRF: Cookie = Cookie {
    plain: "dj_csrf",
    host: "__Host-dj_csrf",
};

/// How long the browser keeps a cookie.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lifetime {
    /// Until the browser session ends (no `Max-Age`).
    Browser,
    /// This many seconds (`Max-Age`).
    Seconds(i64),
    /// Remove it now (`Max-Age=0`, empty value).
    Expired,
}

/// The `Set-Cookie` value for `name=value` with the project's attributes. Fails only when the
/// value holds characters a header cannot carry (our values are generated tokens).
pub fn set_cookie(
    config: &WebConfig,
    cookie: Cookie,
    value: &str,
    lifetime: Lifetime,
) -> Result<HeaderValue, InvalidHeaderValue> {
    let (value, max_age) = match lifetime {
        Lifetime::Browser => (value, String::new()),
        Lifetime::Seconds(seconds) => (value, format!("; Max-Age={seconds}")),
        Lifetime::Expired => ("", "; Max-Age=0".to_string()),
    };
    let secure = if config.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    let name = cookie.name(config);
    HeaderValue::from_str(&format!(
        "{name}={value}; Path=/; HttpOnly; SameSite=Lax{max_age}{secure}"
    ))
}

/// The `Set-Cookie` value that removes the cookie `name`.
pub fn removal(config: &WebConfig, cookie: Cookie) -> HeaderValue {
    // Our names are constants of valid characters, so this never fails; were it to, an empty
    // `Set-Cookie` is one the browser ignores.
    set_cookie(config, cookie, "", Lifetime::Expired)
        .unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// The value of one of our cookies in the request's `Cookie` headers (under the site's name for
/// it: over HTTPS an unprefixed `dj_session` is not ours and is ignored).
pub fn read(headers: &HeaderMap, config: &WebConfig, cookie: Cookie) -> Option<String> {
    let name = cookie.name(config);
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

/// The CSRF token of this request's browser, put on the request by [`crate::csrf::protect`]
/// (which sets the cookie when the browser had none) for pages to embed in their forms.
#[derive(Debug, Clone)]
pub struct CsrfToken(pub String);

/// Whether a response signs the browser in or out: it sets the cookie `cookie`.
pub fn sets(headers: &HeaderMap, config: &WebConfig, cookie: Cookie) -> bool {
    let prefix = format!("{}=", cookie.name(config));
    headers
        .get_all(header::SET_COOKIE)
        .iter()
        .any(|v| v.as_bytes().starts_with(prefix.as_bytes()))
}

/// The request's CSRF token: the one [`crate::csrf::protect`] attached, else the cookie's.
pub fn csrf_token<B>(request: &Request<B>, config: &WebConfig) -> Option<String> {
    request
        .extensions()
        .get::<CsrfToken>()
        .map(|t| t.0.clone())
        .or_else(|| read(request.headers(), config, CSRF))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(secure_cookies: bool) -> WebConfig {
        WebConfig {
            secure_cookies,
            trust_forwarded_for: false,
        }
    }

    fn text(value: Result<HeaderValue, InvalidHeaderValue>) -> String {
        value
            .expect("valid header")
            .to_str()
            .expect("ascii")
            .to_string()
    }

    #[test]
    fn cookies_carry_the_project_attributes() {
        assert_eq!(
            text(set_cookie(
                &config(false),
                SESSION,
                "abc",
                Lifetime::Seconds(60)
            )),
            "dj_session=abc; Path=/; HttpOnly; SameSite=Lax; Max-Age=60"
        );
        assert_eq!(
            text(set_cookie(&config(true), CSRF, "abc", Lifetime::Browser)),
            "__Host-dj_csrf=abc; Path=/; HttpOnly; SameSite=Lax; Secure"
        );
        assert_eq!(
            removal(&config(true), SESSION).to_str().expect("ascii"),
            "__Host-dj_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0; Secure"
        );
        assert_eq!(
            removal(&config(false), SESSION).to_str().expect("ascii"),
            "dj_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0"
        );
        assert!(set_cookie(&config(false), SESSION, "a\nb", Lifetime::Browser).is_err());
    }

    #[test]
    fn cookies_are_found_among_others() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; dj_csrf=abc; b=2"),
        );
        assert_eq!(read(&headers, &config(false), CSRF).as_deref(), Some("abc"));
        assert_eq!(read(&headers, &config(false), SESSION), None);
        // Over HTTPS only the prefixed name is ours: a `dj_csrf` planted without it is ignored.
        assert_eq!(read(&headers, &config(true), CSRF), None);
        headers.append(
            header::COOKIE,
            HeaderValue::from_static("__Host-dj_csrf=def"),
        );
        assert_eq!(read(&headers, &config(true), CSRF).as_deref(), Some("def"));
    }
}
