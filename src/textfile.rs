//! Reading a text file the tool did not write, one way for lessons, answer files and saved
//! progress: what is not a regular file is refused before a byte of it is read (opening a
//! named pipe can wait for a writer forever, a device never ends), except that a path the user
//! typed may be a pipe; no more than a limit is read, and the bytes must be UTF-8 without NUL.
//! Byte positions are 1-based, like every line and column the tool prints (DESIGN.md §1.2).

use std::ffi::OsStr;
use std::fs::{self, File, Metadata};
use std::io::{self, Read};
use std::path::{Path, PathBuf};

/// Why a file could not be read as text. Each caller words these for its own kind of file.
#[derive(Debug, thiserror::Error)]
pub enum TextFileError {
    #[error("no such file")]
    Missing,
    #[error("a broken symbolic link (to {}: {reason})", target.display())]
    BrokenLink { target: PathBuf, reason: io::Error },
    /// What the path is instead ("a folder", "a named pipe (FIFO)"), and whether a link led there.
    #[error("{}{kind}, not a regular file", if *linked { "a symbolic link to " } else { "" })]
    NotAFile { kind: &'static str, linked: bool },
    #[error("{0}")]
    Io(io::Error),
    #[error("larger than {limit} bytes")]
    TooLarge { limit: u64 },
    /// The 1-based position of the first NUL byte.
    #[error("byte {0} is a NUL byte")]
    Nul(u64),
    /// The 1-based position of the first byte that is not valid UTF-8.
    #[error("byte {0} is not valid UTF-8")]
    NotUtf8(u64),
}

/// Which paths [`read_text`] opens besides regular files.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Accept {
    /// Regular files only: for files found in folders, where a named pipe would wait for a
    /// writer forever.
    RegularFiles,
    /// Anything but a folder: a path the user typed may be a pipe (`solve <(…)`), read up to
    /// the limit like any file.
    AnyButFolders,
}

/// The text of the file at `path`, at most `limit` bytes of it.
pub fn read_text(path: &Path, limit: u64, accept: Accept) -> Result<String, TextFileError> {
    let opened = match accept {
        Accept::RegularFiles => open_regular(path)?,
        Accept::AnyButFolders => open_after_looking(path, Metadata::is_dir)?,
    };
    read_opened(opened, limit)
}

/// The text of `name` in the open `folder`, at most `limit` bytes of it, when it is a regular
/// file that opens: the kernel then looks up one name, not every part of the path, which is a
/// class folder's largest cost besides the read itself. `None` for anything else (a link, a
/// pipe, an entry that does not open), which the caller reads by its path with [`read_text`]
/// and [`Accept::RegularFiles`], for an error that says what it is: this reads no byte of it
/// (but for the one race [`read_listed`] leaves open).
///
/// `listed_as_file` says the folder's listing named it a regular file, on a file system where
/// a short read is a file's end. It is then not asked again before it is read
/// ([`read_listed`]): one system call in four less per file.
pub fn read_entry(
    folder: &File,
    name: &OsStr,
    listed_as_file: bool,
    limit: u64,
) -> Option<Result<String, TextFileError>> {
    #[cfg(unix)]
    {
        listed_as_file
            .then(|| read_listed(folder, name, limit))
            .flatten()
            .or_else(|| open_plain(folder, name).map(|opened| read_opened(opened, limit)))
    }
    #[cfg(not(unix))]
    {
        let _ = (folder, name, listed_as_file, limit);
        None
    }
}

/// How much [`read_listed`] asks of its first read: more than any real answer file holds.
#[cfg(unix)]
const FIRST_READ: usize = 16 * 1024;

/// The text of `name` in `folder`, which the folder's listing named a regular file, read
/// without asking the file what it is: for each file of a class, the kernel's time goes to
/// the calls themselves, and asking is one of four. Only for a folder on a file system whose
/// reads of a regular file come up short at its end alone ([`reads_come_up_short_only_at_end`]):
/// a read shorter than asked is then the whole file. An entry swapped for something else
/// since it was listed still cannot hang or flood the run: it is opened without waiting, read
/// up to the limit only, and a folder cannot be read at all; a named pipe opens at once and
/// reads as empty or "would block", unless a writer holds it open with bytes waiting, which
/// are then read as the file's text, as a regular file swapped in would be. `None` when it
/// does not open, reads as empty or a read fails: [`read_entry`] then opens it the careful
/// way, for what it is and an error that says so.
#[cfg(unix)]
fn read_listed(folder: &File, name: &OsStr, limit: u64) -> Option<Result<String, TextFileError>> {
    use rustix::fs::{Mode, openat};
    use std::mem::MaybeUninit;
    let file = File::from(openat(folder, name, PLAIN_OPEN, Mode::empty()).ok()?);
    let mut first = [const { MaybeUninit::<u8>::uninit() }; FIRST_READ];
    let (read, _) = rustix::io::read(&file, &mut first).ok()?;
    if read.is_empty() {
        return None;
    }
    let mut bytes = read.to_vec();
    if bytes.len() == FIRST_READ {
        read_on(&file, &mut bytes, limit).ok()?;
    }
    Some(text_within(bytes, limit))
}

