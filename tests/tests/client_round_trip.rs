//! The generated Order State, Communication and GDPR clients against their
//! generated servers over a real loopback socket: every operation, every
//! response variant, every parameter kind. (RMA: client_rma.rs.)

use iom_codegen_tests::decode;
use iom_codegen_tests::http::serve;
use iom_codegen_tests::script::round_trip;
use serde_json::{json, Value};

mod order_state {
    #![allow(deprecated)] // the spec deprecates its only operation

    use super::*;
    use chrono::NaiveDate;
    use iom_order_state_client::Client;
    use iom_order_state_server::models::*;

    use iom_codegen_tests::scripted::order_state::Scripted;
    type Request = GetOrderStatesBySortCriteriasRequest;
    type Response = GetOrderStatesBySortCriteriasResponse;

    async fn setup() -> (Client, Scripted) {
        let api = Scripted::default();
        let base = serve(iom_order_state_server::service(api.clone())).await;
        let client = Client::new(&format!("{base}{}", iom_order_state_client::BASE_PATH))
            .expect("a valid base URL")
            .with_credentials(
                Credentials::default().with_bearer_auth("eyJhbGciOiJIUzI1NiJ9.e30.x"),
            );
        (client, api)
    }

    #[tokio::test]
    async fn every_parameter_kind() {
        let (client, api) = setup().await;
        let ok = Response::Ok(decode(&json!({"data": [], "meta": {"totalCount": "0"}})));
        let mut full = Request::new(i64::MAX);
        full.order_number = vec!["2019/1".into(), "a&b=c".into(), "".into(), "ü #?".into()];
        full.customer_number = vec!["CUST-930293".into()];
        full.product_number = vec!["100120".into(), "200230".into()];
        full.order_state = vec!["STATE_COMMISSIONED".into()];
        full.order_creation_date_gte = NaiveDate::from_ymd_opt(2019, 1, 31);
        full.order_creation_date_lte = NaiveDate::from_ymd_opt(2019, 10, 31);
        full.order_by = Some(GetOrderStatesBySortCriteriasOrderBy::CustomerNumber);
        full.sort_direction = GetOrderStatesBySortCriteriasSortDirection::Desc;
        full.offset = i32::MAX;
        full.limit = 0;
        for request in [Request::new(i64::MIN), full] {
            round_trip(&api.0, &request, ok.clone(), |r| {
                client.get_order_states_by_sort_criterias(r)
            })
            .await;
        }
    }

    #[tokio::test]
    async fn every_response_variant() {
        let (client, api) = setup().await;
        let order = json!({
            "state": "STATE_DISPATCHED",
            "shop": {"name": "Demo-Shop", "orderCreationDate": "2019-09-14T16:22:32.123+02:00"},
            "customer": {"type": "COMPANY", "companyName": "Müller & Söhne"},
            "positions": [{"number": "1", "state": "STATE_DO_APPROVE",
                "product": {"name": "Demo Product", "productNumber": "100-0001"}}],
            "addresses": [{"id": 10496, "location": {"city": "Jena", "postCode": "07740", "country": "DEU"},
                "receiver": {"person": {"lastName": "Müller"}}}],
        });
        let request = Request::new(200);
        for response in [
            Response::Ok(decode(
                &json!({"data": [order], "meta": {"totalCount": "1"}}),
            )),
            Response::BadRequest(decode(&json!({"status": 400, "errors": []}))),
            Response::Unauthorized,
            Response::Forbidden,
            Response::NotAcceptable,
            Response::InternalServerError,
        ] {
            round_trip(&api.0, &request, response, |r| {
                client.get_order_states_by_sort_criterias(r)
            })
            .await;
        }
    }
}

mod communication {
    use super::*;
    use iom_communication_client::Client;
    use iom_communication_server::models::*;

    use iom_codegen_tests::scripted::communication::Scripted;

    async fn setup() -> (Client, Scripted) {
        let api = Scripted::default();
        let base = serve(iom_communication_server::service(api.clone())).await;
        let client = Client::new(&format!("{base}{}", iom_communication_client::BASE_PATH))
            .expect("a valid base URL")
            .with_credentials(Credentials::default().with_basic_auth("supplier", "s3cret"));
        (client, api)
    }

    fn product() -> Value {
        json!({"name": "Shirt «blau»", "number": "4711/0815"})
    }

    macro_rules! variants {
        ($r:ident) => {
            [
                $r::Created {
                    location: Some("/rest/communication/x/1".into()),
                },
                $r::Created { location: None },
                $r::BadRequest(decode(&json!({"status": 400}))),
                $r::Unauthorized,
                $r::Forbidden,
                $r::UnsupportedMediaType,
                $r::InternalServerError,
            ]
        };
    }

