//! Federation HTTP endpoints: discovery, actor and object documents, inboxes.

pub mod collections;
pub mod discovery;
pub mod objects;
pub mod proposals;

use actix_web::guard::{Guard, GuardContext};
use actix_web::web;

/// Largest activity accepted in an inbox.
pub const INBOX_MAX_BYTES: usize = 512 * 1024;

/// Registers the federation endpoints (before the UI's routes, so content
/// negotiation on shared paths reaches them first). The shared inbox, the
/// busiest path, comes first: the router tries routes in order, and each
/// patterned one costs a regex match.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(inbox("/inbox"))
        .service(discovery::webfinger)
        .service(discovery::nodeinfo_links)
        .service(discovery::nodeinfo)
        .service(
            web::resource("/u/{name}")
                .guard(WantsActivityJson)
                .get(objects::person),
        )
        .service(
            web::resource("/c/{name}")
                .guard(WantsActivityJson)
                .get(objects::group),
        )
        .service(web::resource("/c/{name}/followers").get(objects::group_followers))
        .service(
            web::resource("/c/{name}/members")
                .guard(WantsActivityJson)
                .get(objects::group_members),
        )
        .service(web::resource("/c/{name}/moderators").get(objects::group_moderators))
        .service(
            web::resource("/c/{name}/proposals/{id}")
                .guard(WantsActivityJson)
                .get(proposals::proposal),
        )
        .service(web::resource("/c/{name}/proposals/{id}/page").get(proposals::notice))
        .service(web::resource("/c/{name}/proposals/{id}/receipts").get(proposals::receipts_list))
        .service(web::resource("/actor").get(objects::instance))
        .service(web::resource("/c/{name}/outbox").get(collections::group_outbox))
        .service(
            web::resource("/communities")
                .guard(WantsActivityJson)
                .get(collections::directory),
        )
        .service(
            web::resource("/post/{id}")
                .guard(WantsActivityJson)
                .get(objects::post),
        )
        .service(
            web::resource("/comment/{id}")
                .guard(WantsActivityJson)
                .get(objects::comment),
        )
        .service(inbox("/u/{name}/inbox"))
        .service(inbox("/c/{name}/inbox"));
}

/// Whether a request is a delivery to one of the inboxes [`configure`]
/// registers (`/inbox`, `/u/{name}/inbox`, `/c/{name}/inbox`).
pub fn is_inbox_delivery(method: &actix_web::http::Method, path: &str) -> bool {
    method == actix_web::http::Method::POST && path.ends_with("/inbox")
}

/// An inbox endpoint with its own body limit. (Not a `scope("")`: an actix
/// scope owns every path under its prefix and would hide the UI's routes.)
fn inbox(path: &str) -> actix_web::Resource {
    web::resource(path)
        .app_data(web::PayloadConfig::new(INBOX_MAX_BYTES))
        .route(web::post().to(crate::federation::inbox::receive))
}

/// Matches requests that ask for ActivityPub JSON rather than a web page.
pub struct WantsActivityJson;

impl Guard for WantsActivityJson {
    fn check(&self, ctx: &GuardContext<'_>) -> bool {
        ctx.head()
            .headers()
            .get("accept")
            .and_then(|v| v.to_str().ok())
            .is_some_and(wants_activity_json)
    }
}

pub fn wants_activity_json(accept: &str) -> bool {
    accept.split(',').any(|part| {
        let p = part.trim().to_ascii_lowercase();
        p.starts_with("application/activity+json")
            || (p.starts_with("application/ld+json")
                && p.contains("https://www.w3.org/ns/activitystreams"))
    })
}

#[cfg(test)]
mod tests {
    use actix_web::http::Method;

    use super::{is_inbox_delivery, wants_activity_json};

    #[test]
    fn inbox_deliveries_are_told_apart() {
        for path in ["/inbox", "/u/alice/inbox", "/c/garden/inbox"] {
            assert!(is_inbox_delivery(&Method::POST, path));
            assert!(!is_inbox_delivery(&Method::GET, path));
        }
        for path in [
            "/",
            "/c/garden",
            "/api/v1/posts",
            "/inbox/x",
            "/u/alice/outbox",
        ] {
            assert!(!is_inbox_delivery(&Method::POST, path));
        }
    }

    #[test]
    fn content_negotiation() {
        assert!(wants_activity_json("application/activity+json"));
        assert!(wants_activity_json(
            r#"application/ld+json; profile="https://www.w3.org/ns/activitystreams""#
        ));
        assert!(wants_activity_json(
            "text/html, application/activity+json;q=0.9"
        ));
        assert!(!wants_activity_json("text/html,application/xhtml+xml"));
        assert!(!wants_activity_json("application/ld+json"));
        assert!(!wants_activity_json("application/json"));
    }
}
