//! `check` on folders through the binary (DESIGN.md §5): every entry named *.toml in any case
//! is a submission, graded or reported with what it is; nothing is skipped silently, nothing
//! blocks, and odd command lines (a file named twice, an empty folder) mean one clear thing.

use crate::support::check as support;

use serde_json::Value as Json;
use std::path::Path;
use support::{RIGHT, TRANSPOSED, check, folder, json, path};

/// The submissions of a JSON report as (file name, score, error).
fn graded(report: &Json) -> Vec<(String, f64, Option<String>)> {
    report["submissions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            let file = s["file"].as_str().unwrap();
            let name = Path::new(file).file_name().unwrap().to_str().unwrap().to_string();
            (name, s["score"].as_f64().unwrap(), s["error"].as_str().map(String::from))
        })
        .collect()
}

/// A class folder as a TA may find it: answers in odd cases and with hostile names, and entries
/// that are no answer file at all.
fn odd_class() -> tempfile::TempDir {
    let dir = folder(&[
        ("a.toml", RIGHT),
        ("UPPER.TOML", RIGHT),
        ("Mixed.Toml", TRANSPOSED),
        ("=cmd().toml", RIGHT),
        ("-x.toml", TRANSPOSED),
        ("empty.toml", ""),
        ("blank.toml", "  \n\t\n"),
        ("README.md", "not an answer"),
        ("notes.txt", RIGHT),
    ]);
    let at = |name: &str| dir.path().join(name);
    std::fs::write(at("binary.toml"), b"dL_do = [0.09\x00\x01\x02]").unwrap();
    std::fs::write(at("latin1.toml"), b"# r\xe9ponse\ndL_do = 1\n").unwrap();
    std::fs::write(at("big.toml"), vec![b'#'; 1024 * 1024 + 1]).unwrap();
    std::fs::create_dir(at("folder.toml")).unwrap();
    std::fs::create_dir(at("subfolder")).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::symlink;
        symlink(at("nowhere"), at("dangling.toml")).unwrap();
        symlink(at("subfolder"), at("to-folder.toml")).unwrap();
        symlink(at("a.toml"), at("link.toml")).unwrap();
        let fifo = std::ffi::CString::new(path(&at("pipe.toml"))).unwrap();
        assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o644) }, 0, "mkfifo");
        // Opened through the link, the pipe would wait for a writer forever.
        symlink(at("pipe.toml"), at("to-pipe.toml")).unwrap();
        symlink("/dev/null", at("device.toml")).unwrap();
    }
    dir
}

