//! Grading many answer files at once: which files the command line names, reading each one
//! without trusting what it is, and grading on every core with the results handed out in the
//! order of the files, a bounded window at a time, so that memory does not grow with the class.

use super::grade::Grader;
use super::submission::{Question, Submission, grade_sheet, unreadable};
use crate::textfile::{
    Accept, TextFileError, open_folder, read_entry, read_text, reads_come_up_short_only_at_end,
};
use std::borrow::Cow;
use std::collections::HashSet;
use std::ffi::OsStr;
use std::fs::{self, File};
use std::io;
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};

/// Larger answer files are refused unread: a real one is a few hundred bytes.
pub const MAX_ANSWER_BYTES: u64 = 1024 * 1024;

/// How many names of skipped entries a [`Skipped`] keeps, as examples.
const SKIPPED_EXAMPLES: usize = 3;

/// What the paths on the command line name (see [`list_answers`]).
#[derive(Debug, Default)]
pub struct Listing {
    /// The answer files, in order: each path as given, and each folder's `*.toml` entries.
    pub files: Vec<AnswerFile>,
    /// Folders holding entries that are not named `*.toml` (so are not submissions).
    pub skipped: Vec<Skipped>,
    /// Folders holding no entry named `*.toml` at all.
    pub empty: Vec<PathBuf>,
    /// Paths named a second time (directly, or inside a folder also named), graded only once.
    pub repeated: Vec<PathBuf>,
    /// Folder entries named `._*.toml`: the AppleDouble files macOS writes beside each file it
    /// copies to a foreign disk, metadata and not submissions.
    pub apple_double: Vec<PathBuf>,
}

/// An answer file to grade: an entry of a folder, or a path named on its own.
#[derive(Debug, Clone)]
pub struct AnswerFile {
    /// The folder it was found in; `None` for a file named on its own.
    folder: Option<Arc<Folder>>,
    /// Its name in the folder, or the path named. Boxed, without spare room: a class's
    /// listing holds one per file, and a name is shorter than its path.
    name: Box<OsStr>,
    /// Whether its folder's listing named it a regular file, on a file system where that is
    /// trusted, so that it is not asked again before it is read (see [`read_entry`]).
    listed_as_file: bool,
}

/// A folder whose entries are graded.
#[derive(Debug)]
struct Folder {
    /// As the command line names it.
    path: PathBuf,
    /// Its [`path_text`] with the separator that each entry's name follows: every output names
    /// each file, and the folder's part is the same for all of its entries.
    text: String,
    /// The folder, kept open so that each entry is opened by its name in it (see
    /// [`read_entry`]); `None` past the number of folders kept open, or if it would not open.
    handle: Option<File>,
}

impl AnswerFile {
    /// A file named on its own (on the command line), read by its path.
    pub fn named(path: PathBuf) -> Self {
        AnswerFile { folder: None, name: path.into_os_string().into_boxed_os_str(), listed_as_file: false }
    }

    /// Its path, as every output names it.
    pub fn path(&self) -> Cow<'_, Path> {
        match &self.folder {
            Some(folder) => Cow::Owned(folder.path.join(&*self.name)),
            None => Cow::Borrowed(Path::new(&self.name)),
        }
    }

    /// Its path as every output prints it ([`path_text`]).
    pub fn path_text(&self) -> String {
        let folder = self.folder.as_ref().map_or("", |folder| folder.text.as_str());
        let name = self.name.as_encoded_bytes();
        let mut out = String::with_capacity(folder.len() + name.len());
        out.push_str(folder);
        push_path_text(&mut out, name);
        out
    }

    /// Its text (see [`read_text`]: what is not a regular file is refused unread).
    pub fn read(&self) -> Result<String, ReadError> {
        let handle = self.folder.as_ref().and_then(|folder| folder.handle.as_ref());
        let in_folder =
            handle.and_then(|handle| read_entry(handle, &self.name, self.listed_as_file, MAX_ANSWER_BYTES));
        let text = match in_folder {
            Some(read) => read?,
            None => read_text(&self.path(), MAX_ANSWER_BYTES, Accept::RegularFiles)?,
        };
        if text.trim().is_empty() {
            return Err(ReadError::Empty);
        }
        Ok(text)
    }
}

/// What a note on stderr (and JSON's summary) says of a skipped AppleDouble file.
pub fn apple_double_note(path: &Path) -> String {
    format!(
        "note: {}: skipped: a macOS AppleDouble file (metadata that macOS writes beside a copied \
         file), not a submission",
        path_text(path)
    )
}

