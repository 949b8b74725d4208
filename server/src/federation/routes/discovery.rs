//! WebFinger (RFC 7033) and NodeInfo 2.1.

use actix_web::{get, web, HttpResponse};
use serde::{Deserialize, Serialize};

use crate::state::AppState;
use crate::store::{actors, communities, users, StoreError};

#[derive(Debug, Deserialize)]
pub struct WebfingerQuery {
    resource: Option<String>,
    #[serde(default)]
    rel: Vec<String>,
}

#[derive(Debug, Serialize, PartialEq)]
pub struct Webfinger {
    pub subject: String,
    pub aliases: Vec<String>,
    pub links: Vec<WebfingerLink>,
}

#[derive(Debug, Serialize, PartialEq)]
pub struct WebfingerLink {
    pub rel: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub href: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub properties: Option<serde_json::Value>,
}

const AS_TYPE: &str = "https://www.w3.org/ns/activitystreams#type";

fn error(status: actix_web::http::StatusCode, message: &str) -> HttpResponse {
    HttpResponse::build(status).json(serde_json::json!({ "error": message }))
}

/// Splits `acct:name@host` (or `name@host`, or an actor URL of ours) into the name, if it is ours.
pub fn local_name<'a>(
    resource: &'a str,
    hostname: &str,
    base_url: &str,
) -> Result<Option<&'a str>, &'static str> {
    if let Some(rest) = resource.strip_prefix(base_url) {
        return Ok(rest
            .strip_prefix("/u/")
            .or_else(|| rest.strip_prefix("/c/"))
            .filter(|n| !n.is_empty() && !n.contains('/')));
    }
    let acct = resource.strip_prefix("acct:").unwrap_or(resource);
    let acct = acct.strip_prefix('@').unwrap_or(acct);
    let (name, host) = acct
        .rsplit_once('@')
        .ok_or("resource must be acct:name@host")?;
    if name.is_empty() || host.is_empty() || name.contains(['/', '?', '#', ' ']) {
        return Err("resource must be acct:name@host");
    }
    Ok(host.eq_ignore_ascii_case(hostname).then_some(name))
}

#[get("/.well-known/webfinger")]
pub async fn webfinger(
    state: web::Data<AppState>,
    query: web::Query<Vec<(String, String)>>,
) -> HttpResponse {
    let mut q = WebfingerQuery {
        resource: None,
        rel: Vec::new(),
    };
    for (k, v) in query.into_inner() {
        match k.as_str() {
            "resource" => q.resource = Some(v),
            "rel" => q.rel.push(v),
            _ => {}
        }
    }
    let Some(resource) = q.resource.filter(|r| !r.trim().is_empty()) else {
        return error(
            actix_web::http::StatusCode::BAD_REQUEST,
            "missing resource parameter",
        );
    };
    let name = match local_name(
        &resource,
        &state.settings.hostname,
        &state.instance.base_url,
    ) {
        Err(msg) => return error(actix_web::http::StatusCode::BAD_REQUEST, msg),
        Ok(None) => {
            return error(
                actix_web::http::StatusCode::NOT_FOUND,
                "not an account of this instance",
            )
        }
        Ok(Some(n)) => n.to_string(),
    };
    let lookup = name.clone();
    let found = state
        .db(move |c| {
            let person = users::by_username(c, &lookup)?
                .filter(|(u, _)| u.status == "active")
                .map(|(_, a)| a);
            let group = communities::local_by_name(c, &lookup)?.map(|(_, a)| a);
            let app = actors::local_by_name(c, "application", &lookup)?;
            Ok::<_, StoreError>((person, group, app))
        })
        .await;
    let (person, group, app) = match found {
        Ok(v) => v,
        Err(e) => {
            tracing::error!(error = %e, "webfinger lookup failed");
            return HttpResponse::ServiceUnavailable().finish();
        }
    };
    let mut links = Vec::new();
    let mut aliases = Vec::new();
    for (actor, kind) in [(person, "Person"), (group, "Group"), (app, "Application")] {
        let Some(actor) = actor else { continue };
        aliases.push(actor.ap_id.clone());
        links.push(WebfingerLink {
            rel: "http://webfinger.net/rel/profile-page".into(),
            kind: "text/html".into(),
            href: actor.ap_id.clone(),
            properties: None,
        });
        links.push(WebfingerLink {
            rel: "self".into(),
            kind: "application/activity+json".into(),
            href: actor.ap_id.clone(),
            properties: Some(serde_json::json!({ AS_TYPE: kind })),
        });
    }
    if links.is_empty() {
        return error(actix_web::http::StatusCode::NOT_FOUND, "no such account");
    }
    if !q.rel.is_empty() {
        links.retain(|l| q.rel.iter().any(|r| r == &l.rel));
    }
    HttpResponse::Ok()
        .content_type("application/jrd+json")
        .insert_header(("Access-Control-Allow-Origin", "*"))
        .json(Webfinger {
            subject: format!("acct:{name}@{}", state.settings.hostname),
            aliases,
            links,
        })
}