#[test]
fn every_toml_entry_of_a_folder_is_a_submission_in_name_order() {
    let dir = odd_class();
    let run = check(&["notes-example", path(dir.path()), "--format", "json"]);
    assert_eq!(run.code, 1);
    let report = json(&run);
    let submissions = graded(&report);
    let names: Vec<&str> = submissions.iter().map(|(name, ..)| name.as_str()).collect();
    let mut expected = vec![
        "-x.toml",
        "=cmd().toml",
        "Mixed.Toml",
        "UPPER.TOML",
        "a.toml",
        "big.toml",
        "binary.toml",
        "blank.toml",
        "empty.toml",
        "folder.toml",
        "latin1.toml",
    ];
    if cfg!(unix) {
        expected.extend([
            "dangling.toml",
            "device.toml",
            "link.toml",
            "pipe.toml",
            "to-folder.toml",
            "to-pipe.toml",
        ]);
    }
    expected.sort_unstable();
    assert_eq!(names, expected, "byte order of the names");

    let find = |name: &str| submissions.iter().find(|(n, ..)| n == name).unwrap();
    for right in ["a.toml", "UPPER.TOML", "=cmd().toml"] {
        assert_eq!(find(right).1, 6.0, "{right}");
        assert_eq!(find(right).2, None, "{right}");
    }
    for transposed in ["Mixed.Toml", "-x.toml"] {
        assert_eq!(find(transposed).1, 5.0, "{transposed}");
    }
    let error = |name: &str| {
        let (_, score, error) = find(name);
        assert_eq!(*score, 0.0, "{name}");
        error.clone().unwrap_or_else(|| panic!("{name} has no error"))
    };
    assert_eq!(error("empty.toml"), "the file is empty: it holds no answers");
    assert_eq!(error("blank.toml"), "the file is empty: it holds no answers");
    assert!(error("binary.toml").contains("NUL byte (at byte 14)"), "{}", error("binary.toml"));
    assert!(error("latin1.toml").contains("not UTF-8 text (byte 4"), "{}", error("latin1.toml"));
    assert!(error("big.toml").contains("larger than 1024 KiB"), "{}", error("big.toml"));
    assert_eq!(error("folder.toml"), "a folder, not an answer file");
    if cfg!(unix) {
        assert!(
            error("dangling.toml").starts_with("a broken symbolic link (to "),
            "{}",
            error("dangling.toml")
        );
        assert_eq!(error("to-folder.toml"), "a symbolic link to a folder, not an answer file");
        assert_eq!(error("pipe.toml"), "a named pipe (FIFO), not an answer file");
        assert_eq!(error("to-pipe.toml"), "a symbolic link to a named pipe (FIFO), not an answer file");
        assert_eq!(error("device.toml"), "a symbolic link to a device, not an answer file");
        assert_eq!(find("link.toml").1, 6.0, "a link to an answer file is that answer file");
    }
    assert_eq!(report["summary"]["skipped_entries"], 3);
    // Entries not named *.toml: counted, a few named, on stderr.
    assert!(
        run.stderr.contains("skipped 3 entries not named *.toml: README.md, notes.txt, subfolder\n"),
        "{}",
        run.stderr
    );
}

#[test]
fn odd_entries_are_rows_with_errors_in_csv_too() {
    let dir = odd_class();
    let run = check(&["notes-example", path(dir.path()), "--format", "csv"]);
    assert_eq!(run.code, 1);
    let records = support::parse_csv(&run.stdout);
    let folder_row = records.iter().find(|r| r[0].ends_with("folder.toml")).unwrap();
    assert_eq!(folder_row[4], "a folder, not an answer file");
    assert!(folder_row[5..].iter().all(String::is_empty));
    assert!(run.stderr.contains("folder.toml: error: a folder, not an answer file"), "{}", run.stderr);
}

#[cfg(unix)]
#[test]
fn a_named_pipe_is_refused_without_being_opened() {
    // Opening a FIFO for reading waits for a writer: check must look before it opens. (The
    // support's deadline turns a hang into a failure.)
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("answers.toml");
    let name = std::ffi::CString::new(path(&fifo)).unwrap();
    assert_eq!(unsafe { libc::mkfifo(name.as_ptr(), 0o644) }, 0);
    let run = check(&["notes-example", path(&fifo), "--format", "json"]);
    assert_eq!(run.code, 1);
    assert_eq!(json(&run)["submissions"][0]["error"], "a named pipe (FIFO), not an answer file");
    // A device is no file either, and has no end.
    let run = check(&["notes-example", "/dev/zero", "--format", "json"]);
    assert_eq!(json(&run)["submissions"][0]["error"], "a device, not an answer file");
}

#[test]
fn a_file_named_twice_is_graded_once_where_first_named() {
    let dir = folder(&[("a.toml", RIGHT), ("b.toml", TRANSPOSED)]);
    let a = dir.path().join("a.toml");
    let b = dir.path().join("b.toml");
    let names = |args: &[&str]| {
        let mut all = vec!["notes-example", "--format", "json"];
        all.extend(args);
        let run = check(&all);
        let names: Vec<String> = graded(&json(&run)).into_iter().map(|(name, ..)| name).collect();
        (names, run.stderr)
    };
    let (graded_names, stderr) = names(&[path(&a), path(&a)]);
    assert_eq!(graded_names, ["a.toml"]);
    assert!(stderr.contains("a.toml is named twice; it is graded once"), "{stderr}");
    // The file, then its folder: the file first, the folder's others after it.
    assert_eq!(names(&[path(&b), path(dir.path())]).0, ["b.toml", "a.toml"]);
    // The folder, then a file in it: the folder's order.
    assert_eq!(names(&[path(dir.path()), path(&b)]).0, ["a.toml", "b.toml"]);
    // One folder under two spellings.
    let dotted = dir.path().join(".");
    let (graded_names, stderr) = names(&[path(dir.path()), path(&dotted)]);
    assert_eq!(graded_names, ["a.toml", "b.toml"]);
    assert!(stderr.contains("is named twice"), "{stderr}");
}

