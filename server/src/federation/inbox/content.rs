//! Incoming posts, comments, deletions and likes, sent to our communities or announced by communities we follow; unknown parents of replies are fetched.

use std::sync::Arc;

use activitypub_federation::config::Data;
use activitypub_federation::fetch::object_id::ObjectId;
use activitypub_federation::protocol::verification::verify_domains_match;
use actix_web::web::Bytes;
use chrono::{DateTime, Utc};
use url::Url;

use crate::domain::content::remote::{self, Deleted, RemoteComment, RemotePost};
use crate::federation::config::host_of;
use crate::federation::error::FedError;
use crate::federation::objects::actor::ApubActor;
use crate::federation::outgoing;
use crate::federation::protocol::activities::{LikeOrDislike, LikeType, Undo};
use crate::federation::protocol::objects::{ApObject, Note, Page};
use crate::federation::protocol::values::AttributedTo;
use crate::federation::protocol::InboxActivity;
use crate::state::AppState;
use crate::store::communities::{self, Community};
use crate::store::{comments, posts, DbConn, StoreError};

use super::{fetch, vote_batch, Body};

fn naive(t: Option<DateTime<Utc>>) -> Option<chrono::NaiveDateTime> {
    t.map(|t| t.naive_utc())
}

/// Who wrote a post or comment that came without a sender of its own
/// (fetched, or embedded in an announce).
pub(super) fn author_of(attributed: &AttributedTo) -> Result<Url, FedError> {
    attributed
        .primary()
        .cloned()
        .ok_or_else(|| FedError::Refused("a post or comment without an author".into()))
}

/// The actor row for a URL, fetched from its server when unknown.
async fn actor_row(url: &Url, data: &Data<AppState>) -> Result<ApubActor, FedError> {
    ObjectId::<ApubActor>::from(url.clone())
        .dereference(data)
        .await
}

/// A local community forwards what it received to its audience, except back to the sender.
pub(super) fn forward(
    conn: &mut DbConn,
    data: &Data<AppState>,
    community: &Community,
    raw: serde_json::Value,
    sender: &Url,
) -> Result<(), FedError> {
    if !community.local {
        return Ok(());
    }
    let (community, community_actor) = communities::by_id(conn, community.id)?;
    let origin = outgoing::Origin {
        instance: data.instance.clone(),
        allowlist_only: data.allowlist_only(),
    };
    outgoing::announce(
        conn,
        &origin,
        &community,
        &community_actor,
        raw,
        host_of(sender).as_deref(),
    )?;
    Ok(())
}

/// Which community a post or comment is in: a local one it was sent to, or
/// the remote one that announced it.
fn community_for(
    conn: &mut DbConn,
    candidates: &[&Url],
    via: Option<&Community>,
) -> Result<Option<Community>, FedError> {
    for url in candidates {
        if let Some((c, _)) = communities::by_ap_id(conn, url.as_str())? {
            if c.local || via.is_some_and(|v| v.id == c.id) {
                return Ok(Some(c));
            }
        }
    }
    Ok(None)
}

/// Mastodon posts to a community have no `name`: take the start of the text, as Lemmy does.
pub fn title_from(html: &str) -> String {
    let text = ammonia::Builder::empty().clean(html).to_string();
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut title: String = text.chars().take(80).collect();
    if text.chars().count() > 80 {
        title.push('…');
    }
    title
}

pub async fn page(
    page: Page,
    actor: &Url,
    raw: serde_json::Value,
    via: Option<Community>,
    data: &Data<AppState>,
) -> Result<(), FedError> {
    if page.attributed_to.primary() != Some(actor) {
        return Err(FedError::Refused(
            "a post may only be sent by its author".into(),
        ));
    }
    verify_domains_match(&page.id, actor)?;
    if host_of(&page.id).as_deref() == Some(data.settings.hostname.as_str()) {
        return Ok(());
    }
    let author = actor_row(actor, data).await?;
    let data2 = data.reset_request_count();
    data.db(move |c| {
        let candidates: Vec<&Url> = page
            .audience
            .iter()
            .chain(page.to.iter())
            .chain(page.cc.iter())
            .collect();
        let Some(community) = community_for(c, &candidates, via.as_ref())? else {
            return Ok(());
        };
        let published = naive(page.published).unwrap_or_else(crate::store::now);
        let body_markdown = page
            .source
            .as_ref()
            .filter(|s| s.is_markdown())
            .map(|s| s.content.clone())
            .unwrap_or_default();
        let post = RemotePost {
            ap_id: page.id.to_string(),
            community_id: community.id,
            author_id: author.row.id,
            title: page
                .name
                .clone()
                .filter(|n| !n.trim().is_empty())
                .unwrap_or_else(|| title_from(page.content.as_deref().unwrap_or_default())),
            body_html: page.content.clone().unwrap_or_default(),
            body_markdown,
            link: page.link().map(Url::to_string),
            published,
            updated: naive(page.updated),
        };
        crate::store::write_transaction(c, |c| {
            remote::upsert_post(c, &post, community.local)?;
            forward(c, &data2, &community, raw, &author.url)
        })
    })
    .await
}

