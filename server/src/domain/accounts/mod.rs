//! Accounts: registration, credentials, approval of applications and profiles.

pub mod names;
pub mod password;
pub mod sessions;

use super::{keys, markdown, Instance};
use crate::config::RegistrationMode;
use crate::store::actors::{self, Actor, NewActor};
use crate::store::users::{self, NewUser, User};
use crate::store::{self, DbConn};

pub const MAX_DISPLAY_NAME: usize = 100;
pub const MAX_BIO: usize = 5_000;
pub const MAX_APPLICATION: usize = 2_000;

#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    #[error("{0}")]
    Invalid(String),
    #[error("That user name is already taken.")]
    UsernameTaken,
    #[error("Registration is closed on this instance.")]
    RegistrationClosed,
    #[error("Wrong user name or password.")]
    BadCredentials,
    #[error("Your application is waiting for an admin's approval.")]
    PendingApproval,
    #[error("Your application was refused{}", .0.as_deref().map(|r| format!(": {r}")).unwrap_or_default())]
    Refused(Option<String>),
    #[error("This account is suspended.")]
    Suspended,
    #[error("No such user.")]
    NotFound,
    #[error("This application has already been decided.")]
    AlreadyDecided,
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
    #[error(transparent)]
    Keys(#[from] keys::KeyError),
    #[error(transparent)]
    Hash(#[from] password::HashError),
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
}

/// What someone asks for when registering.
#[derive(Debug, Clone)]
pub struct Registration {
    pub username: String,
    pub password: String,
    pub display_name: Option<String>,
    /// Why they want to join; required in approval mode.
    pub application: Option<String>,
}

/// How an account is being created.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CreatedBy {
    /// Self-service, subject to the registration mode.
    Visitor(RegistrationMode),
    /// An admin (CLI or admin UI): always allowed, active at once.
    Admin { make_admin: bool },
}

/// Creates a local user with its person actor and fresh RSA-2048 keys.
/// CPU-heavy (key generation, argon2): call from a blocking thread.
pub fn register(
    conn: &mut DbConn,
    instance: &Instance,
    reg: &Registration,
    by: CreatedBy,
) -> Result<User, AccountError> {
    let (status, is_admin) = match by {
        CreatedBy::Visitor(RegistrationMode::Closed) => {
            return Err(AccountError::RegistrationClosed)
        }
        CreatedBy::Visitor(RegistrationMode::Open) => ("active", false),
        CreatedBy::Visitor(RegistrationMode::Approval) => ("pending", false),
        CreatedBy::Admin { make_admin } => ("active", make_admin),
    };
    names::check_username(&reg.username).map_err(AccountError::Invalid)?;
    password::check_strength(&reg.password, &reg.username).map_err(AccountError::Invalid)?;
    let display_name = clean_optional(
        reg.display_name.as_deref(),
        MAX_DISPLAY_NAME,
        "Display name",
    )?;
    let application = clean_optional(reg.application.as_deref(), MAX_APPLICATION, "Application")?;
    if status == "pending" && application.is_none() {
        return Err(AccountError::Invalid(
            "Tell the co-op a little about why you want to join.".into(),
        ));
    }
    if users::by_username(conn, &reg.username)?.is_some() {
        return Err(AccountError::UsernameTaken);
    }
    let hash = password::hash(&reg.password)?;
    let keys = keys::generate()?;
    let ap_id = instance.person_id(&reg.username);
    let inbox = format!("{ap_id}/inbox");
    let shared_inbox = format!("{}/inbox", instance.base_url);
    let now = store::now();
    let lower = reg.username.to_lowercase();
    let result = crate::store::write_transaction(conn, |conn| {
        let actor = actors::insert(
            conn,
            &NewActor {
                ap_id: &ap_id,
                kind: "person",
                name: &reg.username,
                domain: &instance.domain,
                local: true,
                display_name: display_name.as_deref(),
                summary: None,
                inbox_url: &inbox,
                shared_inbox_url: Some(&shared_inbox),
                public_key_pem: &keys.public_pem,
                private_key_pem: Some(&keys.private_pem),
                created_at: now,
                updated_at: now,
                last_refreshed_at: now,
                followers_url: None,
                outbox_url: None,
            },
        )?;
        users::insert(
            conn,
            &NewUser {
                actor_id: actor.id,
                username: &reg.username,
                username_lower: &lower,
                password_hash: &hash,
                is_admin,
                status,
                application: application.as_deref(),
                bio_markdown: "",
                created_at: now,
                updated_at: now,
            },
        )
    });
    match result {
        Err(e) if store::is_unique_violation(&e) => Err(AccountError::UsernameTaken),
        other => Ok(other?),
    }
}

