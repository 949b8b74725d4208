//! Instance-wide settings an admin changes at run time: one row, created on
//! first start from the configuration file's values.

use diesel::prelude::*;

use super::schema::instance_settings;
use super::DbConn;

const ROW: i64 = 1;

/// Whether federation is limited to allowed instances; stores `initial`
/// first if nothing is stored yet (the first start with this database).
pub fn allowlist_only_or_init(conn: &mut DbConn, initial: bool) -> QueryResult<bool> {
    let stored = instance_settings::table
        .find(ROW)
        .select(instance_settings::federation_allowlist_only)
        .first::<bool>(conn)
        .optional()?;
    if let Some(v) = stored {
        return Ok(v);
    }
    let inserted = diesel::insert_into(instance_settings::table)
        .values((
            instance_settings::id.eq(ROW),
            instance_settings::federation_allowlist_only.eq(initial),
            instance_settings::updated_at.eq(super::now()),
        ))
        .execute(conn);
    match inserted {
        Ok(_) => Ok(initial),
        // Another process created it first: its value stands.
        Err(e) if super::is_unique_violation(&e) => instance_settings::table
            .find(ROW)
            .select(instance_settings::federation_allowlist_only)
            .first(conn),
        Err(e) => Err(e),
    }
}

pub fn set_allowlist_only(conn: &mut DbConn, value: bool) -> QueryResult<()> {
    allowlist_only_or_init(conn, value)?;
    diesel::update(instance_settings::table.find(ROW))
        .set((
            instance_settings::federation_allowlist_only.eq(value),
            instance_settings::updated_at.eq(super::now()),
        ))
        .execute(conn)?;
    Ok(())
}
