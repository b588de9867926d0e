//! 党费基数一览: every member's category and base on one form, saved together after a
//! confirmation listing what changes. Plain forms, so it works without JavaScript.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use dangjian_app::AppError;
use dangjian_app::dues::bases_grid::{self, BasesGrid, GridEdit, GridSave};
use dangjian_app::members::import::RowError;
use dangjian_domain::OrgId;

use super::HERE;
use crate::AppState;
use crate::error::HttpError;
use crate::extract::{FormFields, IdPath, PageForm, QueryParams};
use crate::pages::notice::{self, Notice, NoticeQuery};
use crate::pages::{Csrf, Layout, ok, render};
use crate::session::{Ctx, CurrentActor};

#[derive(Template)]
#[template(path = "dues/dues_bases.html")]
struct GridPage {
    layout: Layout,
    grid: BasesGrid,
    reason: String,
    notice: Option<&'static str>,
    error: Option<String>,
    row_errors: Vec<RowError>,
}

#[derive(Template)]
#[template(path = "dues/dues_bases_confirm.html")]
struct ConfirmPage {
    layout: Layout,
    org_id: i64,
    org_name: String,
    save: GridSave,
    changes: Vec<String>,
}

/// The form's fields: the month and reason, then per row `member_id`, `category`, `base` in order.
fn read(fields: &FormFields) -> Result<GridSave, AppError> {
    let field = |name: &str| fields.first(name);
    let mut rows: Vec<GridEdit> = Vec::new();
    for (key, value) in &fields.0 {
        match key.as_str() {
            "member_id" => rows.push(GridEdit {
                member_id: value.trim().parse().map_err(|_| {
                    AppError::invalid("member_id", "党员编号不对，请刷新页面后重新填写")
                })?,
                category: String::new(),
                base: String::new(),
            }),
            "category" | "base" => {
                let Some(row) = rows.last_mut() else {
                    return Err(AppError::invalid(
                        "member_id",
                        "表格不完整，请刷新页面后重新填写",
                    ));
                };
                if key == "category" {
                    row.category = value.clone();
                } else {
                    row.base = value.clone();
                }
            }
            _ => {}
        }
    }
    Ok(GridSave {
        effective_from: field("effective_from"),
        reason: field("reason"),
        rows,
        confirm: field("confirm") == "1",
    })
}

pub async fn show(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Csrf(csrf): Csrf,
    IdPath(id): IdPath,
    QueryParams(query): QueryParams<NoticeQuery>,
) -> Result<Response, HttpError> {
    let grid = bases_grid::grid(&state.app, &actor, OrgId(id)).await?;
    Ok(ok(&GridPage {
        layout: Layout::for_actor(csrf, &actor, HERE),
        grid,
        reason: String::new(),
        notice: query.text(),
        error: None,
        row_errors: Vec::new(),
    }))
}

/// What the form held, shown again when something is wrong.
fn again(grid: &mut BasesGrid, save: &GridSave) {
    for row in &mut grid.rows {
        if let Some(edit) = save.rows.iter().find(|e| e.member_id == row.member_id) {
            row.category = edit.category.clone();
            row.base = edit.base.clone();
        }
    }
    grid.effective_from = save.effective_from.clone();
}

pub async fn save(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    Csrf(csrf): Csrf,
    IdPath(id): IdPath,
    PageForm(fields): PageForm<FormFields>,
) -> Result<Response, HttpError> {
    let (save, result) = match read(&fields) {
        Ok(save) => {
            let result = bases_grid::save(&state.app, &actor, &ctx, OrgId(id), &save).await;
            (Some(save), result)
        }
        Err(error) => (None, Err(error)),
    };
    let (error, row_errors) = match result {
        Ok(Ok(saved)) if saved.done => {
            return Ok(notice::redirect(
                &format!("/orgs/{id}/dues/bases"),
                Notice::DuesBaseSet,
            ));
        }
        Ok(Ok(saved)) if !saved.changes.is_empty() => {
            let grid = bases_grid::grid(&state.app, &actor, OrgId(id)).await?;
            let save = save.unwrap_or_else(|| GridSave {
                effective_from: String::new(),
                reason: String::new(),
                rows: Vec::new(),
                confirm: false,
            });
            return Ok(ok(&ConfirmPage {
                layout: Layout::for_actor(csrf, &actor, HERE),
                org_id: id,
                org_name: grid.org_name,
                save,
                changes: saved.changes,
            }));
        }
        Ok(Ok(_)) => (
            AppError::Conflict("没有改动：所有党员的基数与现行一致。".into()),
            Vec::new(),
        ),
        Ok(Err(row_errors)) => (
            AppError::invalid(
                "rows",
                format!("有 {} 处问题，未保存任何改动：", row_errors.len()),
            ),
            row_errors,
        ),
        Err(error @ (AppError::Invalid { .. } | AppError::Conflict(_))) => (error, Vec::new()),
        Err(error) => return Err(error.into()),
    };
    let status = crate::error::status_of(&error);
    let mut grid = bases_grid::grid(&state.app, &actor, OrgId(id)).await?;
    if let Some(save) = &save {
        again(&mut grid, save);
    }
    let page = GridPage {
        layout: Layout::for_actor(csrf, &actor, HERE),
        grid,
        reason: save.map(|s| s.reason).unwrap_or_default(),
        notice: None,
        error: Some(error.to_string()),
        row_errors,
    };
    Ok(render(status, &page))
}
