//! The one connection type of the store: SQLite or PostgreSQL behind diesel's
//! `MultiConnection`, and the r2d2 pool that hands them out.

use std::time::Duration;

use diesel::connection::{
    AnsiTransactionManager, Connection, SimpleConnection, TransactionManager,
};
use diesel::r2d2::{self, ConnectionManager, CustomizeConnection};

/// A connection to whichever backend the database URL chose.
#[derive(diesel::MultiConnection)]
pub enum DbConn {
    Postgres(diesel::PgConnection),
    Sqlite(diesel::SqliteConnection),
}

pub type Pool = r2d2::Pool<ConnectionManager<DbConn>>;
pub type PooledConn = r2d2::PooledConnection<ConnectionManager<DbConn>>;

/// Runs `f` in a transaction meant to write.
///
/// On SQLite the outermost one starts with `BEGIN IMMEDIATE`: a deferred
/// transaction that reads first cannot take the write lock once another
/// connection has committed after its read, and fails at once with "database
/// is locked" whatever the busy timeout; taking the lock at `BEGIN` makes it
/// wait its turn instead. Nested calls and PostgreSQL use ordinary
/// transactions (savepoints when nested).
pub fn write_transaction<T, E, F>(conn: &mut DbConn, f: F) -> Result<T, E>
where
    F: FnOnce(&mut DbConn) -> Result<T, E>,
    E: From<diesel::result::Error>,
{
    let outermost_sqlite = match conn {
        DbConn::Sqlite(c) => AnsiTransactionManager::transaction_manager_status_mut(c)
            .transaction_depth()?
            .is_none(),
        DbConn::Postgres(_) => false,
    };
    if !outermost_sqlite {
        return conn.transaction(f);
    }
    if let DbConn::Sqlite(c) = conn {
        AnsiTransactionManager::begin_transaction_sql(c, "BEGIN IMMEDIATE")?;
    }
    match f(conn) {
        Ok(value) => match <DbConn as Connection>::TransactionManager::commit_transaction(conn) {
            Ok(()) => Ok(value),
            Err(e) => {
                let _ = <DbConn as Connection>::TransactionManager::rollback_transaction(conn);
                Err(e.into())
            }
        },
        Err(e) => {
            let _ = <DbConn as Connection>::TransactionManager::rollback_transaction(conn);
            Err(e)
        }
    }
}

/// Runs the same diesel query on the connection inside a [`DbConn`], for SQL the
/// `MultiConnection` backend cannot write (`ON CONFLICT`): `on_inner!(conn, |c| query.execute(c))`.
macro_rules! on_inner {
    ($conn:expr, |$c:ident| $body:expr) => {
        match $conn {
            $crate::store::DbConn::Postgres($c) => $body,
            $crate::store::DbConn::Sqlite($c) => $body,
        }
    };
}
pub(crate) use on_inner;

/// Which backend a database URL selects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn of_url(url: &str) -> Self {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else {
            Backend::Sqlite
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum PoolError {
    #[error("cannot open the database at {url}: {source}")]
    Open {
        url: String,
        source: r2d2::PoolError,
    },
}

/// Pragmas every SQLite connection needs: write-ahead log, enforced foreign
/// keys and a busy timeout so concurrent writers wait instead of failing.
/// Reads go through a memory map (up to 128 MiB of the file): each pooled
/// connection has its own page cache, emptied whenever another connection
/// has written, and refilling it with `read` calls into fresh heap pages
/// was a large part of the inbox's cost. Mapped pages are the kernel's
/// page cache, shared by all connections.
///
/// No connection checkpoints the log by itself (`wal_autocheckpoint = 0`):
/// the commit that took the log past 1,000 pages used to copy them into the
/// database and wait for their `fsync`, with the writer's lock held and
/// every write behind it waiting. A background job does it instead
/// ([`super::checkpoint`]); the log file is cut back to 64 MiB after it.
#[derive(Debug)]
struct SqlitePragmas;

impl CustomizeConnection<DbConn, r2d2::Error> for SqlitePragmas {
    fn on_acquire(&self, conn: &mut DbConn) -> Result<(), r2d2::Error> {
        if let DbConn::Sqlite(c) = conn {
            c.batch_execute(
                "PRAGMA busy_timeout = 5000; PRAGMA journal_mode = WAL; \
                 PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; \
                 PRAGMA mmap_size = 134217728; PRAGMA wal_autocheckpoint = 0; \
                 PRAGMA journal_size_limit = 67108864;",
            )
            .map_err(r2d2::Error::QueryError)?;
        }
        Ok(())
    }
}

/// Opens a pool for `url` (a SQLite file path or `sqlite://` URL, or a
/// `postgres://` URL).
pub fn open_pool(url: &str, max_size: u32) -> Result<Pool, PoolError> {
    let target = url.strip_prefix("sqlite://").unwrap_or(url);
    let manager = ConnectionManager::<DbConn>::new(target);
    let mut builder = r2d2::Pool::builder()
        .max_size(max_size)
        .min_idle(Some(1))
        .connection_timeout(Duration::from_secs(10));
    if Backend::of_url(url) == Backend::Sqlite {
        builder = builder.connection_customizer(Box::new(SqlitePragmas));
    }
    builder.build(manager).map_err(|source| PoolError::Open {
        url: redact(url),
        source,
    })
}

/// Hides a password in a database URL before it goes into a message.
pub fn redact(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut u) if u.password().is_some() => {
            let _ = u.set_password(Some("***"));
            u.to_string()
        }
        _ => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use diesel::connection::SimpleConnection;
    use diesel::prelude::*;
    use diesel::sql_types::Text;

    #[derive(QueryableByName)]
    struct CompileOption {
        #[diesel(sql_type = Text)]
        compile_options: String,
    }

    /// `.cargo/config.toml` builds the bundled SQLite with the query planner stability
    /// guarantee; without it, every statement with a bound LIMIT (each `.first()`) is
    /// prepared again on every run.
    #[test]
    fn sqlite_is_built_to_keep_its_plans() {
        let mut c = diesel::SqliteConnection::establish(":memory:").expect("in-memory SQLite");
        c.batch_execute("SELECT 1").expect("a statement");
        let options: Vec<CompileOption> = diesel::sql_query("PRAGMA compile_options")
            .load(&mut c)
            .expect("compile options");
        assert!(
            options.iter().any(|o| o.compile_options == "ENABLE_QPSG"),
            "SQLite was built without SQLITE_ENABLE_QPSG (see .cargo/config.toml)"
        );
    }
}
