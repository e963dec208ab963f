//! The client's streams over paged operations, on tests/fixtures/paging.yaml:
//! page numbers, cursors and an offset named in the codegen config, each
//! walked to its end against a generated server; and the config's rules
//! checked against the spec.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use fixture_paging_client::{Client, Error};
use fixture_paging_server::models::*;
use fixture_paging_server::{router, FixturePagingApi, RequestContext};
use futures_util::TryStreamExt as _;
use iom_codegen::config::{PagingRule, PagingStyle};
use iom_codegen::{generate_crates, CrateSpec};
use iom_codegen_tests::http::serve;

/// Numbers 1 to 25 and a feed of five entries, paged as the spec says;
/// records the requests it answered.
#[derive(Clone, Default)]
struct Pages {
    requests: Arc<Mutex<Vec<String>>>,
}

impl Pages {
    fn record(&self, request: String) {
        self.requests.lock().expect("not poisoned").push(request);
    }

    fn requests(&self) -> Vec<String> {
        self.requests.lock().expect("not poisoned").clone()
    }
}

fn numbers(from: i64, count: i64) -> Vec<Number> {
    (from..(from + count).min(26)).map(Number::new).collect()
}

const FEED: [&str; 5] = ["a", "b", "c", "d", "e"];

impl FixturePagingApi for Pages {
    async fn list_numbers(
        &self,
        r: ListNumbersRequest,
        _: &mut RequestContext,
    ) -> ListNumbersResponse {
        self.record(format!("page {:?} of {}", r.page, r.per_page));
        let page = i64::from(r.page.unwrap_or(1));
        let size = i64::from(r.per_page);
        ListNumbersResponse::Ok(numbers(1 + (page - 1) * size, size))
    }

    async fn list_feed(&self, r: ListFeedRequest, _: &mut RequestContext) -> ListFeedResponse {
        self.record(format!("cursor {:?}", r.cursor));
        let start: usize = r.cursor.as_deref().map_or(0, |c| c.parse().unwrap_or(0));
        let end = (start + 2).min(FEED.len());
        let mut feed = Feed::new(FEED[start..end].iter().map(|s| s.to_string()).collect());
        // The last page says so with `null`.
        feed.next_cursor = Some((end < FEED.len()).then(|| end.to_string()));
        ListFeedResponse::Ok {
            body: feed,
            x_total: Some(FEED.len() as i64),
        }
    }

    async fn list_skipped(
        &self,
        r: ListSkippedRequest,
        _: &mut RequestContext,
    ) -> ListSkippedResponse {
        self.record(format!("skip {}", r.skip));
        if r.skip < 0 {
            return ListSkippedResponse::BadRequest;
        }
        let mut page = Numbers::new();
        page.values = Some(numbers(1 + r.skip, i64::from(r.top.unwrap_or(4))));
        ListSkippedResponse::Ok(page)
    }

    async fn list_unpaged(
        &self,
        _: ListUnpagedRequest,
        _: &mut RequestContext,
    ) -> ListUnpagedResponse {
        ListUnpagedResponse::Ok(Vec::new())
    }
}

async fn client() -> (Client, Pages) {
    let pages = Pages::default();
    let url = serve(router(pages.clone())).await;
    (Client::new(&url).expect("a client"), pages)
}

fn values(numbers: Vec<Number>) -> Vec<i64> {
    numbers.into_iter().map(|n| n.value).collect()
}

#[tokio::test]
async fn page_numbers_advance_by_one_until_an_empty_page() {
    let (client, pages) = client().await;
    let all = client.list_numbers_stream(&ListNumbersRequest::new());
    let all: Vec<Number> = all.try_collect().await.expect("every page");
    assert_eq!(values(all), (1..=25).collect::<Vec<_>>());
    assert_eq!(
        pages.requests(),
        [
            "page None of 10",
            "page Some(2) of 10",
            "page Some(3) of 10",
            "page Some(4) of 10"
        ]
    );
}

