//! `bench generate`: writes a synthetic organization in batches of branches, each batch one
//! transaction of multi-row INSERTs. The maintained counters (`activity_counters`,
//! `member_life_months`, `dues_totals`) are computed here from the same rows and inserted with
//! them: a branch's and its groups' rows with the batch, the committees' (which sum many batches)
//! at the end. The test `bench_generate_keeps_counters` compares them with a full recount.

use dangjian_store::bench::{self, Rows, Val};

pub use super::batch::{Batch, Ids};

use super::CREATED_AT;
use super::activities::branch_year;
use super::people::{dues_year, members};
use super::points::{AutoItems, book_branch};
use super::tree::{Scale, Tree};
use crate::secrets::{hash_password, random_token};
use crate::{App, AppError, AppResult};

/// Branches per transaction: about 70,000 rows, a few hundred milliseconds of writing.
const BATCH_BRANCHES: usize = 50;

/// The id of the benchmark's system administrator (the creator of every synthetic record).
pub const ADMIN_ACCOUNT: i64 = 1;
pub const ADMIN_PHONE: &str = "13000000000";

#[derive(Debug, Clone, Copy)]
pub struct Progress {
    pub branches_done: u64,
    pub branches: u64,
    pub rows: u64,
}

#[derive(Debug, Clone, Default)]
pub struct GenerateSummary {
    pub nodes: u64,
    pub branches: u64,
    pub members: u64,
    pub activities: u64,
    pub attendances: u64,
    pub dues_months: u64,
    pub points_entries: u64,
    pub rows: u64,
}

async fn write(app: &App, tables: &[Rows]) -> AppResult<u64> {
    let mut tx = app.begin().await?;
    let mut rows = 0;
    for table in tables {
        bench::insert_rows(tx.conn(), table).await?;
        rows += table.len() as u64;
    }
    tx.commit().await?;
    Ok(rows)
}

/// Fills an empty database with the scale's organization, reporting after each batch.
pub async fn generate(
    app: &App,
    scale: Scale,
    progress: &(dyn Fn(Progress) + Send + Sync),
) -> AppResult<GenerateSummary> {
    {
        let mut handle = app.store.acquire().await?;
        if bench::has_orgs(handle.conn()).await? {
            return Err(AppError::Conflict(
                "数据库中已有组织；基准数据只能生成到空数据库 / the database is not empty".into(),
            ));
        }
    }
    let tree = Tree::build(scale);
    let mut summary = GenerateSummary {
        nodes: tree.nodes.len() as u64,
        branches: tree.branches.len() as u64,
        ..Default::default()
    };
    summary.rows += write(
        app,
        &[nodes(&tree), admin(&hash_password(random_token("")).await?)],
    )
    .await?;
    let ids = Ids {
        member: 1,
        position: 1,
        activity: 1,
        base: 1,
        month: 1,
        entry: 1,
    };
    let items = AutoItems::new();
    let mut committees = Batch::new(&tree, ids);
    for (done, chunk) in tree.branches.chunks(BATCH_BRANCHES).enumerate() {
        let mut batch = Batch::new(&tree, committees.ids.clone());
        for shape in chunk {
            let branch = tree.nodes[shape.node].id;
            let groups: Vec<i64> = shape.groups.iter().map(|g| tree.nodes[*g].id).collect();
            let people = members(&mut batch, branch, &groups, shape.members);
            for person in &people {
                dues_year(&mut batch, person, branch);
            }
            branch_year(&mut batch, branch, &groups, &people);
            let facts = std::mem::take(&mut batch.facts);
            book_branch(&mut batch, branch, facts, &items);
        }
        batch.roll_up();
        batch.take_committees(&mut committees);
        committees.ids = batch.ids.clone();
        summary.members += batch.members.len() as u64;
        summary.activities += batch.activities.len() as u64;
        summary.attendances += batch.attendees.len() as u64;
        summary.dues_months += batch.dues_months.len() as u64;
        summary.points_entries += batch.points_entries.len() as u64;
        summary.rows += write(app, &batch.tables()).await?;
        progress(Progress {
            branches_done: ((done + 1) * BATCH_BRANCHES).min(tree.branches.len()) as u64,
            branches: tree.branches.len() as u64,
            rows: summary.rows,
        });
    }
    summary.rows += write(app, &committees.tables()).await?;
    let mut tx = app.begin().await?;
    let tables = [
        "org_nodes",
        "accounts",
        "members",
        "positions",
        "activities",
        "dues_bases",
        "dues_months",
        "points_entries",
    ];
    bench::reset_sequences(tx.conn(), app.store.backend(), &tables).await?;
    tx.commit().await?;
    Ok(summary)
}

fn nodes(tree: &Tree) -> Rows {
    let mut rows = Rows::new(
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
    for node in &tree.nodes {
        rows.push(vec![
            node.id.into(),
            node.parent.into(),
            node.kind.code().into(),
            node.name.clone().into(),
            node.path.clone().into(),
            "active".into(),
            CREATED_AT.into(),
        ]);
    }
    rows
}

/// The system administrator that created the synthetic records; its password is random and
/// discarded (`bench run` issues itself an API token instead).
fn admin(password_hash: &str) -> Rows {
    let mut rows = Rows::new(
        "accounts",
        &[
            "id",
            "phone",
            "name",
            "password_hash",
            "role",
            "must_change_password",
            "created_at",
            "updated_at",
        ],
    );
    rows.push(vec![
        ADMIN_ACCOUNT.into(),
        ADMIN_PHONE.into(),
        "基准测试管理员".into(),
        password_hash.into(),
        "system_admin".into(),
        Val::Bool(false),
        CREATED_AT.into(),
        CREATED_AT.into(),
    ]);
    rows
}
