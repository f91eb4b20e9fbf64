//! The floor for `solve --format json`: the least a program can do to give the same bytes for
//! the lessons `support/wide.rs` writes. It reads only that shape of file (a title, `input`,
//! `label`, ReLU layers of `weights`, softmax cross-entropy, no bias) with a plain digit
//! scanner, runs the same nalgebra matrix–vector products as the engine, builds no matrix it
//! only prints (weight gradients are written straight from their two vectors, Jacobians
//! straight from the gate and the weights), and formats floats with `zmij`, which is what
//! serde_json calls. The benchmark checks its output against `solve`'s, byte for byte.

use nalgebra::{DMatrix, DVector};
use std::io::{self, Write};

pub(crate) fn run(path: &str) -> io::Result<()> {
    let text = std::fs::read(path)?;
    let lesson = Scanner { text: &text, at: 0 }.lesson();
    drop(text);
    let mut out = Json { bytes: Vec::with_capacity(BUFFER), to: io::stdout().lock() };
    write(&lesson, &mut out)?;
    out.flush()
}

struct Lesson {
    title: String,
    input: DVector<f64>,
    label: usize,
    /// Hidden layers, then the output layer.
    weights: Vec<DMatrix<f64>>,
}

struct Scanner<'t> {
    text: &'t [u8],
    at: usize,
}

impl Scanner<'_> {
    fn lesson(mut self) -> Lesson {
        self.skip_past(b"title = \"");
        let start = self.at;
        self.skip_past(b"\"");
        let title = String::from_utf8_lossy(&self.text[start..self.at - 1]).into_owned();
        self.skip_past(b"input = ");
        let input = DVector::from_vec(self.row());
        self.skip_past(b"label = ");
        let label = self.number() as usize;
        let mut weights = Vec::new();
        while self.find(b"weights = ").is_some() {
            self.skip_past(b"weights = ");
            weights.push(self.matrix());
        }
        Lesson { title, input, label, weights }
    }

    fn find(&self, needle: &[u8]) -> Option<usize> {
        self.text[self.at..].windows(needle.len()).position(|w| w == needle).map(|i| self.at + i)
    }

    fn skip_past(&mut self, needle: &[u8]) {
        self.at = self.find(needle).expect("a lesson written by support/wide.rs") + needle.len();
    }

    fn skip_blanks(&mut self) {
        while matches!(self.text[self.at], b' ' | b'\n' | b',') {
            self.at += 1;
        }
    }

    /// `[[a, b], [c, d], ]`, read row by row into a matrix.
    fn matrix(&mut self) -> DMatrix<f64> {
        self.at += 1;
        let mut entries = Vec::new();
        let mut rows = 0;
        self.skip_blanks();
        while self.text[self.at] == b'[' {
            entries.extend(self.row());
            rows += 1;
            self.skip_blanks();
        }
        self.at += 1;
        DMatrix::from_row_slice(rows, entries.len() / rows, &entries)
    }

    /// `[a, b, c]`.
    fn row(&mut self) -> Vec<f64> {
        self.at += 1;
        let mut row = Vec::new();
        loop {
            self.skip_blanks();
            if self.text[self.at] == b']' {
                self.at += 1;
                return row;
            }
            row.push(self.number());
        }
    }

    /// `-0.1234` or `1`: digits into an integer, then one division by a power of ten, which is
    /// correctly rounded (as `str::parse` is) while both are exact in f64.
    fn number(&mut self) -> f64 {
        let negative = self.text[self.at] == b'-';
        self.at += usize::from(negative);
        let mut mantissa = 0u64;
        let mut decimals = None;
        loop {
            match self.text[self.at] {
                digit @ b'0'..=b'9' => {
                    mantissa = mantissa * 10 + u64::from(digit - b'0');
                    decimals = decimals.map(|d: i32| d + 1);
                }
                b'.' => decimals = Some(0),
                _ => break,
            }
            self.at += 1;
        }
        let value = mantissa as f64 / 10f64.powi(decimals.unwrap_or(0));
        if negative { -value } else { value }
    }
}