/// Checks a user name and password; only active accounts may log in.
pub fn authenticate(
    conn: &mut DbConn,
    username: &str,
    password_attempt: &str,
) -> Result<(User, Actor), AccountError> {
    let found = if username.len() <= names::MAX_LEN {
        users::by_username(conn, username)?
    } else {
        None
    };
    let Some((user, actor)) = found else {
        password::verify(password_attempt, password::dummy_hash());
        return Err(AccountError::BadCredentials);
    };
    if !password::verify(password_attempt, &user.password_hash) {
        return Err(AccountError::BadCredentials);
    }
    match user.status.as_str() {
        "active" => Ok((user, actor)),
        "pending" => Err(AccountError::PendingApproval),
        "refused" => Err(AccountError::Refused(user.refusal_reason.clone())),
        _ => Err(AccountError::Suspended),
    }
}

/// Changes a password after checking the current one; other sessions end.
pub fn change_password(
    conn: &mut DbConn,
    user_id: i64,
    current: &str,
    new: &str,
    keep_session_hash: Option<&str>,
) -> Result<(), AccountError> {
    let (user, _) = users::by_id(conn, user_id)?;
    if !password::verify(current, &user.password_hash) {
        return Err(AccountError::Invalid(
            "Your current password is not right.".into(),
        ));
    }
    set_password(conn, &user, new, keep_session_hash)
}

/// Sets a password without the old one (admin reset); every session ends.
pub fn reset_password(conn: &mut DbConn, username: &str, new: &str) -> Result<(), AccountError> {
    let (user, _) = users::by_username(conn, username)?.ok_or(AccountError::NotFound)?;
    set_password(conn, &user, new, None)
}

fn set_password(
    conn: &mut DbConn,
    user: &User,
    new: &str,
    keep_session_hash: Option<&str>,
) -> Result<(), AccountError> {
    password::check_strength(new, &user.username).map_err(AccountError::Invalid)?;
    let hash = password::hash(new)?;
    crate::store::write_transaction(conn, |conn| {
        users::set_password_hash(conn, user.id, &hash)?;
        crate::store::sessions::delete_for_user_except(conn, user.id, keep_session_hash)?;
        Ok(())
    })
}

/// Updates the display name and Markdown bio (rendered to safe HTML for the actor's summary).
pub fn update_profile(
    conn: &mut DbConn,
    user_id: i64,
    display_name: Option<&str>,
    bio_markdown: &str,
) -> Result<(), AccountError> {
    let display_name = clean_optional(display_name, MAX_DISPLAY_NAME, "Display name")?;
    if bio_markdown.chars().count() > MAX_BIO {
        return Err(AccountError::Invalid(format!(
            "Bio must be at most {MAX_BIO} characters."
        )));
    }
    let bio = bio_markdown.trim();
    let summary = (!bio.is_empty()).then(|| markdown::to_safe_html(bio));
    let (user, _) = users::by_id(conn, user_id)?;
    crate::store::write_transaction(conn, |conn| {
        users::set_bio(conn, user.id, bio)?;
        actors::update_profile(
            conn,
            user.actor_id,
            display_name.as_deref(),
            summary.as_deref(),
        )?;
        Ok(())
    })
}

/// Approves or refuses a pending application.
pub fn decide_application(
    conn: &mut DbConn,
    user_id: i64,
    approve: bool,
    reason: Option<&str>,
) -> Result<(), AccountError> {
    let (user, _) = users::by_id(conn, user_id).map_err(|_| AccountError::NotFound)?;
    if user.status != "pending" {
        return Err(AccountError::AlreadyDecided);
    }
    let reason = clean_optional(reason, MAX_APPLICATION, "Reason")?;
    let status = if approve { "active" } else { "refused" };
    users::set_status(conn, user.id, status, reason.as_deref())?;
    Ok(())
}

/// Trims an optional text field; empty becomes `None`; too long is refused.
fn clean_optional(
    value: Option<&str>,
    max: usize,
    what: &str,
) -> Result<Option<String>, AccountError> {
    let Some(v) = value.map(str::trim).filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    if v.chars().count() > max {
        return Err(AccountError::Invalid(format!(
            "{what} must be at most {max} characters."
        )));
    }
    if v.chars()
        .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
    {
        return Err(AccountError::Invalid(format!(
            "{what} contains invalid characters."
        )));
    }
    Ok(Some(v.to_string()))
}
