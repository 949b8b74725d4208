//! A deadline on every response: a request that cannot be answered in time gets a 503 instead of hanging.

use std::time::Duration;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;

pub const RESPONSE_DEADLINE: Duration = Duration::from_secs(30);

pub async fn middleware(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    // The request moves into the service, so on time-out we answer with an
    // error, which actix renders as the response.
    let path = req.path().to_string();
    match tokio::time::timeout(RESPONSE_DEADLINE, next.call(req)).await {
        Ok(res) => Ok(res?.map_into_boxed_body()),
        Err(_) => {
            tracing::error!(%path, "response deadline passed; answering 503");
            Err(actix_web::error::ErrorServiceUnavailable(
                "This took too long. Please try again.",
            ))
        }
    }
}
