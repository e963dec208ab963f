//! Stage 6, **write**: the output directory is replaced as a whole, or a
//! staleness report is produced. Everything is generated in memory first,
//! so a failing spec leaves the disk untouched.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// Files to write, by path relative to the output root.
pub type FileSet = BTreeMap<PathBuf, String>;

/// One difference between the disk and what the specs produce.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Stale {
    Missing(PathBuf),
    Differs(PathBuf),
    /// On disk, but no longer produced.
    Extra(PathBuf),
}

impl std::fmt::Display for Stale {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Stale::Missing(p) => write!(f, "missing:  {}", p.display()),
            Stale::Differs(p) => write!(f, "differs:  {}", p.display()),
            Stale::Extra(p) => write!(f, "extra:    {}", p.display()),
        }
    }
}

/// Top-level entries of the output root that generation owns: the first
/// component of every produced path.
fn owned_entries(files: &FileSet) -> BTreeSet<PathBuf> {
    files
        .keys()
        .filter_map(|p| p.components().next())
        .map(|c| PathBuf::from(c.as_os_str()))
        .collect()
}

fn list_files(dir: &Path, base: &Path, out: &mut BTreeSet<PathBuf>) -> io::Result<()> {
    if !dir.exists() {
        return Ok(());
    }
    for entry in fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            if path.file_name().is_some_and(|n| n == "target") {
                continue;
            }
            list_files(&path, base, out)?;
        } else if let Ok(rel) = path.strip_prefix(base) {
            out.insert(rel.to_path_buf());
        }
    }
    Ok(())
}

/// Compares `files` with `root`. With `exclusive`, every entry of `root`
/// belongs to generation, so unknown ones are stale too.
pub fn check(root: &Path, files: &FileSet, exclusive: bool) -> io::Result<Vec<Stale>> {
    let mut on_disk = BTreeSet::new();
    if exclusive {
        list_files(root, root, &mut on_disk)?;
    } else {
        for entry in owned_entries(files) {
            list_files(&root.join(&entry), root, &mut on_disk)?;
        }
    }
    let mut stale = Vec::new();
    for (path, contents) in files {
        match fs::read(root.join(path)) {
            Ok(bytes) if bytes == contents.as_bytes() => {}
            Ok(_) => stale.push(Stale::Differs(path.clone())),
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                stale.push(Stale::Missing(path.clone()))
            }
            Err(e) => return Err(e),
        }
    }
    for path in on_disk {
        if !files.contains_key(&path) {
            stale.push(Stale::Extra(path));
        }
    }
    stale.sort();
    Ok(stale)
}

/// Replaces the owned entries of `root` with `files`. With `exclusive`,
/// entries of `root` that are not produced are removed as well.
///
/// New entries are written into a staging directory inside `root` first and
/// then renamed into place, so a failure while writing leaves the old
/// output as it was; if a rename fails, the entries already swapped are
/// swapped back.
pub fn write(root: &Path, files: &FileSet, exclusive: bool) -> io::Result<()> {
    fs::create_dir_all(root)?;
    let staging = tempfile::Builder::new()
        .prefix(".codegen-staging-")
        .tempdir_in(root)?;
    let fresh = staging.path().join("new");
    let old = staging.path().join("old");
    fs::create_dir_all(&old)?;
    for (path, contents) in files {
        let target = fresh.join(path);
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent)?;
        }
        fs::write(&target, contents)?;
    }
    let mut entries: BTreeSet<PathBuf> = owned_entries(files);
    if exclusive {
        for entry in fs::read_dir(root)? {
            let name = PathBuf::from(entry?.file_name());
            if !name.to_string_lossy().starts_with(".codegen-staging-") {
                entries.insert(name);
            }
        }
    }
    let mut swapped: Vec<(PathBuf, bool)> = Vec::new();
    let result = (|| -> io::Result<()> {
        for entry in &entries {
            let current = root.join(entry);
            let had_old = current.exists();
            if had_old {
                fs::rename(&current, old.join(entry))?;
            }
            swapped.push((entry.clone(), had_old));
            let new = fresh.join(entry);
            if new.exists() {
                fs::rename(&new, &current)?;
            }
        }
        Ok(())
    })();
    if let Err(e) = result {
        for (entry, had_old) in swapped.into_iter().rev() {
            let current = root.join(&entry);
            if current.exists() {
                let _ = fs::rename(&current, fresh.join(&entry));
            }
            if had_old {
                let _ = fs::rename(old.join(&entry), &current);
            }
        }
        return Err(e);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(pairs: &[(&str, &str)]) -> FileSet {
        pairs
            .iter()
            .map(|(p, c)| (PathBuf::from(p), c.to_string()))
            .collect()
    }

    #[test]
    fn write_replaces_and_check_reports() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        fs::create_dir_all(root.join("a/src")).expect("mkdir");
        fs::write(root.join("a/src/old.rs"), "old").expect("write");
        fs::create_dir_all(root.join("gone")).expect("mkdir");
        fs::write(root.join("gone/x"), "x").expect("write");
        let set = files(&[("a/Cargo.toml", "toml"), ("a/src/lib.rs", "lib")]);
        let stale = check(root, &set, true).expect("check");
        assert_eq!(
            stale,
            vec![
                Stale::Missing("a/Cargo.toml".into()),
                Stale::Missing("a/src/lib.rs".into()),
                Stale::Extra("a/src/old.rs".into()),
                Stale::Extra("gone/x".into()),
            ]
        );
        write(root, &set, true).expect("write");
        assert!(check(root, &set, true).expect("check").is_empty());
        assert!(!root.join("gone").exists());
        let names: Vec<_> = fs::read_dir(root)
            .expect("ls")
            .map(|e| e.expect("entry").file_name())
            .collect();
        assert_eq!(
            names,
            vec![std::ffi::OsString::from("a")],
            "staging directory removed"
        );
        fs::write(root.join("a/src/lib.rs"), "edited").expect("write");
        assert_eq!(
            check(root, &set, true).expect("check"),
            vec![Stale::Differs("a/src/lib.rs".into())]
        );
    }
}
