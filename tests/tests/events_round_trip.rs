//! Streams of server-sent events (tests/fixtures/events.yaml), client ↔
//! server over loopback: every field of an event, text and JSON data,
//! events that arrive while the stream is still open, the wire form the
//! router writes, and how either side ends a stream that goes wrong.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::http::StatusCode;
use fixture_events_client::{Client, Error};
use fixture_events_server::models::events::{Event, EventError, EventStream};
use fixture_events_server::models::*;
use fixture_events_server::{router, FixtureEventsApi, RequestContext};
use futures_util::StreamExt as _;
use iom_codegen_tests::http::{canned, request, send, serve};
use tokio::sync::mpsc;

/// Answers `ticks` with the stream put in `next`, or 404 when there is
/// none, and `tailLog` with `lines`.
#[derive(Clone, Default)]
struct Clock {
    next: Arc<Mutex<Option<EventStream<Tick>>>>,
    lines: Vec<String>,
}

impl Clock {
    fn answering(events: EventStream<Tick>) -> Self {
        let clock = Clock::default();
        *clock.next.lock().expect("not poisoned") = Some(events);
        clock
    }
}

impl FixtureEventsApi for Clock {
    async fn ticks(&self, _: TicksRequest, _: &mut RequestContext) -> TicksResponse {
        match self.next.lock().expect("not poisoned").take() {
            Some(body) => TicksResponse::Ok {
                body,
                x_stream_id: Some("s-1".into()),
            },
            None => TicksResponse::NotFound(Problem::new()),
        }
    }

    async fn tail_log(&self, _: TailLogRequest, _: &mut RequestContext) -> TailLogResponse {
        let events = self.lines.iter().cloned().map(Event::new);
        TailLogResponse::Ok(EventStream::from_events(events.collect::<Vec<_>>()))
    }
}

fn tick(n: i32, label: Option<&str>) -> Tick {
    let mut tick = Tick::new(n);
    tick.label = label.map(String::from);
    tick
}

async fn collect<T>(stream: EventStream<T>) -> Vec<Result<Event<T>, EventError>> {
    stream.collect().await
}

#[tokio::test]
async fn every_field_of_json_events_round_trips() {
    let sent = vec![
        Event::new(tick(1, None)),
        Event::new(tick(2, Some("two")))
            .with_event("tick")
            .with_id("2")
            .with_retry(Duration::from_millis(1500)),
    ];
    let clock = Clock::answering(EventStream::from_events(sent.clone()));
    let client = Client::new(&serve(router(clock)).await).expect("a loopback URL");
    let answer = client
        .ticks_with_response(&TicksRequest::new(2))
        .await
        .expect("a stream");
    assert_eq!(
        answer.headers()["content-type"],
        "text/event-stream",
        "{:?}",
        answer.headers()
    );
    let TicksResponse::Ok { body, x_stream_id } = answer.into_inner() else {
        panic!("not the stream")
    };
    assert_eq!(x_stream_id.as_deref(), Some("s-1"));
    let got: Vec<Event<Tick>> = collect(body)
        .await
        .into_iter()
        .map(|e| e.expect("an event"))
        .collect();
    assert_eq!(got, sent);
}

#[tokio::test]
async fn text_events_keep_their_lines() {
    let clock = Clock {
        lines: vec![
            "one".into(),
            "two\nlines".into(),
            "{\"not\": \"json\"}".into(),
        ],
        ..Clock::default()
    };
    let client = Client::new(&serve(router(clock.clone())).await).expect("a loopback URL");
    let TailLogResponse::Ok(body) = client
        .tail_log(&TailLogRequest::new())
        .await
        .expect("a stream");
    let got: Vec<String> = collect(body)
        .await
        .into_iter()
        .map(|e| e.expect("an event").data)
        .collect();
    assert_eq!(got, clock.lines);
}

