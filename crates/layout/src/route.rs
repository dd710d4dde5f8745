//! Step 6: edge routing.
//!
//! Every edge is a chain `top, dummies…, bottom` in the layered graph. Its
//! polyline is built top-down and reversed for back edges, so that it always
//! runs from the original `from` to the original `to`:
//!
//! * it leaves the top node from a *port* on its bottom side and goes
//!   straight down to the bottom of that layer's band (boxes are centred in
//!   bands as tall as the tallest box, so a short box has a stub);
//! * it crosses each intermediate layer vertically at its dummy's x, which
//!   the placement kept at least `node_sep / 2` from every box;
//! * it enters the bottom node from a port on its top side, vertically from
//!   the top of that node's band.
//!
//! The only slanted segments thus lie in the empty gaps between bands, so
//! no edge ever passes through a box, back edges included.
//!
//! **Ports**: a single edge on a side attaches at the centre, which keeps
//! chains perfectly straight. Several edges on one side are spread a few
//! units apart, sorted by where they go, so they do not cross at the box;
//! one going straight down keeps the centre.
//! **Parallel edges** between the same two adjacent layers (two Choice rules
//! to the same state, or a retry loop's forward and back edges) also bow
//! apart in the gap so they read as separate arrows.
//!
//! **Self-loops** are a small loop on the right side of the box; placement
//! reserved room for them.

use crate::layered::Layered;
use crate::position::Geometry;
use crate::{Options, Point};

/// Distance between neighbouring ports on one side of a box (less on a
/// narrow box: ports stay within the middle half of the side).
const PORT_STEP: f64 = 10.0;

/// Shape of self-loops.
pub(crate) struct LoopStyle {
    /// How far the first loop sticks out to the right of the box.
    base: f64,
    /// How much further each additional loop on the same box sticks out.
    step: f64,
}

impl LoopStyle {
    pub fn new() -> Self {
        LoopStyle {
            base: 16.0,
            step: 10.0,
        }
    }

    /// Room needed on the right of a box with `count` self-loops.
    pub fn reserve(&self, count: usize) -> f64 {
        if count == 0 {
            0.0
        } else {
            self.extent(count - 1)
        }
    }

    fn extent(&self, i: usize) -> f64 {
        self.base + self.step * i as f64
    }
}

