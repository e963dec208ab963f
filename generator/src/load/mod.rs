//! Stage 1, **load**: file → repaired JSON value → `openapiv3::OpenAPI`.
//!
//! YAML is read with serde_yaml, JSON with serde_json (serde_yaml rejects some
//! valid JSON escapes). Both are turned into one `serde_json::Value` tree, the
//! known defects of real-world specs are repaired there (each repair is a
//! warning), and only then is the tree handed to openapiv3, through
//! serde_path_to_error so that a rejection names the JSON pointer.

pub mod bundle;
mod convert;
mod generics;
pub mod moves;
mod nested_refs;
pub mod openapi31;
mod recursion;
mod repair;
mod schema_shape;
pub mod source_index;
pub mod swagger2;
mod text_refs;
pub(crate) mod walk;

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::diagnostics::{child, Diagnostic, Diagnostics, Unsupported};
pub use source_index::SourceIndex;

/// A spec that parsed and passed openapiv3's reading.
#[derive(Debug, Clone)]
pub struct LoadedSpec {
    pub file: PathBuf,
    /// The document after repairs; the IR stage looks up `$ref` targets here.
    pub raw: Value,
    pub openapi: openapiv3::OpenAPI,
    pub index: SourceIndex,
    pub warnings: Vec<Diagnostic>,
    /// The other files of a spec split over files, and which part of `raw`
    /// came from which; empty for a spec of one file.
    pub sources: bundle::Sources,
    /// Where the parts that loading rewrote (a Swagger 2.0 document) were
    /// written in the root file.
    pub moves: moves::Moves,
}

/// How a spec is read beyond its own text.
#[derive(Clone, Default)]
pub struct LoadOptions {
    /// URL prefixes read from local directories (`url_map` in codegen.yaml).
    pub url_map: bundle::UrlMap,
    /// Reads the other files of a spec split over files; by default from
    /// disk (`spec-diff` reads a git revision's).
    pub read: Option<ReadText>,
}

/// Reads the text of a file of the spec.
pub type ReadText = std::sync::Arc<dyn Fn(&Path) -> std::io::Result<String> + Send + Sync>;

impl std::fmt::Debug for LoadOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoadOptions")
            .field("url_map", &self.url_map)
            .field("read", &self.read.as_ref().map(|_| "custom"))
            .finish()
    }
}

impl LoadedSpec {
    /// An error at `pointer`, with its position when the index knows it.
    /// For a part taken from another file, that file and the pointer in it.
    pub fn error(&self, pointer: &str, message: impl Into<String>) -> Diagnostic {
        let (file, pointer, position) = self.place(pointer);
        Diagnostic::error(file, pointer, message).at(position)
    }

    /// A warning at `pointer`, as [`error`](Self::error) places it.
    pub fn warning(&self, pointer: &str, message: impl Into<String>) -> Diagnostic {
        let (file, pointer, position) = self.place(pointer);
        Diagnostic::warning(file, pointer, message).at(position)
    }

    /// Where `pointer` of the loaded document is written: the file, the
    /// pointer in it and its line and column.
    pub fn place(&self, pointer: &str) -> (&Path, String, Option<(usize, usize)>) {
        match self.sources.locate(pointer) {
            Some((i, from)) if i > 0 => {
                let source = &self.sources.files[i];
                let position = source.index.position(&from);
                (&source.path, from, position)
            }
            Some((_, from)) => {
                let from = self.moves.source_of(&from);
                let position = self.index.position(&from);
                (&self.file, from, position)
            }
            None => {
                let from = self.moves.source_of(pointer);
                let position = self.index.position(&from);
                (&self.file, from, position)
            }
        }
    }

    /// The `openapi` field as written (`3.0.3`, `3.1.0`, ...).
    pub fn version(&self) -> &str {
        self.raw
            .get("openapi")
            .and_then(Value::as_str)
            .unwrap_or("")
    }

