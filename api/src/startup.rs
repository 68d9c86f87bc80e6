//! The one application builder shared by `crepo serve`, the tests and
//! `crepo openapi`.

use std::{net::TcpListener, sync::Arc};

use actix_files::{Files, NamedFile};
use actix_web::{
    body::MessageBody,
    dev::{fn_service, Server, ServerHandle, ServiceFactory, ServiceRequest, ServiceResponse},
    http::header,
    middleware::from_fn,
    web, App, HttpResponse, HttpServer,
};
use anyhow::Context;
use utoipa_actix_web::AppExt;
use utoipa_swagger_ui::{Config, SwaggerUi};

use crate::{
    auth,
    clock::Clock,
    config::Settings,
    db::Db,
    error::ApiError,
    evaluations, exports,
    health::{self, prober},
    http::{self, request_log},
    logbook::{signing::LogSigner, AccessLog, WriterSettings},
    mail,
    metrics::Metrics,
    notices, openapi,
    passwords::{self, PasswordRules},
    probes::Probes,
    routes::routes,
    sms,
    state::AppState,
    storage, telemetry,
    tokens::Keys,
};

/// The actix application around `state`.
pub fn app(
    state: web::Data<AppState>,
) -> App<
    impl ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<impl MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    let (json, path, query) = http::extractor_config(state.settings.json_limit);
    let tls = state.settings.tls.is_some();
    let web_dir = state.settings.web_dir.clone();
    let (app, _) = App::new()
        .into_utoipa_app()
        .app_data(state)
        .app_data(json)
        .app_data(path)
        .app_data(query)
        .configure(routes)
        .split_for_parts();
    let app = app
        .service(web::resource("/docs").to(|| async {
            HttpResponse::PermanentRedirect()
                .insert_header((header::LOCATION, "/docs/"))
                .finish()
        }))
        .service(SwaggerUi::new("/docs/{_:.*}").config(Config::from("/api/v1/openapi.json")));
    let app = match web_dir {
        // The SPA: its files, and index.html for its client-side routes.
        Some(dir) => {
            let index = dir.join("index.html");
            app.service(
                Files::new("/", dir)
                    .index_file("index.html")
                    .default_handler(fn_service(move |req: ServiceRequest| {
                        let index = index.clone();
                        async move {
                            let path = req.path();
                            if path.starts_with("/api/")
                                || path.starts_with("/health/")
                                || !index.exists()
                            {
                                let (req, _) = req.into_parts();
                                return Ok(ServiceResponse::from_err(ApiError::NotFound, req));
                            }
                            let (req, _) = req.into_parts();
                            let file = NamedFile::open_async(index).await?;
                            Ok(ServiceResponse::new(req.clone(), file.into_response(&req)))
                        }
                    })),
            )
        }
        None => app.default_service(web::to(http::not_found)),
    };
    // Innermost first: the tenant door ends its unit of work before the
    // request is logged, so the log shows the status the client got.
    app.wrap(from_fn(http::body::idle_deadline))
        .wrap(from_fn(http::json::refuse_nul_in_query))
        .wrap(from_fn(auth::context::end_of_request))
        .wrap(from_fn(request_log::record_requests))
        .wrap(http::problem_catch_all())
        .wrap(http::security_headers(tls))
        .wrap(from_fn(http::headers::content_security_policy))
        .wrap(from_fn(telemetry::request_context))
}

/// A bound, ready-to-run server.
pub struct Application {
    port: u16,
    server: Server,
    state: web::Data<AppState>,
    /// The internal `/metrics` server (`CREPO_METRICS_LISTEN`).
    metrics: Option<(u16, Server)>,
}

impl Application {
    /// Connects, migrates (unless disabled), binds `settings.listen` (port 0
    /// picks a free port) and returns without serving yet.
    pub async fn build(settings: Settings) -> anyhow::Result<Application> {
        let listener = TcpListener::bind(settings.listen)
            .with_context(|| format!("CREPO_LISTEN: cannot bind {}", settings.listen))?;
        Self::build_with_listener(settings, listener).await
    }