#[test]
fn a_folder_without_answer_files_is_a_usage_error() {
    let empty = tempfile::tempdir().unwrap();
    for format in ["text", "json", "csv"] {
        let run = check(&["notes-example", path(empty.path()), "--format", format]);
        assert_eq!(run.code, 2, "{format}");
        assert!(run.stdout.is_empty(), "{format}: {}", run.stdout);
        assert!(run.stderr.contains("the folder holds no *.toml answer files"), "{}", run.stderr);
    }
    // Only other files: also no answer, and stderr says what it holds.
    let others = folder(&[("answers.txt", RIGHT)]);
    let run = check(&["notes-example", path(others.path())]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("skipped 1 entry not named *.toml: answers.txt"), "{}", run.stderr);
}

#[cfg(unix)]
#[test]
fn a_folder_that_cannot_be_listed_is_a_usage_error() {
    use std::os::unix::fs::PermissionsExt;
    let dir = folder(&[("a.toml", RIGHT)]);
    let locked = dir.path().join("locked");
    std::fs::create_dir(&locked).unwrap();
    std::fs::write(locked.join("b.toml"), RIGHT).unwrap();
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    let listable = std::fs::read_dir(&locked).is_ok();
    let run = check(&["notes-example", path(dir.path()), path(&locked), "--format", "json"]);
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).unwrap();
    if listable {
        // Root lists any folder: nothing to refuse.
        eprintln!("running as a user who can list any folder: the refusal is not exercised");
        assert_eq!(graded(&json(&run)).len(), 2);
        return;
    }
    assert_eq!(run.code, 2);
    assert!(run.stdout.is_empty());
    assert!(run.stderr.contains("locked: cannot list the folder: Permission denied"), "{}", run.stderr);
}

#[test]
fn a_path_named_directly_is_graded_whatever_its_name() {
    let dir = folder(&[("answers.txt", RIGHT)]);
    let run = check(&["notes-example", path(&dir.path().join("answers.txt")), "--format", "json"]);
    assert_eq!(run.code, 0);
    assert_eq!(graded(&json(&run)), [("answers.txt".to_string(), 6.0, None)]);
}

