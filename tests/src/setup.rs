//! Setting the scene in a test: local users and communities, remote communities resolved, what an instance has stored.

use commonhall::domain::communities::{self, CommunityForm};
use commonhall::store::{self, actors, memberships};

use crate::page::Browser;
use crate::TestInstance;

/// The password every test account has.
pub const PW: &str = "tomato soup at noon";

/// Creates a local user; returns (user id, actor id).
pub async fn user(i: &TestInstance, name: &str, admin: bool) -> (i64, i64) {
    i.user(name, admin).await
}

/// A browser (JavaScript off) signed in as `name`.
pub async fn signed_in(i: &TestInstance, name: &str) -> Browser {
    let b = i.client();
    let r = b
        .submit(
            "/login",
            "/_app/login",
            &[("username", name), ("password", PW)],
        )
        .await;
    assert_eq!(r.location.as_deref(), Some("/"), "{name} signs in: {r:?}");
    b
}

pub async fn community(i: &TestInstance, owner: (i64, i64), name: &str, policy: &str) -> i64 {
    let inst = i.state.instance.clone();
    let form = CommunityForm {
        name: name.into(),
        title: format!("The {name} co-op"),
        description: "We **play**.".into(),
        join_policy: policy.into(),
        classes: "worker, user, supporter".into(),
    };
    i.db(move |c| {
        communities::create(c, &inst, owner.0, owner.1, &form)
            .expect("community")
            .id
    })
    .await
}

/// Resolves `name@host` on instance `i`; returns the local community id there.
pub async fn resolve(i: &TestInstance, handle: &str) -> i64 {
    let data = i.fed();
    commonhall::federation::resolve::community(handle, &data)
        .await
        .expect("resolve remote community")
}

pub async fn actor_id_on(i: &TestInstance, ap_id: String) -> Option<i64> {
    i.db(move |c| actors::by_ap_id(c, &ap_id).ok().flatten().map(|a| a.id))
        .await
}

pub async fn membership_status(i: &TestInstance, community: i64, person: i64) -> Option<String> {
    i.db(move |c| {
        memberships::find(c, community, person)
            .ok()
            .flatten()
            .map(|m| m.status)
    })
    .await
}

pub async fn post_on(i: &TestInstance, ap_id: String) -> Option<store::posts::Post> {
    i.db(move |c| store::posts::by_ap_id(c, &ap_id).ok().flatten())
        .await
}
