//! The network view: find a community on another instance by handle or
//! address, and browse the communities of the co-op instances we follow,
//! grouped by instance, with the same join and follow buttons as a community page.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

use super::communities::{summary_line, StandingBox};
use crate::backend::CommunityView;
use crate::components::form::{page_ctx, ActionError, CsrfField, ErrorBox};
use crate::federation::NetworkGroup;
use crate::server_fns::{get_network, FindCommunity};

/// The search box: `name@host` or a community's address.
#[component]
fn FindForm() -> impl IntoView {
    let find = ServerAction::<FindCommunity>::new();
    view! {
        <section class="card find">
            <h1>"Find a community"</h1>
            <p class="muted">"On this co-op's instance or any other: type its handle, like music@music.example, or paste its address."</p>
            <ActionError value=find.value()/>
            <ActionForm action=find attr:class="line">
                <CsrfField/>
                <label>"Handle or address"<input name="query" required maxlength="500" placeholder="name@host"/></label>
                <button type="submit">"Find"</button>
            </ActionForm>
        </section>
    }
}

/// One community of a followed instance, with the viewer's buttons.
#[component]
fn NetworkCommunity(community: CommunityView) -> impl IntoView {
    let s = community.summary.clone();
    let counts = summary_line(&s);
    let standing = match community.standing.clone() {
        Some(st) => view! { <StandingBox community=community.clone() standing=st/> }.into_any(),
        None => view! {
            <p><a href=format!("/login?next=/c/{}", s.key)>"Sign in to join or follow"</a></p>
        }
        .into_any(),
    };
    view! {
        <li class="network-community" data-key=s.key.clone()>
            <h3><a href=format!("/c/{}", s.key)>{s.title.clone()}</a></h3>
            <p class="handle">{s.handle.clone()}</p>
            <p class="muted counts">{counts}</p>
            {standing}
        </li>
    }
}

fn groups_view(groups: Vec<NetworkGroup>) -> AnyView {
    if groups.is_empty() {
        return view! {
            <section class="card">
                <h2>"Our network"</h2>
                <p class="muted">"This co-op follows no other co-op instance yet. An admin adds them on the federation page."</p>
            </section>
        }
        .into_any();
    }
    groups
        .into_iter()
        .map(|g| {
            let empty = g.communities.is_empty();
            view! {
                <section class="card network-instance" data-host=g.host.clone()>
                    <h2>{g.host.clone()}</h2>
                    {empty.then(|| view! { <p class="muted">"No public communities are known from this instance yet."</p> })}
                    <ul class="communities">
                        {g.communities.into_iter().map(|c| view! { <NetworkCommunity community=c/> }).collect_view()}
                    </ul>
                </section>
            }
        })
        .collect_view()
        .into_any()
}

#[component]
pub fn NetworkPage() -> impl IntoView {
    let groups = Resource::new_blocking(|| (), |_| get_network());
    view! {
        <Title text="Network"/>
        <Suspense>
            {move || Suspend::new(async move {
                let signed_in = page_ctx().await.ok().and_then(|c| c.viewer).is_some();
                let finder = if signed_in {
                    view! { <FindForm/> }.into_any()
                } else {
                    view! {
                        <section class="card find">
                            <h1>"Find a community"</h1>
                            <p><a href="/login?next=/network">"Sign in to find communities on other instances"</a></p>
                        </section>
                    }
                    .into_any()
                };
                let list = match groups.await {
                    Ok(g) => groups_view(g),
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                };
                view! { {finder} {list} }.into_any()
            })}
        </Suspense>
    }
}
