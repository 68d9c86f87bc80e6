//! The `crepo` command line.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::{config::Settings, db::Db, startup::Application, telemetry};

#[derive(Parser)]
#[command(name = "crepo", version, about = "Crepo platform API server")]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the API (the default).
    Serve,
    /// Bring the platform and every tenant schema up to date.
    Migrate,
    /// Print the OpenAPI document (YAML) that is committed as openapi.yaml.
    Openapi,
    /// Access-log maintenance over every tenant.
    AccessLog {
        #[command(subcommand)]
        command: AccessLogCommand,
    },
    /// The platform audit.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Object storage maintenance.
    Storage {
        #[command(subcommand)]
        command: StorageCommand,
    },
    /// Manage operators (the provider's staff).
    Operator {
        #[command(subcommand)]
        command: OperatorCommand,
    },
    /// Suspend or resume a tenant (as `POST /ops/tenants/{id}/suspend|resume`).
    Tenant {
        #[command(subcommand)]
        command: TenantCommand,
    },
    /// Evaluate a design file as the server does (no database needed):
    /// prints its metrics, optionally writes the heatmap PNGs.
    Evaluate {
        file: std::path::PathBuf,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
        /// An area of interest, `name:x,y,w,h` in fractions of the design (repeatable).
        #[arg(long = "area", value_parser = crate::evaluations::cli::parse_area)]
        areas: Vec<crate::evaluations::types::AreaIn>,
        /// Write the heatmap over the design here (PNG, at most 1,600 px).
        #[arg(long)]
        heatmap: Option<std::path::PathBuf>,
        /// Write the grey saliency map here (PNG, at most 1,600 px).
        #[arg(long)]
        raw: Option<std::path::PathBuf>,
    },
    /// Customer data exports.
    Export {
        #[command(subcommand)]
        command: ExportCommand,
    },
}

#[derive(Subcommand)]
enum TenantCommand {
    /// End every session of the tenant and refuse its sign-ins; data stays.
    Suspend {
        id: crate::ids::TenantId,
        #[arg(long)]
        reason: String,
    },
    /// Let a suspended tenant's users sign in again.
    Resume {
        id: crate::ids::TenantId,
        #[arg(long)]
        reason: String,
    },
    /// Delete the tenant and everything it registered, keeping a deletion
    /// certificate in the platform audit; run it again after an interruption.
    Delete { id: crate::ids::TenantId },
}

#[derive(Subcommand)]
enum ExportCommand {
    /// Check an export ZIP offline: every member against the manifest, the
    /// access log's chain and its signed checkpoints. Exits 1 on a problem.
    Verify {
        file: std::path::PathBuf,
        /// The provider's log-signing public key (base64, or a file holding
        /// it; `crepo access-log public-key` prints it). Without it only the
        /// key inside the archive is used, which proves consistency, not origin.
        #[arg(long)]
        public_key: Option<String>,
    },
}

#[derive(Subcommand)]
enum AccessLogCommand {
    /// Verify every tenant's chain; exits 1 when any is broken.
    Verify,
    /// Remove entries older than each tenant's retention, leaving a signed
    /// checkpoint so verification holds from the new first entry.
    Purge,
    /// Print the public key (base64) that verifies checkpoint signatures,
    /// for customers checking an export with `crepo export verify`.
    PublicKey,
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Verify the platform audit's hash chain; exits 1 when it is broken.
    Verify,
}

#[derive(Subcommand)]
enum StorageCommand {
    /// List objects no file points at (left by a crash or a failed delete);
    /// with --delete, remove them.
    Gc {
        /// Remove what is found (default: only print it).
        #[arg(long)]
        delete: bool,
        /// Leave objects younger than this many minutes (uploads in progress).
        #[arg(long, default_value_t = 60)]
        grace_minutes: i64,
    },
}

#[derive(Subcommand)]
enum OperatorCommand {
    /// Create an operator. The password comes from CREPO_OPERATOR_PASSWORD or
    /// standard input.
    Create {
        #[arg(long)]
        email: String,
        /// E.164 phone for the SMS code.
        #[arg(long)]
        phone: String,
    },
}

