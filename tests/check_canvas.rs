//! `check --format canvas` through the binary (DESIGN.md §5): the gradebook CSV read back the
//! way Canvas's importer reads it (a header starting `Student,ID`, then `SIS Login ID`,
//! `Section` and the assignment as "Title (id)", a `Points Possible` row, a row per student
//! matched by ID), from rosters as course staff have them.

#[path = "support/check.rs"]
mod support;

use support::{RIGHT, TRANSPOSED, check, folder, json, parse_csv, path, right_answers, toml_string};

const ASSIGNMENT: &str = "Backprop 1 (12345)";

/// A roster as Canvas exports it: a byte order mark, CRLF, quoted names with commas and
/// quotes, its `Points Possible` row, a test student and a column this tool does not write.
const ROSTER: &str = "\u{feff}Student,ID,SIS User ID,SIS Login ID,Section,Backprop 1 (12345)\r\n\
    \x20   Points Possible,,,,,6\r\n\
    \"Doe, Jane\",101,S1,alice,\"Sec \"\"A\"\"\",\r\n\
    \"O'Neil, Ann\",102,S2,ann@uni.edu,A,\r\n\
    Bob Smith,103,S3,bob,B,4\r\n\
    \"Student, Test\",104,,,A,\r\n";

/// What Canvas's importer makes of a gradebook CSV: the assignment's title and points, and
/// the score cell per Canvas ID. Panics where the importer would refuse the file.
fn import(csv: &str) -> (String, String, Vec<(String, String)>) {
    let rows = parse_csv(csv);
    let header = &rows[0];
    assert!(header.len() > 3, "the importer needs more than 3 cells");
    assert!(header[0].contains("Student") && header[1].contains("ID"), "Invalid header row: {header:?}");
    assert_eq!(header[..4], ["Student", "ID", "SIS Login ID", "Section"], "an identity layout Canvas knows");
    assert_eq!(header.len(), 5, "one assignment column");
    assert!(rows[1][0].contains("Points Possible"), "{:?}", rows[1]);
    let students = rows[2..].iter().map(|r| (r[1].clone(), r[4].clone())).collect();
    (header[4].clone(), rows[1][4].clone(), students)
}

/// `check MODE… ANSWERS --format canvas --roster ROSTER --assignment …`, with the answer files
/// in a folder of their own; `mode` is the lesson, or `--variants`.
fn canvas(mode: &[&str], roster: &str, answers: &[(&str, &str)]) -> (support::Run, tempfile::TempDir) {
    let dir = folder(&[("roster.csv", roster)]);
    let folder = dir.path().join("answers");
    std::fs::create_dir(&folder).unwrap();
    for (name, text) in answers {
        std::fs::write(folder.join(name), text).unwrap();
    }
    let roster = dir.path().join("roster.csv");
    let mut args = mode.to_vec();
    args.extend([path(&folder), "--format", "canvas", "--roster", path(&roster), "--assignment", ASSIGNMENT]);
    (check(&args), dir)
}

#[test]
fn one_row_per_roster_student_in_roster_order() {
    let files = [("alice.toml", RIGHT), ("bob.toml", TRANSPOSED), ("zed.toml", RIGHT)];
    let (run, _dir) = canvas(&["notes-example"], ROSTER, &files);
    assert_eq!(run.code, 1);
    let (title, points, students) = import(&run.stdout);
    assert_eq!(title, ASSIGNMENT);
    assert_eq!(points, "6");
    let cell = |id: &str| students.iter().find(|(i, _)| i == id).unwrap().1.clone();
    assert_eq!(students.iter().map(|(id, _)| id.as_str()).collect::<Vec<_>>(), ["101", "102", "103", "104"]);
    assert_eq!(cell("101"), "6");
    assert_eq!(cell("102"), "", "no submission: blank, not 0");
    assert_eq!(cell("103"), "5");
    assert_eq!(cell("104"), "");
    let rows = parse_csv(&run.stdout);
    assert_eq!(rows[2][..4], ["Doe, Jane", "101", "alice", "Sec \"A\""], "the roster's cells, unchanged");
    assert!(run.stderr.contains("zed.toml: its name and seed match no ID or SIS Login ID"), "{}", run.stderr);
    assert!(run.stderr.contains("2 of 4 students have no submission"), "{}", run.stderr);
    assert!(!run.stdout.starts_with('\u{feff}'), "no byte order mark");
}

