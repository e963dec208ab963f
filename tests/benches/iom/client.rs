//! Client: calls per second of the generated client against a hand-written
//! reqwest client doing the same work, both against a canned server in a
//! process of its own (so that it costs the client's core nothing, and
//! callgrind counts the client alone).

use std::io::{BufRead as _, Write as _};
use std::sync::Arc;
use std::time::{Duration, Instant};

use iom_codegen_tests::memory::order_state::OrderStates;
use iom_codegen_tests::memory::{PASSWORD, USER};
use iom_order_state_client::models as os;
use iom_rma_client::models as rma;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};

use crate::stats::{duration, TARGET};
use crate::table::Report;

const STATES_MEDIA: &str = "application/vnd.intershop.order-state.v1+json";
const RETURN_REQUEST: &str = "application/vnd.intershop.return-request.v1+json";
/// What a path segment keeps of its text unencoded.
const SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// The canned answers: the generated server's own answer to the
/// benchmark's `GET /states`, and a `201 Created` for the POST.
async fn canned_answers() -> Result<(Vec<u8>, Vec<u8>), String> {
    use http_body_util::BodyExt as _;
    use tower::ServiceExt as _;
    let states = OrderStates::seeded().map_err(|e| e.to_string())?;
    let request = axum::http::Request::builder()
        .uri(format!("/states?{}", crate::server::QUERY))
        .header("authorization", "Basic YWRtaW46YWRtaW4=")
        .header("accept", STATES_MEDIA)
        .body(axum::body::Body::empty())
        .map_err(|e| e.to_string())?;
    let response = iom_order_state_server::router(states)
        .oneshot(request)
        .await
        .map_err(|e| e.to_string())?;
    let body = response
        .into_body()
        .collect()
        .await
        .map_err(|e| e.to_string())?
        .to_bytes();
    let mut get = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: {STATES_MEDIA}\r\ncontent-length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    get.extend_from_slice(&body);
    let post = b"HTTP/1.1 201 Created\r\nlocation: /return-requests/2\r\ncontent-length: 0\r\n\r\n"
        .to_vec();
    Ok((get, post))
}

/// The canned server (`BENCH_CANNED`): prints its address, then answers
/// every GET and every POST on keep-alive connections until killed.
pub fn canned_server() -> Result<(), String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    runtime.block_on(async {
        let (get, post) = canned_answers().await?;
        let (get, post) = (Arc::new(get), Arc::new(post));
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0))
            .await
            .map_err(|e| e.to_string())?;
        let address = listener.local_addr().map_err(|e| e.to_string())?;
        println!("{address}");
        std::io::stdout().flush().map_err(|e| e.to_string())?;
        loop {
            let (stream, _) = listener.accept().await.map_err(|e| e.to_string())?;
            let (get, post) = (get.clone(), post.clone());
            tokio::spawn(async move {
                let _ = stream.set_nodelay(true);
                let (read, mut write) = stream.into_split();
                let mut reader = BufReader::new(read);
                while let Ok(Some(method)) = read_request(&mut reader).await {
                    let answer = if method == "POST" { &post } else { &get };
                    if write.write_all(answer).await.is_err() {
                        break;
                    }
                }
            });
        }
    })
}

/// Reads one request; its method, `None` at the end of the connection.
async fn read_request(
    reader: &mut BufReader<tokio::net::tcp::OwnedReadHalf>,
) -> std::io::Result<Option<String>> {
    let mut line = String::new();
    if reader.read_line(&mut line).await? == 0 {
        return Ok(None);
    }
    let method = line.split(' ').next().unwrap_or_default().to_string();
    let mut length = 0usize;
    loop {
        line.clear();
        reader.read_line(&mut line).await?;
        if line == "\r\n" || line.is_empty() {
            break;
        }
        if let Some((k, v)) = line.split_once(':') {
            if k.eq_ignore_ascii_case("content-length") {
                length = v.trim().parse().unwrap_or(0);
            }
        }
    }
    let mut body = vec![0u8; length];
    reader.read_exact(&mut body).await?;
    Ok(Some(method))
}