/// The entries of one folder that are not submissions.
#[derive(Debug)]
pub struct Skipped {
    pub folder: PathBuf,
    pub count: usize,
    /// The first few names, by name order.
    pub examples: Vec<String>,
}

/// A folder that cannot be listed.
#[derive(Debug, thiserror::Error)]
#[error("{}: cannot list the folder: {source}", path_text(folder))]
pub struct ListError {
    pub folder: PathBuf,
    pub source: io::Error,
}

/// Whether a folder entry is a submission: its name ends in `.toml`, in any case.
pub fn is_answer_name(name: &OsStr) -> bool {
    let name = name.as_encoded_bytes();
    name.len() >= 5 && name[name.len() - 5..].eq_ignore_ascii_case(b".toml")
}

/// The answer files that `paths` name. A path that is not a folder stands for itself, whatever
/// it is (a missing file is then that submission's error). A folder stands for every entry
/// directly in it named `*.toml` in any case, whatever its type, sorted by name: an entry that
/// is not a readable file (a folder, a dangling link, a pipe) is graded as an error, never
/// skipped. A file named twice is listed once, where it is first named.
pub fn list_answers(paths: &[PathBuf]) -> Result<Listing, ListError> {
    let mut listing = Listing::default();
    // Identities (canonical folder + name) of the files named directly, and canonical
    // folders: enough to find a file named twice without keeping one per folder entry.
    let mut named_files: HashSet<PathBuf> = HashSet::new();
    let mut folders: HashSet<PathBuf> = HashSet::new();
    let mut handles = folder_handles();
    for path in paths {
        if !path.is_dir() {
            let id = identity(path);
            // Listed with its folder, if it is there to be listed.
            let in_folder = id.parent().is_some_and(|p| folders.contains(p))
                && path.file_name().is_some_and(is_answer_name)
                && fs::symlink_metadata(path).is_ok();
            if in_folder || !named_files.insert(id) {
                listing.repeated.push(path.clone());
            } else {
                listing.files.push(AnswerFile::named(path.clone()));
            }
            continue;
        }
        let canonical = fs::canonicalize(path).unwrap_or_else(|_| path.clone());
        if !folders.insert(canonical.clone()) {
            listing.repeated.push(path.clone());
            continue;
        }
        let FolderEntries { mut answers, apple_double, skipped } = folder_entries(path, &mut handles)?;
        listing.apple_double.extend(apple_double);
        if answers.is_empty() {
            listing.empty.push(path.clone());
        }
        if !named_files.is_empty() {
            answers.retain(|answer| {
                let named_before = named_files.contains(&canonical.join(&*answer.name));
                if named_before {
                    listing.repeated.push(answer.path().into_owned());
                }
                !named_before
            });
        }
        listing.files.append(&mut answers);
        listing.skipped.extend(skipped);
    }
    Ok(listing)
}

/// The canonical folder of `path` joined with its own name: the file's identity, without
/// following a link in its last part (a link is an entry of its folder like any other).
fn identity(path: &Path) -> PathBuf {
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let folder = fs::canonicalize(parent).unwrap_or_else(|_| parent.to_path_buf());
    path.file_name().map_or_else(|| path.to_path_buf(), |name| folder.join(name))
}

/// How many folders [`list_answers`] keeps open, for their entries to be opened in them: a
/// command line may name thousands of folders (one per student), and each kept open holds a
/// file descriptor for the whole run, which the answer files being read need too. So at most
/// an eighth of the descriptors still free (a harness may have opened many, under a low
/// limit), and no more than 64; none where their number cannot be told.
fn folder_handles() -> usize {
    #[cfg(unix)]
    {
        let Some(limit) = rustix::process::getrlimit(rustix::process::Resource::Nofile).current else {
            return 64;
        };
        let open = ["/proc/self/fd", "/dev/fd"].into_iter().find_map(|dir| fs::read_dir(dir).ok());
        open.map_or(0, |open| (limit.saturating_sub(open.count() as u64) / 8).min(64) as usize)
    }
    #[cfg(not(unix))]
    0
}

/// What one folder holds, as [`list_answers`] sorts it.
struct FolderEntries {
    /// The entries named `*.toml`, sorted by name.
    answers: Vec<AnswerFile>,
    /// The entries named `._*.toml`, by name.
    apple_double: Vec<PathBuf>,
    /// The entries not named `*.toml`.
    skipped: Option<Skipped>,
}

