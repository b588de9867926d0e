//! The frame around every page: the user box, the navigation and the phone's tab bar offered
//! by role, and the CSRF token the page's forms carry.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use dangjian_app::Actor;

use crate::cookies::CsrfToken;

pub struct NavItem {
    pub href: &'static str,
    pub label: &'static str,
    pub description: &'static str,
    pub active: bool,
}

pub struct UserBox {
    pub name: String,
    pub role_label: &'static str,
    pub org_name: Option<String>,
}

/// What the shared frame of every page shows.
pub struct Layout {
    pub csrf: String,
    pub user: Option<UserBox>,
    pub nav: Vec<NavItem>,
    /// The phone's bottom tab bar: the entries with a tab label, under that label.
    pub tabs: Vec<NavItem>,
}

/// Every area's navigation entries in their order; an entry appears only for roles that may use
/// it.
fn navigation() -> &'static [&'static crate::routes::NavEntry] {
    static ENTRIES: std::sync::OnceLock<Vec<&'static crate::routes::NavEntry>> =
        std::sync::OnceLock::new();
    ENTRIES.get_or_init(|| {
        let mut entries: Vec<_> = crate::areas::AREAS
            .iter()
            .flat_map(|area| area.navigation)
            .collect();
        entries.sort_by_key(|entry| entry.position);
        entries
    })
}

impl Layout {
    /// The frame of an error page or a page before sign-in: no user, no navigation.
    pub fn bare(csrf: String) -> Layout {
        Layout {
            csrf,
            user: None,
            nav: Vec::new(),
            tabs: Vec::new(),
        }
    }

    pub fn for_actor(csrf: String, actor: &Actor, active: &str) -> Layout {
        let offered: Vec<_> = navigation()
            .iter()
            .filter(|entry| entry.action.is_none_or(|a| actor.grant.may_ever(a)))
            .collect();
        let item = |entry: &crate::routes::NavEntry, label: &'static str| NavItem {
            href: entry.href,
            label,
            description: entry.description,
            active: entry.href == active,
        };
        let nav = offered
            .iter()
            .map(|entry| item(entry, entry.label))
            .collect();
        let tabs = offered
            .iter()
            .filter_map(|entry| entry.tab.map(|tab| item(entry, tab)))
            .collect();
        let user = UserBox {
            name: actor.name.clone(),
            role_label: actor.role().label(),
            org_name: actor.org_name.clone(),
        };
        Layout {
            csrf,
            user: Some(user),
            nav,
            tabs,
        }
    }
}

/// The CSRF token to embed in this page's forms.
pub struct Csrf(pub String);

impl<S: Send + Sync> FromRequestParts<S> for Csrf {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(Csrf(
            parts
                .extensions
                .get::<CsrfToken>()
                .map(|t| t.0.clone())
                .unwrap_or_default(),
        ))
    }
}
