//! Step 5: coordinates.
//!
//! **y** is simple: each layer is a horizontal band as tall as its tallest
//! box, boxes are centred vertically in their band, and bands are
//! `rank_sep` apart. Edges only leave a box's column in the gaps between
//! bands, which is what lets routing avoid boxes.
//!
//! **x** uses Brandes & Köpf, "Fast and Simple Horizontal Coordinate
//! Assignment" (2001), the algorithm dagre uses:
//!
//! 1. *Vertical alignment*: each node tries to line up with the median of
//!    its neighbours on the previous layer, without crossing an alignment
//!    already made. Aligned nodes form *blocks* that will share one x, which
//!    is what makes chains perfectly vertical and long edges straight.
//!    Alignments that would cross an *inner segment* (dummy to dummy, i.e.
//!    the middle of a long edge) are forbidden, so long edges stay straight
//!    in preference to short ones ("type 1 conflicts"). Likewise a back
//!    edge never pulls a box out of line with its forward neighbours.
//! 2. *Horizontal compaction*: blocks are packed as tightly as the minimum
//!    separation allows (longest path in the "block graph" of left-right
//!    neighbours), then pushed back towards their right neighbours.
//! 3. This is done four times (aligning with the layer above or below,
//!    sweeping from the left or from the right); the four results are
//!    lined up on the narrowest one and each node takes the average of its
//!    two median candidates. The balancing centres a Choice over its
//!    branches and a join under its parents, as in the console.
//!
//! Each of the four placements keeps every pair of same-layer neighbours at
//! least their separation apart, and so do order statistics of them (if
//! `a_i >= b_i + s` for all `i`, the k-th smallest `a` is at least the k-th
//! smallest `b` plus `s`), so the balanced result does too. A final pass
//! re-checks it anyway, as a safety net against rounding.

use std::collections::HashSet;

use crate::layered::Layered;
use crate::Options;

/// Where everything goes, before the final translation by the margin.
#[derive(Debug, Clone)]
pub(crate) struct Geometry {
    /// Centre x of every layered node (real and dummy).
    pub x: Vec<f64>,
    /// Top of each layer's band.
    pub band_top: Vec<f64>,
    /// Bottom of each layer's band.
    pub band_bottom: Vec<f64>,
}

impl Geometry {
    /// The y every box of layer `r` is centred on.
    pub fn center_y(&self, r: usize) -> f64 {
        (self.band_top[r] + self.band_bottom[r]) / 2.0
    }
}

/// Minimum distances between horizontally adjacent nodes.
struct Separation<'a> {
    lg: &'a Layered,
    /// Extent of each node left of its centre x.
    left_ext: &'a [f64],
    /// Extent right of its centre x (self-loops make it larger than left).
    right_ext: &'a [f64],
    node_sep: f64,
}

impl Separation<'_> {
    /// Minimum distance between the centres of `l` and `r` when `l` is
    /// immediately left of `r`. Boxes keep `node_sep` apart; an edge passing
    /// through (a dummy) keeps half of it from boxes and other edges, which
    /// still keeps parallel long edges visibly apart.
    fn between(&self, l: usize, r: usize) -> f64 {
        let gap = if self.lg.is_dummy(l) || self.lg.is_dummy(r) {
            self.node_sep / 2.0
        } else {
            self.node_sep
        };
        self.right_ext[l] + self.left_ext[r] + gap
    }
}

/// Computes x for every layered node and the layer bands. `left_ext`,
/// `right_ext` and `heights` cover all layered nodes (0 for dummies, except
/// the dummies that stand for edge labels).
///
/// A layer holding only dummies exists because of labels (without labels
/// every layer has a real node); it is a thin band, `rank_sep / 2` from its
/// neighbours, as in dagre, so that a label costs little height.
pub(crate) fn assign(
    lg: &Layered,
    left_ext: &[f64],
    right_ext: &[f64],
    heights: &[f64],
    opts: &Options,
) -> Geometry {
    let sep = Separation {
        lg,
        left_ext,
        right_ext,
        node_sep: opts.node_sep,
    };
    let x = horizontal(lg, &sep);

    let mut band_top = Vec::with_capacity(lg.num_layers());
    let mut band_bottom = Vec::with_capacity(lg.num_layers());
    let label_only: Vec<bool> = lg
        .layers
        .iter()
        .map(|layer| layer.iter().all(|&v| lg.is_dummy(v)))
        .collect();
    let mut y = 0.0;
    for (r, layer) in lg.layers.iter().enumerate() {
        if r > 0 {
            y += if label_only[r - 1] || label_only[r] {
                opts.rank_sep / 2.0
            } else {
                opts.rank_sep
            };
        }
        let h = layer.iter().map(|&v| heights[v]).fold(0.0, f64::max);
        band_top.push(y);
        band_bottom.push(y + h);
        y += h;
    }
    Geometry {
        x,
        band_top,
        band_bottom,
    }
}