/// A folder's entries, sorted by name, and what it holds besides (the first few names of
/// that, by name, and their count: a folder may hold any number). This runs before any file
/// is graded, on one core, so it keeps each entry's name alone: its path is made when the file
/// is graded, on every core.
fn folder_entries(folder: &Path, handles: &mut usize) -> Result<FolderEntries, ListError> {
    let error = |source| ListError { folder: folder.to_path_buf(), source };
    // Each name with whether the listing says it is a regular file (free on most file
    // systems: the kernel lists each entry's type with its name), and room for its sort key.
    let mut names: Vec<(u64, Box<OsStr>, bool)> = Vec::new();
    let mut examples: Vec<String> = Vec::with_capacity(SKIPPED_EXAMPLES + 1);
    let mut count = 0;
    for entry in fs::read_dir(folder).map_err(error)? {
        let entry = entry.map_err(error)?;
        let name = entry.file_name();
        if is_answer_name(&name) {
            let listed_as_file = entry.file_type().is_ok_and(|kind| kind.is_file());
            names.push((0, name.into_boxed_os_str(), listed_as_file));
        } else {
            count += 1;
            examples.push(path_text(Path::new(&name)));
            examples.sort_unstable();
            examples.truncate(SKIPPED_EXAMPLES);
        }
    }
    sort_by_name(&mut names);
    // Sorted, the names that begin `._` stand together.
    let apple = names.partition_point(|(_, name, _)| name.as_encoded_bytes() < b"._".as_slice());
    let apple = apple
        ..apple + names[apple..].partition_point(|(_, name, _)| name.as_encoded_bytes().starts_with(b"._"));
    let apple_double = names.drain(apple).map(|(_, name, _)| folder.join(&*name)).collect();
    // Opened once more for its entries to be opened in it, while handles are left; else (or
    // if it cannot be) they are opened by their paths.
    let handle = (*handles > 0 && names.len() > 1).then(|| open_folder(folder)).flatten();
    *handles -= usize::from(handle.is_some());
    // A listed file's type is trusted only where a short read is a file's end.
    let whole_reads = handle.as_ref().is_some_and(reads_come_up_short_only_at_end);
    let text = path_text(&folder.join(""));
    let shared = Arc::new(Folder { path: folder.to_path_buf(), text, handle });
    let answers = names
        .into_iter()
        .map(|(_, name, listed_as_file)| AnswerFile {
            folder: Some(shared.clone()),
            name,
            listed_as_file: listed_as_file && whole_reads,
        })
        .collect();
    let skipped = (count > 0).then(|| Skipped { folder: folder.to_path_buf(), count, examples });
    Ok(FolderEntries { answers, apple_double, skipped })
}

/// Sorts a folder's entries by the bytes of their names, the same order on every platform,
/// filling in each one's key on the way. A class's names share a long beginning (`student-`,
/// `submission_`), so each is compared first by the eight bytes that follow the part all of
/// them share, held beside it as a number: 100,000 names compared through their pointers
/// took 15 ms, on one core, before any file was graded. Zeros fill a key past a name's end,
/// so that a key that is less is a name that is less; equal keys compare the whole names.
fn sort_by_name(names: &mut [(u64, Box<OsStr>, bool)]) {
    let bytes = OsStr::as_encoded_bytes;
    let shared = match names.split_first() {
        Some(((_, first, _), rest)) => rest.iter().fold(bytes(first).len(), |shared, (_, name, _)| {
            bytes(first)[..shared].iter().zip(bytes(name)).take_while(|(a, b)| a == b).count()
        }),
        None => 0,
    };
    for (key, name, _) in names.iter_mut() {
        let rest = &bytes(name)[shared..];
        let mut word = [0; 8];
        let length = rest.len().min(8);
        word[..length].copy_from_slice(&rest[..length]);
        *key = u64::from_be_bytes(word);
    }
    names.sort_unstable_by(|a, b| a.0.cmp(&b.0).then_with(|| bytes(&a.1).cmp(bytes(&b.1))));
}

/// Grades every file on every core; the results come back in the order of `files`.
pub fn grade_files(
    grader: &Grader,
    questions: &[Question],
    files: &[AnswerFile],
) -> Result<Vec<Submission>, Stopped> {
    let mut all = Vec::with_capacity(files.len());
    let mut stopped = None;
    each_chunk_in_order(
        files,
        |chunk| chunk.iter().map(|file| grade_file(grader, questions, file)).collect::<Vec<_>>(),
        |submissions| {
            for submission in submissions {
                match submission {
                    Ok(submission) => all.push(submission),
                    Err(stop) => {
                        stopped = Some(stop);
                        return ControlFlow::Break(());
                    }
                }
            }
            ControlFlow::Continue(())
        },
    );
    stopped.map_or(Ok(all), Err)
}

