//! 本月全部已交 on the sheet page: the sheet's form (the ticked members, or all) posts here and gets
//! a confirmation page listing each member and amount, and who is skipped and why; that page's
//! form posts the same fields with `confirm=1` and the listed members, and only then is anything
//! written. Plain forms, so it works without JavaScript.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use dangjian_app::AppError;
use dangjian_app::dues::batch::{self, BatchPayment, BatchPaymentInput};
use dangjian_domain::OrgId;

use super::HERE;
use super::sheet::sheet_page;
use crate::AppState;
use crate::areas::dues::api::MonthQuery;
use crate::error::HttpError;
use crate::extract::{FormFields, IdPath, PageForm};
use crate::pages::notice::{self, Notice};
use crate::pages::{Csrf, Layout, ok, render};
use crate::session::{Ctx, CurrentActor};

#[derive(Template)]
#[template(path = "dues/dues_batch_confirm.html")]
struct ConfirmPage {
    layout: Layout,
    batch: BatchPayment,
}

/// The form's fields as the use case takes them. A form repeats `member_id` once per ticked row;
/// `scope=all` means every member who owes the month, whatever is ticked.
fn input_of(fields: &FormFields, today: jiff::civil::Date) -> Result<BatchPaymentInput, AppError> {
    let field = |name: &str| fields.first(name);
    let member_ids = if field("scope") == "all" {
        None
    } else {
        let ids = fields
            .all("member_id")
            .map(|v| {
                v.trim().parse::<i64>().map_err(|_| {
                    AppError::invalid("member_ids", "所选党员的编号不对，请刷新页面后重新勾选")
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        Some(ids)
    };
    Ok(BatchPaymentInput {
        month: MonthQuery {
            month: field("month"),
        }
        .month_or_current(today),
        member_ids,
        paid_on: field("paid_on"),
        channel: field("channel"),
        receipt_no: field("receipt_no"),
        dry_run: field("confirm") != "1",
        expected_total_fen: match field("expected_total_fen").trim() {
            "" => None,
            text => Some(text.parse::<i64>().map_err(|_| {
                AppError::invalid(
                    "expected_total_fen",
                    "确认页的合计金额不对，请返回收缴表重新确认",
                )
            })?),
        },
    })
}

pub async fn pay_batch(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    Csrf(csrf): Csrf,
    IdPath(id): IdPath,
    PageForm(fields): PageForm<FormFields>,
) -> Result<Response, HttpError> {
    let today = state.app.today();
    let month = MonthQuery {
        month: fields.first("month"),
    }
    .month_or_current(today);
    let result = match input_of(&fields, today) {
        Ok(input) => {
            batch::record_month_for_many(&state.app, &actor, OrgId(id), &input, &ctx).await
        }
        Err(error) => Err(error),
    };
    match result {
        Ok(batch) if batch.dry_run => Ok(ok(&ConfirmPage {
            layout: Layout::for_actor(csrf, &actor, HERE),
            batch,
        })),
        Ok(_) => Ok(notice::redirect(
            &format!("/orgs/{id}/dues?month={month}"),
            Notice::DuesPaid,
        )),
        // A refusal of the input shows the sheet again with what was wrong.
        Err(error @ (AppError::Invalid { .. } | AppError::Conflict(_))) => {
            let status = crate::error::status_of(&error);
            let page = sheet_page(
                &state,
                &actor,
                csrf,
                id,
                &month,
                None,
                Some(error.to_string()),
            )
            .await?;
            Ok(render(status, &page))
        }
        Err(error) => Err(error.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(pairs: &[(&str, &str)]) -> FormFields {
        FormFields(
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        )
    }

    #[test]
    fn all_ignores_the_ticks_and_only_confirm_writes() {
        let today = jiff::civil::date(2026, 3, 5);
        let input = input_of(
            &fields(&[("scope", "all"), ("member_id", "3"), ("channel", "现金")]),
            today,
        )
        .expect("input");
        assert_eq!(input.member_ids, None);
        assert_eq!(input.month, "2026-03");
        assert!(input.dry_run);
        let input = input_of(
            &fields(&[("member_id", "3"), ("member_id", "4"), ("confirm", "1")]),
            today,
        )
        .expect("input");
        assert_eq!(input.member_ids, Some(vec![3, 4]));
        assert!(!input.dry_run);
    }

    #[test]
    fn a_garbled_member_id_is_refused_not_dropped() {
        let today = jiff::civil::date(2026, 3, 5);
        assert!(input_of(&fields(&[("member_id", "3x")]), today).is_err());
    }
}
