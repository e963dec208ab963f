//! `tests/examples.rs` of a models crate: every example of the spec decodes,
//! encodes back to the expected JSON and validates as expected; malformed
//! documents fail at the right path.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::examples::{TypeExamples, Validity};
use crate::naming::{self, Scope};

pub fn example_tests(crate_name: &str, examples: &[TypeExamples]) -> TokenStream {
    if examples.is_empty() {
        return quote! {
            //! The spec declares no schemas, so there are no examples to check.
        };
    }
    let krate = format_ident!("{}", crate_name.replace('-', "_"));
    let mut scope = Scope::default();
    let tests = examples.iter().map(|t| {
        let (fn_name, _) = scope.claim(naming::field_name(&t.type_name), &t.type_name);
        let fn_name = format_ident!("{}", fn_name);
        let ty = format_ident!("{}", t.type_name);
        let cases = t.cases.iter().map(|c| {
            let input = json_literal(&c.input);
            let expected = if c.expected == c.input {
                quote!(Expected::Same)
            } else {
                let e = json_literal(&c.expected);
                quote!(Expected::Json(#e))
            };
            let validity = match c.validity {
                Validity::Valid => quote!(Validity::Valid),
                Validity::Invalid => quote!(Validity::Invalid),
            };
            quote!(t.round_trip(#input, #expected, #validity);)
        });
        let rejects = t.rejects.iter().map(|r| {
            let input = json_literal(&r.input);
            let (path, needle) = (&r.path, &r.needle);
            quote!(t.rejects(#input, #path, #needle);)
        });
        quote! {
            #[test]
            fn #fn_name() {
                let t = Cases::<models::#ty>::new();
                #(#cases)*
                #(#rejects)*
            }
        }
    });
    // Only the kinds of check some type has: an unused one would be dead.
    let round_trip = examples.iter().any(|t| !t.cases.is_empty()).then(|| {
        quote! {
            fn round_trip(&self, input: &str, expected: Expected, validity: Validity) {
                let value: T = match models::from_json_slice(input.as_bytes()) {
                    Ok(value) => value,
                    Err(e) => panic!("{input}\ndoes not decode: {e}"),
                };
                // Through the text, as on the wire: `to_value` would
                // widen an `f32` to the `f64` nearest to it.
                let back: serde_json::Value = match serde_json::to_string(&value) {
                    Ok(text) => serde_json::from_str(&text)
                        .unwrap_or_else(|e| panic!("{text} does not parse: {e}")),
                    Err(e) => panic!("{value:?} does not encode: {e}"),
                };
                let want: serde_json::Value = match expected {
                    Expected::Same => serde_json::from_str(input),
                    Expected::Json(text) => serde_json::from_str(text),
                }
                .unwrap_or_else(|e| panic!("the expected JSON does not parse: {e}"));
                assert_eq!(back, want, "{input} encodes back differently");
                match (validity, value.validate()) {
                    (Validity::Valid, Err(violations)) => panic!("{input}\n{violations}"),
                    (Validity::Invalid, Ok(())) => panic!("{input}\nshould not validate"),
                    (Validity::Valid, Ok(())) | (Validity::Invalid, Err(_)) => {}
                }
            }
        }
    });
    let rejects = examples.iter().any(|t| !t.rejects.is_empty()).then(|| {
        quote! {
            fn rejects(&self, input: &str, path: &str, needle: &str) {
                match models::from_json_slice::<T>(input.as_bytes()) {
                    Ok(value) => panic!("{input}\ndecodes to {value:?}; expected an error at `{path}`"),
                    Err(e) => {
                        assert_eq!(e.path, path, "{e}");
                        assert!(e.message.contains(needle), "{e} does not mention {needle:?}");
                    }
                }
            }
        }
    });
    quote! {
        //! Examples from the spec (synthesized where it gives none) decode into
        //! the models, encode back to the expected JSON and pass or fail
        //! `validate()` as expected; malformed documents fail with the path of
        //! the offending value.

        // The spec marks some types deprecated; their tests must still use them.
        #![allow(deprecated)]

        #[rustfmt::skip]
        mod cases {
            use #krate as models;
            use models::Validate;
            // Not every crate has every kind of case.
            #[allow(dead_code)]
            enum Expected {
                /// Encodes back to the input.
                Same,
                /// Encodes back to this (defaults filled in, numbers and dates normalized).
                Json(&'static str),
            }

            #[allow(dead_code)]
            enum Validity {
                Valid,
                Invalid,
            }

            /// The checks of one model type.
            struct Cases<T>(std::marker::PhantomData<T>);

            impl<T> Cases<T>
            where
                T: serde::de::DeserializeOwned + serde::Serialize + Validate + std::fmt::Debug,
            {
                fn new() -> Self {
                    Cases(std::marker::PhantomData)
                }

                #round_trip

                #rejects
            }

            #(#tests)*
        }
    }
}

/// A raw string literal, so the JSON reads as JSON in the generated file.
pub(crate) fn json_literal(value: &serde_json::Value) -> TokenStream {
    let text = value.to_string();
    let mut hashes = String::from("#");
    while text.contains(&format!("\"{hashes}")) {
        hashes.push('#');
    }
    format!("r{hashes}\"{text}\"{hashes}")
        .parse()
        .unwrap_or_else(|_| {
            let lit = proc_macro2::Literal::string(&text);
            quote!(#lit)
        })
}