    pub async fn build_with_listener(
        settings: Settings,
        listener: TcpListener,
    ) -> anyhow::Result<Application> {
        let port = listener.local_addr()?.port();
        crate::private_fs::create_dir(&settings.data_dir).with_context(|| {
            format!(
                "CREPO_DATA_DIR: cannot create {}",
                settings.data_dir.display()
            )
        })?;
        for warning in settings.warnings() {
            tracing::warn!("{warning}");
        }
        let db = Db::connect(&settings).await?;
        if settings.migrate_on_start {
            let report = db
                .migrate_all()
                .await
                .context("database migration failed")?;
            if report.failures() > 0 {
                tracing::error!(
                    failed = report.failures(),
                    "some tenants could not be migrated; see above"
                );
            }
        }
        if !settings.log_requests {
            tracing::warn!("CREPO_LOG_REQUESTS=false: requests are NOT written to the access log (benchmarking only)");
        }
        let spec = openapi::spec();
        let log_signer = Arc::new(LogSigner::load(&settings)?);
        let clock = Clock::default();
        let access_log = AccessLog::start(
            db.clone(),
            log_signer.clone(),
            WriterSettings {
                every: settings.log_checkpoint_entries,
                interval: settings.log_checkpoint_interval,
                capacity: settings.log_queue_capacity,
                deadline: settings.log_deadline,
            },
            clock.clone(),
        );
        let sms = sms::from_settings(&settings, clock.clone()).await?;
        let mailer = mail::from_settings(&settings, clock.clone()).await?;
        let state = web::Data::new(AppState {
            access_log,
            log_signer,
            openapi_json: spec.to_json()?,
            route_methods: http::route_methods(&spec),
            storage: storage::from_settings(&settings).await?,
            sms,
            metrics: Metrics::new()?,
            probes: Probes::default(),
            passwords: PasswordRules::with_queue(settings.hash_queue),
            keys: Keys::load(&settings)?,
            clock,
            mailer,
            delivery_wakeup: Arc::new(tokio::sync::Notify::new()),
            export_wakeup: Arc::new(tokio::sync::Notify::new()),
            thumbnails: Arc::new(tokio::sync::Semaphore::new(1)),
            evaluation_wakeup: Arc::new(tokio::sync::Notify::new()),
            evaluations: Arc::new(tokio::sync::Semaphore::new(
                std::thread::available_parallelism().map_or(1, usize::from),
            )),
            dummy_hash: passwords::hash(uuid::Uuid::new_v4().to_string())
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?,
            db,
            settings: Arc::new(settings),
        });
        let factory_state = state.clone();
        let server = HttpServer::new(move || app(factory_state.clone()))
            .shutdown_timeout(state.settings.shutdown_timeout.as_secs())
            .workers(state.settings.workers);
        let server = match &state.settings.tls {
            Some(tls) => server.listen_rustls_0_23(listener, crate::tls::server_config(tls)?)?,
            None => server.listen(listener)?,
        }
        .run();
        let metrics = match state.settings.metrics_listen {
            Some(addr) => {
                let listener = TcpListener::bind(addr)
                    .with_context(|| format!("CREPO_METRICS_LISTEN: cannot bind {addr}"))?;
                let metrics_port = listener.local_addr()?.port();
                let metrics_state = state.clone();
                // `/metrics` and nothing else.
                let server = HttpServer::new(move || {
                    App::new()
                        .app_data(metrics_state.clone())
                        .app_data(web::Data::new(health::MetricsListener))
                        .service(health::prometheus_metrics)
                })
                .workers(1)
                .listen(listener)?
                .run();
                Some((metrics_port, server))
            }
            None => None,
        };
        Ok(Application {
            port,
            server,
            state,
            metrics,
        })
    }

    /// The port of `CREPO_METRICS_LISTEN`, when set.
    pub fn metrics_port(&self) -> Option<u16> {
        self.metrics.as_ref().map(|(port, _)| *port)
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The shared state (tests use it to settle the access-log queue).
    pub fn state(&self) -> web::Data<AppState> {
        self.state.clone()
    }

    /// Stops the server gracefully from elsewhere (tests, signals).
    pub fn handle(&self) -> ServerHandle {
        self.server.handle()
    }

    /// Serves until SIGTERM/SIGINT (or [`ServerHandle::stop`]), letting
    /// in-flight requests finish, then stops background work and closes pools.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let probe = prober::spawn(self.state.clone());
        let deliveries = notices::delivery::spawn(self.state.clone());
        let exports = exports::spawn(self.state.clone());
        let evaluations = evaluations::spawn(self.state.clone());
        let metrics = self.metrics.map(|(_, server)| {
            let handle = server.handle();
            (handle, tokio::spawn(server))
        });
        let result = self.server.await;
        if let Some((handle, task)) = metrics {
            handle.stop(true).await;
            let _ = task.await;
        }
        probe.abort();
        deliveries.abort();
        exports.abort();
        evaluations.abort();
        // Every entry queued before the stop is written, and the heads signed.
        self.state.access_log.close().await;
        self.state.db.close().await;
        tracing::info!("server stopped");
        result
    }
}
