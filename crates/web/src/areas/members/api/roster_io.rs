//! Roster files over the API: the import template, an import (multipart upload), an export.

use axum::Json;
use axum::extract::State;
use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use dangjian_app::AppError;
use dangjian_app::members::export::{self, Caller, ExportRequest};
use dangjian_app::members::import::{self, ImportOutcome, RowError};
use dangjian_domain::OrgId;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::AppState;
use crate::api::ErrorBody;
use crate::areas::members::pages::roster_io::{TEMPLATE_FILE_NAME, read_upload, xlsx_response};
use crate::error::{HttpError, OwnBody, status_of};
use crate::extract::QueryParams;
use crate::session::{Ctx, CurrentActor};

/// An .xlsx workbook (`application/vnd.openxmlformats-officedocument.spreadsheetml.sheet`).
// Schema only: the OpenAPI document describes the download with it.
#[allow(dead_code)]
#[derive(ToSchema)]
#[schema(value_type = String, format = Binary)]
pub struct XlsxFile(Vec<u8>);

/// Import template (.xlsx): the header row in file order (姓名 … 困难党员, 所在党小组), a note on
/// each column and drop-down lists; a second sheet explains how to fill it in.
#[utoipa::path(get, path = "/api/v1/members/import-template", tag = "members",
    responses(
        (status = 200, description = "导入模板", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = XlsxFile),
        (status = 403, body = ErrorBody)))]
pub async fn import_template(CurrentActor(actor): CurrentActor) -> Result<Response, HttpError> {
    let bytes = export::import_template(Caller::Actor(&actor))?;
    Ok(xlsx_response(bytes, TEMPLATE_FILE_NAME))
}

/// The multipart form of an import.
// Schema only: the handler reads the multipart stream field by field.
#[allow(dead_code)]
#[derive(ToSchema)]
pub struct ImportForm {
    /// The branch or group to import into. Into a branch, the 所在党小组 column places rows in its
    /// groups by name.
    pub org_id: i64,
    /// The .xlsx or .csv file (UTF-8 or GB18030); the file name's extension matters for .csv.
    #[schema(value_type = String, format = Binary)]
    pub file: Vec<u8>,
}

#[derive(Serialize, ToSchema)]
pub struct ImportResult {
    /// How many members were imported.
    pub imported: u64,
}

/// A refused import: nothing was written. `errors` lists every problem (at most 1000;
/// `total_errors` counts them all); it is empty when the request itself was wrong (no file, an
/// unreadable file, a node that cannot hold members).
#[derive(Serialize, ToSchema)]
pub struct ImportErrorBody {
    /// `invalid`.
    pub code: String,
    pub message: String,
    pub request_id: String,
    pub errors: Vec<RowError>,
    pub total_errors: u64,
}

pub(crate) fn refused(
    message: String,
    request_id: String,
    errors: Vec<RowError>,
    total: u64,
) -> Response {
    let body = ImportErrorBody {
        code: "invalid".into(),
        message,
        request_id,
        errors,
        total_errors: total,
    };
    let mut response = (StatusCode::UNPROCESSABLE_ENTITY, Json(body)).into_response();
    response.extensions_mut().insert(OwnBody);
    response
}

/// Import members from an .xlsx or .csv file into a branch or group: every row and cell is checked
/// first, and either all rows are imported (in one transaction, audited) or none.
#[utoipa::path(post, path = "/api/v1/members/import", tag = "members",
    request_body(content = inline(ImportForm), content_type = "multipart/form-data"),
    responses(
        (status = 200, body = ImportResult),
        (status = 422, body = ImportErrorBody),
        (status = 403, body = ErrorBody),
        (status = 413, body = ErrorBody)))]
pub async fn import(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, HttpError> {
    let (org, file) = match read_upload(multipart).await?.into_parts() {
        Ok(parts) => parts,
        Err(error) => return Ok(refused(error.to_string(), ctx.request_id, Vec::new(), 0)),
    };
    match import::import_members(&state.app, Caller::Actor(&actor), org, file, &ctx, &()).await {
        Ok(ImportOutcome::Imported(done)) => Ok(Json(ImportResult {
            imported: done.count,
        })
        .into_response()),
        Ok(ImportOutcome::Rejected(rejected)) => Ok(refused(
            rejected.message(),
            ctx.request_id,
            rejected.errors,
            rejected.total_errors,
        )),
        Err(error) if status_of(&error) == StatusCode::UNPROCESSABLE_ENTITY => {
            Ok(refused(error.to_string(), ctx.request_id, Vec::new(), 0))
        }
        Err(error) => Err(error.into()),
    }
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExportParams {
    /// The node whose subtree to export; without it, everything within the caller's reach.
    pub org_id: Option<i64>,
    /// Whole ID numbers and phones (only for roles that may see personal data there; audited as
    /// such). Otherwise they are masked, and the file cannot be imported back.
    #[serde(default)]
    pub unmasked: bool,
}

/// Export a subtree's roster as .xlsx in the import format. Every export is audited.
#[utoipa::path(post, path = "/api/v1/members/export", tag = "members", params(ExportParams),
    responses(
        (status = 200, description = "党员花名册", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = XlsxFile),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn export(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    QueryParams(params): QueryParams<ExportParams>,
) -> Result<Response, HttpError> {
    let request = ExportRequest {
        org_id: params.org_id.map(OrgId),
        unmasked: params.unmasked,
    };
    let exported =
        export::export_members(&state.app, Caller::Actor(&actor), request, &ctx, Vec::new())
            .await
            .map_err(|e: AppError| HttpError::from(e))?;
    Ok(xlsx_response(exported.sink, &exported.file_name))
}
