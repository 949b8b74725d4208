//! Many remote members at once, inserted straight into the store (no accounts, no federation):
//! for tests and benches that need thousands of voters.

use commonhall::store::{self, actors, memberships};

/// Inserts a remote person `http://{host}/u/{name}` with its own inbox and
/// no shared inbox (any public key: nothing verifies their signatures).
pub fn remote_person(
    c: &mut store::DbConn,
    host: &str,
    name: &str,
    public_key_pem: &str,
) -> diesel::QueryResult<actors::Actor> {
    let now = store::now();
    let ap_id = format!("http://{host}/u/{name}");
    let inbox = format!("{ap_id}/inbox");
    actors::insert(
        c,
        &actors::NewActor {
            ap_id: &ap_id,
            kind: "person",
            name,
            domain: host,
            local: false,
            display_name: None,
            summary: None,
            inbox_url: &inbox,
            shared_inbox_url: None,
            public_key_pem,
            private_key_pem: None,
            created_at: now,
            updated_at: now,
            last_refreshed_at: now,
            followers_url: None,
            outbox_url: None,
        },
    )
}

/// `n` remote people `http://{host}/u/m{k}`, active members of `community` with `classes[k %
/// classes.len()]`, inserted in one transaction. They all get the public key of actor `key_of`,
/// so that whoever holds its private key can sign as any of them. Returns their actor ids, in
/// order.
pub async fn members(
    i: &crate::TestInstance,
    community: i64,
    key_of: i64,
    host: &str,
    n: usize,
    classes: &'static [&'static str],
) -> Vec<i64> {
    let host = host.to_string();
    i.db(move |c| {
        use diesel::Connection;
        let key = actors::by_id(c, key_of).expect("actor").public_key_pem;
        c.transaction::<_, diesel::result::Error, _>(|c| {
            let now = store::now();
            (0..n)
                .map(|k| {
                    let actor = remote_person(c, &host, &format!("m{k}"), &key)?;
                    memberships::upsert(
                        c,
                        &memberships::NewMembership {
                            community_id: community,
                            person_id: actor.id,
                            class: classes[k % classes.len()],
                            role: "member",
                            status: "active",
                            application: None,
                            decision_reason: None,
                            join_activity_id: None,
                            created_at: now,
                            updated_at: now,
                            active_since: Some(now),
                        },
                    )?;
                    Ok(actor.id)
                })
                .collect()
        })
        .expect("members")
    })
    .await
}
