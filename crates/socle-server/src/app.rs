//! Assembly of the HTTP application: every module's routes, the core endpoints, the OpenAPI
//! document and its browsable page.

use std::sync::Arc;

use axum::extract::{DefaultBodyLimit, State};
use axum::http::HeaderValue;
use axum::http::{StatusCode, header};
use axum::middleware;
use axum::response::IntoResponse;
use axum::{Json, Router};
use sea_orm::ConnectionTrait;
use serde::Serialize;
use socle::droits::AccessMap;
use socle::droits::guard::{Guard, SECURITY_SCHEME};
use socle::http::{ApiError, AppState};
use socle::module::ModuleError;
use socle::module::ModuleInfo;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;
use utoipa::ToSchema;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::tag::TagBuilder;
use utoipa::openapi::{InfoBuilder, LicenseBuilder, OpenApi, OpenApiBuilder};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// Largest request body accepted, in bytes.
pub const MAX_BODY_BYTES: usize = 2 * 1024 * 1024;
/// Longest time a request may take before the server answers 503 and drops it.
pub const REQUEST_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

/// The assembled application.
pub struct Assembled {
    /// Every route, with its state and middleware.
    pub router: Router,
    /// The OpenAPI 3.1 document of every route.
    pub openapi: OpenApi,
    /// Who may call each route, as the document declares and the guard enforces.
    pub access: Arc<AccessMap>,
}

impl std::fmt::Debug for Assembled {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Assembled")
            .field("paths", &self.openapi.paths.paths.len())
            .finish_non_exhaustive()
    }
}

fn base_document() -> OpenApi {
    OpenApiBuilder::new()
        .info(
            InfoBuilder::new()
                .title("Socle — API de la collectivité")
                .version(env!("CARGO_PKG_VERSION"))
                .description(Some(
                    "API REST/JSON de toutes les briques municipales installées sur ce serveur. \
                     Chaque module est monté sous /api/v1/<module>/ ; les erreurs suivent la RFC 9457 \
                     (application/problem+json) avec un code stable et un détail en français.",
                ))
                .license(Some(LicenseBuilder::new().name("EUPL-1.2").build())),
        )
        .build()
}

/// Gives every operation an `operationId` no other module's can take: `<module>_<handler>`, and
/// where one module has two handlers of one name, the static segments of the path after it
/// (`cimetiere_lister_zones`). Generated clients name their methods after these.
///
/// # Errors
/// Two operations that would still share a name.
fn nommer_operations(openapi: &mut utoipa::openapi::OpenApi) -> Result<(), ModuleError> {
    let base = |chemin: &str, operation: &utoipa::openapi::path::Operation| {
        let module = operation
            .tags
            .as_ref()
            .and_then(|t| t.first())
            .map_or("serveur", String::as_str)
            .replace('-', "_");
        let nom = operation.operation_id.clone().unwrap_or_default();
        let segments: Vec<String> = chemin
            .split('/')
            .skip(4)
            .filter(|s| !s.is_empty() && !s.starts_with('{'))
            .map(|s| s.replace('-', "_"))
            .collect();
        (format!("{module}_{nom}"), segments.join("_"))
    };
    let mut comptes = std::collections::HashMap::<String, usize>::new();
    for (chemin, item) in &openapi.paths.paths {
        for operation in operations_de(item) {
            *comptes.entry(base(chemin, operation).0).or_default() += 1;
        }
    }
    let mut vus = std::collections::HashSet::new();
    for (chemin, item) in &mut openapi.paths.paths {
        for operation in operations_de_mut(item) {
            let (nom, suffixe) = base(chemin, operation);
            let unique = if comptes.get(&nom).copied().unwrap_or(0) > 1 && !suffixe.is_empty() {
                format!("{nom}_{suffixe}")
            } else {
                nom
            };
            if !vus.insert(unique.clone()) {
                return Err(ModuleError::OperationEnDouble(unique));
            }
            operation.operation_id = Some(unique);
        }
    }
    Ok(())
}

fn operations_de(
    item: &utoipa::openapi::PathItem,
) -> impl Iterator<Item = &utoipa::openapi::path::Operation> {
    [
        &item.get,
        &item.put,
        &item.post,
        &item.delete,
        &item.patch,
        &item.head,
        &item.options,
        &item.trace,
    ]
    .into_iter()
    .flatten()
}

fn operations_de_mut(
    item: &mut utoipa::openapi::PathItem,
) -> impl Iterator<Item = &mut utoipa::openapi::path::Operation> {
    [
        &mut item.get,
        &mut item.put,
        &mut item.post,
        &mut item.delete,
        &mut item.patch,
        &mut item.head,
        &mut item.options,
        &mut item.trace,
    ]
    .into_iter()
    .flatten()
}

