//! The fixture shop (tests/fixtures/shop.yaml) in memory: two products, one
//! image, orders placed by form and images uploaded by multipart.
//!
//! Access: the API key `secret` may read; the OAuth 2 token `secret` may
//! read and write, the token `reader` only read (403 where `write` is
//! needed); anything else is 401.

use std::collections::BTreeMap;
use std::sync::Mutex;

use fixture_shop_server::models::*;
use fixture_shop_server::{AuthError, FixtureShopApi, RequestContext};

use super::lock;

/// What the credentials of a request may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    Read,
    Write,
}

#[derive(Default)]
struct Store {
    products: Vec<Product>,
    images: BTreeMap<String, Vec<u8>>,
    orders: Vec<Order>,
}

#[derive(Default)]
pub struct Shop {
    store: Mutex<Store>,
}

fn report(status: i32, code: &str, message: String) -> ErrorReport {
    let mut report = ErrorReport::new();
    report.status = Some(status);
    report.errors = Some(vec![Error::new(code, message)]);
    report
}

fn not_found(id: &str) -> ErrorReport {
    report(404, "NOT_FOUND", format!("no product `{id}`"))
}

impl Shop {
    pub fn seeded() -> Self {
        let product = |id: &str, name: &str, price, tag: &str| {
            Product::new(id, name, price, vec![tag.to_string()])
        };
        let store = Store {
            products: vec![
                product("mug", "Mug", 1200, "kitchen"),
                product("shirt", "Shirt", 2500, "clothes"),
            ],
            images: BTreeMap::from([("mug".to_string(), b"\x89PNG mug".to_vec())]),
            orders: Vec::new(),
        };
        Shop {
            store: Mutex::new(store),
        }
    }
}

impl FixtureShopApi for Shop {
    type Principal = Access;

    async fn authenticate(
        &self,
        credentials: Credentials,
        context: &RequestContext,
    ) -> Result<Access, AuthError> {
        let access = match (credentials.api_key.as_deref(), credentials.oauth.as_deref()) {
            (_, Some("secret")) => Access::Write,
            (_, Some("reader")) | (Some("secret"), None) => Access::Read,
            _ => return Err(AuthError::Unauthorized),
        };
        let needs_write = context
            .operation()
            .security
            .scopes("oauth")
            .contains(&"write");
        if needs_write && access != Access::Write {
            return Err(AuthError::Forbidden);
        }
        Ok(access)
    }

    async fn health(&self, _: HealthRequest, _: &mut RequestContext) -> HealthResponse {
        HealthResponse::Ok("ok".into())
    }

    async fn list_products(
        &self,
        request: ListProductsRequest,
        _: Access,
        _: &mut RequestContext,
    ) -> ListProductsResponse {
        let store = lock(&self.store);
        let matching = store
            .products
            .iter()
            .filter(|p| request.tags.iter().all(|t| p.tags.contains(t)))
            .cloned()
            .collect();
        ListProductsResponse::Ok(matching)
    }

    async fn place_order(
        &self,
        request: PlaceOrderRequest,
        _: Access,
        _: &mut RequestContext,
    ) -> PlaceOrderResponse {
        let form = request.body;
        let mut store = lock(&self.store);
        let Some(product) = store.products.iter().find(|p| p.id == form.product_id) else {
            return PlaceOrderResponse::NotFound(not_found(&form.product_id));
        };
        let total = product.price * i64::from(form.quantity);
        let id = store.orders.len() as i64 + 1;
        let mut order = Order::new(id, form.product_id, form.quantity, total);
        order.note = form.note;
        store.orders.push(order.clone());
        PlaceOrderResponse::Created(order)
    }

    async fn get_image(
        &self,
        request: GetImageRequest,
        _: Access,
        _: &mut RequestContext,
    ) -> GetImageResponse {
        match lock(&self.store).images.get(&request.product_id) {
            Some(image) => GetImageResponse::Ok(image.clone().into()),
            None => GetImageResponse::NotFound(not_found(&request.product_id)),
        }
    }

    async fn upload_image(
        &self,
        request: UploadImageRequest,
        _: Access,
        _: &mut RequestContext,
    ) -> UploadImageResponse {
        let mut store = lock(&self.store);
        if !store.products.iter().any(|p| p.id == request.product_id) {
            return UploadImageResponse::NotFound(not_found(&request.product_id));
        }
        store
            .images
            .insert(request.product_id, request.body.image.data);
        UploadImageResponse::NoContent
    }
}