/// Whether the file system of `folder` is one whose reads of a regular file give all that was
/// asked but at the file's end: the local disk and memory file systems. A network or FUSE
/// file system may come up short in the middle of a file, and then [`read_listed`] would
/// take the part for the whole; its files are read the careful way, which reads on to the
/// end. Asked once per folder.
pub fn reads_come_up_short_only_at_end(folder: &File) -> bool {
    #[cfg(target_os = "linux")]
    {
        // The magic numbers of statfs(2): ext2-4, XFS, Btrfs, tmpfs, overlayfs, F2FS, ZFS.
        const WHOLE_READS: [u64; 7] =
            [0xEF53, 0x5846_5342, 0x9123_683E, 0x0102_1994, 0x794C_7630, 0xF2F5_2010, 0x2FC1_2FC1];
        rustix::fs::fstatfs(folder).is_ok_and(|fs| WHOLE_READS.contains(&(fs.f_type as u64)))
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = folder;
        false
    }
}

/// How a folder's entry is opened: not through a link (anyone can link to a device), without
/// waiting (a named pipe would block the open), never as the terminal of the process.
#[cfg(unix)]
const PLAIN_OPEN: rustix::fs::OFlags = rustix::fs::OFlags::RDONLY
    .union(rustix::fs::OFlags::NOFOLLOW)
    .union(rustix::fs::OFlags::NONBLOCK)
    .union(rustix::fs::OFlags::NOCTTY)
    .union(rustix::fs::OFlags::CLOEXEC);

/// `name` in `folder` (a path: in the current folder) with what it is, when it is a regular
/// file: opened with one lookup as [`PLAIN_OPEN`] says, then asked what it is. Making a device
/// node takes root. `None` for anything else, which is then looked at before it is opened.
#[cfg(unix)]
fn open_plain(folder: impl std::os::fd::AsFd, name: impl rustix::path::Arg) -> Option<(File, Metadata)> {
    use rustix::fs::{Mode, openat};
    let file = File::from(openat(folder, name, PLAIN_OPEN, Mode::empty()).ok()?);
    let metadata = file.metadata().ok().filter(Metadata::is_file)?;
    Some((file, metadata))
}

/// The folder at `path`, opened for [`read_entry`]: only if it is a folder still (it may have
/// been swapped for a named pipe since it was listed, whose open would wait for a writer).
pub fn open_folder(path: &Path) -> Option<File> {
    #[cfg(unix)]
    {
        use rustix::fs::{Mode, OFlags, open};
        let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NONBLOCK | OFlags::CLOEXEC;
        open(path, flags, Mode::empty()).ok().map(File::from)
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        None
    }
}

/// The text of an open file, at most `limit` bytes of it.
fn read_opened((mut file, metadata): (File, Metadata), limit: u64) -> Result<String, TextFileError> {
    // A regular file's size is known: refuse it before reading a byte.
    if metadata.is_file() && metadata.len() > limit {
        return Err(TextFileError::TooLarge { limit });
    }
    // Room for the whole file and one byte more: one read fills it, and a large lesson is not
    // held twice over by a buffer that grows by doubling.
    let size = metadata.len().min(limit) as usize;
    let mut bytes = Vec::with_capacity(size + 1);
    // A regular file's read comes up short only at its end, so one that gives exactly the
    // size the file had when it was opened has read it all: a class's file is read in one
    // call instead of two. A file that grew since, or that has no size (a pipe, a file of
    // /proc), is read on to its end.
    let whole = metadata.is_file() && size > 0 && {
        bytes.resize(size + 1, 0);
        let read = file.read(&mut bytes).map_err(TextFileError::Io)?;
        bytes.truncate(read);
        read == size
    };
    if !whole {
        read_on(&file, &mut bytes, limit).map_err(TextFileError::Io)?;
    }
    text_within(bytes, limit)
}