/// Polylines for all non-self-loop edges (`n_edges` slots; self-loops and
/// invalid edges are left empty).
pub(crate) fn route(
    lg: &Layered,
    geo: &Geometry,
    sizes: &[(f64, f64)],
    n_edges: usize,
    opts: &Options,
) -> Vec<Vec<Point>> {
    let n = lg.n_real;
    let chains = &lg.chains;

    // Ports: collect the edges on each node's bottom and top sides, with the
    // x of the layered node at their other end, and spread them.
    let mut bottom: Vec<Vec<Attachment>> = vec![Vec::new(); n];
    let mut top: Vec<Vec<Attachment>> = vec![Vec::new(); n];
    for (ci, c) in chains.iter().enumerate() {
        let k = c.nodes.len();
        bottom[c.nodes[0]].push(Attachment {
            toward: geo.x[c.nodes[1]],
            edge: c.edge,
            chain: ci,
        });
        top[c.nodes[k - 1]].push(Attachment {
            toward: geo.x[c.nodes[k - 2]],
            edge: c.edge,
            chain: ci,
        });
    }
    let mut src_x = vec![0.0; chains.len()];
    let mut dst_x = vec![0.0; chains.len()];
    for v in 0..n {
        spread_ports(&mut bottom[v], geo.x[v], sizes[v].0, &mut src_x);
        spread_ports(&mut top[v], geo.x[v], sizes[v].0, &mut dst_x);
    }

    // Parallel edges: chains of one segment sharing both ends. They are in
    // edge order, like the port tie-break, so bows and ports agree.
    // Grouped by sorting (both ends, then edge order: the sort is stable), not in a BTreeMap:
    // the page's .wasm then carries no B-tree code.
    let mut ends: Vec<((usize, usize), usize)> = chains
        .iter()
        .enumerate()
        .filter(|(_, c)| c.nodes.len() == 2)
        .map(|(ci, c)| ((c.nodes[0], c.nodes[1]), ci))
        .collect();
    crate::sort::sort_by(&mut ends, |a, b| a.0.cmp(&b.0));
    let groups: Vec<Vec<usize>> = ends
        .chunk_by(|a, b| a.0 == b.0)
        .map(|group| group.iter().map(|&(_, ci)| ci).collect())
        .collect();
    let bow_step = (opts.node_sep / 2.0).max(PORT_STEP);
    let mut bow: Vec<Option<f64>> = vec![None; chains.len()];
    for members in groups.iter().filter(|m| m.len() > 1) {
        let mid = (members.len() - 1) as f64 / 2.0;
        for (i, &ci) in members.iter().enumerate() {
            bow[ci] = Some((i as f64 - mid) * bow_step);
        }
    }

    let mut edges = vec![Vec::new(); n_edges];
    for (ci, c) in chains.iter().enumerate() {
        let (t, b) = (c.nodes[0], c.nodes[c.nodes.len() - 1]);
        let (rt, rb) = (lg.rank[t], lg.rank[b]);
        let mut pts = Vec::with_capacity(2 * c.nodes.len() + 1);
        pts.push(Point::new(src_x[ci], geo.center_y(rt) + sizes[t].1 / 2.0));
        pts.push(Point::new(src_x[ci], geo.band_bottom[rt]));
        if let Some(offset) = bow[ci] {
            pts.push(Point::new(
                (src_x[ci] + dst_x[ci]) / 2.0 + offset,
                (geo.band_bottom[rt] + geo.band_top[rb]) / 2.0,
            ));
        }
        for &d in &c.nodes[1..c.nodes.len() - 1] {
            let r = lg.rank[d];
            pts.push(Point::new(geo.x[d], geo.band_top[r]));
            pts.push(Point::new(geo.x[d], geo.band_bottom[r]));
        }
        pts.push(Point::new(dst_x[ci], geo.band_top[rb]));
        pts.push(Point::new(dst_x[ci], geo.center_y(rb) - sizes[b].1 / 2.0));
        simplify(&mut pts);
        if c.reversed {
            pts.reverse();
        }
        edges[c.edge] = pts;
    }
    edges
}

/// One edge on one side of a box.
#[derive(Debug, Clone, Copy)]
struct Attachment {
    /// x of the next layered node along the edge.
    toward: f64,
    /// Index in `Graph::edges` (tie-break).
    edge: usize,
    chain: usize,
}

/// Spreads the attachments of one side around the centre `cx`, ordered by
/// where the edges go so that they do not cross at the box. An edge going
/// straight up or down keeps the centre (so a chain stays perfectly
/// vertical even when a loop or a catch also leaves the box); otherwise the
/// ports are centred as a group.
fn spread_ports(att: &mut [Attachment], cx: f64, width: f64, port_x: &mut [f64]) {
    crate::sort::sort_by(att, |a, b| {
        a.toward.total_cmp(&b.toward).then(a.edge.cmp(&b.edge))
    });
    let k = att.len();
    let step = if k > 1 {
        PORT_STEP.min(width / 2.0 / (k - 1) as f64)
    } else {
        0.0
    };
    let straight = att.iter().position(|a| (a.toward - cx).abs() < 1e-9);
    let anchor = match straight {
        // Only when that edge is the only one on the vertical: parallel
        // straight edges are spread evenly instead.
        Some(j) if att.iter().filter(|a| (a.toward - cx).abs() < 1e-9).count() == 1 => j as f64,
        _ => k.saturating_sub(1) as f64 / 2.0,
    };
    for (i, a) in att.iter().enumerate() {
        port_x[a.chain] = cx + (i as f64 - anchor) * step;
    }
}

