//! Where progress is kept between sessions: one JSON file per lesson and mode, named by the
//! lesson's fingerprint, so editing a lesson starts its progress afresh instead of resuming into
//! steps that no longer mean the same thing. Practice keeps `<fingerprint>.json`, a walkthrough
//! its own position in `<fingerprint>.walkthrough.json`: neither mode ever touches the other's.
//!
//! The location is `$BACKPROP_TUTOR_DATA_DIR/progress/` if that is set (tests, and users who
//! want it elsewhere), else `$XDG_DATA_HOME/backprop-tutor/progress/`, else the platform's data
//! directory (`~/.local/share`, `~/Library/Application Support`, `%APPDATA%`).
//!
//! Nothing here may stop the tutor: an unreadable or corrupt file becomes a warning and a fresh
//! start, and a failed save becomes an error the caller shows while the learner carries on.

use super::{Mode, Progress};
use crate::lesson::Lesson;
use crate::textfile::{Accept, TextFileError, read_text};
use serde::{Deserialize, Serialize};
use std::ffi::OsString;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Progress files are tiny; anything this large is not ours and is not read into memory.
const MAX_PROGRESS_BYTES: u64 = 16 * 1024 * 1024;

/// The progress directory, or `None` when the platform gives no data directory (no `HOME`).
#[derive(Debug, Clone)]
pub struct ProgressStore {
    dir: Option<PathBuf>,
}

/// What a progress file holds. The title is for a person browsing the folder: the file's
/// name, a hash, says nothing to them.
#[derive(Serialize)]
struct SavedRef<'a> {
    lesson: &'a str,
    progress: &'a Progress,
}

#[derive(Deserialize)]
struct Saved {
    progress: Progress,
}

#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    #[error("progress is not saved: no data directory (set XDG_DATA_HOME or BACKPROP_TUTOR_DATA_DIR)")]
    NoDataDir,
    #[error("progress is not saved: cannot write {}: {source}", path.display())]
    Io { path: PathBuf, source: io::Error },
}

impl ProgressStore {
    /// The store the environment points to (see the module documentation).
    pub fn from_env() -> ProgressStore {
        ProgressStore { dir: progress_dir(|name| std::env::var_os(name), dirs::data_dir()) }
    }

    /// A store kept in `dir` itself.
    pub fn at(dir: impl Into<PathBuf>) -> ProgressStore {
        ProgressStore { dir: Some(dir.into()) }
    }

    /// The file that holds `lesson`'s progress in `mode`.
    pub fn path_for(&self, lesson: &Lesson, mode: Mode) -> Option<PathBuf> {
        let suffix = match mode {
            Mode::Practice => "",
            Mode::Walkthrough => ".walkthrough",
        };
        self.dir.as_ref().map(|dir| dir.join(format!("{:016x}{suffix}.json", lesson.fingerprint())))
    }

    /// The saved progress through `lesson`, or a fresh start and a warning saying why the saved
    /// progress could not be used. A missing file is a fresh start without a warning; a corrupt
    /// one is moved aside (`<file>.corrupt-<n>`) so the next save does not destroy it.
    pub fn load(&self, lesson: &Lesson, mode: Mode) -> (Progress, Option<String>) {
        let Some(path) = self.path_for(lesson, mode) else {
            return (Progress::default(), None);
        };
        let text = match read_text(&path, MAX_PROGRESS_BYTES, Accept::RegularFiles) {
            Ok(text) => text,
            Err(TextFileError::Missing) => return (Progress::default(), None),
            // Not what this tool writes: kept aside, so that the next save does not destroy it.
            Err(TextFileError::TooLarge { .. }) => {
                return (Progress::default(), Some(set_aside(&path, "larger than a progress file can be")));
            }
            Err(error @ (TextFileError::Nul(_) | TextFileError::NotUtf8(_))) => {
                return (Progress::default(), Some(set_aside(&path, &error.to_string())));
            }
            Err(error) => {
                let warning = format!("cannot read saved progress {}: {error}", path.display());
                return (Progress::default(), Some(warning));
            }
        };
        match serde_json::from_str::<Saved>(&text) {
            Ok(saved) => (saved.progress, None),
            Err(error) => (Progress::default(), Some(set_aside(&path, &error.to_string()))),
        }
    }

