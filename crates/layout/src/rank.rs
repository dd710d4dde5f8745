//! Step 2: ranking (which layer each node goes on).
//!
//! 1. **Longest path from the sources**: a node goes one layer below its
//!    lowest predecessor. Every edge then points strictly downwards and the
//!    number of layers is minimal, but short branches hang right under their
//!    fork, leaving long edges below them.
//! 2. **Sinks to the bottom**: a node with in-edges but no out-edges (the
//!    "End" circle, where every terminal state leads) goes on the last
//!    layer, so End is always at the bottom even when a loop without exit
//!    reaches deeper than it.
//! 3. **Pull down**: walking bottom-up, a node with at least as many
//!    out-edges as in-edges moves down to just above its highest successor.
//!    Moving one layer down lengthens each in-edge by one and shortens each
//!    out-edge by one, so the total edge length does not grow; on a tie we
//!    still move, which puts a short Choice branch ("Close Case") beside the
//!    end of the long one ("Fail"), right above "End", as the console draws
//!    it. Sources (nodes with no in-edges: node 0, unreachable states,
//!    isolated nodes) are not pulled: they stay on the top layer.
//!
//! Finally the ranks are compacted so that no layer is empty.

/// Ranks for `n` nodes given acyclic edges `(top, bottom)`.
pub(crate) fn assign(n: usize, edges: &[(usize, usize)]) -> Vec<usize> {
    let mut out: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut inn: Vec<Vec<usize>> = vec![Vec::new(); n];
    for &(u, v) in edges {
        out[u].push(v);
        inn[v].push(u);
    }
    let topo = topological_order(n, &out, &inn);

    // 1. Longest path from the sources.
    let mut rank = vec![0usize; n];
    for &v in &topo {
        for &w in &out[v] {
            rank[w] = rank[w].max(rank[v] + 1);
        }
    }

    // 2. Sinks with in-edges go to the last layer.
    let last = rank.iter().copied().max().unwrap_or(0);
    for v in 0..n {
        if out[v].is_empty() && !inn[v].is_empty() {
            rank[v] = last;
        }
    }

    // 3. Pull down, successors first so that their final layer is known.
    for &v in topo.iter().rev() {
        if inn[v].is_empty() || out[v].is_empty() || out[v].len() < inn[v].len() {
            continue;
        }
        let highest_successor = out[v].iter().map(|&w| rank[w]).min().unwrap_or(0);
        // Every successor is strictly below v, so this never moves v up.
        rank[v] = rank[v].max(highest_successor - 1);
    }

    compact(&mut rank);
    rank
}

/// Kahn's algorithm, always taking the smallest ready node id so that the
/// order (and hence everything downstream) only depends on the input.
fn topological_order(n: usize, out: &[Vec<usize>], inn: &[Vec<usize>]) -> Vec<usize> {
    let mut indeg: Vec<usize> = inn.iter().map(Vec::len).collect();
    let mut ready: std::collections::BinaryHeap<std::cmp::Reverse<usize>> = (0..n)
        .filter(|&v| indeg[v] == 0)
        .map(std::cmp::Reverse)
        .collect();
    let mut order = Vec::with_capacity(n);
    while let Some(std::cmp::Reverse(v)) = ready.pop() {
        order.push(v);
        for &w in &out[v] {
            indeg[w] -= 1;
            if indeg[w] == 0 {
                ready.push(std::cmp::Reverse(w));
            }
        }
    }
    debug_assert_eq!(order.len(), n, "ranking needs an acyclic graph");
    order
}

/// Renumbers the used ranks 0, 1, 2, … keeping their order.
fn compact(rank: &mut [usize]) {
    let mut used: Vec<usize> = rank.to_vec();
    crate::sort::sort_by(&mut used, Ord::cmp);
    used.dedup();
    for r in rank.iter_mut() {
        *r = used.binary_search(r).unwrap_or(0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chain() {
        assert_eq!(assign(3, &[(0, 1), (1, 2)]), vec![0, 1, 2]);
    }

    #[test]
    fn tutorial_short_branch_is_pulled_down() {
        let edges = [
            (0, 1),
            (1, 2),
            (2, 3),
            (3, 4),
            (4, 5),
            (4, 6),
            (6, 7),
            (5, 8),
            (7, 8),
        ];
        assert_eq!(assign(9, &edges), vec![0, 1, 2, 3, 4, 6, 5, 6, 7]);
    }

    #[test]
    fn sources_stay_on_top_and_end_goes_to_the_bottom() {
        // 0 -> 1 -> 2 (a sink) and a deeper chain 0 -> 3 -> 4 -> 5 (another
        // sink); 6 is an unreachable source feeding 4; 7 is isolated.
        let edges = [(0, 1), (1, 2), (0, 3), (3, 4), (4, 5), (6, 4)];
        let r = assign(8, &edges);
        assert_eq!(r[0], 0);
        assert_eq!(r[6], 0, "an unreachable source stays on the top layer");
        assert_eq!(r[7], 0, "an isolated node stays on the top layer");
        let last = *r.iter().max().unwrap();
        assert_eq!(r[2], last, "a sink goes to the last layer");
        assert_eq!(r[5], last);
        // 1 has one in-edge and one out-edge: pulled down next to End.
        assert_eq!(r[1], last - 1);
    }

    #[test]
    fn join_is_not_pulled_down() {
        // Two in-edges, one out-edge: moving down would lengthen the graph.
        let edges = [
            (0, 1),
            (0, 2),
            (1, 3),
            (2, 3),
            (3, 4),
            (0, 5),
            (5, 6),
            (6, 7),
            (7, 4),
        ];
        let r = assign(8, &edges);
        assert_eq!(r[3], 2);
    }

    #[test]
    fn no_empty_layers() {
        let edges = [(0, 1), (0, 2), (2, 3), (3, 4), (1, 4)];
        let mut r = assign(5, &edges);
        r.sort_unstable();
        r.dedup();
        assert_eq!(r, (0..r.len()).collect::<Vec<_>>());
    }
}
