//! Account endpoints: register, token login/logout, own profile and password, public profiles.

use actix_web::{delete, get, patch, post, web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::auth::ApiUser;
use super::error::{nul_free, ApiError, ErrorBody};
use crate::domain::accounts::sessions::{self, SessionKind};
use crate::domain::accounts::{self, AccountError, CreatedBy, Registration};
use crate::domain::markdown;
use crate::state::AppState;
use crate::store::actors::Actor;
use crate::store::users::{self, User};

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegisterRequest {
    pub username: String,
    pub password: String,
    pub display_name: Option<String>,
    /// Why you want to join; required when the instance approves registrations.
    pub application: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RegisterResponse {
    pub username: String,
    /// `active`, or `pending` while an admin decides.
    pub status: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TokenRequest {
    pub username: String,
    pub password: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TokenResponse {
    /// Send as `Authorization: Bearer <token>`.
    pub token: String,
    pub expires_at: chrono::NaiveDateTime,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Profile {
    pub username: String,
    pub handle: String,
    pub actor_id: String,
    pub display_name: Option<String>,
    pub bio_markdown: String,
    pub bio_html: String,
    pub is_admin: bool,
    pub created_at: chrono::NaiveDateTime,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProfileUpdate {
    pub display_name: Option<String>,
    pub bio: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordChange {
    pub current_password: String,
    pub new_password: String,
}

fn profile(user: &User, actor: &Actor) -> Profile {
    Profile {
        username: user.username.clone(),
        handle: format!("@{}@{}", user.username, actor.domain),
        actor_id: actor.ap_id.clone(),
        display_name: actor.display_name.clone(),
        bio_html: markdown::to_safe_html(&user.bio_markdown),
        bio_markdown: user.bio_markdown.clone(),
        is_admin: user.is_admin,
        created_at: user.created_at,
    }
}

fn client_ip(req: &HttpRequest) -> Option<String> {
    req.peer_addr().map(|a| a.ip().to_string())
}

/// Create an account (subject to the instance's registration mode).
#[utoipa::path(post, path = "/api/v1/accounts", tag = "accounts",
    request_body = RegisterRequest,
    responses((status = 201, body = RegisterResponse), (status = 409, body = ErrorBody),
              (status = 422, body = ErrorBody), (status = 403, body = ErrorBody)))]
#[post("/accounts")]
pub async fn register(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: web::Json<RegisterRequest>,
) -> Result<HttpResponse, ApiError> {
    if !state.login_allowed(client_ip(&req).as_deref()) {
        return Err(ApiError::RateLimited);
    }
    let body = body.into_inner();
    let instance = state.instance.clone();
    nul_free([
        body.username.as_str(),
        body.display_name.as_deref().unwrap_or_default(),
        body.application.as_deref().unwrap_or_default(),
    ])?;
    let mode = state.settings.registration;
    let reg = Registration {
        username: body.username.trim().to_string(),
        password: body.password,
        display_name: body.display_name,
        application: body.application,
    };
    let user = state
        .db(move |c| accounts::register(c, &instance, &reg, CreatedBy::Visitor(mode)))
        .await?;
    Ok(HttpResponse::Created().json(RegisterResponse {
        username: user.username,
        status: user.status,
    }))
}

/// Exchange a user name and password for a bearer token.
#[utoipa::path(post, path = "/api/v1/auth/token", tag = "auth",
    request_body = TokenRequest,
    responses((status = 200, body = TokenResponse), (status = 401, body = ErrorBody),
              (status = 429, body = ErrorBody)))]
#[post("/auth/token")]
pub async fn login(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: web::Json<TokenRequest>,
) -> Result<HttpResponse, ApiError> {
    if !state.login_allowed(client_ip(&req).as_deref()) {
        return Err(ApiError::RateLimited);
    }
    let TokenRequest { username, password } = body.into_inner();
    nul_free([username.as_str()])?;
    let lifetime = state.session_lifetime();
    let ua = req
        .headers()
        .get("user-agent")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let opened = state
        .db(move |c| {
            let (user, _) = accounts::authenticate(c, username.trim(), &password)?;
            Ok::<_, AccountError>(sessions::open(
                c,
                user.id,
                SessionKind::Api,
                ua.as_deref(),
                lifetime,
            )?)
        })
        .await?;
    Ok(HttpResponse::Ok().json(TokenResponse {
        token: opened.token,
        expires_at: opened.expires_at,
    }))
}

/// Revoke the token used for this request.
#[utoipa::path(delete, path = "/api/v1/auth/token", tag = "auth",
    security(("bearer" = [])), responses((status = 204), (status = 401, body = ErrorBody)))]
#[delete("/auth/token")]
pub async fn logout(state: web::Data<AppState>, user: ApiUser) -> Result<HttpResponse, ApiError> {
    let token = user.token;
    state
        .db(move |c| sessions::close(c, &token).map_err(AccountError::from))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The caller's own profile.
#[utoipa::path(get, path = "/api/v1/me", tag = "accounts", security(("bearer" = [])),
    responses((status = 200, body = Profile), (status = 401, body = ErrorBody)))]