/// The canned server, running until dropped.
struct Canned {
    child: std::process::Child,
    base: String,
}

impl Canned {
    fn start() -> Result<Self, String> {
        let exe = std::env::current_exe().map_err(|e| e.to_string())?;
        let mut child = std::process::Command::new(exe)
            .env("BENCH_CANNED", "1")
            .stdout(std::process::Stdio::piped())
            .spawn()
            .map_err(|e| e.to_string())?;
        let mut line = String::new();
        let stdout = child
            .stdout
            .take()
            .ok_or("no stdout of the canned server")?;
        std::io::BufReader::new(stdout)
            .read_line(&mut line)
            .map_err(|e| e.to_string())?;
        let base = format!("http://{}", line.trim());
        Ok(Canned { child, base })
    }
}

impl Drop for Canned {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The benchmark's search: every parameter of `GET /states` set, as in the
/// server benchmark's query.
#[allow(deprecated)] // the spec deprecates the operation; it is still served
fn search() -> os::GetOrderStatesBySortCriteriasRequest {
    let mut r = os::GetOrderStatesBySortCriteriasRequest::new(200);
    r.order_number = vec![
        "2019-17891".into(),
        "2019-21432".into(),
        "78231/2018".into(),
    ];
    r.customer_number = vec!["CUST-930293".into()];
    r.order_state = vec!["STATE_DISPATCHED".into(), "STATE_COMMISSIONED".into()];
    r.order_creation_date_gte = os::chrono::NaiveDate::from_ymd_opt(2018, 1, 1);
    r.order_creation_date_lte = os::chrono::NaiveDate::from_ymd_opt(2020, 12, 31);
    r.order_by = Some(os::GetOrderStatesBySortCriteriasOrderBy::CreationDate);
    r.sort_direction = os::GetOrderStatesBySortCriteriasSortDirection::Desc;
    r.offset = 0;
    r.limit = 50;
    r
}

fn return_request() -> Result<rma::CreateReturnRequestRequest, String> {
    let body: rma::WriteReturnRequest =
        serde_json::from_str(crate::server::BODY).map_err(|e| e.to_string())?;
    Ok(rma::CreateReturnRequestRequest::new(
        "78231/2018".into(),
        "Demo Shop".into(),
        body,
    ))
}

/// The hand-written `GET /states`: validate, write the query and the
/// credentials, check the status and Content-Type, decode.
async fn hand_get(
    http: &reqwest::Client,
    base: &str,
    r: &os::GetOrderStatesBySortCriteriasRequest,
) -> Result<os::OrderStateReport, String> {
    os::Validate::validate(r).map_err(|e| e.to_string())?;
    let mut url = reqwest::Url::parse(&format!("{base}/states")).map_err(|e| e.to_string())?;
    {
        let mut q = url.query_pairs_mut();
        q.append_pair("shopId", &r.shop_id.to_string());
        for (key, values) in [
            ("orderNumber", &r.order_number),
            ("customerNumber", &r.customer_number),
            ("productNumber", &r.product_number),
            ("orderState", &r.order_state),
        ] {
            for v in values {
                q.append_pair(key, v);
            }
        }
        if let Some(d) = r.order_creation_date_gte {
            q.append_pair("orderCreationDate[gte]", &d.to_string());
        }
        if let Some(d) = r.order_creation_date_lte {
            q.append_pair("orderCreationDate[lte]", &d.to_string());
        }
        if let Some(o) = &r.order_by {
            q.append_pair("orderBy", &o.to_string());
        }
        q.append_pair("sortDirection", &r.sort_direction.to_string());
        q.append_pair("offset", &r.offset.to_string());
        q.append_pair("limit", &r.limit.to_string());
    }
    let response = http
        .get(url)
        .basic_auth(USER, Some(PASSWORD))
        .header(reqwest::header::ACCEPT, STATES_MEDIA)
        .send()
        .await
        .map_err(|e| e.to_string())?;
    if response.status() != 200 {
        return Err(format!("status {}", response.status()));
    }
    let media = response
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok());
    if media != Some(STATES_MEDIA) {
        return Err(format!("content type {media:?}"));
    }
    let bytes = response.bytes().await.map_err(|e| e.to_string())?;
    serde_json::from_slice(&bytes).map_err(|e| e.to_string())
}