/// Reads `file` on to its end after the `bytes` read so far, one byte past `limit` at most:
/// `take` bounds the read even if the file grows while it is read, or has no size.
fn read_on(file: &File, bytes: &mut Vec<u8>, limit: u64) -> io::Result<usize> {
    let rest = (limit + 1).saturating_sub(bytes.len() as u64);
    file.take(rest).read_to_end(bytes)
}

/// `bytes` as text, if they are no more than `limit`, hold no NUL and are UTF-8.
fn text_within(bytes: Vec<u8>, limit: u64) -> Result<String, TextFileError> {
    if bytes.len() as u64 > limit {
        return Err(TextFileError::TooLarge { limit });
    }
    if let Some(at) = first_nul(&bytes) {
        return Err(TextFileError::Nul(at));
    }
    String::from_utf8(bytes).map_err(|e| TextFileError::NotUtf8(e.utf8_error().valid_up_to() as u64 + 1))
}

/// Opens a regular file. A class's folder is read file by file, and a second lookup of a
/// path costs as much in the kernel as the read, so a plain file (the usual case) is opened
/// with one ([`open_plain`]). Anything else (a link, or a path that open refuses) is looked at
/// before it is opened, so that its error says what it is. Nothing that is not a regular file
/// is read.
fn open_regular(path: &Path) -> Result<(File, Metadata), TextFileError> {
    #[cfg(unix)]
    if let Some(opened) = open_plain(rustix::fs::CWD, path) {
        return Ok(opened);
    }
    open_after_looking(path, |metadata| !metadata.is_file())
}

/// Opens `path` once it is known what it is, refused unopened when `refused` says so: a path
/// the user typed may be a pipe, read as it comes, and only a folder is refused.
fn open_after_looking(
    path: &Path,
    refused: fn(&Metadata) -> bool,
) -> Result<(File, Metadata), TextFileError> {
    let metadata = fs::metadata(path).map_err(|error| not_found(path, error))?;
    if refused(&metadata) {
        return Err(not_a_file(path, &metadata));
    }
    Ok((File::open(path).map_err(TextFileError::Io)?, metadata))
}

fn not_a_file(path: &Path, metadata: &Metadata) -> TextFileError {
    let linked = fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    TextFileError::NotAFile { kind: kind(metadata), linked }
}

/// The 1-based position of the first NUL byte, if there is one. Text has none, and a
/// branch-free pass that the compiler vectorizes says so (about twice as fast as `contains`,
/// which is 5× faster than `position` on a 7 MB lesson); `position` only runs to say where.
pub fn first_nul(bytes: &[u8]) -> Option<u64> {
    let any = bytes.iter().fold(false, |any, &b| any | (b == 0));
    if any { bytes.iter().position(|&b| b == 0).map(|at| at as u64 + 1) } else { None }
}

fn not_found(path: &Path, error: io::Error) -> TextFileError {
    if let Ok(target) = fs::read_link(path) {
        return TextFileError::BrokenLink { target, reason: error };
    }
    match error.kind() {
        io::ErrorKind::NotFound => TextFileError::Missing,
        _ => TextFileError::Io(error),
    }
}