pub async fn run() -> anyhow::Result<ExitCode> {
    // Several crates bring their own rustls provider; name the one to use.
    let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
    let cli = Cli::parse();
    match cli.command.unwrap_or(Command::Serve) {
        Command::Evaluate {
            file,
            json,
            areas,
            heatmap,
            raw,
        } => crate::evaluations::cli::run(&file, json, &areas, heatmap.as_deref(), raw.as_deref()),
        Command::Openapi => {
            print!("{}", crate::openapi::yaml()?);
            Ok(ExitCode::SUCCESS)
        }
        Command::Serve => {
            let settings = Settings::from_env()?;
            telemetry::init(settings.log_format, &settings.log_filter)?;
            let scheme = if settings.tls.is_some() {
                "https"
            } else {
                "http"
            };
            let app = Application::build(settings).await?;
            tracing::info!(port = app.port(), "listening on {scheme}");
            app.run_until_stopped().await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Operator {
            command: OperatorCommand::Create { email, phone },
        } => {
            let settings = Settings::from_env()?;
            telemetry::init(settings.log_format, "warn")?;
            let password = crate::ops::cli::read_password()?;
            let db = Db::connect(&settings).await?;
            db.migrate_platform().await?;
            let id = crate::ops::cli::create(&db, &email, &phone, &password).await?;
            println!("operator {id} created for {email}");
            db.close().await;
            Ok(ExitCode::SUCCESS)
        }
        Command::Audit {
            command: AuditCommand::Verify,
        } => {
            let settings = Settings::from_env()?;
            telemetry::init(settings.log_format, "warn")?;
            let db = Db::connect(&settings).await?;
            let verdict = crate::audit::verify(db.platform()).await?;
            db.close().await;
            Ok(match verdict {
                Ok(n) => {
                    println!("platform audit: intact, {n} chained entries");
                    ExitCode::SUCCESS
                }
                Err((id, why)) => {
                    println!("platform audit: BROKEN at entry {id}: it {why}");
                    ExitCode::FAILURE
                }
            })
        }
        Command::Tenant { command } => {
            let settings = Settings::from_env()?;
            telemetry::init(settings.log_format, "warn")?;
            match command {
                TenantCommand::Delete { id } => crate::ops::cli::delete_tenant(&settings, id).await,
                TenantCommand::Suspend { id, reason } => {
                    crate::ops::cli::suspend_or_resume(&settings, id, &reason, true).await
                }
                TenantCommand::Resume { id, reason } => {
                    crate::ops::cli::suspend_or_resume(&settings, id, &reason, false).await
                }
            }
        }
        Command::Export {
            command: ExportCommand::Verify { file, public_key },
        } => {
            let report = crate::exports::verify::verify_file(&file, public_key.as_deref())?;
            for p in &report.problems {
                println!("PROBLEM: {p}");
            }
            println!(
                "{} member(s), {} access-log entries, {} checkpoint(s) checked{}",
                report.members,
                report.entries,
                report.checkpoints,
                if report.key_from_outside {
                    ""
                } else {
                    " (with the key inside the archive: pass --public-key to prove the origin)"
                }
            );
            Ok(if report.problems.is_empty() {
                println!("export: intact");
                ExitCode::SUCCESS
            } else {
                println!("export: BROKEN");
                ExitCode::FAILURE
            })
        }
        Command::AccessLog {
            command: AccessLogCommand::PublicKey,
        } => {
            let settings = Settings::from_env()?;
            let signer = crate::logbook::signing::LogSigner::load(&settings)?;
            println!("{}", signer.public_key_base64());
            Ok(ExitCode::SUCCESS)
        }
        Command::AccessLog { command } => {
            let settings = Settings::from_env()?;
            telemetry::init(settings.log_format, "warn")?;
            let db = Db::connect(&settings).await?;
            let signer = crate::logbook::signing::LogSigner::load(&settings)?;
            let ok = crate::logbook::maintenance::run(
                &db,
                &signer,
                matches!(command, AccessLogCommand::Purge),
                settings.log_checkpoint_interval,
            )
            .await?;
            db.close().await;
            Ok(if ok {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            })
        }
        Command::Storage {
            command:
                StorageCommand::Gc {
                    delete,
                    grace_minutes,
                },
        } => {
            let settings = Settings::from_env()?;
            telemetry::init(settings.log_format, "warn")?;
            let db = Db::connect(&settings).await?;
            let store = crate::storage::from_settings(&settings).await?;
            let report = crate::files::gc::run(
                &db,
                store.as_ref(),
                crate::clock::Clock::default().now(),
                chrono::Duration::minutes(grace_minutes.max(0)),
                delete,
            )
            .await?;
            let verb = if delete { "removed" } else { "would remove" };
            for o in &report.orphans {
                let kind = if o.temp { " (unfinished write)" } else { "" };
                println!(
                    "{verb} {} ({} bytes, {}){kind}",
                    o.key.as_str(),
                    o.size,
                    o.modified.to_rfc3339()
                );
            }
            println!(
                "{} tenant(s), {} object(s) checked, {} orphan(s){}",
                report.tenants,
                report.objects,
                report.orphans.len(),
                if delete {
                    " removed"
                } else {
                    "; run with --delete to remove them"
                }
            );
            db.close().await;
            Ok(ExitCode::SUCCESS)
        }
        Command::Migrate => {
            let settings = Settings::from_env()?;
            telemetry::init(settings.log_format, &settings.log_filter)?;
            let db = Db::connect(&settings).await?;
            let report = db.migrate_all().await?;
            println!("platform: {} migration(s) applied", report.platform_applied);
            for t in &report.tenants {
                match &t.result {
                    Ok(n) => println!("tenant {} ({}): {n} migration(s) applied", t.slug, t.tenant),
                    Err(e) => println!("tenant {} ({}): FAILED: {e}", t.slug, t.tenant),
                }
            }
            println!(
                "{} tenant(s), {} failed",
                report.tenants.len(),
                report.failures()
            );
            let failed: Vec<_> = report
                .tenants
                .iter()
                .filter_map(|t| {
                    t.result.as_ref().err().map(
                        |e| serde_json::json!({ "tenant_id": t.tenant, "error": e.to_string() }),
                    )
                })
                .collect();
            let applied: usize = report
                .tenants
                .iter()
                .filter_map(|t| t.result.as_ref().ok())
                .sum();
            crate::audit::append(
                &db,
                crate::audit::Entry {
                    actor: crate::audit::Actor::Cli,
                    action: "platform.migrated",
                    target: None,
                    details: serde_json::json!({
                        "platform_applied": report.platform_applied,
                        "tenants": report.tenants.len(),
                        "tenant_migrations_applied": applied,
                        "failed": failed,
                    }),
                    ip: None,
                    request_id: None,
                    at: crate::clock::Clock::default().now(),
                },
            )
            .await?;
            db.close().await;
            Ok(if report.failures() == 0 {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            })
        }
    }
}
