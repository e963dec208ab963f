//! The `operations` module of a models crate: per operation a request struct
//! (parameters and body) and a response enum (one variant per status). The
//! server trait and the client both use these, so they cannot disagree.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::credentials::{credentials_tokens, security_const, security_text};
use super::docs::{doc_attrs, paragraphs};
use super::models::{constructor, ModelFeatures};
use super::rust_types::{default_value, shape_type, ty_tokens};
use super::validate::{shape_checks, At, Patterns, Subject};
use crate::ir::{Api, ModelSpace, Operation, Param, Response, Shape, Status};

/// The module, or `None` for a spec without operations.
pub fn operations_module(
    space: &ModelSpace,
    api: &Api,
    features: &mut ModelFeatures,
) -> Option<TokenStream> {
    if api.operations.is_empty() {
        return None;
    }
    for op in &api.operations {
        let params = op.params.iter().map(|p| &p.shape);
        let body = op
            .body
            .iter()
            .flat_map(|b| b.payload.alternatives())
            .map(|p| &p.shape);
        let responses = op.responses.iter().flat_map(|r| {
            let bodies = r
                .body
                .iter()
                .flat_map(|p| p.alternatives())
                .map(|p| &p.shape);
            bodies.chain(r.headers.iter().map(|h| &h.shape))
        });
        for shape in params.chain(body).chain(responses) {
            features.note(shape);
        }
    }
    let mut patterns = Patterns::for_space(space);
    let items: Vec<TokenStream> = api
        .operations
        .iter()
        .map(|op| {
            let request = request_tokens(op, &mut patterns);
            let response = response_tokens(op);
            quote!(#request #response)
        })
        .collect();
    // Always there, so the client's runtime can name it.
    let credentials = credentials_tokens(api);
    let multipart = super::multipart::multipart_impls(api, space);
    let choices = super::choice::choice_enums(api, &mut patterns);
    let statics = patterns.statics();
    Some(quote! {
        #[allow(unused_imports)]
        use crate::models::*;
        #statics
        #credentials
        #(#items)*
        #choices
        #multipart
    })
}

/// The argument of `__validate_parts` for one part of the request.
fn part_ident(rust: &str, checked: bool) -> proc_macro2::Ident {
    let name = crate::naming::joined(&[rust, "part"]);
    if checked {
        format_ident!("{name}")
    } else {
        format_ident!("_{name}")
    }
}

/// The Rust type of a parameter field: defaults make it plain, optional
/// arrays are empty when absent, other optional parameters are `Option`.
/// Whether the request field of `p` is an `Option` (absent stays absent):
/// not for required parameters, defaults, or arrays (absent is empty).
pub(crate) fn param_is_optional(p: &Param) -> bool {
    !(p.required || p.default.is_some() || p.repeats())
}

pub(crate) fn param_type(p: &Param) -> TokenStream {
    let ty = ty_tokens(&p.shape.ty);
    if param_is_optional(p) {
        quote!(Option<#ty>)
    } else {
        ty
    }
}

fn request_tokens(op: &Operation, patterns: &mut Patterns) -> TokenStream {
    let name = format_ident!("{}", op.request_type);
    let summary = format!(
        "Parameters and body of `{}` (`{} {}`).",
        op.operation_id,
        op.method.as_str(),
        op.path
    );
    let docs = doc_attrs(&[summary]);
    let mut fields = Vec::new();
    let mut params = Vec::new();
    let mut inits = Vec::new();
    let mut checks = Vec::new();
    // `__validate_parts` takes each part as `Option<&T>` (absent or not
    // decoded: `None`), so a router can check the parts that did decode
    // even when others failed; the request's own `Validate` calls it too.
    let mut part_args = Vec::new();
    let mut part_values = Vec::new();
    let mut any_check = false;
    for p in &op.params {
        let ident = format_ident!("{}", p.rust);
        let ty = param_type(p);
        let mut text = paragraphs(&p.docs, None);
        text.insert(
            0,
            format!(
                "{} parameter `{}`.",
                capitalized(p.location.as_str()),
                p.wire
            ),
        );
        let field_docs = doc_attrs(&text);
        let deprecated = p.deprecated.then(|| quote!(#[deprecated]));
        fields.push(quote!(#field_docs #deprecated pub #ident: #ty,));
        if p.required {
            params.push(quote!(#ident: #ty));
            inits.push(quote!(#ident));
        } else if let Some(d) = &p.default {
            let value = default_value(d, &p.shape);
            inits.push(quote!(#ident: #value));
        } else {
            inits.push(quote!(#ident: Default::default()));
        }
        let inner = ty_tokens(&p.shape.ty);
        part_values.push(if param_is_optional(p) {
            quote!(self.#ident.as_ref())
        } else {
            quote!(Some(&self.#ident))
        });
        let (location, wire) = (p.location.as_str(), &p.wire);
        let at = At::Path.member(quote!(#location)).member(quote!(#wire));
        let check = shape_checks(&p.shape, &Subject::binding("param"), &at, patterns);
        // The suffix keeps arguments apart from `path` and `violations`;
        // an underscore marks the parts that have nothing to check.
        let part = part_ident(&p.rust, check.is_some());
        part_args.push(quote!(#part: Option<&#inner>));
        if let Some(body) = check {
            any_check = true;
            checks.push(quote!(if let Some(param) = #part { #body }));
        }
    }
    if let Some(body) = &op.body {
        let ty = shape_type(&body.payload.shape);
        let mut text = paragraphs(&body.docs, None);
        text.insert(
            0,
            format!("The request body ({}).", media_list(&body.payload)),
        );
        let field_docs = doc_attrs(&text);
        let at = At::Path.member(quote!("body"));
        // A body that may be `null` is checked where it is not, in one
        // pattern (`Some(Some(body))`), not in two nested `if let`s.
        let checked = Shape {
            nullable: false,
            ..body.payload.shape.clone()
        };
        let check = shape_checks(&checked, &Subject::binding("body"), &at, patterns);
        let part = part_ident("body", check.is_some());
        part_args.push(quote!(#part: Option<&#ty>));
        if body.required {
            fields.push(quote!(#field_docs pub body: #ty,));
            params.push(quote!(body: #ty));
            inits.push(quote!(body));
            part_values.push(quote!(Some(&self.body)));
        } else {
            fields.push(quote!(#field_docs pub body: Option<#ty>,));
            inits.push(quote!(body: None));
            part_values.push(quote!(self.body.as_ref()));
        }
        if let Some(check) = check {
            any_check = true;
            let pattern = if body.payload.shape.nullable {
                quote!(Some(Some(body)))
            } else {
                quote!(Some(body))
            };
            checks.push(quote!(if let #pattern = #part { #check }));
        }
    }
    let (path, violations) = if any_check {
        (format_ident!("path"), format_ident!("violations"))
    } else {
        (format_ident!("_path"), format_ident!("_violations"))
    };
    let security = security_const(op);
    let (new_fn, default_impl) = constructor(
        &op.request_type,
        &params,
        &inits,
        "Creates a request from the required parameters (and body);\noptional ones start absent, or at the spec's default.",
    );
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
        }

        impl #name {
            #security

            #new_fn

            /// The checks of [`Validate`](crate::Validate), one part at a
            /// time: `None` for a part that is absent or could not be
            /// decoded. The generated router calls it before it can build
            /// the request, so one answer lists every problem.
            #[doc(hidden)]
            #[allow(clippy::too_many_arguments)]
            pub fn __validate_parts(
                #path: &crate::support::Pointer<'_>,
                #(#part_args,)*
                #violations: &mut Vec<crate::support::Violation>,
            ) {
                #(#checks)*
            }
        }

        #default_impl

        impl crate::support::Validate for #name {
            /// Violations are located at `/path/<name>`, `/query/<name>`,
            /// `/header/<name>` and `/body/...`.
            fn validate_at(&self, path: &crate::support::Pointer<'_>, violations: &mut Vec<crate::support::Violation>) {
                Self::__validate_parts(path, #(#part_values,)* violations);
            }
        }
    }
}

fn response_tokens(op: &Operation) -> TokenStream {
    let name = format_ident!("{}", op.response_type);
    let summary = format!(
        "The responses `{}` declares, one variant per status.",
        op.operation_id
    );
    let docs = doc_attrs(&[summary]);
    let variants = op.responses.iter().map(variant_tokens);
    let statuses = op.responses.iter().map(|r| {
        let v = format_ident!("{}", r.variant);
        let pattern = variant_pattern(r);
        match r.status {
            Status::Code(code) => quote!(Self::#v #pattern => #code,),
            Status::Range(_) | Status::Default => quote!(Self::#v { status, .. } => *status,),
        }
    });
    // A stream of events is read once: it cannot be cloned or compared.
    let derives = match op.has_events() {
        true => quote!(#[derive(Debug)]),
        false => quote!(#[derive(Debug, Clone, PartialEq)]),
    };
    quote! {
        #docs
        // A response is built once and moved out; boxing bodies would only
        // make implementations noisier.
        #[allow(clippy::large_enum_variant)]
        #derives
        pub enum #name {
            #(#variants)*
        }

        impl #name {
            /// The HTTP status code of this response.
            pub fn status(&self) -> u16 {
                match self {
                    #(#statuses)*
                }
            }
        }
    }
}

/// `(..)`, `{ .. }` or nothing, to match any value of the variant.
fn variant_pattern(r: &Response) -> TokenStream {
    match response_form(r) {
        Form::Unit => quote!(),
        Form::Tuple => quote!((..)),
        Form::Struct => quote!({ .. }),
    }
}

/// How a response variant holds its data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// No body, no headers.
    Unit,
    /// Only a body.
    Tuple,
    /// Headers (and maybe a body), or a range or `default` response,
    /// which needs its status.
    Struct,
}

pub fn response_form(r: &Response) -> Form {
    match (r.status.carries_status(), &r.body, r.headers.is_empty()) {
        (true, _, _) | (_, _, false) => Form::Struct,
        (false, Some(_), true) => Form::Tuple,
        (false, None, true) => Form::Unit,
    }
}

/// The Rust type of a response header field.
pub fn header_type(h: &crate::ir::ResponseHeader) -> TokenStream {
    let ty = ty_tokens(&h.shape.ty);
    if h.required {
        ty
    } else {
        quote!(Option<#ty>)
    }
}

fn variant_tokens(r: &Response) -> TokenStream {
    let v = format_ident!("{}", r.variant);
    let mut text = paragraphs(&r.docs, None);
    let status = match r.status {
        Status::Code(code) => format!("Status {code}"),
        Status::Range(class) => format!(
            "A status from {class}00 to {class}99 that no other variant names (`{class}XX`)"
        ),
        Status::Default => "Any other status (`default`)".into(),
    };
    let media = match &r.body {
        Some(payload) => format!(", body {}", media_list(payload)),
        None => String::new(),
    };
    text.insert(0, format!("{status}{media}."));
    let docs = doc_attrs(&text);
    let body_ty = r.body.as_ref().map(|p| shape_type(&p.shape));
    match response_form(r) {
        Form::Unit => quote!(#docs #v,),
        Form::Tuple => quote!(#docs #v(#body_ty),),
        Form::Struct => {
            let status = r.status.carries_status().then(|| {
                quote! {
                    /// The status code.
                    status: u16,
                }
            });
            let body = body_ty.map(|t| {
                quote!(/// The body.
                body: #t,)
            });
            let headers = r.headers.iter().map(|h| {
                let ident = format_ident!("{}", h.rust);
                let ty = header_type(h);
                let mut text = paragraphs(&h.docs, None);
                text.insert(0, format!("Header `{}`.", h.wire));
                let docs = doc_attrs(&text);
                quote!(#docs #ident: #ty,)
            });
            quote!(#docs #v { #status #body #(#headers)* },)
        }
    }
}

/// The doc comment (and `#[deprecated]`) of an operation's method in the
/// server trait or the client: summary, description, method and path, and
/// `auth_note` of the accepted credentials (`` `basicAuth`, or `bearerAuth` ``)
/// when it needs any.
pub fn operation_attrs(op: &Operation, auth_note: impl Fn(&str) -> String) -> TokenStream {
    let mut text = paragraphs(&op.docs, None);
    text.push(format!(
        "`{} {}` (`{}`).",
        op.method.as_str(),
        op.path,
        op.operation_id
    ));
    if op.security.is_secured() {
        text.push(auth_note(&security_text(&op.security)));
    }
    let docs = doc_attrs(&text);
    let deprecated = op.deprecated.then(|| quote!(#[deprecated]));
    quote!(#docs #deprecated)
}

fn media_list(payload: &crate::ir::Payload) -> String {
    payload
        .media_types()
        .map(|m| format!("`{m}`"))
        .collect::<Vec<_>>()
        .join(" or ")
}

fn capitalized(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(first) => first.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}
