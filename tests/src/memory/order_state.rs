//! Order State: a few seeded orders, searched, sorted and paged as the
//! operation's parameters say.

use iom_order_state_server::models::*;
use iom_order_state_server::IomOrderStateApi;
use iom_order_state_server::RequestContext;
use serde_json::{json, Value};

use super::{admin_only, Admin};

type SortBy = GetOrderStatesBySortCriteriasOrderBy;
type Direction = GetOrderStatesBySortCriteriasSortDirection;

/// One stored order with the ids the search uses but the model lacks.
pub struct Stored {
    pub order_id: i64,
    pub shop_id: i64,
    pub order: OrderStateOrder,
}

pub struct OrderStates {
    pub orders: Vec<Stored>,
}

fn seed_order(number: &str, customer: &str, created: &str, state: &str, product: &str) -> Value {
    json!({
        "state": state,
        "shop": {
            "name": "Demo-Shop",
            "orderCreationDate": created,
            "orderNumber": number,
            "customerNumber": customer,
        },
        "customer": {"type": "PERSON", "lastName": "Meyer", "firstName": "Max"},
        "positions": [{
            "number": "1",
            "state": state,
            "product": {"name": "Demo Product", "productNumber": product},
        }],
        "addresses": [{
            "id": 10496,
            "location": {"city": "Jena", "postCode": "07740", "country": "DEU"},
            "receiver": {"person": {"lastName": "Meyer"}},
        }],
    })
}

impl OrderStates {
    /// Shop 200 holds three orders, shop 201 one.
    pub fn seeded() -> Result<Self, serde_json::Error> {
        let seeds = [
            (
                10001,
                200,
                seed_order(
                    "2019-17891",
                    "CUST-930293",
                    "2019-02-01T10:00:00+01:00",
                    "STATE_DISPATCHED",
                    "100120",
                ),
            ),
            (
                10002,
                200,
                seed_order(
                    "2019-21432",
                    "283102",
                    "2019-06-15T08:30:00+02:00",
                    "STATE_COMMISSIONED",
                    "200230",
                ),
            ),
            (
                10003,
                200,
                seed_order(
                    "78231/2018",
                    "CUST-930293",
                    "2018-12-24T18:00:00+01:00",
                    "STATE_CLOSED",
                    "100120",
                ),
            ),
            (
                10004,
                201,
                seed_order(
                    "2020-1",
                    "CUST-1",
                    "2020-01-01T00:00:00Z",
                    "STATE_DISPATCHED",
                    "300340",
                ),
            ),
        ];
        let mut orders = Vec::new();
        for (order_id, shop_id, order) in seeds {
            let order = serde_json::from_value(order)?;
            orders.push(Stored {
                order_id,
                shop_id,
                order,
            });
        }
        Ok(OrderStates { orders })
    }
}

fn matches(s: &Stored, r: &GetOrderStatesBySortCriteriasRequest) -> bool {
    let shop = &s.order.shop;
    let any = |wanted: &[String], value: Option<&str>| {
        wanted.is_empty() || value.is_some_and(|v| wanted.iter().any(|w| w == v))
    };
    let created = shop.order_creation_date.date_naive();
    s.shop_id == r.shop_id
        && any(&r.order_number, shop.order_number.as_deref())
        && any(&r.customer_number, shop.customer_number.as_deref())
        && any(&r.order_state, Some(&s.order.state))
        && (r.product_number.is_empty()
            || s.order
                .positions
                .iter()
                .any(|p| r.product_number.contains(&p.product.product_number)))
        && r.order_creation_date_gte.is_none_or(|d| created >= d)
        && r.order_creation_date_lte.is_none_or(|d| created <= d)
}

impl IomOrderStateApi for OrderStates {
    admin_only!(iom_order_state_server);

    async fn get_order_states_by_sort_criterias(
        &self,
        r: GetOrderStatesBySortCriteriasRequest,
        _: Admin,
        _: &mut RequestContext,
    ) -> GetOrderStatesBySortCriteriasResponse {
        if r.offset < 0 || r.limit < 0 {
            let mut report = ErrorReport::new();
            report.status = Some(400);
            report.errors = Some(vec![Error::new(
                "VALIDATION_EXCEPTION",
                "offset and limit must not be negative",
            )]);
            return GetOrderStatesBySortCriteriasResponse::BadRequest(report);
        }
        let mut found: Vec<&Stored> = self.orders.iter().filter(|s| matches(s, &r)).collect();
        found.sort_by(|a, b| {
            let (x, y) = (&a.order.shop, &b.order.shop);
            match r.order_by {
                Some(SortBy::OrderNumber) => x.order_number.cmp(&y.order_number),
                Some(SortBy::CustomerNumber) => x.customer_number.cmp(&y.customer_number),
                Some(SortBy::CreationDate) => x.order_creation_date.cmp(&y.order_creation_date),
                _ => a.order_id.cmp(&b.order_id),
            }
        });
        if r.sort_direction == Direction::Desc {
            found.reverse();
        }
        let total = found.len();
        let page = found
            .into_iter()
            .skip(usize::try_from(r.offset).unwrap_or_default())
            .take(usize::try_from(r.limit).unwrap_or_default())
            .map(|s| s.order.clone())
            .collect();
        let mut report = OrderStateReport::new();
        report.data = Some(page);
        report.meta = Some([("totalCount".to_string(), total.to_string())].into());
        GetOrderStatesBySortCriteriasResponse::Ok(report)
    }
}
