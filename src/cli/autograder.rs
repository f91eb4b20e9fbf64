//! `autograder gradescope (LESSON | --variants …) -o DIR|FILE.zip`: a Gradescope autograder
//! (DESIGN.md §5). It holds this very binary (so it grades exactly as here), the lesson, a
//! `setup.sh` with nothing to install, and a `run_autograder` that grades the one answer file
//! in `$AUTOGRADER_ROOT/submission` (`/autograder` unless set, so that the folder can be tried
//! locally) into `$AUTOGRADER_ROOT/results/results.json`, and writes a valid one even when the
//! binary itself cannot run. With `--variants`, the seed is the submitter's email, from
//! Gradescope's `submission_metadata.json`. A `.zip` output has the files at its root, as
//! Gradescope requires, with the scripts executable.

use super::check::{Visibility, non_negative, relative_tolerance, variant_template};
use super::exit;
use super::variant::{VARIANT_OPTIONS, VariantArgs};
use crate::lesson::{load_lesson, read_lesson};
use clap::{Args, Subcommand};
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Debug, Subcommand)]
pub enum Platform {
    /// A Gradescope autograder: this binary, the lesson, setup.sh and run_autograder.
    Gradescope(GradescopeArgs),
}

#[derive(Debug, Args)]
#[command(group(
    clap::ArgGroup::new("variant_options").args(VARIANT_OPTIONS).multiple(true).requires("variants")
))]
pub struct GradescopeArgs {
    /// The lesson every submission is graded against: a file, or a shipped lesson's name
    /// (none with --variants).
    pub lesson: Option<String>,
    /// Grade each submission against its student's own exercise, made with the variant
    /// options below from the email Gradescope gives for the submitter.
    #[arg(long)]
    pub variants: bool,
    #[command(flatten, next_help_heading = "Variant options (with --variants; as for new)")]
    pub variant: VariantArgs,
    /// Where to write it: a folder (new or empty), or a .zip file to upload to Gradescope.
    #[arg(short, long, value_name = "DIR|FILE.zip")]
    pub output: PathBuf,
    /// As for check: no point for carried answers.
    #[arg(long)]
    pub strict: bool,
    /// As for check: the relative tolerance of every answer.
    #[arg(long, value_parser = relative_tolerance)]
    pub rtol: Option<f64>,
    /// As for check: the absolute tolerance of every answer.
    #[arg(long, value_parser = non_negative)]
    pub atol: Option<f64>,
    /// When Gradescope shows the results to students (default visible).
    #[arg(long, value_enum)]
    pub visibility: Option<Visibility>,
}

/// The binary's name in the autograder.
const BINARY: &str = "backprop-tutor";
const LESSON: &str = "lesson.toml";
const EXECUTABLE: u32 = 0o755;
const READABLE: u32 = 0o644;

/// One file of the autograder.
struct Entry {
    name: &'static str,
    bytes: Vec<u8>,
    mode: u32,
}

pub(super) fn run(platform: &Platform) -> u8 {
    let Platform::Gradescope(args) = platform;
    let entries = match entries(args) {
        Ok(entries) => entries,
        Err(message) => {
            eprintln!("{message}");
            return exit::BAD_INPUT;
        }
    };
    let output = &args.output;
    let written = if is_zip(output) { write_zip(output, &entries) } else { write_folder(output, &entries) };
    if let Err(error) = written {
        eprintln!("error: cannot write {}: {error}", output.display());
        return exit::BAD_INPUT;
    }
    eprintln!("wrote the Gradescope autograder {}", output.display());
    if !cfg!(all(target_os = "linux", target_arch = "x86_64")) {
        eprintln!(
            "warning: this binary is for {}-{}, but Gradescope runs x86_64 Linux: build backprop-tutor there \
             (e.g. --target x86_64-unknown-linux-musl) and run this command with that build",
            std::env::consts::ARCH,
            std::env::consts::OS
        );
    }
    exit::OK
}

fn is_zip(path: &Path) -> bool {
    path.extension().is_some_and(|e| e.eq_ignore_ascii_case("zip"))
}

/// The autograder's files: the binary, the lesson (unless every student has their own) and
/// the two scripts.
fn entries(args: &GradescopeArgs) -> Result<Vec<Entry>, String> {
    let mut check = vec!["check".to_string()];
    let mut entries = Vec::new();
    match (&args.lesson, args.variants) {
        (Some(spec), false) => {
            // Refused here, not on the first student's submission.
            load_lesson(spec).map_err(|error| error.to_string())?;
            let source = read_lesson(spec).map_err(|error| error.to_string())?;
            entries.push(Entry { name: LESSON, bytes: source.text.into_bytes(), mode: READABLE });
            check.push(format!("$source/{LESSON}"));
        }
        (Some(_), true) => return Err("error: give a lesson or --variants, not both".into()),
        (None, false) => return Err("error: give the lesson to grade against, or --variants".into()),
        (None, true) => {
            variant_template(&args.variant).map_err(|error| format!("error: {error}"))?;
            check.push("--variants".into());
            check.extend(args.variant.flags());
            check.extend(["--metadata".into(), "$root/submission_metadata.json".into()]);
        }
    }
    check.extend(["$root/submission".into(), "--format".into(), "gradescope".into()]);
    if args.strict {
        check.push("--strict".into());
    }
    for (flag, value) in [("--rtol", args.rtol), ("--atol", args.atol)] {
        if let Some(value) = value {
            check.extend([flag.to_string(), value.to_string()]);
        }
    }
    if let Some(visibility) = args.visibility {
        check.extend(["--visibility".to_string(), visibility.name()]);
    }
    let binary = std::env::current_exe()
        .and_then(std::fs::read)
        .map_err(|error| format!("error: cannot read this program's own binary to bundle it: {error}"))?;
    entries.push(Entry { name: BINARY, bytes: binary, mode: EXECUTABLE });
    entries.push(Entry { name: "setup.sh", bytes: SETUP.as_bytes().to_vec(), mode: EXECUTABLE });
    entries.push(Entry {
        name: "run_autograder",
        bytes: run_autograder(&check).into_bytes(),
        mode: EXECUTABLE,
    });
    Ok(entries)
}

