//! `check --variants` through the binary (DESIGN.md §5): each answer file graded against its
//! student's own exercise, the lesson `new --seed S` makes with the same options, S being the
//! file's `seed` key or else its name; the seed in every format; Gradescope's metadata naming
//! the student whatever the file says.

use crate::support::check as support;

use support::{check, folder, json, parse_csv, path, right_answers, run_binary, toml_string};

#[test]
fn each_file_is_graded_against_its_own_seed() {
    // Seeds with spaces, unicode and quotes, from the `seed` key or the file's name.
    let zoe = "Zoë Ng (group 2)";
    let keyed = format!("seed = {}\n{}", toml_string(zoe), right_answers(zoe, &[]));
    let named = right_answers("alice@uni.edu", &[]);
    let dir = folder(&[("alice@uni.edu.toml", &named), ("upload-17.toml", &keyed), ("bob.toml", &named)]);
    let run = check(&["--variants", path(dir.path()), "--format", "csv"]);
    assert_eq!(run.code, 1, "bob's file holds alice's answers: {}", run.stdout);
    let rows = parse_csv(&run.stdout);
    let row = |seed: &str| rows.iter().find(|r| r[1] == seed).unwrap_or_else(|| panic!("{seed}: {rows:?}"));
    assert_eq!(row("alice@uni.edu")[2..4], ["6", "6"]);
    assert_eq!(row(zoe)[2..4], ["6", "6"]);
    assert_eq!(row("bob")[2], "0", "graded against bob's own exercise");

    let all = json(&check(&["--variants", path(dir.path()), "--format", "json"]));
    let seeds: Vec<&str> =
        all["submissions"].as_array().unwrap().iter().map(|s| s["seed"].as_str().unwrap()).collect();
    assert_eq!(seeds, ["alice@uni.edu", "bob", zoe]);
    assert!(
        all["lesson"].as_str().unwrap().contains("new --seed SEED --layers 3,2,2,3"),
        "{}",
        all["lesson"]
    );

    let text = check(&["--variants", path(&dir.path().join("upload-17.toml"))]);
    assert_eq!(text.code, 0, "{}", text.stdout);
    assert!(text.stdout.contains(&format!("upload-17.toml (seed {zoe}): 6 of 6 points")), "{}", text.stdout);
    assert!(
        text.stdout.contains(
            "your exercise, to work offline: backprop-tutor new --seed 'Zoë Ng (group 2)' --layers 3,2,2,3"
        ),
        "{}",
        text.stdout
    );
}

#[test]
fn the_variant_options_are_new_s_options() {
    let flags = ["--layers", "2,3,2", "--activation", "tanh", "--bias", "--loss", "mse"];
    let dir = folder(&[("carol.toml", &right_answers("carol", &flags))]);
    let mut args = vec!["--variants", path(dir.path()), "--format", "csv"];
    args.extend(flags);
    let run = check(&args);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let rows = parse_csv(&run.stdout);
    assert!(rows[0].iter().any(|q| q == "dL_db1"), "biases are asked: {:?}", rows[0]);
    // Without the same options, the same answers are another exercise's.
    let plain = check(&["--variants", path(dir.path()), "--format", "csv", "--layers", "2,3,2"]);
    assert_eq!(plain.code, 1);
}

#[test]
fn a_file_that_names_no_seed_is_not_graded_and_the_others_are() {
    let right = right_answers("dana", &[]);
    let dir = folder(&[
        ("dana.toml", &right),
        ("empty-seed.toml", &format!("seed = \"\"\n{right}")),
        ("blank-seed.toml", &format!("seed = \"   \"\n{right}")),
        ("bool-seed.toml", &format!("seed = true\n{right}")),
        (".toml", &right),
    ]);
    let all = json(&check(&["--variants", path(dir.path()), "--format", "json"]));
    let submissions = all["submissions"].as_array().unwrap();
    assert_eq!(submissions.len(), 5);
    for s in submissions {
        let file = s["file"].as_str().unwrap();
        if file.ends_with("/dana.toml") {
            assert_eq!(s["score"], 6.0);
            assert!(s["error"].is_null());
            continue;
        }
        assert_eq!(s["score"], 0.0, "{file}");
        let error = s["error"].as_str().unwrap_or_else(|| panic!("{file} has an error: {s}"));
        assert!(error.contains("seed"), "{file}: {error}");
        assert_eq!(s["results"], serde_json::json!([]), "nothing graded");
    }
    assert_eq!(all["summary"]["errors"], 4);
}

