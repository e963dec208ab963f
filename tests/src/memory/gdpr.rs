//! GDPR: a fixed set of customers per shop.

use std::collections::BTreeMap;

use iom_gdpr_server::models::*;
use iom_gdpr_server::IomGdprApi;
use iom_gdpr_server::RequestContext;
use serde_json::json;

use super::{admin_only, Admin};

/// Customers by (shop name, shop customer number).
pub struct Customers {
    pub by_number: BTreeMap<(String, String), Customer>,
}

impl Customers {
    /// `Demo Shop` knows customers `CUST-0815` and `283102`.
    pub fn seeded() -> Result<Self, serde_json::Error> {
        let seeds = [
            (
                "CUST-0815",
                json!({
                    "creationDate": "2019-03-01T09:30:00+01:00",
                    "customerType": "b2c",
                    "dayOfBirth": "1980-02-29",
                    "firstName": "Bob",
                    "lastName": "Buyer",
                    "email": "b.buyer@example.com",
                    "hasNewsletter": false,
                    "isActive": true,
                    "shopCustomerNumber": "CUST-0815",
                }),
            ),
            (
                "283102",
                json!({
                    "creationDate": "2020-11-05T17:02:11Z",
                    "customerType": "b2b",
                    "companyName": "Müller & Söhne",
                    "shopCustomerNumber": "283102",
                }),
            ),
        ];
        let mut by_number = BTreeMap::new();
        for (number, customer) in seeds {
            let key = ("Demo Shop".to_string(), number.to_string());
            by_number.insert(key, serde_json::from_value(customer)?);
        }
        Ok(Customers { by_number })
    }
}

impl IomGdprApi for Customers {
    admin_only!(iom_gdpr_server);

    async fn get_customer(
        &self,
        request: GetCustomerRequest,
        _: Admin,
        _: &mut RequestContext,
    ) -> GetCustomerResponse {
        let key = (request.shop_name, request.shop_customer_number);
        match self.by_number.get(&key) {
            Some(customer) => GetCustomerResponse::Ok(customer.clone()),
            None => GetCustomerResponse::NotFound,
        }
    }
}
