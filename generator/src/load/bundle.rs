//! Specs split over files: every `$ref` to another file is resolved here, in
//! the load stage, so that every later stage sees one document.
//!
//! A referenced schema, parameter, response, request body, header, example,
//! link, callback or security scheme becomes a component of its kind, named
//! as if the author had written it there: after the fragment's last segment
//! (`common.yaml#/components/schemas/Error` → `Error`) or, for a whole file,
//! after the file's stem (`models/droplet.yml` → `droplet`). A name already
//! taken by another target is prefixed with its directory (`errors_error`),
//! and the naming module turns component names into Rust names as for any
//! spec. A path item has no component of its own in 3.0, so it is written
//! in place. Each target is brought in once, whatever the number of
//! references to it, so cycles between files end at a component's name.
//!
//! Every part taken from another file is recorded in [`Sources`], so that a
//! diagnostic about it names that file and its line, not the root's.

use std::collections::{BTreeMap, HashMap};
use std::path::{Component, Path, PathBuf};

use serde_json::{Map, Value};

use super::SourceIndex;
use crate::diagnostics::{child, escape_token, unescape_token, Diagnostic, Unsupported};

/// The files of a spec beside its root, and which part of the bundled
/// document came from where.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    /// Every file read, the root first.
    pub files: Vec<SourceFile>,
    /// `(pointer in the bundle, file, pointer in that file)`.
    placements: Vec<(String, usize, String)>,
}

#[derive(Debug, Clone)]
pub struct SourceFile {
    /// As messages show it: relative to where the root's path is.
    pub path: PathBuf,
    pub index: SourceIndex,
}

impl Sources {
    /// Where `pointer` of the bundled document was written: the index of
    /// the file in [`files`](Self::files) (0 is the root) and the pointer
    /// in it. `None` where the root has it at the same place.
    pub fn locate(&self, pointer: &str) -> Option<(usize, String)> {
        let ((_, file, from), rest) =
            super::moves::longest_prefix(&self.placements, pointer, |(at, _, _)| at)?;
        Some((*file, format!("{from}{rest}")))
    }

    /// Records that `at` was moved there from `original` (a pointer of the
    /// bundle), by a later step of the load stage.
    pub fn moved(&mut self, at: &str, original: &str) {
        let (file, from) = self
            .locate(original)
            .unwrap_or_else(|| (0, original.to_string()));
        self.placements.push((at.to_string(), file, from));
    }
}

/// How references to URLs are read without a network: a URL that starts
/// with a prefix of the map is read from the directory it maps to.
pub type UrlMap = BTreeMap<String, PathBuf>;

/// The kinds of object a `$ref` may stand for, by where it is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Document,
    Components,
    PathItem,
    Operation,
    Parameter,
    Header,
    RequestBody,
    Response,
    MediaType,
    Encoding,
    Example,
    Link,
    Callback,
    SecurityScheme,
    Schema,
}

impl Kind {
    /// The components section a referenced object of this kind goes to;
    /// `None`: it is written in place.
    fn section(self) -> Option<&'static str> {
        Some(match self {
            Kind::Schema => "schemas",
            Kind::Parameter => "parameters",
            Kind::Header => "headers",
            Kind::RequestBody => "requestBodies",
            Kind::Response => "responses",
            Kind::Example => "examples",
            Kind::Link => "links",
            Kind::Callback => "callbacks",
            Kind::SecurityScheme => "securitySchemes",
            _ => return None,
        })
    }

    fn of_section(section: &str) -> Option<Kind> {
        Some(match section {
            "schemas" => Kind::Schema,
            "parameters" => Kind::Parameter,
            "headers" => Kind::Header,
            "requestBodies" => Kind::RequestBody,
            "responses" => Kind::Response,
            "examples" => Kind::Example,
            "links" => Kind::Link,
            "callbacks" => Kind::Callback,
            "securitySchemes" => Kind::SecurityScheme,
            "pathItems" => Kind::PathItem,
            _ => return None,
        })
    }
}

/// What a member of an object of kind `kind` holds: `(kind, how)`.
enum Holds {
    One(Kind),
    Map(Kind),
    List(Kind),
}