    /// Whether the document was written in OpenAPI 3.1 and rewritten to 3.0
    /// on loading ([`openapi31`]).
    pub fn is_31(&self) -> bool {
        openapi31::is_31(self.version())
    }

    /// Every file the spec was read from, the root first.
    pub fn files(&self) -> Vec<&Path> {
        let mut files = vec![self.file.as_path()];
        files.extend(self.sources.files.iter().skip(1).map(|f| f.path.as_path()));
        files
    }
}

/// Which parser a document goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Yaml,
    Json,
}

impl Format {
    /// `.json` is JSON; everything else is read as YAML.
    pub fn of(path: &Path) -> Format {
        match path.extension().and_then(|e| e.to_str()) {
            Some(ext) if ext.eq_ignore_ascii_case("json") => Format::Json,
            _ => Format::Yaml,
        }
    }
}

/// Reads and loads a spec file, and the files it refers to.
pub fn load_file(path: &Path) -> Result<LoadedSpec, Diagnostics> {
    load_file_with(path, &LoadOptions::default())
}

/// [`load_file`], with options.
pub fn load_file_with(path: &Path, options: &LoadOptions) -> Result<LoadedSpec, Diagnostics> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Diagnostic::error(path, "#", format!("cannot read the spec: {e}")))?;
    load_str_with(path, &text, Format::of(path), options)
}

/// Loads a spec from text; `path` names it in messages, and the files it
/// refers to are read relative to it.
pub fn load_str(path: &Path, text: &str, format: Format) -> Result<LoadedSpec, Diagnostics> {
    load_str_with(path, text, format, &LoadOptions::default())
}

/// [`load_str`], with options.
pub fn load_str_with(
    path: &Path,
    text: &str,
    format: Format,
    options: &LoadOptions,
) -> Result<LoadedSpec, Diagnostics> {
    let (raw, index, mut warnings) = parse(path, text, format)?;
    let mut spec = LoadedSpec {
        file: path.to_path_buf(),
        raw,
        openapi: openapiv3::OpenAPI::default(),
        index,
        warnings: Vec::new(),
        sources: bundle::Sources::default(),
        moves: moves::Moves::default(),
    };
    if swagger2::is_swagger2(&spec.raw) {
        let converted = swagger2::convert(&mut spec.raw);
        spec.moves = converted.moves;
        // The pointers name the 2.0 document already.
        warnings.extend(converted.warnings.into_iter().map(|(pointer, message)| {
            let position = spec.index.position(&pointer);
            Diagnostic::warning(path, pointer, message).at(position)
        }));
    }
    check_version(&spec)?;
    let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let read_text = |file: &Path| match &options.read {
        Some(read) => read(file),
        None => std::fs::read_to_string(file),
    };
    let texts = text_refs::inline(&mut spec.raw, &dir, &read_text);
    warnings.extend(
        texts
            .warnings
            .into_iter()
            .map(|(pointer, message)| spec.warning(&pointer, message)),
    );
    if !texts.errors.is_empty() {
        let mut all = warnings;
        all.extend(
            texts
                .errors
                .into_iter()
                .map(|(pointer, message)| spec.error(&pointer, message)),
        );
        return Err(Diagnostics(all));
    }
    if !external_refs(&spec.raw).is_empty() {
        let mut read = |file: &Path| -> Result<(Value, SourceIndex), bundle::Unread> {
            let text = read_text(file).map_err(bundle::Unread::Io)?;
            let (value, index, more) =
                parse(file, &text, Format::of(file)).map_err(|d| bundle::Unread::Invalid(d.0))?;
            warnings.extend(more);
            Ok((value, index))
        };
        let bundled = bundle::bundle(
            &mut spec.raw,
            &spec.file,
            &spec.index,
            &options.url_map,
            &mut read,
        );
        match bundled {
            Ok((sources, notes)) => {
                warnings.extend(notes);
                spec.sources = sources;
            }
            Err(errors) => {
                let mut all = warnings;
                all.extend(errors);
                return Err(Diagnostics(all));
            }
        }
    }
    if spec.is_31() {
        let found = openapi31::normalise(&mut spec.raw);
        warnings.extend(
            found
                .warnings
                .into_iter()
                .map(|(pointer, message)| spec.warning(&pointer, message)),
        );
        warnings.extend(found.degraded.into_iter().map(|(pointer, message)| {
            spec.warning(&pointer, message)
                .unsupported(Unsupported::Schema)
        }));
        if !found.errors.is_empty() {
            let mut all = warnings;
            all.extend(found.errors.into_iter().map(|(pointer, message, class)| {
                let mut error = spec.error(&pointer, message);
                error.unsupported = class;
                error
            }));
            return Err(Diagnostics(all));
        }
    }
    let mut repairs = Vec::new();
    repair::repair(&mut spec.raw, "#", &mut repairs);
    warnings.extend(
        repairs
            .into_iter()
            .map(|(pointer, message)| spec.warning(&pointer, message)),
    );
    for (original, component) in nested_refs::hoist(&mut spec.raw) {
        spec.sources.moved(&component, &original);
    }
    let unsupported = find_external_refs(&spec);
    if !unsupported.is_empty() {
        return Err(Diagnostics(unsupported));
    }
    let defects = schema_shape::check(&spec.raw);
    if !defects.is_empty() {
        let mut all = warnings;
        all.extend(defects.iter().map(|(p, m)| spec.error(p, m.clone())));
        return Err(Diagnostics(all));
    }
    spec.openapi = serde_path_to_error::deserialize(&spec.raw).map_err(|e| {
        let message = explain_openapi_error(e.inner().to_string());
        let pointer = refine_pointer(&spec.raw, pointer_of(e.path()), &message);
        Diagnostics(vec![spec.error(&pointer, message)])
    })?;
    spec.warnings = warnings;
    Ok(spec)
}

