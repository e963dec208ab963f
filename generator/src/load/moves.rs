//! Where the parts of a rewritten document were written in its source.
//!
//! A load step that moves parts of the document (Swagger 2.0's
//! `definitions` become `components/schemas`, a body parameter becomes a
//! `requestBody`) records each move, so that a diagnostic about the
//! rewritten document still names the place in the file the user wrote.

/// `(pointer after the rewrite, pointer in the source)` pairs; a pointer
/// below a recorded one moved with it.
#[derive(Debug, Clone, Default)]
pub struct Moves(Vec<(String, String)>);

impl Moves {
    /// Records that `at` was written at `from`.
    pub fn record(&mut self, at: impl Into<String>, from: impl Into<String>) {
        self.0.push((at.into(), from.into()));
    }

    /// Where `pointer` was written: the longest recorded prefix mapped back,
    /// or `pointer` itself where nothing moved it.
    pub fn source_of(&self, pointer: &str) -> String {
        match longest_prefix(&self.0, pointer, |(at, _)| at) {
            Some(((_, from), rest)) => format!("{from}{rest}"),
            None => pointer.to_string(),
        }
    }
}

/// The entry whose key is the longest prefix of `pointer` (whole segments
/// only), and the rest of `pointer` after it.
pub fn longest_prefix<'a, T>(
    entries: &'a [T],
    pointer: &'a str,
    key: impl Fn(&T) -> &str,
) -> Option<(&'a T, &'a str)> {
    entries
        .iter()
        .filter(|e| {
            let at = key(e);
            pointer == at
                || pointer
                    .strip_prefix(at)
                    .is_some_and(|rest| rest.starts_with('/'))
        })
        .max_by_key(|e| key(e).len())
        .map(|e| (e, &pointer[key(e).len()..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_longest_recorded_prefix_maps_back() {
        let mut moves = Moves::default();
        moves.record("#/components/schemas", "#/definitions");
        moves.record(
            "#/paths/~1a/post/requestBody/content/application~1json/schema",
            "#/paths/~1a/post/parameters/1/schema",
        );
        assert_eq!(
            moves.source_of("#/components/schemas/Pet/properties/id"),
            "#/definitions/Pet/properties/id"
        );
        assert_eq!(
            moves.source_of("#/paths/~1a/post/requestBody/content/application~1json/schema/type"),
            "#/paths/~1a/post/parameters/1/schema/type"
        );
        assert_eq!(
            moves.source_of("#/components/schemasX"),
            "#/components/schemasX"
        );
        assert_eq!(moves.source_of("#/info"), "#/info");
    }
}
