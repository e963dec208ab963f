//! How each side reads and writes a body, by its media types' kinds: the
//! runtime call the client and the router make for a [`Payload`]. One
//! place, so that both sides agree on every media type.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::ir::{BodyKind, FormField, FormStyle, Operation, Payload, Ty};

/// The form styles of a payload's form media type, as a slice expression.
fn styles(payload: &Payload) -> TokenStream {
    let fields: &[FormField] = payload
        .media
        .iter()
        .find_map(|m| match &m.kind {
            BodyKind::Form(fields) => Some(fields.as_slice()),
            _ => None,
        })
        .unwrap_or_default();
    let entries = fields.iter().map(|f| {
        let wire = &f.wire;
        let style = match f.style {
            FormStyle::Comma => quote!(Comma),
            FormStyle::Space => quote!(Space),
            FormStyle::Pipe => quote!(Pipe),
            FormStyle::Deep => quote!(Deep),
        };
        quote!((#wire, models::support::FormStyle::#style))
    });
    quote!(&[#(#entries),*])
}

fn media_names(payload: &Payload, keep: impl Fn(&BodyKind) -> bool) -> Vec<&str> {
    payload
        .media
        .iter()
        .filter(|m| keep(&m.kind))
        .map(|m| m.name.as_str())
        .collect()
}

/// The enum of a payload with a choice of values.
fn enum_ident(payload: &Payload) -> Option<proc_macro2::Ident> {
    match &payload.shape.ty {
        Ty::Named(name) => Some(format_ident!("{}", name)),
        _ => None,
    }
}

/// "`a` or `b`", for errors.
fn expected(payload: &Payload) -> String {
    payload.media_types().collect::<Vec<_>>().join(" or ")
}

/// Client: the `runtime::Outgoing` for the body `value` (a reference),
/// and whether it is a `Result` (encoding can fail).
pub fn client_encode(payload: &Payload, value: TokenStream) -> (TokenStream, bool) {
    if let (Some(variants), Some(ty)) = (&payload.choice, enum_ident(payload)) {
        let arms = variants.iter().map(|v| {
            let variant = format_ident!("{}", v.name);
            let encode = match client_encode(&v.payload, quote!(value)) {
                (encode, true) => encode,
                (encode, false) => quote!(Ok(#encode)),
            };
            quote!(#ty::#variant(value) => #encode,)
        });
        return (quote!(match #value { #(#arms)* }), true);
    }
    let media = &payload.first().name;
    match &payload.first().kind {
        BodyKind::Json => (quote!(runtime::json_body(#media, #value)), true),
        BodyKind::Form(_) => {
            let styles = styles(payload);
            (quote!(runtime::form_body(#media, #value, #styles)), true)
        }
        BodyKind::Text => (quote!(runtime::text_body(#media, #value)), false),
        BodyKind::Bytes => (quote!(runtime::bytes_body(#media, #value)), true),
        BodyKind::Blob => (quote!(runtime::blob_body(#media, #value)), true),
        BodyKind::Multipart(_) => (quote!(runtime::multipart_body(#value)), true),
        BodyKind::EventStream { .. } => (never_sent(), false),
    }
}

/// Client: the body of `received`, decoded as its Content-Type says.
pub fn client_decode(payload: &Payload) -> TokenStream {
    if let (Some(variants), Some(ty)) = (&payload.choice, enum_ident(payload)) {
        let expected = expected(payload);
        let mut chain = quote!({ return Err(received.wrong_type(#expected)); });
        for v in variants.iter().rev() {
            let variant = format_ident!("{}", v.name);
            let media = media_names(&v.payload, |_| true);
            let decode = client_decode(&v.payload);
            chain = quote!(if received.is(&[#(#media),*]) { #ty::#variant(#decode) } else #chain);
        }
        return chain;
    }
    let first = &payload.first().name;
    let expected = expected(payload);
    match &payload.first().kind {
        BodyKind::Json | BodyKind::Form(_) => {
            let json = media_names(payload, |k| matches!(k, BodyKind::Json));
            let form = media_names(payload, |k| matches!(k, BodyKind::Form(_)));
            match (json.len(), form.len()) {
                (1, 0) => quote!(received.json(#first)?),
                (0, 1) => quote!(received.form(#first)?),
                _ => quote!(received.serde(&[#(#json),*], &[#(#form),*], #expected)?),
            }
        }
        BodyKind::Text => {
            let all = media_names(payload, |_| true);
            quote!(received.text(&[#(#all),*], #expected)?)
        }
        // Responses are never multipart: the IR keeps them as bytes.
        BodyKind::Bytes | BodyKind::Multipart(_) => {
            let all = media_names(payload, |_| true);
            quote!(received.bytes(&[#(#all),*], #expected)?)
        }
        BodyKind::Blob => quote!(received.blob(#first)?),
        BodyKind::EventStream { json: true } => quote!(received.json_events()?),
        BodyKind::EventStream { json: false } => quote!(received.text_events()?),
    }
}

/// Client: the media types of the operation's answers that are read as
/// streams (raw bytes, events) rather than whole.
pub fn streamed_answers(op: &Operation) -> Vec<&str> {
    let mut streamed = Vec::new();
    for payload in op.responses.iter().filter_map(|r| r.body.as_ref()) {
        for alternative in payload.alternatives() {
            for media in &alternative.media {
                let stream = matches!(media.kind, BodyKind::Bytes | BodyKind::EventStream { .. });
                if stream && !streamed.contains(&media.name.as_str()) {
                    streamed.push(media.name.as_str());
                }
            }
        }
    }
    streamed
}

/// Whether the router hands the implementation the request body unread:
/// raw bytes of one Rust value.
pub fn streams_request(payload: &Payload) -> bool {
    payload.choice.is_none() && payload.first().kind == BodyKind::Bytes
}

/// Router: the decoded body (`Option<T>`) from the read `body` bytes, or
/// the unread body where it [`streams_request`]; the Content-Type has been
/// checked against the payload's media types.
pub fn server_decode(payload: &Payload, required: bool) -> TokenStream {
    match streams_request(payload) {
        true => quote!(runtime::binary_body(body, #required, &mut problems)),
        false => decode_read(payload, required),
    }
}

fn decode_read(payload: &Payload, required: bool) -> TokenStream {
    if let (Some(variants), Some(ty)) = (&payload.choice, enum_ident(payload)) {
        // The last variant also reads an absent body (and reports it
        // where it is required); the Content-Type has been checked.
        let mut chain: Option<TokenStream> = None;
        for v in variants.iter().rev() {
            let variant = format_ident!("{}", v.name);
            let decode = decode_read(&v.payload, required);
            let media = media_names(&v.payload, |_| true);
            chain = Some(match chain {
                None => quote!(#decode.map(#ty::#variant)),
                Some(rest) => quote! {
                    if runtime::sent_as(context.headers(), &[#(#media),*]) {
                        #decode.map(#ty::#variant)
                    } else {
                        #rest
                    }
                },
            });
        }
        return chain.unwrap_or_else(|| quote!(None));
    }
    let json = payload.media.iter().any(|m| m.kind == BodyKind::Json);
    let form = payload
        .media
        .iter()
        .any(|m| matches!(m.kind, BodyKind::Form(_)));
    match &payload.first().kind {
        BodyKind::Json | BodyKind::Form(_) => match (json, form) {
            (true, false) => quote!(runtime::json_body(&body, #required, &mut problems)),
            (false, _) => {
                let styles = styles(payload);
                quote!(runtime::form_body(&body, #required, #styles, &mut problems))
            }
            (true, true) => {
                let styles = styles(payload);
                quote!(runtime::serde_body(context.headers(), &body, #required, #styles, &mut problems))
            }
        },
        BodyKind::Text => quote!(runtime::text_body(body, #required, &mut problems)),
        BodyKind::Bytes => quote!(runtime::bytes_body(body, #required, &mut problems)),
        BodyKind::Blob => {
            quote!(runtime::blob_body(context.headers(), body, #required, &mut problems))
        }
        BodyKind::Multipart(_) => {
            quote!(runtime::multipart_body(context.headers(), body, #required, &mut problems).await)
        }
        BodyKind::EventStream { .. } => never_sent(),
    }
}

/// Router: the response with `status`, the body bound to `value` (owned)
/// and `headers`.
pub fn server_encode(payload: &Payload, status: &TokenStream, value: TokenStream) -> TokenStream {
    if let (Some(variants), Some(ty)) = (&payload.choice, enum_ident(payload)) {
        let arms = variants.iter().map(|v| {
            let variant = format_ident!("{}", v.name);
            let encode = server_encode(&v.payload, status, quote!(value));
            quote!(#ty::#variant(value) => #encode,)
        });
        return quote!(match #value { #(#arms)* });
    }
    let first = &payload.first().name;
    // Of several media types, the one the client's `Accept` prefers.
    let all: Vec<&str> = payload.media_types().collect();
    let media = match all.len() {
        1 => quote!(#first),
        _ => quote!(runtime::preferred(context.headers(), &[#(#all),*])),
    };
    let form = media_names(payload, |k| matches!(k, BodyKind::Form(_)));
    let json = media_names(payload, |k| matches!(k, BodyKind::Json));
    match &payload.first().kind {
        BodyKind::Json | BodyKind::Form(_) if !form.is_empty() && !json.is_empty() => {
            let styles = styles(payload);
            let pattern = match form.as_slice() {
                [one] => quote!(#one),
                _ => quote!((#(#form)|*)),
            };
            quote! {
                match #media {
                    media @ #pattern => runtime::form(#status, media, &#value, #styles, headers),
                    media => runtime::json(#status, media, &#value, headers),
                }
            }
        }
        BodyKind::Json => quote!(runtime::json(#status, #media, &#value, headers)),
        BodyKind::Form(_) => {
            let styles = styles(payload);
            quote!(runtime::form(#status, #media, &#value, #styles, headers))
        }
        BodyKind::Text => quote!(runtime::text(#status, #media, #value, headers)),
        // Responses are never multipart: the IR keeps them as bytes.
        BodyKind::Bytes | BodyKind::Multipart(_) => {
            quote!(runtime::bytes(#status, #media, #value, headers))
        }
        BodyKind::Blob => quote!(runtime::blob(#status, #value, headers)),
        BodyKind::EventStream { json: true } => {
            quote!(runtime::json_events(#status, #value, headers))
        }
        BodyKind::EventStream { json: false } => {
            quote!(runtime::text_events(#status, #value, headers))
        }
    }
}

/// Request bodies are never streams of events: the IR refuses them. Code
/// that does not compile, should that change without the emitters.
fn never_sent() -> TokenStream {
    quote!(compile_error!("a request body of events is not generated"))
}