#[test]
fn the_seed_key_wins_over_the_name() {
    let dir = folder(&[("erin.toml", &format!("seed = \"frank\"\n{}", right_answers("frank", &[])))]);
    let run = check(&["--variants", path(dir.path()), "--format", "csv"]);
    assert_eq!(run.code, 0);
    assert_eq!(parse_csv(&run.stdout)[1][1], "frank");
}

#[test]
fn unreadable_files_keep_their_name_as_seed() {
    let dir = folder(&[("gwen.toml", "dL_do = [1,")]);
    let missing = dir.path().join("hal.toml");
    let run = check(&["--variants", path(&dir.path().join("gwen.toml")), path(&missing), "--format", "csv"]);
    let rows = parse_csv(&run.stdout);
    assert_eq!(rows[1][1..3], ["gwen", "0"]);
    assert!(rows[1][4].starts_with("TOML parse error"), "{:?}", rows[1]);
    assert_eq!(rows[2][1..3], ["hal", "0"]);
    assert_eq!(rows[2][4], "no such file");
}

#[test]
fn usage_errors() {
    let dir = folder(&[("a.toml", "dL_do = [1, 2, 3]")]);
    let file = dir.path().join("a.toml");
    let a = path(&file);
    for args in [
        vec!["notes-example", a, "--layers", "3,2,2,3"],
        vec!["notes-example", a, "--bias"],
        vec!["notes-example", a, "--format", "gradescope", "--metadata", a],
        vec!["--variants", a, "--metadata", a],
        vec!["--variants"],
        vec!["notes-example"],
        vec!["--variants", a, "--layers", "3"],
        vec!["--variants", a, "--layers", "3,0,2"],
    ] {
        let run = check(&args);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stdout);
        assert!(run.stderr.contains("error"), "{args:?}: {}", run.stderr);
    }
}

// ---------------------------------------------------------------- Gradescope

fn metadata(email: &str) -> String {
    serde_json::json!({
        "id": 1, "submission_method": "upload",
        "users": [{"email": email, "id": 7, "name": "A Student", "sid": null}],
        "assignment": {"title": "Backprop 1", "total_points": "6.0"},
    })
    .to_string()
}

