//! Every route of the application, each declared public or signed-in. The router is built only
//! from this table, so a route cannot exist without saying who may reach it; the integration test
//! `every_route_is_public_or_guarded` walks [`table`] and checks each answer.
//!
//! A route is one line, `.get(path, access, handler)` (or `post`, `put`, `delete`): the declared
//! methods are those of the handlers given, so the table and the router cannot disagree. Each
//! area (`crate::areas`) keeps its routes, pages and JSON API side by side in its own folder.

use std::collections::BTreeMap;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::handler::Handler;
use axum::routing::{self, MethodRouter};

use crate::AppState;
use crate::areas::{AREAS, ops};
use crate::session::{require_signed_in, require_signed_in_allow_initial_password};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone, signed in or not.
    Public,
    /// A signed-in account that has set its own password.
    SignedIn,
    /// A signed-in account, even one still on its initial password (to change it, or sign out).
    SignedInInitialPassword,
}

#[derive(Debug, Clone, Copy)]
pub struct RouteSpec {
    pub path: &'static str,
    pub methods: &'static [&'static str],
    pub access: Access,
}

/// One area of the product as the web layer knows it: its routes (pages and API side by side),
/// the entries it puts in the navigation, and its part of the OpenAPI document. A new area is a
/// folder under `areas/` and one line in [`AREAS`].
pub(crate) struct Area {
    pub routes: fn(Table) -> Table,
    pub navigation: &'static [NavEntry],
    pub api: fn() -> utoipa::openapi::OpenApi,
}

/// A module of the navigation: shown to roles that may take `action` somewhere (`None`: everyone
/// signed in), in the order of `position`.
pub(crate) struct NavEntry {
    pub position: u8,
    pub href: &'static str,
    pub label: &'static str,
    pub description: &'static str,
    pub action: Option<dangjian_domain::Action>,
    /// The short label of the phone's bottom tab bar, for the few entries a member uses most.
    pub tab: Option<&'static str>,
}

/// An area without API operations.
pub(crate) fn no_api() -> utoipa::openapi::OpenApi {
    utoipa::openapi::OpenApiBuilder::new().build()
}

/// Every route, by area.
fn routes() -> Table {
    AREAS
        .iter()
        .fold(Table::default(), |table, area| table.then(area.routes))
}

/// Every route with its access, for tests and documentation.
pub fn table() -> Vec<RouteSpec> {
    let mut specs = routes().specs();
    specs.extend(ops::DOCS_ROUTES);
    specs
}

/// Where the pieces of pages that htmx fetches live: not pages, never a place to land.
pub const PARTIALS: &str = "/partials/";

/// Whether `path` (without its query) is a page of ours: a GET route outside the API. The only
/// places a sign-in may send a browser back to.
pub(crate) fn is_page(path: &str) -> bool {
    static PAGES: std::sync::OnceLock<Vec<&'static str>> = std::sync::OnceLock::new();
    let pages = PAGES.get_or_init(|| {
        table()
            .into_iter()
            .filter(|spec| spec.methods.contains(&"GET") && !spec.path.starts_with("/api/"))
            .filter(|spec| !spec.path.starts_with(PARTIALS))
            .map(|spec| spec.path)
            .collect()
    });
    pages.iter().any(|pattern| path_matches(pattern, path))
}

/// Whether the route `pattern` (`/orgs/{id}`, `/static/{*path}`) serves `path`.
fn path_matches(pattern: &str, path: &str) -> bool {
    let mut wanted = pattern.trim_matches('/').split('/');
    let mut given = path.trim_matches('/').split('/');
    loop {
        match (wanted.next(), given.next()) {
            (None, None) => return true,
            (Some(w), Some(g)) if w.starts_with("{*") => return !g.is_empty(),
            (Some(w), Some(g)) if w == g || (w.starts_with('{') && !g.is_empty()) => {}
            _ => return false,
        }
    }
}

pub(crate) fn build(state: AppState) -> Router {
    routes()
        .router()
        .merge(ops::docs())
        .fallback(crate::ops::not_found)
        .with_state(state)
}

#[derive(Debug, Clone, Copy)]
enum Verb {
    Get,
    Post,
    Put,
    Delete,
}

impl Verb {
    fn name(self) -> &'static str {
        match self {
            Verb::Get => "GET",
            Verb::Post => "POST",
            Verb::Put => "PUT",
            Verb::Delete => "DELETE",
        }
    }

    fn bit(self) -> u8 {
        1 << self as u8
    }
}

/// Each set of verbs as the `methods` of a [`RouteSpec`], indexed by the set's bits.
const METHOD_SETS: [&[&str]; 16] = [
    &[],
    &["GET"],
    &["POST"],
    &["GET", "POST"],
    &["PUT"],
    &["GET", "PUT"],
    &["POST", "PUT"],
    &["GET", "POST", "PUT"],
    &["DELETE"],
    &["GET", "DELETE"],
    &["POST", "DELETE"],
    &["GET", "POST", "DELETE"],
    &["PUT", "DELETE"],
    &["GET", "PUT", "DELETE"],
    &["POST", "PUT", "DELETE"],
    &["GET", "POST", "PUT", "DELETE"],
];

/// One path: its access, the verbs declared so far and one method router per verb, merged when
/// the router is built (axum refuses a path routed twice).
struct Route {
    access: Access,
    verbs: u8,
    handlers: Vec<MethodRouter<AppState>>,
}

