//! Every security scheme and combination of tests/fixtures/security.yaml,
//! client ↔ server over loopback: which credentials the client sends for
//! each operation, what the router hands `authenticate`, the principal the
//! method receives, and the router's own 401 and 403 answers.

use std::sync::{Arc, Mutex};

use axum::http::StatusCode;
use fixture_security_client::{Client, Error};
use fixture_security_server::models::*;
use fixture_security_server::{router, service, AuthError, FixtureSecurityApi, RequestContext};
use iom_codegen_tests::http::{request, send, serve};

/// What `authenticate` was given, per operation.
#[derive(Debug, Clone, PartialEq)]
struct Presented {
    operation: &'static str,
    credentials: Credentials,
    /// The OAuth 2 scopes the operation asks of `petstore_auth`.
    scopes: Vec<&'static str>,
}

/// Accepts every secret but `deny` (403) and `wrong` (401); the principal
/// names the fields that were set. Records what it saw.
#[derive(Clone, Default)]
struct Recorder {
    presented: Arc<Mutex<Vec<Presented>>>,
    limits: Arc<Mutex<Vec<Option<i32>>>>,
}

impl Recorder {
    fn presented(&self) -> Vec<Presented> {
        std::mem::take(&mut *self.presented.lock().expect("not poisoned"))
    }
}

fn who(principal: &str) -> Who {
    Who::new(principal)
}

/// The names of the set fields, `+`-joined: the principal.
fn names(c: &Credentials) -> String {
    let set = [
        ("keyHeader", c.key_header.is_some()),
        ("keyQuery", c.key_query.is_some()),
        ("keyCookie", c.key_cookie.is_some()),
        ("basic", c.basic.is_some()),
        ("petstore_auth", c.petstore_auth.is_some()),
        ("oidc", c.oidc.is_some()),
    ];
    let names: Vec<&str> = set.iter().filter(|(_, s)| *s).map(|(n, _)| *n).collect();
    names.join("+")
}

impl FixtureSecurityApi for Recorder {
    type Principal = String;

    async fn authenticate(
        &self,
        credentials: Credentials,
        context: &RequestContext,
    ) -> Result<String, AuthError> {
        self.presented
            .lock()
            .expect("not poisoned")
            .push(Presented {
                operation: context.operation_id(),
                credentials: credentials.clone(),
                scopes: context.operation().security.scopes("petstore_auth"),
            });
        let secrets = [
            credentials.key_header.as_deref(),
            credentials.key_query.as_deref(),
            credentials.key_cookie.as_deref(),
            credentials.petstore_auth.as_deref(),
            credentials.oidc.as_deref(),
            credentials.basic.as_ref().map(|b| b.password.as_str()),
        ];
        if secrets.contains(&Some("deny")) {
            return Err(AuthError::Forbidden);
        }
        if secrets.contains(&Some("wrong")) {
            return Err(AuthError::Unauthorized);
        }
        Ok(names(&credentials))
    }

    async fn uses_default(
        &self,
        _: UsesDefaultRequest,
        principal: String,
        _: &mut RequestContext,
    ) -> UsesDefaultResponse {
        UsesDefaultResponse::Ok(who(&principal))
    }

    async fn key_in_query(
        &self,
        request: KeyInQueryRequest,
        principal: String,
        _: &mut RequestContext,
    ) -> KeyInQueryResponse {
        self.limits
            .lock()
            .expect("not poisoned")
            .push(request.limit);
        KeyInQueryResponse::Ok(who(&principal))
    }

    async fn key_in_cookie(
        &self,
        _: KeyInCookieRequest,
        principal: String,
        _: &mut RequestContext,
    ) -> KeyInCookieResponse {
        KeyInCookieResponse::Ok(who(&principal))
    }

    async fn add_pet(
        &self,
        request: AddPetRequest,
        principal: String,
        _: &mut RequestContext,
    ) -> AddPetResponse {
        AddPetResponse::Created(who(&format!("{principal} adds {}", request.body.name)))
    }

    async fn open_id(
        &self,
        _: OpenIdRequest,
        principal: String,
        _: &mut RequestContext,
    ) -> OpenIdResponse {
        OpenIdResponse::Ok(who(&principal))
    }

    async fn key_and_secret(
        &self,
        _: KeyAndSecretRequest,
        principal: String,
        _: &mut RequestContext,
    ) -> KeyAndSecretResponse {
        KeyAndSecretResponse::Ok(who(&principal))
    }

    async fn basic_or_token(
        &self,
        _: BasicOrTokenRequest,
        principal: String,
        _: &mut RequestContext,
    ) -> BasicOrTokenResponse {
        BasicOrTokenResponse::Ok(who(&principal))
    }

    async fn optional_key(
        &self,
        _: OptionalKeyRequest,
        principal: Option<String>,
        _: &mut RequestContext,
    ) -> OptionalKeyResponse {
        OptionalKeyResponse::Ok(who(principal.as_deref().unwrap_or("anonymous")))
    }

