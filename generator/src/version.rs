//! The crate version of the generated crates, from `info.version`.
//!
//! `info.version` is free text. Most specs write one to four numbers
//! (`1.0`, `2.9.4.0`); others a `v` prefix (`v1.24.0`), a date
//! (`2023-08-16`), a branch name (`master`) or nothing at all. Every one of
//! them gives a valid semver version, the same one on every run; anything
//! that is not read exactly is reported, and `codegen.yaml`'s
//! `crate_version` (or `cargo xtask generate --crate-version`) overrides it.
//! The exact text always stays in the generated `SPEC_VERSION`.

/// The crate version for `info.version`, with a note when the text was not
/// a version as it stands.
pub fn crate_version(spec_version: &str) -> (String, Option<String>) {
    let text = spec_version.trim();
    if let Some(v) = exact(text) {
        return (v, None);
    }
    let (version, how) = if let Some(v) = text.strip_prefix(['v', 'V']).and_then(exact) {
        (v, "without its `v` prefix")
    } else if let Some(v) = iso_date(text) {
        (v, "as a date")
    } else {
        let meta = build_metadata(text);
        if meta.is_empty() {
            ("0.0.0".to_string(), "as no version")
        } else {
            (format!("0.0.0+{meta}"), "as build metadata of 0.0.0")
        }
    };
    let note = format!(
        "`{text}` is not a semver version; the crates are versioned {version} (read {how}); set `crate_version` in codegen.yaml or pass --crate-version to choose another"
    );
    (version, Some(note))
}

/// Whether `version` is a valid crate version (semver).
pub fn is_valid(version: &str) -> bool {
    semver::Version::parse(version).is_ok()
}

/// One to four numbers (`1.0` → `1.0.0`, `2.9.4.0` → `2.9.4`, a fourth
/// component other than 0 as build metadata: `2.9.4.1` → `2.9.4+1`), or a
/// semver version as it stands (`1.0.27-SNAPSHOT`).
fn exact(text: &str) -> Option<String> {
    let parts: Vec<&str> = text.split('.').collect();
    let numeric =
        |p: &&str| !p.is_empty() && p.len() <= 19 && p.bytes().all(|c| c.is_ascii_digit());
    if parts.len() <= 4 && parts.iter().all(numeric) {
        let n = |i: usize| {
            parts
                .get(i)
                .and_then(|p| p.parse::<u64>().ok())
                .unwrap_or(0)
        };
        let mut out = format!("{}.{}.{}", n(0), n(1), n(2));
        if parts.len() == 4 && n(3) != 0 {
            out.push_str(&format!("+{}", n(3)));
        }
        return Some(out);
    }
    semver::Version::parse(text).ok().map(|v| v.to_string())
}

/// `2023-08-16` → `2023.8.16`: later dates give higher versions.
fn iso_date(text: &str) -> Option<String> {
    let date = chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()?;
    use chrono::Datelike;
    Some(format!("{}.{}.{}", date.year(), date.month(), date.day()))
}

/// The text as semver build metadata: dot-separated identifiers of ASCII
/// letters, digits and `-`.
fn build_metadata(text: &str) -> String {
    let cleaned: String = text
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' {
                c
            } else {
                '-'
            }
        })
        .collect();
    cleaned
        .split('.')
        .map(|p| p.trim_matches('-'))
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(".")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn version(text: &str) -> String {
        let (v, _) = crate_version(text);
        assert!(is_valid(&v), "{text} → {v} is not semver");
        v
    }

    #[test]
    fn numbers_map_exactly() {
        for (text, expected) in [
            ("1.0", "1.0.0"),
            ("2.9.4.0", "2.9.4"),
            ("2.11", "2.11.0"),
            ("3", "3.0.0"),
            ("2.9.4.1", "2.9.4+1"),
            ("1.0.27-SNAPSHOT", "1.0.27-SNAPSHOT"),
            (" 1.2.3 ", "1.2.3"),
        ] {
            assert_eq!(crate_version(text), (expected.to_string(), None), "{text}");
        }
    }

    #[test]
    fn everything_else_is_mapped_with_a_note() {
        for (text, expected) in [
            ("v1.24.0", "1.24.0"),
            ("v1", "1.0.0"),
            ("V2.1", "2.1.0"),
            ("2023-08-16", "2023.8.16"),
            ("unversioned", "0.0.0+unversioned"),
            ("master", "0.0.0+master"),
            ("2020-09-14_1.697.4", "0.0.0+2020-09-14-1.697.4"),
            ("", "0.0.0"),
            ("  ", "0.0.0"),
            ("1.0-beta", "0.0.0+1.0-beta"),
            ("1..2", "0.0.0+1.2"),
            ("99999999999999999999999", "0.0.0+99999999999999999999999"),
            ("ünïcode ✓", "0.0.0+n-code"),
        ] {
            assert_eq!(version(text), expected, "{text}");
            assert!(crate_version(text).1.is_some(), "{text} is reported");
        }
    }
}
