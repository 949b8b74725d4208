//! Browser sessions: the cookie names and attributes, and the middleware that
//! resolves a request's cookies into the `RequestSession` the UI reads.

use actix_web::body::MessageBody;
use actix_web::cookie::{time, Cookie, SameSite};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{web, HttpMessage, HttpResponse};
use commonhall_frontend::{RequestSession, Viewer};

use crate::domain::accounts::sessions::{self as account_sessions, LiveSession};
use crate::federation::routes::wants_activity_json;
use crate::state::AppState;
use crate::store::StoreError;

pub const SESSION_COOKIE: &str = "ch_session";
pub const CSRF_COOKIE: &str = "ch_csrf";

/// Whether a request may be a browser's: not the JSON API, assets, or a
/// federating server (an inbox POST, or a fetch asking for ActivityPub
/// JSON), none of which carry or get session and CSRF cookies.
fn needs_session(req: &ServiceRequest) -> bool {
    let path = req.path();
    let machine = path.starts_with("/api/")
        || path.starts_with("/static/")
        || path.starts_with("/.well-known/")
        || path == "/healthz"
        || path == "/favicon.ico"
        || path.ends_with("/inbox")
        || req
            .headers()
            .get(actix_web::http::header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(wants_activity_json);
    !machine
}

pub fn session_cookie(state: &AppState, token: &str) -> Cookie<'static> {
    Cookie::build(SESSION_COOKIE, token.to_string())
        .path("/")
        .http_only(true)
        .secure(state.settings.secure_cookies())
        .same_site(SameSite::Lax)
        .max_age(time::Duration::days(i64::from(state.settings.session_days)))
        .finish()
}

pub fn clear_session_cookie(state: &AppState) -> Cookie<'static> {
    let mut c = session_cookie(state, "");
    c.make_removal();
    c
}

fn csrf_cookie(state: &AppState, token: &str) -> Cookie<'static> {
    Cookie::build(CSRF_COOKIE, token.to_string())
        .path("/")
        .http_only(true)
        .secure(state.settings.secure_cookies())
        .same_site(SameSite::Lax)
        .finish()
}

pub fn viewer_of(live: &LiveSession) -> Viewer {
    Viewer {
        user_id: live.user.id,
        actor_id: live.actor.id,
        username: live.user.username.clone(),
        display_name: live.actor.display_name.clone(),
        is_admin: live.user.is_admin,
    }
}

/// A POST whose `Origin` names another site is refused outright (the CSRF
/// token is checked as well, by each form's handler).
fn foreign_origin(req: &ServiceRequest, state: &AppState) -> bool {
    if req.method() != actix_web::http::Method::POST {
        return false;
    }
    match req.headers().get("origin").and_then(|o| o.to_str().ok()) {
        None | Some("null") => false,
        Some(origin) => url::Url::parse(origin)
            .map(|u| {
                let host = match u.port() {
                    Some(p) => format!("{}:{p}", u.host_str().unwrap_or_default()),
                    None => u.host_str().unwrap_or_default().to_string(),
                };
                !host.eq_ignore_ascii_case(&state.settings.hostname)
                    && !host.eq_ignore_ascii_case(&state.settings.bind.to_string())
            })
            .unwrap_or(true),
    }
}

