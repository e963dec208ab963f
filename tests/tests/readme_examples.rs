//! The README's code examples are cut from examples that cargo compiles:
//! each block after `<!-- example: FILE REGION -->` must be, line for line,
//! the region of FILE between `// README: REGION` and `// README: end`
//! (indentation removed).

use std::path::Path;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ is inside the workspace")
}

/// The region's lines, without the indentation of its marker.
fn region(source: &str, name: &str) -> Option<String> {
    let marker = format!("// README: {name}");
    let mut lines = source.lines();
    let start = lines.by_ref().find(|l| l.trim() == marker)?;
    let indent = start.len() - start.trim_start().len();
    let body: Vec<&str> = lines
        .take_while(|l| l.trim() != "// README: end")
        .map(|l| l.get(indent..).unwrap_or_else(|| l.trim_start()))
        .collect();
    Some(body.join("\n"))
}

#[test]
fn readme_examples_are_the_compiled_ones() {
    let readme = std::fs::read_to_string(root().join("README.md")).expect("README.md");
    let mut checked = 0;
    let mut rest = readme.as_str();
    while let Some(at) = rest.find("<!-- example: ") {
        rest = &rest[at + "<!-- example: ".len()..];
        let (reference, after) = rest.split_once(" -->").expect("a closed marker");
        let (file, name) = reference.split_once(' ').expect("`FILE REGION`");
        let block = after
            .trim_start()
            .strip_prefix("```rust\n")
            .and_then(|b| b.split_once("\n```"))
            .map(|(b, _)| b)
            .unwrap_or_else(|| panic!("a rust block follows the marker for {reference}"));
        let source =
            std::fs::read_to_string(root().join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
        let expected =
            region(&source, name).unwrap_or_else(|| panic!("{file} has no region `{name}`"));
        assert_eq!(
            block, expected,
            "the README's block for {reference} differs from the example"
        );
        checked += 1;
    }
    assert!(checked >= 2, "the README marks {checked} examples");
}
