//! The start page: the member's own feed, or for visitors what this co-op is and its local feed.

use leptos::prelude::*;
use leptos_meta::Title;

use super::feeds::feed_or_error;
use super::query;
use crate::components::form::{page_ctx, ErrorBox};
use crate::server_fns::get_feed;

#[component]
pub fn HomePage() -> impl IntoView {
    let sort = query("sort");
    let after = query("after");
    let paged = after.is_some();
    view! {
        <Title text=""/>
        <Suspense>
            {move || {
                let (sort, after) = (sort.clone(), after.clone());
                Suspend::new(async move {
                let ctx = match page_ctx().await {
                    Ok(ctx) => ctx,
                    Err(e) => return view! { <ErrorBox error=e/> }.into_any(),
                };
                let signed_in = ctx.viewer.is_some();
                let kind = if signed_in { "mine" } else { "local" };
                let feed = get_feed(kind.to_string(), None, sort, after).await;
                let members = format!(
                    "{} member{}",
                    ctx.instance.users,
                    if ctx.instance.users == 1 { "" } else { "s" }
                );
                let empty_mine = signed_in && !paged && feed.as_ref().is_ok_and(|f| f.items.is_empty());
                match ctx.viewer {
                    Some(_) => view! {
                        <section class="card">
                            <h1>"Your communities"</h1>
                            <p class="muted">"Posts in the communities you joined or follow."</p>
                            {empty_mine.then(|| view! {
                                <p>"Nothing here yet. "<a href="/communities">"Find communities"</a>" to join or follow, or read the "<a href="/local">"local feed"</a>"."</p>
                            })}
                            {feed_or_error(feed, "/", paged, true)}
                        </section>
                    }.into_any(),
                    None => view! {
                        <section class="card hero">
                            <h1>{ctx.instance.name.clone()}</h1>
                            <p class="lead">{ctx.instance.description.clone()}</p>
                            <p class="muted">{members}" · "{ctx.instance.hostname.clone()}</p>
                            <p><a href="/register" class="button">"Join this co-op"</a>" or "<a href="/login">"sign in"</a>"."</p>
                        </section>
                        <section class="card">
                            <h2>"Latest in this co-op"</h2>
                            {feed_or_error(feed, "/", paged, true)}
                        </section>
                    }.into_any(),
                }
            })}}
        </Suspense>
    }
}
