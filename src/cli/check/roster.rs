//! A class roster (`--roster`), read from CSV as Canvas exports it or as a person writes it:
//! RFC 4180 quoting, a UTF-8 byte order mark, CRLF or LF, `,` or `;` between cells (Canvas
//! writes `;` in some locales). The columns are found by their header: `Student`, and `ID`
//! or `SIS Login ID` to match submissions on; `Section` and the other of the two are kept if
//! present. Canvas's own rows that are not students (`Points Possible`, and the rows with no
//! name and no id under it) are skipped.

use crate::answer::batch::path_text;
use std::collections::HashMap;
use std::io::Read;
use std::path::Path;

/// Larger rosters are refused unread: a class of thousands is a few hundred KiB.
const MAX_ROSTER_BYTES: u64 = 16 * 1024 * 1024;

/// One student of the roster, as the gradebook writes them back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Student {
    pub name: String,
    pub id: String,
    pub sis_login: String,
    pub section: String,
}

#[derive(Debug)]
pub(crate) struct Roster {
    /// In the roster's order.
    pub students: Vec<Student>,
    /// Every non-blank `ID` and `SIS Login ID`, trimmed, to the student it names.
    keys: HashMap<String, usize>,
    /// The same keys in lower case, to the student, or `None` where two students' keys differ
    /// only in case.
    folded: HashMap<String, Option<usize>>,
    /// What is odd about the file but does not stop it being read: rows with more or fewer
    /// cells than the header, each named by its line.
    pub warnings: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub(crate) enum RosterError {
    #[error("{path}: cannot read the roster: {source}")]
    Read { path: String, source: std::io::Error },
    #[error("{path}: the roster is larger than {} MiB", MAX_ROSTER_BYTES >> 20)]
    TooLarge { path: String },
    #[error("{path}: the roster is not UTF-8 text (save it as CSV in UTF-8)")]
    NotUtf8 { path: String },
    #[error("{path}:{line}: a quoted cell is never closed")]
    Unclosed { path: String, line: usize },
    #[error("{path}: the roster is empty")]
    Empty { path: String },
    #[error(
        "{path}: the header has no {missing} column (it has: {found}); a roster needs Student, and ID or \
         SIS Login ID to match submissions on, as in Canvas's gradebook export"
    )]
    Columns { path: String, missing: &'static str, found: String },
    #[error(
        "{path}:1: the header has {header} cells but every row has another number of them (line {line} \
         has {row}): the header is broken; it must name every column, as in Canvas's gradebook export"
    )]
    Header { path: String, header: usize, line: usize, row: usize },
    #[error(
        "{path}: lines {first} and {second} both have {value:?} as ID or SIS Login ID: whose is a file named so?"
    )]
    Duplicate { path: String, value: String, first: usize, second: usize },
}

impl Roster {
    pub(crate) fn read(path: &Path) -> Result<Roster, RosterError> {
        let name = || path_text(path);
        let read = |source| RosterError::Read { path: name(), source };
        let file = std::fs::File::open(path).map_err(read)?;
        let mut bytes = Vec::new();
        file.take(MAX_ROSTER_BYTES + 1).read_to_end(&mut bytes).map_err(read)?;
        if bytes.len() as u64 > MAX_ROSTER_BYTES {
            return Err(RosterError::TooLarge { path: name() });
        }
        let text = String::from_utf8(bytes).map_err(|_| RosterError::NotUtf8 { path: name() })?;
        Roster::parse(&name(), &text)
    }

    /// The roster in `text`; `path` names it in messages.
    pub(crate) fn parse(path: &str, text: &str) -> Result<Roster, RosterError> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let records = records(text, delimiter(text))
            .map_err(|line| RosterError::Unclosed { path: path.to_string(), line })?;
        let mut records = records.into_iter();
        let (_, header) = records.next().ok_or_else(|| RosterError::Empty { path: path.to_string() })?;
        let column = |title: &str| header.iter().position(|cell| cell.trim() == title);
        let missing =
            |missing| RosterError::Columns { path: path.to_string(), missing, found: header.join(", ") };
        let student = column("Student").ok_or_else(|| missing("Student"))?;
        let (id, sis_login) = (column("ID"), column("SIS Login ID"));
        if id.is_none() && sis_login.is_none() {
            return Err(missing("ID or SIS Login ID"));
        }
        let section = column("Section");
        let records: Vec<(usize, Vec<String>)> = records.collect();
        let ragged: Vec<&(usize, Vec<String>)> =
            records.iter().filter(|(_, r)| r.len() != header.len()).collect();
        if let Some((line, row)) = ragged.first().filter(|_| ragged.len() == records.len()) {
            return Err(RosterError::Header {
                path: path.to_string(),
                header: header.len(),
                line: *line,
                row: row.len(),
            });
        }
        let warnings = ragged
            .iter()
            .map(|(line, row)| {
                let fate = if row.len() < header.len() {
                    "the missing ones are read as blank"
                } else {
                    "the extra ones are ignored"
                };
                format!(
                    "{path}:{line}: this row has {} cells but the header has {} ({}): {fate}",
                    row.len(),
                    header.len(),
                    header.join(", ")
                )
            })
            .collect();
        let mut roster =
            Roster { students: Vec::new(), keys: HashMap::new(), folded: HashMap::new(), warnings };
        let mut lines: Vec<usize> = Vec::new();
        for (line, record) in records {
            let cell = |at: Option<usize>| at.and_then(|i| record.get(i)).cloned().unwrap_or_default();
            let entry = Student {
                name: cell(Some(student)),
                id: cell(id),
                sis_login: cell(sis_login),
                section: cell(section),
            };
            if !is_student(&entry) {
                continue;
            }
            let index = roster.students.len();
            for key in [&entry.id, &entry.sis_login] {
                let key = key.trim();
                if key.is_empty() {
                    continue;
                }
                let folded = roster.folded.entry(key.to_lowercase()).or_insert(Some(index));
                if *folded != Some(index) {
                    *folded = None;
                }
                match roster.keys.insert(key.to_string(), index) {
                    Some(other) if other != index => {
                        return Err(RosterError::Duplicate {
                            path: path.to_string(),
                            value: key.to_string(),
                            first: lines[other],
                            second: line,
                        });
                    }
                    _ => {}
                }
            }
            roster.students.push(entry);
            lines.push(line);
        }
        Ok(roster)
    }

    /// The student whose ID or SIS Login ID is `key` (trimmed).
    pub(crate) fn find(&self, key: &str) -> Option<usize> {
        self.keys.get(key.trim()).copied()
    }

    /// The student a file named `stem` is for: as [`Roster::find`], else the one student whose
    /// key differs from it only in case (`S3.toml` for `s3`; file systems and people change
    /// case freely), unless two keys differ only in case.
    pub(crate) fn find_file(&self, stem: &str) -> Option<usize> {
        self.find(stem).or_else(|| self.folded.get(&stem.trim().to_lowercase()).copied().flatten())
    }
}

