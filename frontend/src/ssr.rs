//! Server-side glue for server functions: the backend handle, the request's session, CSRF and cookies.

use std::sync::Arc;

use actix_web::http::header::{HeaderValue, SET_COOKIE};
use actix_web::HttpMessage;
use leptos::prelude::*;
use leptos_actix::{Request, ResponseOptions};

use crate::backend::{AppError, Backend, ClientInfo, RequestSession, Viewer};

/// The server's `Backend`, provided as context for every render and server function.
#[derive(Clone)]
pub struct BackendHandle(pub Arc<dyn Backend>);

pub fn backend() -> Result<Arc<dyn Backend>, AppError> {
    use_context::<BackendHandle>()
        .map(|h| h.0)
        .ok_or(AppError::Internal)
}

/// The session the server resolved for this request (anonymous if none).
pub fn session() -> RequestSession {
    use_context::<Request>()
        .and_then(|req| req.extensions().get::<RequestSession>().cloned())
        .unwrap_or(RequestSession {
            viewer: None,
            token: None,
            csrf_token: String::new(),
        })
}

/// Refuses a form whose CSRF token does not match this browser's.
pub fn check_csrf(given: &str) -> Result<RequestSession, AppError> {
    let session = session();
    let expected = session.csrf_token.as_bytes();
    let ok = !expected.is_empty()
        && expected.len() == given.len()
        && expected
            .iter()
            .zip(given.as_bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0;
    if ok {
        Ok(session)
    } else {
        Err(AppError::BadCsrf)
    }
}

pub fn require_viewer(session: &RequestSession) -> Result<Viewer, AppError> {
    session.viewer.clone().ok_or(AppError::Unauthenticated)
}

pub fn client_info() -> ClientInfo {
    let Some(req) = use_context::<Request>() else {
        return ClientInfo::default();
    };
    ClientInfo {
        ip: req.peer_addr().map(|a| a.ip().to_string()),
        user_agent: req
            .headers()
            .get("user-agent")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string),
    }
}

/// Whether this request is a browser's own form post (no JavaScript), which the browser follows
/// by loading a page again, rather than a call from the hydrated app.
pub fn is_plain_form_post() -> bool {
    use_context::<Request>().is_some_and(|req| {
        req.headers()
            .get(actix_web::http::header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("text/html"))
    })
}

/// Adds a `Set-Cookie` header to the response.
pub fn set_cookie(value: &str) {
    if let (Some(res), Ok(v)) = (
        use_context::<ResponseOptions>(),
        HeaderValue::from_str(value),
    ) {
        res.append_header(SET_COOKIE, v);
    }
}

/// Marks the response with an HTTP status (404 pages, error pages).
pub fn set_status(code: u16) {
    if let (Some(res), Ok(status)) = (
        use_context::<ResponseOptions>(),
        actix_web::http::StatusCode::from_u16(code),
    ) {
        res.set_status(status);
    }
}
