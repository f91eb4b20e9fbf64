//! The JSON Schema of the lesson format, `assets/lesson.schema.json`, generated from the serde
//! types of `lesson::format` so it cannot drift from what the loader reads (a test compares
//! the file with this). Draft-07, the newest draft taplo (Even Better TOML) understands.

use crate::diagnosis::DiagnosisId;
use crate::lesson::{CARRIED_CREDIT_KEY, LINT_IDS, LessonFile};
use schemars::Schema;
use schemars::generate::SchemaSettings;
use schemars::transform::RecursiveTransform;
use strum::{EnumMessage, IntoEnumIterator};

/// Where the schema is kept, from the crate root; lessons in `lessons/` point at it with
/// `#:schema ../assets/lesson.schema.json`.
pub const SCHEMA_PATH: &str = "assets/lesson.schema.json";

/// The schema as pretty-printed JSON text, ending in a newline.
pub fn lesson_schema() -> String {
    let generator = SchemaSettings::draft07().with_transform(RecursiveTransform(drop_null)).into_generator();
    let mut schema = generator.into_root_schema_for::<LessonFile>();
    // `allow` holds strings in Rust, but only the finding ids mean anything: list them so an
    // editor completes them.
    if let Some(items) = schema.pointer_mut("/definitions/LintSpec/properties/allow/items") {
        items["enum"] = serde_json::json!(LINT_IDS);
    }
    // `credit` is a map in Rust, but its keys are `carried` and the diagnosis ids: list them,
    // each a share of a point, so an editor completes them and flags any other.
    if let Some(credit) = schema.pointer_mut("/definitions/CheckSpec/properties/credit") {
        credit["properties"] = credit_properties();
        credit["additionalProperties"] = serde_json::json!(false);
    }
    // A schema is plain JSON, which always serializes.
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}

/// Each key of `[check.credit]`, with what it is for.
fn credit_properties() -> serde_json::Value {
    let share = |description: String| serde_json::json!({"type": "number", "minimum": 0, "maximum": 1, "description": description});
    let mut properties = serde_json::Map::new();
    properties.insert(
        CARRIED_CREDIT_KEY.to_string(),
        share("An answer carried from an earlier wrong answer. 1 by default.".to_string()),
    );
    for id in DiagnosisId::iter() {
        let what = id.get_documentation().unwrap_or_default();
        properties.insert(id.name().to_string(), share(format!("{what} 0 by default.")));
    }
    serde_json::Value::Object(properties)
}

/// TOML has no null, so the `null` schemars allows for optional keys (`Option<T>`) would only
/// be noise in an editor: an optional key is one that may be left out.
fn drop_null(schema: &mut Schema) {
    let Some(object) = schema.as_object_mut() else { return };
    if let Some(serde_json::Value::Array(types)) = object.get_mut("type") {
        types.retain(|t| t != "null");
        if let [only] = types.as_slice() {
            let only = only.clone();
            object.insert("type".into(), only);
        }
    }
    let is_null = |s: &serde_json::Value| {
        s.get("type").is_some_and(|t| t == "null") && s.as_object().is_some_and(|o| o.len() == 1)
    };
    if let Some(serde_json::Value::Array(alternatives)) = object.get_mut("anyOf") {
        alternatives.retain(|s| !is_null(s));
        if let [only] = alternatives.as_slice() {
            // A lone alternative is the schema itself; draft-07 ignores keys beside `$ref`, so
            // it stays wrapped (in `allOf`) where the field has a description of its own.
            let only = only.clone();
            object.remove("anyOf");
            object.insert("allOf".into(), serde_json::Value::Array(vec![only]));
        }
    }
}