#[test]
fn macos_appledouble_files_are_skipped_out_loud() {
    // A folder copied from a Mac to a FAT disk holds `._name` beside each file, binary.
    let dir = folder(&[("alice.toml", RIGHT), ("._alice.toml", "\u{5}\u{16}\u{7}\0\0\u{2}")]);
    let run = check(&["notes-example", path(dir.path()), "--format", "json"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let report = json(&run);
    assert_eq!(report["submissions"].as_array().unwrap().len(), 1, "{}", run.stdout);
    assert!(run.stderr.contains("._alice.toml: skipped: a macOS AppleDouble file"), "{}", run.stderr);
    let warnings = report["summary"]["warnings"].to_string();
    assert!(warnings.contains("._alice.toml: skipped"), "{warnings}");
    // Named on its own, it is graded like any file named.
    let run = check(&["notes-example", path(&dir.path().join("._alice.toml"))]);
    assert_eq!(run.code, 1);
}

#[cfg(unix)]
#[test]
fn file_names_print_escaped_and_distinct() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    for name in [&b"a\xff.toml"[..], b"a\xfe.toml", b"fake\n6 of 6 points.toml"] {
        std::fs::write(dir.path().join(std::ffi::OsStr::from_bytes(name)), RIGHT).unwrap();
    }
    let files = |run: &support::Run| -> Vec<String> {
        json(run)["submissions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["file"].as_str().unwrap().to_string())
            .collect()
    };
    let run = check(&["notes-example", path(dir.path()), "--format", "json"]);
    let names = files(&run);
    assert!(names[0].ends_with("/a\\xfe.toml") && names[1].ends_with("/a\\xff.toml"), "{names:?}");
    assert!(names[2].ends_with("/fake\n6 of 6 points.toml"), "JSON quotes it: {names:?}");
    let csv = check(&["notes-example", path(dir.path()), "--format", "csv"]);
    assert!(csv.stdout.contains("a\\xff.toml") && csv.stdout.contains("a\\xfe.toml"), "{}", csv.stdout);
    let text = check(&["notes-example", path(dir.path())]);
    assert!(text.stdout.contains("a\\xff.toml") && text.stdout.contains("a\\xfe.toml"), "{}", text.stdout);
    assert!(text.stdout.contains("fake\\u{a}6 of 6 points.toml"), "{}", text.stdout);
    assert!(!text.stdout.lines().any(|l| l.starts_with("6 of 6 points")), "{}", text.stdout);
}

/// One folder per student, more folders than the process may hold open files: the folders
/// kept open to read their entries by name must leave descriptors for the files themselves,
/// also when a harness has already used most of a low limit.
#[cfg(unix)]
#[test]
fn many_folders_under_a_low_open_file_limit_are_all_graded() {
    let class = tempfile::tempdir().unwrap();
    let mut folders = vec![];
    for student in 0..100 {
        let dir = class.path().join(format!("s{student:03}"));
        std::fs::create_dir(&dir).unwrap();
        for name in ["a.toml", "b.toml"] {
            std::fs::write(dir.join(name), RIGHT).unwrap();
        }
        folders.push(dir);
    }
    for setup in [
        "ulimit -n 32",
        // 52 of 64 descriptors inherited, open: a few are left.
        "ulimit -n 64 && for fd in $(seq 3 54); do eval \"exec $fd</dev/null\"; done",
    ] {
        let output = std::process::Command::new("bash")
            .args(["-c", &format!("{setup} && exec \"$@\""), "sh", env!("CARGO_BIN_EXE_backprop-tutor")])
            .args(["check", "notes-example", "--format", "json"])
            .args(&folders)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(0), "{setup}: {stderr}");
        let report: Json = serde_json::from_slice(&output.stdout).unwrap();
        let graded = graded(&report);
        assert_eq!(graded.len(), 200);
        assert!(
            graded.iter().all(|(_, score, error)| *score == 6.0 && error.is_none()),
            "{setup}: {graded:?}"
        );
    }
}

/// A file the machine cannot open for want of descriptors is no student's 0: the run stops
/// with the reason and exit 2, in every batch format. Under `ulimit -n 64` with 60 descriptors
/// inherited, the one left goes to the duplicated standard output, so every file's open fails.
#[cfg(target_os = "linux")]
#[test]
fn a_file_the_machine_cannot_open_stops_the_run_instead_of_scoring_zero() {
    let class = folder(&[("a.toml", RIGHT), ("b.toml", RIGHT)]);
    let short_of_descriptors = |args: &[&str]| {
        std::process::Command::new("bash")
            .args([
                "-c",
                "ulimit -n 64 && for fd in $(seq 3 62); do eval \"exec $fd</dev/null\"; done && exec \"$@\"",
                "sh",
                env!("CARGO_BIN_EXE_backprop-tutor"),
            ])
            .args(args)
            .current_dir(class.path())
            .output()
            .unwrap()
    };
    for format in ["json", "csv", "text"] {
        let output =
            short_of_descriptors(&["check", "notes-example", "a.toml", "b.toml", "--format", format]);
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{format}: {stdout}\n{stderr}");
        assert!(stderr.contains("a.toml: cannot read the file: Too many open files"), "{format}: {stderr}");
        assert!(stderr.contains("grading stopped here"), "{format}: {stderr}");
        assert!(
            !stdout.contains("a.toml") && !stdout.contains("b.toml"),
            "{format}: a grade was written: {stdout}"
        );
    }
}