/// Runs `work` on every core over the files a chunk at a time (grading each file, then
/// turning the submissions into what the caller keeps, such as their printed form) and hands
/// the chunks' results to `emit` in the order of `files` as soon as each is next. At most a
/// window of chunks waits at any time, however many files there are; `emit` may stop the run
/// early (a closed pipe).
pub fn each_chunk_in_order<F: Sync, T: Send>(
    files: &[F],
    work: impl Fn(&[F]) -> T + Sync,
    emit: impl FnMut(T) -> ControlFlow<()>,
) {
    let chunks: Vec<&[F]> = files.chunks(CHUNK).collect();
    let workers = std::thread::available_parallelism().map_or(1, usize::from).min(chunks.len().max(1));
    in_order(&chunks, workers, workers * 2, |chunk| work(chunk), emit);
}

/// Files are handed out, and their results handed back, this many at a time: grading one
/// answer file takes a few microseconds, so a lock and a wake-up per file cost more in the
/// kernel than the reading does (measured on 5,000 files: 13,000 futex calls, 3× the floor's
/// system time). A chunk's results travel as one value, too: what one thread allocates and
/// another frees takes the allocator's lock. The window of [`each_chunk_in_order`] is two
/// chunks per worker.
const CHUNK: usize = 32;

/// The shared state of [`in_order`]: which items have been handed out, and a ring of the
/// finished results that wait for the ones before them.
struct Window<T> {
    /// The next item a worker takes.
    next: usize,
    /// How many results have been emitted: items `emitted..next` are being worked on or wait.
    emitted: usize,
    /// Slot `i % len` holds item `i`'s result once it is done.
    slots: Vec<Option<std::thread::Result<T>>>,
    stop: bool,
}

/// Maps `work` over `items` on `workers` threads, calling `emit` with the results in the order
/// of `items`. A worker takes an item only while fewer than `window` items are taken and not
/// yet emitted, so a slow item holds up at most `window` results behind it.
fn in_order<I: Sync, T: Send>(
    items: &[I],
    workers: usize,
    window: usize,
    work: impl Fn(&I) -> T + Sync,
    mut emit: impl FnMut(T) -> ControlFlow<()>,
) {
    let state =
        Mutex::new(Window { next: 0, emitted: 0, slots: (0..window).map(|_| None).collect(), stop: false });
    let room = Condvar::new();
    let done = Condvar::new();
    // No thread panics while holding the lock (work runs outside it), so a poisoned lock
    // still holds consistent state.
    let lock = || state.lock().unwrap_or_else(PoisonError::into_inner);
    let wait = |cv: &Condvar, guard| cv.wait(guard).unwrap_or_else(PoisonError::into_inner);
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                loop {
                    let mut guard: MutexGuard<Window<T>> = lock();
                    while !guard.stop && guard.next < items.len() && guard.next >= guard.emitted + window {
                        guard = wait(&room, guard);
                    }
                    if guard.stop || guard.next >= items.len() {
                        return;
                    }
                    let i = guard.next;
                    guard.next += 1;
                    drop(guard);
                    // A panic is carried to the emitting thread, which would otherwise wait
                    // for this result forever.
                    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| work(&items[i])));
                    lock().slots[i % window] = Some(result);
                    done.notify_all();
                }
            });
        }
        for i in 0..items.len() {
            let mut guard = lock();
            let result = loop {
                if let Some(result) = guard.slots[i % window].take() {
                    break result;
                }
                guard = wait(&done, guard);
            };
            guard.emitted = i + 1;
            let stop = match result {
                Ok(value) => {
                    drop(guard);
                    room.notify_all();
                    emit(value).is_break()
                }
                Err(panic) => {
                    guard.stop = true;
                    drop(guard);
                    room.notify_all();
                    std::panic::resume_unwind(panic);
                }
            };
            if stop {
                lock().stop = true;
                room.notify_all();
                return;
            }
        }
    });
}

/// A path as every output names it: its text, with each byte that is not UTF-8 written as
/// `\xff` and a backslash doubled, so that two different names never print alike
/// (`Path::display` prints both `a\xff.toml` and `a\xfe.toml` as `a�.toml`). Control characters
/// stay: JSON and CSV quote them; for a terminal, [`escape_controls`] writes them out.
pub fn path_text(path: &Path) -> String {
    let bytes = path.as_os_str().as_encoded_bytes();
    let mut out = String::with_capacity(bytes.len());
    push_path_text(&mut out, bytes);
    out
}

