//! Gradescope's `submission_metadata.json`: who submitted, as the seed of their variant. Only
//! `users[0].email` is read (the first member of a group submission), everything else ignored,
//! as the file's other keys have changed before.

use serde::Deserialize;
use std::io::Read;
use std::path::Path;

/// Larger files are refused unread: Gradescope's holds the previous submission's results,
/// which are small for this autograder.
const MAX_METADATA_BYTES: u64 = 16 * 1024 * 1024;

#[derive(Deserialize)]
struct Metadata {
    users: Vec<User>,
}

#[derive(Deserialize)]
struct User {
    email: Option<String>,
}

/// Why the file names nobody.
#[derive(Debug, thiserror::Error)]
pub(super) enum MetadataError {
    #[error("{path}: cannot read it: {source}")]
    Read { path: String, source: std::io::Error },
    #[error("{path}: larger than {} MiB", MAX_METADATA_BYTES >> 20)]
    TooLarge { path: String },
    #[error("{path}: not Gradescope's submission metadata: {source}")]
    Json { path: String, source: serde_json::Error },
    #[error("{path}: users[0].email is missing or empty")]
    NoEmail { path: String },
}

/// The email of the first user of a submission: the seed of their exercise.
pub(super) fn submitter(path: &Path) -> Result<String, MetadataError> {
    let name = || path.display().to_string();
    let read = |source| MetadataError::Read { path: name(), source };
    let file = std::fs::File::open(path).map_err(read)?;
    let mut bytes = Vec::new();
    file.take(MAX_METADATA_BYTES + 1).read_to_end(&mut bytes).map_err(read)?;
    if bytes.len() as u64 > MAX_METADATA_BYTES {
        return Err(MetadataError::TooLarge { path: name() });
    }
    let metadata: Metadata =
        serde_json::from_slice(&bytes).map_err(|source| MetadataError::Json { path: name(), source })?;
    metadata
        .users
        .into_iter()
        .next()
        .and_then(|user| user.email)
        .filter(|email| !email.trim().is_empty())
        .ok_or_else(|| MetadataError::NoEmail { path: name() })
}
