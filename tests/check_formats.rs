//! `check --format csv` and `--format json` through the binary (DESIGN.md §5): what course
//! staff load into spreadsheets and scripts, with file names a student chose.

use crate::support::check as support;

use support::{
    QUANTITIES, RIGHT, TRANSPOSED, check, check_in, fixture, folder, json, keys, parse_csv, path, sorted,
};

// ---------------------------------------------------------------- csv

#[test]
fn csv_has_the_header_of_spec_5_and_a_row_per_file() {
    let dir = folder(&[("a.toml", RIGHT), ("b.toml", TRANSPOSED), ("c.toml", "dL_do = [0.09,\n")]);
    let run = check(&["notes-example", path(dir.path()), "--format", "csv"]);
    assert_eq!(run.code, 1);
    let records = parse_csv(&run.stdout);
    let mut header = vec!["file", "seed", "score", "max_score", "error"];
    header.extend(QUANTITIES);
    assert_eq!(records[0], header);
    assert_eq!(records.len(), 4);
    let file = |name: &str| path(&dir.path().join(name)).to_string();
    // Scores as the shortest decimal; a cell per question, the diagnosis after a colon.
    assert_eq!(
        records[1],
        [&file("a.toml"), "", "6", "6", "", "correct", "correct", "correct", "correct", "correct", "correct"]
    );
    assert_eq!(
        records[2],
        [
            &file("b.toml"),
            "",
            "5",
            "6",
            "",
            "correct",
            "correct",
            "incorrect:transposed",
            "correct",
            "correct",
            "correct"
        ]
    );
    // The unreadable file: why, and empty verdict cells (nothing was graded, not even as
    // missing); stderr says it too.
    let broken = &records[3];
    assert_eq!(broken[..4], [file("c.toml"), String::new(), "0".into(), "6".into()]);
    assert!(broken[4].starts_with("TOML parse error at line 1"), "{broken:?}");
    assert!(broken[4].contains('\n'), "the parser's excerpt spans lines, in one quoted cell");
    assert_eq!(broken[5..], ["", "", "", "", "", ""]);
    assert!(run.stderr.contains(&format!("{}: error: TOML parse error", file("c.toml"))), "{}", run.stderr);
}

#[test]
fn csv_records_end_with_crlf_and_line_breaks_in_cells_stay_quoted() {
    let run = check(&["notes-example", path(&fixture("")), "--format", "csv"]);
    let records = parse_csv(&run.stdout);
    assert_eq!(run.stdout.matches("\r\n").count(), records.len(), "one CRLF per record, none inside cells");
    assert!(records.iter().all(|r| r.len() == 11), "{records:?}");
}

#[test]
fn csv_makes_formula_starts_inert() {
    // Names a student may give a file, run where the cells start with them.
    let names = ["=cmd().toml", "-x.toml", "+1.toml", "@SUM(A1).toml", "\tx.toml", "\rcr.toml"];
    let dir = tempfile::tempdir().unwrap();
    for name in names {
        std::fs::write(dir.path().join(name), RIGHT).unwrap();
    }
    let mut args = vec!["notes-example", "--format", "csv", "--"];
    args.extend(names);
    let run = check_in(dir.path(), &args);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let records = parse_csv(&run.stdout);
    let cells: Vec<&str> = records[1..].iter().map(|r| r[0].as_str()).collect();
    assert_eq!(cells, names.map(|n| format!("'{n}")));
}

#[test]
fn csv_quotes_commas_quotes_and_line_breaks_in_file_names() {
    let dir = folder(&[(
        "lesson.toml",
        &format!("{}\n[steps]\nask = [\"dL_dWo[2,1]\", \"dL_do\"]\n", notes_lesson()),
    )]);
    let names = ["a, \"b\".toml", "two\nlines.toml"];
    for name in names {
        std::fs::write(dir.path().join(name), "\"dL_dWo[2,1]\" = 2.661").unwrap();
    }
    let mut args = vec!["lesson.toml", "--format", "csv"];
    args.extend(names);
    let run = check_in(dir.path(), &args);
    assert_eq!(run.code, 1);
    assert!(
        run.stdout.starts_with("file,seed,score,max_score,error,\"dL_dWo[2,1]\",dL_do\r\n"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("\r\n\"a, \"\"b\"\".toml\",,1,2,,correct,missing\r\n"), "{}", run.stdout);
    let records = parse_csv(&run.stdout);
    assert_eq!(records[2][0], "two\nlines.toml");
}

fn notes_lesson() -> &'static str {
    backprop_tutor::lesson::shipped::source("notes-example").unwrap()
}

// ---------------------------------------------------------------- json

