//! `make bench`'s yardstick: a bare actix-web handler serving the projects
//! list with the very query the API runs (`projects::list::page`), on the
//! same data and pool, without authentication, scope, access logging or any
//! middleware. The real endpoint's throughput is printed as a ratio of it.

use actix_web::{web, App, HttpRequest, HttpResponse, HttpServer};
use crepo_api::{db::Db, ids::TenantId, projects::list};

struct Target {
    db: Db,
    tenant: TenantId,
}

async fn bare_list(target: web::Data<Target>, req: HttpRequest) -> HttpResponse {
    let Ok(query) = crepo_api::projects::types::ProjectQuery::parse(req.query_string()) else {
        return HttpResponse::BadRequest().finish();
    };
    let Ok(tx) = target.db.tenant_tx(target.tenant).await else {
        return HttpResponse::ServiceUnavailable().finish();
    };
    let page = list::page(&tx, &query, sea_orm::Condition::all()).await;
    let _ = tx.commit().await;
    match page {
        Ok(page) => HttpResponse::Ok().json(page),
        Err(_) => HttpResponse::InternalServerError().finish(),
    }
}

/// Serves `GET /api/v1/projects` for `tenant` on a free port with `workers`
/// threads; returns its base URL.
pub fn serve(db: Db, tenant: TenantId, workers: usize) -> String {
    let target = web::Data::new(Target { db, tenant });
    let server = HttpServer::new(move || {
        App::new()
            .app_data(target.clone())
            .route("/api/v1/projects", web::get().to(bare_list))
    })
    .workers(workers)
    .bind(("127.0.0.1", 0))
    .unwrap();
    let port = server.addrs()[0].port();
    tokio::spawn(server.run());
    format!("http://127.0.0.1:{port}")
}