#[get("/.well-known/nodeinfo")]
pub async fn nodeinfo_links(state: web::Data<AppState>) -> HttpResponse {
    HttpResponse::Ok().json(serde_json::json!({
        "links": [{
            "rel": "http://nodeinfo.diaspora.software/ns/schema/2.1",
            "href": format!("{}/nodeinfo/2.1", state.instance.base_url),
        }]
    }))
}

#[get("/nodeinfo/2.1")]
pub async fn nodeinfo(state: web::Data<AppState>) -> HttpResponse {
    let counts = state
        .db(|c| {
            use crate::store::schema::{comments, posts};
            use diesel::prelude::*;
            let users = users::count(c)?;
            let posts: i64 = posts::table
                .filter(posts::local.eq(true))
                .count()
                .get_result(c)?;
            let comments: i64 = comments::table
                .filter(comments::local.eq(true))
                .count()
                .get_result(c)?;
            let communities = communities::list(c, true)?.len();
            Ok::<_, StoreError>((users, posts, comments, communities))
        })
        .await;
    let Ok((users, posts, comments, communities)) = counts else {
        return HttpResponse::ServiceUnavailable().finish();
    };
    let s = &state.settings;
    HttpResponse::Ok()
        .content_type(
            r#"application/json; profile="http://nodeinfo.diaspora.software/ns/schema/2.1#""#,
        )
        .json(serde_json::json!({
            "version": "2.1",
            "software": {
                "name": "commonhall",
                "version": env!("CARGO_PKG_VERSION"),
                "repository": "https://github.com/commonhall/commonhall",
                "homepage": "https://github.com/commonhall/commonhall",
            },
            "protocols": ["activitypub"],
            "services": { "inbound": [], "outbound": [] },
            "openRegistrations": s.registration == crate::config::RegistrationMode::Open,
            "usage": {
                "users": { "total": users },
                "localPosts": posts,
                "localComments": comments,
            },
            "metadata": {
                "nodeName": s.instance_name,
                "nodeDescription": s.instance_description,
                "cooperative": { "name": s.instance_name, "communities": communities },
            },
        }))
}

#[cfg(test)]
mod tests {
    use super::local_name;

    #[test]
    fn resource_parsing() {
        let h = "music.example";
        let b = "https://music.example";
        assert_eq!(local_name("acct:ann@music.example", h, b), Ok(Some("ann")));
        assert_eq!(local_name("ann@MUSIC.example", h, b), Ok(Some("ann")));
        assert_eq!(local_name("acct:ann@other.example", h, b), Ok(None));
        assert_eq!(
            local_name("https://music.example/u/ann", h, b),
            Ok(Some("ann"))
        );
        assert_eq!(
            local_name("https://music.example/c/jazz", h, b),
            Ok(Some("jazz"))
        );
        assert!(local_name("acct:ann", h, b).is_err());
        assert!(local_name("acct:@music.example", h, b).is_err());
        assert!(local_name("acct:a b@music.example", h, b).is_err());
    }
}
