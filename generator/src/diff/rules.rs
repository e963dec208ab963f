//! What each kind of change means for clients and for server implementors.
//!
//! Two perspectives, both about code written against the *old* spec:
//! - **client**: an existing client talking to a server of the new spec;
//! - **server**: an existing server implementation facing clients written
//!   against the new spec (or: must the implementation change to conform?).
//!
//! A schema change depends on where the schema is used: a constraint
//! tightened in a request breaks clients (the server now refuses what they
//! send), the same in a response breaks servers (what they send no longer
//! conforms). The table follows oasdiff's rule set in what counts; the
//! server column is this tool's own. `generator/SPEC-DIFF.md` shows it.

use serde::Serialize;

/// How bad a change is for one side.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Level {
    Compatible,
    PossiblyBreaking,
    Breaking,
}

impl Level {
    pub fn label(self) -> &'static str {
        match self {
            Level::Compatible => "compatible",
            Level::PossiblyBreaking => "possibly breaking",
            Level::Breaking => "breaking",
        }
    }
}

/// Where a schema is used, which decides how its changes count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Sent by clients: parameters and request bodies.
    Request,
    /// Sent by servers: response bodies and headers.
    Response,
    Both,
    /// Used by no operation: no effect on the wire.
    Unused,
}

impl Direction {
    pub fn join(self, other: Direction) -> Direction {
        match (self, other) {
            (Direction::Unused, d) | (d, Direction::Unused) => d,
            (a, b) if a == b => a,
            _ => Direction::Both,
        }
    }
}

/// `(client, server)`.
type Pair = (Level, Level);

const C: Level = Level::Compatible;
const P: Level = Level::PossiblyBreaking;
const B: Level = Level::Breaking;

macro_rules! rules {
    ($($rule:ident, $id:literal, $meaning:literal, $request:expr, $response:expr;)*) => {
        /// The kinds of change the diff reports.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Rule { $($rule,)* }

        impl Rule {
            /// Every rule, in documentation order.
            pub const ALL: &'static [Rule] = &[$(Rule::$rule,)*];

            /// The stable identifier (`request-property-added`).
            pub fn id(self) -> &'static str {
                match self { $(Rule::$rule => $id,)* }
            }

            /// What the rule detects.
            pub fn meaning(self) -> &'static str {
                match self { $(Rule::$rule => $meaning,)* }
            }

            /// Levels when the change is in what clients send, and in what
            /// servers send. Rules outside schemas have the same pair in both.
            fn table(self) -> (Pair, Pair) {
                match self { $(Rule::$rule => ($request, $response),)* }
            }
        }
    };
}

