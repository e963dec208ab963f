//! `mock.rs` of the server crate (config `mock: true`): an implementation
//! of the server trait that answers every operation with an example of a
//! response the spec declares. Users serve it as a typed mock of the API;
//! `cargo xtask conform` runs schemathesis against it, so that an
//! independent tool judges what the server writes on the wire.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::example_tests::json_literal;
use super::example_values::{for_direction, ExampleValues};
use super::operations::{response_form, Form};
use crate::examples::example_of;
use crate::ir::{Api, BodyKind, ModelSpace, Operation, Payload, Response, Status};

/// What the mock of one operation answers, for the warning when it has
/// nothing to answer with.
pub struct Unanswered {
    /// Pointer of the operation.
    pub origin: String,
    pub why: String,
}

/// The module's tokens, and the operations whose every declared response
/// needs a value no example could be built for (the mock panics there,
/// which the router answers 500).
pub fn mock_module(
    api: &Api,
    space: &ModelSpace,
    trait_name: &str,
) -> (TokenStream, Vec<Unanswered>) {
    let trait_ident = format_ident!("{}", trait_name);
    let secured = api.operations.iter().any(|o| o.security.is_secured());
    let authenticate = secured.then(|| {
        quote! {
            type Principal = ();

            /// Accepts whatever credentials the request carries.
            async fn authenticate(&self, _credentials: Credentials, _context: &RequestContext) -> Result<(), AuthError> {
                Ok(())
            }
        }
    });
    let mut mocker = Mocker {
        values: ExampleValues::new(space),
        unanswered: Vec::new(),
        refuses: false,
    };
    let methods: Vec<TokenStream> = api.operations.iter().map(|op| mocker.method(op)).collect();
    let refusal = mocker.refusal(api);
    let doc = format!(
        " Answers every operation of [`{trait_name}`] with an example of a response the spec declares (a success where one has an example), whatever the request; accepts any credentials."
    );
    let module_doc = " [`Mock`], a typed mock of the API: serve `router(Mock)`. Generated on request (`mock: true` in the codegen config, or `--mock`).";
    let credentials = secured.then(|| {
        quote!(
            use super::AuthError;
        )
    });
    let refusal_imports = mocker.refuses.then(|| {
        quote! {
            use axum::response::Response;
            use super::{runtime, ErrorReport, Operation};
        }
    });
    let example_fn = mocker.values.uses_example.then(|| {
        quote! {
            /// Decodes one of the mock's examples. The generator checked each
            /// against its schema, so a failure is a generator bug: it panics,
            /// which the router answers `500`.
            fn example<T: serde::de::DeserializeOwned>(json: &str) -> T {
                match from_json_slice(json.as_bytes()) {
                    Ok(value) => value,
                    Err(e) => panic!("a mock example does not decode: {e}"),
                }
            }
        }
    });
    let tokens = quote! {
        #![doc = #module_doc]

        #credentials
        #refusal_imports
        use super::models::*;
        use super::{RequestContext, #trait_ident};

        #[doc = #doc]
        #[derive(Debug, Clone, Copy, Default)]
        pub struct Mock;

        impl #trait_ident for Mock {
            #authenticate
            #(#methods)*
            #refusal
        }

        #example_fn
    };
    (tokens, mocker.unanswered)
}

struct Mocker<'a> {
    values: ExampleValues<'a>,
    unanswered: Vec<Unanswered>,
    /// The mock writes some of the router's refusals as the spec declares
    /// them.
    refuses: bool,
}

/// The statuses of the router's own refusals.
const REFUSALS: [u16; 7] = [400, 401, 403, 404, 406, 413, 415];

