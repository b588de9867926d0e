use askama::Template;
use axum::extract::State;
use axum::response::Response;
use dangjian_app::audit::{self, AuditEntryView, AuditQuery, AuditVerifyReport, EntityTypeOption};
use dangjian_app::{AppError, PageParams};
use serde::Deserialize;

use crate::AppState;
use crate::error::HttpError;
use crate::extract::QueryParams;
use crate::pages::{Csrf, Layout, Pager, ok, page_number};
use crate::session::CurrentActor;

const HERE: &str = "/admin/audit";

#[derive(Template)]
#[template(path = "accounts/audit.html")]
struct AuditPage {
    layout: Layout,
    entries: Vec<AuditEntryView>,
    entity_types: Vec<EntityTypeOption>,
    filter: AuditFilterForm,
    pager: Pager,
    error: Option<String>,
    can_verify: bool,
}

/// The filter as typed; kept as text so a half-typed date shows an error instead of a bare 400.
#[derive(Deserialize, Default)]
pub struct AuditFilterForm {
    #[serde(default)]
    pub actor: String,
    #[serde(default)]
    pub entity_type: String,
    #[serde(default)]
    pub entity_id: String,
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
    pub page: Option<String>,
    pub per_page: Option<String>,
}

fn non_empty(s: &str) -> Option<String> {
    let s = s.trim();
    (!s.is_empty()).then(|| s.to_string())
}

fn date(raw: &str, field: &'static str) -> Result<Option<jiff::civil::Date>, AppError> {
    match non_empty(raw) {
        None => Ok(None),
        Some(text) => text.parse().map(Some).map_err(|_| {
            AppError::invalid(field, format!("日期格式应为 2026-01-31，收到「{text}」"))
        }),
    }
}

impl AuditFilterForm {
    /// The use case's query, or the reason the filter cannot be read.
    pub fn to_query(&self) -> Result<AuditQuery, AppError> {
        Ok(AuditQuery {
            actor: non_empty(&self.actor),
            entity_type: non_empty(&self.entity_type),
            entity_id: non_empty(&self.entity_id),
            from: date(&self.from, "from")?,
            to: date(&self.to, "to")?,
        })
    }

    pub fn page_params(&self) -> PageParams {
        PageParams::new(
            page_number(self.page.as_deref()),
            page_number(self.per_page.as_deref()),
        )
    }
}

pub async fn list(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Csrf(csrf): Csrf,
    QueryParams(filter): QueryParams<AuditFilterForm>,
) -> Result<Response, HttpError> {
    let (query, error) = match filter.to_query() {
        Ok(query) => (query, None),
        Err(error) => (AuditQuery::default(), Some(error.to_string())),
    };
    let page = audit::browse(&state.app, &actor, &query, filter.page_params()).await?;
    let entity_types = audit::entity_types(&state.app, &actor).await?;
    let pager = Pager::new(
        &page,
        HERE,
        &[
            ("actor", &filter.actor),
            ("entity_type", &filter.entity_type),
            ("from", &filter.from),
            ("to", &filter.to),
        ],
    );
    let view = AuditPage {
        layout: Layout::for_actor(csrf, &actor, HERE),
        entries: page.items,
        entity_types,
        filter,
        pager,
        error,
        can_verify: dangjian_app::audit::may_verify(&actor),
    };
    Ok(ok(&view))
}

#[derive(Template)]
#[template(path = "accounts/audit_verify.html")]
struct VerifyPage {
    layout: Layout,
    report: AuditVerifyReport,
}

/// The audit chain recomputed, as the ledger's verification page does for points.
pub async fn verify(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Csrf(csrf): Csrf,
) -> Result<Response, HttpError> {
    let report = audit::verify(&state.app, &actor).await?;
    Ok(ok(&VerifyPage {
        layout: Layout::for_actor(csrf, &actor, HERE),
        report,
    }))
}
