//! RMA: return requests created against a few seeded orders, readable
//! through every GET of the API, and approvals that change their status.

use std::collections::BTreeMap;
use std::sync::Mutex;

use iom_rma_server::models::*;
use iom_rma_server::IomRmaApi;
use iom_rma_server::RequestContext;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::json;

use super::{admin_only, lock, segment, with_id, Admin};

/// A position of a seeded order: what can be returned.
#[derive(Debug, Clone)]
pub struct OrderPosition {
    pub position_number: i32,
    pub quantity: i32,
    pub product_number: String,
    pub product_name: String,
}

/// A return request with everything that hangs off it.
#[derive(Debug, Clone)]
pub struct Stored {
    pub shop: String,
    pub order: String,
    pub request: ReadReturnRequest,
    pub positions: Vec<(ReadReturnRequestPosition, Vec<ReadReturnRequestItem>)>,
    pub contact_persons: Vec<ContactPerson>,
    pub custom_attributes: Vec<ReadCustomAttribute>,
    pub pickup_addresses: Vec<ReadPickupAddress>,
}

#[derive(Default)]
pub struct State {
    next_id: i64,
    pub orders: BTreeMap<(String, String), Vec<OrderPosition>>,
    pub requests: Vec<Stored>,
}

#[derive(Default)]
pub struct ReturnRequests {
    pub state: Mutex<State>,
}

/// The reasons every shop offers, with their return type.
const REASONS: &[(&str, &str, &str)] = &[
    ("RET010", "Does not fit", "RETURN"),
    ("RET020", "Damaged", "RETURN"),
    ("PIC010", "Pick up at the customer's address", "PICKUP"),
];

fn bad_request(message: String) -> ErrorReport {
    let mut report = ErrorReport::new();
    report.status = Some(400);
    report.errors = Some(vec![Error::new("VALIDATION_EXCEPTION", message)]);
    report
}

impl State {
    fn id(&mut self) -> i64 {
        self.next_id += 1;
        self.next_id
    }

    /// The read twins of `writes`, each with a new id.
    fn read_all<'w, W: Serialize + 'w, R: DeserializeOwned>(
        &mut self,
        writes: impl Iterator<Item = &'w W>,
    ) -> Result<Vec<R>, ErrorReport> {
        writes
            .map(|w| with_id(w, self.id()).map_err(|e| bad_request(e.to_string())))
            .collect()
    }

    fn find(&self, shop: &str, order: &str, id: i64) -> Option<&Stored> {
        self.requests
            .iter()
            .find(|s| s.shop == shop && s.order == order && s.request.id == Some(id))
    }

    /// How many of an order position are already in return requests.
    fn returned(&self, shop: &str, order: &str, position: i32) -> i32 {
        self.requests
            .iter()
            .filter(|s| s.shop == shop && s.order == order)
            .flat_map(|s| &s.positions)
            .filter(|(p, _)| p.position_number == position)
            .map(|(p, _)| p.quantity)
            .sum()
    }

    fn create(
        &mut self,
        shop: &str,
        order: &str,
        write: &WriteReturnRequest,
    ) -> Result<i64, ErrorReport> {
        let key = (shop.to_string(), order.to_string());
        let Some(positions) = self.orders.get(&key).cloned() else {
            return Err(bad_request(format!("shop {shop:?} has no order {order:?}")));
        };
        let mut stored_positions = Vec::new();
        for (i, w) in write.positions.iter().enumerate() {
            let Some(p) = positions
                .iter()
                .find(|p| p.position_number == w.position_number)
            else {
                return Err(bad_request(format!(
                    "/positions/{i}: the order has no position {}",
                    w.position_number
                )));
            };
            let left = p.quantity - self.returned(shop, order, p.position_number);
            if w.quantity < 1 || w.quantity > left {
                return Err(bad_request(format!(
                    "/positions/{i}/quantity: {} of {left} returnable",
                    w.quantity
                )));
            }
            let mut read: ReadReturnRequestPosition =
                with_id(w, self.id()).map_err(|e| bad_request(e.to_string()))?;
            read.product_name = Some(p.product_name.clone());
            let items = self.read_all(w.items.iter().flatten())?;
            stored_positions.push((read, items));
        }
        let id = self.id();
        let mut head = serde_json::to_value(write).map_err(|e| bad_request(e.to_string()))?;
        if let Some(o) = head.as_object_mut() {
            for detail in [
                "positions",
                "pickupAddress",
                "contactPersons",
                "customAttributes",
            ] {
                o.remove(detail);
            }
            o.insert("id".into(), id.into());
            o.insert("shopName".into(), shop.into());
            o.insert("shopOrderNumber".into(), order.into());
            o.insert("creationDate".into(), json!("2026-11-23T10:00:00Z"));
            o.insert("status".into(), json!("INITIAL"));
            o.insert("businessStatus".into(), json!("READY_TO_APPROVE"));
        }
        let request = serde_json::from_value(head).map_err(|e| bad_request(e.to_string()))?;
        let contact_persons = self.read_all(write.contact_persons.iter().flatten())?;
        let custom_attributes = self.read_all(write.custom_attributes.iter().flatten())?;
        let pickup_addresses = self.read_all(write.pickup_address.iter())?;
        self.requests.push(Stored {
            shop: shop.to_string(),
            order: order.to_string(),
            request,
            positions: stored_positions,
            contact_persons,
            custom_attributes,
            pickup_addresses,
        });
        Ok(id)
    }
}