type Parsed = (Value, SourceIndex, Vec<Diagnostic>);

fn parse(path: &Path, text: &str, format: Format) -> Result<Parsed, Diagnostics> {
    match format {
        Format::Yaml => parse_yaml(path, text),
        Format::Json => parse_json(path, text),
    }
}

/// `(pointer of the $ref, target)` of every `$ref` of the document's
/// structure that leaves it.
fn external_refs(root: &Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    walk::structure(root, &mut |map, pointer| {
        if let Some(target) = map.get("$ref").and_then(Value::as_str) {
            if !target.starts_with('#') {
                out.push((child(pointer, "$ref"), target.to_string()));
            }
        }
    });
    out
}

/// Each parser keeps the later of two equal keys, as the Java and
/// JavaScript readers most specs are written with do; the source index
/// names both places, which neither value parser would.
fn duplicates(path: &Path, index: &SourceIndex) -> Vec<Diagnostic> {
    index
        .duplicates
        .iter()
        .map(|dup| {
            Diagnostic::warning(
                path,
                dup.pointer.clone(),
                "duplicate key in a mapping; the later value is used",
            )
            .at(Some(dup.second))
            .with_related(format!(
                "first defined at {}:{}:{}",
                path.display(),
                dup.first.0,
                dup.first.1
            ))
        })
        .collect()
}

fn parse_yaml(path: &Path, text: &str) -> Result<Parsed, Diagnostics> {
    let index = SourceIndex::from_yaml(text);
    let mut warnings = duplicates(path, &index);
    let raw = convert::yaml_to_json(text, &mut |pointer, message| {
        warnings.push(Diagnostic::warning(path, pointer, message).at(index.position(pointer)));
    })
    .map_err(|f| {
        let position = f.position.or_else(|| index.position(&f.pointer));
        Diagnostic::error(path, f.pointer, f.message).at(position)
    })?;
    Ok((raw, index, warnings))
}

