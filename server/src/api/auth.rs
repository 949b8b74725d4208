//! Bearer-token authentication for API clients.

use std::future::Future;
use std::pin::Pin;

use actix_web::{web, FromRequest, HttpRequest};

use super::error::ApiError;
use crate::domain::accounts::sessions::{self, LiveSession};
use crate::state::AppState;

/// The API caller, resolved from `Authorization: Bearer <token>`.
pub struct ApiUser {
    pub live: LiveSession,
    pub token: String,
}

impl FromRequest for ApiUser {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let token = req
            .headers()
            .get("authorization")
            .and_then(|h| h.to_str().ok())
            .and_then(|h| h.strip_prefix("Bearer "))
            .map(|t| t.trim().to_string());
        Box::pin(async move {
            let (Some(state), Some(token)) = (state, token) else {
                return Err(ApiError::Unauthenticated);
            };
            let lifetime = state.session_lifetime();
            let t = token.clone();
            let live = state
                .db(move |c| {
                    sessions::resolve(c, &t, lifetime).map_err(|e| ApiError::Account(e.into()))
                })
                .await?;
            match live {
                Some(live) if live.session.kind == "api" => Ok(ApiUser { live, token }),
                _ => Err(ApiError::Unauthenticated),
            }
        })
    }
}

/// An optional caller: `None` without an `Authorization` header, the user
/// with a valid bearer token, and 401 for a token that is wrong or expired
/// (so a client never silently reads as anonymous by mistake).
pub struct MaybeApiUser(pub Option<ApiUser>);

impl MaybeApiUser {
    /// The caller's person actor id.
    pub fn actor_id(&self) -> Option<i64> {
        self.0.as_ref().map(|u| u.live.actor.id)
    }
}

impl FromRequest for MaybeApiUser {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut actix_web::dev::Payload) -> Self::Future {
        if req.headers().get("authorization").is_none() {
            return Box::pin(async { Ok(MaybeApiUser(None)) });
        }
        let user = ApiUser::from_request(req, payload);
        Box::pin(async move { Ok(MaybeApiUser(Some(user.await?))) })
    }
}