    #[tokio::test]
    async fn create_dispatch_every_variant() {
        let (client, api) = setup().await;
        let body: Dispatch = decode(&json!({
            "carrier": {"name": "DHL", "packages": 2},
            "dispatchDate": "2019-05-02T14:00:00+02:00",
            "messageId": "M-1",
            "positions": [{"dispatchedQuantity": 2147483647, "product": product()}],
            "shopOrderNumber": "78231/2018",
            "supplierName": "Supplier",
            "supplierShopName": "Shop",
        }));
        let request = CreateDispatchRequest::new(body);
        for response in variants!(CreateDispatchResponse) {
            round_trip(&api.0, &request, response, |r| client.create_dispatch(r)).await;
        }
    }

    #[tokio::test]
    async fn create_order_response_every_variant() {
        let (client, api) = setup().await;
        let body: OrderResponse = decode(&json!({
            "messageId": "M-2",
            "positions": [{
                "confirmedDelivery": {"plannedDeliveryDate": "2019-05-03", "quantity": 1},
                "orderPositionNumber": 1, "product": product(), "quantityCanceled": 0,
            }],
            "shopOrderNumber": "78231/2018",
            "supplierName": "Supplier",
            "supplierShopName": "Shop",
            "supplierStateCode": "ACCEPTED",
        }));
        let request = CreateOrderResponseRequest::new(body);
        for response in variants!(CreateOrderResponseResponse) {
            round_trip(&api.0, &request, response, |r| {
                client.create_order_response(r)
            })
            .await;
        }
    }

    #[tokio::test]
    async fn create_return_every_variant() {
        let (client, api) = setup().await;
        let body: Return = decode(&json!({
            "entryDate": "2019-05-10T08:00:00Z",
            "messageId": "M-3",
            "positions": [{"product": product(), "returnedQuantity": 1}],
            "reason": "RET010",
            "shopOrderNumber": "78231/2018",
            "supplierName": "Supplier",
            "supplierShopName": "Shop",
        }));
        let request = CreateReturnRequest::new(body);
        for response in variants!(CreateReturnResponse) {
            round_trip(&api.0, &request, response, |r| client.create_return(r)).await;
        }
    }
}

mod gdpr {
    use super::*;
    use iom_gdpr_client::Client;
    use iom_gdpr_server::models::*;

    use iom_codegen_tests::scripted::gdpr::Scripted;

    #[tokio::test]
    async fn get_customer_every_variant() {
        let api = Scripted::default();
        let base = serve(iom_gdpr_server::service(api.clone())).await;
        let client = Client::new(&format!("{base}{}", iom_gdpr_client::BASE_PATH))
            .expect("a valid base URL")
            .with_credentials(Credentials::default().with_basic_auth("ü", ""));
        let customer = json!({
            "creationDate": "2019-03-01T09:30:00+01:00", "customerType": "b2c",
            "dayOfBirth": "1980-02-29", "firstName": "Bob", "hasNewsletter": false,
            "email": "b.buyer@example.com",
        });
        for (shop, number) in [("Demo Shop", "CUST-0815"), ("Müller & Söhne", "C/42?x#y")] {
            let request = GetCustomerRequest::new(number.into(), shop.into());
            for response in [
                GetCustomerResponse::Ok(decode(&customer)),
                GetCustomerResponse::Unauthorized,
                GetCustomerResponse::Forbidden,
                GetCustomerResponse::NotFound,
            ] {
                round_trip(&api.0, &request, response, |r| client.get_customer(r)).await;
            }
        }
    }

    #[test]
    fn the_server_url_comes_from_the_spec_variables() {
        use iom_gdpr_client::ServerVariables;
        let defaults = ServerVariables::default();
        assert_eq!(
            defaults.url().ok().as_deref(),
            Some("http://localhost:8080/rest/gdpr")
        );
        let mut custom = ServerVariables::default();
        custom.protocol = "https".into();
        custom.domain = "iom.example.com".into();
        custom.port = "443".into();
        let client = Client::from_server(&custom).expect("a valid URL");
        assert_eq!(client.base_url(), "https://iom.example.com:443/rest/gdpr");
        custom.protocol = "ftp".into();
        let error = Client::from_server(&custom).expect_err("ftp is not in the enum");
        assert!(
            error
                .to_string()
                .contains("`protocol` must be one of http, https"),
            "{error}"
        );
    }
}
