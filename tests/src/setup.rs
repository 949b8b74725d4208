//! Setting the scene in a test: local users and communities, remote communities resolved, what an instance has stored.

use commonhall::domain::communities::{self, follow, CommunityForm};
use commonhall::domain::content::posts;
use commonhall::store::{self, actors, follows, memberships};

use crate::network::eventually;
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

/// `person` on `i` follows the remote community `handle` (`name@host`);
/// returns the community's id on `i` once the follow was accepted.
pub async fn follow_remote(i: &TestInstance, handle: &str, person: (i64, i64)) -> i64 {
    let community = resolve(i, handle).await;
    let publisher = i.state.publisher.clone();
    i.db(move |c| follow::follow(c, &*publisher, community, person.1).expect("follow"))
        .await;
    eventually(30, &format!("the follow of {handle} accepted"), || async {
        let f = i
            .db(move |c| follows::find(c, community, person.1).ok().flatten())
            .await?;
        (f.status == "accepted").then_some(())
    })
    .await;
    community
}

/// A post by `author` in `community` (local, or remote and followed) on `i`.
pub async fn new_post(
    i: &TestInstance,
    community: i64,
    author: (i64, i64),
    title: &str,
    body: &str,
) -> store::posts::Post {
    let (inst, publisher) = (i.state.instance.clone(), i.state.publisher.clone());
    let form = posts::PostForm {
        title: title.into(),
        body: body.into(),
        link: None,
    };
    i.db(move |c| posts::create(c, &*publisher, &inst, community, author.1, &form).expect("post"))
        .await
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