/// The hand-written POST: validate, write the path and the body, check the status, read the
/// `Location` header.
async fn hand_post(
    http: &reqwest::Client,
    base: &str,
    r: &rma::CreateReturnRequestRequest,
) -> Result<Option<String>, String> {
    rma::Validate::validate(r).map_err(|e| e.to_string())?;
    let body = serde_json::to_vec(&r.body).map_err(|e| e.to_string())?;
    let segment = |s: &str| percent_encoding::utf8_percent_encode(s, SEGMENT).to_string();
    let path = format!(
        "/shops/{}/orders/{}/return-requests",
        segment(&r.shop_name),
        segment(&r.shop_order_number)
    );
    let response = http
        .post(format!("{base}{path}"))
        .basic_auth(USER, Some(PASSWORD))
        .header(reqwest::header::CONTENT_TYPE, RETURN_REQUEST)
        .header(reqwest::header::ACCEPT, "application/json")
        .body(body)
        .send()
        .await
        .map_err(|e| e.to_string())?;
    if response.status() != 201 {
        return Err(format!("status {}", response.status()));
    }
    let location = response
        .headers()
        .get(reqwest::header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .map(String::from);
    response.bytes().await.map_err(|e| e.to_string())?;
    Ok(location)
}

/// One of the four clients, ready to call.
#[derive(Clone)]
enum Caller {
    GeneratedGet(
        iom_order_state_client::Client,
        Arc<os::GetOrderStatesBySortCriteriasRequest>,
    ),
    HandGet(
        reqwest::Client,
        Arc<str>,
        Arc<os::GetOrderStatesBySortCriteriasRequest>,
    ),
    GeneratedPost(iom_rma_client::Client, Arc<rma::CreateReturnRequestRequest>),
    HandPost(
        reqwest::Client,
        Arc<str>,
        Arc<rma::CreateReturnRequestRequest>,
    ),
}

impl Caller {
    fn new(name: &str, base: &str) -> Result<Self, String> {
        let search = Arc::new(search());
        let post = Arc::new(return_request()?);
        let http = reqwest::Client::new();
        Ok(match name {
            "generated-get" => {
                let credentials = os::Credentials::default().with_basic_auth(USER, PASSWORD);
                let client =
                    iom_order_state_client::Client::new(base).map_err(|e| e.to_string())?;
                Caller::GeneratedGet(client.with_credentials(credentials), search)
            }
            "hand-get" => Caller::HandGet(http, base.into(), search),
            "generated-post" => {
                let credentials = rma::Credentials::default().with_basic_auth(USER, PASSWORD);
                let client = iom_rma_client::Client::new(base).map_err(|e| e.to_string())?;
                Caller::GeneratedPost(client.with_credentials(credentials), post)
            }
            "hand-post" => Caller::HandPost(http, base.into(), post),
            other => return Err(format!("no client `{other}`")),
        })
    }

    #[allow(deprecated)] // the spec deprecates the search; it is still served
    async fn call(&self) -> Result<(), String> {
        match self {
            Caller::GeneratedGet(client, r) => {
                match client
                    .get_order_states_by_sort_criterias(r)
                    .await
                    .map_err(|e| e.to_string())?
                {
                    os::GetOrderStatesBySortCriteriasResponse::Ok(_) => Ok(()),
                    other => Err(format!("{other:?}")),
                }
            }
            Caller::HandGet(http, base, r) => hand_get(http, base, r).await.map(drop),
            Caller::GeneratedPost(client, r) => {
                match client
                    .create_return_request(r)
                    .await
                    .map_err(|e| e.to_string())?
                {
                    rma::CreateReturnRequestResponse::Created { .. } => Ok(()),
                    other => Err(format!("{other:?}")),
                }
            }
            Caller::HandPost(http, base, r) => hand_post(http, base, r).await.map(drop),
        }
    }
}

/// Calls made and their latencies, sorted.
struct Calls {
    latencies: Vec<Duration>,
    elapsed: Duration,
}

impl Calls {
    fn per_second(&self) -> f64 {
        self.latencies.len() as f64 / self.elapsed.as_secs_f64()
    }

    fn percentile(&self, p: f64) -> Duration {
        let i = ((self.latencies.len() as f64 - 1.0) * p).round() as usize;
        self.latencies.get(i).copied().unwrap_or_default()
    }
}

/// `total` calls from `tasks` concurrent tasks, stopping after `limit`.
async fn load(
    caller: &Caller,
    tasks: usize,
    total: usize,
    limit: Duration,
) -> Result<Calls, String> {
    let started = Instant::now();
    let mut handles = Vec::new();
    for _ in 0..tasks {
        let caller = caller.clone();
        handles.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            for _ in 0..total / tasks {
                if started.elapsed() > limit {
                    break;
                }
                let t = Instant::now();
                caller.call().await?;
                latencies.push(t.elapsed());
            }
            Ok::<_, String>(latencies)
        }));
    }
    let mut latencies = Vec::new();
    for h in handles {
        latencies.extend(h.await.map_err(|e| e.to_string())??);
    }
    let elapsed = started.elapsed().max(Duration::from_nanos(1));
    latencies.sort();
    Ok(Calls { latencies, elapsed })
}

