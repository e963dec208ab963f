//! The operation IR: what the server trait, the router and the client all
//! read, so that they agree on every request and response type.

use super::{DefaultValue, Docs, Shape, Ty};

/// Every operation of a spec plus what applies to all of them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Api {
    pub operations: Vec<Operation>,
    /// The path of the first `servers` entry (`/rest/rma`), `""` without one.
    pub base_path: String,
    /// Rust name of the trait (`RmaApi`).
    pub trait_name: String,
    /// The first `servers` entry, when its URL is absolute
    /// (`{protocol}://{domain}:{port}/rest/rma`): the client's default.
    pub server: Option<Server>,
    /// The security schemes of `components/securitySchemes`, in spec
    /// order: the fields of `Credentials`.
    pub schemes: Vec<SecurityScheme>,
    /// The webhooks (OpenAPI 3.1 `webhooks`): requests the API sends to a
    /// subscriber, each received at `/{name}` of the subscriber's URL.
    pub webhooks: Vec<Operation>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Server {
    /// The URL template exactly as in the spec.
    pub url: String,
    pub variables: Vec<ServerVariable>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ServerVariable {
    /// The name in the template (`domain`).
    pub name: String,
    /// The Rust field name.
    pub rust: String,
    pub default: String,
    /// The allowed values (`enum`); empty when any value goes.
    pub values: Vec<String>,
    pub description: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    pub operation_id: String,
    /// Method name in the trait and the client (`get_return_requests`).
    pub fn_name: String,
    /// The client's method that also returns the status and headers
    /// (`get_return_requests_with_response`).
    pub fn_with_response: String,
    /// Rust name of the request struct (`GetReturnRequestsRequest`).
    pub request_type: String,
    /// Rust name of the response enum (`GetReturnRequestsResponse`).
    pub response_type: String,
    pub method: Method,
    /// The path template exactly as in the spec (`/shops/{shopName}`).
    pub path: String,
    /// JSON pointer of the operation object.
    pub origin: String,
    pub docs: Docs,
    pub deprecated: bool,
    pub params: Vec<Param>,
    pub body: Option<Body>,
    pub responses: Vec<Response>,
    /// Which credentials the operation accepts.
    pub security: Security,
    /// How the operation pages, when the client streams its items.
    pub pagination: Option<Paging>,
}

/// Method names every server trait and client defines besides one per
/// operation; operations are named around them.
pub const GENERATED_METHODS: &[&str] = &[
    "authenticate",
    "refusal",
    "new",
    "with_http_client",
    "with_middleware",
    "with_options",
    "with_credentials",
    "set_credentials",
    "base_url",
    "from_server",
];

/// How an operation pages (see `ir::paging`).
#[derive(Debug, Clone, PartialEq)]
pub struct Paging {
    pub kind: PagingKind,
    pub items: PagingItems,
    /// The shape of one item.
    pub item: Shape,
    /// The client's method that streams the items (`list_orders_stream`).
    pub fn_stream: String,
}

#[derive(Debug, Clone, PartialEq)]
pub enum PagingKind {
    /// The parameter advances by the number of items received.
    Offset(Moving),
    /// The parameter advances by one.
    Page(Moving),
    /// The parameter takes the body's `next` (a field of the success body,
    /// under `next_options` `Option`s).
    Cursor {
        param: Moving,
        next: String,
        next_options: u8,
    },
}

/// The request field that moves from page to page.
#[derive(Debug, Clone, PartialEq)]
pub struct Moving {
    /// Field of the request struct.
    pub field: String,
    /// Name on the wire, for messages.
    pub wire: String,
    /// Whether the field is an `Option`.
    pub optional: bool,
}

/// Where the items are.
#[derive(Debug, Clone, PartialEq)]
pub struct PagingItems {
    /// Index of the success response in `Operation::responses`.
    pub response: usize,
    /// The field of the body that holds them (with how many `Option`s
    /// wrap it); `None` when the body is the array.
    pub field: Option<(String, u8)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Get,
    Put,
    Post,
    Delete,
    Patch,
    Head,
    Options,
    Trace,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Put => "PUT",
            Method::Post => "POST",
            Method::Delete => "DELETE",
            Method::Patch => "PATCH",
            Method::Head => "HEAD",
            Method::Options => "OPTIONS",
            Method::Trace => "TRACE",
        }
    }

    pub fn lower(self) -> &'static str {
        match self {
            Method::Get => "get",
            Method::Put => "put",
            Method::Post => "post",
            Method::Delete => "delete",
            Method::Patch => "patch",
            Method::Head => "head",
            Method::Options => "options",
            Method::Trace => "trace",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    Path,
    Query,
    Header,
    Cookie,
}

