//! Deterministic wide lessons for the benchmarks: every weight and input a 4-decimal number in
//! (−1, 1), the same bytes on every machine and every run.

/// A lesson with the given layer sizes (input, hidden…, output), ReLU hidden layers, softmax
/// cross-entropy with label 1.
pub(crate) fn wide_lesson(sizes: &[usize]) -> String {
    let mut numbers = Lcg(sizes.iter().fold(0x5eed, |seed, &n| seed * 31 + n as u64));
    let mut text = format!("title = \"wide {}\"\n[network]\ninput = [", label(sizes));
    numbers.write_row(&mut text, sizes[0]);
    text.push_str("]\nlabel = 1\n");
    for pair in sizes.windows(2) {
        text.push_str("[[network.layers]]\nweights = [\n");
        for _ in 0..pair[1] {
            text.push('[');
            numbers.write_row(&mut text, pair[0]);
            text.push_str("],\n");
        }
        text.push_str("]\n");
    }
    text
}

/// "10-512-512-10".
pub(crate) fn label(sizes: &[usize]) -> String {
    sizes.iter().map(ToString::to_string).collect::<Vec<_>>().join("-")
}

/// Knuth's MMIX linear congruential generator; its high bits are plenty for benchmark data.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    /// `count` numbers `±0.dddd`, comma-separated.
    fn write_row(&mut self, text: &mut String, count: usize) {
        for i in 0..count {
            if i > 0 {
                text.push_str(", ");
            }
            let draw = self.next() % 19_999;
            let (sign, magnitude) = if draw < 9_999 { ("-", 9_999 - draw) } else { ("", draw - 9_999) };
            text.push_str(sign);
            text.push_str(&format!("0.{magnitude:04}"));
        }
    }
}
