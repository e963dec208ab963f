//! The client's streams over paged operations (`ir::paging`): a method
//! that returns a `Stream` of items, and the function that fetches one
//! page and makes the request for the next.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::operations::{response_form, Form};
use super::rust_types::shape_type;
use crate::ir::{Moving, Operation, Paging, PagingKind};

/// The `…_stream` method of `Client`, for an operation that pages.
pub fn stream_method(op: &Operation, paging: &Paging) -> TokenStream {
    let name = format_ident!("{}", paging.fn_stream);
    let request = format_ident!("{}", op.request_type);
    let item = shape_type(&paging.item);
    let page = page_fn_name(op);
    let rule = match &paging.kind {
        PagingKind::Offset(m) => format!(
            "`{}` advances by the number of items received; the stream ends after an empty page",
            m.wire
        ),
        PagingKind::Page(m) => format!(
            "`{}` advances by one; the stream ends after an empty page",
            m.wire
        ),
        PagingKind::Cursor { param, .. } => format!(
            "`{}` takes the cursor each page names; the stream ends at a page that names none",
            param.wire
        ),
    };
    let doc = format!(
        " Every item of [`{0}`](Self::{0}), fetched page after page from `request` on: {rule}. \
         It also ends, with the error, at the first call that fails or does not answer with \
         the success status ([`Error::Unsuccessful`]).",
        op.fn_name
    );
    let deprecated = op.deprecated.then(|| quote!(#[deprecated]));
    quote! {
        #[doc = #doc]
        #deprecated
        pub fn #name(
            &self,
            request: &#request,
        ) -> impl futures_util::Stream<Item = Result<#item, Error>> + Send + Unpin + 'static {
            runtime::pages(self.clone(), request.clone(), #page)
        }
    }
}

fn page_fn_name(op: &Operation) -> proc_macro2::Ident {
    format_ident!("{}_page", op.fn_name.trim_end_matches('_'))
}

/// The function behind the stream: one call, its items, and the request
/// for the next page (`None` when there is none).
pub fn page_fn(op: &Operation, paging: &Paging) -> TokenStream {
    let name = page_fn_name(op);
    let method = format_ident!("{}", op.fn_name);
    let request = format_ident!("{}", op.request_type);
    let response = format_ident!("{}", op.response_type);
    let item = shape_type(&paging.item);
    let success = &op.responses[paging.items.response];
    let variant = format_ident!("{}", success.variant);
    // Binds the body as `body`, or straight as `items` when it is the array.
    let pattern = |as_items: bool| match (response_form(success), as_items) {
        (Form::Struct, false) => quote!(#response::#variant { body, .. }),
        (Form::Struct, true) => quote!(#response::#variant { body: items, .. }),
        (_, false) => quote!(#response::#variant(body)),
        (_, true) => quote!(#response::#variant(items)),
    };
    // The body is the array, or holds it in a field.
    let (binding, items) = match &paging.items.field {
        None => (quote!(items), None),
        Some((field, options)) => {
            let field = format_ident!("{}", field);
            let value = unwrapped(quote!(body.#field), *options);
            (quote!(body), Some(quote!(let items = #value;)))
        }
    };
    let call = quote!(client.#method(&request).await?);
    // A response enum of one variant needs no other arm.
    let answer = if op.responses.len() == 1 {
        let pattern = pattern(paging.items.field.is_none());
        quote!(let #pattern = #call;)
    } else {
        let pattern = pattern(false);
        quote! {
            let #binding = match #call {
                #pattern => body,
                other => return Err(Error::Unsuccessful { status: other.status(), response: format!("{other:?}") }),
            };
        }
    };
    let advance = match &paging.kind {
        PagingKind::Offset(m) => advanced(m, quote!(items.len()), 0),
        PagingKind::Page(m) => advanced(m, quote!(1), 1),
        PagingKind::Cursor {
            param,
            next,
            next_options,
        } => {
            let next = format_ident!("{}", next);
            let cursor = match next_options {
                0 => quote!(Some(body.#next)),
                1 => quote!(body.#next),
                _ => quote!(body.#next.flatten()),
            };
            let field = format_ident!("{}", param.field);
            let set = if param.optional {
                quote!(next.#field = Some(cursor);)
            } else {
                quote!(next.#field = cursor;)
            };
            quote! {
                let Some(cursor) = #cursor.filter(|c| !c.is_empty()) else {
                    return Ok((items, None));
                };
                let mut next = request;
                #set
            }
        }
    };
    let doc = format!(
        " One page of [`Client::{}`], and the request for the next.",
        paging.fn_stream
    );
    quote! {
        #[doc = #doc]
        async fn #name(client: Client, request: #request) -> Result<(Vec<#item>, Option<#request>), Error> {
            #answer
            #items
            #advance
            Ok((items, Some(next)))
        }
    }
}

/// `value` under `options` `Option`s, `None` read as no items.
fn unwrapped(value: TokenStream, options: u8) -> TokenStream {
    match options {
        0 => value,
        1 => quote!(#value.unwrap_or_default()),
        _ => quote!(#value.flatten().unwrap_or_default()),
    }
}

/// `next`, with `m` advanced by `by` (from `start` when unset).
fn advanced(m: &Moving, by: TokenStream, start: i64) -> TokenStream {
    let field = format_ident!("{}", m.field);
    let wire = &m.wire;
    let value = if m.optional {
        let start = proc_macro2::Literal::i64_unsuffixed(start);
        quote!(Some(runtime::advance(next.#field.unwrap_or(#start), #by, #wire)?))
    } else {
        quote!(runtime::advance(next.#field, #by, #wire)?)
    };
    quote! {
        let mut next = request;
        next.#field = #value;
    }
}
