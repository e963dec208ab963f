//! Models: decode and encode throughput of the generated types against the
//! hand-written baseline, on the same JSON.

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};

use crate::baseline;
use crate::stats::{ratio, Sample, TARGET};
use crate::table::Report;

/// An Order State report of `n` orders: person and company customers,
/// postal and immaterial addresses, person and company receivers, three
/// positions and a payment history each.
pub fn order_report(n: usize) -> Value {
    let orders: Vec<Value> = (0..n)
        .map(|i| {
            let customer = if i % 2 == 0 {
                json!({"type": "PERSON", "contact": {"email": format!("c{i}@example.com")},
                       "firstName": "Max", "lastName": format!("Meyer {i}")})
            } else {
                json!({"type": "COMPANY", "companyName": format!("Company {i} AG"), "department": "Purchasing"})
            };
            let receiver = if i % 3 == 0 {
                json!({"companyName": "Intershop Communications AG"})
            } else {
                json!({"person": {"firstName": "Anna", "lastName": "Müller"}})
            };
            let positions: Vec<Value> = (1..=3)
                .map(|p| json!({"number": p.to_string(), "state": "STATE_DISPATCHED", "shipToAddressId": 10496,
                    "product": {"name": format!("Product {p}"), "productNumber": format!("100-{i:04}-{p}"), "ean": "4006381333931"}}))
                .collect();
            let history: Vec<Value> = (0..2)
                .map(|h| json!({"currency": "EUR", "type": "CAPTURE", "action": "SUCCESS", "paymentMethod": "CREDITCARD",
                    "creationDate": "2019-09-14T16:22:32.123+02:00", "modificationDate": "2019-09-14T16:25:00+02:00",
                    "amount": 19.99 + h as f64}))
                .collect();
            json!({
                "state": "STATE_DISPATCHED",
                "invoiceAddressId": 10496,
                "shop": {"name": "Demo-Shop", "orderCreationDate": "2019-09-14T16:22:32.123+02:00",
                         "orderNumber": format!("2019-{i:06}"), "customerNumber": format!("CUST-{i}"),
                         "invoiceNumbers": ["2716000126"]},
                "customer": customer,
                "positions": positions,
                "payment": {
                    "paymentStatus": {"invoicingDebitAmount": 59.97, "invoicingCreditAmount": 0.0,
                        "chargedDebitAmount": 59.97, "chargedCreditAmount": 0.0, "chargedOpenAmount": 0.0,
                        "bookedDebitAmount": 59.97, "bookedCreditAmount": 0.0, "bookedOpenAmount": 0.0,
                        "creationDate": "2019-09-14T16:22:32.123+02:00", "lastCalculationDate": "2019-09-15T08:00:00+02:00",
                        "currency": "EUR"},
                    "paymentHistory": history,
                },
                "addresses": [
                    {"id": 10496, "type": "POSTAL", "location": {"city": "Jena", "postCode": "07740", "country": "DEU",
                     "additions": ["3rd floor"]}, "receiver": receiver},
                    {"id": 10497, "type": "EMAIL", "kind": "EMAIL", "value": format!("c{i}@example.com")},
                ],
            })
        })
        .collect();
    json!({"data": orders, "meta": {"totalCount": n.to_string()}})
}

/// `n` RMA return requests as read.
pub fn return_requests(n: usize) -> Value {
    Value::Array(
        (0..n)
            .map(|i| json!({"links": [{"href": format!("/return-requests/{i}"), "rel": "self"}],
                "type": if i % 2 == 0 { "RETURN" } else { "PICKUP" }, "rmaNumber": format!("RMA-{i}"),
                "comment": "The battery is draining quickly", "id": i, "creationDate": "2018-02-27T09:15:37.562+02:00",
                "shopOrderNumber": format!("2018-{i}"), "shopName": "Test Shop", "status": "ACCEPTED",
                "businessStatus": "IN_APPROVAL"}))
            .collect(),
    )
}

