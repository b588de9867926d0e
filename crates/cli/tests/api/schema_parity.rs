//! Schema parity (issue #13), on a fresh database per backend like every integration test here:
//! the SQLite and PostgreSQL migrations must build the same schema, as
//! every query is written once for both backends. A fresh database of each is migrated and its
//! catalog read back: the tables; per table its columns in order, with their nullability and a
//! type family; its indexes; its triggers.
//!
//! How the two catalogs are made comparable:
//!
//! - **Type families.** Both backends store 64-bit integers (ids, instants in microseconds,
//!   amounts in fen): SQLite `INTEGER`/`INT`/`BIGINT`/`INT8` and PostgreSQL `bigint` are the
//!   family `int64`. PostgreSQL `integer` and `smallint` are families of their own (`int32`,
//!   `int16`): the Rust code decodes `i64`, which sqlx refuses to read from them, so a column
//!   declared `INTEGER` on PostgreSQL by mistake shows up as a mismatch. Booleans are declared
//!   `BOOLEAN` on both sides (SQLite keeps them as 0/1 with NUMERIC affinity), so `boolean` is a
//!   family of its own rather than folded into `int64`. `TEXT`/`VARCHAR`/`CHAR`/`CLOB` and
//!   PostgreSQL `text`/`character varying`/`character` are `text`; `REAL`/`DOUBLE`/`FLOAT` and
//!   `real`/`double precision` are `real`; `BLOB` and `bytea` are `blob`. Anything else is
//!   reported as `unmapped(<declared type>)`, so it never matches by accident.
//! - **Nullability.** SQLite reports an `INTEGER PRIMARY KEY` column (an alias of the rowid) as
//!   nullable, but it never holds NULL (inserting one assigns the next rowid): it counts as
//!   NOT NULL. Any other SQLite primary-key column does admit NULL unless declared NOT NULL (a
//!   documented SQLite quirk), so those are compared as reported.
//! - **Indexes** are compared by how they came about and what they index: the primary key (from
//!   `pragma_table_info` on SQLite, where an `INTEGER PRIMARY KEY` has no index of its own; from
//!   `pg_index.indisprimary` on PostgreSQL), the indexes behind `UNIQUE` constraints (named
//!   `sqlite_autoindex_*` and `*_key`, so compared without names), and the `CREATE INDEX` ones,
//!   which both migrations name alike, so their names are compared too. Each with its key
//!   columns in order (`DESC` marked), its uniqueness and its normalized `WHERE` predicate.
//! - **Triggers** are compared by table, timing, event and granularity, not by name: SQLite needs
//!   one trigger per event (`audit_log_no_update`, `audit_log_no_delete`) where PostgreSQL has one
//!   for both (`audit_log_no_change BEFORE UPDATE OR DELETE`).
//!
//! sqlx's `_sqlx_migrations` and SQLite's internal `sqlite_*` tables are left out; PostgreSQL's
//! trigger function `audit_log_append_only()` has no SQLite counterpart and is not compared.
//!
//! Genuine differences that exist on purpose or are not worth a migration are listed in
//! [`KNOWN_DIFFERENCES`] with their reason; the test fails on any other difference, and on an
//! entry of that list that no longer occurs.

use std::collections::{BTreeMap, BTreeSet};

use dangjian_store::{Conn, ConnectOptions, Store};

use crate::helpers::{Backend, fresh_database};

/// Differences between the backends that are known and accepted, each exactly as the comparison
/// reports it, with the reason it is accepted.
const KNOWN_DIFFERENCES: &[(&str, &str)] = &[
    // SQLite lets a non-INTEGER PRIMARY KEY column hold NULL unless it is declared NOT NULL (a
    // bug SQLite keeps for compatibility); PostgreSQL makes every primary-key column NOT NULL.
    // The store never writes NULL there (session hashes, setting keys and cursor names are always
    // given), and adding NOT NULL on SQLite means rebuilding the tables, so the difference stays.
    (
        "sessions.token_hash: nullable on SQLite, NOT NULL on PostgreSQL",
        "SQLite TEXT PRIMARY KEY admits NULL; never written as NULL",
    ),
    (
        "settings.key: nullable on SQLite, NOT NULL on PostgreSQL",
        "SQLite TEXT PRIMARY KEY admits NULL; never written as NULL",
    ),
    (
        "points_cursor.name: nullable on SQLite, NOT NULL on PostgreSQL",
        "SQLite TEXT PRIMARY KEY admits NULL; never written as NULL",
    ),
];

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Family {
    Int64,
    Int32,
    Int16,
    Boolean,
    Text,
    Real,
    Blob,
    Unmapped(String),
}

