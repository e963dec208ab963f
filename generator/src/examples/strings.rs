//! Strings for synthesized examples that a `pattern` accepts, so that the
//! generated tests of a type with patterns can expect it to validate.
//!
//! rand_regex draws strings from the pattern's syntax tree with a generator
//! seeded from the pattern's text: the same pattern always gives the same
//! example, on every machine. Every draw is checked by the caller with the
//! engine the generated code uses, which is what makes the result right;
//! the drawing only has to be likely to succeed.

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use regex_syntax::hir::{
    Capture, Class, ClassBytes, ClassBytesRange, ClassUnicode, ClassUnicodeRange, Hir, HirKind,
    Repetition,
};
use regex_syntax::ParserBuilder;

/// Draws per pattern before giving up.
const DRAWS: usize = 64;
/// Patterns that may need longer strings (`a{1000}{1000}`) get none: an
/// example is not worth that time and memory.
const MAX_LENGTH: usize = 4096;
/// The most extra repetitions `*`, `+` and `{n,}` produce: examples stay short.
const MAX_REPEAT: u32 = 4;

/// A string that `accepts` takes, drawn from `pattern`; `None` when no draw
/// is accepted (backreferences, which the drawing cannot express, or limits
/// that contradict the pattern).
pub fn matching(pattern: &str, mut accepts: impl FnMut(&str) -> bool) -> Option<String> {
    let drawable = match ParserBuilder::new().build().parse(pattern) {
        Ok(_) => pattern.to_string(),
        Err(_) => without_look_around(pattern)?,
    };
    let hir = ParserBuilder::new().build().parse(&drawable).ok()?;
    let generator = rand_regex::Regex::with_hir(plain(hir), MAX_REPEAT)
        .ok()
        .filter(|g| g.capacity() <= MAX_LENGTH)?;
    let mut rng = ChaCha8Rng::seed_from_u64(fnv1a(pattern));
    (0..DRAWS).find_map(|_| {
        let drawn: Result<String, _> = rng.sample(&generator);
        drawn.ok().filter(|s| accepts(s))
    })
}

/// The tree with anchors and word boundaries left out, since rand_regex
/// refuses them (dropping `^` and `$` loses nothing: a drawn string matches
/// as a whole; a draw that breaks another assertion is refused by the
/// check), and each class narrowed to printable ASCII where it has some, so
/// that `\w` and `.` give readable examples.
fn plain(hir: Hir) -> Hir {
    match hir.into_kind() {
        HirKind::Look(_) | HirKind::Empty => Hir::empty(),
        HirKind::Literal(literal) => Hir::literal(literal.0),
        HirKind::Class(class) => Hir::class(printable(class)),
        HirKind::Capture(capture) => Hir::capture(Capture {
            sub: Box::new(plain(*capture.sub)),
            ..capture
        }),
        HirKind::Repetition(repetition) => Hir::repetition(Repetition {
            sub: Box::new(plain(*repetition.sub)),
            ..repetition
        }),
        HirKind::Concat(parts) => Hir::concat(parts.into_iter().map(plain).collect()),
        HirKind::Alternation(parts) => Hir::alternation(parts.into_iter().map(plain).collect()),
    }
}

/// The printable ASCII characters of `class`, or all of it if it has none.
fn printable(class: Class) -> Class {
    let mut narrowed = class.clone();
    let empty = match &mut narrowed {
        Class::Unicode(c) => {
            c.intersect(&ClassUnicode::new([ClassUnicodeRange::new(' ', '~')]));
            c.ranges().is_empty()
        }
        Class::Bytes(c) => {
            c.intersect(&ClassBytes::new([ClassBytesRange::new(b' ', b'~')]));
            c.ranges().is_empty()
        }
    };
    if empty {
        class
    } else {
        narrowed
    }
}

/// A pattern for the `regex` crate's syntax with every look-around left out
/// (a draw that breaks one is refused by the check); `None` for other
/// constructs only a backtracking engine has (backreferences, conditionals).
fn without_look_around(pattern: &str) -> Option<String> {
    let tree = fancy_regex::Expr::parse_tree(pattern).ok()?;
    let mut out = String::new();
    write_plain(&tree.expr, &mut out)?;
    Some(out)
}

fn write_plain(expr: &fancy_regex::Expr, out: &mut String) -> Option<()> {
    use fancy_regex::Expr;
    match expr {
        Expr::Empty | Expr::LookAround(..) | Expr::Assertion(_) => {}
        // Leaves fancy-regex writes in the `regex` crate's syntax.
        Expr::Any { .. } | Expr::Literal { .. } | Expr::Delegate { .. } => expr.to_str(out, 3),
        Expr::Concat(parts) => {
            out.push_str("(?:");
            for part in parts {
                write_plain(part, out)?;
            }
            out.push(')');
        }
        Expr::Alt(parts) => {
            out.push_str("(?:");
            for (i, part) in parts.iter().enumerate() {
                if i > 0 {
                    out.push('|');
                }
                write_plain(part, out)?;
            }
            out.push(')');
        }
        Expr::Group(inner) => {
            out.push('(');
            write_plain(inner, out)?;
            out.push(')');
        }
        Expr::Repeat { child, lo, hi, .. } => {
            out.push_str("(?:");
            write_plain(child, out)?;
            out.push(')');
            match *hi {
                usize::MAX => out.push_str(&format!("{{{lo},}}")),
                hi => out.push_str(&format!("{{{lo},{hi}}}")),
            }
        }
        _ => return None,
    }
    Some(())
}

/// A seed that depends only on the pattern's text (std's hashers may change
/// between Rust releases).
fn fnv1a(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn drawn(pattern: &str) -> Option<String> {
        let re = regex::Regex::new(pattern).expect("test pattern");
        matching(pattern, |s| re.is_match(s))
    }

    #[test]
    fn anchored_patterns_give_matching_ascii_text() {
        let s = drawn(r"^[A-Z]{2}-\d{3}$").expect("drawn");
        assert!(
            regex::Regex::new(r"^[A-Z]{2}-[0-9]{3}$")
                .expect("re")
                .is_match(&s),
            "{s}"
        );
    }

    #[test]
    fn classes_give_printable_ascii() {
        let s = drawn(r"^\w{3}.{5}$").expect("drawn");
        assert!(s.chars().all(|c| c.is_ascii_graphic() || c == ' '), "{s:?}");
    }

    #[test]
    fn the_same_pattern_gives_the_same_string() {
        assert_eq!(drawn(r"^\w+@\w+\.org$"), drawn(r"^\w+@\w+\.org$"));
    }

    #[test]
    fn look_around_is_left_to_the_check() {
        let pattern = "^(?=.*[0-9])(?!https://)[a-z0-9:/]{8,12}$";
        let re = fancy_regex::Regex::new(pattern).expect("test pattern");
        let s = matching(pattern, |s| re.is_match(s).unwrap_or(false)).expect("drawn");
        assert!(s.chars().any(|c| c.is_ascii_digit()), "{s}");
    }

    #[test]
    fn backreferences_are_not_drawn() {
        assert_eq!(matching(r"^(\w)\1$", |_| true), None);
    }

    #[test]
    fn huge_repetitions_are_not_drawn() {
        assert_eq!(matching("^a{1000}{1000}$", |_| true), None);
    }

    #[test]
    fn an_unsatisfiable_check_gives_none() {
        assert_eq!(matching("^a+$", |s| s.starts_with('b')), None);
    }
}