impl Location {
    pub fn as_str(self) -> &'static str {
        match self {
            Location::Path => "path",
            Location::Query => "query",
            Location::Header => "header",
            Location::Cookie => "cookie",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    /// Name on the wire (`orderCreationDate[gte]`).
    pub wire: String,
    /// Field of the request struct.
    pub rust: String,
    pub location: Location,
    pub shape: Shape,
    pub required: bool,
    pub default: Option<DefaultValue>,
    pub style: ParamStyle,
    /// Path parameters in `label` (`.`) or `matrix` (`;name=`) style: what
    /// comes before the value in the segment.
    pub prefix: Option<String>,
    /// A query parameter whose reserved characters the client sends
    /// unencoded (`allowReserved`).
    pub allow_reserved: bool,
    pub docs: Docs,
    pub deprecated: bool,
}

impl Param {
    /// Whether the value is an array written item by item (absent: empty).
    pub fn repeats(&self) -> bool {
        matches!(self.shape.ty, Ty::Array(_))
            && matches!(
                self.style,
                ParamStyle::Plain | ParamStyle::Joined(_) | ParamStyle::Indexed
            )
    }
}

/// How a parameter's value is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParamStyle {
    /// A scalar (or string enum) as its text; an array of them as
    /// repeated keys (`a=1&a=2`, exploded `form`).
    Plain,
    /// An array of scalars joined into one value (`explode: false`: `,`;
    /// `spaceDelimited`; `pipeDelimited`; exploded `label`: `.`).
    Joined(String),
    /// An object's properties as query keys of their own (exploded
    /// `form`: `R=100&G=200`); the names of its properties, to tell
    /// whether it was sent.
    Exploded(Vec<String>),
    /// An object in brackets (`deepObject`: `color[R]=100`).
    Deep,
    /// An array in brackets (a `deepObject` array, as Stripe-like APIs
    /// write it): `expand[0]=a&expand[1]=b`; `expand[]=a` and `expand=a`
    /// read too.
    Indexed,
    /// An object's properties in one value, each property separated from
    /// the next by `between` and from its value by `pair`: `R,100,G,200`
    /// (not exploded), `R=100,G=200` (exploded `simple`), `R=100;G=200`
    /// (exploded `matrix`).
    Pairs { between: String, pair: String },
    /// Any other value (a union of scalars, say) as the text of its JSON
    /// scalar; described by `content`, as its JSON text.
    Value { json: bool },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Body {
    pub payload: Payload,
    pub required: bool,
    pub docs: Docs,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    pub status: Status,
    /// Variant of the response enum (`Ok`, `Created`, `Status299`, `Default`).
    pub variant: String,
    pub docs: Docs,
    pub body: Option<Payload>,
    pub headers: Vec<ResponseHeader>,
}

/// A request or response body: the media types it travels as, which all
/// carry the same Rust value.
#[derive(Debug, Clone, PartialEq)]
pub struct Payload {
    /// In spec order; the client sends, and the server answers with, the
    /// first. Never empty.
    pub media: Vec<Media>,
    pub shape: Shape,
    /// Media types whose values are of different Rust types: the shape
    /// names an enum with a variant per group of them, each a payload of
    /// its own; `media` lists them all.
    pub choice: Option<Vec<ChoiceVariant>>,
}

/// One variant of a body's enum: the media types of one Rust value.
#[derive(Debug, Clone, PartialEq)]
pub struct ChoiceVariant {
    /// The variant's name (`Json`, `Plain`).
    pub name: String,
    pub payload: Payload,
}

impl Payload {
    /// The media type sent (the first declared).
    pub fn first(&self) -> &Media {
        &self.media[0]
    }

