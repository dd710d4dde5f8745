//! Step 4: crossing reduction (the left-to-right order inside each layer).
//!
//! Minimising crossings is NP-hard, so we use the classic heuristics:
//!
//! * **Initial order** from the input: the top layer in node order, then each
//!   layer by its leftmost parent and, among one parent's children, in edge
//!   order. A Choice's branches thus start out in rule order and ties later
//!   keep them so: the result is stable and predictable.
//! * **Barycenter sweeps**, alternately down (each layer sorted by the mean
//!   position of its neighbours above) and up (neighbours below). A node
//!   with no neighbour on the fixed side keeps its slot; ties keep the
//!   current order.
//! * **Transpose**: swap adjacent nodes while that removes crossings.
//!
//! The ordering with the fewest crossings seen is kept (the initial one
//! included), and we stop early after a few sweeps without improvement.

use crate::layered::Layered;

/// Maximum number of sweeps (each is one direction).
const MAX_SWEEPS: usize = 24;
/// Stop after this many sweeps without fewer crossings.
const PATIENCE: usize = 4;
/// Maximum passes of the transpose heuristic per sweep.
const TRANSPOSE_PASSES: usize = 8;

/// Fills `lg.layers` with a low-crossing ordering.
pub(crate) fn reduce_crossings(lg: &mut Layered) {
    let mut layers = initial_order(lg);
    let mut pos = positions(&layers, lg.len());
    let mut best = layers.clone();
    let mut best_crossings = count_crossings(lg, &layers, &pos);
    let mut stale = 0;
    for sweep in 0..MAX_SWEEPS {
        if best_crossings == 0 || stale >= PATIENCE {
            break;
        }
        if sweep % 2 == 0 {
            for layer in layers.iter_mut().skip(1) {
                sort_layer(layer, &lg.up, &mut pos);
            }
        } else {
            for layer in layers.iter_mut().rev().skip(1) {
                sort_layer(layer, &lg.down, &mut pos);
            }
        }
        transpose(lg, &mut layers, &mut pos);
        let c = count_crossings(lg, &layers, &pos);
        if c < best_crossings {
            best_crossings = c;
            best.clone_from(&layers);
            stale = 0;
        } else {
            stale += 1;
        }
    }
    lg.layers = best;
}

/// Position of every node within its layer.
fn positions(layers: &[Vec<usize>], n: usize) -> Vec<usize> {
    let mut pos = vec![0; n];
    for layer in layers {
        for (i, &v) in layer.iter().enumerate() {
            pos[v] = i;
        }
    }
    pos
}

/// Input-based starting order: top layer by node id; below, by (position of
/// the leftmost parent, index of the edge among that parent's out-edges).
fn initial_order(lg: &Layered) -> Vec<Vec<usize>> {
    let num_layers = lg.num_layers();
    let mut layers: Vec<Vec<usize>> = vec![Vec::new(); num_layers];
    // Ids ascending: real nodes in input order, then dummies in edge order.
    for v in 0..lg.len() {
        layers[lg.rank[v]].push(v);
    }
    let mut pos = vec![0usize; lg.len()];
    for (r, layer) in layers.iter_mut().enumerate() {
        if r > 0 {
            let key = |v: usize| {
                lg.up[v]
                    .iter()
                    .map(|&u| {
                        let slot = lg.down[u].iter().position(|&w| w == v).unwrap_or(0);
                        (pos[u], slot)
                    })
                    .min()
                    .unwrap_or((usize::MAX, 0))
            };
            crate::sort::sort_by_cached_key(layer, |&v| (key(v), v));
        }
        for (i, &v) in layer.iter().enumerate() {
            pos[v] = i;
        }
    }
    layers
}