    /// Saves atomically: a temporary file in the same directory, flushed to disk, renamed over
    /// the old file. A crash at any moment leaves the old file or the new one, never a mix.
    pub fn save(&self, lesson: &Lesson, mode: Mode, progress: &Progress) -> Result<(), SaveError> {
        let (Some(dir), Some(path)) = (&self.dir, self.path_for(lesson, mode)) else {
            return Err(SaveError::NoDataDir);
        };
        let io_error = |source| SaveError::Io { path: path.clone(), source };
        fs::create_dir_all(dir).map_err(io_error)?;
        // Progress has only strings, numbers and maps with string keys, which always serialize.
        let mut json = serde_json::to_vec_pretty(&SavedRef { lesson: lesson.title(), progress })
            .map_err(|e| io_error(io::Error::other(e)))?;
        json.push(b'\n');
        // Named after the target so a leftover from a killed process says whose it was.
        let prefix = format!(".{}.", path.file_name().unwrap_or_default().to_string_lossy());
        let mut temp =
            tempfile::Builder::new().prefix(&prefix).suffix(".tmp").tempfile_in(dir).map_err(io_error)?;
        temp.write_all(&json).and_then(|()| temp.as_file().sync_all()).map_err(io_error)?;
        temp.persist(&path).map_err(|error| io_error(error.error))?;
        sync_directory(dir);
        Ok(())
    }
}

/// The progress directory, from the environment `var` and the platform's data directory.
fn progress_dir(var: impl Fn(&str) -> Option<OsString>, platform: Option<PathBuf>) -> Option<PathBuf> {
    // Relative paths are ignored, as the XDG specification asks: they would move with the
    // current directory.
    let absolute = |name| var(name).map(PathBuf::from).filter(|path| path.is_absolute());
    let data = absolute("BACKPROP_TUTOR_DATA_DIR").or_else(|| {
        // XDG_DATA_HOME is checked here rather than left to `dirs` because `dirs` ignores it on
        // macOS, and users who set it expect it to win everywhere.
        absolute("XDG_DATA_HOME").or(platform).map(|base| base.join("backprop-tutor"))
    });
    data.map(|data| data.join("progress"))
}

/// The file's text; `None` if it does not exist; `InvalidData` if it is too large or not UTF-8.
/// Renames a corrupt progress file to the first free `<file>.corrupt-<n>` and says so.
fn set_aside(path: &Path, why: &str) -> String {
    let aside = (1..)
        .map(|n| {
            let mut name = path.as_os_str().to_owned();
            name.push(format!(".corrupt-{n}"));
            PathBuf::from(name)
        })
        .find(|candidate| !candidate.exists())
        .unwrap_or_else(|| path.with_extension("corrupt"));
    match fs::rename(path, &aside) {
        Ok(()) => format!(
            "saved progress was unreadable ({why}); moved it to {} and started afresh",
            aside.display()
        ),
        Err(error) => format!(
            "saved progress {} was unreadable ({why}) and could not be moved aside ({error}); \
             started afresh",
            path.display()
        ),
    }
}

