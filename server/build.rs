//! Rebuilds the server when a migration is added or changed: the migrations
//! are compiled into it (`store::migrate`), and a new directory alone is no
//! source change cargo would otherwise notice.

fn main() {
    println!("cargo:rerun-if-changed=../migrations");
}
