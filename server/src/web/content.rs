//! The UI's content operations: feeds, posts, threaded comments and votes.

use commonhall_frontend::{
    AppError, AppResult, CommentView, FeedKind, FeedView, PostInput, PostView, ThreadView, Viewer,
    VoteTarget,
};

use super::checks::nul_free;
use super::communities::resolve;
use super::read;
use super::views::{person_ref, post_view};
use crate::domain::communities;
use crate::domain::content::feed;
use crate::domain::content::posts::PostForm;
use crate::domain::content::{self, comments, posts, votes, ContentError};
use crate::state::AppState;
use crate::store::{comments as comment_rows, posts as post_rows, votes as vote_rows};

pub(super) fn post_texts(input: &PostInput) -> [&str; 3] {
    [
        &input.title,
        &input.body,
        input.link.as_deref().unwrap_or_default(),
    ]
}

pub(super) async fn feed(
    app: &AppState,
    viewer: Option<&Viewer>,
    kind: FeedKind,
    sort: Option<String>,
    after: Option<String>,
) -> AppResult<FeedView> {
    let sort_key = sort.clone().unwrap_or_else(|| "new".into());
    let sort = feed::parse_sort(sort.as_deref())?;
    read::check_cursor(after.as_deref())?;
    let person = viewer.map(|v| v.actor_id);
    let state = app.clone();
    let page = app
        .db(move |c| {
            let kind = match kind {
                FeedKind::Mine => match person {
                    Some(p) => feed::FeedKind::Mine(p),
                    None => return Ok(None),
                },
                FeedKind::Local => feed::FeedKind::Local,
                FeedKind::All => feed::FeedKind::All,
                FeedKind::Community(key) => {
                    feed::FeedKind::Community(resolve(c, &state, &key)?.0.id)
                }
            };
            Ok::<_, ContentError>(Some(feed::page(c, &kind, sort, after.as_deref())?))
        })
        .await?
        .ok_or(AppError::Unauthenticated)?;
    Ok(FeedView {
        // Feeds show no bodies; leaving them out keeps pages light.
        items: page
            .items
            .iter()
            .map(|item| PostView {
                body_markdown: String::new(),
                body_html: String::new(),
                ..post_view(item)
            })
            .collect(),
        sort: sort_key,
        next: page.next,
    })
}

pub(super) async fn create_post(
    app: &AppState,
    viewer: &Viewer,
    key: String,
    input: PostInput,
) -> AppResult<i64> {
    nul_free(post_texts(&input))?;
    let state = app.clone();
    let person = viewer.actor_id;
    let form = PostForm {
        title: input.title,
        body: input.body,
        link: input.link,
    };
    let post = app
        .db(move |c| {
            let (community, _) = resolve(c, &state, &key)?;
            posts::create(
                c,
                &*state.publisher,
                &state.instance,
                community.id,
                person,
                &form,
            )
        })
        .await?;
    Ok(post.id)
}

pub(super) async fn thread(
    app: &AppState,
    viewer: Option<&Viewer>,
    post_id: i64,
) -> AppResult<ThreadView> {
    let person = viewer.map(|v| v.actor_id);
    let thread = app
        .db(move |c| {
            let item = read::post_item(c, post_id)?;
            let mut post = post_view(&item);
            let community_id = item.post.community_id;
            let (takes_part, moderates) = match person {
                Some(p) => (
                    content::may_take_part(c, community_id, p)?,
                    content::is_moderator(c, community_id, p)?,
                ),
                None => (false, false),
            };
            if let Some(p) = person {
                post.my_vote = vote_rows::of(c, p, vote_rows::Target::Post(post_id))?.unwrap_or(0);
                post.can_edit = item.post.author_id == p && item.post.local;
                post.can_delete = item.post.author_id == p || moderates;
                post.can_vote = takes_part;
            }
            // Markdown sources only go to those who may edit them.
            if !post.can_edit {
                post.body_markdown.clear();
            }
            let rows = read::thread_comments(c, post_id)?;
            let ids: Vec<i64> = rows.iter().map(|(cm, _)| cm.id).collect();
            let mine = match person {
                Some(p) => read::comment_votes(c, p, &ids)?,
                None => Default::default(),
            };
            let comments = rows
                .iter()
                .map(|(cm, author)| {
                    let own = person == Some(cm.author_id);
                    CommentView {
                        id: cm.id,
                        parent_id: cm.parent_id,
                        author: person_ref(author),
                        body_markdown: if own && cm.local {
                            cm.body_markdown.clone()
                        } else {
                            String::new()
                        },
                        body_html: cm.body_html.clone(),
                        published: read::human_time(cm.published_at),
                        published_iso: read::iso_time(cm.published_at),
                        edited: cm.updated_at.is_some(),
                        deleted: cm.deleted,
                        likes: cm.likes,
                        dislikes: cm.dislikes,
                        my_vote: mine.get(&cm.id).copied().unwrap_or(0),
                        can_edit: own && cm.local && !cm.deleted,
                        can_delete: (own || moderates) && !cm.deleted,
                    }
                })
                .collect();
            Ok::<_, ContentError>(ThreadView {
                post,
                comments,
                can_take_part: takes_part,
            })
        })
        .await?;
    Ok(thread)
}

