//! A post with its threaded comments, and the author's edit page.

use std::collections::HashMap;

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::backend::{AppError, CommentView};
use crate::components::content::{counted, PersonLink, VoteBar};
use crate::components::form::{textarea_text, ActionError, CsrfField, ErrorBox};
use crate::server_fns::{
    get_thread, CreateComment, DeleteComment, DeletePost, EditComment, EditPost, Vote,
};

/// Replies are indented up to this depth; deeper ones stay at this indent.
const MAX_INDENT: usize = 8;

fn id_param() -> impl Fn() -> i64 + Copy + Send + Sync + 'static {
    let params = use_params_map();
    // An id that is not a number is looked up as 0, which is never found.
    move || params.with(|p| p.get("id").and_then(|i| i.parse().ok()).unwrap_or(0))
}

/// The actions every comment's forms post to (one of each per page).
#[derive(Clone, Copy)]
struct CommentActions {
    reply: ServerAction<CreateComment>,
    edit: ServerAction<EditComment>,
    delete: ServerAction<DeleteComment>,
    vote: ServerAction<Vote>,
    post_id: i64,
    can_take_part: bool,
}

/// Comments grouped by the comment they answer (`None`: the post).
type Children = HashMap<Option<i64>, Vec<CommentView>>;

fn group(comments: Vec<CommentView>) -> Children {
    let ids: std::collections::HashSet<i64> = comments.iter().map(|c| c.id).collect();
    let mut children: Children = HashMap::new();
    for c in comments {
        // A reply whose parent we do not have is shown at the top level.
        let parent = c.parent_id.filter(|p| ids.contains(p));
        children.entry(parent).or_default().push(c);
    }
    children
}

fn branch(parent: Option<i64>, children: &Children, acts: CommentActions, depth: usize) -> AnyView {
    let Some(list) = children.get(&parent) else {
        return ().into_any();
    };
    let items = list
        .iter()
        .map(|c| comment(c.clone(), children, acts, depth))
        .collect_view();
    let class = if depth == 0 {
        "comments"
    } else if depth < MAX_INDENT {
        "comments replies"
    } else {
        "comments replies flat"
    };
    view! { <ol class=class>{items}</ol> }.into_any()
}

fn comment(c: CommentView, children: &Children, acts: CommentActions, depth: usize) -> AnyView {
    let id = c.id;
    let anchor = format!("comment-{id}");
    let body = if c.deleted {
        view! { <p class="deleted muted">"[deleted]"</p> }.into_any()
    } else {
        view! { <div class="comment-text" inner_html=c.body_html.clone()></div> }.into_any()
    };
    let meta = (!c.deleted).then(|| {
        view! {
            <p class="meta">
                <PersonLink person=c.author.clone()/>" · "
                <a href=format!("#{anchor}")><time datetime=c.published_iso.clone()>{c.published.clone()}</time></a>
                {c.edited.then_some(" · edited")}
            </p>
        }
    });
    let tools = (!c.deleted).then(|| {
        let vote = view! {
            <VoteBar action=acts.vote target="comment" id=id likes=c.likes dislikes=c.dislikes
                my_vote=c.my_vote can_vote=acts.can_take_part/>
        };
        let reply = acts.can_take_part.then(|| view! {
            <details class="tool">
                <summary>"Reply"</summary>
                <ActionForm action=acts.reply>
                    <CsrfField/>
                    <input type="hidden" name="post_id" value=acts.post_id.to_string()/>
                    <input type="hidden" name="parent_id" value=id.to_string()/>
                    <label>"Your reply (Markdown)"<textarea name="body" rows="3" required maxlength="20000"></textarea></label>
                    <button type="submit">"Reply"</button>
                </ActionForm>
            </details>
        });
        let edit = c.can_edit.then(|| view! {
            <details class="tool">
                <summary>"Edit"</summary>
                <ActionForm action=acts.edit>
                    <CsrfField/>
                    <input type="hidden" name="id" value=id.to_string()/>
                    <label>"Comment (Markdown)"<textarea name="body" rows="4" required maxlength="20000">{textarea_text(&c.body_markdown)}</textarea></label>
                    <button type="submit">"Save"</button>
                </ActionForm>
            </details>
        });
        let delete = c.can_delete.then(|| view! {
            <ActionForm action=acts.delete attr:class="inline">
                <CsrfField/>
                <input type="hidden" name="id" value=id.to_string()/>
                <button type="submit" class="link danger">"Delete"</button>
            </ActionForm>
        });
        view! { <div class="comment-tools">{vote}{reply}{edit}{delete}</div> }
    });
    let replies = branch(Some(id), children, acts, depth + 1);
    view! {
        <li class="comment" id=anchor>
            <div class="comment-body">{meta}{body}{tools}</div>
            {replies}
        </li>
    }
    .into_any()
}