/// Makes the rename itself durable. Best effort: some filesystems cannot sync a directory, and
/// the file's own contents were synced already.
fn sync_directory(dir: &Path) {
    #[cfg(unix)]
    if let Ok(handle) = fs::File::open(dir) {
        let _ = handle.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tutor::{QuestionProgress, Status};

    fn lesson() -> Lesson {
        crate::lesson::load_lesson("notes-example").unwrap()
    }

    fn some_progress() -> Progress {
        let question = QuestionProgress {
            last_input: "[1, 2]".into(),
            draft: "[1, 2".into(),
            attempts: 2,
            hints: 1,
            status: Status::Solved,
        };
        Progress { current_step: 3, questions: [("dL_do".to_string(), question)].into() }
    }

    #[test]
    fn a_missing_file_is_a_fresh_start_without_a_warning() {
        let dir = tempfile::tempdir().unwrap();
        let store = ProgressStore::at(dir.path().join("not-yet"));
        assert_eq!(store.load(&lesson(), Mode::Practice), (Progress::default(), None));
    }

    #[test]
    fn saved_progress_loads_back_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let store = ProgressStore::at(dir.path().join("progress"));
        store.save(&lesson(), Mode::Practice, &some_progress()).unwrap();
        store.save(&lesson(), Mode::Practice, &some_progress()).unwrap();
        assert_eq!(store.load(&lesson(), Mode::Practice), (some_progress(), None));
        let names: Vec<_> =
            fs::read_dir(dir.path().join("progress")).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, [std::ffi::OsString::from(format!("{:016x}.json", lesson().fingerprint()))]);
    }

    #[test]
    fn each_mode_keeps_its_own_record() {
        let dir = tempfile::tempdir().unwrap();
        let store = ProgressStore::at(dir.path());
        let walkthrough = Progress { current_step: 4, ..Progress::default() };
        store.save(&lesson(), Mode::Practice, &some_progress()).unwrap();
        store.save(&lesson(), Mode::Walkthrough, &walkthrough).unwrap();
        assert_eq!(store.load(&lesson(), Mode::Practice), (some_progress(), None));
        assert_eq!(store.load(&lesson(), Mode::Walkthrough), (walkthrough, None));
        assert_ne!(store.path_for(&lesson(), Mode::Practice), store.path_for(&lesson(), Mode::Walkthrough));
    }

    #[test]
    fn a_corrupt_file_is_moved_aside_with_a_warning_each_time() {
        let dir = tempfile::tempdir().unwrap();
        let store = ProgressStore::at(dir.path());
        let path = store.path_for(&lesson(), Mode::Practice).unwrap();
        for n in 1..=2 {
            fs::write(&path, "{\"progress\": {\"current_step\": ").unwrap();
            let (progress, warning) = store.load(&lesson(), Mode::Practice);
            assert_eq!(progress, Progress::default());
            let warning = warning.unwrap();
            assert!(warning.contains(&format!(".json.corrupt-{n}")), "{warning}");
            assert!(!path.exists());
            assert!(dir.path().join(format!("{:016x}.json.corrupt-{n}", lesson().fingerprint())).exists());
        }
    }

    #[test]
    fn binary_garbage_is_corrupt_too() {
        let dir = tempfile::tempdir().unwrap();
        let store = ProgressStore::at(dir.path());
        fs::write(store.path_for(&lesson(), Mode::Practice).unwrap(), [0xff, 0xfe, 0x00]).unwrap();
        let (progress, warning) = store.load(&lesson(), Mode::Practice);
        assert_eq!(progress, Progress::default());
        assert!(warning.unwrap().contains("corrupt-1"));
    }

    #[test]
    fn an_unwritable_location_is_an_error_not_a_panic() {
        // A file where the directory should be: unwritable even for root, unlike permissions.
        let dir = tempfile::tempdir().unwrap();
        let blocker = dir.path().join("blocker");
        fs::write(&blocker, "").unwrap();
        let store = ProgressStore::at(blocker.join("progress"));
        let error = store.save(&lesson(), Mode::Practice, &some_progress()).unwrap_err();
        assert!(error.to_string().starts_with("progress is not saved: cannot write"), "{error}");
        assert_eq!(store.load(&lesson(), Mode::Practice).0, Progress::default());
    }

    #[test]
    fn no_data_directory_means_no_saving() {
        let store = ProgressStore { dir: None };
        assert_eq!(store.load(&lesson(), Mode::Practice), (Progress::default(), None));
        assert!(matches!(store.save(&lesson(), Mode::Practice, &some_progress()), Err(SaveError::NoDataDir)));
    }

    #[test]
    fn the_location_is_the_override_else_xdg_else_the_platform_default() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                pairs.iter().find(|(key, _)| *key == name).map(|(_, value)| OsString::from(value))
            }
        };
        let platform = Some(PathBuf::from("/platform"));
        let all = env(&[("BACKPROP_TUTOR_DATA_DIR", "/override"), ("XDG_DATA_HOME", "/xdg")]);
        assert_eq!(progress_dir(all, platform.clone()), Some("/override/progress".into()));
        let xdg = env(&[("XDG_DATA_HOME", "/xdg")]);
        assert_eq!(progress_dir(xdg, platform.clone()), Some("/xdg/backprop-tutor/progress".into()));
        let relative = env(&[("BACKPROP_TUTOR_DATA_DIR", "here"), ("XDG_DATA_HOME", "there")]);
        assert_eq!(progress_dir(relative, platform), Some("/platform/backprop-tutor/progress".into()));
        assert_eq!(progress_dir(env(&[]), None), None);
    }
}
