//! The instance-wide feeds: this co-op's communities (local) and everything known here (all).

use leptos::prelude::*;
use leptos_meta::Title;

use super::query;
use crate::backend::{AppError, FeedView};
use crate::components::content::FeedList;
use crate::server_fns::get_feed;

/// A feed loaded from the page's `?sort=` and `?after=`.
pub fn feed_resource(kind: &'static str) -> (Resource<Result<FeedView, AppError>>, bool) {
    let sort = query("sort");
    let after = query("after");
    let paged = after.is_some();
    let feed = Resource::new_blocking(
        move || (sort.clone(), after.clone()),
        move |(sort, after)| get_feed(kind.to_string(), None, sort, after),
    );
    (feed, paged)
}

/// The feed, or the error that stopped it (a bad page link or sort), with a way back.
pub fn feed_or_error(
    feed: Result<FeedView, AppError>,
    base: &str,
    paged: bool,
    show_community: bool,
) -> AnyView {
    match feed {
        Ok(f) => view! { <FeedList feed=f base=base.to_string() show_community=show_community paged=paged/> }
            .into_any(),
        Err(e) => {
            #[cfg(feature = "ssr")]
            crate::ssr::set_status(400);
            view! {
                <p class="error" role="alert">{e.to_string()}</p>
                <p><a href=base.to_string()>"Back to the newest posts"</a></p>
            }
            .into_any()
        }
    }
}

#[component]
fn FeedPage(
    kind: &'static str,
    title: &'static str,
    blurb: &'static str,
    base: &'static str,
) -> impl IntoView {
    let (feed, paged) = feed_resource(kind);
    view! {
        <Title text=title/>
        <section class="card">
            <h1>{title}</h1>
            <p class="muted">{blurb}</p>
            <Suspense>
                {move || Suspend::new(async move { feed_or_error(feed.await, base, paged, true) })}
            </Suspense>
        </section>
    }
}

#[component]
pub fn LocalFeedPage() -> impl IntoView {
    view! { <FeedPage kind="local" title="Local" blurb="Posts in this co-op's communities." base="/local"/> }
}

#[component]
pub fn AllFeedPage() -> impl IntoView {
    view! { <FeedPage kind="all" title="All" blurb="Posts in every community known here, from this co-op and beyond." base="/all"/> }
}
