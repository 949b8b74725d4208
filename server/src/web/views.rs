//! What the UI's pages show, built from store rows: profiles, people, communities, memberships
//! and posts as the `Backend` port's view types.

use commonhall_frontend::{
    CommunityRef, CommunitySummary, MembershipView, PersonRef, PostView, ProfileView,
};

use super::read;
use crate::domain::communities::CommunityError;
use crate::domain::content::feed::FeedItem;
use crate::domain::markdown;
use crate::store::actors::Actor;
use crate::store::communities::Community;
use crate::store::memberships::Membership;
use crate::store::users::User;
use crate::store::DbConn;

pub fn profile_view(user: &User, actor: &Actor) -> ProfileView {
    ProfileView {
        username: user.username.clone(),
        handle: format!("@{}@{}", user.username, actor.domain),
        display_name: actor.display_name.clone(),
        bio_html: markdown::to_safe_html(&user.bio_markdown),
        bio_markdown: user.bio_markdown.clone(),
        is_admin: user.is_admin,
        joined: user.created_at.format("%-d %B %Y").to_string(),
        actor_id: actor.ap_id.clone(),
    }
}

pub(super) fn person_ref(actor: &Actor) -> PersonRef {
    PersonRef {
        name: read::person_name(actor),
        handle: read::person_handle(actor),
        url: read::person_url(actor),
    }
}

pub(super) fn summary(
    conn: &mut DbConn,
    community: &Community,
    actor: &Actor,
) -> Result<CommunitySummary, CommunityError> {
    let counts = read::counts(conn, community.id)?;
    Ok(CommunitySummary {
        key: read::community_key(community, actor),
        title: community.title.clone(),
        handle: read::community_handle(community, actor),
        local: community.local,
        join_policy: community.join_policy.clone(),
        members: counts.members,
        followers: counts.followers,
        open_proposals: counts.open_proposals,
    })
}

pub(super) fn membership_view(m: &Membership) -> MembershipView {
    MembershipView {
        id: m.id,
        status: m.status.clone(),
        class: m.class.clone(),
        role: m.role.clone(),
        reason: m.decision_reason.clone(),
    }
}

/// A post as the UI shows it; the viewer-specific flags start false.
pub(super) fn post_view(item: &FeedItem) -> PostView {
    let p = &item.post;
    PostView {
        id: p.id,
        title: p.title.clone(),
        link: p.link_url.clone(),
        body_markdown: p.body_markdown.clone(),
        body_html: p.body_html.clone(),
        author: person_ref(&item.author),
        community: CommunityRef {
            key: read::community_key(&item.community, &item.community_actor),
            title: item.community.title.clone(),
            handle: read::community_handle(&item.community, &item.community_actor),
        },
        published: read::human_time(p.published_at),
        published_iso: read::iso_time(p.published_at),
        edited: p.updated_at.is_some(),
        likes: p.likes,
        dislikes: p.dislikes,
        comments: p.comment_count,
        my_vote: 0,
        can_edit: false,
        can_delete: false,
        can_vote: false,
    }
}
