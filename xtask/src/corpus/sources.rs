//! Where the corpus specs come from: the project's own (`tests/corpus`), the
//! published IOM files and the public specs of `../shared/corpus`, whose
//! `MANIFEST.tsv` names each spec's root file (several are directories of
//! files that refer to each other).

use std::path::{Path, PathBuf};

use iom_codegen::project::spec_files_in;

use crate::default_prefix;

/// One spec of the corpus.
pub struct Source {
    /// The spec's root file.
    pub path: PathBuf,
    /// How `unsupported.txt` and the summary name it: the file name, or for
    /// `../shared/corpus` the root file's path inside that directory.
    pub name: String,
    /// Crate name prefix.
    pub prefix: String,
}

/// Every spec of the corpus: the project's own (`tests/corpus`), the
/// published IOM specs (default `../shared/iom-specs`) and the public specs
/// of a `MANIFEST.tsv` (default `../shared/corpus`), each when present.
pub fn corpus(
    root: &Path,
    iom: Option<PathBuf>,
    public: Option<PathBuf>,
) -> Result<Vec<Source>, String> {
    let mut specs = directory(&root.join("tests/corpus"))?;
    let iom = iom.unwrap_or_else(|| root.join("../shared/iom-specs"));
    if iom.is_dir() {
        specs.extend(directory(&iom)?);
    } else {
        eprintln!(
            "notice: {} is not present; its specs are skipped",
            iom.display()
        );
    }
    let public = public.unwrap_or_else(|| root.join("../shared/corpus"));
    if public.join("MANIFEST.tsv").is_file() {
        specs.extend(manifest(&public)?);
    } else {
        eprintln!(
            "notice: {} is not present; its specs are skipped",
            public.display()
        );
    }
    Ok(specs)
}

/// The spec files of a directory, named by file name.
pub fn directory(dir: &Path) -> Result<Vec<Source>, String> {
    let files =
        spec_files_in(dir).map_err(|e| format!("error: cannot read {}: {e}", dir.display()))?;
    files
        .into_iter()
        .map(|path| {
            Ok(Source {
                name: file_name(&path),
                prefix: default_prefix(&path)?,
                path,
            })
        })
        .collect()
}

/// The specs `MANIFEST.tsv` lists, named by root file and prefixed by their
/// short name.
pub fn manifest(dir: &Path) -> Result<Vec<Source>, String> {
    let path = dir.join("MANIFEST.tsv");
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("error: cannot read {}: {e}", path.display()))?;
    let mut sources = Vec::new();
    for (n, line) in text.lines().enumerate().skip(1) {
        let columns: Vec<&str> = line.split('\t').collect();
        let (Some(short), Some(root)) = (columns.first(), columns.get(1)) else {
            return Err(format!(
                "error: {}:{}: expected `short-name<TAB>root file<TAB>...`",
                path.display(),
                n + 1
            ));
        };
        if short.is_empty() {
            continue;
        }
        let prefix = short.to_lowercase();
        if !iom_codegen::config::valid_prefix(&prefix) {
            return Err(format!(
                "error: {}:{}: `{short}` is not a valid crate name prefix",
                path.display(),
                n + 1
            ));
        }
        sources.push(Source {
            path: dir.join(root),
            name: root.to_string(),
            prefix,
        });
    }
    Ok(sources)
}

impl Source {
    /// How the generator is asked for this spec's crates.
    pub fn crate_spec(&self) -> iom_codegen::CrateSpec {
        iom_codegen::CrateSpec {
            spec_path: self.path.clone(),
            display_path: self.name.clone(),
            prefix: self.prefix.clone(),
            ..Default::default()
        }
    }
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}
