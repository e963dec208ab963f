//! The README's server example, compiled: an implementation of the RMA
//! trait that authenticates once, reads the request context and adds a
//! header to its answer, served with tracing and a graceful shutdown.
//!
//! ```text
//! cargo run -p iom-codegen-tests --example implement_server
//! ```

use std::net::SocketAddr;

use axum::http::HeaderValue;
use iom_rma_server::models::*;
use iom_rma_server::{service, AuthError, IomRmaApi, RequestContext};

/// Who called, as this service knows it.
struct User {
    name: String,
}

/// What a tower middleware of the team's own inserts.
#[derive(Clone)]
struct Tenant(String);

struct Returns;

// README: server
impl IomRmaApi for Returns {
    type Principal = User;

    // Called once per request, before any secured operation.
    async fn authenticate(
        &self,
        credentials: Credentials,
        _context: &RequestContext,
    ) -> Result<User, AuthError> {
        // The fields are the spec's security schemes; the router filled
        // in what the request carried of those the operation accepts.
        match (credentials.basic_auth, credentials.bearer_auth) {
            (Some(basic), _) if basic.password == "admin" => Ok(User { name: basic.user }),
            (_, Some(_token)) => Err(AuthError::Forbidden), // 403
            _ => Err(AuthError::Unauthorized),              // 401 with the challenge
        }
    }

    async fn get_return_request(
        &self,
        request: GetReturnRequestRequest,
        user: User,
        context: &mut RequestContext,
    ) -> GetReturnRequestResponse {
        let correlation = context.headers().get("x-correlation-id"); // undeclared header
        let tenant = context.extension::<Tenant>().map(|t| &t.0); // from middleware
        let peer = context.peer_addr();
        tracing::info!(
            user.name,
            ?correlation,
            ?tenant,
            ?peer,
            request.return_request_id
        );
        context
            .response_headers_mut()
            .insert("cache-control", HeaderValue::from_static("no-store"));
        GetReturnRequestResponse::NotFound
    }
    // README: end

    async fn get_return_requests(
        &self,
        _: GetReturnRequestsRequest,
        _: User,
        _: &mut RequestContext,
    ) -> GetReturnRequestsResponse {
        GetReturnRequestsResponse::NotFound
    }

    async fn create_return_request(
        &self,
        _: CreateReturnRequestRequest,
        _: User,
        _: &mut RequestContext,
    ) -> CreateReturnRequestResponse {
        CreateReturnRequestResponse::Forbidden
    }

    async fn create_approval(
        &self,
        _: CreateApprovalRequest,
        _: User,
        _: &mut RequestContext,
    ) -> CreateApprovalResponse {
        CreateApprovalResponse::Forbidden
    }

    async fn get_contact_persons(
        &self,
        _: GetContactPersonsRequest,
        _: User,
        _: &mut RequestContext,
    ) -> GetContactPersonsResponse {
        GetContactPersonsResponse::NotFound
    }

    async fn get_custom_attributes(
        &self,
        _: GetCustomAttributesRequest,
        _: User,
        _: &mut RequestContext,
    ) -> GetCustomAttributesResponse {
        GetCustomAttributesResponse::NotFound
    }

    async fn get_return_request_pickup_addresses(
        &self,
        _: GetReturnRequestPickupAddressesRequest,
        _: User,
        _: &mut RequestContext,
    ) -> GetReturnRequestPickupAddressesResponse {
        GetReturnRequestPickupAddressesResponse::NotFound
    }

    async fn get_return_request_position(
        &self,
        _: GetReturnRequestPositionRequest,
        _: User,
        _: &mut RequestContext,
    ) -> GetReturnRequestPositionResponse {
        GetReturnRequestPositionResponse::NotFound
    }

    async fn get_return_request_items(
        &self,
        _: GetReturnRequestItemsRequest,
        _: User,
        _: &mut RequestContext,
    ) -> GetReturnRequestItemsResponse {
        GetReturnRequestItemsResponse::NotFound
    }

    async fn get_return_request_positions(
        &self,
        _: GetReturnRequestPositionsRequest,
        _: User,
        _: &mut RequestContext,
    ) -> GetReturnRequestPositionsResponse {
        GetReturnRequestPositionsResponse::NotFound
    }

    async fn get_returnable_data(
        &self,
        _: GetReturnableDataRequest,
        _: User,
        _: &mut RequestContext,
    ) -> GetReturnableDataResponse {
        GetReturnableDataResponse::NotFound
    }

    async fn get_shop2_return_reasons(
        &self,
        _: GetShop2ReturnReasonsRequest,
        _: User,
        _: &mut RequestContext,
    ) -> GetShop2ReturnReasonsResponse {
        GetShop2ReturnReasonsResponse::NotFound
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // README: serve
    tracing_subscriber::fmt().init(); // one span per request: operation id, method, route
    let app = service(Returns).layer(axum::Extension(Tenant("acme".into())));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:8080").await?;
    let app = app.into_make_service_with_connect_info::<SocketAddr>(); // for peer_addr()
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            tokio::signal::ctrl_c().await.ok();
        })
        .await?;
    // README: end
    Ok(())
}