#[test]
fn json_is_one_object_with_the_summary_last() {
    let dir = folder(&[
        ("a.toml", RIGHT),
        ("b.toml", TRANSPOSED),
        ("c.toml", "dL_do = [0.09,\n"),
        ("d.toml", RIGHT),
        ("notes.txt", ""),
    ]);
    let run = check(&["notes-example", path(dir.path()), "--format", "json"]);
    assert_eq!(run.code, 1);
    // The order of the keys, as written: the summary after the submissions, so that they can
    // be written as they are graded.
    assert!(
        run.stdout.starts_with("{\"lesson\":\"The notes' worked example\",\"submissions\":[{"),
        "{}",
        run.stdout
    );
    let summary_at = run.stdout.find("],\"summary\":{").unwrap();
    assert!(!run.stdout[summary_at..].contains("\"file\""), "nothing after the summary");
    assert!(run.stdout.ends_with("}}\n"));
    let report = json(&run);
    assert_eq!(keys(&report), ["lesson", "submissions", "summary"]);
    assert_eq!(
        report["summary"],
        serde_json::json!({
            "submissions": 4,
            "full_marks": 2,
            "errors": 1,
            "with_warnings": 0,
            "warnings": [],
            "mean_score": 4.25,
            "max_score": 6.0,
            "skipped_entries": 1,
        })
    );
}

#[test]
fn json_submissions_and_results_have_every_field() {
    let with_warning = format!("{TRANSPOSED}dL_dh = [1, 2]\n");
    let dir = folder(&[("a.toml", &with_warning), ("b.toml", "\u{0}binary")]);
    let run = check(&["notes-example", path(dir.path()), "--format", "json"]);
    let report = json(&run);
    let submissions = report["submissions"].as_array().unwrap();
    assert_eq!(submissions.len(), 2);
    for submission in submissions {
        assert_eq!(
            keys(submission),
            sorted(&["file", "seed", "score", "max_score", "error", "warnings", "results"])
        );
        assert!(submission["seed"].is_null(), "no seed key in these files");
    }
    let graded = &submissions[0];
    assert_eq!(graded["score"], 5.0);
    assert_eq!(graded["max_score"], 6.0);
    assert!(graded["error"].is_null());
    assert_eq!(
        graded["warnings"],
        serde_json::json!(["'dL_dh' is not a quantity of this lesson (did you mean 'dL_dh2'?)"])
    );
    let results = graded["results"].as_array().unwrap();
    let fields = [
        "quantity",
        "step",
        "verdict",
        "message",
        "diagnosis",
        "wrong_entries",
        "credit",
        "carried_from",
        "formula",
        "identity",
    ];
    for (result, quantity) in results.iter().zip(QUANTITIES) {
        assert_eq!(keys(result), sorted(&fields));
        assert_eq!(result["quantity"], quantity);
        assert!(result["message"].as_str().is_some_and(|m| !m.is_empty()));
        assert_eq!(result["carried_from"], serde_json::json!([]));
        assert_eq!((&result["formula"], &result["identity"]), (&false.into(), &serde_json::Value::Null));
    }
    let steps: Vec<&str> = results.iter().map(|r| r["step"].as_str().unwrap()).collect();
    assert_eq!(steps, ["1", "2A", "2B", "3A", "3B", "4"]);
    let wrong = &results[2];
    assert_eq!(
        (&wrong["verdict"], &wrong["diagnosis"], &wrong["credit"]),
        (&"incorrect".into(), &"transposed".into(), &0.0.into())
    );
    assert_eq!(wrong["wrong_entries"], serde_json::json!([]), "a wrong shape has no entries to point at");
    assert_eq!((&results[0]["verdict"], &results[0]["credit"]), (&"correct".into(), &1.0.into()));
    assert!(results[0]["diagnosis"].is_null());

    // The binary file: its error, no results (nothing was graded), score 0.
    let unread = &submissions[1];
    assert!(unread["error"].as_str().unwrap().contains("NUL byte"), "{unread}");
    assert_eq!(unread["results"], serde_json::json!([]));
    assert_eq!(unread["score"], 0.0);

    // Warnings and errors are on stderr too, behind the file's name; stdout stays JSON.
    let a = path(&dir.path().join("a.toml")).to_string();
    let b = path(&dir.path().join("b.toml")).to_string();
    assert!(run.stderr.contains(&format!("{a}: warning: 'dL_dh' is not a quantity")), "{}", run.stderr);
    assert!(run.stderr.contains(&format!("{b}: error: the file holds a NUL byte")), "{}", run.stderr);
}

