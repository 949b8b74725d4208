//! Structured logs through `tracing`, filtered by `RUST_LOG`, and the span each HTTP request runs in.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use tracing::field::Empty;
use tracing::Span;
use tracing_actix_web::{DefaultRootSpanBuilder, RootSpanBuilder};
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::{fmt, EnvFilter};

use crate::config::LogFormat;
use crate::federation::routes::is_inbox_delivery;

/// What is logged when `RUST_LOG` says nothing.
pub const DEFAULT_FILTER: &str = "info,actix_server=warn,diesel_migrations=warn";

/// Installs the global subscriber once, logging to standard output; later calls (tests) are no-ops.
pub fn init(format: LogFormat) {
    init_to(format, std::io::stdout);
}

/// [`init`], writing the lines to `writer` (benches: the server's logging at its real cost,
/// the lines thrown away).
pub fn init_to<W>(format: LogFormat, writer: W)
where
    W: for<'w> MakeWriter<'w> + Send + Sync + 'static,
{
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(DEFAULT_FILTER));
    let builder = fmt()
        .with_env_filter(filter)
        .with_target(true)
        .with_writer(writer);
    let _ = match format {
        LogFormat::Json => builder.json().try_init(),
        LogFormat::Text => builder.compact().try_init(),
    };
}

/// The span a request runs in: tracing-actix-web's full one (route, client,
/// user agent, request id; info level) for pages and the API, and a
/// debug-level one with the method and path for deliveries to an inbox —
/// the commonest request by far, whose info-level span (its fields gathered
/// and formatted on every request) cost the inbox bench 5 % of the server's
/// CPU. A refused delivery is still logged: tracing-actix-web emits the
/// error as an event of its own.
pub struct RequestSpan;

impl RootSpanBuilder for RequestSpan {
    fn on_request_start(request: &ServiceRequest) -> Span {
        if is_inbox_delivery(request.method(), request.path()) {
            tracing::debug_span!(
                "HTTP request",
                http.method = "POST",
                http.target = %request.path(),
                http.status_code = Empty,
                otel.status_code = Empty,
                exception.message = Empty,
                exception.details = Empty,
            )
        } else {
            tracing_actix_web::root_span!(request)
        }
    }

    fn on_request_end<B: MessageBody>(
        span: Span,
        outcome: &Result<ServiceResponse<B>, actix_web::Error>,
    ) {
        DefaultRootSpanBuilder::on_request_end(span, outcome);
    }
}
