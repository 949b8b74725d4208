//! Communities: creation and settings, membership (join, approve, leave) and follows.

pub mod follow;
pub mod membership;

use super::events::{Event, PublishError, Publisher};
use super::{keys, markdown, Instance};
use crate::store::actors::{self, NewActor};
use crate::store::communities::{self, Community, NewCommunity, WithActor};
use crate::store::memberships::{self, NewMembership};
use crate::store::{self, DbConn};

pub const MAX_TITLE: usize = 100;
pub const MAX_DESCRIPTION: usize = 10_000;
pub const MAX_CLASSES: usize = 12;

#[derive(Debug, thiserror::Error)]
pub enum CommunityError {
    #[error("{0}")]
    Invalid(String),
    #[error("A community with that name already exists.")]
    NameTaken,
    #[error("No such community.")]
    NotFound,
    #[error("Only {0} may do that.")]
    NotAllowed(&'static str),
    #[error("{0}")]
    Conflict(String),
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
    #[error(transparent)]
    Keys(#[from] keys::KeyError),
    #[error(transparent)]
    Publish(#[from] PublishError),
    #[error(transparent)]
    Store(#[from] store::StoreError),
}

/// How people become members.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JoinPolicy {
    Open,
    Approval,
    Invite,
}

impl JoinPolicy {
    pub fn parse(s: &str) -> Result<Self, CommunityError> {
        match s {
            "open" => Ok(JoinPolicy::Open),
            "approval" => Ok(JoinPolicy::Approval),
            "invite" => Ok(JoinPolicy::Invite),
            _ => Err(CommunityError::Invalid(
                "Join policy must be open, approval or invite.".into(),
            )),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            JoinPolicy::Open => "open",
            JoinPolicy::Approval => "approval",
            JoinPolicy::Invite => "invite",
        }
    }
}

/// What an admin fills in to create or edit a community.
#[derive(Debug, Clone)]
pub struct CommunityForm {
    pub name: String,
    pub title: String,
    pub description: String,
    pub join_policy: String,
    /// Comma- or newline-separated class names, e.g. "worker, user, supporter".
    pub classes: String,
}

/// Lower-case letters, digits and `_`, starting with a letter, 2–30 long.
pub fn check_name(name: &str) -> Result<(), CommunityError> {
    let ok = (2..=30).contains(&name.len())
        && name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if ok {
        Ok(())
    } else {
        Err(CommunityError::Invalid(
            "Community name: 2 to 30 lower-case letters, digits or _, starting with a letter."
                .into(),
        ))
    }
}

/// Parses and checks the stakeholder classes; returns their JSON.
pub fn parse_classes(input: &str) -> Result<Vec<String>, CommunityError> {
    let mut classes: Vec<String> = Vec::new();
    for raw in input.split([',', '\n']) {
        let c = raw.trim().to_lowercase();
        if c.is_empty() {
            continue;
        }
        if c.len() > 30
            || !c
                .chars()
                .all(|ch| ch.is_alphanumeric() || ch == '_' || ch == '-' || ch == ' ')
        {
            return Err(CommunityError::Invalid(format!(
                "Class “{c}”: use up to 30 letters, digits, spaces, - or _."
            )));
        }
        if !classes.contains(&c) {
            classes.push(c);
        }
    }
    if classes.is_empty() {
        classes.push("member".into());
    }
    if classes.len() > MAX_CLASSES {
        return Err(CommunityError::Invalid(format!(
            "At most {MAX_CLASSES} classes."
        )));
    }
    Ok(classes)
}

fn check_text(title: &str, description: &str) -> Result<(), CommunityError> {
    if title.trim().is_empty() || title.chars().count() > MAX_TITLE {
        return Err(CommunityError::Invalid(format!(
            "Title: 1 to {MAX_TITLE} characters."
        )));
    }
    if description.chars().count() > MAX_DESCRIPTION {
        return Err(CommunityError::Invalid(format!(
            "Description: at most {MAX_DESCRIPTION} characters."
        )));
    }
    Ok(())
}

/// Creates a local community (a Group actor with its own keys); its creator
/// becomes its owner, a member of its first class. Blocking: makes RSA keys.
pub fn create(
    conn: &mut DbConn,
    instance: &Instance,
    creator_user_id: i64,
    creator_actor_id: i64,
    form: &CommunityForm,
) -> Result<Community, CommunityError> {
    let name = form.name.trim().to_lowercase();
    check_name(&name)?;
    check_text(&form.title, &form.description)?;
    let policy = JoinPolicy::parse(&form.join_policy)?;
    let classes = parse_classes(&form.classes)?;
    let classes_json =
        serde_json::to_string(&classes).map_err(|e| CommunityError::Invalid(e.to_string()))?;
    if communities::local_by_name(conn, &name)?.is_some() {
        return Err(CommunityError::NameTaken);
    }
    let keys = keys::generate()?;
    let ap_id = instance.community_id(&name);
    let inbox = format!("{ap_id}/inbox");
    let shared = format!("{}/inbox", instance.base_url);
    let followers = format!("{ap_id}/followers");
    let outbox = format!("{ap_id}/outbox");
    let description = form.description.trim();
    let html = markdown::to_safe_html(description);
    let now = store::now();
    let result = crate::store::write_transaction(conn, |conn| {
        let actor = actors::insert(
            conn,
            &NewActor {
                ap_id: &ap_id,
                kind: "group",
                name: &name,
                domain: &instance.domain,
                local: true,
                display_name: Some(form.title.trim()),
                summary: Some(&html),
                inbox_url: &inbox,
                shared_inbox_url: Some(&shared),
                public_key_pem: &keys.public_pem,
                private_key_pem: Some(&keys.private_pem),
                created_at: now,
                updated_at: now,
                last_refreshed_at: now,
                followers_url: Some(&followers),
                outbox_url: Some(&outbox),
            },
        )?;
        let community = communities::insert(
            conn,
            &NewCommunity {
                actor_id: actor.id,
                local: true,
                name: &name,
                title: form.title.trim(),
                description_markdown: description,
                description_html: &html,
                join_policy: policy.as_str(),
                stakeholder_classes: &classes_json,
                created_by: Some(creator_user_id),
                created_at: now,
                updated_at: now,
            },
        )?;
        memberships::upsert(
            conn,
            &NewMembership {
                community_id: community.id,
                person_id: creator_actor_id,
                class: &classes[0],
                role: "owner",
                status: "active",
                application: None,
                decision_reason: None,
                join_activity_id: None,
                created_at: now,
                updated_at: now,
                active_since: Some(now),
            },
        )?;
        crate::store::follows::upsert(conn, community.id, creator_actor_id, "accepted", None)?;
        Ok::<_, diesel::result::Error>(community)
    });
    match result {
        Err(e) if store::is_unique_violation(&e) => Err(CommunityError::NameTaken),
        other => Ok(other?),
    }
}

/// Edits a local community's settings (moderators and owners).
pub fn update(
    conn: &mut DbConn,
    publisher: &dyn Publisher,
    community_id: i64,
    editor_actor_id: i64,
    form: &CommunityForm,
) -> Result<(), CommunityError> {
    let (community, _) = get(conn, community_id)?;
    membership::require_moderator(conn, &community, editor_actor_id)?;
    check_text(&form.title, &form.description)?;
    let policy = JoinPolicy::parse(&form.join_policy)?;
    let classes = parse_classes(&form.classes)?;
    let classes_json =
        serde_json::to_string(&classes).map_err(|e| CommunityError::Invalid(e.to_string()))?;
    let description = form.description.trim();
    let html = markdown::to_safe_html(description);
    crate::store::write_transaction(conn, |conn| {
        communities::update_details(
            conn,
            community.id,
            form.title.trim(),
            description,
            &html,
            policy.as_str(),
            &classes_json,
        )?;
        actors::update_profile(
            conn,
            community.actor_id,
            Some(form.title.trim()),
            Some(&html),
        )?;
        publisher.publish(
            conn,
            Event::CommunityUpdated {
                community_id: community.id,
            },
        )?;
        Ok(())
    })
}

/// Refuses to join or follow a community on an instance we do not federate
/// with: nothing would reach it, and the request would wait forever.
pub fn require_reachable(
    conn: &mut DbConn,
    publisher: &dyn Publisher,
    community: &WithActor,
) -> Result<(), CommunityError> {
    let (community, actor) = community;
    if community.local || publisher.reaches(conn, &actor.domain)? {
        Ok(())
    } else {
        Err(CommunityError::Invalid(format!(
            "This co-op does not federate with {}, so its communities cannot be joined or followed from here.",
            actor.domain
        )))
    }
}

pub fn get(conn: &mut DbConn, community_id: i64) -> Result<WithActor, CommunityError> {
    communities::by_id(conn, community_id).map_err(|e| match e {
        diesel::result::Error::NotFound => CommunityError::NotFound,
        other => other.into(),
    })
}