#[component]
pub fn PostPage() -> impl IntoView {
    let id = id_param();
    let thread = Resource::new_blocking(id, get_thread);
    let acts = CommentActions {
        reply: ServerAction::<CreateComment>::new(),
        edit: ServerAction::<EditComment>::new(),
        delete: ServerAction::<DeleteComment>::new(),
        vote: ServerAction::<Vote>::new(),
        post_id: 0,
        can_take_part: false,
    };
    let delete_post = ServerAction::<DeletePost>::new();
    // The edit form has its own page; a failed edit posted from here still says why.
    let edit_post = ServerAction::<EditPost>::new();
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                let t = match thread.await {
                    Ok(t) => t,
                    Err(e) => return view! { <ErrorBox error=e/> }.into_any(),
                };
                let p = t.post.clone();
                let acts = CommentActions { post_id: p.id, can_take_part: t.can_take_part, ..acts };
                let count = counted(p.comments, "comment", "comments");
                let children = group(t.comments.clone());
                let tree = branch(None, &children, acts, 0);
                let tools = view! {
                    <div class="post-tools">
                        <VoteBar action=acts.vote target="post" id=p.id likes=p.likes dislikes=p.dislikes
                            my_vote=p.my_vote can_vote=p.can_vote/>
                        {p.can_edit.then(|| view! { <a href=format!("/post/{}/edit", p.id) class="button secondary small">"Edit"</a> })}
                        {p.can_delete.then(|| view! {
                            <ActionForm action=delete_post attr:class="inline">
                                <CsrfField/>
                                <input type="hidden" name="id" value=p.id.to_string()/>
                                <button type="submit" class="secondary small">"Delete post"</button>
                            </ActionForm>
                        })}
                    </div>
                };
                let form = if t.can_take_part {
                    view! {
                        <ActionForm action=acts.reply attr:class="comment-form">
                            <CsrfField/>
                            <input type="hidden" name="post_id" value=p.id.to_string()/>
                            <label>"Add a comment (Markdown)"<textarea name="body" rows="4" required maxlength="20000"></textarea></label>
                            <button type="submit">"Comment"</button>
                        </ActionForm>
                    }.into_any()
                } else {
                    view! { <p class="muted">"Members and followers of the community may comment and vote."</p> }.into_any()
                };
                view! {
                    <Title text=p.title.clone()/>
                    <ActionError value=delete_post.value()/>
                    <ActionError value=edit_post.value()/>
                    <ActionError value=acts.vote.value()/>
                    <ActionError value=acts.reply.value()/>
                    <ActionError value=acts.edit.value()/>
                    <ActionError value=acts.delete.value()/>
                    <article class="card post">
                        <p class="meta">
                            <a href=format!("/c/{}", p.community.key) title=p.community.handle.clone()>{p.community.title.clone()}</a>
                            " · by "<PersonLink person=p.author.clone()/>" · "
                            <time datetime=p.published_iso.clone()>{p.published.clone()}</time>
                            {p.edited.then_some(" · edited")}
                        </p>
                        <h1>{p.title.clone()}</h1>
                        {p.link.clone().map(|l| view! {
                            <p class="link"><a href=l.clone() rel="nofollow noopener noreferrer" target="_blank">{l.clone()}</a></p>
                        })}
                        <div class="body" inner_html=p.body_html.clone()></div>
                        {tools}
                    </article>
                    <section class="card" id="comments">
                        <h2>{count}</h2>
                        {form}
                        {tree}
                    </section>
                }.into_any()
            })}
        </Suspense>
    }
}

#[component]
pub fn EditPostPage() -> impl IntoView {
    let id = id_param();
    let thread = Resource::new_blocking(id, get_thread);
    let edit = ServerAction::<EditPost>::new();
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                let t = match thread.await {
                    Ok(t) => t,
                    Err(e) => return view! { <ErrorBox error=e/> }.into_any(),
                };
                let p = t.post;
                if !p.can_edit {
                    return view! { <ErrorBox error=AppError::Forbidden/> }.into_any();
                }
                view! {
                    <Title text="Edit post"/>
                    <section class="card">
                        <h1>"Edit post"</h1>
                        <p><a href=format!("/post/{}", p.id)>"← Back to the post"</a></p>
                        <ActionError value=edit.value()/>
                        <ActionForm action=edit>
                            <CsrfField/>
                            <input type="hidden" name="id" value=p.id.to_string()/>
                            <label>"Title"<input name="title" required maxlength="200" value=p.title.clone()/></label>
                            <label>"Link (optional)"<input name="link" type="url" maxlength="2000" value=p.link.clone().unwrap_or_default()/></label>
                            <label>"Text (Markdown)"<textarea name="body" rows="10" maxlength="50000">{textarea_text(&p.body_markdown)}</textarea></label>
                            <button type="submit">"Save post"</button>
                        </ActionForm>
                    </section>
                }.into_any()
            })}
        </Suspense>
    }
}