/// Draws self-loops: out of the right side near the top, around, and back
/// in near the bottom. Several loops on one box nest.
pub(crate) fn self_loops(
    edges: &mut [Vec<Point>],
    loops: &[(usize, usize)],
    lg: &Layered,
    geo: &Geometry,
    sizes: &[(f64, f64)],
    style: &LoopStyle,
) {
    let mut count = vec![0usize; lg.n_real];
    for &(e, v) in loops {
        let i = count[v];
        count[v] += 1;
        let (w, h) = sizes[v];
        let right = geo.x[v] + w / 2.0;
        let cy = geo.center_y(lg.rank[v]);
        let dy = (h / 4.0 + 3.0 * i as f64).min(h / 2.0);
        let out = right + style.extent(i);
        edges[e] = vec![
            Point::new(right, cy - dy),
            Point::new(out, cy - dy),
            Point::new(out, cy + dy),
            Point::new(right, cy + dy),
        ];
    }
}

/// Removes repeated points and points in the middle of a straight run (a
/// chain becomes a single segment), keeping at least two points.
fn simplify(pts: &mut Vec<Point>) {
    const EPS: f64 = 1e-9;
    let mut out: Vec<Point> = Vec::with_capacity(pts.len());
    for &p in pts.iter() {
        if let Some(last) = out.last() {
            if (last.x - p.x).abs() < EPS && (last.y - p.y).abs() < EPS {
                continue;
            }
        }
        while out.len() >= 2 {
            let a = out[out.len() - 2];
            let b = out[out.len() - 1];
            let (abx, aby) = (b.x - a.x, b.y - a.y);
            let (bpx, bpy) = (p.x - b.x, p.y - b.y);
            let cross = abx * bpy - aby * bpx;
            let dot = abx * bpx + aby * bpy;
            let scale = abx.hypot(aby) * bpx.hypot(bpy);
            if cross.abs() <= EPS * scale && dot > 0.0 {
                out.pop();
            } else {
                break;
            }
        }
        out.push(p);
    }
    if out.len() == 1 {
        out.push(out[0]);
    }
    *pts = out;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn simplify_drops_duplicates_and_straight_runs() {
        let mut pts = vec![
            Point::new(0.0, 0.0),
            Point::new(0.0, 10.0),
            Point::new(0.0, 10.0),
            Point::new(0.0, 20.0),
            Point::new(5.0, 30.0),
            Point::new(10.0, 40.0),
            Point::new(10.0, 50.0),
        ];
        simplify(&mut pts);
        assert_eq!(
            pts,
            vec![
                Point::new(0.0, 0.0),
                Point::new(0.0, 20.0),
                Point::new(10.0, 40.0),
                Point::new(10.0, 50.0),
            ]
        );
    }

    #[test]
    fn simplify_keeps_two_points() {
        let mut pts = vec![Point::new(1.0, 1.0), Point::new(1.0, 1.0)];
        simplify(&mut pts);
        assert_eq!(pts.len(), 2);
    }

    #[test]
    fn ports_spread_in_direction_order() {
        let mut att = vec![
            Attachment {
                toward: 100.0,
                edge: 0,
                chain: 0,
            },
            Attachment {
                toward: -100.0,
                edge: 1,
                chain: 1,
            },
        ];
        let mut x = vec![0.0; 2];
        spread_ports(&mut att, 0.0, 120.0, &mut x);
        assert_eq!(x, vec![5.0, -5.0]);
    }

    #[test]
    fn straight_edge_keeps_the_centre() {
        let mut att: Vec<Attachment> = [-80.0, 0.0, 80.0, 160.0]
            .iter()
            .enumerate()
            .map(|(i, &toward)| Attachment {
                toward,
                edge: i,
                chain: i,
            })
            .collect();
        let mut x = vec![0.0; 4];
        spread_ports(&mut att, 0.0, 40.0, &mut x);
        // Step limited so the ports stay on the side: 40 / 2 / 3.
        let step = 20.0 / 3.0;
        assert_eq!(x, vec![-step, 0.0, step, 2.0 * step]);
    }
}
