use askama::Template;
use axum::extract::State;
use axum::response::Response;
use dangjian_app::tokens::{self, TokenView};
use dangjian_app::{AppError, accounts};
use dangjian_domain::{Phone, TokenId};
use serde::Deserialize;

use super::accounts::SecretPage;
use crate::AppState;
use crate::error::HttpError;
use crate::extract::{IdPath, PageForm, QueryParams};
use crate::pages::notice::{self, Notice, NoticeQuery};
use crate::pages::{Csrf, Layout, ok, render};
use crate::session::{Ctx, CurrentActor};

const HERE: &str = "/admin/tokens";

#[derive(Template)]
#[template(path = "accounts/tokens.html")]
struct TokensPage {
    layout: Layout,
    tokens: Vec<TokenView>,
    notice: Option<&'static str>,
    error: Option<String>,
}

pub async fn list(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Csrf(csrf): Csrf,
    QueryParams(query): QueryParams<NoticeQuery>,
) -> Result<Response, HttpError> {
    let tokens = tokens::list_tokens(&state.app, &actor).await?;
    let notice = query.text();
    Ok(ok(&TokensPage {
        layout: Layout::for_actor(csrf, &actor, HERE),
        tokens,
        notice,
        error: None,
    }))
}

#[derive(Deserialize)]
pub struct IssueForm {
    #[serde(default)]
    account_phone: String,
    #[serde(default)]
    name: String,
}

pub async fn issue(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    Csrf(csrf): Csrf,
    PageForm(form): PageForm<IssueForm>,
) -> Result<Response, HttpError> {
    let result = async {
        let phone = Phone::parse(&form.account_phone)
            .map_err(|e| AppError::invalid("account_phone", e.to_string()))?;
        let account = accounts::find_managed_by_phone(&state.app, &actor, &phone).await?;
        tokens::issue_token(&state.app, &actor, account.id, &form.name, &ctx).await
    }
    .await;
    match result {
        Ok((token, secret)) => Ok(ok(&SecretPage {
            layout: Layout::for_actor(csrf, &actor, HERE),
            title: "令牌已签发",
            explanation: format!(
                "已为 {} 签发令牌「{}」。请复制下面的令牌，配置到对接系统中：",
                token.account_name, token.name
            ),
            secret,
            back_href: HERE,
            back_label: "返回令牌列表",
        })),
        Err(
            error @ (AppError::Invalid { .. } | AppError::NotFound(_) | AppError::Forbidden(_)),
        ) => {
            let tokens = tokens::list_tokens(&state.app, &actor).await?;
            let status = crate::error::status_of(&error);
            let page = TokensPage {
                layout: Layout::for_actor(csrf, &actor, HERE),
                tokens,
                notice: None,
                error: Some(error.to_string()),
            };
            Ok(render(status, &page))
        }
        Err(error) => Err(error.into()),
    }
}

pub async fn revoke(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    IdPath(id): IdPath,
) -> Result<Response, HttpError> {
    tokens::revoke_token(&state.app, &actor, TokenId(id), &ctx).await?;
    Ok(notice::redirect(HERE, Notice::TokenRevoked))
}