pub(super) async fn edit_post(
    app: &AppState,
    viewer: &Viewer,
    post_id: i64,
    input: PostInput,
) -> AppResult<()> {
    nul_free(post_texts(&input))?;
    let publisher = app.publisher.clone();
    let person = viewer.actor_id;
    let form = PostForm {
        title: input.title,
        body: input.body,
        link: input.link,
    };
    app.db(move |c| posts::edit(c, &*publisher, post_id, person, &form))
        .await?;
    Ok(())
}

pub(super) async fn delete_post(
    app: &AppState,
    viewer: &Viewer,
    post_id: i64,
) -> AppResult<String> {
    let publisher = app.publisher.clone();
    let person = viewer.actor_id;
    let key = app
        .db(move |c| {
            let post = post_rows::by_id(c, post_id).map_err(content::not_found)?;
            if post.deleted {
                return Err(ContentError::NotFound);
            }
            posts::delete(c, &*publisher, post_id, person)?;
            let (community, actor) = communities::get(c, post.community_id)?;
            Ok(read::community_key(&community, &actor))
        })
        .await?;
    Ok(key)
}

pub(super) async fn create_comment(
    app: &AppState,
    viewer: &Viewer,
    post_id: i64,
    parent_id: Option<i64>,
    body: String,
) -> AppResult<i64> {
    nul_free([body.as_str()])?;
    let state = app.clone();
    let person = viewer.actor_id;
    let comment = app
        .db(move |c| {
            comments::create(
                c,
                &*state.publisher,
                &state.instance,
                post_id,
                parent_id,
                person,
                &body,
            )
        })
        .await?;
    Ok(comment.id)
}

pub(super) async fn edit_comment(
    app: &AppState,
    viewer: &Viewer,
    comment_id: i64,
    body: String,
) -> AppResult<i64> {
    nul_free([body.as_str()])?;
    let publisher = app.publisher.clone();
    let person = viewer.actor_id;
    let comment = app
        .db(move |c| comments::edit(c, &*publisher, comment_id, person, &body))
        .await?;
    Ok(comment.post_id)
}

pub(super) async fn delete_comment(
    app: &AppState,
    viewer: &Viewer,
    comment_id: i64,
) -> AppResult<i64> {
    let publisher = app.publisher.clone();
    let person = viewer.actor_id;
    let post_id = app
        .db(move |c| {
            let comment = comment_rows::by_id(c, comment_id).map_err(content::not_found)?;
            if comment.deleted {
                return Err(ContentError::NotFound);
            }
            comments::delete(c, &*publisher, comment_id, person)?;
            Ok(comment.post_id)
        })
        .await?;
    Ok(post_id)
}

pub(super) async fn vote(
    app: &AppState,
    viewer: &Viewer,
    target: VoteTarget,
    value: i16,
) -> AppResult<i64> {
    let state = app.clone();
    let person = viewer.actor_id;
    let post_id = app
        .db(move |c| {
            let (target, post_id) = match target {
                VoteTarget::Post(id) => (vote_rows::Target::Post(id), id),
                VoteTarget::Comment(id) => {
                    let cm = comment_rows::by_id(c, id).map_err(content::not_found)?;
                    (vote_rows::Target::Comment(id), cm.post_id)
                }
            };
            votes::vote(c, &*state.publisher, &state.instance, person, target, value)?;
            Ok::<_, ContentError>(post_id)
        })
        .await?;
    Ok(post_id)
}
