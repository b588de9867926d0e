//! What `bench run` needs in a generated database: an API token for the administrator (the read
//! paths), an account and token for each check-in client (a distinct member each), and activities
//! open for check-in today in which every client is expected. They are written like the generator
//! writes, and stay in the database afterwards (published activities never count as held).

use dangjian_domain::time::to_micros;
use dangjian_store::accounts::{self, NewAccount};
use dangjian_store::bench::{self, Rows, Val};
use dangjian_store::tokens;

use super::generate::ADMIN_ACCOUNT;
use super::mix;
use crate::secrets::{random_token, token_hash};
use crate::{App, AppError, AppResult};

/// An open activity and its check-in secret (the client computes current codes from it, as the
/// host's screen does).
#[derive(Debug, Clone)]
pub struct OpenActivity {
    pub id: i64,
    pub secret: String,
}

#[derive(Debug, Clone)]
pub struct RunFixtures {
    pub admin_token: String,
    /// (member id, API token) per client.
    pub clients: Vec<(i64, String)>,
    pub activities: Vec<OpenActivity>,
    pub root: i64,
    pub branch: i64,
    pub member: i64,
    /// An empty branch under the root for the roster import, and the synthetic person number its
    /// file starts from (past every member so far, so ID numbers never collide).
    pub import_branch: i64,
    pub import_from: u64,
}

/// Prepares `clients` check-in clients and `activities` open activities at the root.
pub async fn prepare_run(app: &App, clients: i64, activities: i64) -> AppResult<RunFixtures> {
    let not_generated =
        || AppError::Conflict("数据库中没有基准数据，请先运行 bench generate".into());
    let now = to_micros(app.now());
    let mut tx = app.begin().await?;
    let root = bench::first_of_kind(tx.conn(), "committee")
        .await?
        .ok_or_else(not_generated)?;
    let branch = bench::first_of_kind(tx.conn(), "branch")
        .await?
        .ok_or_else(not_generated)?;
    let admin_token = random_token(crate::tokens::TOKEN_PREFIX);
    tokens::insert_token(
        tx.conn(),
        ADMIN_ACCOUNT,
        "bench run",
        &token_hash(&admin_token),
        ADMIN_ACCOUNT,
        now,
    )
    .await?;
    let members = bench::client_members(tx.conn(), clients).await?;
    let member = members.first().map(|m| m.0).ok_or_else(not_generated)?;
    let mut client_tokens = Vec::new();
    for (member_id, org_id, name) in &members {
        let phone = format!("170{member_id:08}");
        let account = match accounts::account_by_phone(tx.conn(), &phone).await? {
            Some(account) => account.id,
            None => {
                let new = NewAccount {
                    phone: &phone,
                    name,
                    password_hash: "!",
                    role: "member",
                    org_id: Some(*org_id),
                    must_change_password: false,
                    member_id: Some(*member_id),
                    now,
                };
                accounts::insert_account(tx.conn(), &new).await?
            }
        };
        let token = random_token(crate::tokens::TOKEN_PREFIX);
        tokens::insert_token(
            tx.conn(),
            account,
            "bench check-in",
            &token_hash(&token),
            ADMIN_ACCOUNT,
            now,
        )
        .await?;
        client_tokens.push((*member_id, token));
    }
    let first = bench::next_id(tx.conn(), "activities").await?;
    let mut rows = Rows::new(
        "activities",
        &[
            "id",
            "org_id",
            "kind",
            "topic",
            "starts_at",
            "ends_at",
            "held_on",
            "status",
            "needs_approval",
            "created_by",
            "published_at",
            "checkin_secret",
            "checkin_open",
            "created_at",
            "updated_at",
        ],
    );
    let mut attendees = Rows::new(
        "activity_attendees",
        &["activity_id", "member_id", "invited_as", "status"],
    );
    let today = app.today().to_string();
    let mut open = Vec::new();
    for id in first..first + activities {
        let secret = format!(
            "{:016x}{:016x}",
            mix(&[20, id as u64, now as u64]),
            mix(&[21, id as u64])
        );
        rows.push(vec![
            id.into(),
            root.into(),
            "theme_day".into(),
            format!("基准测试签到活动 {id}").into(),
            now.into(),
            (now + 7_200_000_000).into(),
            today.clone().into(),
            "published".into(),
            Val::Bool(false),
            ADMIN_ACCOUNT.into(),
            now.into(),
            secret.clone().into(),
            Val::Bool(true),
            now.into(),
            now.into(),
        ]);
        for (member_id, _, _) in &members {
            attendees.push(vec![
                id.into(),
                (*member_id).into(),
                "基准测试".into(),
                "expected".into(),
            ]);
        }
        open.push(OpenActivity { id, secret });
    }
    bench::insert_rows(tx.conn(), &rows).await?;
    bench::insert_rows(tx.conn(), &attendees).await?;
    let import_branch = bench::next_id(tx.conn(), "org_nodes").await?;
    let mut node = Rows::new(
        "org_nodes",
        &[
            "id",
            "parent_id",
            "kind",
            "name",
            "path",
            "status",
            "created_at",
        ],
    );
    node.push(vec![
        import_branch.into(),
        root.into(),
        "branch".into(),
        format!("基准测试导入党支部 {import_branch}").into(),
        format!("/{root}/{import_branch}/").into(),
        "active".into(),
        now.into(),
    ]);
    bench::insert_rows(tx.conn(), &node).await?;
    let import_from = 40_000_000 + bench::next_id(tx.conn(), "members").await? as u64;
    bench::reset_sequences(
        tx.conn(),
        app.store.backend(),
        &["activities", "accounts", "org_nodes"],
    )
    .await?;
    tx.commit().await?;
    Ok(RunFixtures {
        admin_token,
        clients: client_tokens,
        activities: open,
        root,
        branch,
        member,
        import_branch,
        import_from,
    })
}