/// Runs of the generated and the hand-written client in turns: the median
/// run of each and the median ratio of the pairs.
async fn median_pair(
    generated: &Caller,
    hand: &Caller,
    runs: usize,
) -> Result<(Calls, Calls, f64), String> {
    for caller in [generated, hand] {
        load(caller, 8, 2_000, Duration::from_secs(5)).await?; // warm-up
    }
    let (mut gs, mut hs, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..runs {
        let g = load(generated, 16, 20_000, Duration::from_secs(10)).await?;
        let h = load(hand, 16, 20_000, Duration::from_secs(10)).await?;
        let ratio = h.per_second() / g.per_second();
        eprintln!(
            "bench:   {:.0} / {:.0} calls/s = {ratio:.2}",
            g.per_second(),
            h.per_second()
        );
        ratios.push(ratio);
        gs.push(g);
        hs.push(h);
    }
    ratios.sort_by(f64::total_cmp);
    let ratio = ratios.get(ratios.len() / 2).copied().unwrap_or(f64::NAN);
    let median = |mut v: Vec<Calls>| {
        v.sort_by(|a, b| a.per_second().total_cmp(&b.per_second()));
        v.swap_remove(v.len() / 2)
    };
    Ok((median(gs), median(hs), ratio))
}

fn row(name: &str, g: &Calls, h: &Calls, ratio: f64) -> Vec<String> {
    let latencies = |c: &Calls| {
        format!(
            "{} / {} / {}",
            duration(c.percentile(0.5)),
            duration(c.percentile(0.9)),
            duration(c.percentile(0.99))
        )
    };
    vec![
        name.into(),
        format!("{:.0}", g.per_second()),
        format!("{:.0}", h.per_second()),
        format!("{ratio:.2}×"),
        latencies(g),
        latencies(h),
    ]
}

pub fn run(report: &mut Report, runs: usize) -> Result<(), String> {
    let canned = Canned::start()?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    let rows = runtime.block_on(async {
        let mut rows = Vec::new();
        let mut worst: f64 = 0.0;
        for (request, generated, hand) in [
            ("GET /states", "generated-get", "hand-get"),
            ("POST return request", "generated-post", "hand-post"),
        ] {
            eprintln!("bench:  {request}: generated, hand-written client");
            let (g, h) = (
                Caller::new(generated, &canned.base)?,
                Caller::new(hand, &canned.base)?,
            );
            let (g, h, ratio) = median_pair(&g, &h, runs).await?;
            worst = worst.max(ratio);
            rows.push(row(request, &g, &h, ratio));
        }
        Ok::<_, String>((rows, worst))
    });
    let (rows, worst) = rows?;
    report.heading(
        "Client",
        &format!(
            "Loopback against a canned server in a process of its own (it answers every GET with the generated \
             server's answer to the benchmark's `GET /states`, every POST with `201 Created` and a `Location`), 16 \
             concurrent calls on a one-thread runtime, 20,000 calls a run (at most 10 s), median of {runs} runs each, \
             generated and hand-written taken in turns. The hand-written client (`benches/iom/client.rs`) does the \
             same work over reqwest: validate the request, write the 13 query parameters or the JSON body and the \
             Basic credentials, check the status and Content-Type, decode the report or read the `Location`. Ratio: \
             the median over the pairs of runs of hand-written calls/s / generated calls/s (target ≤ 1.10)."
        ),
    );
    report.table(
        &[
            "call",
            "generated calls/s",
            "hand-written calls/s",
            "ratio",
            "generated p50 / p90 / p99",
            "hand-written p50 / p90 / p99",
        ],
        &rows,
    );
    if worst > TARGET {
        report.line("");
        report.line(&format!("**Over the target in this run ({worst:.2}×).**"));
    }
    report.line("");
    instructions(report);
    Ok(())
}

/// Instructions per call of each client alone (the canned server is a
/// process of its own, which callgrind does not follow): the count of
/// 1,200 calls less that of 200, over 1,000.
fn instructions(report: &mut Report) {
    let Ok(exe) = std::env::current_exe() else {
        return;
    };
    let count = |name: &str, calls: usize| -> Option<f64> {
        let output = std::process::Command::new("valgrind")
            .args(["--tool=callgrind", "--callgrind-out-file=/dev/null"])
            .arg(&exe)
            .env("BENCH_CLIENT_CALLS", format!("{name}:{calls}"))
            .output()
            .ok()?;
        let text = String::from_utf8_lossy(&output.stderr);
        let collected = text.lines().find_map(|l| l.split("Collected : ").nth(1))?;
        collected.trim().parse().ok()
    };
    let per_call = |name: &str| Some((count(name, 1_200)? - count(name, 200)?) / 1_000.0);
    let mut rows = Vec::new();
    for (call, generated, hand) in [
        ("GET /states", "generated-get", "hand-get"),
        ("POST return request", "generated-post", "hand-post"),
    ] {
        eprintln!("bench:  client instructions: {call}");
        let (Some(g), Some(h)) = (per_call(generated), per_call(hand)) else {
            report.line("Instructions per call: not measured (`valgrind` is not installed).");
            return;
        };
        rows.push(vec![
            call.to_string(),
            format!("{g:.0}"),
            format!("{h:.0}"),
            format!("{:.2}×", g / h),
        ]);
    }
    report.line(
        "Instructions per call of the client process (callgrind; one call at a time, the canned server not \
         counted): repeatable where calls per second are not.",
    );
    report.line("");
    report.table(
        &[
            "call",
            "generated",
            "hand-written",
            "generated / hand-written",
        ],
        &rows,
    );
}

/// `calls` calls of client `name`, one at a time, against a canned server
/// of its own (`BENCH_CLIENT_CALLS`), for counting instructions.
pub fn calls(name: &str, calls: usize) -> Result<(), String> {
    let canned = Canned::start()?;
    let caller = Caller::new(name, &canned.base)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    runtime.block_on(async {
        for _ in 0..calls {
            caller.call().await?;
        }
        Ok(())
    })
}
