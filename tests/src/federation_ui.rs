//! Helpers for the federation UI tests: accounts and communities made
//! directly, browsers signed in, waiting for pages and deliveries, and a
//! network with one host that no longer answers.

use commonhall::domain::content::posts::{self as post_rules, PostForm};
use commonhall::store::{self, instances, StoreError};

use crate::network::{eventually, Network};
use crate::page::{error_text, Browser, Reply};
use crate::{Db, TestInstance};

pub use crate::setup::{community, signed_in, user, PW};

/// A member of a local community posts (through the domain, as the UI does).
pub async fn post(i: &TestInstance, author: (i64, i64), community: &str, title: &str) {
    let publisher = i.state.publisher.clone();
    let inst = i.state.instance.clone();
    let (name, title) = (community.to_string(), title.to_string());
    i.db(move |c| {
        let (community, _) = store::communities::local_by_name(c, &name)
            .expect("query")
            .expect("community");
        let form = PostForm {
            title,
            body: "Rehearsal on Friday.".into(),
            link: None,
        };
        post_rules::create(c, &*publisher, &inst, community.id, author.1, &form).expect("post")
    })
    .await;
}

pub fn error_of(r: &Reply) -> String {
    error_text(&r.body).unwrap_or_default()
}

/// Submits the search box of the network page.
pub async fn find(b: &Browser, query: &str) -> Reply {
    b.submit("/network", "/_app/find_community", &[("query", query)])
        .await
}

pub async fn known_communities(i: &TestInstance) -> usize {
    i.db(|c| store::communities::list(c, false).expect("list").len())
        .await
}

pub async fn instance_row(i: &TestInstance, host: &str) -> Option<instances::Instance> {
    let host = host.to_string();
    i.db(move |c| instances::by_host(c, &host).expect("query"))
        .await
}

/// Waits until `page` on `b` shows `text`.
pub async fn shows(b: &Browser, page: &str, text: &str) {
    eventually(30, &format!("{page} shows {text:?}"), || async {
        b.get(page).await.body.contains(text).then_some(())
    })
    .await;
}

/// Waits until `from` has delivered everything it queued for `to`, or failed trying.
pub async fn delivery_settled(from: &TestInstance, to: &TestInstance) {
    let host = to.host().to_string();
    eventually(30, "the delivery was attempted", || async {
        let host = host.clone();
        let settled = from
            .db(move |c| {
                let last = store::activities::last_outgoing_id(c)?;
                let row = instances::by_host(c, &host)?;
                Ok::<_, StoreError>(
                    row.is_some_and(|r| r.delivered_up_to >= last || r.last_error.is_some()),
                )
            })
            .await
            .expect("query");
        settled.then_some(())
    })
    .await;
}

/// Starts `n` instances and one more that is stopped at once: its host
/// name still resolves, but nothing answers there. Returns that host.
pub async fn network_and_a_dead_host(n: usize, db: Db) -> (Network, String) {
    let mut net = Network::start(n + 1, db).await;
    let gone = net.instances.pop().expect("the extra instance");
    let host = gone.host().to_string();
    gone.stop().await;
    (net, host)
}
