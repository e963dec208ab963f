//! Drives every operation of one generated client with valid input against
//! a server (in CI: a Prism mock of the published spec) and reports, per
//! operation, the response variant the client decoded or its error.
//!
//! ```text
//! cargo run -p iom-codegen-tests --example prism_drive -- rma http://127.0.0.1:4010
//! ```
//!
//! Exits 1 when any call ends in an error.
//!
//! With `--invalid` first, it sends deliberately invalid input where the
//! client's types allow it and prints, per case, whether the client refused
//! it before sending (`validate()`) or what came back.
#![allow(deprecated)] // Order State's only operation is deprecated

use std::process::ExitCode;

use iom_codegen_tests::decode;
use serde_json::{json, Value};

/// Basic `admin`/`admin` as the `Credentials` of the client in scope (each
/// client crate has its own type).
macro_rules! basic {
    () => {
        Credentials::default().with_basic_auth("admin", "admin")
    };
}

/// One call: the operation and what came of it.
type Outcome = (&'static str, Result<String, String>);

/// `op: variant` for a decoded response (its Debug name up to `(`/` {`).
fn show<R: std::fmt::Debug, E: std::fmt::Display>(op: &'static str, r: Result<R, E>) -> Outcome {
    let text = r.map(|v| {
        let d = format!("{v:?}");
        d.split(['(', ' ']).next().unwrap_or_default().to_string()
    });
    (op, text.map_err(|e| e.to_string()))
}

async fn order_state(base: &str) -> Result<Vec<Outcome>, String> {
    use iom_order_state_client::{models::*, Client};
    let client = Client::new(base)
        .map_err(|e| e.to_string())?
        .with_credentials(basic!());
    let mut request = GetOrderStatesBySortCriteriasRequest::new(200);
    request.order_number = vec!["2019-17891".into(), "2019-21432".into()];
    request.order_creation_date_gte = chrono::NaiveDate::from_ymd_opt(2019, 1, 31);
    request.order_by = Some(GetOrderStatesBySortCriteriasOrderBy::CreationDate);
    let r = client.get_order_states_by_sort_criterias(&request).await;
    Ok(vec![show("getOrderStatesBySortCriterias", r)])
}

fn product() -> Value {
    json!({"name": "Shirt", "number": "4711"})
}

async fn communication(base: &str) -> Result<Vec<Outcome>, String> {
    use iom_communication_client::{models::*, Client};
    let client = Client::new(base)
        .map_err(|e| e.to_string())?
        .with_credentials(basic!());
    let common = json!({"messageId": "M-1", "shopOrderNumber": "78231", "supplierName": "Supplier",
        "supplierShopName": "Shop"});
    let with = |extra: Value| {
        let mut v = common.clone();
        if let (Some(o), Some(e)) = (v.as_object_mut(), extra.as_object()) {
            o.extend(e.clone());
        }
        v
    };
    let dispatch = with(json!({"carrier": {"name": "DHL", "packages": 1},
        "dispatchDate": "2019-05-02T14:00:00+02:00",
        "positions": [{"dispatchedQuantity": 1, "product": product()}]}));
    let response = with(json!({"supplierStateCode": "ACCEPTED", "positions": [{
        "confirmedDelivery": {"plannedDeliveryDate": "2019-05-03", "quantity": 1},
        "orderPositionNumber": 1, "product": product(), "quantityCanceled": 0}]}));
    let ret = with(
        json!({"entryDate": "2019-05-10T08:00:00Z", "reason": "RET010",
        "positions": [{"product": product(), "returnedQuantity": 1}]}),
    );
    Ok(vec![
        show(
            "createDispatch",
            client
                .create_dispatch(&CreateDispatchRequest::new(decode(&dispatch)))
                .await,
        ),
        show(
            "createOrderResponse",
            client
                .create_order_response(&CreateOrderResponseRequest::new(decode(&response)))
                .await,
        ),
        show(
            "createReturn",
            client
                .create_return(&CreateReturnRequest::new(decode(&ret)))
                .await,
        ),
    ])
}

async fn gdpr(base: &str) -> Result<Vec<Outcome>, String> {
    use iom_gdpr_client::{models::*, Client};
    let client = Client::new(base)
        .map_err(|e| e.to_string())?
        .with_credentials(basic!());
    let r = client
        .get_customer(&GetCustomerRequest::new(
            "CUST-0815".into(),
            "Demo Shop".into(),
        ))
        .await;
    Ok(vec![show("getCustomer", r)])
}

async fn rma(base: &str) -> Result<Vec<Outcome>, String> {
    use iom_rma_client::{models::*, Client};
    let client = Client::new(base)
        .map_err(|e| e.to_string())?
        .with_credentials(basic!());
    let shop = || "Demo Shop".to_string();
    let order = || "2019-1001".to_string();
    let write: WriteReturnRequest = decode(&json!({"type": "RETURN", "positions": [
        {"positionNumber": 1, "productNumber": "P-100", "quantity": 1, "reason": "RET010"}]}));
    let approval = WriteApproval::new(WriteApprovalStatus::Approved);
    let mut reasons = GetShop2ReturnReasonsRequest::new(shop());
    reasons.type_ = vec!["RETURN".into()];
    Ok(vec![
        show(
            "getReturnRequests",
            client
                .get_return_requests(&GetReturnRequestsRequest::new(order(), shop()))
                .await,
        ),
        show(
            "createReturnRequest",
            client
                .create_return_request(&CreateReturnRequestRequest::new(order(), shop(), write))
                .await,
        ),
        show(
            "createApproval",
            client
                .create_approval(&CreateApprovalRequest::new(3, order(), shop(), approval))
                .await,
        ),
        show(
            "getContactPersons",
            client
                .get_contact_persons(&GetContactPersonsRequest::new(3, order(), shop()))
                .await,
        ),
        show(
            "getReturnRequest",
            client
                .get_return_request(&GetReturnRequestRequest::new(3, order(), shop()))
                .await,
        ),
        show(
            "getCustomAttributes",
            client
                .get_custom_attributes(&GetCustomAttributesRequest::new(3, order(), shop()))
                .await,
        ),
        show(
            "getReturnRequestPickupAddresses",
            client
                .get_return_request_pickup_addresses(&GetReturnRequestPickupAddressesRequest::new(
                    3,
                    order(),
                    shop(),
                ))
                .await,
        ),
        show(
            "getReturnRequestPosition",
            client
                .get_return_request_position(&GetReturnRequestPositionRequest::new(
                    1,
                    3,
                    order(),
                    shop(),
                ))
                .await,
        ),
        show(
            "getReturnRequestItems",
            client
                .get_return_request_items(&GetReturnRequestItemsRequest::new(1, 3, order(), shop()))
                .await,
        ),
        show(
            "getReturnRequestPositions",
            client
                .get_return_request_positions(&GetReturnRequestPositionsRequest::new(
                    3,
                    order(),
                    shop(),
                ))
                .await,
        ),
        show(
            "getReturnableData",
            client
                .get_returnable_data(&GetReturnableDataRequest::new(order(), shop()))
                .await,
        ),
        show(
            "getShop2ReturnReasons",
            client.get_shop2_return_reasons(&reasons).await,
        ),
    ])
}

/// The fixture shop: a form, a multipart upload, a binary download, an API
/// key and an OAuth 2 token (the client holds both; each operation sends
/// the one it accepts).
async fn shop(base: &str) -> Result<Vec<Outcome>, String> {
    use fixture_shop_client::{models::support::FilePart, models::*, Client};
    let credentials = Credentials::default()
        .with_api_key("secret")
        .with_oauth("secret");
    let client = Client::new(base)
        .map_err(|e| e.to_string())?
        .with_credentials(credentials);
    let mut list = ListProductsRequest::new();
    list.tags = vec!["kitchen".into(), "sale".into()];
    let mut form = OrderForm::new("mug", 2);
    form.note = Some("gift wrap".into());
    let upload = UploadImageBody::new(FilePart::new(b"\x89PNG".to_vec()).with_filename("mug.png"));
    Ok(vec![
        show("health", client.health(&HealthRequest::new()).await),
        show("listProducts", client.list_products(&list).await),
        show(
            "placeOrder",
            client.place_order(&PlaceOrderRequest::new(form)).await,
        ),
        show(
            "getImage",
            client.get_image(&GetImageRequest::new("mug".into())).await,
        ),
        show(
            "uploadImage",
            client
                .upload_image(&UploadImageRequest::new("mug".into(), upload))
                .await,
        ),
    ])
}

/// Invalid input the types allow: each case and what came of it.
async fn invalid(api: &str, base: &str) -> Result<Vec<Outcome>, String> {
    Ok(match api {
        "order-state" => {
            use iom_order_state_client::{models::*, Client};
            let client = Client::new(base)
                .map_err(|e| e.to_string())?
                .with_credentials(basic!());
            let mut r = GetOrderStatesBySortCriteriasRequest::new(200);
            r.order_by = Some(GetOrderStatesBySortCriteriasOrderBy::Unrecognized(
                "PRICE".into(),
            ));
            vec![show(
                "orderBy PRICE (not in the enum)",
                client.get_order_states_by_sort_criterias(&r).await,
            )]
        }
        "communication" => {
            use iom_communication_client::{models::*, Client};
            let client = Client::new(base)
                .map_err(|e| e.to_string())?
                .with_credentials(basic!());
            let mut d: Dispatch = decode(&json!({"carrier": {"name": "DHL", "packages": 1},
                "dispatchDate": "2019-05-02T14:00:00+02:00", "messageId": "M-1",
                "positions": [], "shopOrderNumber": "x".repeat(51),
                "supplierName": "S", "supplierShopName": "Shop"}));
            let empty_positions = show(
                "dispatch: no positions, shopOrderNumber of 51 characters",
                client
                    .create_dispatch(&CreateDispatchRequest::new(d.clone()))
                    .await,
            );
            d.positions = vec![decode(
                &json!({"dispatchedQuantity": -1, "product": product()}),
            )];
            d.shop_order_number = "78231".into();
            let negative = show(
                "dispatch: dispatchedQuantity -1 (minimum 1)",
                client.create_dispatch(&CreateDispatchRequest::new(d)).await,
            );
            vec![empty_positions, negative]
        }
        "gdpr" => {
            use iom_gdpr_client::{models::*, Client};
            let client = Client::new(base)
                .map_err(|e| e.to_string())?
                .with_credentials(basic!());
            let r = GetCustomerRequest::new("CUST-0815".into(), String::new());
            vec![show(
                "shopName empty (no minLength in the spec)",
                client.get_customer(&r).await,
            )]
        }
        "rma" => {
            use iom_rma_client::{models::*, Client};
            let client = Client::new(base)
                .map_err(|e| e.to_string())?
                .with_credentials(basic!());
            let write: WriteReturnRequest = decode(&json!({"type": "RETURN", "positions": []}));
            let mut swap = write.clone();
            swap.type_ = WriteReturnRequestType::Unrecognized("SWAP".into());
            let order = || "2019-1001".to_string();
            let shop = || "Demo Shop".to_string();
            vec![
                show(
                    "return request: no positions",
                    client
                        .create_return_request(&CreateReturnRequestRequest::new(
                            order(),
                            shop(),
                            write,
                        ))
                        .await,
                ),
                show(
                    "return request: type SWAP (not in the enum)",
                    client
                        .create_return_request(&CreateReturnRequestRequest::new(
                            order(),
                            shop(),
                            swap,
                        ))
                        .await,
                ),
                show(
                    "returnRequestId -1 (no minimum in the spec)",
                    client
                        .get_return_request(&GetReturnRequestRequest::new(-1, order(), shop()))
                        .await,
                ),
            ]
        }
        "shop" => {
            use fixture_shop_client::{models::*, Client};
            let client = Client::new(base)
                .map_err(|e| e.to_string())?
                .with_credentials(Credentials::default().with_oauth("secret"));
            vec![show(
                "order: quantity 0 (minimum 1)",
                client
                    .place_order(&PlaceOrderRequest::new(OrderForm::new("mug", 0)))
                    .await,
            )]
        }
        other => return Err(format!("unknown API `{other}`")),
    })
}

fn main() -> ExitCode {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let invalid_mode = args.first().is_some_and(|a| a == "--invalid");
    if invalid_mode {
        args.remove(0);
    }
    let [api, base] = args.as_slice() else {
        eprintln!("usage: prism_drive API BASE_URL  (API: order-state, communication, gdpr, rma)");
        return ExitCode::from(2);
    };
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("prism_drive: {e}");
            return ExitCode::FAILURE;
        }
    };
    if invalid_mode {
        return match runtime.block_on(invalid(api, base)) {
            Ok(cases) => {
                for (case, outcome) in cases {
                    match outcome {
                        Ok(variant) => println!("  invalid {api} {case}: sent; answered {variant}"),
                        Err(e) => println!("  invalid {api} {case}: {e}"),
                    }
                }
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("prism_drive: {e}");
                ExitCode::from(2)
            }
        };
    }
    let outcomes = runtime.block_on(async {
        match api.as_str() {
            "order-state" => order_state(base).await,
            "communication" => communication(base).await,
            "gdpr" => gdpr(base).await,
            "rma" => rma(base).await,
            "shop" => shop(base).await,
            other => Err(format!("unknown API `{other}`")),
        }
    });
    let outcomes = match outcomes {
        Ok(o) => o,
        Err(e) => {
            eprintln!("prism_drive: {e}");
            return ExitCode::from(2);
        }
    };
    let mut failed = 0;
    for (op, outcome) in &outcomes {
        match outcome {
            Ok(variant) => println!("  {api} {op}: {variant}"),
            Err(e) => {
                failed += 1;
                println!("  {api} {op}: ERROR {e}");
            }
        }
    }
    println!(
        "{api}: {} operations called, {failed} client errors",
        outcomes.len()
    );
    if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
