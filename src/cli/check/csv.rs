//! `check --format csv`: a header `file,seed,score,max_score,error,<one column per question>`
//! and a row per answer file. A question's cell is its verdict, or `verdict:diagnosis`
//! (`incorrect:transposed`); a file that could not be graded has its `error` and empty
//! verdict cells, not `missing` ones.
//!
//! Cells are quoted as RFC 4180 says, and records end with CRLF as it also says: every CSV
//! reader accepts that, and it keeps a record's end apart from the line breaks inside a quoted
//! cell (a TOML parser's error message spans lines). File names are chosen by students, so a
//! cell that a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, a tab or
//! a carriage return) is prefixed with `'`, which makes it text.

use super::{Report, points};
use crate::answer::Submission;
use std::borrow::Cow;

const RECORD_END: &str = "\r\n";

/// The header, with its record end.
pub(super) fn header(report: &Report) -> String {
    let mut head = String::new();
    let fixed = ["file", "seed", "score", "max_score", "error"].into_iter().map(Cow::Borrowed);
    push_record(&mut head, fixed.chain(report.questions.iter().map(|q| Cow::Borrowed(q.key.as_str()))));
    head
}

/// One file's row, with its record end.
pub(super) fn row(submission: &Submission) -> String {
    let mut out = String::new();
    let fixed = [
        Cow::Borrowed(submission.file.as_str()),
        Cow::Borrowed(submission.seed.as_deref().unwrap_or_default()),
        Cow::Owned(points(submission.score).to_string()),
        Cow::Owned(points(submission.max_score).to_string()),
        Cow::Borrowed(submission.error.as_deref().unwrap_or_default()),
    ];
    let graded = submission.error.is_none();
    let verdicts = submission.results.iter().map(|r| match (graded, &r.grade.diagnosis) {
        (false, _) => Cow::Borrowed(""),
        (true, None) => Cow::Borrowed(r.grade.verdict.word()),
        (true, Some(diagnosis)) => Cow::Owned(format!("{}:{}", r.grade.verdict.word(), diagnosis.id)),
    });
    push_record(&mut out, fixed.into_iter().chain(verdicts));
    out
}

pub(super) fn push_record<'a>(out: &mut String, cells: impl Iterator<Item = Cow<'a, str>>) {
    for (i, cell) in cells.enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_cell(out, &cell);
    }
    out.push_str(RECORD_END);
}

/// One cell: made inert for spreadsheets, then quoted if it holds a comma (entry names such as
/// `dL_dWo[2,1]`), a quote or a line break, with its quotes doubled.
fn push_cell(out: &mut String, cell: &str) {
    let inert = if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    };
    if inert.contains([',', '"', '\n', '\r']) {
        out.push('"');
        out.push_str(&inert.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(&inert);
    }
}

#[cfg(test)]
mod tests {
    use super::push_cell;

    fn cell(text: &str) -> String {
        let mut out = String::new();
        push_cell(&mut out, text);
        out
    }

    #[test]
    fn quoting_follows_rfc_4180() {
        assert_eq!(cell("dL_do"), "dL_do");
        assert_eq!(cell(""), "");
        assert_eq!(cell("dL_dWo[2,1]"), "\"dL_dWo[2,1]\"");
        assert_eq!(cell("a \"b\".toml"), "\"a \"\"b\"\".toml\"");
        assert_eq!(cell("two\nlines"), "\"two\nlines\"");
    }

    #[test]
    fn formula_starts_are_made_text() {
        assert_eq!(cell("=cmd().toml"), "'=cmd().toml");
        assert_eq!(cell("+1.toml"), "'+1.toml");
        assert_eq!(cell("-x.toml"), "'-x.toml");
        assert_eq!(cell("@SUM(A1).toml"), "'@SUM(A1).toml");
        assert_eq!(cell("\tx"), "'\tx");
        // Escaped first, then quoted: the quote stays outside the apostrophe.
        assert_eq!(cell("\rx"), "\"'\rx\"");
        assert_eq!(cell("=1,2"), "\"'=1,2\"");
        // Only the first character counts.
        assert_eq!(cell("a=b"), "a=b");
        assert_eq!(cell("dir/=x.toml"), "dir/=x.toml");
    }
}