/// Mounts every module of `state`'s registry under `/api/v1/<id>`, adds the core endpoints, and
/// guards every route with the access its OpenAPI description declares.
///
/// # Errors
/// A route that declares no access, or requires a permission no module declares.
pub fn assemble(state: AppState) -> Result<Assembled, ModuleError> {
    let mut api = OpenApiRouter::with_openapi(base_document())
        .routes(routes!(health))
        .routes(routes!(modules));
    let mut tags = Vec::new();
    for module in state.registry().iter() {
        api = api.nest(&format!("/api/v1/{}", module.id()), module.routes());
        let description = match module.description() {
            "" => module.name().to_owned(),
            text => format!("{} — {text}", module.name()),
        };
        tags.push(
            TagBuilder::new()
                .name(module.id())
                .description(Some(description))
                .build(),
        );
    }
    let (router, mut openapi) = api.split_for_parts();
    nommer_operations(&mut openapi)?;
    tags.insert(
        0,
        TagBuilder::new()
            .name("serveur")
            .description(Some("État du serveur et modules installés"))
            .build(),
    );
    openapi.tags = Some(tags);
    openapi
        .components
        .get_or_insert_with(Default::default)
        .add_security_scheme(
            SECURITY_SCHEME,
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "Jeton de session (POST /api/v1/droits/connexion) ou jeton d'API ; \
                         les portées sont les permissions exigées.",
                    ))
                    .build(),
            ),
        );
    let access = Arc::new(AccessMap::from_openapi(&openapi, state.registry())?);
    let guard = Guard {
        state: state.clone(),
        access: Arc::clone(&access),
    };
    let router = router.route_layer(middleware::from_fn_with_state(
        guard,
        socle::droits::guard::guard,
    ));

    let document = Arc::new(openapi.clone());
    let docs = swagger_ui_dist::generate_routes(swagger_ui_dist::ApiDefinition {
        uri_prefix: "/api/docs",
        api_definition: swagger_ui_dist::OpenApiSource::Uri("/api/openapi.json"),
        title: Some("Socle — API"),
    });
    let router = router
        .route(
            "/api/openapi.json",
            axum::routing::get(move || {
                let document = Arc::clone(&document);
                async move { Json(document.as_ref().clone()) }
            }),
        )
        .fallback(unknown_route)
        .method_not_allowed_fallback(method_not_allowed)
        .with_state(state)
        .merge(docs)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            REQUEST_TIMEOUT,
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
        .layer(TraceLayer::new_for_http());
    Ok(Assembled {
        router,
        openapi,
        access,
    })
}

async fn unknown_route() -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "route-inconnue",
        "Route inconnue",
        "Aucune ressource à cette adresse ; la liste des routes est dans /api/openapi.json.",
    )
}

async fn method_not_allowed() -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "methode-non-permise",
        "Méthode non permise",
        "Cette ressource n'accepte pas cette méthode HTTP ; voir /api/openapi.json.",
    )
}

/// State of the server and its database.
#[derive(Debug, Serialize, ToSchema)]
struct Health {
    /// `ok` when the server can serve requests.
    #[schema(example = "ok")]
    status: &'static str,
    /// `ok` when the database answers.
    #[schema(example = "ok")]
    database: &'static str,
    /// Server version.
    version: &'static str,
}

/// Is the server up and its database reachable?
#[utoipa::path(
    get,
    path = "/health",
    tag = "serveur",
    security(()),
    responses(
        (status = 200, description = "Le serveur et sa base répondent", body = Health),
        (status = 503, description = "La base de données ne répond pas", body = Health),
    )
)]
async fn health(State(state): State<AppState>) -> impl IntoResponse {
    let database_ok = state.db().execute_unprepared("SELECT 1").await.is_ok();
    let health = Health {
        status: if database_ok { "ok" } else { "degrade" },
        database: if database_ok { "ok" } else { "injoignable" },
        version: env!("CARGO_PKG_VERSION"),
    };
    let status = if database_ok {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (status, [(header::CACHE_CONTROL, "no-store")], Json(health))
}

/// The modules installed on this server, with what each declares.
#[utoipa::path(
    get,
    path = "/api/v1/modules",
    tag = "serveur",
    security(("jeton" = [])),
    responses(
        (status = 200, description = "Les modules, dans l'ordre de démarrage", body = Vec<ModuleInfo>),
    )
)]
async fn modules(State(state): State<AppState>) -> Json<Vec<ModuleInfo>> {
    Json(state.registry().infos())
}
