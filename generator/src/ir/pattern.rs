//! `pattern`s: which engine the generated code checks one with.
//!
//! Specs write patterns for ECMA-262. The `regex` crate takes most of them
//! and matches in linear time; look-around and backreferences need a
//! backtracking engine (fancy-regex). The generator compiles each pattern
//! with the same crates the generated code uses, so a pattern it accepts
//! cannot fail to compile in the user's build, and it can tell whether an
//! example matches.

/// A `pattern` the generated `validate()` enforces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    /// The spec's text.
    pub source: String,
    /// What the engine compiles: `source` with ECMA-262's classes
    /// (see [`for_rust`]).
    pub rust: String,
    pub engine: RegexEngine,
}

/// `source` for the Rust engines, which read `\d` and `\w` as Unicode
/// classes (`١` is a digit to them): ECMA-262's ASCII classes written out.
/// `\d` is `[0-9]`, `\w` is `[0-9A-Za-z_]` and `\D`, `\W` their negations;
/// inside a class, `\d` and `\w` become its ranges (a negated shorthand
/// there stays as it is).
pub fn for_rust(source: &str) -> String {
    let mut out = String::with_capacity(source.len());
    let mut in_class = false;
    let mut chars = source.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some(e) => match (e, in_class) {
                    ('d', false) => out.push_str("[0-9]"),
                    ('D', false) => out.push_str("[^0-9]"),
                    ('w', false) => out.push_str("[0-9A-Za-z_]"),
                    ('W', false) => out.push_str("[^0-9A-Za-z_]"),
                    ('d', true) => out.push_str("0-9"),
                    ('w', true) => out.push_str("0-9A-Za-z_"),
                    (e, _) => {
                        out.push('\\');
                        out.push(e);
                    }
                },
                None => out.push('\\'),
            },
            '[' if !in_class => {
                in_class = true;
                out.push(c);
            }
            ']' if in_class => {
                in_class = false;
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegexEngine {
    /// The `regex` crate.
    Linear,
    /// fancy-regex: look-around and backreferences. It gives up on inputs
    /// that need too many backtracking steps; the generated check reports
    /// such a value instead of accepting it.
    Backtracking,
}

/// A compiled pattern, to match examples the way the generated code will.
pub enum Matcher {
    Linear(regex::Regex),
    Backtracking(fancy_regex::Regex),
}

impl Matcher {
    /// Compiles `source` with the first engine that takes it; `Err` gives
    /// each engine's reason.
    pub fn compile(source: &str) -> Result<Matcher, String> {
        let source = &for_rust(source);
        let linear = match regex::Regex::new(source) {
            Ok(re) => return Ok(Matcher::Linear(re)),
            Err(e) => e,
        };
        fancy_regex::Regex::new(source)
            .map(Matcher::Backtracking)
            .map_err(|fancy| {
                format!(
                    "the `regex` crate: {}; fancy-regex: {fancy}",
                    one_line(&linear.to_string())
                )
            })
    }

    pub fn engine(&self) -> RegexEngine {
        match self {
            Matcher::Linear(_) => RegexEngine::Linear,
            Matcher::Backtracking(_) => RegexEngine::Backtracking,
        }
    }

    /// Whether the generated check accepts `value`: a backtracking match
    /// that gives up counts as a violation there, so it does here.
    pub fn accepts(&self, value: &str) -> bool {
        match self {
            Matcher::Linear(re) => re.is_match(value),
            Matcher::Backtracking(re) => re.is_match(value).unwrap_or(false),
        }
    }
}

/// The `regex` crate's errors draw the pattern over several lines, with
/// the reason on the one that starts `error: `.
fn one_line(message: &str) -> String {
    message
        .lines()
        .find_map(|l| l.trim().strip_prefix("error: "))
        .unwrap_or(message)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ecma_classes_are_ascii() {
        assert_eq!(for_rust(r"^(\w)\1$"), r"^([0-9A-Za-z_])\1$");
        assert_eq!(for_rust(r"[\d.]+\D"), r"[0-9.]+[^0-9]");
        assert_eq!(for_rust(r"\\d\."), r"\\d\.");
        let digits = Matcher::compile(r"^\d+$").expect("compiles");
        assert!(digits.accepts("2024"));
        assert!(!digits.accepts("1໕4"), "a Lao digit is no ECMA-262 digit");
        let twice = Matcher::compile(r"^(\w)\1$").expect("compiles");
        assert!(twice.accepts("aa") && !twice.accepts("ýý"));
    }
}
