//! Login sessions: random bearer secrets, of which only a SHA-256 is stored.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{Duration, NaiveDateTime};
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::store::actors::Actor;
use crate::store::sessions::{self, NewSession, Session};
use crate::store::users::{self, User};
use crate::store::{self, DbConn};

/// Browser cookie or API bearer token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionKind {
    Browser,
    Api,
}

impl SessionKind {
    fn as_str(self) -> &'static str {
        match self {
            SessionKind::Browser => "browser",
            SessionKind::Api => "api",
        }
    }
}

/// A session just opened: the secret goes to the client once, never stored.
#[derive(Debug, Clone)]
pub struct OpenedSession {
    pub token: String,
    pub csrf_token: String,
    pub expires_at: NaiveDateTime,
}

/// A live session resolved from its secret.
#[derive(Debug, Clone)]
pub struct LiveSession {
    pub session: Session,
    pub user: User,
    pub actor: Actor,
}

/// 256 random bits, URL-safe.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

pub fn open(
    conn: &mut DbConn,
    user_id: i64,
    kind: SessionKind,
    user_agent: Option<&str>,
    lifetime: Duration,
) -> Result<OpenedSession, diesel::result::Error> {
    let token = random_token();
    let csrf_token = random_token();
    let now = store::now();
    let expires_at = now + lifetime;
    let ua: Option<String> = user_agent.map(|u| u.chars().take(300).collect());
    sessions::insert(
        conn,
        &NewSession {
            token_hash: &token_hash(&token),
            user_id,
            kind: kind.as_str(),
            csrf_token: &csrf_token,
            user_agent: ua.as_deref(),
            created_at: now,
            last_seen_at: now,
            expires_at,
        },
    )?;
    Ok(OpenedSession {
        token,
        csrf_token,
        expires_at,
    })
}

/// Resolves a secret to its live session and active user, sliding the
/// expiry forward (at most once a minute, to spare writes).
pub fn resolve(
    conn: &mut DbConn,
    token: &str,
    lifetime: Duration,
) -> Result<Option<LiveSession>, diesel::result::Error> {
    if token.is_empty() || token.len() > 100 {
        return Ok(None);
    }
    let now = store::now();
    let Some(session) = sessions::live_by_hash(conn, &token_hash(token), now)? else {
        return Ok(None);
    };
    let (user, actor) = users::by_id(conn, session.user_id)?;
    if user.status != "active" {
        return Ok(None);
    }
    if now - session.last_seen_at > Duration::minutes(1) {
        sessions::touch(conn, session.id, now, now + lifetime)?;
    }
    Ok(Some(LiveSession {
        session,
        user,
        actor,
    }))
}

pub fn close(conn: &mut DbConn, token: &str) -> Result<(), diesel::result::Error> {
    sessions::delete_by_hash(conn, &token_hash(token))?;
    Ok(())
}