pub async fn note(
    note: Note,
    actor: &Url,
    raw: serde_json::Value,
    via: Option<Community>,
    data: &Data<AppState>,
) -> Result<(), FedError> {
    note_in_thread(note, actor, raw, via, data, 0).await
}

/// How many unknown ancestors of a comment we fetch before giving up.
const MAX_FETCHED_ANCESTORS: usize = 8;

/// Fetches the post or comment a reply answers when we have not seen it (we
/// followed the community after it was posted, or its delivery was lost), so
/// the reply can be placed in its thread.
async fn fetch_parent(
    parent: &Url,
    via: Option<&Community>,
    data: &Data<AppState>,
    depth: usize,
) -> Result<(), FedError> {
    if depth >= MAX_FETCHED_ANCESTORS {
        return Err(FedError::Domain(format!(
            "reply thread deeper than {MAX_FETCHED_ANCESTORS} unknown comments"
        )));
    }
    let document = fetch::document(parent, data).await?;
    match ApObject::from_value(&document).map_err(|e| FedError::Refused(e.to_string()))? {
        ApObject::Page(p) => {
            let author = author_of(&p.attributed_to)?;
            page(*p, &author, serde_json::Value::Null, via.cloned(), data).await
        }
        ApObject::Note(n) => {
            let author = author_of(&n.attributed_to)?;
            Box::pin(note_in_thread(
                *n,
                &author,
                serde_json::Value::Null,
                via.cloned(),
                data,
                depth + 1,
            ))
            .await
        }
        _ => Err(FedError::Refused(format!(
            "{parent} is neither a post nor a comment"
        ))),
    }
}

async fn note_in_thread(
    note: Note,
    actor: &Url,
    raw: serde_json::Value,
    via: Option<Community>,
    data: &Data<AppState>,
    depth: usize,
) -> Result<(), FedError> {
    if note.attributed_to.primary() != Some(actor) {
        return Err(FedError::Refused(
            "a comment may only be sent by its author".into(),
        ));
    }
    verify_domains_match(&note.id, actor)?;
    if host_of(&note.id).as_deref() == Some(data.settings.hostname.as_str()) {
        return Ok(());
    }
    let author = actor_row(actor, data).await?;
    let parent = note.in_reply_to.clone();
    let known = data
        .db(move |c| {
            Ok::<_, StoreError>(
                posts::by_ap_id(c, parent.as_str())?.is_some()
                    || comments::by_ap_id(c, parent.as_str())?.is_some(),
            )
        })
        .await?;
    if !known && host_of(&note.in_reply_to).as_deref() != Some(data.settings.hostname.as_str()) {
        fetch_parent(&note.in_reply_to, via.as_ref(), data, depth).await?;
    }
    let data2 = data.reset_request_count();
    data.db(move |c| {
        let parent = note.in_reply_to.as_str();
        let (post, parent_id) = match posts::by_ap_id(c, parent)? {
            Some(p) => (p, None),
            None => match comments::by_ap_id(c, parent)? {
                Some(pc) => (posts::by_id(c, pc.post_id)?, Some(pc.id)),
                None => return Err(FedError::Domain(format!("reply to unknown {parent}"))),
            },
        };
        let (community, _) = communities::by_id(c, post.community_id)?;
        if !community.local && via.as_ref().is_none_or(|v| v.id != community.id) {
            return Ok(());
        }
        let comment = RemoteComment {
            ap_id: note.id.to_string(),
            post_id: post.id,
            parent_id,
            author_id: author.row.id,
            body_html: note.content.clone().unwrap_or_default(),
            body_markdown: note
                .source
                .as_ref()
                .filter(|s| s.is_markdown())
                .map(|s| s.content.clone())
                .unwrap_or_default(),
            published: naive(note.published).unwrap_or_else(crate::store::now),
            updated: naive(note.updated),
        };
        crate::store::write_transaction(c, |c| {
            remote::upsert_comment(c, &comment, community.local)?;
            forward(c, &data2, &community, raw, &author.url)
        })
    })
    .await
}