    async fn undeclared_scheme(
        &self,
        _: UndeclaredSchemeRequest,
        _: String,
        _: &mut RequestContext,
    ) -> UndeclaredSchemeResponse {
        unreachable!("no request satisfies an undeclared scheme")
    }

    async fn anonymous(&self, _: AnonymousRequest, _: &mut RequestContext) -> AnonymousResponse {
        AnonymousResponse::Ok(who("anonymous"))
    }
}

async fn client_for(api: &Recorder, credentials: Credentials) -> Client {
    let base = serve(service(api.clone())).await;
    Client::new(&format!("{base}/api"))
        .expect("a loopback URL")
        .with_credentials(credentials)
}

/// Credentials with only the given fields set, as `authenticate` expects
/// to receive them.
fn only(build: impl FnOnce(Credentials) -> Credentials) -> Credentials {
    build(Credentials::default())
}

#[tokio::test]
async fn each_api_key_location_round_trips() {
    let api = Recorder::default();
    let all_keys = Credentials::default()
        .with_key_header("h-1")
        .with_key_query("q/1 &x")
        .with_key_cookie("c-1");
    let client = client_for(&api, all_keys).await;

    let got = client.uses_default(&UsesDefaultRequest::new()).await;
    assert_eq!(got.ok(), Some(UsesDefaultResponse::Ok(who("keyHeader"))));
    let mut request = KeyInQueryRequest::new();
    request.limit = Some(5);
    let got = client.key_in_query(&request).await;
    assert_eq!(got.ok(), Some(KeyInQueryResponse::Ok(who("keyQuery"))));
    let got = client.key_in_cookie(&KeyInCookieRequest::new()).await;
    assert_eq!(got.ok(), Some(KeyInCookieResponse::Ok(who("keyCookie"))));

    // Each operation saw exactly the scheme it accepts, byte for byte.
    let presented: Vec<_> = api
        .presented()
        .into_iter()
        .map(|p| (p.operation, p.credentials))
        .collect();
    assert_eq!(
        presented,
        [
            ("usesDefault", only(|c| c.with_key_header("h-1"))),
            ("keyInQuery", only(|c| c.with_key_query("q/1 &x"))),
            ("keyInCookie", only(|c| c.with_key_cookie("c-1"))),
        ]
    );
    // The key travels beside the operation's own query parameters.
    assert_eq!(*api.limits.lock().expect("not poisoned"), [Some(5)]);
}

#[tokio::test]
async fn oauth2_and_openid_connect_are_bearer_tokens_with_scopes() {
    let api = Recorder::default();
    let credentials = Credentials::default()
        .with_petstore_auth("oauth-token")
        .with_oidc("id-token");
    let client = client_for(&api, credentials).await;
    let got = client.add_pet(&AddPetRequest::new(Pet::new("Rex"))).await;
    assert_eq!(
        got.ok(),
        Some(AddPetResponse::Created(who("petstore_auth adds Rex")))
    );
    let got = client.open_id(&OpenIdRequest::new()).await;
    assert_eq!(got.ok(), Some(OpenIdResponse::Ok(who("oidc"))));
    assert_eq!(
        api.presented(),
        [
            Presented {
                operation: "addPet",
                credentials: only(|c| c.with_petstore_auth("oauth-token")),
                scopes: vec!["write:pets", "read:pets"],
            },
            Presented {
                operation: "openId",
                credentials: only(|c| c.with_oidc("id-token")),
                scopes: vec![],
            },
        ]
    );
}

#[tokio::test]
async fn a_combined_requirement_needs_every_scheme() {
    let api = Recorder::default();
    let client = client_for(&api, Credentials::default().with_key_header("h")).await;
    // Half of the requirement: the client sends nothing, the router says 401.
    let got = client.key_and_secret(&KeyAndSecretRequest::new()).await;
    assert!(
        matches!(got, Err(Error::UnexpectedStatus { status: 401, .. })),
        "{got:?}"
    );
    assert!(api.presented().is_empty(), "authenticate is not called");

    client.set_credentials(Some(
        Credentials::default()
            .with_key_header("h")
            .with_key_query("q"),
    ));
    let got = client.key_and_secret(&KeyAndSecretRequest::new()).await;
    assert_eq!(
        got.ok(),
        Some(KeyAndSecretResponse::Ok(who("keyHeader+keyQuery")))
    );
}

#[tokio::test]
async fn the_first_alternative_the_client_holds_is_sent() {
    let api = Recorder::default();
    let both = Credentials::default()
        .with_basic("ann", "pw")
        .with_petstore_auth("t");
    let client = client_for(&api, both).await;
    let got = client.basic_or_token(&BasicOrTokenRequest::new()).await;
    assert_eq!(got.ok(), Some(BasicOrTokenResponse::Ok(who("basic"))));

    client.set_credentials(Some(Credentials::default().with_petstore_auth("t")));
    let got = client.basic_or_token(&BasicOrTokenRequest::new()).await;
    assert_eq!(
        got.ok(),
        Some(BasicOrTokenResponse::Ok(who("petstore_auth")))
    );
    let presented: Vec<_> = api
        .presented()
        .into_iter()
        .map(|p| (p.credentials, p.scopes))
        .collect();
    assert_eq!(
        presented,
        [
            (only(|c| c.with_basic("ann", "pw")), vec!["read:pets"]),
            (only(|c| c.with_petstore_auth("t")), vec!["read:pets"]),
        ]
    );
}