/// Brandes–Köpf with balancing.
fn horizontal(lg: &Layered, sep: &Separation) -> Vec<f64> {
    let n = lg.len();
    if n == 0 {
        return Vec::new();
    }
    let mut conflicts = type1_conflicts(lg);
    back_edge_conflicts(lg, &mut conflicts);

    let mut candidates: Vec<(Vec<f64>, bool)> = Vec::with_capacity(4);
    for downward in [false, true] {
        // "Up" alignments look at the layer above and sweep top-down; "down"
        // ones look below and sweep bottom-up.
        let mut layering = lg.layers.clone();
        if downward {
            layering.reverse();
        }
        let neighbours = if downward { &lg.down } else { &lg.up };
        for from_right in [false, true] {
            let lay: Vec<Vec<usize>> = if from_right {
                layering
                    .iter()
                    .map(|l| l.iter().rev().copied().collect())
                    .collect()
            } else {
                layering.clone()
            };
            let root = vertical_alignment(n, &lay, neighbours, &conflicts);
            let Some(mut xs) = horizontal_compaction(n, &lay, &root, sep, from_right) else {
                // Cannot happen for a valid alignment; fall back to packing.
                return pack(lg, sep);
            };
            if from_right {
                // Compaction ran on mirrored layers.
                for x in &mut xs {
                    *x = -*x;
                }
            }
            candidates.push((xs, from_right));
        }
    }

    // Line the four placements up on the narrowest: left-swept ones by
    // their minimum, right-swept ones by their maximum.
    let width = |xs: &[f64]| {
        let lo = (0..n)
            .map(|v| xs[v] - sep.left_ext[v])
            .fold(f64::INFINITY, f64::min);
        let hi = (0..n)
            .map(|v| xs[v] + sep.right_ext[v])
            .fold(f64::NEG_INFINITY, f64::max);
        hi - lo
    };
    let narrowest = (0..candidates.len())
        .min_by(|&a, &b| width(&candidates[a].0).total_cmp(&width(&candidates[b].0)))
        .unwrap_or(0);
    let min_of = |xs: &[f64]| xs.iter().copied().fold(f64::INFINITY, f64::min);
    let max_of = |xs: &[f64]| xs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let (to_min, to_max) = (
        min_of(&candidates[narrowest].0),
        max_of(&candidates[narrowest].0),
    );
    for (xs, from_right) in &mut candidates {
        let delta = if *from_right {
            to_max - max_of(xs)
        } else {
            to_min - min_of(xs)
        };
        for x in xs.iter_mut() {
            *x += delta;
        }
    }

    // Balance: the mean of the two median candidates.
    let mut x: Vec<f64> = (0..n)
        .map(|v| {
            let mut c = [
                candidates[0].0[v],
                candidates[1].0[v],
                candidates[2].0[v],
                candidates[3].0[v],
            ];
            crate::sort::sort_by(&mut c, f64::total_cmp);
            (c[1] + c[2]) / 2.0
        })
        .collect();
    enforce_separation(lg, sep, &mut x);
    x
}

fn conflict_key(a: usize, b: usize) -> (usize, usize) {
    (a.min(b), a.max(b))
}

