// `sqlx::migrate!` embeds the migration files at compile time, but cargo only rebuilds a crate
// when its sources change: without this, a new migration file alone would not be picked up
// (sqlx's documented remedy).
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
