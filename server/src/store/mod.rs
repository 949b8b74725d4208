//! Storage: schema, row types, queries, the pool and migrations, for SQLite and PostgreSQL alike.

pub mod activities;
pub mod actors;
pub mod ballots;
pub mod block_reasons;
pub mod checkpoint;
pub mod comments;
pub mod communities;
pub mod connection;
pub mod counted_receipts;
pub mod follows;
pub mod instance_settings;
pub mod instances;
pub mod memberships;
pub mod migrate;
pub mod posts;
pub mod proposals;
pub mod rules;
pub mod schema;
pub mod sessions;
pub mod users;
pub mod votes;

pub use connection::{open_pool, write_transaction, Backend, DbConn, Pool, PooledConn};

/// Current time as stored in the database (UTC, microsecond precision so
/// both backends round-trip the same value).
pub fn now() -> chrono::NaiveDateTime {
    let t = chrono::Utc::now().naive_utc();
    t - chrono::Duration::nanoseconds(i64::from(t.and_utc().timestamp_subsec_nanos() % 1000))
}

/// True when the error is a unique-constraint violation.
pub fn is_unique_violation(e: &diesel::result::Error) -> bool {
    matches!(
        e,
        diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _)
    )
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("no database connection available: {0}")]
    Pool(#[from] diesel::r2d2::PoolError),
    #[error("database task failed: {0}")]
    Task(String),
    #[error("database query failed: {0}")]
    Query(#[from] diesel::result::Error),
}

/// Runs blocking database work on the blocking thread pool with a pooled
/// connection, so no connection is ever held across an `.await`.
pub async fn run<T, E, F>(pool: &Pool, work: F) -> Result<T, E>
where
    F: FnOnce(&mut DbConn) -> Result<T, E> + Send + 'static,
    T: Send + 'static,
    E: From<StoreError> + Send + 'static,
{
    let pool = pool.clone();
    tokio::task::spawn_blocking(move || {
        let mut conn = pool.get().map_err(StoreError::Pool)?;
        work(&mut conn)
    })
    .await
    .map_err(|e| StoreError::Task(e.to_string()))?
}

/// Checks the database answers (for `/healthz`).
pub fn ping(conn: &mut DbConn) -> diesel::QueryResult<()> {
    use diesel::RunQueryDsl;
    diesel::sql_query("SELECT 1").execute(conn).map(|_| ())
}