    /// The payloads of one Rust value each: the variants of an enum, or
    /// this one.
    pub fn alternatives(&self) -> Vec<&Payload> {
        match &self.choice {
            Some(variants) => variants.iter().map(|v| &v.payload).collect(),
            None => vec![self],
        }
    }

    pub fn media_types(&self) -> impl Iterator<Item = &str> {
        self.media.iter().map(|m| m.name.as_str())
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Media {
    /// The media type as the spec writes it (`application/json`).
    pub name: String,
    pub kind: BodyKind,
}

/// How a body's value is written on the wire.
#[derive(Debug, Clone, PartialEq)]
pub enum BodyKind {
    /// JSON, any `+json` type.
    Json,
    /// `application/x-www-form-urlencoded`: the value's properties as
    /// pairs, nested values in brackets (`metadata[key]=v`), each top-level
    /// property as its `encoding` says.
    Form(Vec<FormField>),
    /// `text/*`: a `String`.
    Text,
    /// Raw bytes (`application/octet-stream`, `image/png`, XML kept as
    /// bytes): `Vec<u8>`.
    Bytes,
    /// Raw bytes of a media range (`image/*`, `*/*`): a `Blob`, which
    /// carries its actual content type.
    Blob,
    /// `multipart/form-data`: a struct of its own (the payload's shape),
    /// one field per part.
    Multipart(Vec<MultipartPart>),
    /// `text/event-stream`, responses only: a stream of events (the
    /// payload's shape is `Ty::Events`), each event's `data` JSON text or,
    /// where the schema is a string, the text itself.
    EventStream { json: bool },
}

/// One property of a multipart body: a part (or, for arrays, several of
/// one name).
#[derive(Debug, Clone, PartialEq)]
pub struct MultipartPart {
    /// The part's name on the wire.
    pub wire: String,
    /// The struct's field.
    pub rust: String,
    pub kind: PartKind,
    pub required: bool,
    /// An array: one part per item.
    pub repeated: bool,
    /// The `encoding`'s `contentType`, where given.
    pub content_type: Option<String>,
    /// The `encoding`'s `headers` of the part, each a field of the struct.
    pub headers: Vec<PartHeader>,
}

/// A header of a multipart part (`encoding.<part>.headers`).
#[derive(Debug, Clone, PartialEq)]
pub struct PartHeader {
    /// Its name, lowercase.
    pub wire: String,
    /// The struct's field that holds it.
    pub rust: String,
    pub shape: Shape,
    /// A field of its own type, not an `Option`: the part and the header
    /// are both required.
    pub required: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartKind {
    /// `format: binary`: a `FilePart` (bytes, file name, content type).
    File,
    /// A scalar or string enum, as text.
    Text,
    /// Anything else, as JSON.
    Json,
}

impl BodyKind {
    /// Whether the value is decoded through serde (JSON and forms), so
    /// several such media types can carry one schema's type.
    pub fn is_serde(&self) -> bool {
        matches!(self, BodyKind::Json | BodyKind::Form(_))
    }
}

/// How one top-level property of a form body is written, where it is not
/// the default (`form`, exploded: repeated keys for arrays).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormField {
    /// The property's name on the wire.
    pub wire: String,
    pub style: FormStyle,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormStyle {
    /// An array as one value joined with `,` (`explode: false`).
    Comma,
    /// An array joined with spaces (`spaceDelimited`).
    Space,
    /// An array joined with `|` (`pipeDelimited`).
    Pipe,
    /// Arrays indexed and objects in brackets (`deepObject`).
    Deep,
}

/// The statuses one response of an operation stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Code(u16),
    /// A class, `4XX`: every status from 400 to 499 that no `Code`
    /// response of the operation names (1 to 5).
    Range(u16),
    /// `default`: every status no other response names.
    Default,
}

impl Status {
    pub fn code(self) -> Option<u16> {
        match self {
            Status::Code(c) => Some(c),
            _ => None,
        }
    }

    /// Whether the response variant carries the actual status, which its
    /// key does not fix.
    pub fn carries_status(self) -> bool {
        !matches!(self, Status::Code(_))
    }

    /// Whether every status the response stands for is a success (2xx).
    pub fn is_success(self) -> bool {
        match self {
            Status::Code(c) => (200..300).contains(&c),
            Status::Range(class) => class == 2,
            Status::Default => false,
        }
    }

    /// Whether `code` is one of the statuses the response is declared
    /// for (`default` declares none in particular).
    pub fn covers(self, code: u16) -> bool {
        match self {
            Status::Code(c) => c == code,
            Status::Range(class) => code / 100 == class,
            Status::Default => false,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ResponseHeader {
    pub wire: String,
    pub rust: String,
    pub shape: Shape,
    pub required: bool,
    pub docs: Docs,
}

/// A security scheme, as `Credentials` holds it and requests carry it.
#[derive(Debug, Clone, PartialEq)]
pub struct SecurityScheme {
    /// Its key in `components/securitySchemes` (`petstore_auth`).
    pub name: String,
    /// The field of `Credentials` (`petstore_auth`).
    pub rust: String,
    pub carrier: Carrier,
    /// What the spec calls it (`OAuth 2`, `HTTP Basic`, `API key`), for docs.
    pub kind: &'static str,
    pub docs: Docs,
}

/// How a scheme's secret travels. OAuth 2 and OpenID Connect tokens
/// travel as bearer tokens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Carrier {
    Basic,
    Bearer,
    /// An API key in the header, query parameter or cookie `name`.
    ApiKey {
        location: KeyLocation,
        name: String,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyLocation {
    Header,
    Query,
    Cookie,
}

impl KeyLocation {
    pub fn as_str(self) -> &'static str {
        match self {
            KeyLocation::Header => "header",
            KeyLocation::Query => "query",
            KeyLocation::Cookie => "cookie",
        }
    }
}

impl Api {
    /// Whether an operation answers a stream of events: the crates then
    /// carry their `events` modules.
    pub fn has_events(&self) -> bool {
        self.operations.iter().any(Operation::has_events)
    }

    /// The operations and the webhooks: everything whose request and
    /// response types the models crate holds.
    pub fn with_webhooks(&self) -> Api {
        let mut all = self.clone();
        all.operations.extend(self.webhooks.iter().cloned());
        all.webhooks.clear();
        all
    }

    /// The webhooks as an API of their own, the one a subscriber serves.
    pub fn webhooks_api(&self) -> Api {
        Api {
            operations: self.webhooks.clone(),
            base_path: String::new(),
            trait_name: String::new(),
            server: None,
            schemes: self.schemes.clone(),
            webhooks: Vec::new(),
        }
    }
}

impl Operation {
    /// Whether a response of this operation is a stream of events.
    pub fn has_events(&self) -> bool {
        self.responses
            .iter()
            .filter_map(|r| r.body.as_ref())
            .any(|b| matches!(b.shape.ty, super::Ty::Events(_)))
    }
}

/// Which credentials an operation accepts: any one of the alternatives
/// (OR), each of which needs all its schemes (AND).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Security {
    pub alternatives: Vec<Requirement>,
    /// Whether anonymous calls are accepted too (`{}` among the
    /// requirements); the method then receives an optional principal.
    pub optional: bool,
}

impl Security {
    /// Whether the operation looks at credentials at all.
    pub fn is_secured(&self) -> bool {
        !self.alternatives.is_empty()
    }
}

/// Schemes that are all needed together, with their OAuth 2 scopes.
pub type Requirement = Vec<(String, Vec<String>)>;