#[test]
fn variants_match_by_seed_with_spaces_and_unicode_and_semicolons() {
    let roster = "Student;ID;SIS Login ID;Section\n\"Ng; Zoë\";201;Zoë Ng 2;X\nAl;202;al;X\nBea;203;bea;Y\n";
    let zoe = format!("seed = {}\n{}", toml_string("Zoë Ng 2"), right_answers("Zoë Ng 2", &[]));
    let al = right_answers("al", &[]);
    let (run, _dir) = canvas(&["--variants"], roster, &[("upload-1.toml", &zoe), ("al.toml", &al)]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let (_, _, students) = import(&run.stdout);
    assert_eq!(students, [("201".into(), "6".into()), ("202".into(), "6".into()), ("203".into(), "".into())]);
    assert_eq!(parse_csv(&run.stdout)[2][0], "Ng; Zoë");
}

#[test]
fn the_higher_of_two_submissions_counts() {
    let roster = "Student,ID,SIS Login ID,Section\nBea,203,bea,Y\n";
    let right = format!("seed = \"bea\"\n{}", right_answers("bea", &[]));
    let (run, _dir) =
        canvas(&["--variants"], roster, &[("a.toml", &right), ("bea.toml", "dL_do = [0, 0, 0]")]);
    let (_, _, students) = import(&run.stdout);
    assert_eq!(students, [("203".to_string(), "6".to_string())]);
    assert!(run.stderr.contains("note: Bea has two submissions"), "{}", run.stderr);
    assert!(run.stderr.contains("a.toml (6) and"), "{}", run.stderr);
}

#[test]
fn a_file_whose_name_and_seed_name_two_students_is_nobody_s() {
    let roster = "Student,ID,SIS Login ID,Section\nCy,1,cy,A\nDi,2,di,A\n";
    // Cy's file, claiming Di's exercise (and holding Di's right answers).
    let claim = format!("seed = \"di\"\n{}", right_answers("di", &[]));
    let (run, dir) = canvas(&["--variants"], roster, &[("cy.toml", &claim)]);
    let (_, _, students) = import(&run.stdout);
    assert_eq!(students, [("1".into(), "".into()), ("2".into(), "".into())]);
    assert!(run.stderr.contains("its name is Cy (cy)'s but its seed is Di (di)'s"), "{}", run.stderr);
    let answers = dir.path().join("answers");
    let roster_file = dir.path().join("roster.csv");
    let summary = &json(&check(&[
        "--variants",
        path(&answers),
        "--format",
        "json",
        "--roster",
        path(&roster_file),
    ]))["summary"];
    assert_eq!(summary["roster"]["students"], 2);
    assert_eq!(summary["roster"]["submitted"], 0);
    assert_eq!(summary["roster"]["without_submission"], serde_json::json!(["Cy", "Di"]));
    assert_eq!(summary["roster"]["unmatched"][0]["seed"], "di");
}

#[test]
fn matching_by_canvas_id_too() {
    let roster = "Student,ID,SIS Login ID,Section\nEd,301,,A\n";
    let (run, _dir) = canvas(&["notes-example"], roster, &[("301.toml", RIGHT)]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(import(&run.stdout).2, [("301".to_string(), "6".to_string())]);
}

#[test]
fn cells_a_spreadsheet_would_run_are_made_text() {
    let roster = "Student,ID,SIS Login ID,Section\n\"=HYPERLINK(\"\"x\"\")\",5,eve,A\n";
    let (run, _dir) = canvas(&["notes-example"], roster, &[("eve.toml", RIGHT)]);
    assert_eq!(parse_csv(&run.stdout)[2][0], "'=HYPERLINK(\"x\")");
}

#[test]
fn rosters_and_titles_canvas_cannot_take_are_usage_errors() {
    let dir = folder(&[
        ("a.toml", RIGHT),
        ("no-student.csv", "Name,ID,Section\nA,1,X\n"),
        ("no-id.csv", "Student,Section\nA,X\n"),
        ("twice.csv", "Student,ID,SIS Login ID,Section\nA,1,a,X\nB,2,b,X\n\"C\",3,a,X\n"),
        ("unclosed.csv", "Student,ID,SIS Login ID,Section\nA,1,a,X\n\"B,2,b,X\n"),
        ("empty.csv", ""),
        ("good.csv", "Student,ID,SIS Login ID,Section\nA,1,a,X\n"),
    ]);
    let a = dir.path().join("a.toml");
    let file = |name: &str| dir.path().join(name).to_str().unwrap().to_string();
    let try_roster = |roster: &str, assignment: &str| {
        check(&[
            "notes-example",
            path(&a),
            "--format",
            "canvas",
            "--roster",
            roster,
            "--assignment",
            assignment,
        ])
    };
    for (roster, expected) in [
        ("no-student.csv", "no Student column"),
        ("no-id.csv", "no ID or SIS Login ID column"),
        ("twice.csv", "lines 2 and 4 both have \"a\""),
        ("unclosed.csv", "unclosed.csv:3: a quoted cell is never closed"),
        ("empty.csv", "the roster is empty"),
        ("absent.csv", "cannot read the roster"),
    ] {
        let run = try_roster(&file(roster), ASSIGNMENT);
        assert_eq!(run.code, 2, "{roster}");
        assert!(run.stderr.contains(expected), "{roster}: {}", run.stderr);
        assert!(run.stdout.is_empty());
    }
    let run = try_roster(&file("good.csv"), "Final Score (1)");
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("Canvas drops a column"), "{}", run.stderr);
    let run = try_roster(&file("good.csv"), "Backprop 1");
    assert_eq!(run.code, 0, "a title without an id is Canvas's to match: {}", run.stderr);
    assert!(run.stderr.contains("ends in no \" (id)\""), "{}", run.stderr);
    assert_eq!(import(&run.stdout).0, "Backprop 1");

    let good = file("good.csv");
    for args in [
        vec!["notes-example", path(&a), "--format", "canvas", "--roster", &good],
        vec!["notes-example", path(&a), "--format", "canvas", "--assignment", ASSIGNMENT],
        vec!["notes-example", path(&a), "--format", "csv", "--roster", &good],
        vec!["notes-example", path(&a), "--format", "json", "--assignment", ASSIGNMENT],
    ] {
        assert_eq!(check(&args).code, 2, "{args:?}");
    }
}