rules! {
    OperationAdded, "operation-added", "a method on a path", (C, B), (C, B);
    OperationRemoved, "operation-removed", "a method on a path", (B, C), (B, C);
    OperationIdChanged, "operation-id-changed", "the same method and path under a new `operationId`", (C, C), (C, C);
    DeprecationChanged, "deprecation-changed", "`deprecated` set or cleared", (C, C), (C, C);
    RequiredParameterAdded, "required-parameter-added", "", (B, C), (B, C);
    OptionalParameterAdded, "optional-parameter-added", "", (C, C), (C, C);
    RequiredParameterRemoved, "required-parameter-removed", "old clients still send it and the server ignores it", (P, B), (P, B);
    OptionalParameterRemoved, "optional-parameter-removed", "old clients still send it and the server ignores it", (P, C), (P, C);
    ParameterRenamed, "parameter-renamed", "a query or header parameter removed and added with the same schema", (B, B), (B, B);
    PathParameterRenamed, "path-parameter-renamed", "the URL is the same; only the name in code changes", (C, C), (C, C);
    ParameterBecameRequired, "parameter-became-required", "", (B, C), (B, C);
    ParameterBecameOptional, "parameter-became-optional", "", (C, B), (C, B);
    ParameterStyleChanged, "parameter-style-changed", "`style` or `explode`: the same values, spelled differently", (B, B), (B, B);
    RequiredRequestBodyAdded, "required-request-body-added", "", (B, C), (B, C);
    OptionalRequestBodyAdded, "optional-request-body-added", "", (C, C), (C, C);
    RequestBodyRemoved, "request-body-removed", "old clients still send one", (P, B), (P, B);
    RequestBodyBecameRequired, "request-body-became-required", "", (B, C), (B, C);
    RequestBodyBecameOptional, "request-body-became-optional", "", (C, B), (C, B);
    RequestMediaTypeAdded, "request-media-type-added", "new clients may send it", (C, B), (C, B);
    RequestMediaTypeRemoved, "request-media-type-removed", "", (B, C), (B, C);
    ResponseStatusAdded, "response-status-added", "old clients meet a status they do not know", (P, C), (P, C);
    ResponseStatusRemoved, "response-status-removed", "old servers still answer with it", (C, B), (C, B);
    ResponseMediaTypeAdded, "response-media-type-added", "chosen through `Accept`, which old clients do not send for it", (C, P), (C, P);
    ResponseMediaTypeRemoved, "response-media-type-removed", "", (B, C), (B, C);
    RequiredResponseHeaderAdded, "required-response-header-added", "", (C, B), (C, B);
    OptionalResponseHeaderAdded, "optional-response-header-added", "", (C, C), (C, C);
    RequiredResponseHeaderRemoved, "required-response-header-removed", "", (B, C), (B, C);
    OptionalResponseHeaderRemoved, "optional-response-header-removed", "", (C, C), (C, C);
    ResponseHeaderBecameRequired, "response-header-became-required", "", (C, B), (C, B);
    ResponseHeaderBecameOptional, "response-header-became-optional", "", (B, C), (B, C);
    RequiredPropertyAdded, "required-property-added", "", (B, C), (C, B);
    OptionalPropertyAdded, "optional-property-added", "", (C, C), (C, C);
    RequiredPropertyRemoved, "required-property-removed", "in a request, old clients still send it and the server ignores it", (P, B), (B, C);
    OptionalPropertyRemoved, "optional-property-removed", "in a request, old clients still send it and the server ignores it", (P, C), (C, C);
    PropertyBecameRequired, "property-became-required", "", (B, C), (C, B);
    PropertyBecameOptional, "property-became-optional", "", (C, B), (B, C);
    TypeChanged, "type-changed", "`type`, or `format` from one value to another", (B, B), (B, B);
    ConstraintTightened, "constraint-tightened", "fewer values are valid: a length, bound, item count, `format`, `pattern` or `uniqueItems` added or made stricter, `additionalProperties` closed", (B, C), (C, B);
    ConstraintLoosened, "constraint-loosened", "more values are valid: the same, removed or relaxed", (C, B), (B, C);
    PatternChanged, "pattern-changed", "one `pattern` replaced by another", (P, P), (P, P);
    NullableAdded, "nullable-added", "", (C, B), (B, C);
    NullableRemoved, "nullable-removed", "", (B, C), (C, B);
    EnumValueAdded, "enum-value-added", "clients that keep unknown values (as the generated ones do) cope", (C, B), (P, C);
    EnumValueRemoved, "enum-value-removed", "", (B, C), (C, B);
    DefaultChanged, "default-changed", "a `default` added, removed or changed: an omitted value means something else", (P, P), (C, C);
    VariantAdded, "variant-added", "a `oneOf`/`anyOf` member", (C, B), (P, C);
    VariantRemoved, "variant-removed", "a `oneOf`/`anyOf` member", (B, C), (C, B);
    DiscriminatorValueAdded, "discriminator-value-added", "a `discriminator.mapping` entry", (C, B), (P, C);
    DiscriminatorValueRemoved, "discriminator-value-removed", "a `discriminator.mapping` entry", (B, C), (C, B);
    DiscriminatorChanged, "discriminator-changed", "`propertyName`, or the schema a value maps to", (B, B), (B, B);
    SchemaRenamed, "schema-renamed", "a component schema under a new name, unchanged: only the generated type name changes", (C, C), (C, C);
    SecurityAlternativeAdded, "security-alternative-added", "another way to authenticate", (C, B), (C, B);
    SecurityAlternativeRemoved, "security-alternative-removed", "", (B, C), (B, C);
    SecuritySchemeChanged, "security-scheme-changed", "the `type`, `scheme` or `in`/`name` of a scheme", (B, B), (B, B);
    ServerUrlChanged, "server-url-changed", "the first server, which clients use by default", (P, C), (P, C);
    ServerVariableChanged, "server-variable-changed", "a `default` or `enum` of the first server's variables", (P, C), (P, C);
}

impl Rule {
    /// `(client, server)` for a change found where `direction` says.
    pub fn levels(self, direction: Direction) -> (Level, Level) {
        let (request, response) = self.table();
        match direction {
            Direction::Request => request,
            Direction::Response => response,
            Direction::Both => (request.0.max(response.0), request.1.max(response.1)),
            Direction::Unused => (Level::Compatible, Level::Compatible),
        }
    }

    /// Whether the levels depend on the direction (a schema rule).
    pub fn is_directional(self) -> bool {
        let (request, response) = self.table();
        request != response
    }
}

/// The rules as a Markdown table, for `generator/SPEC-DIFF.md` (a test
/// keeps the two the same).
pub fn markdown_table() -> String {
    let mut out = String::from(
        "| rule | what | client (request) | server (request) | client (response) | server (response) |\n\
         |---|---|---|---|---|---|\n",
    );
    for rule in Rule::ALL {
        let (request, response) = rule.table();
        out.push_str(&format!(
            "| `{}` | {} | {} | {} | {} | {} |\n",
            rule.id(),
            rule.meaning(),
            request.0.label(),
            request.1.label(),
            response.0.label(),
            response.1.label()
        ));
    }
    out
}

impl Serialize for Rule {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.id())
    }
}
