//! The browser side: mounts the Leptos UI, implements its `Backend`, serves the stylesheet and health check.

pub mod accounts;
pub mod backend;
pub mod checks;
pub mod communities;
pub mod content;
pub mod errors;
pub mod federation;
pub mod governance;
pub mod read;
pub mod session;
pub mod stalled_render;
pub mod views;

use std::sync::Arc;

use actix_web::{get, web, HttpResponse};
use commonhall_frontend::federation::FederationHandle;
use commonhall_frontend::ssr::BackendHandle;
use commonhall_frontend::{shell, App, STYLESHEET};
use leptos::config::LeptosOptions;
use leptos::prelude::provide_context;
use leptos_actix::{generate_route_list, handle_server_fns_with_context};
use leptos_router::Method;

use crate::state::AppState;
use crate::store;

/// Options Leptos wants; we serve our own assets, so only names matter.
pub fn leptos_options() -> LeptosOptions {
    LeptosOptions::builder()
        .output_name("commonhall")
        .site_pkg_dir("pkg")
        .build()
}

/// Registers the UI routes, server functions and their context on an app.
pub fn mount<T>(
    app: actix_web::App<T>,
    state: &AppState,
    federation: &crate::federation::config::FedConfig,
) -> actix_web::App<T>
where
    T: actix_web::dev::ServiceFactory<
        actix_web::dev::ServiceRequest,
        Config = (),
        Error = actix_web::Error,
        InitError = (),
    >,
{
    let handle = BackendHandle(Arc::new(backend::ServerBackend::new(state.clone())));
    let governance = commonhall_frontend::server_fns::governance::port::GovernanceHandle(Arc::new(
        governance::ServerGovernance::new(state.clone(), federation.clone()),
    ));
    let fed_handle = FederationHandle(Arc::new(federation::ServerFederation::new(
        state.clone(),
        federation.clone(),
    )));
    let context = move || {
        provide_context(handle.clone());
        provide_context(governance.clone());
        provide_context(fed_handle.clone());
    };
    let options = leptos_options();
    let page = {
        let options = options.clone();
        move || shell(options.clone())
    };
    let mut app = app.app_data(web::Data::new(options)).route(
        "/_app/{tail:.*}",
        handle_server_fns_with_context(context.clone()),
    );
    // What `LeptosRoutes::leptos_routes_with_context` registers for pages rendered whole
    // (`SsrMode::Async`, the only mode the UI uses), each render given its second try.
    for listing in generate_route_list(App) {
        for method in listing.methods() {
            let context = context.clone();
            let render = leptos_actix::render_app_async_with_context(
                move || {
                    provide_context(method);
                    context();
                },
                page.clone(),
                method,
            );
            app = app
                .route(listing.path(), web::head().to(HttpResponse::Ok))
                .route(listing.path(), retried(render));
        }
    }
    app.default_service(retried(leptos_actix::render_app_async_with_context(
        context,
        page,
        Method::Get,
    )))
}

/// A page route whose stalled renders are tried again ([`stalled_render`]).
fn retried(route: actix_web::Route) -> actix_web::Route {
    route.wrap(actix_web::middleware::from_fn(stalled_render::middleware))
}

#[get("/static/commonhall.css")]
pub async fn stylesheet() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/css; charset=utf-8")
        .insert_header(("Cache-Control", "public, max-age=3600"))
        .body(STYLESHEET)
}

/// Liveness and readiness: answers 200 only when the database does.
#[get("/healthz")]
pub async fn healthz(state: web::Data<AppState>) -> HttpResponse {
    let result = state
        .db(|c| store::ping(c).map_err(|e| store::StoreError::Task(e.to_string())))
        .await;
    match result {
        Ok(()) => HttpResponse::Ok().json(serde_json::json!({"status": "ok", "database": "ok"})),
        Err(e) => {
            tracing::error!(error = %e, "health check failed");
            HttpResponse::ServiceUnavailable()
                .json(serde_json::json!({"status": "error", "database": "unavailable"}))
        }
    }
}
