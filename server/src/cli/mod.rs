//! The `commonhall` command line: `serve` (default), `migrate`, `admin …`.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::config::Settings;
use crate::domain::accounts::{self, CreatedBy, Registration};
use crate::domain::Instance;
use crate::startup::{self, Application};
use crate::store::users;

#[derive(Debug, Parser)]
#[command(
    name = "commonhall",
    version,
    about = "A cooperative's own social network"
)]
pub struct Cli {
    /// Settings file (TOML). Default: ./commonhall.toml when present.
    #[arg(long, global = true, env = "COMMONHALL_CONFIG")]
    pub config: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the instance (the default).
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Account administration.
    #[command(subcommand)]
    Admin(AdminCommand),
}

#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Create an active account (prompts for the password when not given).
    CreateUser {
        name: String,
        /// Make the account an instance admin.
        #[arg(long)]
        admin: bool,
        #[arg(long)]
        password: Option<String>,
    },
    /// Set a new password for an account and end all its sessions.
    ResetPassword {
        name: String,
        #[arg(long)]
        password: Option<String>,
    },
}

#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error(transparent)]
    Config(#[from] crate::config::ConfigError),
    #[error(transparent)]
    Start(#[from] startup::StartError),
    #[error(transparent)]
    Account(#[from] accounts::AccountError),
    #[error(transparent)]
    Io(#[from] std::io::Error),
    #[error("the passwords differ")]
    PasswordMismatch,
}

pub fn run(cli: Cli) -> Result<(), CliError> {
    let settings = Settings::load(cli.config.as_deref())?;
    crate::telemetry::init(settings.log_format);
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(settings),
        Command::Migrate => {
            startup::open_database(&settings)?;
            println!(
                "Database is up to date ({}).",
                crate::store::connection::redact(&settings.database_url())
            );
            Ok(())
        }
        Command::Admin(cmd) => admin(settings, cmd),
    }
}

fn serve(settings: Settings) -> Result<(), CliError> {
    crate::memory::limit_arenas();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let system = actix_web::rt::System::with_tokio_rt(move || rt);
    system.block_on(async move {
        let app = Application::build(settings).await?;
        app.print_welcome()?;
        crate::memory::release_free_memory();
        app.run_until_stopped().await?;
        tracing::info!("stopped");
        Ok(())
    })
}

fn admin(settings: Settings, cmd: AdminCommand) -> Result<(), CliError> {
    let pool = startup::open_database(&settings)?;
    let mut conn = pool
        .get()
        .map_err(crate::store::StoreError::Pool)
        .map_err(startup::StartError::from)?;
    match cmd {
        AdminCommand::CreateUser {
            name,
            admin,
            password,
        } => {
            let password = match password {
                Some(p) => p,
                None => prompt_new_password()?,
            };
            let instance = Instance {
                base_url: settings.base_url(),
                domain: settings.hostname.clone(),
            };
            let reg = Registration {
                username: name,
                password,
                display_name: None,
                application: None,
            };
            let user = accounts::register(
                &mut conn,
                &instance,
                &reg,
                CreatedBy::Admin { make_admin: admin },
            )?;
            if admin && !user.is_admin {
                users::set_admin(&mut conn, user.id, true).map_err(accounts::AccountError::from)?;
            }
            println!(
                "Created {}{} ({}).",
                user.username,
                if admin { ", an admin" } else { "" },
                instance.person_id(&user.username)
            );
        }
        AdminCommand::ResetPassword { name, password } => {
            let password = match password {
                Some(p) => p,
                None => prompt_new_password()?,
            };
            accounts::reset_password(&mut conn, &name, &password)?;
            println!("Password of {name} changed; all its sessions ended.");
        }
    }
    Ok(())
}

fn prompt_new_password() -> Result<String, CliError> {
    let first = rpassword::prompt_password("New password: ")?;
    let second = rpassword::prompt_password("Again: ")?;
    if first != second {
        return Err(CliError::PasswordMismatch);
    }
    Ok(first)
}
