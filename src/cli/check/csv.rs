//! `check --format csv`: a header `file,score,max_score,<one column per question>` and one row
//! per answer file, each cell a verdict (RFC 4180 quoting).

use super::{Layout, Report};
use crate::answer::Submission;
use std::borrow::Cow;

/// The header; the rows follow it, one per file.
pub fn layout(report: &Report) -> Layout {
    let mut head = String::new();
    let header = ["file", "score", "max_score"].into_iter().map(Cow::Borrowed);
    push_row(&mut head, header.chain(report.questions.iter().map(|q| Cow::Owned(q.asked.to_string()))));
    Layout { head, ..Layout::default() }
}

/// One file's row, with its line end.
pub fn row(submission: &Submission) -> String {
    let mut out = String::new();
    let cells = [
        Cow::Borrowed(submission.file.as_str()),
        Cow::Owned(submission.score.to_string()),
        Cow::Owned(submission.max_score.to_string()),
    ];
    let verdicts = submission.results.iter().map(|r| Cow::Borrowed(r.grade.verdict.word()));
    push_row(&mut out, cells.into_iter().chain(verdicts));
    out
}

fn push_row<'a>(out: &mut String, cells: impl Iterator<Item = Cow<'a, str>>) {
    for (i, cell) in cells.enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_cell(out, &cell);
    }
    out.push('\n');
}

/// Quotes a cell that holds a comma (entry names such as `dL_dWo[2,1]`), a quote or a line
/// break, doubling the quotes inside.
fn push_cell(out: &mut String, cell: &str) {
    if cell.contains([',', '"', '\n', '\r']) {
        out.push('"');
        out.push_str(&cell.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(cell);
    }
}

#[cfg(test)]
mod tests {
    use super::push_cell;

    fn quote(cell: &str) -> String {
        let mut out = String::new();
        push_cell(&mut out, cell);
        out
    }

    #[test]
    fn quoting_follows_rfc_4180() {
        assert_eq!(quote("dL_do"), "dL_do");
        assert_eq!(quote("dL_dWo[2,1]"), "\"dL_dWo[2,1]\"");
        assert_eq!(quote("a \"b\".toml"), "\"a \"\"b\"\".toml\"");
    }
}