/// Canvas's export holds rows that are no student: `Points Possible`, and rows with no name
/// and no id (the "Muted" or "Manual Posting" row).
fn is_student(entry: &Student) -> bool {
    let blank = |s: &str| s.trim().is_empty();
    let nobody = blank(&entry.name) && blank(&entry.id) && blank(&entry.sis_login);
    !nobody && !entry.name.contains("Points Possible")
}

/// `;` when the first line holds more of them than commas outside quotes, else `,`.
fn delimiter(text: &str) -> char {
    let (mut commas, mut semicolons, mut quoted) = (0, 0, false);
    for c in text.chars() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => commas += 1,
            ';' if !quoted => semicolons += 1,
            '\n' if !quoted => break,
            _ => {}
        }
    }
    if semicolons > commas { ';' } else { ',' }
}

/// The records of `text` with the line each starts on, as RFC 4180 reads them: a quoted cell
/// may hold the delimiter, a line break and doubled quotes; records end with CRLF or LF; blank
/// lines are skipped. A quote inside an unquoted cell is kept as it is, as spreadsheets do.
/// `Err` is the line of a quote that is never closed.
fn records(text: &str, delimiter: char) -> Result<Vec<(usize, Vec<String>)>, usize> {
    let mut records = Vec::new();
    let (mut record, mut cell) = (Vec::new(), String::new());
    let (mut line, mut start) = (1, 1);
    let (mut quoted, mut quote_line, mut fresh) = (false, 0, true);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    cell.push('"');
                }
                '"' => quoted = false,
                _ => {
                    line += usize::from(c == '\n');
                    cell.push(c);
                }
            }
            continue;
        }
        match c {
            '"' if fresh => {
                quoted = true;
                quote_line = line;
            }
            c if c == delimiter => record.push(std::mem::take(&mut cell)),
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' => {
                record.push(std::mem::take(&mut cell));
                push_record(&mut records, start, std::mem::take(&mut record));
                line += 1;
                start = line;
            }
            _ => cell.push(c),
        }
        fresh = c == delimiter || c == '\n';
    }
    if quoted {
        return Err(quote_line);
    }
    record.push(cell);
    push_record(&mut records, start, record);
    Ok(records)
}

/// Keeps a record unless it is a blank line (one empty cell, or only spaces and delimiters).
fn push_record(records: &mut Vec<(usize, Vec<String>)>, line: usize, record: Vec<String>) {
    if record.iter().any(|cell| !cell.trim().is_empty()) {
        records.push((line, record));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(text: &str) -> Vec<Vec<String>> {
        records(text, delimiter(text)).unwrap().into_iter().map(|(_, r)| r).collect()
    }

    #[test]
    fn quoted_cells_hold_delimiters_quotes_and_line_breaks() {
        assert_eq!(cells("a,\"b, c\",\"say \"\"hi\"\"\"\r\n"), [["a", "b, c", "say \"hi\""]]);
        assert_eq!(cells("\"two\nlines\",x\ny,z"), [vec!["two\nlines", "x"], vec!["y", "z"]]);
        assert_eq!(cells("a,b\r\n\r\n,\r\nc,d"), [["a", "b"], ["c", "d"]], "blank lines skipped");
        assert_eq!(cells("a,\"\"\n"), [["a", ""]]);
        assert_eq!(cells("5\" tall,x"), [["5\" tall", "x"]], "a stray quote is kept");
    }

    #[test]
    fn semicolons_are_found_from_the_header() {
        assert_eq!(
            cells("Student;ID;Section\n\"Doe, Jane\";7;A"),
            [["Student", "ID", "Section"], ["Doe, Jane", "7", "A"]]
        );
        assert_eq!(delimiter("\"a;b;c\",d"), ',');
    }

    #[test]
    fn an_unclosed_quote_names_its_line() {
        assert_eq!(records("a,b\nc,\"d\ne,f\n", ','), Err(2));
    }

    #[test]
    fn records_know_their_lines() {
        let lines: Vec<usize> = records("a\n\"b\nc\"\nd", ',').unwrap().into_iter().map(|(l, _)| l).collect();
        assert_eq!(lines, [1, 2, 4]);
    }
}