/// [`path_text`] of a path's `bytes`, onto `out`.
fn push_path_text(out: &mut String, bytes: &[u8]) {
    // The usual name, UTF-8 without a backslash, as it is: checked whole, not chunk by chunk.
    if let Ok(text) = std::str::from_utf8(bytes)
        && !text.contains('\\')
    {
        out.push_str(text);
        return;
    }
    for chunk in bytes.utf8_chunks() {
        let valid = chunk.valid();
        if valid.contains('\\') {
            out.push_str(&valid.replace('\\', "\\\\"));
        } else {
            out.push_str(valid);
        }
        for byte in chunk.invalid() {
            out.push_str(&format!("\\x{byte:02x}"));
        }
    }
}

/// `text` with every control character written out as `\u{a}`: a file name for a terminal,
/// where a newline in it would start a line that looks like a report's own.
pub fn escape_controls(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_control() { push_escaped(&mut out, c) } else { out.push(c) }
    }
    out
}

/// `c` as `\u{1b}`: how every output writes a control character it must not pass on raw.
pub fn push_escaped(out: &mut String, c: char) {
    out.extend(c.escape_unicode());
}

/// Grades one answer file; a file that cannot be read is a submission with that error.
pub fn grade_file(grader: &Grader, questions: &[Question], file: &AnswerFile) -> Result<Submission, Stopped> {
    let name = file.path_text();
    match file.read() {
        Ok(text) => Ok(grade_sheet(grader, questions, name, &text)),
        Err(error) if error.is_the_machines() => Err(Stopped { file: name, error }),
        Err(error) => Ok(unreadable(grader, questions, name, error.to_string())),
    }
}

/// A file that could not be read for want of something the machine ran out of (open files,
/// memory): no fault of the student's, so no grade at all rather than a 0, and the run stops
/// (DESIGN.md §5.3).
#[derive(Debug, thiserror::Error)]
#[error(
    "{file}: {error}: the machine ran out of open files or memory, which says nothing of the answers, \
     so grading stopped here; raise the limit on open files (ulimit -n) and run it again"
)]
pub struct Stopped {
    pub file: String,
    pub error: ReadError,
}

/// Why an answer file was not graded.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("no such file")]
    Missing,
    #[error("a broken symbolic link (to {target}: {reason})")]
    BrokenLink { target: String, reason: io::Error },
    /// What it is instead ("a folder", "a named pipe (FIFO)"), and whether a link led there.
    #[error("{}{kind}, not an answer file", if *linked { "a symbolic link to " } else { "" })]
    NotAFile { kind: &'static str, linked: bool },
    #[error("cannot read the file: {0}")]
    Io(io::Error),
    #[error("the file is larger than {} KiB; an answer file is a small TOML file", MAX_ANSWER_BYTES >> 10)]
    TooLarge,
    /// The 1-based position of the NUL byte.
    #[error("the file holds a NUL byte (at byte {0}): it is a binary file, not TOML text")]
    Binary(u64),
    /// The 1-based position of the first byte that is not UTF-8.
    #[error("the file is not UTF-8 text (byte {0} is not valid UTF-8); save it as UTF-8 TOML")]
    NotUtf8(u64),
    #[error("the file is empty: it holds no answers")]
    Empty,
}

impl ReadError {
    /// Whether the machine, not the file, is at fault: too many files open (in this process or
    /// in the system), or too little memory to open one.
    pub fn is_the_machines(&self) -> bool {
        match self {
            ReadError::Io(error) | ReadError::BrokenLink { reason: error, .. } => out_of_resources(error),
            _ => false,
        }
    }
}

fn out_of_resources(error: &io::Error) -> bool {
    #[cfg(unix)]
    {
        use rustix::io::Errno;
        let code = error.raw_os_error();
        [Errno::MFILE, Errno::NFILE, Errno::NOMEM].iter().any(|errno| code == Some(errno.raw_os_error()))
    }
    #[cfg(not(unix))]
    {
        error.kind() == io::ErrorKind::OutOfMemory
    }
}

