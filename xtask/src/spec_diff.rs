//! `cargo xtask spec-diff`: the semantic diff of two spec files, or of each
//! project spec against a git revision.

use std::path::{Path, PathBuf};
use std::process::Command;

use iom_codegen::config::Config;
use iom_codegen::diff::{self, Level, SpecDiff};
use iom_codegen::load::{self, LoadedSpec};

/// When to exit non-zero.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FailOn {
    /// A change breaking for clients or for servers, or a crate needing a
    /// major bump.
    Breaking,
    /// The same, or a possibly breaking change.
    Warning,
}

pub struct Args {
    pub old: Option<PathBuf>,
    pub new: Option<PathBuf>,
    pub since: Option<String>,
    pub format: diff::Format,
    pub fail_on: Option<FailOn>,
}

pub fn spec_diff(args: Args, root: &Path) -> Result<(), String> {
    let diffs = match (&args.since, &args.old, &args.new) {
        (Some(rev), None, None) => since(rev, root)?,
        (None, Some(old), Some(new)) => {
            let (o, n) = (load(old)?, load(new)?);
            vec![diff::diff(
                &o,
                &n,
                &old.display().to_string(),
                &new.display().to_string(),
            )]
        }
        _ => return Err("error: give OLD and NEW, or --since REV (not both)".into()),
    };
    if args.since.is_some() {
        print!("{}", diff::render_many(&diffs, args.format));
    } else {
        diffs
            .iter()
            .for_each(|d| print!("{}", diff::render(d, args.format)));
    }
    let worst = diffs
        .iter()
        .map(SpecDiff::worst)
        .max()
        .unwrap_or(Level::Compatible);
    let threshold = match args.fail_on {
        None => return Ok(()),
        Some(FailOn::Breaking) => Level::Breaking,
        Some(FailOn::Warning) => Level::PossiblyBreaking,
    };
    if worst >= threshold {
        return Err(format!(
            "error: {} changes found (--fail-on)",
            worst.label()
        ));
    }
    Ok(())
}

fn load(path: &Path) -> Result<LoadedSpec, String> {
    load::load_file(path).map_err(|d| d.to_string())
}

/// Each spec of `specs/codegen.yaml` at `rev` against the working tree,
/// matched by crate prefix (so a spec file renamed for a new version is
/// still compared with its predecessor).
fn since(rev: &str, root: &Path) -> Result<Vec<SpecDiff>, String> {
    let config_path = Path::new("specs/codegen.yaml");
    let old_text = git_show(root, rev, config_path)?;
    let old_config =
        Config::parse(&shown(rev, config_path), &old_text).map_err(|d| d.to_string())?;
    let new_config = Config::load(&root.join(config_path)).map_err(|d| d.to_string())?;
    let mut diffs = Vec::new();
    for entry in &new_config.specs {
        let new_file = Path::new("specs").join(&entry.file);
        let Some(old_entry) = old_config
            .specs
            .iter()
            .find(|o| o.crate_prefix == entry.crate_prefix)
        else {
            eprintln!(
                "spec-diff: {} is new since {rev}; nothing to compare",
                new_file.display()
            );
            continue;
        };
        let old_file = Path::new("specs").join(&old_entry.file);
        let text = git_show(root, rev, &old_file)?;
        let old_name = shown(rev, &old_file);
        // The files a split spec refers to, as they were at `rev` too.
        let (repo, at) = (root.to_path_buf(), rev.to_string());
        let options = load::LoadOptions {
            url_map: Default::default(),
            read: Some(std::sync::Arc::new(move |path: &Path| {
                git_show(&repo, &at, path).map_err(std::io::Error::other)
            })),
        };
        let old = load::load_str_with(&old_file, &text, load::Format::of(&old_file), &options)
            .map_err(|d| d.to_string())?;
        let new = load(&root.join(&new_file))?;
        let mut d = diff::diff(
            &old,
            &new,
            &old_name.display().to_string(),
            &new_file.display().to_string(),
        );
        d.crate_prefix = Some(entry.crate_prefix.clone());
        diffs.push(d);
    }
    for old in &old_config.specs {
        if !new_config
            .specs
            .iter()
            .any(|n| n.crate_prefix == old.crate_prefix)
        {
            eprintln!(
                "spec-diff: {} (crates {}-*) was removed since {rev}",
                old.file.display(),
                old.crate_prefix
            );
        }
    }
    Ok(diffs)
}

/// How a file at a revision is named in messages: `REV:specs/x.yaml`.
fn shown(rev: &str, path: &Path) -> PathBuf {
    PathBuf::from(format!("{rev}:{}", path.display()))
}

fn git_show(root: &Path, rev: &str, path: &Path) -> Result<String, String> {
    let spec = format!("{rev}:{}", path.display());
    let output = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["show", &spec])
        .output()
        .map_err(|e| format!("error: cannot run git: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "error: `git show {spec}` failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    String::from_utf8(output.stdout).map_err(|_| format!("error: {spec} is not UTF-8"))
}