pub async fn delete(
    object: Url,
    actor: &Url,
    raw: serde_json::Value,
    via: Option<Community>,
    data: &Data<AppState>,
) -> Result<(), FedError> {
    let actor = actor_row(actor, data).await?;
    let data2 = data.reset_request_count();
    data.db(move |c| {
        crate::store::write_transaction(c, |c| {
            let community_id = match remote::delete(c, object.as_str(), actor.row.id)? {
                Deleted::Post(_, community) | Deleted::Comment(_, community) => community,
                Deleted::Nothing => return Ok(()),
            };
            let (community, _) = communities::by_id(c, community_id)?;
            if !community.local && via.as_ref().is_none_or(|v| v.id != community.id) {
                return Err(FedError::Refused(
                    "deletion of content in a community not announcing it".into(),
                ));
            }
            forward(c, &data2, &community, raw, &actor.url)
        })
    })
    .await
}

/// What a like, dislike or undo asks for: the post or comment, the value
/// (0 takes a vote back), the received activity's id and the like's own.
struct Asked {
    object: Url,
    value: i16,
    activity_id: String,
    ap_id: String,
}

fn liked(l: LikeOrDislike) -> Asked {
    let value = if l.kind == LikeType::Like { 1 } else { -1 };
    Asked {
        object: l.object,
        value,
        activity_id: l.id.to_string(),
        ap_id: l.id.into(),
    }
}

/// Refuses an undo of someone else's vote.
fn undone(u: Undo<LikeOrDislike>, voter: &Url) -> Result<Asked, FedError> {
    if &u.object.actor != voter {
        return Err(FedError::Refused("only the voter may undo a vote".into()));
    }
    Ok(Asked {
        object: u.object.object,
        value: 0,
        activity_id: u.id.to_string(),
        ap_id: u.object.id.into(),
    })
}

/// A like, dislike, or the undoing of one, sent by the voter itself, as a
/// vote for the writer (`Ok`), its id recorded as seen in the transaction
/// that writes it; any other activity back as it came, with its signer.
/// Refuses an undo of someone else's vote.
#[allow(clippy::type_complexity)]
pub fn direct_vote(
    activity: InboxActivity,
    signer: Arc<ApubActor>,
    body: &Bytes,
) -> Result<Result<vote_batch::Vote, (InboxActivity, Arc<ApubActor>)>, FedError> {
    let asked = match activity {
        InboxActivity::LikeOrDislike(l) => liked(l),
        InboxActivity::UndoLikeOrDislike(u) => undone(u, &signer.url)?,
        other => return Ok(Err((other, signer))),
    };
    Ok(Ok(vote_batch::Vote {
        object: asked.object,
        voter: signer,
        value: asked.value,
        record: Some(asked.activity_id),
        ap_id: asked.ap_id,
        raw: Body(body.clone()),
        via: None,
    }))
}

/// A vote by `voter`, named in an activity a community announced (read or
/// fetched by id), written with others arriving at the same time.
async fn announced_vote(
    asked: Asked,
    voter: &Url,
    via: Option<Community>,
    data: &Data<AppState>,
) -> Result<(), FedError> {
    let vote = vote_batch::Vote {
        object: asked.object,
        voter: Arc::new(actor_row(voter, data).await?),
        value: asked.value,
        record: None,
        ap_id: asked.ap_id,
        raw: Body::default(),
        via,
    };
    vote_batch::submit(vote, data).await
}

pub async fn like(
    l: LikeOrDislike,
    voter: &Url,
    via: Option<Community>,
    data: &Data<AppState>,
) -> Result<(), FedError> {
    announced_vote(liked(l), voter, via, data).await
}

pub async fn unlike(
    u: Undo<LikeOrDislike>,
    voter: &Url,
    via: Option<Community>,
    data: &Data<AppState>,
) -> Result<(), FedError> {
    announced_vote(undone(u, voter)?, voter, via, data).await
}

#[cfg(test)]
mod tests {
    use super::title_from;

    #[test]
    fn titles_from_mastodon_text() {
        assert_eq!(
            title_from("<p>Hello <b>co-op</b> friends</p>"),
            "Hello co-op friends"
        );
        let long = format!("<p>{}</p>", "word ".repeat(40));
        let t = title_from(&long);
        assert!(t.ends_with('…') && t.chars().count() == 81, "{t}");
        assert_eq!(title_from(""), "");
    }
}