fn member(kind: Kind, key: &str) -> Option<Holds> {
    use Holds::*;
    Some(match (kind, key) {
        (Kind::Document, "paths" | "webhooks") => Map(Kind::PathItem),
        (Kind::Document, "components") => One(Kind::Components),
        (Kind::Components, section) => Map(Kind::of_section(section)?),
        (Kind::PathItem | Kind::Operation, "parameters") => List(Kind::Parameter),
        (Kind::PathItem, method) if super::walk::METHODS.contains(&method) => One(Kind::Operation),
        (Kind::Operation, "requestBody") => One(Kind::RequestBody),
        (Kind::Operation, "responses") => Map(Kind::Response),
        (Kind::Operation, "callbacks") => Map(Kind::Callback),
        (Kind::Callback, _) => One(Kind::PathItem),
        (Kind::Parameter | Kind::Header | Kind::MediaType, "schema") => One(Kind::Schema),
        (Kind::Parameter | Kind::Header | Kind::MediaType, "examples") => Map(Kind::Example),
        (Kind::Parameter | Kind::Header | Kind::RequestBody | Kind::Response, "content") => {
            Map(Kind::MediaType)
        }
        (Kind::Response | Kind::Encoding, "headers") => Map(Kind::Header),
        (Kind::Response, "links") => Map(Kind::Link),
        (Kind::MediaType, "encoding") => Map(Kind::Encoding),
        (
            Kind::Schema,
            "properties" | "patternProperties" | "$defs" | "definitions" | "dependentSchemas",
        ) => Map(Kind::Schema),
        (
            Kind::Schema,
            "items"
            | "additionalProperties"
            | "not"
            | "if"
            | "then"
            | "else"
            | "contains"
            | "propertyNames"
            | "unevaluatedItems"
            | "unevaluatedProperties",
        ) => One(Kind::Schema),
        (Kind::Schema, "allOf" | "anyOf" | "oneOf" | "prefixItems") => List(Kind::Schema),
        _ => return None,
    })
}

/// A file read, with its value.
struct Loaded {
    /// Canonical where the file is on disk, to know a file reached by two
    /// paths.
    canonical: PathBuf,
    value: Value,
}

/// Bundles `root` (read from `root_path`) in place. `read` parses another
/// file into its value and index. Gives the sources and the warnings.
pub fn bundle(
    root: &mut Value,
    root_path: &Path,
    root_index: &SourceIndex,
    urls: &UrlMap,
    read: &mut ReadFile<'_>,
) -> Result<(Sources, Vec<Diagnostic>), Vec<Diagnostic>> {
    let mut bundler = Bundler {
        sources: Sources {
            files: vec![SourceFile {
                path: root_path.to_path_buf(),
                index: root_index.clone(),
            }],
            placements: Vec::new(),
        },
        loaded: vec![Loaded {
            canonical: std::fs::canonicalize(root_path).unwrap_or_else(|_| root_path.into()),
            value: Value::Null,
        }],
        names: HashMap::new(),
        taken: BTreeMap::new(),
        added: BTreeMap::new(),
        inlining: Vec::new(),
        errors: Vec::new(),
        warnings: Vec::new(),
        urls,
        read,
    };
    if let Some(components) = root.get("components").and_then(Value::as_object) {
        for (section, entries) in components {
            if let Some(entries) = entries.as_object() {
                let taken = bundler.taken.entry(section.clone()).or_default();
                taken.extend(entries.keys().map(|k| (k.clone(), None)));
            }
        }
    }
    bundler.visit(root, Kind::Document, 0, "#", "#");
    let added = std::mem::take(&mut bundler.added);
    if !added.is_empty() {
        if let Some(doc) = root.as_object_mut() {
            let components = doc
                .entry("components")
                .or_insert_with(|| Value::Object(Map::new()));
            if let Some(components) = components.as_object_mut() {
                for ((section, name), value) in added {
                    let entries = components
                        .entry(section)
                        .or_insert_with(|| Value::Object(Map::new()));
                    if let Some(entries) = entries.as_object_mut() {
                        entries.insert(name, value);
                    }
                }
            }
        }
    }
    if bundler.errors.is_empty() {
        Ok((bundler.sources, bundler.warnings))
    } else {
        let mut all = bundler.warnings;
        all.append(&mut bundler.errors);
        Err(all)
    }
}