/// Sorts one layer by the barycenter of each node's neighbours in `adj`
/// (which all lie on one adjacent, fixed layer). Nodes without such
/// neighbours keep their slots.
fn sort_layer(layer: &mut Vec<usize>, adj: &[Vec<usize>], pos: &mut [usize]) {
    let mut movable: Vec<(f64, usize, usize)> = Vec::with_capacity(layer.len());
    let mut fixed = vec![false; layer.len()];
    for (i, &v) in layer.iter().enumerate() {
        let ns = &adj[v];
        if ns.is_empty() {
            fixed[i] = true;
        } else {
            let sum: usize = ns.iter().map(|&u| pos[u]).sum();
            movable.push((sum as f64 / ns.len() as f64, i, v));
        }
    }
    // Stable on ties: the current slot breaks them.
    crate::sort::sort_by(&mut movable, |a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let mut next = movable.into_iter().map(|m| m.2);
    let old = std::mem::take(layer);
    for (i, v) in old.into_iter().enumerate() {
        let w = if fixed[i] {
            v
        } else {
            next.next().expect("one movable node per free slot")
        };
        pos[w] = i;
        layer.push(w);
    }
}

/// Swaps adjacent nodes while that strictly reduces crossings with both
/// neighbouring layers.
fn transpose(lg: &Layered, layers: &mut [Vec<usize>], pos: &mut [usize]) {
    for _ in 0..TRANSPOSE_PASSES {
        let mut improved = false;
        for layer in layers.iter_mut() {
            for j in 1..layer.len() {
                let (u, v) = (layer[j - 1], layer[j]);
                if pair_crossings(lg, pos, v, u) < pair_crossings(lg, pos, u, v) {
                    layer.swap(j - 1, j);
                    pos[u] = j;
                    pos[v] = j - 1;
                    improved = true;
                }
            }
        }
        if !improved {
            break;
        }
    }
}

/// Crossings among the edges of `left` and `right` (two nodes of one layer)
/// if `left` is placed before `right`.
fn pair_crossings(lg: &Layered, pos: &[usize], left: usize, right: usize) -> usize {
    let mut c = 0;
    for adj in [&lg.up, &lg.down] {
        for &a in &adj[left] {
            for &b in &adj[right] {
                if pos[a] > pos[b] {
                    c += 1;
                }
            }
        }
    }
    c
}

/// Total number of edge crossings between consecutive layers.
pub(crate) fn count_crossings(lg: &Layered, layers: &[Vec<usize>], pos: &[usize]) -> usize {
    layers
        .windows(2)
        .map(|w| crossings_between(&w[0], w[1].len(), &lg.down, pos))
        .sum()
}

/// Crossings between a layer and the one below it, in O(E log V): list the
/// edges sorted by (upper position, lower position) and count, for each
/// edge, the earlier edges whose lower end is strictly further right
/// (Barth, Jünger & Mutzel, with a Fenwick tree as the accumulator).
fn crossings_between(
    upper: &[usize],
    lower_len: usize,
    down: &[Vec<usize>],
    pos: &[usize],
) -> usize {
    let mut tree = vec![0usize; lower_len + 1];
    let mut seen = 0;
    let mut crossings = 0;
    let mut ends: Vec<usize> = Vec::new();
    for &u in upper {
        ends.clear();
        ends.extend(down[u].iter().map(|&w| pos[w]));
        crate::sort::sort_by(&mut ends, Ord::cmp);
        for &p in &ends {
            // Earlier edges ending at or left of p do not cross this one.
            let mut at_most = 0;
            let mut i = p + 1;
            while i > 0 {
                at_most += tree[i];
                i &= i - 1;
            }
            crossings += seen - at_most;
            let mut i = p + 1;
            while i <= lower_len {
                tree[i] += 1;
                i += i & i.wrapping_neg();
            }
            seen += 1;
        }
    }
    crossings
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layered::{build, DagEdge};

    fn graph(ranks: &[usize], edges: &[(usize, usize)]) -> Layered {
        let dag: Vec<DagEdge> = edges
            .iter()
            .enumerate()
            .map(|(i, &(top, bottom))| DagEdge {
                edge: i,
                top,
                bottom,
                reversed: false,
                label_rank: None,
            })
            .collect();
        build(ranks, &dag)
    }

    fn brute_force(lg: &Layered, layers: &[Vec<usize>], pos: &[usize]) -> usize {
        let mut segs = Vec::new();
        for layer in layers {
            for &u in layer {
                for &w in &lg.down[u] {
                    segs.push((lg.rank[u], pos[u], pos[w]));
                }
            }
        }
        let mut c = 0;
        for (i, a) in segs.iter().enumerate() {
            for b in &segs[i + 1..] {
                if a.0 == b.0 && ((a.1 < b.1 && a.2 > b.2) || (a.1 > b.1 && a.2 < b.2)) {
                    c += 1;
                }
            }
        }
        c
    }

    #[test]
    fn counts_crossings_like_brute_force() {
        // K(3,3) between two layers, plus a parallel edge.
        let ranks = [0, 0, 0, 1, 1, 1];
        let mut edges = Vec::new();
        for u in 0..3 {
            for w in 3..6 {
                edges.push((u, w));
            }
        }
        edges.push((0, 5));
        let lg = graph(&ranks, &edges);
        let layers = vec![vec![0, 1, 2], vec![3, 4, 5]];
        let pos = positions(&layers, lg.len());
        let c = count_crossings(&lg, &layers, &pos);
        assert_eq!(c, brute_force(&lg, &layers, &pos));
        assert_eq!(c, 9 + 4);
    }

    #[test]
    fn removes_an_avoidable_crossing() {
        // 0 -> 1, 0 -> 2, 1 -> 4, 2 -> 3: input order [3, 4] crosses.
        let lg0 = graph(&[0, 1, 1, 2, 2], &[(0, 1), (0, 2), (1, 4), (2, 3)]);
        let mut lg = lg0.clone();
        reduce_crossings(&mut lg);
        let pos = positions(&lg.layers, lg.len());
        assert_eq!(count_crossings(&lg, &lg.layers, &pos), 0);
        assert_eq!(lg.layers[2], vec![4, 3]);
    }

    #[test]
    fn children_keep_edge_order() {
        // Edges listed 0 -> 2 before 0 -> 1: the branches follow edge order.
        let mut lg = graph(&[0, 1, 1], &[(0, 2), (0, 1)]);
        reduce_crossings(&mut lg);
        assert_eq!(lg.layers[1], vec![2, 1]);
    }
}
