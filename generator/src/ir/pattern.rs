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
    pub engine: RegexEngine,
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
