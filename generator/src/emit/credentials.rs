//! `Credentials` (one field per security scheme of the spec) and each
//! request's `SECURITY`: the data the server's router and the client read
//! to carry credentials, so that both agree on every scheme.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::{doc_attrs, paragraphs};
use crate::ir::{Api, Carrier, KeyLocation, Operation, Security, SecurityScheme};

/// The `Credentials` struct and its impls.
pub fn credentials_tokens(api: &Api) -> TokenStream {
    let schemes = &api.schemes;
    let fields = schemes.iter().map(|s| {
        let ident = format_ident!("{}", s.rust);
        let docs = doc_attrs(&scheme_text(s));
        let ty = match s.carrier {
            Carrier::Basic => quote!(crate::security::BasicCredentials),
            _ => quote!(String),
        };
        quote!(#docs pub #ident: Option<#ty>,)
    });
    let table = schemes.iter().map(|s| {
        let name = &s.name;
        let carrier = match &s.carrier {
            Carrier::Basic => quote!(Carrier::Basic),
            Carrier::Bearer => quote!(Carrier::Bearer),
            Carrier::ApiKey { location, name } => {
                let variant = match location {
                    KeyLocation::Header => quote!(Header),
                    KeyLocation::Query => quote!(Query),
                    KeyLocation::Cookie => quote!(Cookie),
                };
                quote!(Carrier::#variant(#name))
            }
        };
        quote!(Scheme { name: #name, carrier: #carrier },)
    });
    let table = if schemes.is_empty() {
        quote!(&[])
    } else {
        quote!({
            use crate::security::{Carrier, Scheme};
            &[#(#table)*]
        })
    };
    let builders = schemes.iter().map(builder_method);
    let (get, set) = accessors(schemes);
    let debug_fields = schemes.iter().map(|s| {
        let ident = format_ident!("{}", s.rust);
        let rust = &s.rust;
        match s.carrier {
            Carrier::Basic => quote!(.field(#rust, &self.#ident)),
            _ => quote!(.field(#rust, &self.#ident.as_ref().map(|_| "<redacted>"))),
        }
    });
    quote! {
        /// Credentials for the security schemes of the spec, one field per
        /// scheme. A client can hold several at once: per operation it
        /// sends the first alternative of the operation's `SECURITY` that
        /// it holds every scheme of. The router fills in what a request
        /// carried of the schemes its operation accepts. `Debug` does not
        /// print secrets.
        #[derive(Clone, Default, PartialEq, Eq)]
        pub struct Credentials {
            #(#fields)*
        }

        impl Credentials {
            /// The spec's schemes, by name, and how their secrets travel.
            pub const SCHEMES: &'static [crate::security::Scheme] = #table;

            #(#builders)*

            #get

            #set
        }

        impl std::fmt::Debug for Credentials {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct("Credentials")
                    #(#debug_fields)*
                    .finish()
            }
        }
    }
}

/// `get` and `set` by the scheme's name in the spec, for the runtimes.
fn accessors(schemes: &[SecurityScheme]) -> (TokenStream, TokenStream) {
    let get_docs = quote! {
        /// The secret held for `scheme` (its name in the spec).
    };
    let holds_docs = quote! {
        /// Whether a secret is held for `scheme` (its name in the spec).
    };
    let set_docs = quote! {
        /// Holds `secret` for `scheme` (its name in the spec); `false`, and
        /// nothing changes, when the spec has no such scheme or it takes
        /// another kind of secret.
    };
    if schemes.is_empty() {
        return (
            quote! {
                #get_docs pub fn get(&self, _scheme: &str) -> Option<crate::security::Secret> { None }
                #holds_docs pub fn holds(&self, _scheme: &str) -> bool { false }
            },
            quote!(#set_docs pub fn set(&mut self, _scheme: &str, _secret: crate::security::Secret) -> bool { false }),
        );
    }
    let gets = schemes.iter().map(|s| {
        let (ident, name) = (format_ident!("{}", s.rust), &s.name);
        let variant = secret_variant(s);
        quote!(#name => self.#ident.clone().map(Secret::#variant),)
    });
    let holds = schemes.iter().map(|s| {
        let (ident, name) = (format_ident!("{}", s.rust), &s.name);
        quote!(#name => self.#ident.is_some(),)
    });
    let sets = schemes.iter().map(|s| {
        let (ident, name) = (format_ident!("{}", s.rust), &s.name);
        let variant = secret_variant(s);
        quote!((#name, Secret::#variant(secret)) => self.#ident = Some(secret),)
    });
    (
        quote! {
            #get_docs
            pub fn get(&self, scheme: &str) -> Option<crate::security::Secret> {
                use crate::security::Secret;
                match scheme {
                    #(#gets)*
                    _ => None,
                }
            }

            #holds_docs
            pub fn holds(&self, scheme: &str) -> bool {
                match scheme {
                    #(#holds)*
                    _ => false,
                }
            }
        },
        quote! {
            #set_docs
            pub fn set(&mut self, scheme: &str, secret: crate::security::Secret) -> bool {
                use crate::security::Secret;
                match (scheme, secret) {
                    #(#sets)*
                    _ => return false,
                }
                true
            }
        },
    )
}

fn secret_variant(s: &SecurityScheme) -> proc_macro2::Ident {
    match s.carrier {
        Carrier::Basic => format_ident!("Basic"),
        _ => format_ident!("Token"),
    }
}

fn builder_method(s: &SecurityScheme) -> TokenStream {
    let ident = format_ident!("{}", s.rust);
    let method = format_ident!("with_{}", s.rust.trim_start_matches("r#"));
    let docs = doc_attrs(&[format!("These credentials with `{}` set.", s.name)]);
    match s.carrier {
        Carrier::Basic => quote! {
            #docs
            pub fn #method(mut self, user: impl Into<String>, password: impl Into<String>) -> Self {
                self.#ident = Some(crate::security::BasicCredentials {
                    user: user.into(),
                    password: password.into(),
                });
                self
            }
        },
        _ => {
            let arg = match s.carrier {
                Carrier::ApiKey { .. } => format_ident!("key"),
                _ => format_ident!("token"),
            };
            quote! {
                #docs
                pub fn #method(mut self, #arg: impl Into<String>) -> Self {
                    self.#ident = Some(#arg.into());
                    self
                }
            }
        }
    }
}

/// The field's docs: the scheme, how it travels, the spec's description.
fn scheme_text(s: &SecurityScheme) -> Vec<String> {
    let travels = match &s.carrier {
        Carrier::Basic => "sent as `Authorization: Basic`".to_string(),
        Carrier::Bearer => "sent as `Authorization: Bearer`".to_string(),
        Carrier::ApiKey { location, name } => {
            format!("sent in the {} `{name}`", location_noun(*location))
        }
    };
    let mut text = paragraphs(&s.docs, None);
    text.insert(0, format!("`{}` ({}), {travels}.", s.name, s.kind));
    text
}

fn location_noun(location: KeyLocation) -> &'static str {
    match location {
        KeyLocation::Header => "header",
        KeyLocation::Query => "query parameter",
        KeyLocation::Cookie => "cookie",
    }
}

/// The value of an operation's `SECURITY`, or `None` for an anonymous one
/// (which uses `Security::NONE`).
pub fn security_const(op: &Operation) -> Option<TokenStream> {
    let security = &op.security;
    if !security.is_secured() {
        return None;
    }
    let alternatives = security.alternatives.iter().map(|all| {
        let uses = all
            .iter()
            .map(|(name, scopes)| quote!((#name, &[#(#scopes),*])));
        quote!(&[#(#uses),*])
    });
    let optional = security.optional;
    let docs = doc_attrs(&[
        "The credentials the operation accepts:".to_string(),
        format!("{}.", security_text(security)),
    ]);
    Some(quote! {
        #docs
        pub const SECURITY: crate::security::Security = crate::security::Security {
            alternatives: &[#(#alternatives),*],
            optional: #optional,
        };
    })
}

/// Which credentials an operation accepts, for docs: "`basicAuth`, or
/// `petstore_auth` (scopes `write:pets`, `read:pets`)"; optional security
/// adds "or none".
pub fn security_text(security: &Security) -> String {
    let mut alternatives: Vec<String> = security
        .alternatives
        .iter()
        .map(|all| {
            let each: Vec<String> = all
                .iter()
                .map(|(name, scopes)| {
                    if scopes.is_empty() {
                        format!("`{name}`")
                    } else {
                        let list: Vec<String> = scopes.iter().map(|s| format!("`{s}`")).collect();
                        format!("`{name}` (scopes {})", list.join(", "))
                    }
                })
                .collect();
            each.join(" and ")
        })
        .collect();
    if security.optional {
        alternatives.push("none".into());
    }
    alternatives.join(", or ")
}
