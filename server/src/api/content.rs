//! Feeds, posts, comments and votes.

use actix_web::{delete, get, patch, post, web, HttpResponse};
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::auth::{ApiUser, MaybeApiUser};
use super::communities::{person_out, PersonOut};
use super::error::{nul_free, ApiError, ErrorBody};
use crate::domain::content::feed::{self, FeedItem, FeedKind};
use crate::domain::content::posts::PostForm;
use crate::domain::content::{posts, votes, ContentError};
use crate::state::AppState;
use crate::store::actors::Actor;
use crate::store::comments::{self as comment_rows, Comment};
use crate::store::votes::{self as vote_rows, Target};
use crate::store::{posts as post_rows, DbConn};
use crate::web::read;

#[derive(Debug, Serialize, ToSchema)]
pub struct CommunityRefOut {
    pub key: String,
    pub handle: String,
    pub title: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PostOut {
    pub id: i64,
    /// The post's ActivityPub id.
    pub ap_id: String,
    pub community: CommunityRefOut,
    pub author: PersonOut,
    pub title: String,
    pub link: Option<String>,
    pub body_markdown: String,
    pub body_html: String,
    pub likes: i64,
    pub dislikes: i64,
    pub comments: i64,
    pub published_at: NaiveDateTime,
    pub updated_at: Option<NaiveDateTime>,
    /// The caller's vote (1, -1 or 0), on single posts read with a token.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub my_vote: Option<i16>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FeedOut {
    pub items: Vec<PostOut>,
    pub sort: String,
    /// Pass as `after` for the next page; null on the last page.
    pub next: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CommentOut {
    pub id: i64,
    pub ap_id: String,
    pub post_id: i64,
    /// The comment this one answers; null for a top-level comment.
    pub parent_id: Option<i64>,
    /// Null once deleted.
    pub author: Option<PersonOut>,
    pub body_markdown: String,
    pub body_html: String,
    /// Deleted comments keep their place in the thread, without text.
    pub deleted: bool,
    pub likes: i64,
    pub dislikes: i64,
    pub published_at: NaiveDateTime,
    pub updated_at: Option<NaiveDateTime>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub my_vote: Option<i16>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct FeedQuery {
    /// `mine` (needs a token), `local` (default), `all` or `community`.
    pub kind: Option<String>,
    /// The community's key, with `kind=community`.
    pub community: Option<String>,
    /// `new` (default), `active` or `top`.
    pub sort: Option<String>,
    /// The `next` cursor of the previous page.
    pub after: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewPost {
    pub title: String,
    /// Markdown.
    #[serde(default)]
    pub body: String,
    /// An http(s) address.
    pub link: Option<String>,
}

/// Only the fields sent change; `"link": ""` removes the link.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PostPatch {
    pub title: Option<String>,
    pub body: Option<String>,
    pub link: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewComment {
    /// Markdown.
    pub body: String,
    /// Reply to this comment (of the same post).
    pub parent_id: Option<i64>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CommentPatch {
    pub body: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VoteBody {
    /// 1 like, -1 dislike, 0 undo.
    pub value: i16,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct VoteOut {
    pub likes: i64,
    pub dislikes: i64,
    pub my_vote: i16,
}

fn post_out(item: &FeedItem, my_vote: Option<i16>) -> PostOut {
    let p = &item.post;
    PostOut {
        id: p.id,
        ap_id: p.ap_id.clone(),
        community: CommunityRefOut {
            key: read::community_key(&item.community, &item.community_actor),
            handle: read::community_handle(&item.community, &item.community_actor),
            title: item.community.title.clone(),
        },
        author: person_out(&item.author),
        title: p.title.clone(),
        link: p.link_url.clone(),
        body_markdown: p.body_markdown.clone(),
        body_html: p.body_html.clone(),
        likes: p.likes,
        dislikes: p.dislikes,
        comments: p.comment_count,
        published_at: p.published_at,
        updated_at: p.updated_at,
        my_vote,
    }
}

pub(super) fn comment_out(c: &Comment, author: &Actor, my_vote: Option<i16>) -> CommentOut {
    CommentOut {
        id: c.id,
        ap_id: c.ap_id.clone(),
        post_id: c.post_id,
        parent_id: c.parent_id,
        author: (!c.deleted).then(|| person_out(author)),
        body_markdown: c.body_markdown.clone(),
        body_html: c.body_html.clone(),
        deleted: c.deleted,
        likes: c.likes,
        dislikes: c.dislikes,
        published_at: c.published_at,
        updated_at: c.updated_at,
        my_vote,
    }
}

fn load_post(conn: &mut DbConn, id: i64, person: Option<i64>) -> Result<PostOut, ContentError> {
    let item = read::post_item(conn, id)?;
    let mine = match person {
        Some(p) => Some(vote_rows::of(conn, p, Target::Post(id))?.unwrap_or(0)),
        None => None,
    };
    Ok(post_out(&item, mine))
}

pub(super) fn load_comment(
    conn: &mut DbConn,
    id: i64,
    person: i64,
) -> Result<CommentOut, ContentError> {
    let c = comment_rows::by_id(conn, id).map_err(crate::domain::content::not_found)?;
    let author = crate::store::actors::by_id(conn, c.author_id)?;
    let mine = vote_rows::of(conn, person, Target::Comment(id))?.unwrap_or(0);
    Ok(comment_out(&c, &author, Some(mine)))
}

/// A page of posts: a person's communities, this instance's, everything known, or one community's.
#[utoipa::path(get, path = "/api/v1/feed", tag = "posts", params(FeedQuery),
    responses((status = 200, body = FeedOut), (status = 400, body = ErrorBody),
              (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
#[get("/feed")]
pub async fn get_feed(
    state: web::Data<AppState>,
    user: MaybeApiUser,
    query: web::Query<FeedQuery>,
) -> Result<web::Json<FeedOut>, ApiError> {
    let q = query.into_inner();
    let sort_key = q.sort.clone().unwrap_or_else(|| "new".into());
    let sort = feed::parse_sort(q.sort.as_deref())?;
    read::check_cursor(q.after.as_deref())?;
    let person = user.actor_id();
    let kind = q.kind.unwrap_or_else(|| "local".into());
    if kind != "community" && q.community.is_some() {
        return Err(ApiError::BadRequest(
            "`community` goes with `kind=community`.".into(),
        ));
    }
    let st = state.clone();
    let page = state
        .db(move |c| {
            let kind = match (kind.as_str(), q.community) {
                ("mine", _) => FeedKind::Mine(person.ok_or(ApiError::Unauthenticated)?),
                ("local", _) => FeedKind::Local,
                ("all", _) => FeedKind::All,
                ("community", Some(key)) => {
                    let (community, _) = read::community_by_key(c, &st.instance, &key)
                        .map_err(ContentError::from)?;
                    FeedKind::Community(community.id)
                }
                ("community", None) => {
                    return Err(ApiError::BadRequest(
                        "`kind=community` needs `community=<name>`.".into(),
                    ))
                }
                (other, _) => {
                    return Err(ApiError::BadRequest(format!(
                        "Unknown feed “{other}”: use mine, local, all or community."
                    )))
                }
            };
            Ok(feed::page(c, &kind, sort, q.after.as_deref())?)
        })
        .await?;
    Ok(web::Json(FeedOut {
        items: page.items.iter().map(|i| post_out(i, None)).collect(),
        sort: sort_key,
        next: page.next,
    }))
}

/// Write a post (members of the community).
#[utoipa::path(post, path = "/api/v1/communities/{name}/posts", tag = "posts", security(("bearer" = [])),
    params(("name" = String, Path)), request_body = NewPost,
    responses((status = 201, body = PostOut), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[post("/communities/{name}/posts")]
pub async fn create_post(
    state: web::Data<AppState>,
    user: ApiUser,
    path: web::Path<String>,
    body: web::Json<NewPost>,
) -> Result<HttpResponse, ApiError> {
    let key = path.into_inner();
    let NewPost { title, body, link } = body.into_inner();
    nul_free([title.as_str(), &body, link.as_deref().unwrap_or_default()])?;
    let person = user.live.actor.id;
    let st = state.clone();
    let out = state
        .db(move |c| {
            let (community, _) = read::community_by_key(c, &st.instance, &key)?;
            let form = PostForm { title, body, link };
            let post = posts::create(c, &*st.publisher, &st.instance, community.id, person, &form)?;
            load_post(c, post.id, Some(person))
        })
        .await?;
    Ok(HttpResponse::Created().json(out))
}

#[utoipa::path(get, path = "/api/v1/posts/{id}", tag = "posts",
    params(("id" = i64, Path)),
    responses((status = 200, body = PostOut), (status = 404, body = ErrorBody)))]
#[get("/posts/{id}")]
pub async fn get_post(
    state: web::Data<AppState>,
    user: MaybeApiUser,
    path: web::Path<i64>,
) -> Result<web::Json<PostOut>, ApiError> {
    let id = path.into_inner();
    let person = user.actor_id();
    let out = state.db(move |c| load_post(c, id, person)).await?;
    Ok(web::Json(out))
}

/// Edit a post (its author).
#[utoipa::path(patch, path = "/api/v1/posts/{id}", tag = "posts", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = PostPatch,
    responses((status = 200, body = PostOut), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[patch("/posts/{id}")]
pub async fn edit_post(
    state: web::Data<AppState>,
    user: ApiUser,
    path: web::Path<i64>,
    body: web::Json<PostPatch>,
) -> Result<web::Json<PostOut>, ApiError> {
    let id = path.into_inner();
    let patch = body.into_inner();
    let person = user.live.actor.id;
    let publisher = state.publisher.clone();
    nul_free([
        patch.title.as_deref().unwrap_or_default(),
        patch.body.as_deref().unwrap_or_default(),
        patch.link.as_deref().unwrap_or_default(),
    ])?;
    let out = state
        .db(move |c| {
            let current = post_rows::by_id(c, id).map_err(crate::domain::content::not_found)?;
            if current.deleted {
                return Err(ContentError::NotFound);
            }
            let form = PostForm {
                title: patch.title.unwrap_or(current.title),
                body: patch.body.unwrap_or(current.body_markdown),
                link: patch.link.or(current.link_url),
            };
            posts::edit(c, &*publisher, id, person, &form)?;
            load_post(c, id, Some(person))
        })
        .await?;
    Ok(web::Json(out))
}

/// Delete a post (its author or a moderator of its community).
#[utoipa::path(delete, path = "/api/v1/posts/{id}", tag = "posts", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[delete("/posts/{id}")]
pub async fn delete_post(
    state: web::Data<AppState>,
    user: ApiUser,
    path: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let person = user.live.actor.id;
    let publisher = state.publisher.clone();
    state
        .db(move |c| {
            let current = post_rows::by_id(c, id).map_err(crate::domain::content::not_found)?;
            if current.deleted {
                return Err(ContentError::NotFound);
            }
            posts::delete(c, &*publisher, id, person)
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

fn cast_vote(
    state: &AppState,
    conn: &mut DbConn,
    person: i64,
    target: Target,
    value: i16,
) -> Result<VoteOut, ContentError> {
    votes::vote(
        conn,
        &*state.publisher,
        &state.instance,
        person,
        target,
        value,
    )?;
    let (likes, dislikes) = match target {
        Target::Post(id) => {
            let p = post_rows::by_id(conn, id)?;
            (p.likes, p.dislikes)
        }
        Target::Comment(id) => {
            let c = comment_rows::by_id(conn, id)?;
            (c.likes, c.dislikes)
        }
    };
    Ok(VoteOut {
        likes,
        dislikes,
        my_vote: vote_rows::of(conn, person, target)?.unwrap_or(0),
    })
}

/// Like (1), dislike (-1) or undo (0) on a post (members and followers).
#[utoipa::path(post, path = "/api/v1/posts/{id}/vote", tag = "posts", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = VoteBody,
    responses((status = 200, body = VoteOut), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[post("/posts/{id}/vote")]
pub async fn vote_post(
    state: web::Data<AppState>,
    user: ApiUser,
    path: web::Path<i64>,
    body: web::Json<VoteBody>,
) -> Result<web::Json<VoteOut>, ApiError> {
    let target = Target::Post(path.into_inner());
    let value = body.value;
    let person = user.live.actor.id;
    let st = state.get_ref().clone();
    let out = state
        .db(move |c| cast_vote(&st, c, person, target, value))
        .await?;
    Ok(web::Json(out))
}

/// Like (1), dislike (-1) or undo (0) on a comment.
#[utoipa::path(post, path = "/api/v1/comments/{id}/vote", tag = "comments", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = VoteBody,
    responses((status = 200, body = VoteOut), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[post("/comments/{id}/vote")]
pub async fn vote_comment(
    state: web::Data<AppState>,
    user: ApiUser,
    path: web::Path<i64>,
    body: web::Json<VoteBody>,
) -> Result<web::Json<VoteOut>, ApiError> {
    let target = Target::Comment(path.into_inner());
    let value = body.value;
    let person = user.live.actor.id;
    let st = state.get_ref().clone();
    let out = state
        .db(move |c| cast_vote(&st, c, person, target, value))
        .await?;
    Ok(web::Json(out))
}
