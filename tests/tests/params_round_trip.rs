//! Every parameter style and location of tests/fixtures/params.yaml,
//! client ↔ server over loopback (the exact request the implementation
//! received), the wire form the router reads, and the one 400 listing
//! every bad parameter.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use axum::http::StatusCode;
use fixture_params_client::Client;
use fixture_params_server::models::*;
use fixture_params_server::{router, FixtureParamsApi, RequestContext};
use iom_codegen_tests::http::{request, send, serve};

/// Records the requests it receives.
#[derive(Clone, Default)]
struct Recorder {
    searches: Arc<Mutex<Vec<SearchRequest>>>,
    points: Arc<Mutex<Vec<GetPointRequest>>>,
    objects: Arc<Mutex<Vec<GetObjectsRequest>>>,
    /// The URI of each search, as the router saw it.
    uris: Arc<Mutex<Vec<String>>>,
}

impl FixtureParamsApi for Recorder {
    async fn search(&self, r: SearchRequest, context: &mut RequestContext) -> SearchResponse {
        self.searches.lock().expect("not poisoned").push(r);
        let uri = context.uri().to_string();
        self.uris.lock().expect("not poisoned").push(uri);
        SearchResponse::Ok(serde_json::Value::Null)
    }

    async fn get_point(&self, r: GetPointRequest, _: &mut RequestContext) -> GetPointResponse {
        self.points.lock().expect("not poisoned").push(r);
        GetPointResponse::Ok(serde_json::Value::Null)
    }

    async fn get_objects(
        &self,
        r: GetObjectsRequest,
        _: &mut RequestContext,
    ) -> GetObjectsResponse {
        self.objects.lock().expect("not poisoned").push(r);
        GetObjectsResponse::Ok(serde_json::Value::Null)
    }
}

fn color(r: i32, g: Option<i32>) -> Color {
    let mut color = Color::new(r);
    color.g = g;
    color
}

fn filter() -> Filter {
    let mut range = Range::new();
    range.from = Some(1);
    range.to = Some(9);
    let mut filter = Filter::new();
    filter.name = Some("a b&c".into());
    filter.min = Some(-3);
    filter.tags = Some(vec!["x".into(), "y".into()]);
    filter.range = Some(range);
    filter
}

fn full_search() -> SearchRequest {
    let mut r = SearchRequest::new("s-1".into());
    r.filter = Some(filter());
    r.pass = Some(BTreeMap::from([
        ("k".to_string(), "v".to_string()),
        ("x y".to_string(), "1|2".to_string()),
    ]));
    let mut color = Color::new(255);
    color.g = Some(8);
    r.color = Some(color);
    r.pipes = vec!["a".into(), "b c".into()];
    r.spaces = vec![1, 2, 3];
    r.commas = vec!["p".into(), "q".into()];
    r.where_ = Some(filter());
    r.consistency = Some(Consistency::Variant2(ConsistencyVariant2::Majority));
    r.theme = Some("dark".into());
    r.x_tags = vec!["t1".into(), "t2".into()];
    r.url = Some("https://x.example/a/b?c=d&e+f#g".into());
    r.paths = vec!["a/b".into(), "c:d@e".into()];
    r
}

#[tokio::test]
async fn every_query_header_and_cookie_style_round_trips() {
    let api = Recorder::default();
    let client = Client::new(&serve(router(api.clone())).await).expect("a loopback URL");
    let sent = full_search();
    let got = client.search(&sent).await;
    assert!(got.is_ok(), "{got:?}");
    let mut minimal = SearchRequest::new("s-2".into());
    minimal.consistency = Some(Consistency::Integer(2));
    let got = client.search(&minimal).await;
    assert!(got.is_ok(), "{got:?}");
    let seen = api.searches.lock().expect("not poisoned").clone();
    assert_eq!(seen, [sent, minimal]);
    // `allowReserved`: reserved characters unencoded, but those that
    // would change what the query says.
    let uri = api.uris.lock().expect("not poisoned")[0].clone();
    assert!(
        uri.contains("url=https://x.example/a/b?c%3Dd%26e%2Bf%23g&paths=a/b,c:d@e&"),
        "{uri}"
    );
}

#[tokio::test]
async fn label_and_matrix_path_segments_round_trip() {
    let api = Recorder::default();
    let client = Client::new(&serve(router(api.clone())).await).expect("a loopback URL");
    let sent = GetPointRequest::new(42, "m/1".into(), vec!["a".into(), "b".into()], vec![7, 8]);
    let got = client.get_point(&sent).await;
    assert!(got.is_ok(), "{got:?}");
    assert_eq!(*api.points.lock().expect("not poisoned"), [sent]);
}

