//! In-memory implementations of the four generated server traits, with a
//! few seeded orders, customers and return requests, so that success paths
//! can be reached. The `serve` example serves them; conformance tools
//! (schemathesis, a client round trip) run against it.
//!
//! Access: Basic `admin` / `admin` or Bearer `secret`; other credentials get
//! 403, which every operation declares.

pub mod communication;
pub mod gdpr;
pub mod order_state;
pub mod rma;
pub mod shop;

use std::sync::{Mutex, MutexGuard};

use serde::de::DeserializeOwned;
use serde::Serialize;

pub const USER: &str = "admin";
pub const PASSWORD: &str = "admin";
pub const TOKEN: &str = "secret";

/// The principal of every in-memory API: whoever holds the one account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Admin;

/// The one place each in-memory API decides who may call (`Principal` and
/// `authenticate` of the server trait of crate `$server`): the account
/// above, and 403 for other credentials.
macro_rules! admin_only {
    ($server:ident) => {
        type Principal = $crate::memory::Admin;

        async fn authenticate(
            &self,
            credentials: $server::models::Credentials,
            _: &$server::RequestContext,
        ) -> Result<$crate::memory::Admin, $server::AuthError> {
            let basic = credentials.basic_auth.is_some_and(|b| {
                b.user == $crate::memory::USER && b.password == $crate::memory::PASSWORD
            });
            let allowed =
                basic || credentials.bearer_auth.as_deref() == Some($crate::memory::TOKEN);
            if allowed {
                Ok($crate::memory::Admin)
            } else {
                Err($server::AuthError::Forbidden)
            }
        }
    };
}
pub(crate) use admin_only;

/// The four APIs and the fixture shop with their seed data, each under its
/// spec's base path.
pub fn app() -> Result<axum::Router, serde_json::Error> {
    Ok(axum::Router::new()
        .merge(iom_order_state_server::service(
            order_state::OrderStates::seeded()?,
        ))
        .merge(iom_communication_server::service(
            communication::Messages::default(),
        ))
        .merge(iom_gdpr_server::service(gdpr::Customers::seeded()?))
        .merge(iom_rma_server::service(rma::ReturnRequests::seeded()?))
        .merge(fixture_shop_server::service(shop::Shop::seeded())))
}

/// A write model turned into its read twin: the same properties plus `id`.
fn with_id<W: Serialize, R: DeserializeOwned>(write: &W, id: i64) -> Result<R, serde_json::Error> {
    let mut value = serde_json::to_value(write)?;
    if let Some(object) = value.as_object_mut() {
        object.insert("id".into(), id.into());
    }
    serde_json::from_value(value)
}

/// Locks a store; a panic in another request does not make it unusable.
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// A path segment for a `Location` header.
fn segment(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
}
