use axum::Json;
use axum::extract::State;
use dangjian_app::Page;
use dangjian_app::audit::{self, AuditEntryView, AuditVerifyReport};

use crate::AppState;
use crate::api::ErrorBody;
use crate::areas::accounts::pages::audit::AuditFilterForm;
use crate::error::HttpError;
use crate::extract::QueryParams;
use crate::session::CurrentActor;

/// The audit log within the caller's scope, newest first.
#[utoipa::path(get, path = "/api/v1/audit", tag = "audit",
    params(("actor" = Option<String>, Query, description = "操作人姓名片段"),
           ("entity_type" = Option<String>, Query), ("entity_id" = Option<String>, Query),
           ("from" = Option<String>, Query, description = "起始日期 2026-01-01（含）"),
           ("to" = Option<String>, Query, description = "截止日期（含）"),
           ("page" = Option<i64>, Query), ("per_page" = Option<i64>, Query)),
    responses((status = 200, body = Page<AuditEntryView>), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    QueryParams(filter): QueryParams<AuditFilterForm>,
) -> Result<Json<Page<AuditEntryView>>, HttpError> {
    let query = filter.to_query()?;
    Ok(Json(
        audit::browse(&state.app, &actor, &query, filter.page_params()).await?,
    ))
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