/// Decode and encode medians of `T` on `bytes`, after checking that `T`
/// reads and writes them faithfully.
fn measure<T: Serialize + DeserializeOwned>(
    bytes: &[u8],
    runs: usize,
) -> Result<(Sample, Sample), String> {
    let value: T = serde_json::from_slice(bytes).map_err(|e| e.to_string())?;
    let again: Value =
        serde_json::from_slice(&serde_json::to_vec(&value).map_err(|e| e.to_string())?)
            .map_err(|e| e.to_string())?;
    let original: Value = serde_json::from_slice(bytes).map_err(|e| e.to_string())?;
    if again != original {
        return Err(format!(
            "{} does not round-trip the benchmark data",
            std::any::type_name::<T>()
        ));
    }
    let decode = Sample::of(runs, || {
        let v: T = serde_json::from_slice(bytes).expect("checked above");
        std::hint::black_box(v);
    });
    let encode = Sample::of(runs, || {
        std::hint::black_box(serde_json::to_vec(&value).expect("checked above"));
    });
    Ok((decode, encode))
}

fn rate(bytes: usize, objects: usize, s: &Sample) -> String {
    let secs = s.median().as_secs_f64();
    format!(
        "{:.0} MB/s, {:.0} k objects/s ({})",
        bytes as f64 / secs / 1e6,
        objects as f64 / secs / 1e3,
        s.show()
    )
}

pub fn run(report: &mut Report, runs: usize) -> Result<(), String> {
    let runs = runs * 4;
    let orders = serde_json::to_vec(&order_report(1000)).map_err(|e| e.to_string())?;
    let requests = serde_json::to_vec(&return_requests(1000)).map_err(|e| e.to_string())?;
    let (gd, ge) = measure::<iom_order_state_models::OrderStateReport>(&orders, runs)?;
    let (bd, be) = measure::<baseline::Report>(&orders, runs)?;
    let (rgd, rge) = measure::<Vec<iom_rma_models::ReadReturnRequest>>(&requests, runs)?;
    let (rbd, rbe) = measure::<Vec<baseline::ReturnRequest>>(&requests, runs)?;
    report.heading(
        "Models",
        &format!(
            "`serde_json::from_slice` / `to_vec` of the generated types against hand-written serde types of the same shape \
             (`benches/iom/baseline.rs`), {runs} runs. Order State: a report of 1,000 orders ({:.1} MB) with person and \
             company customers (discriminated oneOf), postal and immaterial addresses and person/company receivers \
             (oneOf without discriminator), positions and payment history. RMA: 1,000 return requests ({:.1} MB). \
             Ratio: generated time / baseline time (target ≤ 1.10).",
            orders.len() as f64 / 1e6,
            requests.len() as f64 / 1e6
        ),
    );
    let m = |s: &Sample| s.median().as_secs_f64();
    report.table(
        &["data", "operation", "generated", "baseline", "ratio"],
        &[
            vec![
                "Order State report".into(),
                "decode".into(),
                rate(orders.len(), 1000, &gd),
                rate(orders.len(), 1000, &bd),
                ratio(m(&gd), m(&bd)),
            ],
            vec![
                "Order State report".into(),
                "encode".into(),
                rate(orders.len(), 1000, &ge),
                rate(orders.len(), 1000, &be),
                ratio(m(&ge), m(&be)),
            ],
            vec![
                "RMA return requests".into(),
                "decode".into(),
                rate(requests.len(), 1000, &rgd),
                rate(requests.len(), 1000, &rbd),
                ratio(m(&rgd), m(&rbd)),
            ],
            vec![
                "RMA return requests".into(),
                "encode".into(),
                rate(requests.len(), 1000, &rge),
                rate(requests.len(), 1000, &rbe),
                ratio(m(&rge), m(&rbe)),
            ],
        ],
    );
    let union_decode = m(&gd) / m(&bd);
    if union_decode > TARGET {
        report.line("");
        report.line(&format!(
            "**Order State decode misses the target ({union_decode:.2}×) because of the `oneOf` unions.** Each union \
             value (a customer, addresses and receivers in every order) is first read into a `serde_json::Value` \
             and then decoded from that tree into the variant it names. The tree owns a `String` per key and per \
             string value, and in this workspace its objects are insertion-ordered `IndexMap`s (the generator \
             enables serde_json's `preserve_order`; a downstream build without it gets `BTreeMap`s). The baseline's \
             `#[serde(tag)]` and `#[serde(untagged)]` enums buffer too, but into serde's private `Content`, which \
             borrows strings from the input. The generated decoder keeps its own buffer because it chooses the \
             variant by discriminator value or by required properties and names the JSON path of an error inside \
             the variant, where serde's untagged enums say only that no variant matched. RMA has no unions and \
             stays within the target ({:.2}×); closing the gap needs a borrowed buffer of the generator's own.",
            m(&rgd) / m(&rbd)
        ));
    }
    Ok(())
}
