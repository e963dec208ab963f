//! Doc comments from spec text. Spec descriptions are not written as Rust
//! markdown: indented lines would become doctests and bare fences would be
//! compiled, so lines are trimmed and fences are marked as text.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::Docs;

/// `#[doc = "..."]` attributes for the given paragraphs.
pub fn doc_attrs(paragraphs: &[String]) -> TokenStream {
    let mut lines: Vec<String> = Vec::new();
    for p in paragraphs.iter().filter(|p| !p.trim().is_empty()) {
        if !lines.is_empty() {
            lines.push(String::new());
        }
        lines.extend(sanitize(p));
    }
    let attrs = lines.iter().map(|l| {
        let text = if l.is_empty() {
            String::new()
        } else {
            format!(" {l}")
        };
        quote!(#[doc = #text])
    });
    quote!(#(#attrs)*)
}

/// Paragraphs for a type or field: title, description, example, notes.
pub fn paragraphs(docs: &Docs, fallback: Option<&str>) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(t) = &docs.title {
        out.push(t.clone());
    }
    if let Some(d) = &docs.description {
        out.push(d.clone());
    }
    if out.is_empty() {
        if let Some(f) = fallback {
            out.push(f.to_string());
        }
    }
    if let Some(example) = &docs.example {
        let text = serde_json::to_string_pretty(example).unwrap_or_default();
        out.push(format!("Example:\n```json\n{text}\n```"));
    }
    out.extend(docs.notes.iter().cloned());
    out
}

pub(crate) fn sanitize(text: &str) -> Vec<String> {
    let mut in_fence = false;
    text.lines()
        // Tabs render differently in every viewer (clippy's
        // `tabs_in_doc_comments`); four spaces is rustdoc's convention.
        .map(|line| line.replace('\t', "    "))
        .map(|line| {
            let line = line.as_str();
            let t = line.trim();
            if t.starts_with("```") {
                in_fence = !in_fence;
                if in_fence && t == "```" {
                    return "```text".to_string();
                }
                return t.to_string();
            }
            if in_fence {
                line.trim_end().to_string()
            } else {
                unindented_quote(t)
            }
        })
        .collect()
}

/// `line` with the space after its blockquote markers collapsed: text
/// indented inside a quote (`>      | Greater Than`, a table of
/// operators) would be an indented code block there, and so a doctest.
fn unindented_quote(line: &str) -> String {
    let mut markers = 0;
    let mut rest = line;
    while let Some(after) = rest.strip_prefix('>') {
        if !(after.is_empty() || after.starts_with([' ', '>'])) {
            break;
        }
        markers += 1;
        rest = after.trim_start();
    }
    match markers {
        0 => line.to_string(),
        _ => format!("{}{rest}", "> ".repeat(markers))
            .trim_end()
            .to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indented_lines_cannot_become_doctests() {
        let lines = sanitize("Sort by:\n     'ORDER_ID' - id\n```\ncode\n```");
        assert_eq!(
            lines,
            vec!["Sort by:", "'ORDER_ID' - id", "```text", "code", "```"]
        );
    }

    #[test]
    fn text_indented_in_a_quote_cannot_become_a_doctest() {
        let lines = sanitize(
            "!= | Not equal
>                        | Greater Than
>= | At least
> >     nested",
        );
        assert_eq!(
            lines,
            vec![
                "!= | Not equal",
                "> | Greater Than",
                ">= | At least",
                "> > nested"
            ]
        );
    }
}