#[tokio::test]
async fn optional_security_and_anonymous_operations() {
    let api = Recorder::default();
    let client = client_for(&api, Credentials::default()).await;
    let got = client.optional_key(&OptionalKeyRequest::new()).await;
    assert_eq!(got.ok(), Some(OptionalKeyResponse::Ok(who("anonymous"))));

    client.set_credentials(Some(Credentials::default().with_key_header("k")));
    let got = client.optional_key(&OptionalKeyRequest::new()).await;
    assert_eq!(got.ok(), Some(OptionalKeyResponse::Ok(who("keyHeader"))));
    // `security: []` overrides the document's: nothing is sent or checked.
    let got = client.anonymous(&AnonymousRequest::new()).await;
    assert_eq!(got.ok(), Some(AnonymousResponse::Ok(who("anonymous"))));
    let operations: Vec<_> = api.presented().iter().map(|p| p.operation).collect();
    assert_eq!(operations, ["optionalKey"]);

    // Credentials that were sent are checked even where none are needed.
    let app = router(api.clone());
    let denied = request("GET", "/maybe", &[("x-api-key", "deny")], "");
    assert_eq!(send(app, denied).await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_router_answers_401_with_a_challenge_per_scheme() {
    let app = router(Recorder::default());
    let challenge = |uri: &'static str, headers: &'static [(&'static str, &'static str)]| {
        let app = app.clone();
        async move {
            let answer = send(app, request("GET", uri, headers, "")).await;
            assert_eq!(answer.status, StatusCode::UNAUTHORIZED, "{uri}");
            answer.headers["www-authenticate"]
                .to_str()
                .expect("ASCII")
                .to_string()
        }
    };
    assert_eq!(
        challenge("/default", &[]).await,
        r#"ApiKey realm="Fixture security", in="header", name="X-API-Key""#
    );
    assert_eq!(
        challenge("/either", &[("authorization", "Bearer wrong")]).await,
        r#"Basic realm="Fixture security", Bearer realm="Fixture security", scope="read:pets""#
    );
    assert_eq!(
        challenge("/query?api_key=", &[]).await,
        r#"ApiKey realm="Fixture security", in="query", name="api_key""#
    );
    // A key of the wrong scheme's location is not taken.
    assert_eq!(
        challenge("/cookie", &[("x-api-key", "k")]).await,
        r#"ApiKey realm="Fixture security", in="cookie", name="session""#
    );
    let forbidden = request("GET", "/cookie", &[("cookie", "a=1; session=deny")], "");
    assert_eq!(
        send(app.clone(), forbidden).await.status,
        StatusCode::FORBIDDEN
    );
    // The spec names a scheme it never declares: the router fails closed.
    let undeclared = request(
        "GET",
        "/undeclared",
        &[("authorization", "Bearer t"), ("x-session-token", "t")],
        "",
    );
    let answer = send(app, undeclared).await;
    assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
    assert!(!answer.headers.contains_key("www-authenticate"));
}

/// RFC 9110: the scheme of an `Authorization` value is case-insensitive;
/// a value without a space after it, or without a token, carries nothing.
#[tokio::test]
async fn the_authorization_scheme_is_read_without_regard_to_case() {
    let api = Recorder::default();
    let app = router(api.clone());
    for (value, principal) in [
        ("bearer t", Some("petstore_auth")),
        ("BEARER  t ", Some("petstore_auth")),
        ("bAsIc dTpw", Some("basic")),
        ("Bearert", None),
        ("Bearer ", None),
        ("Basic !!", None),
        ("Basic dXNlcg==", None),
        ("Digest t", None),
    ] {
        let answer = send(
            app.clone(),
            request("GET", "/either", &[("authorization", value)], ""),
        )
        .await;
        match principal {
            Some(principal) => {
                assert_eq!(answer.status, StatusCode::OK, "{value:?}");
                assert_eq!(answer.body["principal"], principal, "{value:?}");
            }
            None => assert_eq!(answer.status, StatusCode::UNAUTHORIZED, "{value:?}"),
        }
    }
    let seen = api.presented();
    assert_eq!(seen.len(), 3);
    assert_eq!(seen[1].credentials.petstore_auth.as_deref(), Some("t"));
    let basic = seen[2]
        .credentials
        .basic
        .as_ref()
        .expect("basic credentials");
    assert_eq!((basic.user.as_str(), basic.password.as_str()), ("u", "p"));
}

#[test]
fn credentials_do_not_print_secrets() {
    let c = Credentials::default()
        .with_basic("ann", "hunter2")
        .with_key_header("s3cret");
    let text = format!("{c:?}");
    assert!(text.contains("ann"), "{text}");
    assert!(
        !text.contains("hunter2") && !text.contains("s3cret"),
        "{text}"
    );
}
