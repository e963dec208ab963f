//! The crates of an OpenAPI 3.1 spec (tests/fixtures/openapi31.yaml) at
//! work: the client and the API's router agree on the 3.1 constructs, and
//! a subscriber serves the spec's webhooks with the generated webhooks
//! trait and router.

use std::sync::{Arc, Mutex};

use fixture_openapi31_client::Client;
use fixture_openapi31_server::models::*;
use fixture_openapi31_server::webhooks::{self, FixtureOpenapi31Webhooks};
use fixture_openapi31_server::{router, FixtureOpenapi31Api, RequestContext};
use iom_codegen_tests::http::{request, send, serve};
use serde_json::json;

fn ticket() -> Ticket {
    let mut ticket = Ticket::new(7, "Printer on fire", TicketKind::Ticket);
    ticket.note = Some(None);
    ticket.assignee = Some(Some(Person::new("Ada")));
    ticket.ticket_number = Some(TicketTicketNumber::Integer(42));
    ticket.status = Some(TicketStatus::Open);
    ticket
}

struct Desk;

impl FixtureOpenapi31Api for Desk {
    async fn get_ticket(
        &self,
        request: GetTicketRequest,
        _: &mut RequestContext,
    ) -> GetTicketResponse {
        let mut found = ticket();
        found.id = request.id;
        GetTicketResponse::Ok(found)
    }
}

#[tokio::test]
async fn the_3_1_constructs_round_trip_through_client_and_router() {
    let base = serve(router(Desk)).await;
    let client = Client::new(&base).expect("a client");
    let request = GetTicketRequest::new(12);
    let GetTicketResponse::Ok(got) = client.get_ticket(&request).await.expect("answered");
    let mut expected = ticket();
    expected.id = 12;
    assert_eq!(got, expected);
    // `type: [string, "null"]` sent as null; `priority` takes its default.
    let wire = serde_json::to_value(&got).expect("serialisable");
    assert_eq!(wire["note"], json!(null));
    assert_eq!(wire["priority"], json!("normal"));
    assert_eq!(wire["ticketNumber"], json!(42));
}

#[tokio::test]
async fn the_exclusive_minimum_of_3_1_is_enforced() {
    // `exclusiveMinimum: 0` on the path parameter: 0 is out, 1 is in.
    let refused = send(router(Desk), request("GET", "/tickets/0", &[], "")).await;
    assert_eq!(refused.status, 400, "{:?}", refused.body);
    let accepted = send(router(Desk), request("GET", "/tickets/1", &[], "")).await;
    assert_eq!(accepted.status, 200, "{:?}", accepted.body);
}

#[derive(Clone, Default)]
struct Subscriber {
    received: Arc<Mutex<Vec<Ticket>>>,
}

impl FixtureOpenapi31Webhooks for Subscriber {
    async fn ticket_closed(
        &self,
        request: TicketClosedRequest,
        _: &mut RequestContext,
    ) -> TicketClosedResponse {
        self.received
            .lock()
            .expect("not poisoned")
            .extend(request.body);
        TicketClosedResponse::NoContent
    }
}

#[tokio::test]
async fn a_subscriber_serves_the_webhooks() {
    let subscriber = Subscriber::default();
    let body = serde_json::to_string(&ticket()).expect("serialisable");
    let answer = send(
        webhooks::router(subscriber.clone()),
        request(
            "POST",
            "/ticketClosed",
            &[("content-type", "application/json")],
            &body,
        ),
    )
    .await;
    assert_eq!(answer.status, 204, "{:?}", answer.body);
    assert_eq!(
        *subscriber.received.lock().expect("not poisoned"),
        vec![ticket()]
    );

    // The router validates a webhook's body as any request's.
    let invalid = json!({"id": 0, "title": "t", "kind": "ticket"}).to_string();
    let answer = send(
        webhooks::router(subscriber.clone()),
        request(
            "POST",
            "/ticketClosed",
            &[("content-type", "application/json")],
            &invalid,
        ),
    )
    .await;
    assert_eq!(answer.status, 400, "{:?}", answer.body);
    // The webhook is not an operation of the API's router.
    let answer = send(router(Desk), request("POST", "/ticketClosed", &[], &body)).await;
    assert_eq!(answer.status, 404);
}

#[test]
fn recursive_and_dynamic_self_references_are_recursive_types() {
    let wire =
        json!({"name": "a", "subcategories": [{"name": "b", "subcategories": [{"name": "c"}]}]});
    let category: Category = serde_json::from_value(wire.clone()).expect("decodes");
    let child = &category.subcategories.as_deref().expect("present")[0];
    let grandchild = &child.subcategories.as_deref().expect("present")[0];
    assert_eq!(grandchild.name, "c");
    assert_eq!(serde_json::to_value(&category).expect("encodes"), wire);
    let filter: Filter = serde_json::from_value(json!(["x", ["y"]])).expect("decodes");
    assert_eq!(
        serde_json::to_value(&filter).expect("encodes"),
        json!(["x", ["y"]])
    );
}