/// Type 1 conflicts: a non-inner segment crossing an inner one (dummy to
/// dummy) between the same two layers. The non-inner segment must not be
/// used for alignment, so that long edges get the straight lines.
fn type1_conflicts(lg: &Layered) -> HashSet<(usize, usize)> {
    let mut pos = vec![0usize; lg.len()];
    for layer in &lg.layers {
        for (i, &v) in layer.iter().enumerate() {
            pos[v] = i;
        }
    }
    let mut conflicts = HashSet::new();
    for r in 1..lg.num_layers() {
        let prev_len = lg.layers[r - 1].len();
        let layer = &lg.layers[r];
        // [k0, k1] is the range of upper positions between the current and
        // the previous inner segment; segments reaching outside it cross one.
        let mut k0 = 0;
        let mut scan = 0;
        for (i, &v) in layer.iter().enumerate() {
            let inner_upper = if lg.is_dummy(v) {
                lg.up[v].iter().copied().find(|&u| lg.is_dummy(u))
            } else {
                None
            };
            if inner_upper.is_none() && i + 1 != layer.len() {
                continue;
            }
            let k1 = inner_upper.map_or(prev_len, |u| pos[u]);
            for &s in &layer[scan..=i] {
                for &u in &lg.up[s] {
                    let p = pos[u];
                    if (p < k0 || k1 < p) && !(lg.is_dummy(u) && lg.is_dummy(s)) {
                        conflicts.insert(conflict_key(u, s));
                    }
                }
            }
            scan = i + 1;
            k0 = k1;
        }
    }
    conflicts
}

/// Back edges yield to the forward flow: where a back edge (a loop drawn
/// going up, e.g. a polling `Wait -> Check -> Choice -> Wait`) leaves or
/// enters a box that also has a real neighbour on that side, its first
/// dummy must not align with the box. Otherwise the balancing would centre
/// the box between the loop and the next state, and the main chain would
/// zigzag; this way the chain stays straight and the loop runs beside it.
fn back_edge_conflicts(lg: &Layered, conflicts: &mut HashSet<(usize, usize)>) {
    for c in lg.chains.iter().filter(|c| c.reversed && c.nodes.len() > 2) {
        let k = c.nodes.len();
        for (real, dummy, side) in [
            (c.nodes[0], c.nodes[1], &lg.down),
            (c.nodes[k - 1], c.nodes[k - 2], &lg.up),
        ] {
            if side[real].iter().any(|&w| !lg.is_dummy(w)) {
                conflicts.insert(conflict_key(real, dummy));
            }
        }
    }
}

/// Aligns each node with a median neighbour in `neighbours` (all on the
/// previous layer of `lay`), never crossing an earlier alignment. Returns
/// the root (top-most node in sweep order) of each node's block.
fn vertical_alignment(
    n: usize,
    lay: &[Vec<usize>],
    neighbours: &[Vec<usize>],
    conflicts: &HashSet<(usize, usize)>,
) -> Vec<usize> {
    let mut root: Vec<usize> = (0..n).collect();
    let mut aligned = vec![false; n];
    let mut pos = vec![0usize; n];
    for layer in lay {
        for (i, &v) in layer.iter().enumerate() {
            pos[v] = i;
        }
    }
    let mut ws: Vec<usize> = Vec::new();
    for layer in lay {
        // Position (in the previous layer) of the last alignment made in
        // this layer; later ones must lie strictly to its right, so
        // alignments never cross and each upper node gets at most one.
        let mut last: Option<usize> = None;
        for &v in layer {
            ws.clear();
            ws.extend_from_slice(&neighbours[v]);
            crate::sort::sort_by(&mut ws, |&a, &b| pos[a].cmp(&pos[b]));
            ws.dedup();
            if ws.is_empty() {
                continue;
            }
            let (lo, hi) = ((ws.len() - 1) / 2, ws.len() / 2);
            for &w in &ws[lo..=hi] {
                if !aligned[v]
                    && last.is_none_or(|p| p < pos[w])
                    && !conflicts.contains(&conflict_key(v, w))
                {
                    aligned[v] = true;
                    root[v] = root[w];
                    last = Some(pos[w]);
                }
            }
        }
    }
    root
}

