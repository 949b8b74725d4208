//! Starting a real instance in-process on an ephemeral port, with its own data directory or PostgreSQL database.

use std::net::TcpListener;

use anyhow::Context;
use commonhall::config::{RegistrationMode, Settings};
use commonhall::startup::Application;
use diesel::{Connection, PgConnection, RunQueryDsl};

/// Sends the instances' warnings (or what `COMMONHALL_TEST_LOG` asks for) to the test output;
/// the harness shows them for a failing test only. Example: `COMMONHALL_TEST_LOG=commonhall=info`.
fn init_test_logging() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // Warnings by default: the test harness shows them only for a failing test, where
        // they are often the only trace of why (a refused request, a failed job).
        let filter = std::env::var("COMMONHALL_TEST_LOG").unwrap_or_else(|_| "warn".into());
        let _ = tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::new(filter))
            .with_test_writer()
            .try_init();
    });
}

/// Which backend an instance runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Db {
    Sqlite,
    Postgres,
}

/// Where the test PostgreSQL server is; override with `COMMONHALL_TEST_POSTGRES`.
pub fn postgres_server() -> String {
    std::env::var("COMMONHALL_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".to_string())
}

/// A fresh PostgreSQL database, dropped when this value is.
pub struct PgDatabase {
    pub url: String,
    name: String,
}

impl PgDatabase {
    pub fn create() -> anyhow::Result<PgDatabase> {
        let server = postgres_server();
        let name = format!("commonhall_test_{}", uuid::Uuid::new_v4().simple());
        let mut admin = PgConnection::establish(&format!("{server}/postgres"))
            .with_context(|| format!("PostgreSQL at {server} is needed for these tests"))?;
        diesel::sql_query(format!("CREATE DATABASE {name}")).execute(&mut admin)?;
        Ok(PgDatabase {
            url: format!("{server}/{name}"),
            name,
        })
    }
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        if let Ok(mut admin) = PgConnection::establish(&format!("{}/postgres", postgres_server())) {
            let _ = diesel::sql_query(format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ))
            .execute(&mut admin);
        }
    }
}

/// A running instance and an HTTP client with its own cookie jar.
pub struct TestInstance {
    pub base: String,
    pub settings: Settings,
    pub state: commonhall::state::AppState,
    running: commonhall::startup::Running,
    _data: tempfile::TempDir,
    _pg: Option<PgDatabase>,
}

impl TestInstance {
    pub async fn start(db: Db) -> TestInstance {
        Self::start_with(db, |_| {}).await
    }

    /// Starts an instance, letting the test adjust settings first.
    pub async fn start_with(db: Db, tweak: impl FnOnce(&mut Settings)) -> TestInstance {
        Self::try_start(db, tweak)
            .await
            .expect("test instance starts")
    }

    async fn try_start(db: Db, tweak: impl FnOnce(&mut Settings)) -> anyhow::Result<TestInstance> {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        Self::start_on(db, listener, None, tweak).await
    }

    /// Starts on a bound listener, optionally under a host name (federation tests).
    pub async fn start_on(
        db: Db,
        listener: TcpListener,
        hostname: Option<String>,
        tweak: impl FnOnce(&mut Settings),
    ) -> anyhow::Result<TestInstance> {
        init_test_logging();
        let data = tempfile::tempdir()?;
        let addr = listener.local_addr()?;
        let pg = match db {
            Db::Postgres => Some(PgDatabase::create()?),
            Db::Sqlite => None,
        };
        let mut settings = Settings {
            hostname: hostname.unwrap_or_else(|| addr.to_string()),
            bind: addr,
            data_dir: data.path().to_path_buf(),
            database_url: pg.as_ref().map(|p| p.url.clone()).unwrap_or_default(),
            database_pool_size: 4,
            registration: RegistrationMode::Open,
            federation_debug: true,
            http_workers: 1,
            ..Settings::default()
        };
        tweak(&mut settings);
        let settings_copy = settings.clone();
        let db_url = settings.database_url();
        let app = Application::with_listener(settings, listener)
            .await
            .with_context(|| format!("starting an instance on {db_url}"))?;
        let running = app.start();
        Ok(TestInstance {
            base: format!("http://{addr}"),
            settings: settings_copy,
            state: running.state.clone(),
            running,
            _data: data,
            _pg: pg,
        })
    }

    /// Federation request data, to call federation functions as the server does.
    pub fn fed(&self) -> commonhall::federation::config::FedData {
        self.running.federation.to_request_data()
    }

    /// The instance's host name (`b.test:41234` in a network).
    pub fn host(&self) -> &str {
        &self.settings.hostname
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// A browser-like client: its own cookies, no automatic redirects.
    pub fn client(&self) -> crate::page::Browser {
        crate::page::Browser::new(&self.base)
    }

    /// Runs a query against the instance's database.
    pub async fn db<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut commonhall::store::DbConn) -> T + Send + 'static,
    ) -> T {
        let pool = self.state.pool.clone();
        tokio::task::spawn_blocking(move || {
            let mut conn = pool.get().expect("test database connection");
            f(&mut conn)
        })
        .await
        .expect("database task")
    }

    /// Creates an active local user (an admin if `admin`); returns (user id, actor id).
    pub async fn user(&self, name: &str, admin: bool) -> (i64, i64) {
        use commonhall::domain::accounts::{self, CreatedBy, Registration};
        let inst = self.state.instance.clone();
        let name = name.to_string();
        self.db(move |c| {
            let reg = Registration {
                username: name,
                password: crate::setup::PW.into(),
                display_name: None,
                application: None,
            };
            let u = accounts::register(c, &inst, &reg, CreatedBy::Admin { make_admin: admin })
                .expect("user");
            (u.id, u.actor_id)
        })
        .await
    }

    pub async fn user_count(&self) -> i64 {
        self.db(|c| commonhall::store::users::count(c).expect("count users"))
            .await
    }

    pub async fn stop(self) {
        self.running.stop().await;
    }
}

/// Generates one `#[tokio::test]` per backend for an `async fn(Db)`.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() { super::$name($crate::Db::Sqlite).await })*
        }
        mod postgres {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() { super::$name($crate::Db::Postgres).await })*
        }
    };
}
