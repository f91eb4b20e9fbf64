//! Grading many answer files at once, on every core. Each worker reads, grades and drops one
//! file at a time, so memory holds the (small) results and never all the files' text.

use super::grade::Grader;
use super::submission::{Question, Submission, grade_sheet, unreadable};
use rayon::prelude::*;
use std::io::Read;
use std::path::{Path, PathBuf};

/// Larger answer files are refused unread: a real one is a few hundred bytes.
pub const MAX_ANSWER_BYTES: u64 = 1024 * 1024;

/// The answer files named by `paths`: a file stands for itself (even if it is missing: it is
/// then reported as that submission's error), a folder for every `*.toml` directly in it,
/// sorted by name. `Err` for a folder that cannot be listed or holds no `*.toml`.
pub fn answer_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    let mut files = Vec::new();
    for path in paths {
        if !path.is_dir() {
            files.push(path.clone());
            continue;
        }
        let listing = std::fs::read_dir(path)
            .map_err(|e| format!("{}: cannot list the folder: {e}", path.display()))?;
        // The entry's own type needs no `stat` per file (a class is thousands of files); a
        // symbolic link is followed to see whether it leads to a file.
        let mut found: Vec<PathBuf> = listing
            .filter_map(Result::ok)
            .filter(|entry| match entry.file_type() {
                Ok(kind) if kind.is_symlink() => entry.path().is_file(),
                Ok(kind) => kind.is_file(),
                Err(_) => false,
            })
            .map(|entry| entry.path())
            .filter(|p| p.extension().is_some_and(|e| e == "toml"))
            .collect();
        if found.is_empty() {
            return Err(format!("{}: the folder holds no *.toml answer files", path.display()));
        }
        // All in one folder, so byte order of the whole path is the order of the names, and
        // much cheaper than comparing paths component by component.
        found.sort_unstable_by(|a, b| a.as_os_str().cmp(b.as_os_str()));
        files.extend(found);
    }
    Ok(files)
}

/// Grades every file, in parallel; the results come back in the order of `files`.
pub fn grade_files(grader: &Grader, questions: &[Question], files: &[PathBuf]) -> Vec<Submission> {
    grade_files_with(grader, questions, files, |submission| submission)
}

/// Grades every file in parallel and turns each submission into what the caller keeps (e.g.
/// its printed form) in the same worker, so that only that is held until the end; the results
/// come back in the order of `files`.
pub fn grade_files_with<T: Send>(
    grader: &Grader,
    questions: &[Question],
    files: &[PathBuf],
    keep: impl Fn(Submission) -> T + Sync,
) -> Vec<T> {
    files.par_iter().map(|path| keep(grade_file(grader, questions, path))).collect()
}

pub fn grade_file(grader: &Grader, questions: &[Question], path: &Path) -> Submission {
    let name = path.display().to_string();
    match read_answer_file(path) {
        Ok(text) => grade_sheet(grader, questions, &name, &text),
        Err(error) => unreadable(grader, questions, &name, error),
    }
}

fn read_answer_file(path: &Path) -> Result<String, String> {
    let file = std::fs::File::open(path).map_err(|e| format!("cannot open the file: {e}"))?;
    // Room for a typical file up front: one read fills it and a second finds the end, where an
    // empty buffer would start with a small probing read.
    let mut bytes = Vec::with_capacity(4096);
    // `take` bounds the read even where the size on disk says nothing (a pipe, /dev/zero).
    file.take(MAX_ANSWER_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read the file: {e}"))?;
    if bytes.len() as u64 > MAX_ANSWER_BYTES {
        return Err(format!(
            "the file is larger than {} KiB; an answer file is a small TOML file",
            MAX_ANSWER_BYTES >> 10
        ));
    }
    String::from_utf8(bytes).map_err(|e| {
        format!("the file is not UTF-8 text (byte {} is not valid UTF-8)", e.utf8_error().valid_up_to())
    })
}