/// Server functions read their whole body; refuse what is too large (or of
/// unknown length) before they do, with a 413/411 instead of their 500.
fn oversize_form(req: &ServiceRequest, max: usize) -> Option<HttpResponse> {
    if req.method() != actix_web::http::Method::POST {
        return None;
    }
    let length = req
        .headers()
        .get(actix_web::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    match length {
        Some(n) if n > max => Some(
            HttpResponse::PayloadTooLarge()
                .body(format!("The form is too large (at most {max} bytes).")),
        ),
        None if req
            .headers()
            .contains_key(actix_web::http::header::TRANSFER_ENCODING) =>
        {
            Some(HttpResponse::LengthRequired().body("Forms must state their length."))
        }
        _ => None,
    }
}

fn session_unavailable() -> HttpResponse {
    HttpResponse::ServiceUnavailable()
        .insert_header((actix_web::http::header::RETRY_AFTER, "1"))
        .body("The server could not read your session just now. Try again in a moment.")
}

pub async fn middleware(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    if !needs_session(&req) {
        return Ok(next.call(req).await?.map_into_boxed_body());
    }
    let Some(state) = req
        .app_data::<web::Data<AppState>>()
        .map(|s| s.get_ref().clone())
    else {
        return Ok(next.call(req).await?.map_into_boxed_body());
    };
    if let Some(res) = oversize_form(&req, state.settings.max_body_bytes) {
        return Ok(req.into_response(res).map_into_boxed_body());
    }
    if foreign_origin(&req, &state) {
        let res = HttpResponse::Forbidden().body("Cross-site form submissions are not accepted.");
        return Ok(req.into_response(res).map_into_boxed_body());
    }
    let token = req.cookie(SESSION_COOKIE).map(|c| c.value().to_string());
    let live = match token.clone() {
        Some(t) => {
            let lifetime = state.session_lifetime();
            let found = state
                .db(move |c| {
                    account_sessions::resolve(c, &t, lifetime)
                        .map_err(|e| StoreError::Task(e.to_string()))
                })
                .await;
            match found {
                Ok(live) => live,
                // Not knowing who is signed in is not the same as nobody being signed in:
                // answering as anonymous would refuse the form's CSRF token and clear a good
                // session cookie. The browser may simply try again.
                Err(e) => {
                    tracing::warn!(error = %e, path = req.path(), "session lookup failed");
                    return Ok(req
                        .into_response(session_unavailable())
                        .map_into_boxed_body());
                }
            }
        }
        None => None,
    };
    let stale_cookie = token.is_some() && live.is_none();
    let anon = req
        .cookie(CSRF_COOKIE)
        .map(|c| c.value().to_string())
        .filter(|t| {
            t.len() == 43
                && t.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        });
    let (session, new_anon) = match live {
        Some(live) => (
            RequestSession {
                viewer: Some(viewer_of(&live)),
                token,
                csrf_token: live.session.csrf_token,
            },
            None,
        ),
        None => {
            let (csrf, new) = match anon {
                Some(a) => (a, None),
                None => {
                    let t = account_sessions::random_token();
                    (t.clone(), Some(t))
                }
            };
            (
                RequestSession {
                    viewer: None,
                    token: None,
                    csrf_token: csrf,
                },
                new,
            )
        }
    };
    req.extensions_mut().insert(session);
    let mut res = next.call(req).await?;
    if let Some(t) = new_anon {
        res.response_mut().add_cookie(&csrf_cookie(&state, &t))?;
    }
    let sets_session = res.response().cookies().any(|c| c.name() == SESSION_COOKIE);
    if stale_cookie && !sets_session {
        res.response_mut()
            .add_cookie(&clear_session_cookie(&state))?;
    }
    Ok(res.map_into_boxed_body())
}

#[cfg(test)]
mod tests {
    use actix_web::test::TestRequest;

    use super::needs_session;

    #[test]
    fn machines_get_no_session() {
        let page = |path: &str| TestRequest::get().uri(path).to_srv_request();
        for path in ["/", "/c/garden", "/u/alice", "/login", "/c/garden/inboxes"] {
            assert!(needs_session(&page(path)), "{path}");
        }
        for path in ["/api/v1/communities", "/static/app.css", "/healthz"] {
            assert!(!needs_session(&page(path)), "{path}");
        }
        for path in ["/inbox", "/u/alice/inbox", "/c/garden/inbox"] {
            let post = TestRequest::post().uri(path).to_srv_request();
            assert!(!needs_session(&post), "{path}");
        }
        let fetch = TestRequest::get()
            .uri("/u/alice")
            .insert_header(("accept", "application/activity+json"))
            .to_srv_request();
        assert!(!needs_session(&fetch));
    }
}
