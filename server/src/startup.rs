//! Builds a running instance from settings: pool, migrations, background jobs and the HTTP server.

use std::net::{SocketAddr, TcpListener};

use actix_web::dev::Server;
use actix_web::middleware::{from_fn, Compress};
use actix_web::{web, App, HttpServer};
use tracing_actix_web::TracingLogger;

use activitypub_federation::config::FederationMiddleware;

use crate::config::Settings;
use crate::federation::config::{self as fed_config, FedConfig, FedConfigError};
use crate::state::AppState;
use crate::store::{self, migrate, users, Backend};
use crate::{api, federation, jobs, telemetry, web as ui};

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("cannot create the data directory {path}: {source}")]
    DataDir {
        path: String,
        source: std::io::Error,
    },
    #[error(transparent)]
    Pool(#[from] store::connection::PoolError),
    #[error(transparent)]
    Store(#[from] store::StoreError),
    #[error(transparent)]
    Migration(#[from] migrate::MigrationError),
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("database query failed: {0}")]
    Query(#[from] diesel::result::Error),
    #[error(transparent)]
    Federation(#[from] FedConfigError),
    #[error("start-up task failed: {0}")]
    Task(String),
}

/// Opens the database (creating the data directory for SQLite) and applies migrations.
pub fn open_database(settings: &Settings) -> Result<store::Pool, StartError> {
    let url = settings.database_url();
    if Backend::of_url(&url) == Backend::Sqlite {
        std::fs::create_dir_all(&settings.data_dir).map_err(|source| StartError::DataDir {
            path: settings.data_dir.display().to_string(),
            source,
        })?;
    }
    let pool = store::open_pool(&url, settings.database_pool_size)?;
    let mut conn = pool.get().map_err(store::StoreError::Pool)?;
    let applied = migrate::run_pending(&mut conn)?;
    if !applied.is_empty() {
        tracing::info!(count = applied.len(), "applied database migrations");
    }
    Ok(pool)
}

/// A bound, not yet running instance.
pub struct Application {
    addr: SocketAddr,
    server: Server,
    state: AppState,
    federation: FedConfig,
}

/// A running instance's handles (tests start and stop instances in-process).
pub struct Running {
    pub handle: actix_web::dev::ServerHandle,
    pub state: AppState,
    pub federation: FedConfig,
    tasks: Vec<tokio::task::JoinHandle<()>>,
}

impl Running {
    /// Stops background work and the HTTP server (gracefully).
    pub async fn stop(self) {
        for t in &self.tasks {
            t.abort();
        }
        self.handle.stop(true).await;
    }
}

impl Application {
    /// Binds `settings.bind` and builds everything.
    pub async fn build(settings: Settings) -> Result<Application, StartError> {
        let listener = TcpListener::bind(settings.bind).map_err(|source| StartError::Bind {
            addr: settings.bind,
            source,
        })?;
        Self::with_listener(settings, listener).await
    }

    /// Builds on an already bound listener (tests bind port 0 first).
    pub async fn with_listener(
        settings: Settings,
        listener: TcpListener,
    ) -> Result<Application, StartError> {
        let addr = listener.local_addr().map_err(|source| StartError::Bind {
            addr: settings.bind,
            source,
        })?;
        let (settings, pool) =
            tokio::task::spawn_blocking(move || open_database(&settings).map(|p| (settings, p)))
                .await
                .map_err(|e| StartError::Task(e.to_string()))??;
        let state = AppState::new(settings, pool);
        federation::policy::load(&state).await?;
        federation::instance_actor::ensure(&state).await?;
        let federation = fed_config::build(state.clone()).await?;
        let server = http_server(state.clone(), federation.clone(), listener)
            .map_err(|source| StartError::Bind { addr, source })?;
        Ok(Application {
            addr,
            server,
            state,
            federation,
        })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Tells the operator where things are and how to get the first admin.
    pub fn print_welcome(&self) -> Result<(), StartError> {
        let admins = {
            let mut conn = self.state.pool.get().map_err(store::StoreError::Pool)?;
            users::count_admins(&mut conn)?
        };
        let s = &self.state.settings;
        println!(
            "Commonhall is running at http://{} (public address {})",
            self.addr,
            s.base_url()
        );
        if Backend::of_url(&s.database_url()) == Backend::Sqlite {
            println!("Data lives in {}", s.database_url());
        } else {
            println!(
                "Data lives in PostgreSQL ({})",
                store::connection::redact(&s.database_url())
            );
        }
        if admins == 0 {
            println!("No admin yet. Create the first one with:\n    cargo run -- admin create-user YOUR_NAME --admin");
        }
        Ok(())
    }

    /// Runs until SIGTERM/SIGINT (graceful: in-flight requests finish).
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let tasks = self.background();
        let result = self.server.await;
        for t in tasks {
            t.abort();
        }
        result
    }

    fn background(&self) -> Vec<tokio::task::JoinHandle<()>> {
        vec![
            jobs::spawn(self.state.clone()),
            federation::delivery::spawn(self.federation.clone()),
        ]
    }

    /// Starts serving and the background jobs on the current runtime.
    pub fn start(self) -> Running {
        let tasks = self.background();
        let handle = self.server.handle();
        tokio::spawn(self.server);
        Running {
            handle,
            state: self.state,
            federation: self.federation,
            tasks,
        }
    }
}

fn http_server(
    state: AppState,
    federation: FedConfig,
    listener: TcpListener,
) -> std::io::Result<Server> {
    let workers = match state.settings.http_workers {
        0 => std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .min(4),
        n => n,
    };
    let max_body = state.settings.max_body_bytes;
    let server = HttpServer::new(move || {
        let app = App::new()
            .app_data(web::Data::new(state.clone()))
            .app_data(web::PayloadConfig::new(max_body))
            .app_data(web::FormConfig::default().limit(max_body))
            .wrap(from_fn(ui::session::middleware))
            .wrap(FederationMiddleware::new(federation.clone()))
            .wrap(Compress::default())
            .wrap(from_fn(crate::deadline::middleware))
            .wrap(TracingLogger::<telemetry::RequestSpan>::new())
            .service(ui::healthz)
            .service(ui::stylesheet)
            .service(api::scope(&state))
            .configure(federation::routes::configure);
        ui::mount(app, &state, &federation)
    })
    .workers(workers)
    .shutdown_timeout(10)
    .listen(listener)?
    .run();
    Ok(server)
}
