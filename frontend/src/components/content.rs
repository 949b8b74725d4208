//! Pieces pages share to show content: people, post summaries, feeds with sort tabs and pages, vote buttons.

use leptos::form::ActionForm;
use leptos::prelude::*;

use crate::backend::{FeedView, PersonRef, PostView};
use crate::components::form::CsrfField;
use crate::server_fns::Vote;

/// A link to a person, with their full handle as a tooltip.
#[component]
pub fn PersonLink(person: PersonRef) -> impl IntoView {
    view! { <a href=person.url class="person" title=person.handle>{person.name}</a> }
}

/// "1 like", "3 comments": a count with its noun in one text node.
pub fn counted(n: i64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The host of a link, shown beside link posts.
fn link_host(link: &str) -> String {
    let rest = link.split_once("://").map_or(link, |(_, r)| r);
    rest.split(['/', '?', '#'])
        .next()
        .unwrap_or(rest)
        .to_string()
}

/// One post in a feed: title, where, who, when and its counts.
#[component]
pub fn PostSummary(post: PostView, show_community: bool) -> impl IntoView {
    let href = format!("/post/{}", post.id);
    let community = show_community.then(|| {
        let c = post.community.clone();
        view! { <a href=format!("/c/{}", c.key) title=c.handle>{c.title}</a>" · " }
    });
    let host = post.link.as_deref().map(link_host);
    view! {
        <article class="post-item">
            <h3><a href=href.clone()>{post.title.clone()}</a>
                {host.map(|h| view! { " "<small class="host">{format!("({h})")}</small> })}
            </h3>
            <p class="meta">
                {community}
                "by "<PersonLink person=post.author.clone()/>" · "
                <time datetime=post.published_iso.clone()>{post.published.clone()}</time>
            </p>
            <p class="meta counts">
                <span class="likes">{counted(post.likes, "like", "likes")}</span>" · "
                <span class="dislikes">{counted(post.dislikes, "dislike", "dislikes")}</span>" · "
                <a href=format!("{href}#comments")>{counted(post.comments, "comment", "comments")}</a>
            </p>
        </article>
    }
}

/// Sort tabs, a page of posts and a link to the next page.
///
/// `base` is the page's path; the tabs and pager add `?sort=` and `&after=`.
#[component]
pub fn FeedList(
    feed: FeedView,
    base: String,
    show_community: bool,
    /// Whether this page came from a cursor (so "first page" is offered).
    paged: bool,
) -> impl IntoView {
    let sort = feed.sort.clone();
    let tabs = [("new", "New"), ("active", "Active"), ("top", "Top")]
        .into_iter()
        .map(|(key, label)| {
            let current = sort == key;
            view! {
                <a href=format!("{base}?sort={key}") class:current=current
                   aria-current=current.then_some("page")>{label}</a>
            }
        })
        .collect_view();
    let empty = feed.items.is_empty();
    let items = feed
        .items
        .into_iter()
        .map(|p| view! { <li><PostSummary post=p show_community=show_community/></li> })
        .collect_view();
    let next = feed.next.map(|n| format!("{base}?sort={sort}&after={n}"));
    let first = paged.then(|| format!("{base}?sort={sort}"));
    view! {
        <nav class="tabs" aria-label="Sort posts">{tabs}</nav>
        {if empty {
            view! { <p class="muted empty">{if paged { "No more posts." } else { "No posts yet." }}</p> }.into_any()
        } else {
            view! { <ol class="feed">{items}</ol> }.into_any()
        }}
        <p class="pager">
            {first.map(|f| view! { <a href=f>"← First page"</a>" " })}
            {next.map(|n| view! { <a href=n rel="next">"Next page →"</a> })}
        </p>
    }
}

/// Like / Dislike / Undo buttons (or just the counts for those who may not vote).
#[component]
pub fn VoteBar(
    action: ServerAction<Vote>,
    /// `post` or `comment`.
    target: &'static str,
    id: i64,
    likes: i64,
    dislikes: i64,
    my_vote: i16,
    can_vote: bool,
) -> impl IntoView {
    let counts = view! {
        <span class="likes">{counted(likes, "like", "likes")}</span>" · "
        <span class="dislikes">{counted(dislikes, "dislike", "dislikes")}</span>
    };
    if !can_vote {
        return view! { <span class="votes">{counts}</span> }.into_any();
    }
    view! {
        <ActionForm action=action attr:class="inline votes">
            <CsrfField/>
            <input type="hidden" name="target" value=target/>
            <input type="hidden" name="id" value=id.to_string()/>
            {counts}" "
            <button type="submit" name="value" value="1" class="chip" class:on=my_vote == 1
                aria-pressed=if my_vote == 1 { "true" } else { "false" }>"Like"</button>
            <button type="submit" name="value" value="-1" class="chip" class:on=my_vote == -1
                aria-pressed=if my_vote == -1 { "true" } else { "false" }>"Dislike"</button>
            {(my_vote != 0).then(|| view! {
                <button type="submit" name="value" value="0" class="chip">"Undo"</button>
            })}
        </ActionForm>
    }
    .into_any()
}
