//! Decides when the integration tests are built whether their PostgreSQL variants run, so that
//! without a server they are reported as ignored rather than passing without having run.
//! `DANGJIAN_TEST_POSTGRES_URL` names the server; under `CI=true` they always run, and a missing
//! URL fails them.

fn main() {
    println!("cargo::rustc-check-cfg=cfg(postgres_tests)");
    println!("cargo::rerun-if-env-changed=DANGJIAN_TEST_POSTGRES_URL");
    println!("cargo::rerun-if-env-changed=CI");
    let url_set = std::env::var("DANGJIAN_TEST_POSTGRES_URL").is_ok_and(|url| !url.is_empty());
    let in_ci = std::env::var("CI").is_ok_and(|ci| ci == "true");
    if url_set || in_ci {
        println!("cargo::rustc-cfg=postgres_tests");
    }
}
