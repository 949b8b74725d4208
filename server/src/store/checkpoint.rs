//! SQLite's write-ahead-log checkpoints, taken beside the writers by a
//! background job instead of inside the commit that happened to fill the log.
//!
//! A passive checkpoint copies the log's pages into the database file while
//! writers go on appending to the log; only the checkpoint waits for the
//! disk. Taken every [`INTERVAL`], it also copies a page written by many
//! commits once rather than once per 1,000 frames.

use std::time::Duration;

use diesel::sql_types::BigInt;
use diesel::RunQueryDsl;

use super::DbConn;

/// How often the background job checkpoints the log.
pub const INTERVAL: Duration = Duration::from_secs(1);

/// What one checkpoint found and did, in log frames (pages).
#[derive(Debug, Clone, Copy, PartialEq, Eq, diesel::QueryableByName)]
pub struct Checkpoint {
    /// 1 when another checkpoint was running and this one did nothing.
    #[diesel(sql_type = BigInt)]
    pub busy: i64,
    /// Frames in the log.
    #[diesel(sql_type = BigInt, column_name = log)]
    pub log_frames: i64,
    /// Frames now copied into the database file (fewer than `log_frames`
    /// when a reader still needs older pages; the next checkpoint goes on).
    #[diesel(sql_type = BigInt)]
    pub checkpointed: i64,
}

/// Copies what it can of the log into the database without waiting for
/// readers or writers; `None` on PostgreSQL, which needs nothing of the kind.
pub fn passive(conn: &mut DbConn) -> Result<Option<Checkpoint>, diesel::result::Error> {
    match conn {
        DbConn::Sqlite(c) => diesel::sql_query("PRAGMA wal_checkpoint(PASSIVE)")
            .get_result(c)
            .map(Some),
        DbConn::Postgres(_) => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use diesel::connection::SimpleConnection;

    use super::passive;
    use crate::store::{open_pool, DbConn};

    fn fill(c: &mut DbConn, rows: usize) {
        c.batch_execute("CREATE TABLE IF NOT EXISTS filler (v BLOB)")
            .expect("table");
        for _ in 0..rows {
            c.batch_execute("INSERT INTO filler VALUES (randomblob(3000))")
                .expect("row");
        }
    }

    /// Commits leave the log alone (no automatic checkpoint) and the job's
    /// checkpoint copies all of it while nothing else is reading.
    #[test]
    fn commits_leave_the_log_to_the_checkpoint() {
        let dir = tempfile::tempdir().expect("temp dir");
        let pool = open_pool(
            dir.path().join("db.sqlite").to_str().expect("utf-8 path"),
            2,
        )
        .expect("pool");
        let mut c = pool.get().expect("connection");
        fill(&mut c, 1_500);
        let first = passive(&mut c).expect("checkpoint").expect("SQLite");
        assert_eq!(first.busy, 0);
        assert!(
            first.log_frames > 1_000,
            "a commit checkpointed the log by itself: {first:?}"
        );
        assert_eq!(first.checkpointed, first.log_frames);
        // The next writer starts the log over from its beginning.
        fill(&mut c, 1);
        let next = passive(&mut c).expect("checkpoint").expect("SQLite");
        assert!(next.log_frames < 10, "{next:?}");
    }
}
