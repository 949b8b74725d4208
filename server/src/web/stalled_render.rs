//! A second try for a page whose render stalls: the server-side renderer (Leptos 0.8) now and
//! then loses the wake-up of a `<Suspense>` under load and never finishes the page (leptos issues
//! #4851 and #4673, PR #4698), which would leave the reader waiting until the response deadline
//! and then show an error. A page GET that has not answered after [`STALL`] is rendered again
//! beside the first, once, and whichever finishes first answers. Pages render completely before
//! their first byte is sent (`SsrMode::Async`), so nothing has reached the client when the second
//! try starts, and a GET changes nothing, so rendering it twice is harmless. Wraps routes, not the
//! app: a request may only be copied once it has been routed.

use std::time::Duration;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::middleware::Next;
use futures::future::{select, Either};

/// How long a GET may run before a second try starts beside it. A page that is merely slow
/// (a busy machine, a very long roll call) costs one extra render at most.
pub const STALL: Duration = Duration::from_secs(6);

pub async fn middleware(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    retry_stalled(req, next, STALL).await
}

/// [`middleware`] with the stall time given.
pub async fn retry_stalled(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
    stall: Duration,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    if !matches!(*req.method(), Method::GET | Method::HEAD) {
        return Ok(next.call(req).await?.map_into_boxed_body());
    }
    let (http, payload) = req.into_parts();
    let path = http.path().to_string();
    let first = next.call(ServiceRequest::from_parts(http.clone(), payload));
    futures::pin_mut!(first);
    let first = match tokio::time::timeout(stall, &mut first).await {
        Ok(res) => return Ok(res?.map_into_boxed_body()),
        Err(_) => first,
    };
    tracing::warn!(%path, "no answer yet; trying the request again beside the first");
    let second = next.call(ServiceRequest::from_parts(http, Payload::None));
    futures::pin_mut!(second);
    let res = match select(first, second).await {
        Either::Left((res, _)) | Either::Right((res, _)) => res,
    };
    Ok(res?.map_into_boxed_body())
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;

    use actix_web::body::BoxBody;
    use actix_web::middleware::from_fn;
    use actix_web::{test, web, App, HttpResponse};

    use super::*;

    /// The first call of each method never answers (as a stalled render); later ones do.
    async fn stalls_first(calls: web::Data<Arc<AtomicUsize>>) -> HttpResponse {
        let n = calls.fetch_add(1, Ordering::SeqCst);
        if n == 0 {
            std::future::pending::<()>().await;
        }
        HttpResponse::Ok().body(format!("call {n}"))
    }

    fn quick_retry(route: actix_web::Route) -> actix_web::Route {
        route.wrap(from_fn(|req, next: Next<BoxBody>| {
            retry_stalled(req, next, Duration::from_millis(100))
        }))
    }

    /// Sends `req` through the middleware (100 ms stall time) to [`stalls_first`], whose calls
    /// are counted from `calls`; the body, or `None` if nothing came back within 400 ms.
    async fn send(calls: &Arc<AtomicUsize>, req: test::TestRequest) -> Option<String> {
        let app = test::init_service(
            App::new()
                .app_data(web::Data::new(calls.clone()))
                .route("/", quick_retry(web::get().to(stalls_first)))
                .route("/", quick_retry(web::post().to(stalls_first))),
        )
        .await;
        let res = tokio::time::timeout(
            Duration::from_millis(400),
            test::call_service(&app, req.uri("/").to_request()),
        )
        .await
        .ok()?;
        let body = test::read_body(res).await;
        Some(String::from_utf8_lossy(&body).into_owned())
    }

    #[actix_web::test]
    async fn a_stalled_get_is_answered_by_its_second_try() {
        let calls = Arc::new(AtomicUsize::new(0));
        let body = send(&calls, test::TestRequest::get()).await;
        assert_eq!(body.as_deref(), Some("call 1"));
        assert_eq!(calls.load(Ordering::SeqCst), 2);
    }

    #[actix_web::test]
    async fn a_quick_get_runs_once() {
        let calls = Arc::new(AtomicUsize::new(1));
        let body = send(&calls, test::TestRequest::get()).await;
        assert_eq!(body.as_deref(), Some("call 1"));
        assert_eq!(calls.load(Ordering::SeqCst), 2);
    }

    #[actix_web::test]
    async fn a_post_is_never_tried_twice() {
        let calls = Arc::new(AtomicUsize::new(0));
        let body = send(&calls, test::TestRequest::post()).await;
        assert_eq!(body, None, "the stalled POST is still waiting");
        assert_eq!(calls.load(Ordering::SeqCst), 1);
    }
}
