// `sqlx::migrate!` embeds the migration files at compile time, but cargo only rebuilds a crate
// when its sources change: without this, a new migration file alone would not be picked up
// (sqlx's documented remedy).
//
// It also decides, as crates/cli/build.rs does, whether the PostgreSQL integration tests
// (tests/schema_parity.rs) run: `DANGJIAN_TEST_POSTGRES_URL` names the server; under `CI=true`
// they always run, and a missing URL fails them. Without either they are reported as ignored
// rather than passing without having run.
fn main() {
    println!("cargo:rerun-if-changed=migrations");
    println!("cargo::rustc-check-cfg=cfg(postgres_tests)");
    println!("cargo::rerun-if-env-changed=DANGJIAN_TEST_POSTGRES_URL");
    println!("cargo::rerun-if-env-changed=CI");
    let url_set = std::env::var("DANGJIAN_TEST_POSTGRES_URL").is_ok_and(|url| !url.is_empty());
    let in_ci = std::env::var("CI").is_ok_and(|ci| ci == "true");
    if url_set || in_ci {
        println!("cargo::rustc-cfg=postgres_tests");
    }
}
