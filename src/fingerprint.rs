//! A hash that never changes between platforms, Rust versions or releases of this tool:
//! 64-bit FNV-1a. It keys saved progress to a lesson's content and seeds random lessons.

const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const PRIME: u64 = 0x0000_0100_0000_01b3;

pub fn stable_hash(bytes: &[u8]) -> u64 {
    bytes.iter().fold(OFFSET, |hash, &byte| (hash ^ u64::from(byte)).wrapping_mul(PRIME))
}

/// Below this many bytes the hash costs less than starting a thread for it (tens of µs).
const ALONGSIDE_BYTES: usize = 1 << 20;

/// [`stable_hash`] of `bytes`, and what `work` returns: the hash on a thread of its own while
/// `work` runs, where `bytes` is large. FNV-1a takes one byte after another, each waiting for
/// the last (some 1.4 ns a byte: 10 ms for a 7 MB lesson), and cannot be split up, but it can
/// run beside the parsing of the same text.
pub fn stable_hash_alongside<T>(bytes: &[u8], work: impl FnOnce() -> T) -> (u64, T) {
    if bytes.len() < ALONGSIDE_BYTES {
        return (stable_hash(bytes), work());
    }
    std::thread::scope(|scope| match std::thread::Builder::new().spawn_scoped(scope, || stable_hash(bytes)) {
        Ok(hashing) => {
            let done = work();
            (hashing.join().unwrap_or_else(|_| stable_hash(bytes)), done)
        }
        // No thread to be had: one after the other.
        Err(_) => (stable_hash(bytes), work()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_the_published_fnv1a_vectors() {
        assert_eq!(stable_hash(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(stable_hash(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(stable_hash(b"foobar"), 0x8594_4171_f739_67e8);
    }

    #[test]
    fn the_hash_alongside_is_the_same_hash() {
        for bytes in [b"foobar".to_vec(), vec![7; ALONGSIDE_BYTES + 1]] {
            let (hash, done) = stable_hash_alongside(&bytes, || bytes.len());
            assert_eq!((hash, done), (stable_hash(&bytes), bytes.len()));
        }
    }
}
