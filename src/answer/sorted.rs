//! A map kept as one vector sorted by key, for the few answers of one file: built once, looked
//! up a few times, dropped. A `BTreeMap` of answers puts its first eleven in one node of over
//! a kilobyte, beyond the allocator's per-thread cache, and that allocation and its free cost
//! more than grading a right answer.

/// Keys are unique and in order.
#[derive(Debug, Clone)]
pub(super) struct SortedMap<K, V> {
    pairs: Vec<(K, V)>,
}

impl<K: Ord, V> Default for SortedMap<K, V> {
    fn default() -> Self {
        SortedMap { pairs: Vec::new() }
    }
}

impl<K: Ord, V> SortedMap<K, V> {
    /// The map of `pairs` in any order; of a key given twice, the last one is kept (as when
    /// inserting them one by one).
    pub(super) fn from_pairs(mut pairs: Vec<(K, V)>) -> Self {
        // Stable, so that equal keys stay in the order given; the last of each run is kept.
        pairs.sort_by(|a, b| a.0.cmp(&b.0));
        // `dedup_by` drops the later of two equal keys: its value moves into the earlier first.
        pairs.dedup_by(|later, earlier| {
            let same = later.0 == earlier.0;
            if same {
                std::mem::swap(later, earlier);
            }
            same
        });
        SortedMap { pairs }
    }

    fn position(&self, key: &K) -> Result<usize, usize> {
        self.pairs.binary_search_by(|(k, _)| k.cmp(key))
    }

    pub(super) fn get(&self, key: &K) -> Option<&V> {
        self.get_key_value(key).map(|(_, v)| v)
    }

    pub(super) fn get_key_value(&self, key: &K) -> Option<(&K, &V)> {
        let (k, v) = &self.pairs[self.position(key).ok()?];
        Some((k, v))
    }

    pub(super) fn contains_key(&self, key: &K) -> bool {
        self.position(key).is_ok()
    }

    /// Inserts every pair, a later one replacing an earlier one of the same key: one sort, not
    /// a shift per pair.
    pub(super) fn extend(&mut self, mut pairs: Vec<(K, V)>) {
        let mut all = std::mem::take(&mut self.pairs);
        if all.is_empty() {
            all = pairs;
        } else {
            all.append(&mut pairs);
        }
        *self = SortedMap::from_pairs(all);
    }

    /// Removes every key `remove` picks, with its value, and returns them in key order.
    pub(super) fn take_where(&mut self, mut remove: impl FnMut(&K, &V) -> bool) -> Vec<(K, V)> {
        let (taken, kept) = std::mem::take(&mut self.pairs).into_iter().partition(|(k, v)| remove(k, v));
        self.pairs = kept;
        taken
    }

    pub(super) fn iter(&self) -> impl Iterator<Item = (&K, &V)> {
        self.pairs.iter().map(|(k, v)| (k, v))
    }

    pub(super) fn keys(&self) -> impl Iterator<Item = &K> {
        self.pairs.iter().map(|(k, _)| k)
    }

    /// The pairs from the first key at or after `from`, in order.
    pub(super) fn starting_at<'m>(
        &'m self,
        from: &K,
    ) -> impl Iterator<Item = (&'m K, &'m V)> + use<'m, K, V> {
        let start = self.pairs.partition_point(|(k, _)| k < from);
        self.pairs[start..].iter().map(|(k, v)| (k, v))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::BTreeMap;

    proptest! {
        /// Every way of filling and searching the map agrees with a BTreeMap given the same.
        #[test]
        fn agrees_with_a_btree_map(
            first in proptest::collection::vec((0u8..40, any::<u16>()), 0..60),
            extended in proptest::collection::vec((0u8..40, any::<u16>()), 0..20),
            dropped in 0u8..40,
            probe in 0u8..41,
        ) {
            let mut sorted = SortedMap::from_pairs(first.clone());
            let mut btree: BTreeMap<u8, u16> = first.into_iter().collect();
            sorted.extend(extended.clone());
            btree.extend(extended);
            let taken = sorted.take_where(|k, _| *k % 7 == dropped % 7);
            let mut btree_taken = vec![];
            btree.retain(|k, v| {
                let take = *k % 7 == dropped % 7;
                if take { btree_taken.push((*k, *v)); }
                !take
            });
            prop_assert_eq!(taken, btree_taken);
            prop_assert_eq!(sorted.iter().collect::<Vec<_>>(), btree.iter().collect::<Vec<_>>());
            prop_assert_eq!(sorted.keys().collect::<Vec<_>>(), btree.keys().collect::<Vec<_>>());
            prop_assert_eq!(sorted.get(&probe), btree.get(&probe));
            prop_assert_eq!(sorted.get_key_value(&probe), btree.get_key_value(&probe));
            prop_assert_eq!(sorted.contains_key(&probe), btree.contains_key(&probe));
            prop_assert_eq!(
                sorted.starting_at(&probe).collect::<Vec<_>>(),
                btree.range(probe..).collect::<Vec<_>>()
            );
        }
    }
}