#[tokio::test]
async fn the_wire_forms_the_router_reads() {
    let api = Recorder::default();
    let uri = "/search?filter[name]=n&filter[range][to]=4&filter[tags]=t\
        &r=1&g=2&pipes=a|b&spaces=1%202&commas=x,y\
        &where=%7B%22min%22%3A5%7D&consistency=all&pass[q]=1";
    let get = request(
        "GET",
        uri,
        &[("cookie", "theme=light; session=abc"), ("x-tags", "h1, h2")],
        "",
    );
    let answer = send(router(api.clone()), get).await;
    assert_eq!(answer.status, StatusCode::OK, "{:?}", answer.body);
    let mut expected = SearchRequest::new("abc".into());
    let mut f = Filter::new();
    f.name = Some("n".into());
    f.tags = Some(vec!["t".into()]);
    let mut range = Range::new();
    range.to = Some(4);
    f.range = Some(range);
    expected.filter = Some(f);
    expected.pass = Some(BTreeMap::from([("q".to_string(), "1".to_string())]));
    let mut color = Color::new(1);
    color.g = Some(2);
    expected.color = Some(color);
    expected.pipes = vec!["a".into(), "b".into()];
    expected.spaces = vec![1, 2];
    expected.commas = vec!["x".into(), "y".into()];
    let mut w = Filter::new();
    w.min = Some(5);
    expected.where_ = Some(w);
    expected.consistency = Some(Consistency::Variant2(ConsistencyVariant2::All));
    expected.theme = Some("light".into());
    expected.x_tags = vec!["h1".into(), "h2".into()];
    assert_eq!(*api.searches.lock().expect("not poisoned"), [expected]);

    let point = request(
        "GET",
        "/points/.5/;matrix=m/.a.b/;matrices=1;matrices=2",
        &[],
        "",
    );
    let answer = send(router(api.clone()), point).await;
    assert_eq!(answer.status, StatusCode::OK, "{:?}", answer.body);
    let expected = GetPointRequest::new(5, "m".into(), vec!["a".into(), "b".into()], vec![1, 2]);
    assert_eq!(*api.points.lock().expect("not poisoned"), [expected]);
}

#[tokio::test]
async fn every_bad_parameter_in_one_answer() {
    let api = Recorder::default();
    let uri = "/search?filter[min]=many&spaces=1%20x&where=%7Bnot&consistency=%5B1%5D";
    let answer = send(router(api.clone()), request("GET", uri, &[], "")).await;
    answer.assert_rejected(
        StatusCode::BAD_REQUEST,
        &[
            "/query/filter: cannot read the object",
            "/query/spaces: cannot read \"x\"",
            "/query/where: \"{not\" is not JSON",
            "/query/consistency: cannot read \"[1]\"",
            "/cookie/session: the required parameter is missing",
        ],
    );
    assert!(api.searches.lock().expect("not poisoned").is_empty());
}

#[tokio::test]
async fn objects_in_one_value_round_trip() {
    let api = Recorder::default();
    let client = Client::new(&serve(router(api.clone())).await).expect("a loopback URL");
    let mut sent = GetObjectsRequest::new(
        color(1, Some(2)),
        color(3, None),
        color(4, Some(5)),
        color(6, Some(7)),
    );
    sent.color = Some(color(8, Some(9)));
    sent.x_color = Some(color(10, None));
    sent.pref = Some(color(11, Some(12)));
    let got = client.get_objects(&sent).await;
    assert!(got.is_ok(), "{got:?}");
    let minimal = GetObjectsRequest::new(
        color(0, None),
        color(0, None),
        color(0, None),
        color(0, None),
    );
    let got = client.get_objects(&minimal).await;
    assert!(got.is_ok(), "{got:?}");
    assert_eq!(*api.objects.lock().expect("not poisoned"), [sent, minimal]);
}

/// OpenAPI's style examples for an object `{"R": 100, "G": 200}`, with
/// this fixture's `r` and `g`.
#[tokio::test]
async fn objects_in_one_value_as_the_spec_writes_them() {
    let api = Recorder::default();
    let uri = "/objects/r,1,g,2/r=3,g=4/.r=5.g=6/;r=7;g=8?color=r%2C9%2Cg%2C10";
    let headers = [("x-color", "g=12,r=11"), ("cookie", "pref=r,13")];
    let answer = send(router(api.clone()), request("GET", uri, &headers, "")).await;
    assert_eq!(answer.status, StatusCode::OK, "{:?}", answer.body);
    let mut expected = GetObjectsRequest::new(
        color(1, Some(2)),
        color(3, Some(4)),
        color(5, Some(6)),
        color(7, Some(8)),
    );
    expected.color = Some(color(9, Some(10)));
    expected.x_color = Some(color(11, Some(12)));
    expected.pref = Some(color(13, None));
    assert_eq!(*api.objects.lock().expect("not poisoned"), [expected]);

    let uri = "/objects/r,1,g/r:3/.r=x/;r=7?color=g,1";
    let answer = send(router(api.clone()), request("GET", uri, &[], "")).await;
    answer.assert_rejected(
        StatusCode::BAD_REQUEST,
        &[
            "/path/simple: \"r,1,g\" has a property without a value",
            "/path/exploded: \"r:3\" is not a property and its value",
            "/path/label: cannot read the object",
            "/query/color: cannot read the object",
        ],
    );
    assert_eq!(api.objects.lock().expect("not poisoned").len(), 1);
}

#[tokio::test]
async fn a_header_that_cannot_be_sent_is_an_invalid_request() {
    let api = Recorder::default();
    let client = Client::new(&serve(router(api.clone())).await).expect("a loopback URL");
    let mut sent = SearchRequest::new("s".into());
    sent.x_tags = vec!["two\nlines".into()];
    let error = client.search(&sent).await.expect_err("not sendable");
    let fixture_params_client::Error::InvalidRequest(violations) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(violations.0.len(), 1, "{violations:?}");
    assert_eq!(violations.0[0].path, "/header/X-Tags");
    assert!(
        violations.0[0].message.starts_with("cannot be sent"),
        "{violations:?}"
    );
    assert!(api.searches.lock().expect("not poisoned").is_empty());
}
