//! How the rows of the screen are shared (DESIGN.md §6.5): each pane says the rows it needs at
//! least and the rows it would use; the least go first, in order of priority, then the rest,
//! so panes that do not serve the current step are the ones that shrink or fold.

/// What a pane asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Want {
    /// Rows it must have to be of use (a folded pane: its title row).
    pub least: u16,
    /// Rows it would use.
    pub most: u16,
}

/// Rows for each of `wants` out of `total`: first each its least, in the order of `priority`
/// (indices into `wants`), as far as rows last; then more, in the same order, up to its most.
/// Rows left over go to the pane `spare` names.
pub(super) fn allocate(total: u16, wants: &[Want], priority: &[usize], spare: usize) -> Vec<u16> {
    let mut rows = vec![0u16; wants.len()];
    let mut left = total;
    for &i in priority {
        let given = wants[i].least.min(wants[i].most).min(left);
        rows[i] = given;
        left -= given;
    }
    for &i in priority {
        let more = wants[i].most.saturating_sub(rows[i]).min(left);
        rows[i] += more;
        left -= more;
    }
    if let Some(pane) = rows.get_mut(spare) {
        *pane += left;
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_least_come_first_in_priority_then_the_rest() {
        let wants = [Want { least: 1, most: 8 }, Want { least: 10, most: 20 }, Want { least: 3, most: 3 }];
        // Plenty: everyone gets their most, the spare rows go to pane 1.
        assert_eq!(allocate(40, &wants, &[2, 1, 0], 1), [8, 29, 3]);
        // Short: pane 1's most comes before pane 0 grows beyond its least.
        assert_eq!(allocate(20, &wants, &[2, 1, 0], 1), [1, 16, 3]);
        // Very short: the least in priority order, the last one starved.
        assert_eq!(allocate(12, &wants, &[2, 1, 0], 1), [0, 9, 3]);
    }
}