#[test]
fn gradescope_takes_the_seed_from_the_metadata() {
    let email = "ivy@uni.edu";
    let right = right_answers(email, &[]);
    let dir = folder(&[
        ("answers.toml", &right),
        ("claims-other.toml", &format!("seed = \"jack@uni.edu\"\n{}", right_answers("jack@uni.edu", &[]))),
        ("submission_metadata.json", &metadata(email)),
        ("no-users.json", r#"{"users": []}"#),
        ("not-json.json", "<html>"),
    ]);
    let file = |name: &str| path(&dir.path().join(name)).to_string();
    let grade = |answers: &str, metadata: &str| {
        let run = check(&["--variants", "--format", "gradescope", "--metadata", metadata, answers]);
        (run.code, json(&run), run.stderr)
    };
    let (code, results, _) = grade(&file("answers.toml"), &file("submission_metadata.json"));
    assert_eq!(code, 0);
    assert_eq!(results["score"], 6.0);
    assert_eq!(results["extra_data"]["seed"], email);
    assert_eq!(results["extra_data"]["lesson"], format!("Exercise (seed {email})"));
    let output = results["output"].as_str().unwrap();
    assert!(output.contains(&format!("backprop-tutor new --seed {email} --layers 3,2,2,3")), "{output}");

    // A student who writes a classmate's seed is graded on their own exercise, and told so.
    let (code, results, _) = grade(&file("claims-other.toml"), &file("submission_metadata.json"));
    assert_eq!(code, 1);
    assert_eq!(results["extra_data"]["seed"], email);
    assert!(results["score"].as_f64().unwrap() < 6.0);
    let output = results["output"].as_str().unwrap();
    assert!(
        output.contains("the file says seed = \"jack@uni.edu\", but it is graded as the exercise of"),
        "{output}"
    );

    // Metadata that names nobody: score 0, a note for the staff, still a valid results.json.
    for broken in ["no-users.json", "not-json.json", "absent.json"] {
        let (code, results, stderr) = grade(&file("answers.toml"), &file(broken));
        assert_eq!(code, 1, "{broken}");
        assert_eq!(results["score"], 0.0);
        assert!(results["output"].as_str().unwrap().contains("tell the course staff"), "{broken}");
        assert!(stderr.contains(broken), "{broken}: {stderr}");
    }
}

#[test]
fn the_printed_command_rebuilds_the_graded_lesson() {
    // A seed a shell would split or expand, unquoted.
    let seed = "o'neil $HOME `x` ünï";
    let dir = folder(&[("a.toml", &format!("seed = {}\n", toml_string(seed)))]);
    let results = json(&check(&["--variants", "--format", "gradescope", path(&dir.path().join("a.toml"))]));
    let output = results["output"].as_str().unwrap();
    let command = output.lines().find_map(|l| l.strip_prefix("Your exercise, to work it offline: ")).unwrap();
    let binary = assert_cmd::cargo::cargo_bin!("backprop-tutor");
    let shell = std::process::Command::new("bash")
        .arg("-c")
        .arg(command.replacen("backprop-tutor", &format!("'{}'", binary.display()), 1))
        .output()
        .unwrap();
    assert!(shell.status.success(), "{command}");
    let direct = run_binary(&["new", "--seed", seed]);
    assert_eq!(String::from_utf8(shell.stdout).unwrap(), direct.stdout);
    assert_eq!(results["extra_data"]["lesson"], format!("Exercise (seed {seed})"));
}

#[test]
fn a_number_is_no_seed() {
    // `seed = 5` would be graded against the exercise of "5", which the student may not have
    // been given (007, 5.0): only a string names an exercise.
    let right = right_answers("5", &[]);
    let dir = folder(&[("gail.toml", &format!("seed = 5\n{right}"))]);
    let run = check(&["--variants", path(dir.path()), "--format", "json"]);
    let submission = &json(&run)["submissions"][0];
    assert_eq!(submission["score"], 0.0, "{submission}");
    let error = submission["error"].as_str().unwrap();
    assert!(error.contains("seed must be a string: write seed = \"5\""), "{error}");
}

#[cfg(unix)]
#[test]
fn a_name_that_is_not_utf8_gives_no_seed() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    let right = right_answers("hal", &[]);
    std::fs::write(dir.path().join(std::ffi::OsStr::from_bytes(b"a\xff.toml")), &right).unwrap();
    std::fs::write(
        dir.path().join(std::ffi::OsStr::from_bytes(b"b\xfe.toml")),
        format!("seed = \"hal\"\n{right}"),
    )
    .unwrap();
    let run = check(&["--variants", path(dir.path()), "--format", "json"]);
    let all = json(&run);
    let first = &all["submissions"][0];
    assert!(first["file"].as_str().unwrap().ends_with("a\\xff.toml"), "{first}");
    assert!(first["error"].as_str().unwrap().contains("is not UTF-8"), "{first}");
    // Its own seed key settles whose it is.
    let second = &all["submissions"][1];
    assert!(second["file"].as_str().unwrap().ends_with("b\\xfe.toml"), "{second}");
    assert_eq!(second["score"], 6.0, "{second}");
}

#[test]
fn a_seed_that_is_not_the_files_name_and_a_seed_graded_twice_are_said() {
    // Carol hands in Alice's answers with Alice's seed: graded as Alice's exercise (a seed
    // key may rightly differ from a file's name), but never in silence.
    let alice = right_answers("alice", &[]);
    let copied = format!("seed = \"alice\"\n{alice}");
    let dir = folder(&[("alice.toml", &alice), ("carol.toml", &copied)]);
    let run = check(&["--variants", path(dir.path()), "--format", "json"]);
    let all = json(&run);
    let carol = &all["submissions"][1];
    assert_eq!(carol["seed"], "alice");
    let warnings = carol["warnings"].as_array().unwrap();
    assert!(
        warnings.iter().any(|w| w.as_str().unwrap().contains("seed = \"alice\" but is named \"carol\"")),
        "{warnings:?}"
    );
    let run_warnings = all["summary"]["warnings"].as_array().unwrap();
    assert!(
        run_warnings.iter().any(|w| {
            let w = w.as_str().unwrap();
            w.contains("carol.toml and")
                && w.contains("alice.toml are both graded on the exercise of seed \"alice\"")
        }),
        "{run_warnings:?}"
    );
    assert!(run.stderr.contains("are both graded on the exercise of seed \"alice\""), "{}", run.stderr);
    assert_eq!(all["summary"]["with_warnings"], 1);
}