/// The routes declared so far, by path.
#[derive(Default)]
pub(crate) struct Table {
    routes: BTreeMap<&'static str, Route>,
    /// The path of the last route declared, for [`Table::limit`].
    last: Option<&'static str>,
}

impl Table {
    /// Adds one area's routes, kept in its own file.
    fn then(self, area: fn(Table) -> Table) -> Table {
        area(self)
    }

    pub(crate) fn get<H: Handler<T, AppState>, T: 'static>(
        self,
        path: &'static str,
        access: Access,
        handler: H,
    ) -> Table {
        self.on(path, access, Verb::Get, routing::get(handler))
    }

    pub(crate) fn post<H: Handler<T, AppState>, T: 'static>(
        self,
        path: &'static str,
        access: Access,
        handler: H,
    ) -> Table {
        self.on(path, access, Verb::Post, routing::post(handler))
    }

    pub(crate) fn put<H: Handler<T, AppState>, T: 'static>(
        self,
        path: &'static str,
        access: Access,
        handler: H,
    ) -> Table {
        self.on(path, access, Verb::Put, routing::put(handler))
    }

    pub(crate) fn delete<H: Handler<T, AppState>, T: 'static>(
        self,
        path: &'static str,
        access: Access,
        handler: H,
    ) -> Table {
        self.on(path, access, Verb::Delete, routing::delete(handler))
    }

    /// Lets the route declared just before take bodies up to `bytes` (uploads) instead of
    /// `BODY_LIMIT`.
    pub(crate) fn limit(mut self, bytes: usize) -> Table {
        let route = self
            .last
            .and_then(|path| self.routes.get_mut(path))
            .expect("`limit` follows the route it applies to");
        let handler = route
            .handlers
            .pop()
            .expect("a declared route has a handler");
        route
            .handlers
            .push(handler.layer(DefaultBodyLimit::max(bytes)));
        self
    }

    fn on(
        mut self,
        path: &'static str,
        access: Access,
        verb: Verb,
        handler: MethodRouter<AppState>,
    ) -> Table {
        let route = self.routes.entry(path).or_insert(Route {
            access,
            verbs: 0,
            handlers: Vec::new(),
        });
        assert!(
            route.access == access,
            "route {} {path} is declared {access:?}, but the path's other methods are {:?}: \
             a path has one access",
            verb.name(),
            route.access,
        );
        assert!(
            route.verbs & verb.bit() == 0,
            "route {} {path} is declared twice",
            verb.name(),
        );
        route.verbs |= verb.bit();
        route.handlers.push(handler);
        self.last = Some(path);
        self
    }

    fn specs(&self) -> Vec<RouteSpec> {
        self.routes
            .iter()
            .map(|(&path, route)| RouteSpec {
                path,
                methods: METHOD_SETS[usize::from(route.verbs)],
                access: route.access,
            })
            .collect()
    }

    /// The router: each path's handlers merged into one route, behind its access guard.
    fn router(self) -> Router<AppState> {
        let mut router = Router::new();
        for (path, route) in self.routes {
            let handlers = route
                .handlers
                .into_iter()
                .reduce(MethodRouter::merge)
                .expect("a declared route has a handler");
            let guarded = match route.access {
                Access::Public => handlers,
                Access::SignedIn => {
                    handlers.route_layer(axum::middleware::from_fn(require_signed_in))
                }
                Access::SignedInInitialPassword => handlers.route_layer(axum::middleware::from_fn(
                    require_signed_in_allow_initial_password,
                )),
            };
            router = router.route(path, guarded);
        }
        router
    }
}

#[cfg(test)]
mod tests {
    use super::Access::{Public, SignedIn};
    use super::*;

    async fn nothing() {}

    #[test]
    fn methods_on_one_path_make_one_route() {
        let table = Table::default()
            .get("/a", SignedIn, nothing)
            .delete("/a", SignedIn, nothing)
            .post("/a", SignedIn, nothing)
            .put("/b", Public, nothing);
        let specs = table.specs();
        assert_eq!(specs.len(), 2);
        assert_eq!(specs[0].path, "/a");
        assert_eq!(specs[0].methods, ["GET", "POST", "DELETE"]);
        assert_eq!(specs[1].methods, ["PUT"]);
        let _ = table.router();
    }

    #[test]
    #[should_panic(expected = "a path has one access")]
    fn a_path_has_one_access() {
        let _ = Table::default()
            .get("/a", Public, nothing)
            .post("/a", SignedIn, nothing);
    }

    #[test]
    #[should_panic(expected = "route GET /a is declared twice")]
    fn a_method_is_declared_once_per_path() {
        let _ = Table::default()
            .get("/a", SignedIn, nothing)
            .get("/a", SignedIn, nothing);
    }

    #[test]
    fn method_sets_follow_the_bits() {
        for (bits, methods) in METHOD_SETS.iter().enumerate() {
            let expected: Vec<&str> = [Verb::Get, Verb::Post, Verb::Put, Verb::Delete]
                .into_iter()
                .filter(|verb| bits & usize::from(verb.bit()) != 0)
                .map(Verb::name)
                .collect();
            assert_eq!(*methods, expected.as_slice());
        }
    }

    /// axum panics on conflicting routes when they are added: building the real table here
    /// catches that before the server starts.
    #[test]
    fn the_application_routes_build() {
        let _ = routes().router();
    }
}
