//! How a community governs itself: who may propose, whether an open vote may be extended (and
//! by how much at most), and whether leaving withdraws a ballot on a proposal still open.
//!
//! The settings in force when a proposal is made are copied into it, so changing them never
//! changes the conditions of a vote already under way.

use serde::{Deserialize, Serialize};

use super::{community, corrupt, GovernanceError};
use crate::domain::communities::membership;
use crate::domain::communities::CommunityError;
use crate::store::memberships::Membership;
use crate::store::{self, proposals, DbConn};

/// The longest extension a community may allow: 90 days.
pub const MAX_EXTENSION_SECONDS: i64 = 90 * 24 * 3600;

/// Who may make proposals.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(tag = "who", rename_all = "snake_case")]
pub enum Proposers {
    /// Every active member.
    #[default]
    AnyMember,
    /// Active members of one of these classes, or with one of these roles ("moderator" also
    /// admits owners).
    Only {
        #[serde(default)]
        classes: Vec<String>,
        #[serde(default)]
        roles: Vec<String>,
    },
}

impl Proposers {
    /// Whether this active member may propose.
    pub fn admits(&self, m: &Membership) -> bool {
        match self {
            Proposers::AnyMember => true,
            Proposers::Only { classes, roles } => {
                classes.contains(&m.class)
                    || roles
                        .iter()
                        .any(|r| *r == m.role || (r == "moderator" && m.role == "owner"))
            }
        }
    }

    /// "members of the worker class or moderators", for messages.
    pub fn describe(&self) -> String {
        match self {
            Proposers::AnyMember => "members".into(),
            Proposers::Only { classes, roles } => {
                let mut parts = Vec::new();
                if !classes.is_empty() {
                    parts.push(format!("members of the {} class", classes.join(" or ")));
                }
                for r in roles {
                    parts.push(format!("{r}s"));
                }
                if parts.is_empty() {
                    "nobody".into()
                } else {
                    parts.join(" or ")
                }
            }
        }
    }
}

/// A community's governance settings.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct GovernanceSettings {
    pub proposers: Proposers,
    /// Off by default: a vote closes when it said it would.
    pub allow_extension: bool,
    /// The most a vote's close may be moved past its original close time.
    pub max_extension_seconds: i64,
    /// Off by default: a ballot cast by someone who then leaves still counts.
    pub withdraw_on_leave: bool,
}

/// The settings in force (the defaults when none were saved).
pub fn get(conn: &mut DbConn, community_id: i64) -> Result<GovernanceSettings, GovernanceError> {
    match proposals::settings(conn, community_id)? {
        None => Ok(GovernanceSettings::default()),
        Some(row) => Ok(GovernanceSettings {
            proposers: serde_json::from_str(&row.proposers).map_err(|e| corrupt("proposers", e))?,
            allow_extension: row.allow_extension,
            max_extension_seconds: row.max_extension_seconds,
            withdraw_on_leave: row.withdraw_on_leave,
        }),
    }
}

/// A moderator changes the settings of a local community. They apply to proposals made afterwards.
pub fn update(
    conn: &mut DbConn,
    community_id: i64,
    editor_actor_id: i64,
    settings: &GovernanceSettings,
) -> Result<GovernanceSettings, GovernanceError> {
    let (c, _) = community(conn, community_id)?;
    if !c.local {
        return Err(GovernanceError::Remote);
    }
    membership::require_moderator(conn, &c, editor_actor_id).map_err(|e| match e {
        CommunityError::NotAllowed(_) => GovernanceError::NotAllowed("the community's moderators"),
        other => GovernanceError::Invalid(other.to_string()),
    })?;
    let mut s = settings.clone();
    if let Proposers::Only { classes, roles } = &mut s.proposers {
        let known = c.classes();
        for class in classes.iter_mut() {
            *class = class.trim().to_lowercase();
            if !known.contains(class) {
                return Err(GovernanceError::Invalid(format!(
                    "“{class}” is not a class of this community."
                )));
            }
        }
        for role in roles.iter_mut() {
            *role = role.trim().to_lowercase();
            if !["member", "moderator", "owner"].contains(&role.as_str()) {
                return Err(GovernanceError::Invalid(format!(
                    "“{role}” is not a role: member, moderator or owner."
                )));
            }
        }
        classes.dedup();
        roles.dedup();
        if classes.is_empty() && roles.is_empty() {
            return Err(GovernanceError::Invalid(
                "Name at least one class or role that may propose.".into(),
            ));
        }
    }
    if !s.allow_extension {
        s.max_extension_seconds = 0;
    } else if !(1..=MAX_EXTENSION_SECONDS).contains(&s.max_extension_seconds) {
        return Err(GovernanceError::Invalid(
            "The longest extension must be between one second and 90 days.".into(),
        ));
    }
    let proposers =
        serde_json::to_string(&s.proposers).map_err(|e| GovernanceError::Invalid(e.to_string()))?;
    proposals::save_settings(
        conn,
        &proposals::Settings {
            community_id,
            proposers,
            allow_extension: s.allow_extension,
            max_extension_seconds: s.max_extension_seconds,
            withdraw_on_leave: s.withdraw_on_leave,
            updated_at: store::now(),
        },
    )?;
    Ok(s)
}