impl Mocker<'_> {
    /// `refusal`, where some operation declares a response the router's
    /// refusals fall under, with a JSON body or none: that response, with
    /// an example body, instead of the router's `ErrorReport`.
    fn refusal(&mut self, api: &Api) -> Option<TokenStream> {
        let mut arms = Vec::new();
        for op in &api.operations {
            let id = &op.operation_id;
            for r in &op.responses {
                let (pattern, status) = match r.status {
                    Status::Code(code) if REFUSALS.contains(&code) => {
                        let code = proc_macro2::Literal::u16_unsuffixed(code);
                        (quote!((#id, #code)), quote!(#code))
                    }
                    Status::Code(_) | Status::Range(1..=3 | 5..) => continue,
                    Status::Range(_) => {
                        (quote!((#id, status) if status / 100 == 4), quote!(status))
                    }
                    Status::Default => (quote!((#id, status)), quote!(status)),
                };
                let Some(body) = self.refusal_body(r) else {
                    continue;
                };
                arms.push((r.status, quote!(#pattern => (#status, #body),)));
            }
        }
        if arms.is_empty() {
            return None;
        }
        // Exact statuses before the class, the class before `default`.
        arms.sort_by_key(|(status, _)| match status {
            Status::Code(_) => 0,
            Status::Range(_) => 1,
            Status::Default => 2,
        });
        self.refuses = true;
        self.values.uses_example = true;
        let arms = arms.into_iter().map(|(_, arm)| arm);
        Some(quote! {
            /// Answers the router's refusals as the operation declares them,
            /// with an example body, where it declares one for the status.
            fn refusal(&self, report: &ErrorReport, operation: &'static Operation) -> Option<Response> {
                let (status, body): (u16, Option<(&'static str, &str)>) = match (operation.id, report.status) {
                    #(#arms)*
                    _ => return None,
                };
                Some(match body {
                    Some((media, json)) => runtime::json(status, media, &example::<serde_json::Value>(json), Vec::new()),
                    None => runtime::empty(status, Vec::new()),
                })
            }
        })
    }

    /// `None` (no body) or `Some((media, json))` for a response with a
    /// JSON media type, where an example fits; nothing where it cannot be
    /// answered so.
    fn refusal_body(&mut self, r: &Response) -> Option<TokenStream> {
        let Some(payload) = &r.body else {
            return Some(quote!(None));
        };
        let json = |p: &&Payload| matches!(p.media.first().map(|m| &m.kind), Some(BodyKind::Json));
        let payload = match &payload.choice {
            Some(choices) => choices.iter().map(|c| &c.payload).find(json)?,
            None => Some(payload).filter(json)?,
        };
        let media = &payload.media.first()?.name;
        let mut value = example_of(self.values.space, &payload.shape).ok()?;
        for_direction(self.values.space, &payload.shape.ty, &mut value, false);
        let literal = json_literal(&value);
        Some(quote!(Some((#media, #literal))))
    }

    fn method(&mut self, op: &Operation) -> TokenStream {
        let name = format_ident!("{}", op.fn_name);
        let request = format_ident!("{}", op.request_type);
        let response = format_ident!("{}", op.response_type);
        let principal = match (op.security.is_secured(), op.security.optional) {
            (false, _) => None,
            (true, false) => Some(quote!(_principal: (),)),
            (true, true) => Some(quote!(_principal: Option<()>,)),
        };
        let (body, doc) = match self.answer(op) {
            Ok((r, value)) => (value, format!(" Answers `{}`.", status_text(r.status))),
            Err(why) => {
                let message = format!("the mock has no answer for `{}`: {why}", op.operation_id);
                let doc =
                    format!(" Has no answer ({why}): panics, which the router answers `500`.");
                self.unanswered.push(Unanswered {
                    origin: op.origin.clone(),
                    why,
                });
                (quote!(panic!(#message)), doc)
            }
        };
        quote! {
            #[doc = #doc]
            async fn #name(&self, _request: #request, #principal _context: &mut RequestContext) -> #response {
                #body
            }
        }
    }

    /// The first response, successes first, that can be built, and the
    /// expression building it.
    fn answer<'o>(&mut self, op: &'o Operation) -> Result<(&'o Response, TokenStream), String> {
        let rank = |r: &Response| match r.status {
            Status::Code(c) if (200..300).contains(&c) => 0,
            Status::Range(2) => 1,
            Status::Default => 2,
            _ => 3,
        };
        let mut ranked: Vec<&Response> = op.responses.iter().collect();
        ranked.sort_by_key(|r| rank(r));
        let mut first_error = None;
        for r in ranked {
            match self.response_value(op, r) {
                Ok(value) => return Ok((r, value)),
                Err(e) => {
                    first_error.get_or_insert(format!("{} response: {e}", status_text(r.status)));
                }
            }
        }
        Err(first_error.unwrap_or_else(|| "it declares no response".into()))
    }

    fn response_value(&mut self, op: &Operation, r: &Response) -> Result<TokenStream, String> {
        let ty = format_ident!("{}", op.response_type);
        let v = format_ident!("{}", r.variant);
        let body = r
            .body
            .as_ref()
            .map(|payload| self.values.payload_value(payload))
            .transpose()?;
        match response_form(r) {
            Form::Unit => Ok(quote!(#ty::#v)),
            Form::Tuple => Ok(quote!(#ty::#v(#body))),
            Form::Struct => {
                let mut fields = Vec::new();
                if let Some(status) = status_code(op, r) {
                    fields.push(quote!(status: #status));
                }
                if let Some(body) = body {
                    fields.push(quote!(body: #body));
                }
                for h in &r.headers {
                    let ident = format_ident!("{}", h.rust);
                    let value = if h.required {
                        self.values.json_value(&h.shape)?
                    } else {
                        quote!(None)
                    };
                    fields.push(quote!(#ident: #value));
                }
                Ok(quote!(#ty::#v { #(#fields),* }))
            }
        }
    }
}

fn status_text(status: Status) -> String {
    match status {
        Status::Code(c) => c.to_string(),
        Status::Range(c) => format!("{c}XX"),
        Status::Default => "default".into(),
    }
}

/// The status a range or `default` response answers with: the first of
/// its statuses no other response of the operation names, a success
/// where it can be one.
fn status_code(op: &Operation, r: &Response) -> Option<u16> {
    let named = |code: u16| {
        op.responses
            .iter()
            .any(|o| !std::ptr::eq(o, r) && o.status.covers(code))
    };
    match r.status {
        Status::Code(_) => None,
        Status::Range(class) => (class * 100..class * 100 + 100).find(|&c| !named(c)),
        Status::Default => (200..300).chain(400..500).find(|&c| !named(c)),
    }
}