/// Reads another file of the spec: its value and source index, or why not.
pub type ReadFile<'a> = dyn FnMut(&Path) -> Result<(Value, SourceIndex), Unread> + 'a;

/// Why a file of the spec could not be read.
#[derive(Debug)]
pub enum Unread {
    /// It is not there, or not readable: reported at the reference.
    Io(std::io::Error),
    /// It is not YAML or JSON: reported in the file.
    Invalid(Vec<Diagnostic>),
}

/// A target of a reference: a file and a pointer in it (`#` for all of it).
type Target = (usize, String);

struct Bundler<'a> {
    sources: Sources,
    /// Parallel to `sources.files`.
    loaded: Vec<Loaded>,
    /// Each target brought in, by kind: the component it became.
    names: HashMap<(Target, &'static str), String>,
    /// Component names in use per section, with the target that has each
    /// (`None`: the root's own).
    taken: BTreeMap<String, BTreeMap<String, Option<Target>>>,
    /// Components brought in: `(section, name)` → value.
    added: BTreeMap<(String, String), Value>,
    /// Path items being written in place, against a cycle of them.
    inlining: Vec<Target>,
    errors: Vec<Diagnostic>,
    warnings: Vec<Diagnostic>,
    urls: &'a UrlMap,
    read: &'a mut ReadFile<'a>,
}