fn location(shop: &str, order: &str, id: i64) -> String {
    format!(
        "/rest/rma/shops/{}/orders/{}/return-requests/{id}",
        segment(shop),
        segment(order)
    )
}

impl ReturnRequests {
    /// `Demo Shop` has orders `2019-1001` (two positions, one return
    /// request) and `78231/2018` (one position, none yet).
    pub fn seeded() -> Result<Self, serde_json::Error> {
        let mut state = State::default();
        let position = |n: i32, q: i32, number: &str, name: &str| OrderPosition {
            position_number: n,
            quantity: q,
            product_number: number.into(),
            product_name: name.into(),
        };
        state.orders.insert(
            ("Demo Shop".into(), "2019-1001".into()),
            vec![
                position(1, 3, "P-100", "Shirt"),
                position(2, 1, "P-200", "Lamp"),
            ],
        );
        state.orders.insert(
            ("Demo Shop".into(), "78231/2018".into()),
            vec![position(1, 2, "P-300", "Desk")],
        );
        let first: WriteReturnRequest = serde_json::from_value(json!({
            "type": "RETURN",
            "rmaNumber": "RMA-1",
            "comment": "The battery does not charge.",
            "positions": [{"positionNumber": 1, "productNumber": "P-100", "quantity": 1,
                "reason": "RET020", "items": [{"productSerialNumber": "SN-1"}]}],
            "pickupAddress": {"lastName": "Meyer", "streetName": "Main St", "houseNumber": "1",
                "postCode": "07740", "city": "Jena", "countryCode": "DEU"},
            "contactPersons": [{"lastName": "Meyer", "emailAddress": "meyer@example.com"}],
            "customAttributes": [{"key": "channel", "value": "web"}],
        }))?;
        if let Err(report) = state.create("Demo Shop", "2019-1001", &first) {
            return Err(serde::de::Error::custom(format!(
                "the seed is invalid: {report:?}"
            )));
        }
        Ok(ReturnRequests {
            state: Mutex::new(state),
        })
    }

    /// Runs `f` on the return request the request names, if it exists.
    fn with<T>(&self, shop: &str, order: &str, id: i64, f: impl FnOnce(&Stored) -> T) -> Option<T> {
        lock(&self.state).find(shop, order, id).map(f)
    }
}

/// A GET's answer: what it found, or 404.
macro_rules! read {
    ($response:ident, $found:expr) => {
        match $found {
            Some(body) => $response::Ok(body),
            None => $response::NotFound,
        }
    };
}

impl IomRmaApi for ReturnRequests {
    admin_only!(iom_rma_server);

    async fn get_return_requests(
        &self,
        r: GetReturnRequestsRequest,
        _: Admin,
        _: &mut RequestContext,
    ) -> GetReturnRequestsResponse {
        let state = lock(&self.state);
        let key = (r.shop_name.clone(), r.shop_order_number.clone());
        let found = state.orders.contains_key(&key).then(|| {
            state
                .requests
                .iter()
                .filter(|s| s.shop == r.shop_name && s.order == r.shop_order_number)
                .map(|s| s.request.clone())
                .collect()
        });
        read!(GetReturnRequestsResponse, found)
    }

    async fn create_return_request(
        &self,
        r: CreateReturnRequestRequest,
        _: Admin,
        _: &mut RequestContext,
    ) -> CreateReturnRequestResponse {
        match lock(&self.state).create(&r.shop_name, &r.shop_order_number, &r.body) {
            Ok(id) => CreateReturnRequestResponse::Created {
                location: Some(location(&r.shop_name, &r.shop_order_number, id)),
            },
            Err(report) => CreateReturnRequestResponse::BadRequest(report),
        }
    }

    async fn create_approval(
        &self,
        r: CreateApprovalRequest,
        _: Admin,
        _: &mut RequestContext,
    ) -> CreateApprovalResponse {
        let mut state = lock(&self.state);
        let Some(stored) = state.requests.iter_mut().find(|s| {
            s.shop == r.shop_name
                && s.order == r.shop_order_number
                && s.request.id == Some(r.return_request_id)
        }) else {
            return CreateApprovalResponse::BadRequest(bad_request(format!(
                "/path/returnRequestId: no return request {}",
                r.return_request_id
            )));
        };
        let (status, business) = match r.body.status {
            WriteApprovalStatus::NotApproved => (
                ReadReturnRequestStatus::Rejected,
                ReadReturnRequestBusinessStatus::Rejected,
            ),
            _ => (
                ReadReturnRequestStatus::Accepted,
                ReadReturnRequestBusinessStatus::Accepted,
            ),
        };
        stored.request.status = Some(status);
        stored.request.business_status = Some(business);
        CreateApprovalResponse::Created {
            location: Some(format!(
                "{}/approvals",
                location(&r.shop_name, &r.shop_order_number, r.return_request_id)
            )),
        }
    }

