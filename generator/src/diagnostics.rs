//! Diagnostics: every warning and error the generator reports names the file,
//! the JSON pointer into the document and, when the source index knows it,
//! the line and column.

use std::fmt;
use std::path::{Path, PathBuf};

/// How serious a [`Diagnostic`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// A known defect was repaired, or something was mapped in a lossy way.
    Warning,
    /// Generation cannot continue.
    Error,
}

/// One message about one place in a spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub file: PathBuf,
    /// JSON pointer, always starting with `#` (the document root is `#`).
    pub pointer: String,
    /// 1-based line and column, where known.
    pub position: Option<(usize, usize)>,
    pub message: String,
    /// Further places that belong to this message (for example the first
    /// occurrence of a duplicate key), already rendered.
    pub related: Vec<String>,
    /// For an error about a construct the generator does not map yet, which
    /// kind of construct it is. On a warning, the construct was *degraded*:
    /// generated as a looser type that still accepts every document the
    /// spec allows (`serde_json::Value`, a plain scalar), or left out.
    pub unsupported: Option<Unsupported>,
}

/// The classes of constructs the generator refuses by name. The corpus
/// (`tests/corpus/unsupported.txt`) counts refusals per spec and class, so a
/// class says which part of the generator a refusal waits for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Unsupported {
    /// A Swagger document of a version other than 2.0 (2.0 is converted).
    Swagger2,
    /// An OpenAPI version other than 3.0 and 3.1, or a 3.1 document in
    /// another JSON Schema dialect than the default.
    OpenApiVersion,
    /// A `$ref` to a URL that `url_map` does not map to a directory.
    ExternalRef,
    /// A schema construct with no Rust mapping.
    Schema,
    /// A request or response media type, or a body shape.
    MediaType,
    /// A security scheme or requirement.
    Security,
    /// A parameter location, style or schema.
    Parameter,
    /// A response key or response header.
    Response,
    /// `callbacks`, or another path-item or operation field.
    Operation,
}

impl Unsupported {
    pub const ALL: [Unsupported; 9] = [
        Unsupported::Swagger2,
        Unsupported::OpenApiVersion,
        Unsupported::ExternalRef,
        Unsupported::Schema,
        Unsupported::MediaType,
        Unsupported::Security,
        Unsupported::Parameter,
        Unsupported::Response,
        Unsupported::Operation,
    ];

    /// The name used in `unsupported.txt`.
    pub fn name(self) -> &'static str {
        match self {
            Unsupported::Swagger2 => "swagger-2.0",
            Unsupported::OpenApiVersion => "openapi-version",
            Unsupported::ExternalRef => "external-ref",
            Unsupported::Schema => "schema",
            Unsupported::MediaType => "media-type",
            Unsupported::Security => "security",
            Unsupported::Parameter => "parameter",
            Unsupported::Response => "response",
            Unsupported::Operation => "operation",
        }
    }

    /// A refusal of the operation layer (paths, bodies, security), which
    /// leaves the schemas, and so the models crate, unaffected.
    pub fn is_operation_layer(self) -> bool {
        matches!(
            self,
            Unsupported::MediaType
                | Unsupported::Security
                | Unsupported::Parameter
                | Unsupported::Response
                | Unsupported::Operation
        )
    }

    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|u| u.name() == name)
    }
}

impl fmt::Display for Unsupported {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl Diagnostic {
    pub fn error(file: &Path, pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, file, pointer, message)
    }

    pub fn warning(file: &Path, pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, file, pointer, message)
    }

    fn new(
        severity: Severity,
        file: &Path,
        pointer: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity,
            file: file.to_path_buf(),
            pointer: pointer.into(),
            position: None,
            message: message.into(),
            related: Vec::new(),
            unsupported: None,
        }
    }

    /// Marks an error as a refusal of a construct of class `class`.
    pub fn unsupported(mut self, class: Unsupported) -> Self {
        self.unsupported = Some(class);
        self
    }

    pub fn at(mut self, position: Option<(usize, usize)>) -> Self {
        self.position = position;
        self
    }

    pub fn with_related(mut self, related: impl Into<String>) -> Self {
        self.related.push(related.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Whether this is a warning about a construct generated looser than
    /// the spec says (see [`unsupported`](Self::unsupported)).
    pub fn is_degraded(&self) -> bool {
        self.severity == Severity::Warning && self.unsupported.is_some()
    }

    /// A degraded construct as an error, for `--strict`.
    pub fn strict(mut self) -> Self {
        if self.is_degraded() {
            self.severity = Severity::Error;
        }
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.severity {
            Severity::Warning => "warning",
            Severity::Error => "error",
        };
        write!(f, "{kind}: {}", self.file.display())?;
        if let Some((line, col)) = self.position {
            write!(f, ":{line}:{col}")?;
        }
        write!(f, ": {}: {}", self.pointer, self.message)?;
        for related in &self.related {
            write!(f, "\n  note: {related}")?;
        }
        Ok(())
    }
}

/// A failed generation: at least one error, plus the warnings seen before it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter().filter(|d| d.is_error())
    }
}

impl From<Diagnostic> for Diagnostics {
    fn from(d: Diagnostic) -> Self {
        Diagnostics(vec![d])
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

/// Escapes one reference token for a JSON pointer (RFC 6901).
pub fn escape_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Undoes [`escape_token`].
pub fn unescape_token(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// Appends one token to a pointer that starts with `#`.
pub fn child(pointer: &str, token: &str) -> String {
    format!("{pointer}/{}", escape_token(token))
}

/// `#/a/b~1c` → `/a/b~1c`, the form `serde_json::Value::pointer` takes.
pub fn unescape_pointer(pointer: &str) -> String {
    pointer.strip_prefix('#').unwrap_or(pointer).to_string()
}
