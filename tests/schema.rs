//! `assets/lesson.schema.json` is generated from the lesson types (DESIGN.md §7); this test fails
//! when the types change and the file does not. To regenerate it:
//!
//!     BLESS=1 cargo test --test suite schema

use backprop_tutor::authoring::schema::{SCHEMA_PATH, lesson_schema};
use backprop_tutor::lesson::shipped;
use serde_json::Value;
use std::path::Path;

fn schema_file() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(SCHEMA_PATH)
}

#[test]
fn the_schema_file_matches_the_lesson_types() {
    let generated = lesson_schema();
    if std::env::var_os("BLESS").is_some() {
        std::fs::write(schema_file(), &generated).unwrap();
    }
    let on_disk = std::fs::read_to_string(schema_file()).unwrap_or_default();
    assert!(
        on_disk == generated,
        "{SCHEMA_PATH} is out of date with src/lesson/format.rs; regenerate it with\n\n    \
         BLESS=1 cargo test --test suite schema\n"
    );
}

#[test]
fn the_schema_is_draft_07_with_the_keys_editors_complete() {
    let schema: Value = serde_json::from_str(&lesson_schema()).unwrap();
    assert_eq!(schema["$schema"], "http://json-schema.org/draft-07/schema#");
    assert_eq!(schema["additionalProperties"], false, "unknown top-level keys are flagged");
    let required = schema["required"].as_array().unwrap();
    assert_eq!(required.len(), 2, "{required:?}");
    for key in ["title", "description", "network", "check", "steps", "lint"] {
        assert!(schema["properties"][key].is_object(), "{key}");
    }
    let network = &schema["definitions"]["NetworkSpec"];
    assert!(network["properties"]["input"]["description"].as_str().unwrap().contains("input vector"));
    let text = lesson_schema();
    assert!(!text.contains("\"null\""), "TOML has no null");
    for name in ["relu", "leaky_relu", "sigmoid", "tanh", "identity", "softmax_cross_entropy", "mse"] {
        assert!(text.contains(&format!("\"{name}\"")), "{name}");
    }
}

#[test]
fn shipped_lessons_point_editors_at_the_schema() {
    for (name, text) in shipped::all() {
        assert!(text.starts_with("#:schema ../assets/lesson.schema.json\n"), "{name}");
    }
}
