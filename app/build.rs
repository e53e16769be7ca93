//! `sqlx::migrate!` embeds the migrations when the crate is compiled; without this, a new or
//! changed migration would not rebuild it.

fn main() {
    println!("cargo:rerun-if-changed=../migrations");
}