const BUFFER: usize = 1 << 16;

/// JSON text gathered in a buffer and written out whenever it fills.
struct Json<W: Write> {
    bytes: Vec<u8>,
    to: W,
}

impl<W: Write> Json<W> {
    fn raw(&mut self, text: &str) -> io::Result<()> {
        self.bytes.extend_from_slice(text.as_bytes());
        if self.bytes.len() >= BUFFER {
            self.to.write_all(&self.bytes)?;
            self.bytes.clear();
        }
        Ok(())
    }

    /// As serde_json writes an f64, after `solve` turns −0 into 0.
    fn number(&mut self, x: f64) -> io::Result<()> {
        let x = x + 0.0;
        if x.is_finite() { self.raw(zmij::Buffer::new().format_finite(x)) } else { self.raw("null") }
    }

    /// Every key but the first, which the caller writes.
    fn key(&mut self, name: &str) -> io::Result<()> {
        self.raw(",\"")?;
        self.raw(name)?;
        self.raw("\":")
    }

    fn vector(&mut self, name: &str, v: impl IntoIterator<Item = f64>) -> io::Result<()> {
        self.key(name)?;
        self.list(v)
    }

    fn list(&mut self, v: impl IntoIterator<Item = f64>) -> io::Result<()> {
        self.raw("[")?;
        for (i, x) in v.into_iter().enumerate() {
            if i > 0 {
                self.raw(",")?;
            }
            self.number(x)?;
        }
        self.raw("]")
    }

    /// A matrix of `rows` × `columns` given entry by entry, as rows.
    fn matrix(
        &mut self,
        name: &str,
        rows: usize,
        columns: usize,
        entry: impl Fn(usize, usize) -> f64,
    ) -> io::Result<()> {
        self.key(name)?;
        self.raw("[")?;
        for i in 0..rows {
            if i > 0 {
                self.raw(",")?;
            }
            self.list((0..columns).map(|j| entry(i, j)))?;
        }
        self.raw("]")
    }

    fn strings(&mut self, name: &str, items: &[String]) -> io::Result<()> {
        self.raw(&format!(",\"{name}\":["))?;
        for (i, item) in items.iter().enumerate() {
            self.raw(if i > 0 { ",\"" } else { "\"" })?;
            self.raw(item)?;
            self.raw("\"")?;
        }
        self.raw("]")
    }

    fn flush(&mut self) -> io::Result<()> {
        self.to.write_all(&self.bytes)?;
        self.bytes.clear();
        self.to.flush()
    }
}