impl Bundler<'_> {
    /// An error in `file` at `pointer`: a broken reference.
    fn error(&mut self, file: usize, pointer: &str, message: String) {
        let source = &self.sources.files[file];
        let diagnostic =
            Diagnostic::error(&source.path, pointer, message).at(source.index.position(pointer));
        self.errors.push(diagnostic);
    }

    /// A reference the generator refuses by name (to a URL).
    fn refuse(&mut self, file: usize, pointer: &str, message: String) {
        self.error(file, pointer, message);
        if let Some(last) = self.errors.last_mut() {
            last.unsupported = Some(Unsupported::ExternalRef);
        }
    }

    /// Rewrites the references in `value`, an object of kind `kind` read
    /// from `file` at `from`, and placed in the bundle at `at`.
    fn visit(&mut self, value: &mut Value, kind: Kind, file: usize, from: &str, at: &str) {
        if at.len() > 4096 {
            return; // nesting the shape check refuses
        }
        let Some(map) = value.as_object_mut() else {
            return;
        };
        if let Some(reference) = map.get("$ref").and_then(Value::as_str).map(str::to_string) {
            self.reference(map, &reference, kind, file, from, at);
            return;
        }
        if kind == Kind::Schema {
            self.mapping(map, file, from, at);
        }
        for (key, v) in map.iter_mut() {
            let Some(holds) = member(kind, key) else {
                continue;
            };
            let (from, at) = (child(from, key), child(at, key));
            match (holds, v) {
                // `additionalProperties: true` and the like are not objects;
                // `visit` passes them by.
                (Holds::One(k), v) => self.visit(v, k, file, &from, &at),
                (Holds::Map(k), Value::Object(entries)) => {
                    let (file, from) = match entries.contains_key("$ref") {
                        true => self
                            .whole_map(entries, key, file, &from, &at)
                            .unwrap_or((file, from)),
                        false => (file, from),
                    };
                    for (name, v) in entries.iter_mut() {
                        self.visit(v, k, file, &child(&from, name), &child(&at, name));
                    }
                }
                (Holds::List(k), Value::Array(items)) => {
                    for (i, v) in items.iter_mut().enumerate() {
                        let i = i.to_string();
                        self.visit(v, k, file, &child(&from, &i), &child(&at, &i));
                    }
                }
                _ => {}
            }
        }
    }

    /// `content: {$ref: file}` (lob's responses): a reference in place of a
    /// whole map, which OpenAPI does not provide for. The file is the map,
    /// with a warning. Gives where the map now comes from.
    fn whole_map(
        &mut self,
        entries: &mut Map<String, Value>,
        key: &str,
        file: usize,
        from: &str,
        at: &str,
    ) -> Option<Target> {
        let reference = entries.get("$ref").and_then(Value::as_str)?.to_string();
        let ref_at = child(from, "$ref");
        let target = self.resolve(&reference, file, &ref_at)?;
        let Some(Value::Object(content)) = self.value_at(&target, file, &ref_at) else {
            return None;
        };
        let source = &self.sources.files[file];
        self.warnings.push(
            Diagnostic::warning(
                &source.path,
                ref_at.clone(),
                format!("`{key}` is a map, where OpenAPI allows no `$ref`; the referenced map is used as if written here"),
            )
            .at(source.index.position(&ref_at)),
        );
        *entries = content;
        if target.0 != 0 {
            self.sources
                .placements
                .push((at.to_string(), target.0, target.1.clone()));
        }
        Some(target)
    }

    /// A discriminator's mapping may name schemas in other files.
    fn mapping(&mut self, map: &mut Map<String, Value>, file: usize, from: &str, at: &str) {
        let Some(mapping) = map
            .get_mut("discriminator")
            .and_then(|d| d.get_mut("mapping"))
            .and_then(Value::as_object_mut)
        else {
            return;
        };
        let schema_from = from;
        let from = child(&child(from, "discriminator"), "mapping");
        for (name, target) in mapping.iter_mut() {
            let Some(text) = target.as_str() else {
                continue;
            };
            let looks_like_ref =
                text.contains('#') || [".yaml", ".yml", ".json"].iter().any(|e| text.ends_with(e));
            if !looks_like_ref || (file == 0 && text.starts_with('#')) {
                continue;
            }
            let text = text.to_string();
            // lob names the alternatives of the schema's own `oneOf`
            // (`#/oneOf/0`): they are where this schema is placed.
            if let Some(rest) = text
                .strip_prefix('#')
                .filter(|_| file != 0)
                .and_then(|pointer| {
                    let own = schema_from.strip_prefix('#').unwrap_or(schema_from);
                    pointer.strip_prefix(own)
                })
                .filter(|rest| rest.starts_with('/'))
            {
                *target = Value::String(format!("{at}{rest}"));
                continue;
            }
            if let Some(local) = self.place(&text, Kind::Schema, file, &child(&from, name)) {
                *target = Value::String(local);
            }
        }
    }

    fn reference(
        &mut self,
        map: &mut Map<String, Value>,
        reference: &str,
        kind: Kind,
        file: usize,
        from: &str,
        at: &str,
    ) {
        if file == 0 && reference.starts_with('#') {
            return;
        }
        let ref_at = child(from, "$ref");
        let Some(target) = self.resolve(reference, file, &ref_at) else {
            return;
        };
        if target.0 == 0 {
            map.insert("$ref".into(), Value::String(target.1));
            return;
        }
        if kind.section().is_some() {
            if let Some(local) = self.component(target, kind, file, &ref_at) {
                map.insert("$ref".into(), Value::String(local));
            }
            return;
        }
        // Written in place; the reference's siblings (3.1 allows `summary`
        // and `description`) are kept over the target's.
        if self.inlining.contains(&target) {
            self.error(
                file,
                &ref_at,
                format!("`{reference}` refers to itself through other references; a path item cannot contain itself"),
            );
            return;
        }
        let Some(mut content) = self.value_at(&target, file, &ref_at) else {
            return;
        };
        self.inlining.push(target.clone());
        self.visit(&mut content, kind, target.0, &target.1, at);
        self.inlining.pop();
        self.sources
            .placements
            .push((at.to_string(), target.0, target.1));
        let siblings: Vec<(String, Value)> = std::mem::take(map)
            .into_iter()
            .filter(|(k, _)| k != "$ref")
            .collect();
        if let Value::Object(content) = content {
            *map = content;
        }
        map.extend(siblings);
    }

    /// A `$ref`'s text → the target, reading its file if needed.
    fn resolve(&mut self, reference: &str, file: usize, ref_at: &str) -> Option<Target> {
        let (location, fragment) = match reference.split_once('#') {
            Some((location, fragment)) => (location, fragment),
            None => (reference, ""),
        };
        let fragment = format!("#{}", percent_decode(fragment));
        if location.is_empty() {
            return Some((file, fragment));
        }
        let path = if location.starts_with("http://") || location.starts_with("https://") {
            let mapped = self
                .urls
                .iter()
                .rev()
                .find(|(prefix, _)| location.starts_with(prefix.as_str()))
                .map(|(prefix, dir)| dir.join(percent_decode(&location[prefix.len()..])));
            match mapped {
                Some(path) => path,
                None => {
                    self.refuse(file, ref_at, format!("not supported: a reference to the URL `{location}` (there is no network during generation; map the URL's prefix to a local directory with `url_map` in codegen.yaml)"));
                    return None;
                }
            }
        } else {
            let decoded = percent_decode(location);
            let base = self.sources.files[file]
                .path
                .parent()
                .map(Path::to_path_buf)
                .unwrap_or_default();
            normalise(&base.join(decoded))
        };
        let index = self.open(&path, file, ref_at)?;
        Some((index, fragment))
    }

    /// The index of a file among the sources, reading it the first time.
    fn open(&mut self, path: &Path, file: usize, ref_at: &str) -> Option<usize> {
        // One file reached by two paths is read once; paths that are not
        // on disk (a git revision's) are told apart as written.
        let identity = std::fs::canonicalize(path).unwrap_or_else(|_| normalise(path));
        if let Some(i) = self.loaded.iter().position(|l| l.canonical == identity) {
            return Some(i);
        }
        match (self.read)(path) {
            Ok((value, index)) => {
                self.loaded.push(Loaded {
                    canonical: identity,
                    value,
                });
                self.sources.files.push(SourceFile {
                    path: path.to_path_buf(),
                    index,
                });
                Some(self.loaded.len() - 1)
            }
            Err(Unread::Io(e)) => {
                self.error(
                    file,
                    ref_at,
                    format!("cannot read the referenced file {}: {e}", path.display()),
                );
                None
            }
            Err(Unread::Invalid(errors)) => {
                self.errors.extend(errors);
                None
            }
        }
    }

    fn value_at(&mut self, target: &Target, file: usize, ref_at: &str) -> Option<Value> {
        let pointer = crate::diagnostics::unescape_pointer(&target.1);
        let found = self.loaded[target.0].value.pointer(&pointer).cloned();
        if found.is_none() {
            let path = self.sources.files[target.0].path.display().to_string();
            self.error(file, ref_at, format!("`{}` is not in {path}", target.1));
        }
        found
    }

    /// The local reference for `text`, read from `file`, as a component of
    /// kind `kind`.
    fn place(&mut self, text: &str, kind: Kind, file: usize, ref_at: &str) -> Option<String> {
        let target = self.resolve(text, file, ref_at)?;
        if target.0 == 0 {
            return Some(target.1);
        }
        self.component(target, kind, file, ref_at)
    }

    /// Brings `target` in as a component of `kind` (once), and gives the
    /// local reference to it.
    fn component(
        &mut self,
        target: Target,
        kind: Kind,
        file: usize,
        ref_at: &str,
    ) -> Option<String> {
        let section = kind.section()?;
        if let Some(name) = self.names.get(&(target.clone(), section)) {
            return Some(local_ref(section, name));
        }
        let name = self.name_for(&target, section);
        self.names.insert((target.clone(), section), name.clone());
        let at = local_ref(section, &name);
        let mut content = self.value_at(&target, file, ref_at)?;
        self.visit(&mut content, kind, target.0, &target.1, &at);
        self.sources
            .placements
            .push((at.clone(), target.0, target.1.clone()));
        self.added.insert((section.to_string(), name), content);
        Some(at)
    }

    /// A free name in `section` for `target`: the fragment's last segment or
    /// the file's stem, then prefixed with directories while it is taken.
    fn name_for(&mut self, target: &Target, section: &str) -> String {
        let path = self.sources.files[target.0].path.clone();
        let last = target
            .1
            .rsplit('/')
            .next()
            .filter(|s| !s.is_empty() && *s != "#")
            .map(unescape_token);
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "schema".into());
        let base = last.unwrap_or(stem);
        let dirs: Vec<String> = path
            .parent()
            .into_iter()
            .flat_map(|p| p.components().rev())
            .filter_map(|c| match c {
                Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
                _ => None,
            })
            .collect();
        let taken = self.taken.entry(section.to_string()).or_default();
        let mut candidate = base.clone();
        let mut prefix = String::new();
        for dir in &dirs {
            match taken.get(&candidate) {
                None => break,
                Some(Some(owner)) if owner == target => break,
                Some(_) => {
                    prefix = format!("{dir}_{prefix}");
                    candidate = format!("{prefix}{base}");
                }
            }
        }
        let mut n = 2;
        let plain = candidate.clone();
        while taken.contains_key(&candidate) {
            candidate = format!("{plain}_{n}");
            n += 1;
        }
        taken.insert(candidate.clone(), Some(target.clone()));
        candidate
    }
}

