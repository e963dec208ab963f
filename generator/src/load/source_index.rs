//! Where each node of a spec sits in its source text.
//!
//! serde_yaml and serde_json give values without positions, so a second,
//! position-aware parse (yaml-rust2 events for YAML, jsonc-parser's AST for
//! JSON) builds a map from JSON pointer to line and column. The same pass finds
//! duplicate keys, which the value parsers would silently merge or report with
//! only one location.

use std::collections::HashMap;

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

use crate::diagnostics::child;

/// A key that appears twice in one mapping.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DuplicateKey {
    /// Pointer of the duplicated member.
    pub pointer: String,
    pub first: (usize, usize),
    pub second: (usize, usize),
}

/// JSON pointer → 1-based (line, column) of the node (for mapping members, of
/// the key, which is where a reader looks).
#[derive(Debug, Default, Clone)]
pub struct SourceIndex {
    positions: HashMap<String, (usize, usize)>,
    pub duplicates: Vec<DuplicateKey>,
    /// JSON only: integer literals beyond 64 bits, which serde_json reads as
    /// floating-point numbers; `(pointer, literal)`.
    pub wide_integers: Vec<(String, String)>,
}

impl SourceIndex {
    /// Position of `pointer`, or of its nearest ancestor that has one
    /// other than the document itself.
    pub fn position(&self, pointer: &str) -> Option<(usize, usize)> {
        let mut p = pointer;
        loop {
            if let Some(pos) = self.positions.get(p) {
                return Some(*pos);
            }
            match p.rfind('/') {
                // The document's start says nothing of where a part is (a
                // part the indexer did not reach, after YAML it could not
                // read): no position rather than a wrong one.
                Some(i) if i > 1 => p = &p[..i],
                _ => return None,
            }
        }
    }

    /// Indexes YAML text. Parse errors are left to serde_yaml, which reports
    /// them with a position; what was indexed before the error is kept.
    pub fn from_yaml(text: &str) -> Self {
        let mut builder = YamlIndexer::default();
        let mut parser = Parser::new_from_str(text);
        let _ = parser.load(&mut builder, false);
        builder.index
    }

    /// Indexes JSON text; `None` when jsonc-parser cannot read it (serde_json
    /// then reports the error with its position).
    pub fn from_json(text: &str) -> Option<Self> {
        let parsed = jsonc_parser::parse_to_ast(
            text,
            &jsonc_parser::CollectOptions::default(),
            &jsonc_parser::ParseOptions::default(),
        )
        .ok()?;
        let lines = LineStarts::new(text);
        let mut index = SourceIndex::default();
        if let Some(value) = &parsed.value {
            index.positions.insert("#".into(), lines.position(0));
            index_json(value, "#", &lines, &mut index);
        }
        Some(index)
    }
}

fn index_json(
    value: &jsonc_parser::ast::Value<'_>,
    pointer: &str,
    lines: &LineStarts,
    index: &mut SourceIndex,
) {
    use jsonc_parser::ast::Value;
    match value {
        Value::Object(object) => {
            let mut seen: HashMap<&str, (usize, usize)> = HashMap::new();
            for prop in &object.properties {
                let name = prop.name.as_str();
                let at = lines.position(prop.range.start);
                let ptr = child(pointer, name);
                if let Some(first) = seen.get(name) {
                    index.duplicates.push(DuplicateKey {
                        pointer: ptr.clone(),
                        first: *first,
                        second: at,
                    });
                } else {
                    seen.insert(name, at);
                    index.positions.insert(ptr.clone(), at);
                }
                index_json(&prop.value, &ptr, lines, index);
            }
        }
        Value::Array(array) => {
            for (i, element) in array.elements.iter().enumerate() {
                let ptr = child(pointer, &i.to_string());
                let start = json_value_start(element);
                index.positions.insert(ptr.clone(), lines.position(start));
                index_json(element, &ptr, lines, index);
            }
        }
        Value::NumberLit(n) => {
            let literal = n.value;
            let integer = !literal.contains(['.', 'e', 'E']);
            if integer && literal.parse::<i64>().is_err() && literal.parse::<u64>().is_err() {
                index
                    .wide_integers
                    .push((pointer.to_string(), literal.to_string()));
            }
        }
        _ => {}
    }
}

fn json_value_start(value: &jsonc_parser::ast::Value<'_>) -> usize {
    use jsonc_parser::ast::Value;
    match value {
        Value::StringLit(v) => v.range.start,
        Value::NumberLit(v) => v.range.start,
        Value::BooleanLit(v) => v.range.start,
        Value::Object(v) => v.range.start,
        Value::Array(v) => v.range.start,
        Value::NullKeyword(v) => v.range.start,
    }
}

/// Byte offset → (line, column), both 1-based, column counted in characters.
struct LineStarts<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineStarts<'a> {
    fn new(text: &'a str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineStarts { text, starts }
    }

    fn position(&self, offset: usize) -> (usize, usize) {
        let line = self
            .starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1);
        let start = self.starts[line];
        let col = self
            .text
            .get(start..offset)
            .map_or(0, |s| s.chars().count());
        (line + 1, col + 1)
    }
}

