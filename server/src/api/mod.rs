//! The JSON REST API under `/api/v1/` for third-party clients, with its OpenAPI document.

pub mod accounts;
pub mod auth;
pub mod comments;
pub mod communities;
pub mod content;
pub mod error;
pub mod federation;
pub mod governance;
pub mod membership;

use actix_governor::{Governor, GovernorConfigBuilder};
use actix_web::{get, web, HttpResponse};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::state::AppState;

#[derive(OpenApi)]
#[openapi(
    info(title = "Commonhall API", description = "Accounts, communities, membership, posts, comments and votes of a Commonhall co-op instance."),
    paths(accounts::register, accounts::login, accounts::logout, accounts::get_me,
          accounts::update_me, accounts::change_password, accounts::get_user, get_instance,
          communities::list_communities, communities::create_community, communities::get_community, communities::update_community,
          membership::join_community, membership::leave_community, membership::follow_community, membership::unfollow_community,
          membership::list_members, membership::list_applications, membership::decide_membership,
          content::get_feed, content::create_post, content::get_post, content::edit_post,
          content::delete_post, comments::list_comments, comments::create_comment,
          comments::edit_comment, comments::delete_comment, content::vote_post,
          content::vote_comment, federation::resolve_community, federation::list_instances,
          federation::set_instance,
          governance::rules::get_rules, governance::rules::get_rules_history,
          governance::rules::get_settings, governance::rules::put_settings,
          governance::proposals::list_proposals, governance::proposals::create_proposal,
          governance::proposals::get_proposal, governance::proposals::vote,
          governance::proposals::my_ballot, governance::proposals::results,
          governance::proposals::check_receipt, governance::extend::extend_proposal,
          federation::get_settings, federation::set_settings, federation::get_network),
    components(schemas(error::ErrorBody, InstanceInfo)),
    modifiers(&BearerAuth)
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        if let Some(components) = openapi.components.as_mut() {
            components.add_security_scheme(
                "bearer",
                SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
            );
        }
    }
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct InstanceInfo {
    pub name: String,
    pub description: String,
    pub hostname: String,
    /// `open`, `approval` or `closed`.
    pub registration: crate::config::RegistrationMode,
}

/// What this instance is.
#[utoipa::path(get, path = "/api/v1/instance", tag = "instance", responses((status = 200, body = InstanceInfo)))]
#[get("/instance")]
pub async fn get_instance(state: web::Data<AppState>) -> web::Json<InstanceInfo> {
    let s = &state.settings;
    web::Json(InstanceInfo {
        name: s.instance_name.clone(),
        description: s.instance_description.clone(),
        hostname: s.hostname.clone(),
        registration: s.registration,
    })
}

#[get("/openapi.json")]
pub async fn openapi_json() -> HttpResponse {
    HttpResponse::Ok().json(ApiDoc::openapi())
}

/// A per-address request budget for the API: `per_second` requests a second (the
/// `api_requests_per_second` setting, 20 by default), bursts of five times as many.
pub fn rate_limit(
    per_second: u32,
) -> actix_governor::GovernorConfig<
    actix_governor::PeerIpKeyExtractor,
    actix_governor::governor::middleware::NoOpMiddleware<
        actix_governor::governor::clock::QuantaInstant,
    >,
> {
    let per_second = per_second.max(1);
    GovernorConfigBuilder::default()
        .nanoseconds_per_request((1_000_000_000 / u64::from(per_second)).max(1))
        .burst_size(per_second.saturating_mul(5))
        .finish()
        .expect("non-zero rate limit")
}

/// Registers everything under `/api/v1` (mount inside that scope).
pub fn routes(cfg: &mut web::ServiceConfig, max_body_bytes: usize) {
    cfg.app_data(error::json_config(max_body_bytes))
        .app_data(error::query_config())
        .app_data(error::path_config())
        .service(openapi_json)
        .service(get_instance)
        .service(accounts::register)
        .service(accounts::login)
        .service(accounts::logout)
        .service(accounts::get_me)
        .service(accounts::update_me)
        .service(accounts::change_password)
        .service(accounts::get_user)
        .service(federation::resolve_community)
        .service(federation::list_instances)
        .service(federation::set_instance)
        .service(federation::get_settings)
        .service(federation::set_settings)
        .service(federation::get_network)
        .service(communities::list_communities)
        .service(communities::create_community)
        .service(communities::get_community)
        .service(communities::update_community)
        .service(membership::join_community)
        .service(membership::leave_community)
        .service(membership::follow_community)
        .service(membership::unfollow_community)
        .service(membership::list_members)
        .service(membership::list_applications)
        .service(membership::decide_membership)
        .service(content::get_feed)
        .service(content::create_post)
        .service(content::get_post)
        .service(content::edit_post)
        .service(content::delete_post)
        .service(comments::list_comments)
        .service(comments::create_comment)
        .service(comments::edit_comment)
        .service(comments::delete_comment)
        .service(content::vote_post)
        .service(content::vote_comment)
        .configure(governance::routes);
}

/// The API scope with its rate limit.
pub fn scope(
    state: &AppState,
) -> actix_web::Scope<
    impl actix_web::dev::ServiceFactory<
        actix_web::dev::ServiceRequest,
        Config = (),
        Response = actix_web::dev::ServiceResponse<impl actix_web::body::MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    let max = state.settings.max_body_bytes;
    web::scope("/api/v1")
        .wrap(Governor::new(&rate_limit(
            state.settings.api_requests_per_second,
        )))
        .configure(move |cfg| routes(cfg, max))
}
