use axum::Json;
use axum::extract::State;
use dangjian_app::audit::{self, AuditEntryView, AuditVerifyReport};
use dangjian_app::{AppError, Page, PageParams};

use crate::AppState;
use crate::api::ErrorBody;
use crate::areas::accounts::pages::audit::AuditFilterForm;
use crate::error::HttpError;
use crate::extract::QueryParams;
use crate::session::CurrentActor;

/// The date bounds as given: absent, or a date (an empty value is refused).
#[derive(serde::Deserialize)]
pub struct DateBounds {
    from: Option<String>,
    to: Option<String>,
}

/// The audit log within the caller's scope, newest first.
#[utoipa::path(get, path = "/api/v1/audit", tag = "audit",
    params(("actor" = Option<String>, Query, description = "操作人姓名片段"),
           ("entity_type" = Option<String>, Query), ("entity_id" = Option<String>, Query),
           ("from" = Option<String>, Query, format = Date, description = "起始日期 2026-01-01（含）"),
           ("to" = Option<String>, Query, format = Date, description = "截止日期（含）"),
           crate::areas::members::api::members::Paging),
    responses((status = 200, body = Page<AuditEntryView>), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    QueryParams(filter): QueryParams<AuditFilterForm>,
    QueryParams(paging): QueryParams<crate::areas::members::api::members::Paging>,
    QueryParams(bounds): QueryParams<DateBounds>,
) -> Result<Json<Page<AuditEntryView>>, HttpError> {
    // The page's form sends an empty date for "no bound"; the API's dates are dates.
    for (field, given) in [("from", &bounds.from), ("to", &bounds.to)] {
        if given.as_deref().is_some_and(|d| d.trim().is_empty()) {
            return Err(AppError::invalid(field, "日期格式应为 2026-01-31，不能为空").into());
        }
    }
    let query = filter.to_query()?;
    let page = PageParams::checked(paging.page, paging.per_page)?;
    Ok(Json(audit::browse(&state.app, &actor, &query, page).await?))
}

/// Recomputes the audit log's hash chain and reports the first broken entry (system
/// administrators only: the chain spans every organization).
#[utoipa::path(get, path = "/api/v1/audit/verify", tag = "audit",
    responses((status = 200, body = AuditVerifyReport), (status = 403, body = ErrorBody)))]
pub async fn verify(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
) -> Result<Json<AuditVerifyReport>, HttpError> {
    Ok(Json(audit::verify(&state.app, &actor).await?))
}