enum Frame {
    Map {
        pointer: String,
        awaiting_key: bool,
        key: Option<(String, Marker)>,
        seen: HashMap<String, Marker>,
    },
    Seq {
        pointer: String,
        next: usize,
    },
    /// A non-scalar mapping key: its contents are not addressable by pointer.
    Opaque {
        depth: usize,
    },
}

#[derive(Default)]
struct YamlIndexer {
    stack: Vec<Frame>,
    index: SourceIndex,
}

fn pos(m: Marker) -> (usize, usize) {
    // yaml-rust2 counts lines from 1 and columns from 0.
    (m.line(), m.col() + 1)
}

impl YamlIndexer {
    /// Pointer of a node that starts now, or `None` when it is a mapping key
    /// (scalar keys are recorded by the caller) or inside an opaque key.
    fn node_pointer(&mut self, mark: Marker) -> Option<String> {
        match self.stack.last_mut() {
            None => Some("#".to_string()),
            Some(Frame::Opaque { .. }) => None,
            Some(Frame::Seq { pointer, next }) => {
                let p = child(pointer, &next.to_string());
                *next += 1;
                self.index.positions.insert(p.clone(), pos(mark));
                Some(p)
            }
            Some(Frame::Map {
                pointer,
                awaiting_key,
                key,
                ..
            }) => {
                if *awaiting_key {
                    return None;
                }
                let (name, at) = match key {
                    Some((name, key_mark)) => (name.clone(), pos(*key_mark)),
                    None => (String::new(), pos(mark)),
                };
                let p = child(pointer, &name);
                self.index.positions.entry(p.clone()).or_insert(at);
                Some(p)
            }
        }
    }

    /// Called after a complete node: flips the parent mapping between key and value.
    fn node_done(&mut self) {
        if let Some(Frame::Map { awaiting_key, .. }) = self.stack.last_mut() {
            *awaiting_key = !*awaiting_key;
        }
    }

    fn record_key(&mut self, text: &str, mark: Marker) {
        if let Some(Frame::Map {
            pointer, key, seen, ..
        }) = self.stack.last_mut()
        {
            if let Some(first) = seen.get(text) {
                self.index.duplicates.push(DuplicateKey {
                    pointer: child(pointer, text),
                    first: pos(*first),
                    second: pos(mark),
                });
            } else {
                seen.insert(text.to_string(), mark);
            }
            *key = Some((text.to_string(), mark));
        }
    }

    fn awaiting_key(&self) -> bool {
        matches!(
            self.stack.last(),
            Some(Frame::Map {
                awaiting_key: true,
                ..
            })
        )
    }
}

impl MarkedEventReceiver for YamlIndexer {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        if let Some(Frame::Opaque { depth }) = self.stack.last_mut() {
            match ev {
                Event::MappingStart(..) | Event::SequenceStart(..) => *depth += 1,
                Event::MappingEnd | Event::SequenceEnd => {
                    *depth -= 1;
                    if *depth == 0 {
                        self.stack.pop();
                        self.node_done();
                    }
                }
                _ => {}
            }
            return;
        }
        match ev {
            Event::Scalar(text, ..) => {
                if self.awaiting_key() {
                    self.record_key(&text, mark);
                } else {
                    self.node_pointer(mark);
                }
                self.node_done();
            }
            Event::Alias(_) => {
                if !self.awaiting_key() {
                    self.node_pointer(mark);
                }
                self.node_done();
            }
            Event::MappingStart(..) | Event::SequenceStart(..) => {
                if self.awaiting_key() {
                    self.stack.push(Frame::Opaque { depth: 1 });
                    return;
                }
                let pointer = self.node_pointer(mark).unwrap_or_default();
                if pointer == "#" {
                    self.index.positions.insert(pointer.clone(), pos(mark));
                }
                self.stack.push(if matches!(ev, Event::MappingStart(..)) {
                    Frame::Map {
                        pointer,
                        awaiting_key: true,
                        key: None,
                        seen: HashMap::new(),
                    }
                } else {
                    Frame::Seq { pointer, next: 0 }
                });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                self.stack.pop();
                self.node_done();
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_positions_and_duplicates() {
        let text = "a:\n  b: 1\n  list:\n    - x\n    - y: 2\n  b: 3\n";
        let index = SourceIndex::from_yaml(text);
        assert_eq!(index.position("#/a/b"), Some((2, 3)));
        assert_eq!(index.position("#/a/list/1/y"), Some((5, 7)));
        assert_eq!(index.position("#/a/list/1/y/deeper"), Some((5, 7)));
        assert_eq!(index.duplicates.len(), 1);
        assert_eq!(index.duplicates[0].pointer, "#/a/b");
        assert_eq!(
            (index.duplicates[0].first, index.duplicates[0].second),
            ((2, 3), (6, 3))
        );
    }

    #[test]
    fn json_positions_and_duplicates() {
        let text = "{\n  \"a\": {\"b/c\": [1, {\"d\": 2}]},\n  \"a\": 1\n}";
        let index = SourceIndex::from_json(text).expect("valid json");
        assert_eq!(index.position("#/a/b~1c/1/d"), Some((2, 21)));
        assert_eq!(index.duplicates.len(), 1);
        assert_eq!(index.duplicates[0].second, (3, 3));
    }
}
