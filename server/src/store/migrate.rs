//! Embedded migrations for both backends, run at start and by `commonhall migrate`.

use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

use super::connection::DbConn;

const SQLITE: EmbeddedMigrations = embed_migrations!("../migrations/sqlite");
const POSTGRES: EmbeddedMigrations = embed_migrations!("../migrations/postgres");

#[derive(Debug, thiserror::Error)]
#[error("database migration failed: {0}")]
pub struct MigrationError(String);

/// Applies every pending migration; returns the names of those applied.
pub fn run_pending(conn: &mut DbConn) -> Result<Vec<String>, MigrationError> {
    let applied = match conn {
        DbConn::Sqlite(c) => c.run_pending_migrations(SQLITE).map(names),
        DbConn::Postgres(c) => c.run_pending_migrations(POSTGRES).map(names),
    };
    applied.map_err(|e| MigrationError(e.to_string()))
}

fn names(versions: Vec<diesel::migration::MigrationVersion<'_>>) -> Vec<String> {
    versions.into_iter().map(|v| v.to_string()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use diesel::migration::MigrationSource;

    /// The version (the name up to the first `_`) of each migration.
    fn versions<DB: diesel::backend::Backend>(source: EmbeddedMigrations) -> Vec<String>
    where
        EmbeddedMigrations: MigrationSource<DB>,
    {
        MigrationSource::<DB>::migrations(&source)
            .expect("embedded migrations")
            .iter()
            .map(|m| m.name().version().to_string())
            .collect()
    }

    /// Two migrations with one version: diesel applies one and silently
    /// counts the other as applied (seen when two branches each added a
    /// `2026-12-02-000001_…`), so the second's tables never exist.
    #[test]
    fn versions_are_unique_and_the_same_for_both_backends() {
        let sqlite = versions::<diesel::sqlite::Sqlite>(SQLITE);
        let postgres = versions::<diesel::pg::Pg>(POSTGRES);
        let mut unique = sqlite.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), sqlite.len(), "duplicate versions: {sqlite:?}");
        assert_eq!(sqlite, postgres, "both backends need the same migrations");
    }
}