#[get("/me")]
pub async fn get_me(user: ApiUser) -> web::Json<Profile> {
    web::Json(profile(&user.live.user, &user.live.actor))
}

/// Change the caller's display name and/or Markdown bio.
#[utoipa::path(patch, path = "/api/v1/me", tag = "accounts", security(("bearer" = [])),
    request_body = ProfileUpdate,
    responses((status = 200, body = Profile), (status = 422, body = ErrorBody)))]
#[patch("/me")]
pub async fn update_me(
    state: web::Data<AppState>,
    user: ApiUser,
    body: web::Json<ProfileUpdate>,
) -> Result<web::Json<Profile>, ApiError> {
    let ProfileUpdate { display_name, bio } = body.into_inner();
    nul_free([
        display_name.as_deref().unwrap_or_default(),
        bio.as_deref().unwrap_or_default(),
    ])?;
    let id = user.live.user.id;
    let display_name = display_name.or(user.live.actor.display_name.clone());
    let bio = bio.unwrap_or(user.live.user.bio_markdown.clone());
    let (user, actor) = state
        .db(move |c| {
            accounts::update_profile(c, id, display_name.as_deref(), &bio)?;
            Ok::<_, AccountError>(users::by_id(c, id)?)
        })
        .await?;
    Ok(web::Json(profile(&user, &actor)))
}

/// Change the caller's password; the caller's other sessions and tokens end.
#[utoipa::path(post, path = "/api/v1/me/password", tag = "accounts", security(("bearer" = [])),
    request_body = PasswordChange,
    responses((status = 204), (status = 422, body = ErrorBody)))]
#[post("/me/password")]
pub async fn change_password(
    state: web::Data<AppState>,
    user: ApiUser,
    body: web::Json<PasswordChange>,
) -> Result<HttpResponse, ApiError> {
    let PasswordChange {
        current_password,
        new_password,
    } = body.into_inner();
    let id = user.live.user.id;
    let keep = sessions::token_hash(&user.token);
    state
        .db(move |c| {
            accounts::change_password(c, id, &current_password, &new_password, Some(&keep))
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// A member's public profile.
#[utoipa::path(get, path = "/api/v1/users/{username}", tag = "accounts",
    params(("username" = String, Path)),
    responses((status = 200, body = Profile), (status = 404, body = ErrorBody)))]
#[get("/users/{username}")]
pub async fn get_user(
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<web::Json<Profile>, ApiError> {
    let name = path.into_inner();
    if crate::web::read::has_nul([name.as_str()]) {
        return Err(AccountError::NotFound.into());
    }
    let found = state
        .db(move |c| users::by_username(c, &name).map_err(AccountError::from))
        .await?;
    match found {
        Some((u, a)) if u.status == "active" => Ok(web::Json(profile(&u, &a))),
        _ => Err(AccountError::NotFound.into()),
    }
}
