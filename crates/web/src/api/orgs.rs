use axum::Json;
use axum::extract::State;
use dangjian_app::orgs::{self, OrgView};
use dangjian_domain::access::Action;

use super::ErrorBody;
use crate::AppState;
use crate::error::HttpError;
use crate::session::CurrentActor;

/// The organization nodes the caller may see, in tree order.
#[utoipa::path(get, path = "/api/v1/orgs", tag = "orgs",
    responses((status = 200, body = Vec<OrgView>), (status = 403, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
) -> Result<Json<Vec<OrgView>>, HttpError> {
    Ok(Json(
        orgs::orgs_in_reach(&state.app, &actor, Action::ViewOrg).await?,
    ))
}