#[test]
fn json_wrong_entries_are_the_notes_indices() {
    let one_off = RIGHT.replace("[0.09, 0.665, -0.755]", "[0.09, 0.665, 0.755]");
    let dir = folder(&[("a.toml", &one_off)]);
    let report = json(&check(&["notes-example", path(dir.path()), "--format", "json"]));
    let first = &report["submissions"][0]["results"][0];
    assert_eq!(first["verdict"], "incorrect");
    assert_eq!(first["wrong_entries"], serde_json::json!([[3]]));
}

#[test]
fn results_come_in_the_order_of_the_files_however_they_finish() {
    // Enough files for every worker to take many, with plainly different scores.
    let dir = tempfile::tempdir().unwrap();
    let count = 600;
    for i in 0..count {
        let text = match i % 3 {
            0 => RIGHT.to_string(),
            1 => TRANSPOSED.to_string(),
            // A large file takes longer to read than its neighbours.
            _ => format!("{RIGHT}{}", "# padding\n".repeat(2_000)),
        };
        std::fs::write(dir.path().join(format!("{i:04}.toml")), text).unwrap();
    }
    let run = check(&["notes-example", path(dir.path()), "--format", "csv"]);
    let records = parse_csv(&run.stdout);
    assert_eq!(records.len(), count + 1);
    for (i, record) in records[1..].iter().enumerate() {
        assert!(record[0].ends_with(&format!("{i:04}.toml")), "row {i}: {}", record[0]);
        assert_eq!(record[2], if i % 3 == 1 { "5" } else { "6" }, "row {i}");
    }
}

// ------------------------------------------------------------ keys given twice

/// `check LESSON a.toml` on `text` in `format`.
fn check_text(lesson: &str, text: &str, format: &str) -> support::Run {
    let dir = folder(&[("a.toml", text)]);
    check(&[lesson, path(&dir.path().join("a.toml")), "--format", format])
}

#[test]
fn a_quantity_given_whole_and_by_an_entry_is_given_twice_in_every_format() {
    // Step 1 asks all of ∂L/∂o: the whole says 0 for entry 3, the entry key says −0.755.
    let text = "dL_do = [0.09003, 0.66524, 0]\n\"dL_do[3]\" = -0.75527\n";
    let json_run = check_text("notes-example", text, "json");
    let submission = &json(&json_run)["submissions"][0];
    assert_eq!(submission["results"][0]["verdict"], "invalid", "{submission}");
    let warnings = submission["warnings"].to_string();
    assert!(warnings.contains("dL_do is given twice, as 'dL_do' and 'dL_do[3]'"), "{warnings}");
    assert!(!warnings.contains("not asked"), "one warning for the pair: {warnings}");
    assert!(json_run.stderr.contains("given twice"), "{}", json_run.stderr);
    let text_run = check_text("notes-example", text, "text");
    assert!(text_run.stdout.contains("given twice"), "{}", text_run.stdout);
    let gradescope = check_text("notes-example", text, "gradescope");
    assert!(json(&gradescope)["output"].as_str().unwrap().contains("given twice"), "{}", gradescope.stdout);
    // Where both are asked (notes-questions asks dL_dWo[2,1] and then all of dL_dWo), each
    // answers its own question.
    let dl_dwo = "dL_dWo = [[0.36, 0.09], [2.661, 0.665], [-3.021, -0.755]]\n";
    let results = json(&check_text("notes-questions", &format!("{dl_dwo}\"dL_dWo[2,1]\" = 2.661\n"), "json"))
        ["submissions"][0]["results"]
        .clone();
    assert_eq!((&results[3]["verdict"], &results[4]["verdict"]), (&"correct".into(), &"correct".into()));
}

#[test]
fn an_entry_given_twice_spoils_that_entry_only() {
    // notes-questions asks dL_dWo[2,1] and the whole dL_dWo; the file gives only the entry,
    // twice: the entry is invalid, the whole is missing.
    let run =
        check_text("notes-questions", "\"dL_dWo[2, 1]\" = 2.66096\n\"dL_dWo[2,1]\" = 2.66096\n", "json");
    let results = &json(&run)["submissions"][0]["results"];
    assert_eq!(results[3]["verdict"], "invalid", "{}", results[3]);
    assert_eq!(results[4]["verdict"], "missing", "{}", results[4]);
}