/// `file` as the root spec `root` would refer to it: relative to the root's
/// directory, with `/` on every platform, so generated docs are the same
/// on every machine.
pub fn relative_name(file: &Path, root: &Path) -> String {
    let names = |p: &Path| -> Vec<String> {
        normalise(p)
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect()
    };
    let base = root.parent().map(names).unwrap_or_default();
    let target = names(file);
    let common = base.iter().zip(&target).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<String> = vec!["..".to_string(); base.len() - common];
    parts.extend(target[common..].iter().cloned());
    parts.join("/")
}

fn local_ref(section: &str, name: &str) -> String {
    format!("#/components/{section}/{}", escape_token(name))
}

/// `a/./b/../c` → `a/c`, without touching the file system, so that messages
/// show the path as the spec's author would.
fn normalise(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                let ends_in_name =
                    matches!(out.components().next_back(), Some(Component::Normal(_)));
                if ends_in_name {
                    out.pop();
                } else {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// `%20` → ` ` in a reference (a URI reference).
fn percent_decode(text: &str) -> String {
    percent_encoding::percent_decode_str(text)
        .decode_utf8_lossy()
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_relative_to_the_root() {
        let root = Path::new("specs/api/root.yaml");
        assert_eq!(
            relative_name(Path::new("specs/api/models/a.yaml"), root),
            "models/a.yaml"
        );
        assert_eq!(
            relative_name(Path::new("specs/common/e.yaml"), root),
            "../common/e.yaml"
        );
        assert_eq!(
            normalise(Path::new("a/./b/../c.yaml")),
            PathBuf::from("a/c.yaml")
        );
        assert_eq!(normalise(Path::new("../x/../y")), PathBuf::from("../y"));
    }

    #[test]
    fn the_longest_placement_locates_a_pointer() {
        let file = |p: &str| SourceFile {
            path: PathBuf::from(p),
            index: SourceIndex::default(),
        };
        let sources = Sources {
            files: vec![file("root.yaml"), file("paths.yaml"), file("pet.yaml")],
            placements: vec![
                ("#/paths/~1pets".into(), 1, "#".into()),
                ("#/components/schemas/pet".into(), 2, "#".into()),
                ("#/paths/~1pets/get/x".into(), 2, "#/y".into()),
            ],
        };
        let at = |p: &str| {
            sources
                .locate(p)
                .map(|(f, p)| format!("{}{p}", sources.files[f].path.display()))
        };
        assert_eq!(
            at("#/paths/~1pets/get/responses").as_deref(),
            Some("paths.yaml#/get/responses")
        );
        assert_eq!(
            at("#/paths/~1pets/get/x/z").as_deref(),
            Some("pet.yaml#/y/z")
        );
        assert_eq!(at("#/components/schemas/pet").as_deref(), Some("pet.yaml#"));
        assert_eq!(at("#/components/schemas/petty"), None);
        assert_eq!(at("#/info"), None);
    }
}