fn write<W: Write>(lesson: &Lesson, out: &mut Json<W>) -> io::Result<()> {
    let (hidden, output) = lesson.weights.split_at(lesson.weights.len() - 1);
    let output = &output[0];
    let k = hidden.len();
    let relu = |z: f64| z.max(0.0);
    let gate = |z: f64| if z > 0.0 { 1.0 } else { 0.0 };

    // The forward pass.
    let mut z = Vec::new();
    let mut h = vec![lesson.input.clone()];
    for w in hidden {
        let zl = w * h.last().expect("the input");
        h.push(zl.map(relu));
        z.push(zl);
    }
    let o = output * &h[k];
    let max = o.max();
    let exp = o.map(|v| (v - max).exp());
    let sum = exp.sum();
    let o_hat = &exp / sum;
    let loss = (max - o[lesson.label - 1]) + sum.ln();

    // The backward pass: the gradient at each layer's units, from the top.
    let mut dl_do = o_hat.clone();
    dl_do[lesson.label - 1] -= 1.0;
    let gates: Vec<DVector<f64>> = z.iter().map(|zl| zl.map(gate)).collect();
    let mut dl_dh = vec![DVector::zeros(0); k];
    let mut dl_dz = vec![DVector::zeros(0); k];
    dl_dh[k - 1] = output.tr_mul(&dl_do);
    for l in (0..k).rev() {
        dl_dz[l] = dl_dh[l].component_mul(&gates[l]);
        if l > 0 {
            dl_dh[l - 1] = hidden[l].tr_mul(&dl_dz[l]);
        }
    }

    out.raw("{\"title\":\"")?;
    out.raw(&lesson.title)?;
    out.raw("\",\"quantities\":{\"x\":")?;
    out.list(h[0].iter().copied())?;
    for l in 1..=k {
        out.vector(&format!("z{l}"), z[l - 1].iter().copied())?;
        out.vector(&format!("h{l}"), h[l].iter().copied())?;
    }
    out.vector("o", o.iter().copied())?;
    out.vector("o_hat", o_hat.iter().copied())?;
    out.key("loss")?;
    out.number(loss)?;
    out.vector("dL_do", dl_do.iter().copied())?;
    for l in (1..=k).rev() {
        out.vector(&format!("dL_dh{l}"), dl_dh[l - 1].iter().copied())?;
    }
    out.matrix("dL_dWo", dl_do.len(), h[k].len(), outer(&dl_do, &h[k]))?;
    for l in (1..=k).rev() {
        out.matrix(
            &format!("dL_dW{l}"),
            dl_dz[l - 1].len(),
            h[l - 1].len(),
            outer(&dl_dz[l - 1], &h[l - 1]),
        )?;
    }
    out.matrix(&format!("do_dh{k}"), output.nrows(), output.ncols(), |i, j| output[(i, j)])?;
    for l in (1..=k).rev() {
        let (w, g) = (&hidden[l - 1], &gates[l - 1]);
        let units = g.len();
        out.matrix(&format!("dh{l}_dz{l}"), units, units, |i, j| if i == j { g[i] } else { 0.0 })?;
        if l > 1 {
            out.matrix(&format!("dz{l}_dh{}", l - 1), w.nrows(), w.ncols(), |i, j| w[(i, j)])?;
            out.matrix(&format!("dh{l}_dh{}", l - 1), w.nrows(), w.ncols(), |i, j| g[i] * w[(i, j)])?;
        }
    }
    out.raw("},\"steps\":[")?;
    for (i, (id, asks, equations)) in steps(k).into_iter().enumerate() {
        out.raw(if i > 0 { ",{\"id\":\"" } else { "{\"id\":\"" })?;
        out.raw(&id)?;
        out.raw("\"")?;
        out.strings("asks", &[asks])?;
        out.strings("equations", &equations.iter().map(|e| format!("({e})")).collect::<Vec<_>>())?;
        out.raw("}")?;
    }
    out.raw("]}\n")
}

/// The entries of (at)(below)ᵀ, a weight gradient, without building it.
fn outer<'a>(at: &'a DVector<f64>, below: &'a DVector<f64>) -> impl Fn(usize, usize) -> f64 + 'a {
    move |i, j| at[i] * below[j]
}

/// The backward steps of a network of `k` hidden layers without biases: id, what is asked,
/// and the notes' equation numbers.
fn steps(k: usize) -> Vec<(String, String, Vec<u32>)> {
    let range = |from: u32, to: u32| (from..=to).collect::<Vec<_>>();
    let joined = |parts: &[Vec<u32>]| parts.concat();
    let layered = |base: &str, l: usize| if k == 2 { base.to_string() } else { format!("{base}.{l}") };
    let mut steps = vec![
        ("1".to_string(), "dL_do".to_string(), joined(&[range(8, 12), vec![54], range(59, 60)])),
        ("2A".to_string(), format!("dL_dh{k}"), joined(&[range(13, 19), vec![55], range(61, 65)])),
        ("2B".to_string(), "dL_dWo".to_string(), joined(&[range(20, 26), vec![56], range(66, 69)])),
    ];
    for l in (2..=k).rev() {
        steps.push((
            layered("3A", l),
            format!("dL_dh{}", l - 1),
            joined(&[range(28, 39), vec![57], range(70, 75)]),
        ));
        steps.push((
            layered("3B", l),
            format!("dL_dW{l}"),
            joined(&[range(40, 47), vec![58], range(76, 79)]),
        ));
    }
    steps.push(("4".to_string(), "dL_dW1".to_string(), range(48, 53)));
    steps
}
