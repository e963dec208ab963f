//! Stage 5, **format**: tokens → source text with prettyplease, so the output
//! does not depend on a rustfmt binary or its version.

use proc_macro2::TokenStream;

/// Formats one file. A parse failure is a generator bug; it is returned as
/// an error naming the file rather than panicking.
pub fn format_file(tokens: TokenStream, header: &str, file: &str) -> Result<String, String> {
    let parsed: syn::File = syn::parse2(tokens)
        .map_err(|e| format!("internal error: generated {file} does not parse: {e}"))?;
    let body = prettyplease::unparse(&parsed);
    Ok(format!("{header}{body}"))
}