/// The client yields each event when it arrives, not when the stream ends.
#[tokio::test]
async fn events_arrive_while_the_stream_is_open() {
    let (sender, receiver) = mpsc::unbounded_channel::<Event<Tick>>();
    let events = futures_util::stream::unfold(receiver, |mut receiver| async move {
        receiver.recv().await.map(|event| (Ok(event), receiver))
    });
    let clock = Clock::answering(EventStream::new(events));
    let client = Client::new(&serve(router(clock)).await).expect("a loopback URL");
    sender
        .send(Event::new(tick(1, None)))
        .expect("the stream is open");
    // A client that read the whole body first would wait here for ever.
    let answer =
        tokio::time::timeout(Duration::from_secs(10), client.ticks(&TicksRequest::new(2))).await;
    let TicksResponse::Ok { mut body, .. } = answer.expect("in time").expect("a stream") else {
        panic!("not the stream")
    };
    let first = tokio::time::timeout(Duration::from_secs(10), body.next()).await;
    assert_eq!(
        first
            .expect("in time")
            .expect("an event")
            .expect("no error")
            .data,
        tick(1, None)
    );
    sender
        .send(Event::new(tick(2, None)))
        .expect("the stream is open");
    drop(sender);
    let rest: Vec<i32> = collect(body)
        .await
        .into_iter()
        .map(|e| e.expect("an event").data.n)
        .collect();
    assert_eq!(rest, [2]);
}

#[tokio::test]
async fn the_router_writes_the_event_stream_format() {
    let sent = vec![
        Event::new(tick(1, None)).with_id("a"),
        Event::new(tick(2, None))
            .with_event("tock")
            .with_retry(Duration::from_secs(2)),
    ];
    let app = router(Clock::answering(EventStream::from_events(sent)));
    let answer = send(
        app,
        request(
            "GET",
            "/ticks?count=2",
            &[("accept", "text/event-stream")],
            "",
        ),
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(answer.headers["content-type"], "text/event-stream");
    assert_eq!(answer.headers["x-stream-id"], "s-1");
    assert_eq!(
        answer.body,
        "data: {\"n\":1}\nid: a\n\ndata: {\"n\":2}\nevent: tock\nretry: 2000\n\n"
    );
}

/// An error in the implementation's stream, or an event that cannot be
/// written, ends the response after the events before it.
#[tokio::test]
async fn the_router_ends_a_stream_at_its_first_error() {
    let items = vec![
        Ok(Event::new(tick(1, None))),
        Err(EventError::new("the clock stopped")),
        Ok(Event::new(tick(3, None))),
    ];
    let app = router(Clock::answering(EventStream::new(
        futures_util::stream::iter(items),
    )));
    let answer = send(app, request("GET", "/ticks?count=3", &[], "")).await;
    assert_eq!(answer.body, "data: {\"n\":1}\n\n");

    let items = vec![
        Event::new(tick(1, None)),
        Event::new(tick(2, None)).with_id("two\nlines"),
    ];
    let app = router(Clock::answering(EventStream::from_events(items)));
    let answer = send(app, request("GET", "/ticks?count=2", &[], "")).await;
    assert_eq!(answer.body, "data: {\"n\":1}\n\n");
}

#[tokio::test]
async fn the_client_reports_what_it_cannot_read() {
    // A declared JSON answer of the same operation is read whole.
    let client = Client::new(&serve(router(Clock::default())).await).expect("a loopback URL");
    let answer = client
        .ticks(&TicksRequest::new(1))
        .await
        .expect("an answer");
    assert!(matches!(answer, TicksResponse::NotFound(_)), "{answer:?}");

    // An event whose data is not a Tick is an error of the stream; the
    // events before it are yielded.
    let base = canned(
        b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\nconnection: close\r\n\r\n\
          data: {\"n\":1}\n\ndata: {\"n\":\"one\"}\n\n",
    )
    .await;
    let client = Client::new(&base).expect("a loopback URL");
    let TicksResponse::Ok { body, .. } =
        client.ticks(&TicksRequest::new(1)).await.expect("a stream")
    else {
        panic!("not the stream")
    };
    let got = collect(body).await;
    assert_eq!(got.len(), 2, "{got:?}");
    assert_eq!(got[0].as_ref().expect("an event").data, tick(1, None));
    let error = got[1].as_ref().expect_err("a bad event").to_string();
    assert!(
        error.starts_with("an event's data does not decode"),
        "{error}"
    );

    // A stream where the operation declares JSON is not decoded as JSON.
    let base = canned(
        b"HTTP/1.1 404 Not Found\r\ncontent-type: text/event-stream\r\nconnection: close\r\n\r\ndata: x\n\n",
    )
    .await;
    let client = Client::new(&base).expect("a loopback URL");
    let error = client
        .ticks(&TicksRequest::new(1))
        .await
        .expect_err("not JSON");
    assert!(
        matches!(error, Error::UnexpectedContentType { status: 404, .. }),
        "{error:?}"
    );
}