#[test]
fn an_entry_no_question_grades_is_an_unasked_key() {
    // An entry of a quantity no question asks, whole or in part, is graded by none.
    let run = check_text("notes-questions", "\"dh2_dh1[2,2]\" = 5\n", "json");
    let warnings = json(&run)["submissions"][0]["warnings"].to_string();
    assert!(warnings.contains("'dh2_dh1[2,2]' is not asked"), "{warnings}");
    // An entry of an asked whole is that question's: its result says the entries are too few,
    // and no warning calls the entry unasked beside it.
    for lesson in ["notes-questions", "notes-example"] {
        let submission = json(&check_text(lesson, "\"dL_dWo[1,2]\" = 5\n", "json"))["submissions"][0].clone();
        let warnings = submission["warnings"].to_string();
        assert!(!warnings.contains("not asked"), "{lesson}: {warnings}");
        // Said as a warning too, for CSV and Canvas, which print verdicts only.
        assert!(warnings.contains("dL_dWo: The file gives 1 of its 6 entries"), "{lesson}: {warnings}");
        let csv = check_text(lesson, "\"dL_dWo[1,2]\" = 5\n", "csv");
        assert!(csv.stderr.contains("warning: dL_dWo: The file gives 1 of its 6 entries"), "{}", csv.stderr);
        let results = submission["results"].as_array().unwrap();
        let whole = results.iter().find(|r| r["quantity"] == "dL_dWo").unwrap();
        assert_eq!(whole["verdict"], "missing", "{lesson}: {whole}");
        assert!(whole["message"].as_str().unwrap().contains("gives 1 of its 6 entries"), "{lesson}: {whole}");
    }
    // Every entry of an asked whole, each by its own key, is that whole.
    let entries = "\"dL_do[1]\" = 0.09003\n\"dL_do[2]\" = 0.66524\n\"dL_do[3]\" = -0.75527\n";
    let submission = json(&check_text("notes-example", entries, "json"))["submissions"][0].clone();
    assert_eq!(submission["results"][0]["verdict"], "correct", "{submission}");
    assert_eq!(submission["warnings"], serde_json::json!([]), "{submission}");
}

#[test]
fn a_bad_index_is_told_its_range_not_suggested_back() {
    let run =
        check_text("notes-example", "\"dL_dWo[0,1]\" = 1\n\"dL_dWo[4,1]\" = 1\n\"dL_do[4]\" = 1\n", "json");
    let warnings = json(&run)["submissions"][0]["warnings"].to_string();
    assert!(!warnings.contains("did you mean"), "{warnings}");
    assert!(
        warnings
            .contains("'dL_dWo[0,1]' is no entry of dL_dWo: entries are numbered from 1, and dL_dWo is 3×2"),
        "{warnings}"
    );
    assert!(warnings.contains("'dL_dWo[4,1]' is no entry of dL_dWo"), "{warnings}");
    assert!(warnings.contains("'dL_do[1]' to 'dL_do[3]'"), "{warnings}");
    // A misspelt name is still suggested, index kept.
    let run = check_text("notes-example", "\"dl_dwo[2,1]\" = 1\n", "json");
    let warnings = json(&run)["submissions"][0]["warnings"].to_string();
    assert!(warnings.contains("did you mean 'dL_dWo[2,1]'"), "{warnings}");
}

#[test]
fn a_huge_line_is_quoted_around_the_error_only() {
    let text = format!("dL_do = {}\n", "[".repeat(200_000));
    for format in ["csv", "json", "text"] {
        let run = check_text("notes-example", &text, format);
        assert!(run.stdout.len() < 10_000, "{format}: {} bytes", run.stdout.len());
        assert!(run.stderr.len() < 10_000, "{format}: {} bytes of stderr", run.stderr.len());
        assert!(run.stdout.contains("TOML parse error at line 1"), "{format}: {}", run.stdout);
    }
    // An answer string of the same size, unreadable, is shown cut around its caret too.
    let text = format!("dL_do = \"{}\"\n", "(".repeat(200_000));
    let run = check_text("notes-example", &text, "text");
    assert!(run.stdout.len() < 10_000, "{} bytes", run.stdout.len());
}

#[test]
fn an_entry_written_as_a_formula_that_cannot_be_worked_out_makes_its_whole_invalid() {
    // A red team found these entries vanish: the whole was "missing, 2 of its 3 entries".
    for formula in ["abc", "dL_do", "dL_dh2"] {
        let file = format!("\"dL_do[1]\" = 0.09003\n\"dL_do[2]\" = \"{formula}\"\n\"dL_do[3]\" = -0.7553\n");
        let submission = json(&check_text("notes-example", &file, "json"))["submissions"][0].clone();
        let whole = &submission["results"][0];
        assert_eq!(whole["verdict"], "invalid", "{formula}: {whole}");
        assert!(whole["message"].as_str().unwrap().contains("dL_do[2]:"), "{formula}: {whole}");
    }
}