#[tokio::test]
async fn cursors_come_from_the_body_until_it_names_none() {
    let (client, pages) = client().await;
    let all = client.list_feed_stream(&ListFeedRequest::new());
    let all: Vec<String> = all.try_collect().await.expect("every page");
    assert_eq!(all, FEED);
    assert_eq!(
        pages.requests(),
        ["cursor None", "cursor Some(\"2\")", "cursor Some(\"4\")"]
    );
}

#[tokio::test]
async fn an_offset_named_in_the_config_advances_by_the_items_received() {
    let (client, pages) = client().await;
    let mut request = ListSkippedRequest::new(10);
    request.top = Some(7);
    let rest: Vec<Number> = client
        .list_skipped_stream(&request)
        .try_collect()
        .await
        .expect("every page");
    assert_eq!(values(rest), (11..=25).collect::<Vec<_>>());
    assert_eq!(
        pages.requests(),
        ["skip 10", "skip 17", "skip 24", "skip 25"]
    );

    // A declared status other than the page's ends the stream with it.
    let error = client
        .list_skipped_stream(&ListSkippedRequest::new(-1))
        .try_collect::<Vec<_>>()
        .await
        .expect_err("400");
    assert!(
        matches!(error, Error::Unsuccessful { status: 400, .. }),
        "{error:?}"
    );
}

/// `list_unpaged` has `offset` and `limit`, and the config turns its stream
/// off; without the rule it is detected.
#[test]
fn the_config_turns_a_detected_stream_off() {
    let client = fixture_source(&[]);
    assert!(
        client.contains("pub fn list_unpaged_stream("),
        "detected without the rule"
    );
    let config = fixture_source(&[("listUnpaged", rule(PagingStyle::None, None))]);
    assert!(!config.contains("list_unpaged_stream"));
    assert!(config.contains("pub fn list_numbers_stream("));
}

#[test]
fn rules_that_do_not_fit_are_errors_at_their_place_in_the_config() {
    let cases = [
        (
            "listNumber",
            rule(PagingStyle::Offset, None),
            "#/specs/3/pagination/listNumber: the spec has no operation `listNumber`",
        ),
        (
            "listSkipped",
            rule(PagingStyle::Cursor, None),
            "#/specs/3/pagination/listSkipped: no query parameter is a string cursor",
        ),
        (
            "listFeed",
            rule(PagingStyle::Offset, Some("cursor")),
            "#/specs/3/pagination/listFeed: the query parameter `cursor` is not an integer offset",
        ),
    ];
    for (id, rule, expected) in cases {
        let errors = match generate(&[(id, rule)]) {
            Ok(_) => panic!("{id}: the rule does not fit"),
            Err(errors) => errors,
        };
        assert!(
            errors.contains(&format!("codegen.yaml: {expected}")),
            "{id}: {errors}"
        );
    }
}

fn rule(style: PagingStyle, param: Option<&str>) -> PagingRule {
    PagingRule {
        style,
        param: param.map(String::from),
        items: None,
        next: None,
    }
}

fn generate(rules: &[(&str, PagingRule)]) -> Result<String, String> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let spec = CrateSpec {
        spec_path: root.join("fixtures/paging.yaml"),
        display_path: "paging.yaml".into(),
        prefix: "fixture-paging".into(),
        crate_version: None,
        pagination: rules
            .iter()
            .map(|(id, rule)| (id.to_string(), rule.clone()))
            .collect(),
        config_entry: Some((PathBuf::from("codegen.yaml"), "#/specs/3".into())),
        url_map: Default::default(),
        strict: false,
        mock: false,
    };
    match generate_crates(&spec) {
        Ok(generated) => Ok(generated
            .files
            .iter()
            .filter(|f| f.path.ends_with("fixture-paging-client/src/lib.rs"))
            .map(|f| f.contents.clone())
            .collect()),
        Err(diagnostics) => Err(diagnostics.to_string()),
    }
}

fn fixture_source(rules: &[(&str, PagingRule)]) -> String {
    generate(rules).unwrap_or_else(|e| panic!("generates: {e}"))
}