fn parse_json(path: &Path, text: &str) -> Result<Parsed, Diagnostics> {
    let raw: Value = serde_json::from_str(text).map_err(|e| {
        Diagnostic::error(
            path,
            "#",
            format!("invalid JSON: {}", strip_location(&e.to_string())),
        )
        .at(Some((e.line(), e.column())))
    })?;
    let index = SourceIndex::from_json(text).unwrap_or_default();
    let mut warnings = duplicates(path, &index);
    warnings.extend(index.wide_integers.iter().map(|(pointer, literal)| {
        Diagnostic::warning(
            path,
            pointer.clone(),
            format!("the integer {literal} does not fit in 64 bits; read as a floating-point number, which may differ in its last digits"),
        )
        .at(index.position(pointer))
    }));
    Ok((raw, index, warnings))
}

/// serde_yaml and serde_json append "at line X column Y"; the diagnostic
/// already carries the position.
fn strip_location(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

fn check_version(spec: &LoadedSpec) -> Result<(), Diagnostics> {
    let version = spec.raw.get("openapi").and_then(Value::as_str);
    match version {
        Some(v) if v.starts_with("3.0.") || v == "3.0" || openapi31::is_31(v) => Ok(()),
        Some(v) => Err(spec
            .error(
                "#/openapi",
                format!("OpenAPI {v} is not supported (only 3.0.x and 3.1.x are)"),
            )
            .unsupported(Unsupported::OpenApiVersion)
            .into()),
        None if spec.raw.get("swagger").is_some() => Err(spec
            .error(
                "#/swagger",
                "this Swagger version is not supported (only Swagger 2.0 and OpenAPI 3.0.x and 3.1.x are)",
            )
            .unsupported(Unsupported::Swagger2)
            .into()),
        None => Err(spec
            .error(
                "#",
                "not an OpenAPI document: the `openapi` field is missing",
            )
            .into()),
    }
}

/// A reference to another file that the bundler left (it stands outside
/// the OpenAPI structure the bundler knows) is a named error rather than a
/// dangling type.
fn find_external_refs(spec: &LoadedSpec) -> Vec<Diagnostic> {
    external_refs(&spec.raw)
        .into_iter()
        .map(|(pointer, target)| {
            spec.error(&pointer, format!("not supported: external reference `{target}` (only references within the document, `#/...`, are)"))
                .unsupported(Unsupported::ExternalRef)
        })
        .collect()
}

fn pointer_of(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut pointer = String::from("#");
    for segment in path.iter() {
        match segment {
            Segment::Seq { index } => pointer = child(&pointer, &index.to_string()),
            Segment::Map { key } => pointer = child(&pointer, key),
            Segment::Enum { .. } | Segment::Unknown => {}
        }
    }
    pointer
}

/// openapiv3 flattens and untags much of its model, so serde_path_to_error
/// often stops at an ancestor (`#/paths`). For "unknown variant `x`" the
/// offending string is findable below that ancestor: point at it.
fn refine_pointer(raw: &Value, pointer: String, message: &str) -> String {
    fn find(value: &Value, wanted: &str, pointer: &str) -> Option<String> {
        match value {
            Value::String(s) if s == wanted => Some(pointer.to_string()),
            Value::Object(map) => map
                .iter()
                .find_map(|(k, v)| find(v, wanted, &child(pointer, k))),
            Value::Array(items) => items
                .iter()
                .enumerate()
                .find_map(|(i, v)| find(v, wanted, &child(pointer, &i.to_string()))),
            _ => None,
        }
    }
    let wanted = message
        .strip_prefix("unknown variant `")
        .and_then(|m| m.split('`').next());
    let subtree = raw.pointer(&crate::diagnostics::unescape_pointer(&pointer));
    match (wanted, subtree) {
        (Some(w), Some(tree)) => find(tree, w, &pointer).unwrap_or(pointer),
        _ => pointer,
    }
}

fn explain_openapi_error(message: String) -> String {
    if message.contains("untagged enum ReferenceOr") {
        format!("{message} (neither a valid `$ref` nor a valid object of the kind expected here)")
    } else {
        message
    }
}