impl From<TextFileError> for ReadError {
    fn from(error: TextFileError) -> Self {
        match error {
            TextFileError::Missing => ReadError::Missing,
            TextFileError::BrokenLink { target, reason } => {
                ReadError::BrokenLink { target: path_text(&target), reason }
            }
            TextFileError::NotAFile { kind, linked } => ReadError::NotAFile { kind, linked },
            TextFileError::Io(error) => ReadError::Io(error),
            TextFileError::TooLarge { .. } => ReadError::TooLarge,
            TextFileError::Nul(at) => ReadError::Binary(at),
            TextFileError::NotUtf8(at) => ReadError::NotUtf8(at),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Keyed by the eight bytes after their shared beginning, names still sort as their
        /// bytes do: with that beginning long or empty, names shorter than a key, names that
        /// are a beginning of others, and equal keys.
        #[test]
        fn names_sort_as_their_bytes(
            shared in "(student-|submission_|s|)",
            rests in proptest::collection::vec("[0-9a-c._]{0,11}", 0..40),
        ) {
            let mut names: Vec<(u64, Box<OsStr>, bool)> =
                rests.iter().map(|rest| (0, OsStr::new(&format!("{shared}{rest}")).into(), false)).collect();
            sort_by_name(&mut names);
            let sorted: Vec<&[u8]> = names.iter().map(|(_, name, _)| name.as_encoded_bytes()).collect();
            let mut expected: Vec<String> = rests.iter().map(|rest| format!("{shared}{rest}")).collect();
            expected.sort();
            prop_assert_eq!(sorted, expected.iter().map(|name| name.as_bytes()).collect::<Vec<_>>());
        }
    }

    #[test]
    fn answer_names_end_in_toml_in_any_case() {
        for name in ["a.toml", "UPPER.TOML", "x.Toml", ".toml", "=cmd().toml"] {
            assert!(is_answer_name(OsStr::new(name)), "{name}");
        }
        for name in ["a.tom", "toml", "a.toml.bak", "a_toml", "README.md"] {
            assert!(!is_answer_name(OsStr::new(name)), "{name}");
        }
    }

    #[test]
    fn in_order_emits_in_item_order_with_a_small_window() {
        let items: Vec<u64> = (0..500).collect();
        for (workers, window) in [(1, 1), (2, 1), (4, 3), (3, 64)] {
            let mut seen = Vec::new();
            // Later items finish first within each window: the order must still hold.
            in_order(
                &items,
                workers,
                window,
                |&i| {
                    std::thread::sleep(std::time::Duration::from_micros((500 - i) % 7 * 20));
                    i * 2
                },
                |value| {
                    seen.push(value);
                    ControlFlow::Continue(())
                },
            );
            assert_eq!(
                seen,
                items.iter().map(|i| i * 2).collect::<Vec<_>>(),
                "{workers} workers, window {window}"
            );
        }
    }

    #[test]
    fn in_order_stops_when_emit_says_so_and_works_no_further_than_the_window() {
        let items: Vec<usize> = (0..10_000).collect();
        let worked = std::sync::atomic::AtomicUsize::new(0);
        let mut seen = 0;
        in_order(
            &items,
            2,
            8,
            |&i| {
                worked.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                i
            },
            |_| {
                seen += 1;
                if seen == 5 { ControlFlow::Break(()) } else { ControlFlow::Continue(()) }
            },
        );
        assert_eq!(seen, 5);
        assert!(worked.into_inner() <= 5 + 8, "workers ran past the window");
    }

    #[test]
    fn chunks_come_in_file_order_and_stop_when_emit_says_so() {
        let files: Vec<PathBuf> = (0..CHUNK * 5 + 3).map(|i| PathBuf::from(format!("{i}.toml"))).collect();
        let mut seen = Vec::new();
        each_chunk_in_order(&files, <[PathBuf]>::to_vec, |mut chunk| {
            assert!(chunk.len() <= CHUNK);
            seen.append(&mut chunk);
            ControlFlow::Continue(())
        });
        assert_eq!(seen, files);
        let mut count = 0;
        each_chunk_in_order(&files, <[PathBuf]>::to_vec, |_| {
            count += 1;
            if count == 2 { ControlFlow::Break(()) } else { ControlFlow::Continue(()) }
        });
        assert_eq!(count, 2, "emit was called after it asked to stop");
    }

    #[test]
    fn a_panicking_item_reaches_the_caller_instead_of_hanging() {
        let items: Vec<usize> = (0..100).collect();
        let outcome = std::panic::catch_unwind(|| {
            in_order(
                &items,
                2,
                4,
                |&i| {
                    assert_ne!(i, 42, "item 42");
                    i
                },
                |_| ControlFlow::Continue(()),
            )
        });
        assert!(outcome.is_err());
    }
}