/// Gradescope runs it once, when it builds the autograder's image: nothing to install, but a
/// binary that cannot run there fails the build, where the staff see it, not the students.
const SETUP: &str = r#"#!/usr/bin/env bash
# Run once by Gradescope when it builds the autograder. backprop-tutor is one binary, bundled
# here: there is nothing to install. Running it once makes a binary that cannot run on this
# image fail the build, where the course staff see it, rather than every submission.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
chmod +x "$here/backprop-tutor"
"$here/backprop-tutor" --version
"#;

/// The script that grades a submission; `check` is the command after the binary, its words
/// `$root`/`$source` expanded by the script and every other word taken literally.
fn run_autograder(check: &[String]) -> String {
    let words: Vec<String> = check.iter().map(|word| bash_word(word)).collect();
    format!(
        r#"#!/usr/bin/env bash
# Grades the one answer file in $AUTOGRADER_ROOT/submission (/autograder on Gradescope) and
# writes $AUTOGRADER_ROOT/results/results.json, always: a valid one even if the grader cannot
# run. To try it locally:
#   mkdir -p /tmp/try/submission && cp answers.toml /tmp/try/submission/
#   AUTOGRADER_ROOT=/tmp/try ./run_autograder && cat /tmp/try/results/results.json
set -u
root="${{AUTOGRADER_ROOT:-/autograder}}"
here="$(cd "$(dirname "${{BASH_SOURCE[0]}}")" && pwd)"
# Gradescope copies this script to $root and the rest to $root/source.
if [ -x "$here/{BINARY}" ]; then source="$here"; else source="$root/source"; fi
mkdir -p "$root/results"
results="$root/results/results.json"
"$source/{BINARY}" {words} > "$results.partial"
status=$?
# 0: every point, 1: not, 2: a broken lesson; each has written a results.json.
if [ "$status" -le 2 ] && [ -s "$results.partial" ]; then
    mv "$results.partial" "$results"
else
    rm -f "$results.partial"
    cat > "$results" <<'JSON'
{{"score": 0, "output": "The autograder could not run, so your submission was not graded. This is not your mistake: please tell the course staff.", "output_format": "text", "tests": []}}
JSON
    echo "backprop-tutor failed (exit $status)" >&2
fi
exit 0
"#,
        words = words.join(" ")
    )
}

/// A word for bash: `$root/…` and `$source/…` in double quotes, so the script expands them;
/// anything else in single quotes, taken literally.
fn bash_word(word: &str) -> String {
    if word.starts_with("$root/") || word.starts_with("$source/") {
        format!("\"{word}\"")
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

/// A new or empty folder with the files; an existing folder with anything in it is left
/// alone, as it is most likely not meant to be overwritten.
fn write_folder(folder: &Path, entries: &[Entry]) -> std::io::Result<()> {
    if folder.exists() && std::fs::read_dir(folder)?.next().is_some() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::AlreadyExists,
            "the folder is not empty (give a new or empty folder)",
        ));
    }
    std::fs::create_dir_all(folder)?;
    for entry in entries {
        let path = folder.join(entry.name);
        std::fs::write(&path, &entry.bytes)?;
        set_mode(&path, entry.mode)?;
    }
    Ok(())
}

#[cfg(unix)]
fn set_mode(path: &Path, mode: u32) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
}

#[cfg(not(unix))]
fn set_mode(_: &Path, _: u32) -> std::io::Result<()> {
    Ok(())
}

/// The zip, written beside its place and moved there when whole: a failed run leaves no
/// half-written zip to upload.
fn write_zip(path: &Path, entries: &[Entry]) -> std::io::Result<()> {
    let folder = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let mut file = tempfile::NamedTempFile::new_in(folder)?;
    let mut zip = zip::ZipWriter::new(file.as_file_mut());
    for entry in entries {
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .unix_permissions(entry.mode);
        zip.start_file(entry.name, options).map_err(std::io::Error::other)?;
        zip.write_all(&entry.bytes)?;
    }
    zip.finish().map_err(std::io::Error::other)?;
    set_mode(file.path(), READABLE)?;
    file.persist(path).map_err(|error| error.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{bash_word, run_autograder};

    #[test]
    fn words_are_literal_but_the_script_s_own_paths() {
        assert_eq!(bash_word("--layers"), "'--layers'");
        assert_eq!(bash_word("it's $HOME"), r"'it'\''s $HOME'");
        assert_eq!(bash_word("$root/submission"), "\"$root/submission\"");
    }

    #[test]
    fn the_script_writes_results_whatever_happens() {
        let script = run_autograder(&["check".into(), "$root/submission".into()]);
        assert!(script.starts_with("#!/usr/bin/env bash\n"));
        assert!(
            script.contains("\"$source/backprop-tutor\" 'check' \"$root/submission\" > \"$results.partial\"")
        );
        assert!(script.contains("root=\"${AUTOGRADER_ROOT:-/autograder}\""));
    }
}