    async fn get_contact_persons(
        &self,
        r: GetContactPersonsRequest,
        _: Admin,
        _: &mut RequestContext,
    ) -> GetContactPersonsResponse {
        let found = self.with(
            &r.shop_name,
            &r.shop_order_number,
            r.return_request_id,
            |s| s.contact_persons.clone(),
        );
        read!(GetContactPersonsResponse, found)
    }

    async fn get_return_request(
        &self,
        r: GetReturnRequestRequest,
        _: Admin,
        _: &mut RequestContext,
    ) -> GetReturnRequestResponse {
        let found = self.with(
            &r.shop_name,
            &r.shop_order_number,
            r.return_request_id,
            |s| s.request.clone(),
        );
        read!(GetReturnRequestResponse, found)
    }

    async fn get_custom_attributes(
        &self,
        r: GetCustomAttributesRequest,
        _: Admin,
        _: &mut RequestContext,
    ) -> GetCustomAttributesResponse {
        let found = self.with(
            &r.shop_name,
            &r.shop_order_number,
            r.return_request_id,
            |s| s.custom_attributes.clone(),
        );
        read!(GetCustomAttributesResponse, found)
    }

    async fn get_return_request_pickup_addresses(
        &self,
        r: GetReturnRequestPickupAddressesRequest,
        _: Admin,
        _: &mut RequestContext,
    ) -> GetReturnRequestPickupAddressesResponse {
        let found = self.with(
            &r.shop_name,
            &r.shop_order_number,
            r.return_request_id,
            |s| s.pickup_addresses.clone(),
        );
        read!(GetReturnRequestPickupAddressesResponse, found)
    }

    async fn get_return_request_position(
        &self,
        r: GetReturnRequestPositionRequest,
        _: Admin,
        _: &mut RequestContext,
    ) -> GetReturnRequestPositionResponse {
        let found = self
            .with(
                &r.shop_name,
                &r.shop_order_number,
                r.return_request_id,
                |s| {
                    s.positions
                        .iter()
                        .find(|(p, _)| p.id == Some(r.return_request_position_id))
                        .map(|(p, _)| p.clone())
                },
            )
            .flatten();
        read!(GetReturnRequestPositionResponse, found)
    }

    async fn get_return_request_items(
        &self,
        r: GetReturnRequestItemsRequest,
        _: Admin,
        _: &mut RequestContext,
    ) -> GetReturnRequestItemsResponse {
        let found = self
            .with(
                &r.shop_name,
                &r.shop_order_number,
                r.return_request_id,
                |s| {
                    s.positions
                        .iter()
                        .find(|(p, _)| p.id == Some(r.return_request_position_id))
                        .map(|(_, items)| items.clone())
                },
            )
            .flatten();
        read!(GetReturnRequestItemsResponse, found)
    }

    async fn get_return_request_positions(
        &self,
        r: GetReturnRequestPositionsRequest,
        _: Admin,
        _: &mut RequestContext,
    ) -> GetReturnRequestPositionsResponse {
        let found = self.with(
            &r.shop_name,
            &r.shop_order_number,
            r.return_request_id,
            |s| s.positions.iter().map(|(p, _)| p.clone()).collect(),
        );
        read!(GetReturnRequestPositionsResponse, found)
    }

    async fn get_returnable_data(
        &self,
        r: GetReturnableDataRequest,
        _: Admin,
        _: &mut RequestContext,
    ) -> GetReturnableDataResponse {
        let state = lock(&self.state);
        let key = (r.shop_name.clone(), r.shop_order_number.clone());
        let found = state.orders.get(&key).map(|positions| {
            let returnable = positions
                .iter()
                .filter_map(|p| {
                    let left = p.quantity
                        - state.returned(&r.shop_name, &r.shop_order_number, p.position_number);
                    (left > 0).then(|| {
                        let product = ReturnableDataProduct::new(
                            p.product_number.clone(),
                            p.product_name.clone(),
                        );
                        ReturnableDataPosition::new(p.position_number, left, product)
                    })
                })
                .collect();
            ReturnableData::new(returnable)
        });
        read!(GetReturnableDataResponse, found)
    }

    async fn get_shop2_return_reasons(
        &self,
        r: GetShop2ReturnReasonsRequest,
        _: Admin,
        _: &mut RequestContext,
    ) -> GetShop2ReturnReasonsResponse {
        let known = lock(&self.state)
            .orders
            .keys()
            .any(|(shop, _)| *shop == r.shop_name);
        let found = known.then(|| {
            REASONS
                .iter()
                .filter(|(_, _, t)| r.type_.is_empty() || r.type_.iter().any(|w| w == t))
                .map(|(name, description, t)| {
                    let mut reason = ShopReturnReason::new(*name);
                    reason.description = Some((*description).into());
                    reason.type_ = Some((*t).into());
                    reason
                })
                .collect()
        });
        read!(GetShop2ReturnReasonsResponse, found)
    }
}
