//! A post's comments over the JSON API: list, write, edit and delete (shapes in [`super::content`]).

use actix_web::{delete, get, patch, post, web, HttpResponse};

use super::auth::{ApiUser, MaybeApiUser};
use super::content::{comment_out, load_comment, CommentOut, CommentPatch, NewComment};
use super::error::{nul_free, ApiError, ErrorBody};
use crate::domain::content::{comments, ContentError};
use crate::state::AppState;
use crate::store::comments as comment_rows;
use crate::web::read;

/// All comments of a post, oldest first; nest them by `parent_id`.
#[utoipa::path(get, path = "/api/v1/posts/{id}/comments", tag = "comments",
    params(("id" = i64, Path)),
    responses((status = 200, body = [CommentOut]), (status = 404, body = ErrorBody)))]
#[get("/posts/{id}/comments")]
pub async fn list_comments(
    state: web::Data<AppState>,
    user: MaybeApiUser,
    path: web::Path<i64>,
) -> Result<web::Json<Vec<CommentOut>>, ApiError> {
    let id = path.into_inner();
    let person = user.actor_id();
    let out = state
        .db(move |c| {
            read::post_item(c, id)?;
            let rows = read::thread_comments(c, id)?;
            let ids: Vec<i64> = rows.iter().map(|(cm, _)| cm.id).collect();
            let mine = match person {
                Some(p) => Some(read::comment_votes(c, p, &ids)?),
                None => None,
            };
            Ok::<_, ContentError>(
                rows.iter()
                    .map(|(cm, a)| {
                        let v = mine.as_ref().map(|m| m.get(&cm.id).copied().unwrap_or(0));
                        comment_out(cm, a, v)
                    })
                    .collect::<Vec<_>>(),
            )
        })
        .await?;
    Ok(web::Json(out))
}

/// Comment on a post or reply to a comment (members and followers of its community).
#[utoipa::path(post, path = "/api/v1/posts/{id}/comments", tag = "comments", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = NewComment,
    responses((status = 201, body = CommentOut), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[post("/posts/{id}/comments")]
pub async fn create_comment(
    state: web::Data<AppState>,
    user: ApiUser,
    path: web::Path<i64>,
    body: web::Json<NewComment>,
) -> Result<HttpResponse, ApiError> {
    let post_id = path.into_inner();
    let NewComment { body, parent_id } = body.into_inner();
    nul_free([body.as_str()])?;
    let person = user.live.actor.id;
    let st = state.clone();
    let out = state
        .db(move |c| {
            let cm = comments::create(
                c,
                &*st.publisher,
                &st.instance,
                post_id,
                parent_id,
                person,
                &body,
            )?;
            load_comment(c, cm.id, person)
        })
        .await?;
    Ok(HttpResponse::Created().json(out))
}

/// Edit a comment (its author).
#[utoipa::path(patch, path = "/api/v1/comments/{id}", tag = "comments", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = CommentPatch,
    responses((status = 200, body = CommentOut), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[patch("/comments/{id}")]
pub async fn edit_comment(
    state: web::Data<AppState>,
    user: ApiUser,
    path: web::Path<i64>,
    body: web::Json<CommentPatch>,
) -> Result<web::Json<CommentOut>, ApiError> {
    let id = path.into_inner();
    let CommentPatch { body } = body.into_inner();
    nul_free([body.as_str()])?;
    let person = user.live.actor.id;
    let publisher = state.publisher.clone();
    let out = state
        .db(move |c| {
            comments::edit(c, &*publisher, id, person, &body)?;
            load_comment(c, id, person)
        })
        .await?;
    Ok(web::Json(out))
}

/// Delete a comment (its author or a moderator); its replies stay.
#[utoipa::path(delete, path = "/api/v1/comments/{id}", tag = "comments", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[delete("/comments/{id}")]
pub async fn delete_comment(
    state: web::Data<AppState>,
    user: ApiUser,
    path: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let person = user.live.actor.id;
    let publisher = state.publisher.clone();
    state
        .db(move |c| {
            let cm = comment_rows::by_id(c, id).map_err(crate::domain::content::not_found)?;
            if cm.deleted {
                return Err(ContentError::NotFound);
            }
            comments::delete(c, &*publisher, id, person)
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
