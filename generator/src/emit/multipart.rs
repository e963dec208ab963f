//! `MultipartForm` for the struct of each multipart body: to and from the
//! transport-neutral `support::Part`s that the router reads with axum's
//! multipart support and the client sends with reqwest's.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::ir::{Api, BodyKind, ModelSpace, MultipartPart, PartKind, Ty, TypeKind};

/// One impl per multipart body type of the operations.
pub fn multipart_impls(api: &Api, space: &ModelSpace) -> TokenStream {
    let aliases = super::models::Aliases::of(space);
    // The type of a text part's value, which decides how it is written.
    let field_ty = |name: &str, rust: &str| {
        let def = space.types.iter().find(|t| t.name == name)?;
        let TypeKind::Struct(s) = &def.kind else {
            return None;
        };
        let field = s.fields.iter().find(|f| f.rust == rust)?;
        let shape = match &field.shape.ty {
            Ty::Array(item) => item,
            _ => &field.shape,
        };
        // An alias (`pub type Pages = i64;`) is the type it names.
        Some(aliases.resolve(shape).ty.clone())
    };
    let mut seen: Vec<&str> = Vec::new();
    let mut impls = Vec::new();
    for op in &api.operations {
        let Some(body) = &op.body else {
            continue;
        };
        for payload in body.payload.alternatives() {
            let Ty::Named(name) = &payload.shape.ty else {
                continue;
            };
            for media in &payload.media {
                if let BodyKind::Multipart(parts) = &media.kind {
                    if !seen.contains(&name.as_str()) {
                        seen.push(name);
                        impls.push(form_impl(name, parts, &field_ty));
                    }
                }
            }
        }
    }
    quote!(#(#impls)*)
}

fn form_impl(
    name: &str,
    parts: &[MultipartPart],
    field_ty: &impl Fn(&str, &str) -> Option<Ty>,
) -> TokenStream {
    let ty = format_ident!("{name}");
    let pushes = parts.iter().map(|p| {
        let field = format_ident!("{}", p.rust);
        let wire = &p.wire;
        let content_type = match &p.content_type {
            Some(c) => quote!(Some(#c)),
            None => quote!(None),
        };
        let item_ty = field_ty(name, &p.rust);
        let make = |v: TokenStream| match p.kind {
            PartKind::File => quote!(crate::support::Part::file(#wire, #v, #content_type)),
            PartKind::Json => quote!(crate::support::Part::json(#wire, #v, #content_type)?),
            PartKind::Text => match item_ty {
                Some(Ty::DateTime) => {
                    quote!(crate::support::Part::text(#wire, #v.to_rfc3339(), #content_type))
                }
                _ => quote!(crate::support::Part::text(#wire, #v, #content_type)),
            },
        };
        // The part's headers, where `encoding` gives it some.
        let headers = p.headers.iter().map(|h| {
            let (wire, field) = (&h.wire, format_ident!("{}", h.rust));
            let value = match h.required {
                true => quote!(Some(&self.#field)),
                false => quote!(self.#field.as_ref()),
            };
            let value = match h.shape.ty {
                // `Display` of a date-time is not RFC 3339.
                Ty::DateTime => quote!(#value.map(|v| v.to_rfc3339())),
                _ => value,
            };
            quote!(.with_header(#wire, #value))
        });
        let make = |v: TokenStream| {
            let part = make(v);
            let headers = headers.clone();
            quote!(#part #(#headers)*)
        };
        let one = make(quote!(v));
        match (p.repeated, p.required) {
            // Numbers, booleans and dates are `Copy`: no borrow.
            (false, true)
                if matches!(
                    item_ty,
                    Some(Ty::I32 | Ty::I64 | Ty::F32 | Ty::F64 | Ty::Bool | Ty::Date)
                ) =>
            {
                Push::Always(make(quote!(self.#field)))
            }
            (false, true) => Push::Always(make(quote!(&self.#field))),
            (false, false) => {
                Push::Code(quote!(if let Some(v) = &self.#field { parts.push(#one); }))
            }
            (true, true) => Push::Code(quote!(for v in &self.#field { parts.push(#one); })),
            (true, false) => {
                Push::Code(quote!(for v in self.#field.iter().flatten() { parts.push(#one); }))
            }
        }
    });
    let pushes: Vec<Push> = pushes.collect();
    // Parts that are always there start the vector (clippy: no pushes
    // right after creation).
    let leading = pushes
        .iter()
        .take_while(|p| matches!(p, Push::Always(_)))
        .count();
    let first = pushes[..leading].iter().filter_map(|p| match p {
        Push::Always(part) => Some(part),
        Push::Code(_) => None,
    });
    let rest: Vec<TokenStream> = pushes[leading..]
        .iter()
        .map(|p| match p {
            Push::Always(part) => quote!(parts.push(#part);),
            Push::Code(code) => code.clone(),
        })
        .collect();
    // Not `vec![…]`: the parts are formatted where a macro's are not.
    let first: Vec<&TokenStream> = first.collect();
    let init = match first.is_empty() {
        true => quote!(Vec::new()),
        false => quote!(Vec::from([#(#first),*])),
    };
    let to_parts = if rest.is_empty() {
        quote!(Ok(#init))
    } else {
        quote! {
            let mut parts = #init;
            #(#rest)*
            Ok(parts)
        }
    };
    let locals = parts.iter().map(|p| {
        let field = format_ident!("{}", p.rust);
        let headers = p.headers.iter().map(|h| {
            let field = format_ident!("{}", h.rust);
            quote!(let mut #field = None;)
        });
        if p.repeated {
            quote!(let mut #field = Vec::new(); #(#headers)*)
        } else {
            quote!(let mut #field = None; #(#headers)*)
        }
    });
    let reads: Vec<(&str, TokenStream)> = parts
        .iter()
        .map(|p| {
            let field = format_ident!("{}", p.rust);
            let read = match p.kind {
                PartKind::File => quote!(Some(part.into_file())),
                PartKind::Text => quote!(part.parse(&mut errors)),
                PartKind::Json => quote!(part.parse_json(&mut errors)),
            };
            let assign = match (p.repeated, &p.kind) {
                (true, PartKind::File) => quote!(#field.push(part.into_file())),
                // `push`, not `extend`: it tells the parse its type.
                (true, _) => quote!(if let Some(item) = #read { #field.push(item); }),
                (false, _) => quote!(#field = #read),
            };
            // Headers first: reading a file takes the part.
            let headers: Vec<TokenStream> = p
                .headers
                .iter()
                .map(|h| {
                    let (wire, field) = (&h.wire, format_ident!("{}", h.rust));
                    let required = h.required;
                    quote!(#field = part.header(#wire, #required, &mut errors);)
                })
                .collect();
            let assign = match headers.is_empty() {
                true => assign,
                false => quote!({ #(#headers)* #assign }),
            };
            (p.wire.as_str(), assign)
        })
        .collect();
    let dispatch = match reads.as_slice() {
        [(wire, assign)] => quote!(if part.name == #wire { #assign; }),
        _ => {
            let arms = reads.iter().map(|(wire, assign)| quote!(#wire => #assign,));
            quote! {
                match part.name.as_str() {
                    #(#arms)*
                    _ => {}
                }
            }
        }
    };
    let missing = parts.iter().filter(|p| p.required).map(|p| {
        let field = format_ident!("{}", p.rust);
        let message = format!("/body/{}: the required part is missing", p.wire);
        let absent = if p.repeated {
            quote!(#field.is_empty())
        } else {
            quote!(#field.is_none())
        };
        quote!(if #absent { errors.push(#message.to_string()); })
    });
    let required: Vec<_> = parts
        .iter()
        .filter(|p| p.required && !p.repeated)
        .map(|p| format_ident!("{}", p.rust))
        .chain(
            parts
                .iter()
                .flat_map(|p| &p.headers)
                .filter(|h| h.required)
                .map(|h| format_ident!("{}", h.rust)),
        )
        .collect();
    let bind = (!required.is_empty()).then(|| {
        quote! {
            let (#(Some(#required),)*) = (#(#required,)*) else {
                return Err(errors);
            };
        }
    });
    let inits = parts.iter().flat_map(|p| {
        let field = format_ident!("{}", p.rust);
        let part = if p.repeated && !p.required {
            quote!(#field: (!#field.is_empty()).then_some(#field))
        } else {
            quote!(#field)
        };
        let headers = p.headers.iter().map(|h| {
            let field = format_ident!("{}", h.rust);
            quote!(#field)
        });
        std::iter::once(part).chain(headers)
    });
    // Optional files alone cannot go wrong.
    let fallible = parts
        .iter()
        .any(|p| p.required || p.kind != PartKind::File || !p.headers.is_empty());
    let (errors_init, errors_check) = if fallible {
        (
            quote!(let mut errors = Vec::new();),
            quote!(if !errors.is_empty() {
                return Err(errors);
            }),
        )
    } else {
        (TokenStream::new(), TokenStream::new())
    };
    quote! {
        impl crate::support::MultipartForm for #ty {
            fn to_parts(&self) -> Result<Vec<crate::support::Part>, String> {
                #to_parts
            }

            fn from_parts(parts: Vec<crate::support::Part>) -> Result<Self, Vec<String>> {
                #errors_init
                #(#locals)*
                for part in parts {
                    #dispatch
                }
                #(#missing)*
                #bind
                #errors_check
                Ok(#ty { #(#inits),* })
            }
        }
    }
}

/// How one part gets into the list `to_parts` returns.
enum Push {
    /// A part that is always there.
    Always(TokenStream),
    /// Statements that push what there is.
    Code(TokenStream),
}