/// The family of a type as SQLite's `pragma_table_info` reports it (the declared type).
fn sqlite_family(declared: &str) -> Family {
    let upper = declared.trim().to_ascii_uppercase();
    // `VARCHAR(100)` is a VARCHAR.
    let base = upper.split('(').next().unwrap_or("").trim();
    match base {
        "INTEGER" | "INT" | "BIGINT" | "INT8" => Family::Int64,
        "BOOLEAN" | "BOOL" => Family::Boolean,
        "TEXT" | "VARCHAR" | "CHAR" | "CHARACTER" | "CLOB" => Family::Text,
        "REAL" | "DOUBLE" | "DOUBLE PRECISION" | "FLOAT" => Family::Real,
        "BLOB" => Family::Blob,
        _ => Family::Unmapped(format!("sqlite:{declared}")),
    }
}

/// The family of a type as PostgreSQL's `information_schema.columns.data_type` reports it.
fn postgres_family(data_type: &str) -> Family {
    match data_type {
        "bigint" => Family::Int64,
        "integer" => Family::Int32,
        "smallint" => Family::Int16,
        "boolean" => Family::Boolean,
        "text" | "character varying" | "character" => Family::Text,
        "real" | "double precision" => Family::Real,
        "bytea" => Family::Blob,
        _ => Family::Unmapped(format!("postgres:{data_type}")),
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Column {
    name: String,
    family: Family,
    nullable: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum IndexOrigin {
    PrimaryKey,
    UniqueConstraint,
    /// `CREATE INDEX name ...`: the name is part of the comparison.
    Created(String),
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Index {
    origin: IndexOrigin,
    /// Key columns in order, `DESC` appended to descending ones.
    columns: Vec<String>,
    unique: bool,
    /// The partial index's condition, normalized by [`normalize_predicate`].
    predicate: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Trigger {
    timing: String,
    event: String,
    orientation: String,
}

#[derive(Debug, Default)]
struct Table {
    columns: Vec<Column>,
    indexes: BTreeSet<Index>,
    triggers: BTreeSet<Trigger>,
    trigger_names: BTreeSet<String>,
}

#[derive(Debug, Default)]
struct Schema {
    tables: BTreeMap<String, Table>,
    views: BTreeSet<String>,
}

/// `(status = 'in_progress'::text)` and `status = 'in_progress'` alike: no parentheses, casts or
/// case, single spaces.
fn normalize_predicate(predicate: &str) -> String {
    let without_casts = predicate.replace("::text", "");
    let without_parens: String = without_casts
        .chars()
        .filter(|c| *c != '(' && *c != ')')
        .collect();
    without_parens
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// The condition of a partial index from its `CREATE INDEX` statement (SQLite keeps only that).
fn sqlite_predicate(create_sql: &str) -> Option<String> {
    let upper = create_sql.to_ascii_uppercase();
    let at = upper.rfind(" WHERE ")?;
    Some(normalize_predicate(&create_sql[at + " WHERE ".len()..]))
}

/// Timing and event of a SQLite trigger from its `CREATE TRIGGER` statement.
fn sqlite_trigger(create_sql: &str) -> Trigger {
    let words: Vec<String> = create_sql
        .split_whitespace()
        .map(|w| w.to_ascii_uppercase())
        .collect();
    let at = words
        .iter()
        .position(|w| matches!(w.as_str(), "BEFORE" | "AFTER" | "INSTEAD"))
        .unwrap_or_else(|| panic!("a trigger without timing: {create_sql}"));
    let (timing, event_at) = if words[at] == "INSTEAD" {
        ("INSTEAD OF".to_string(), at + 2)
    } else {
        (words[at].clone(), at + 1)
    };
    Trigger {
        timing,
        event: words[event_at].clone(),
        // SQLite has row triggers only.
        orientation: "ROW".into(),
    }
}

async fn sqlite_schema(store: &Store) -> Schema {
    let mut handle = store.acquire().await.expect("acquire");
    let Conn::Sqlite(c) = handle.conn() else {
        panic!("not a SQLite store");
    };
    let mut schema = Schema::default();
    let objects: Vec<(String, String, String, Option<String>)> = sqlx::query_as(
        "SELECT type, name, tbl_name, sql FROM sqlite_master
         WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name <> '_sqlx_migrations'
         ORDER BY type, name",
    )
    .fetch_all(&mut *c)
    .await
    .expect("read sqlite_master");
    for (kind, name, _, _) in &objects {
        match kind.as_str() {
            "table" => {
                schema.tables.insert(name.clone(), Table::default());
            }
            "view" => {
                schema.views.insert(name.clone());
            }
            _ => {}
        }
    }
    let index_sql: BTreeMap<&str, &str> = objects
        .iter()
        .filter(|(kind, ..)| kind == "index")
        .filter_map(|(_, name, _, sql)| Some((name.as_str(), sql.as_deref()?)))
        .collect();
    for (name, table) in schema.tables.iter_mut() {
        let columns: Vec<(String, String, i64, i64)> = sqlx::query_as(
            "SELECT name, type, \"notnull\", pk FROM pragma_table_info($1) ORDER BY cid",
        )
        .bind(name)
        .fetch_all(&mut *c)
        .await
        .expect("read pragma_table_info");
        let mut primary_key: Vec<(i64, String)> = columns
            .iter()
            .filter(|(.., pk)| *pk > 0)
            .map(|(column, _, _, pk)| (*pk, column.clone()))
            .collect();
        primary_key.sort();
        // A single `INTEGER PRIMARY KEY` column is the rowid: never NULL whatever pragma says.
        let rowid_alias = match primary_key.as_slice() {
            [(_, only)] => columns
                .iter()
                .any(|(column, ty, ..)| column == only && ty.eq_ignore_ascii_case("INTEGER")),
            _ => false,
        }
        .then(|| primary_key[0].1.clone());
        table.columns = columns
            .iter()
            .map(|(column, ty, not_null, _)| Column {
                name: column.clone(),
                family: sqlite_family(ty),
                nullable: *not_null == 0 && rowid_alias.as_ref() != Some(column),
            })
            .collect();
        if !primary_key.is_empty() {
            table.indexes.insert(Index {
                origin: IndexOrigin::PrimaryKey,
                columns: primary_key.into_iter().map(|(_, column)| column).collect(),
                unique: true,
                predicate: None,
            });
        }

        let indexes: Vec<(String, i64, String)> =
            sqlx::query_as("SELECT name, \"unique\", origin FROM pragma_index_list($1)")
                .bind(name)
                .fetch_all(&mut *c)
                .await
                .expect("read pragma_index_list");
        for (index, unique, origin) in indexes {
            let origin = match origin.as_str() {
                // Taken from the table's columns above (a rowid table's key has no index).
                "pk" => continue,
                "u" => IndexOrigin::UniqueConstraint,
                _ => IndexOrigin::Created(index.clone()),
            };
            let keys: Vec<(Option<String>, i64)> = sqlx::query_as(
                "SELECT name, \"desc\" FROM pragma_index_xinfo($1) WHERE key = 1 ORDER BY seqno",
            )
            .bind(&index)
            .fetch_all(&mut *c)
            .await
            .expect("read pragma_index_xinfo");
            let columns = keys
                .into_iter()
                .map(|(column, desc)| {
                    let column = column.unwrap_or_else(|| "<expression>".into());
                    if desc == 1 {
                        format!("{column} DESC")
                    } else {
                        column
                    }
                })
                .collect();
            let predicate = index_sql
                .get(index.as_str())
                .and_then(|sql| sqlite_predicate(sql));
            table.indexes.insert(Index {
                origin,
                columns,
                unique: unique == 1,
                predicate,
            });
        }
    }
    for (kind, name, table, sql) in &objects {
        if kind != "trigger" {
            continue;
        }
        let sql = sql.as_deref().expect("a trigger has its statement");
        let entry = schema
            .tables
            .get_mut(table)
            .unwrap_or_else(|| panic!("trigger {name} on unknown table {table}"));
        entry.triggers.insert(sqlite_trigger(sql));
        entry.trigger_names.insert(name.clone());
    }
    schema
}

/// One index as PostgreSQL's catalog describes it.
#[derive(sqlx::FromRow)]
struct PgIndexRow {
    table_name: String,
    index_name: String,
    is_unique: bool,
    is_primary: bool,
    /// Behind a `UNIQUE` constraint (the primary key's index is marked by `is_primary`).
    from_constraint: bool,
    predicate: Option<String>,
    columns: Vec<String>,
}

async fn postgres_schema(store: &Store) -> Schema {
    let mut handle = store.acquire().await.expect("acquire");
    let Conn::Postgres(c) = handle.conn() else {
        panic!("not a PostgreSQL store");
    };
    let mut schema = Schema::default();
    let tables: Vec<(String, String)> = sqlx::query_as(
        "SELECT table_name::text, table_type::text FROM information_schema.tables
         WHERE table_schema = current_schema() AND table_name <> '_sqlx_migrations'",
    )
    .fetch_all(&mut *c)
    .await
    .expect("read information_schema.tables");
    for (name, kind) in tables {
        match kind.as_str() {
            "BASE TABLE" => {
                schema.tables.insert(name, Table::default());
            }
            "VIEW" => {
                schema.views.insert(name);
            }
            other => panic!("unexpected relation {name} of type {other}"),
        }
    }
    let columns: Vec<(String, String, String, String)> = sqlx::query_as(
        "SELECT table_name::text, column_name::text, data_type::text, is_nullable::text
         FROM information_schema.columns
         WHERE table_schema = current_schema() AND table_name <> '_sqlx_migrations'
         ORDER BY table_name, ordinal_position",
    )
    .fetch_all(&mut *c)
    .await
    .expect("read information_schema.columns");
    for (table, column, data_type, nullable) in columns {
        let Some(entry) = schema.tables.get_mut(&table) else {
            continue; // a view's column
        };
        entry.columns.push(Column {
            name: column,
            family: postgres_family(&data_type),
            nullable: nullable == "YES",
        });
    }
    // Key columns by position (`pg_get_indexdef(index, n, true)` names column n, or gives the
    // expression); bit 0 of `indoption` marks a descending column. `indoption` is 0-based.
    let indexes: Vec<PgIndexRow> = sqlx::query_as(
        "SELECT t.relname::text AS table_name, i.relname::text AS index_name,
                ix.indisunique AS is_unique, ix.indisprimary AS is_primary,
                EXISTS (SELECT 1 FROM pg_constraint k
                        WHERE k.conindid = ix.indexrelid AND k.contype = 'u') AS from_constraint,
                pg_get_expr(ix.indpred, ix.indrelid) AS predicate,
                ARRAY(SELECT pg_get_indexdef(ix.indexrelid, n, true)
                             || CASE WHEN ix.indoption[n - 1] & 1 = 1 THEN ' DESC' ELSE '' END
                      FROM generate_series(1, ix.indnkeyatts::int) AS n ORDER BY n) AS columns
             FROM pg_index ix
             JOIN pg_class i ON i.oid = ix.indexrelid
             JOIN pg_class t ON t.oid = ix.indrelid
             JOIN pg_namespace s ON s.oid = t.relnamespace
             WHERE s.nspname = current_schema() AND t.relname <> '_sqlx_migrations'",
    )
    .fetch_all(&mut *c)
    .await
    .expect("read pg_index");
    for row in indexes {
        let origin = if row.is_primary {
            IndexOrigin::PrimaryKey
        } else if row.from_constraint {
            IndexOrigin::UniqueConstraint
        } else {
            IndexOrigin::Created(row.index_name)
        };
        schema
            .tables
            .get_mut(&row.table_name)
            .unwrap_or_else(|| panic!("index on unknown table {}", row.table_name))
            .indexes
            .insert(Index {
                origin,
                columns: row.columns,
                unique: row.is_unique,
                predicate: row.predicate.as_deref().map(normalize_predicate),
            });
    }
    // One row per event of each trigger.
    let triggers: Vec<(String, String, String, String, String)> = sqlx::query_as(
        "SELECT event_object_table::text, trigger_name::text, action_timing::text,
                event_manipulation::text, action_orientation::text
         FROM information_schema.triggers WHERE trigger_schema = current_schema()",
    )
    .fetch_all(&mut *c)
    .await
    .expect("read information_schema.triggers");
    for (table, name, timing, event, orientation) in triggers {
        let entry = schema
            .tables
            .get_mut(&table)
            .unwrap_or_else(|| panic!("trigger {name} on unknown table {table}"));
        entry.triggers.insert(Trigger {
            timing,
            event,
            orientation,
        });
        entry.trigger_names.insert(name);
    }
    // information_schema.triggers lists only triggers the user may alter, so cross-check with
    // pg_trigger (internal triggers, such as those behind foreign keys, excluded).
    let counted: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM pg_trigger g
         JOIN pg_class t ON t.oid = g.tgrelid
         JOIN pg_namespace s ON s.oid = t.relnamespace
         WHERE s.nspname = current_schema() AND NOT g.tgisinternal",
    )
    .fetch_one(&mut *c)
    .await
    .expect("read pg_trigger");
    let seen: usize = schema.tables.values().map(|t| t.trigger_names.len()).sum();
    assert_eq!(
        counted as usize, seen,
        "pg_trigger and information_schema.triggers disagree"
    );
    schema
}

/// Every difference between the schemas, one line each.
fn differences(sqlite: &Schema, postgres: &Schema) -> Vec<String> {
    let mut found = Vec::new();
    for view in sqlite.views.symmetric_difference(&postgres.views) {
        let side = if sqlite.views.contains(view) {
            "SQLite"
        } else {
            "PostgreSQL"
        };
        found.push(format!("view {view}: only on {side}"));
    }
    let names: BTreeSet<&String> = sqlite.tables.keys().chain(postgres.tables.keys()).collect();
    for name in names {
        match (sqlite.tables.get(name), postgres.tables.get(name)) {
            (Some(lite), Some(pg)) => compare_table(name, lite, pg, &mut found),
            (Some(_), None) => found.push(format!("table {name}: only on SQLite")),
            (None, _) => found.push(format!("table {name}: only on PostgreSQL")),
        }
    }
    found
}

fn compare_table(name: &str, lite: &Table, pg: &Table, found: &mut Vec<String>) {
    let lite_names: Vec<&str> = lite.columns.iter().map(|c| c.name.as_str()).collect();
    let pg_names: Vec<&str> = pg.columns.iter().map(|c| c.name.as_str()).collect();
    for column in &lite.columns {
        match pg.columns.iter().find(|c| c.name == column.name) {
            None => found.push(format!("{name}.{}: only on SQLite", column.name)),
            Some(other) => {
                if column.family != other.family {
                    found.push(format!(
                        "{name}.{}: type {:?} on SQLite, {:?} on PostgreSQL",
                        column.name, column.family, other.family
                    ));
                }
                if column.nullable != other.nullable {
                    let says = |nullable: bool| if nullable { "nullable" } else { "NOT NULL" };
                    found.push(format!(
                        "{name}.{}: {} on SQLite, {} on PostgreSQL",
                        column.name,
                        says(column.nullable),
                        says(other.nullable)
                    ));
                }
            }
        }
    }
    for column in &pg.columns {
        if !lite_names.contains(&column.name.as_str()) {
            found.push(format!("{name}.{}: only on PostgreSQL", column.name));
        }
    }
    let common = |names: &[&str], others: &[&str]| -> Vec<String> {
        names
            .iter()
            .filter(|n| others.contains(n))
            .map(|n| n.to_string())
            .collect()
    };
    let lite_order = common(&lite_names, &pg_names);
    let pg_order = common(&pg_names, &lite_names);
    if lite_order != pg_order {
        found.push(format!(
            "{name}: column order {lite_order:?} on SQLite, {pg_order:?} on PostgreSQL"
        ));
    }
    for index in lite.indexes.difference(&pg.indexes) {
        found.push(format!("{name}: index only on SQLite: {index:?}"));
    }
    for index in pg.indexes.difference(&lite.indexes) {
        found.push(format!("{name}: index only on PostgreSQL: {index:?}"));
    }
    for trigger in lite.triggers.difference(&pg.triggers) {
        found.push(format!("{name}: trigger only on SQLite: {trigger:?}"));
    }
    for trigger in pg.triggers.difference(&lite.triggers) {
        found.push(format!("{name}: trigger only on PostgreSQL: {trigger:?}"));
    }
}

async fn migrated_sqlite(dir: &tempfile::TempDir) -> Store {
    let url = format!("sqlite://{}", dir.path().join("parity.db").display());
    let store = Store::connect(&url, &ConnectOptions::default())
        .await
        .expect("connect to SQLite");
    store.migrate().await.expect("migrate SQLite");
    store
}

#[test]
fn type_names_map_to_families() {
    assert_eq!(sqlite_family("INTEGER"), Family::Int64);
    assert_eq!(sqlite_family("bigint"), Family::Int64);
    assert_eq!(sqlite_family("BOOLEAN"), Family::Boolean);
    assert_eq!(sqlite_family("VARCHAR(20)"), Family::Text);
    assert_eq!(sqlite_family("BLOB"), Family::Blob);
    assert_eq!(sqlite_family("REAL"), Family::Real);
    assert_eq!(
        sqlite_family("DATETIME"),
        Family::Unmapped("sqlite:DATETIME".into())
    );
    assert_eq!(postgres_family("bigint"), Family::Int64);
    assert_eq!(postgres_family("integer"), Family::Int32);
    assert_eq!(postgres_family("boolean"), Family::Boolean);
    assert_eq!(postgres_family("character varying"), Family::Text);
    assert_eq!(postgres_family("bytea"), Family::Blob);
    assert_eq!(postgres_family("double precision"), Family::Real);
    assert_eq!(
        postgres_family("timestamp with time zone"),
        Family::Unmapped("postgres:timestamp with time zone".into())
    );
}

#[test]
fn predicates_and_triggers_are_normalized() {
    assert_eq!(
        normalize_predicate("(status = 'in_progress'::text)"),
        "status = 'in_progress'"
    );
    assert_eq!(
        sqlite_predicate(
            "CREATE UNIQUE INDEX a ON applicants(id_number) WHERE status = 'in_progress'"
        )
        .as_deref(),
        Some("status = 'in_progress'")
    );
    assert_eq!(sqlite_predicate("CREATE INDEX a ON t(x)"), None);
    assert_eq!(
        sqlite_trigger("CREATE TRIGGER t_no_delete BEFORE DELETE ON t\nBEGIN SELECT 1; END"),
        Trigger {
            timing: "BEFORE".into(),
            event: "DELETE".into(),
            orientation: "ROW".into(),
        }
    );
}

#[test]
fn the_comparison_reports_each_kind_of_difference() {
    let table = |family: Family, nullable: bool, index: &str, event: &str| Table {
        columns: vec![
            Column {
                name: "id".into(),
                family: Family::Int64,
                nullable: false,
            },
            Column {
                name: "x".into(),
                family,
                nullable,
            },
        ],
        indexes: BTreeSet::from([Index {
            origin: IndexOrigin::Created(index.into()),
            columns: vec!["x".into()],
            unique: false,
            predicate: None,
        }]),
        triggers: BTreeSet::from([Trigger {
            timing: "BEFORE".into(),
            event: event.into(),
            orientation: "ROW".into(),
        }]),
        trigger_names: BTreeSet::new(),
    };
    let lite = Schema {
        tables: BTreeMap::from([
            ("t".into(), table(Family::Int64, true, "t_x", "UPDATE")),
            ("only_lite".into(), Table::default()),
        ]),
        views: BTreeSet::new(),
    };
    let pg = Schema {
        tables: BTreeMap::from([("t".into(), table(Family::Int32, false, "t_x2", "DELETE"))]),
        views: BTreeSet::new(),
    };
    let found = differences(&lite, &pg);
    assert_eq!(found.len(), 7, "{found:#?}");
    assert!(found.contains(&"table only_lite: only on SQLite".to_string()));
    assert!(found.contains(&"t.x: type Int64 on SQLite, Int32 on PostgreSQL".to_string()));
    assert!(found.contains(&"t.x: nullable on SQLite, NOT NULL on PostgreSQL".to_string()));
    assert_eq!(
        found.iter().filter(|f| f.contains("index only on")).count(),
        2
    );
    assert_eq!(
        found
            .iter()
            .filter(|f| f.contains("trigger only on"))
            .count(),
        2
    );
    assert!(differences(&pg, &pg).is_empty());
}

/// Runs without a PostgreSQL server: the SQLite catalog reads as the comparison expects, so the
/// parity test below compares something real.
#[tokio::test]
async fn the_sqlite_schema_reads_back_completely() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = migrated_sqlite(&dir).await;
    let schema = sqlite_schema(&store).await;
    store.close().await;

    for table in [
        "org_nodes",
        "accounts",
        "audit_log",
        "members",
        "points_entries",
    ] {
        assert!(schema.tables.contains_key(table), "{table} is missing");
    }
    assert!(!schema.tables.contains_key("_sqlx_migrations"));
    assert!(!schema.tables.keys().any(|t| t.starts_with("sqlite_")));
    for (name, table) in &schema.tables {
        assert!(!table.columns.is_empty(), "{name} has no columns");
        for column in &table.columns {
            assert!(
                !matches!(column.family, Family::Unmapped(_)),
                "{name}.{} has an unmapped type {:?}",
                column.name,
                column.family
            );
        }
    }
    let org_nodes = &schema.tables["org_nodes"];
    let id = org_nodes.columns.iter().find(|c| c.name == "id").unwrap();
    assert_eq!((id.family.clone(), id.nullable), (Family::Int64, false));
    assert!(org_nodes.indexes.contains(&Index {
        origin: IndexOrigin::PrimaryKey,
        columns: vec!["id".into()],
        unique: true,
        predicate: None,
    }));
    let rank = &schema.tables["points_member_totals"];
    assert!(rank.indexes.contains(&Index {
        origin: IndexOrigin::Created("points_member_totals_rank".into()),
        columns: vec![
            "period".into(),
            "points DESC".into(),
            "member_id".into(),
            "branch_path".into()
        ],
        unique: false,
        predicate: None,
    }));
    let applicants = &schema.tables["applicants"];
    assert!(applicants.indexes.iter().any(|i| i.origin
        == IndexOrigin::Created("applicants_one_pipeline".into())
        && i.unique
        && i.predicate.as_deref() == Some("status = 'in_progress'")));
    let audit_events: BTreeSet<&str> = schema.tables["audit_log"]
        .triggers
        .iter()
        .map(|t| t.event.as_str())
        .collect();
    assert_eq!(audit_events, BTreeSet::from(["DELETE", "UPDATE"]));
}

#[tokio::test]
#[cfg_attr(
    not(postgres_tests),
    ignore = "set DANGJIAN_TEST_POSTGRES_URL to run on PostgreSQL"
)]
async fn sqlite_and_postgres_migrations_build_the_same_schema() {
    let dir = tempfile::tempdir().expect("temp dir");
    let sqlite = migrated_sqlite(&dir).await;
    let lite = sqlite_schema(&sqlite).await;
    sqlite.close().await;

    let url = fresh_database(Backend::Postgres, &dir).await;
    let postgres = Store::connect(&url, &ConnectOptions::default())
        .await
        .expect("connect to PostgreSQL");
    postgres.migrate().await.expect("migrate PostgreSQL");
    let pg = postgres_schema(&postgres).await;
    postgres.close().await;

    let found = differences(&lite, &pg);
    let known: BTreeSet<&str> = KNOWN_DIFFERENCES.iter().map(|(d, _)| *d).collect();
    let unexpected: Vec<&String> = found
        .iter()
        .filter(|f| !known.contains(f.as_str()))
        .collect();
    let stale: Vec<&&str> = known
        .iter()
        .filter(|k| !found.iter().any(|f| f == **k))
        .collect();
    assert!(
        unexpected.is_empty(),
        "the backends' schemas differ:\n{}",
        unexpected
            .iter()
            .map(|f| format!("  {f}"))
            .collect::<Vec<_>>()
            .join("\n")
    );
    assert!(
        stale.is_empty(),
        "KNOWN_DIFFERENCES lists differences that no longer exist, remove them: {stale:?}"
    );
    // The trigger names differ by design (one PostgreSQL trigger covers UPDATE and DELETE); each
    // side still names its triggers after the table, so a stray trigger stands out.
    for (name, table) in lite.tables.iter().chain(pg.tables.iter()) {
        for trigger in &table.trigger_names {
            assert!(
                trigger.starts_with(&format!("{name}_")),
                "trigger {trigger} on {name}"
            );
        }
    }
}