/// What a path that is not a regular file is, in words.
fn kind(metadata: &Metadata) -> &'static str {
    let kind = metadata.file_type();
    if kind.is_dir() {
        return "a folder";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return "a named pipe (FIFO)";
        }
        if kind.is_socket() {
            return "a socket";
        }
        if kind.is_char_device() || kind.is_block_device() {
            return "a device";
        }
    }
    "not a regular file"
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(bytes: &[u8], limit: u64) -> Result<String, TextFileError> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f.toml");
        fs::write(&path, bytes).unwrap();
        read_text(&path, limit, Accept::RegularFiles)
    }

    #[test]
    fn positions_are_one_based() {
        // The NUL is the fourth byte, and so is the first byte that is not UTF-8.
        assert!(matches!(read(b"abc\0", 100), Err(TextFileError::Nul(4))));
        assert!(matches!(read(b"abc\xff", 100), Err(TextFileError::NotUtf8(4))));
    }

    #[test]
    fn the_limit_is_inclusive() {
        assert_eq!(read(b"12345", 5).unwrap(), "12345");
        assert!(matches!(read(b"123456", 5), Err(TextFileError::TooLarge { limit: 5 })));
    }

    /// What [`read_entry`] makes of `name` in `dir` when the listing said it was a regular file.
    #[cfg(unix)]
    fn read_as_listed(dir: &Path, name: &str, limit: u64) -> Option<Result<String, TextFileError>> {
        read_entry(&open_folder(dir).unwrap(), OsStr::new(name), true, limit)
    }

    #[cfg(unix)]
    #[test]
    fn a_listed_file_is_read_whole_whatever_its_size() {
        let dir = tempfile::tempdir().unwrap();
        for size in [1, FIRST_READ - 1, FIRST_READ, FIRST_READ + 1, 3 * FIRST_READ + 7] {
            let text: String = (0..size).map(|i| char::from(b'a' + (i % 26) as u8)).collect();
            fs::write(dir.path().join("f.toml"), &text).unwrap();
            let read = read_as_listed(dir.path(), "f.toml", 1 << 20).unwrap().unwrap();
            assert!(read == text, "a file of {size} bytes read as {} bytes", read.len());
        }
        fs::write(dir.path().join("f.toml"), vec![b'#'; 2 * FIRST_READ + 1]).unwrap();
        let limit = 2 * FIRST_READ as u64;
        let over = read_as_listed(dir.path(), "f.toml", limit).unwrap();
        assert!(matches!(over, Err(TextFileError::TooLarge { limit: l }) if l == limit), "{over:?}");
    }

    /// An entry listed as a regular file but something else by the time it is read (or empty)
    /// is left to the careful reading, which says what it is: no byte of it is read, and a
    /// named pipe does not make the run wait.
    #[cfg(unix)]
    #[test]
    fn what_is_no_longer_a_listed_file_is_left_to_the_careful_reading() {
        let dir = tempfile::tempdir().unwrap();
        let pipe = std::ffi::CString::new(dir.path().join("pipe.toml").into_os_string().into_encoded_bytes());
        assert_eq!(unsafe { libc::mkfifo(pipe.unwrap().as_ptr(), 0o644) }, 0, "mkfifo");
        fs::create_dir(dir.path().join("folder.toml")).unwrap();
        fs::write(dir.path().join("empty.toml"), "").unwrap();
        std::os::unix::fs::symlink("/dev/zero", dir.path().join("link.toml")).unwrap();
        for name in ["pipe.toml", "folder.toml", "empty.toml", "link.toml", "gone.toml"] {
            let read = read_as_listed(dir.path(), name, 100);
            match name {
                // The careful way opens an empty regular file and finds it empty.
                "empty.toml" => assert!(matches!(read, Some(Ok(ref text)) if text.is_empty()), "{read:?}"),
                _ => assert!(read.is_none(), "{name}: {read:?}"),
            }
        }
        let careful = read_text(&dir.path().join("pipe.toml"), 100, Accept::RegularFiles);
        assert!(matches!(careful, Err(TextFileError::NotAFile { kind: "a named pipe (FIFO)", .. })));
        // Held open by a writer, with more bytes waiting than one read takes: the read that
        // would wait fails, and the careful way names the pipe.
        let mut writer =
            fs::OpenOptions::new().read(true).write(true).open(dir.path().join("pipe.toml")).unwrap();
        std::io::Write::write_all(&mut writer, &[b'#'; 20_000]).unwrap();
        let read = read_as_listed(dir.path(), "pipe.toml", 1 << 20);
        assert!(read.is_none(), "{:?}", read.map(|r| r.map(|t| t.len())));
    }

    /// procfs may come up short anywhere in a file (and gives no sizes): its files are never
    /// read on the listing's word.
    #[cfg(target_os = "linux")]
    #[test]
    fn a_file_system_not_known_to_read_whole_is_not_trusted() {
        assert!(!reads_come_up_short_only_at_end(&File::open("/proc/self").unwrap()));
    }

    #[test]
    fn folders_and_missing_files_are_named() {
        let dir = tempfile::tempdir().unwrap();
        for accept in [Accept::RegularFiles, Accept::AnyButFolders] {
            let folder = read_text(dir.path(), 100, accept);
            assert!(matches!(folder, Err(TextFileError::NotAFile { kind: "a folder", linked: false })));
            assert!(matches!(read_text(&dir.path().join("none"), 100, accept), Err(TextFileError::Missing)));
        }
    }
}