/// Places the blocks: a longest path from the left in the block graph (an
/// edge from each block to the next block on its right in some layer,
/// weighted by their separation), then each block moved right as far as its
/// right neighbours allow. `mirrored` means `lay` lists layers right to
/// left, so the separation is taken with the sides swapped.
fn horizontal_compaction(
    n: usize,
    lay: &[Vec<usize>],
    root: &[usize],
    sep: &Separation,
    mirrored: bool,
) -> Option<Vec<f64>> {
    let mut out: Vec<Vec<(usize, f64)>> = vec![Vec::new(); n];
    let mut inn: Vec<Vec<(usize, f64)>> = vec![Vec::new(); n];
    for layer in lay {
        for pair in layer.windows(2) {
            let (u, v) = (pair[0], pair[1]);
            let w = if mirrored {
                sep.between(v, u)
            } else {
                sep.between(u, v)
            };
            out[root[u]].push((root[v], w));
            inn[root[v]].push((root[u], w));
        }
    }
    let roots: Vec<usize> = (0..n).filter(|&v| root[v] == v).collect();
    let mut indeg: Vec<usize> = inn.iter().map(Vec::len).collect();
    let mut stack: Vec<usize> = roots
        .iter()
        .rev()
        .copied()
        .filter(|&b| indeg[b] == 0)
        .collect();
    let mut topo = Vec::with_capacity(roots.len());
    while let Some(b) = stack.pop() {
        topo.push(b);
        for &(c, _) in &out[b] {
            indeg[c] -= 1;
            if indeg[c] == 0 {
                stack.push(c);
            }
        }
    }
    if topo.len() != roots.len() {
        return None;
    }
    let mut xs = vec![0.0; n];
    for &b in &topo {
        xs[b] = inn[b].iter().map(|&(a, w)| xs[a] + w).fold(0.0, f64::max);
    }
    for &b in topo.iter().rev() {
        let limit = out[b]
            .iter()
            .map(|&(c, w)| xs[c] - w)
            .fold(f64::INFINITY, f64::min);
        if limit.is_finite() {
            xs[b] = xs[b].max(limit);
        }
    }
    Some((0..n).map(|v| xs[root[v]]).collect())
}

/// Pushes nodes right wherever a layer's neighbours are closer than their
/// separation (a no-op for Brandes–Köpf output, bar rounding).
fn enforce_separation(lg: &Layered, sep: &Separation, x: &mut [f64]) {
    for layer in &lg.layers {
        for pair in layer.windows(2) {
            let min = x[pair[0]] + sep.between(pair[0], pair[1]);
            if x[pair[1]] < min {
                x[pair[1]] = min;
            }
        }
    }
}

/// Fallback placement: every layer packed from x = 0.
fn pack(lg: &Layered, sep: &Separation) -> Vec<f64> {
    let mut x = vec![0.0; lg.len()];
    enforce_separation(lg, sep, &mut x);
    x
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layered::{build, DagEdge};

    fn placed(ranks: &[usize], edges: &[(usize, usize)], layers: Vec<Vec<usize>>) -> Vec<f64> {
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
        let mut lg = build(ranks, &dag);
        lg.layers = layers;
        let ext = vec![50.0; lg.len()];
        let mut left = ext.clone();
        let mut right = ext;
        for v in lg.n_real..lg.len() {
            left[v] = 0.0;
            right[v] = 0.0;
        }
        let sep = Separation {
            lg: &lg,
            left_ext: &left,
            right_ext: &right,
            node_sep: 40.0,
        };
        horizontal(&lg, &sep)
    }

    #[test]
    fn diamond_is_symmetric() {
        // 0 -> {1, 2} -> 3
        let x = placed(
            &[0, 1, 1, 2],
            &[(0, 1), (0, 2), (1, 3), (2, 3)],
            vec![vec![0], vec![1, 2], vec![3]],
        );
        assert_eq!(x[0], x[3]);
        assert_eq!(x[0] - x[1], x[2] - x[0]);
        assert_eq!(x[2] - x[1], 140.0);
    }

    #[test]
    fn three_children_centre_over_the_middle_one() {
        let x = placed(
            &[0, 1, 1, 1],
            &[(0, 1), (0, 2), (0, 3)],
            vec![vec![0], vec![1, 2, 3]],
        );
        assert_eq!(x[0], x[2]);
    }

    #[test]
    fn long_edge_is_straight() {
        // 0 -> 1 -> 2 -> 3 and 0 -> 3 (dummies 4, 5 on layers 1 and 2).
        let x = placed(
            &[0, 1, 2, 3],
            &[(0, 1), (1, 2), (2, 3), (0, 3)],
            vec![vec![0], vec![1, 4], vec![2, 5], vec![3]],
        );
        assert_eq!(x[4], x[5]);
        assert_eq!(x[1], x[2]);
        assert!(x[4] - x[1] >= 70.0);
    }
}
