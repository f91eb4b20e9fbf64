//! The one pseudo-random generator of `new`: SplitMix64 (Steele, Lea and Flood, 2014, as in
//! Vigna's reference C code), written out here rather than taken from a crate, so a seed gives
//! the same lesson on every platform and in every version of the tool. Never change the
//! arithmetic: `tests/new.rs` pins its output with a golden lesson.

pub(crate) struct SplitMix64 {
    state: u64,
}

impl SplitMix64 {
    pub(crate) fn new(seed: u64) -> Self {
        SplitMix64 { state: seed }
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (n ≥ 1): the high half of the 128-bit product of a draw and `n`
    /// (Lemire's multiply-shift). No rejection loop, so every call takes exactly one draw; the
    /// bias, below n / 2⁶⁴, is far beneath anything a lesson could show.
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// A non-zero whole number of tenths in `−max..=max`, each value equally likely: one decimal
    /// place, never 0, so numbers work out by hand and no weight silently drops out.
    pub(crate) fn tenths(&mut self, max: u32) -> i64 {
        let draw = self.below(2 * u64::from(max)) as i64;
        let magnitude = draw / 2 + 1;
        if draw % 2 == 0 { magnitude } else { -magnitude }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_the_reference_splitmix64_sequence() {
        // The first outputs of Vigna's splitmix64.c seeded with 1234567.
        let mut rng = SplitMix64::new(1_234_567);
        let got: Vec<u64> = (0..5).map(|_| rng.next_u64()).collect();
        assert_eq!(
            got,
            [
                6_457_827_717_110_365_317,
                3_203_168_211_198_807_973,
                9_817_491_932_198_370_423,
                4_593_380_528_125_082_431,
                16_408_922_859_458_223_821,
            ]
        );
    }

    #[test]
    fn tenths_are_non_zero_and_within_range() {
        let mut rng = SplitMix64::new(7);
        let draws: Vec<i64> = (0..2000).map(|_| rng.tenths(3)).collect();
        assert!(draws.iter().all(|&t| t != 0 && (-3..=3).contains(&t)));
        for value in [-3, -2, -1, 1, 2, 3] {
            assert!(draws.contains(&value), "{value} never drawn");
        }
    }
}
