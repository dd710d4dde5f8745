//! Drawing helpers: polylines to smooth SVG paths, arrowheads, label spots.

use std::fmt::Write;

use crate::Point;

/// The SVG path `d` attribute of a smooth curve along `points`, built like
/// d3's `curveBasis` (which dagre-d3 uses for the console's edges): a cubic
/// B-spline that starts exactly at the first point, ends exactly at the
/// last, and is pulled towards the points in between. The curve stays in the
/// convex hull of each run of consecutive points, so it keeps clear of boxes
/// the polyline avoids.
///
/// Two points give a straight line; the last piece of the curve always
/// points along the last segment of the polyline, so an arrowhead from
/// [`edge_end`] matches it. Coordinates are rounded to 0.01.
///
/// ```
/// use layout::{smooth_path, Point};
/// let line = [Point::new(0.0, 0.0), Point::new(0.0, 10.0)];
/// assert_eq!(smooth_path(&line), "M0,0L0,10");
/// ```
pub fn smooth_path(points: &[Point]) -> String {
    let mut d = String::new();
    let Some((&first, rest)) = points.split_first() else {
        return d;
    };
    d.push('M');
    push_point(&mut d, first);
    match rest.len() {
        0 => return d,
        1 => {
            d.push('L');
            push_point(&mut d, rest[0]);
            return d;
        }
        _ => {}
    }
    // d3's basis state machine: p0, p1 are the two previous points.
    let (mut p0, mut p1) = (first, rest[0]);
    d.push('L');
    push_point(&mut d, lerp6(p0, p1, 5.0, 1.0));
    for &p in &rest[1..] {
        basis_segment(&mut d, p0, p1, p);
        p0 = p1;
        p1 = p;
    }
    basis_segment(&mut d, p0, p1, p1);
    d.push('L');
    push_point(&mut d, p1);
    d
}

/// One cubic piece of the uniform B-spline with control points p0, p1, p.
fn basis_segment(d: &mut String, p0: Point, p1: Point, p: Point) {
    d.push('C');
    push_point(
        d,
        Point::new((2.0 * p0.x + p1.x) / 3.0, (2.0 * p0.y + p1.y) / 3.0),
    );
    d.push(',');
    push_point(
        d,
        Point::new((p0.x + 2.0 * p1.x) / 3.0, (p0.y + 2.0 * p1.y) / 3.0),
    );
    d.push(',');
    push_point(
        d,
        Point::new(
            (p0.x + 4.0 * p1.x + p.x) / 6.0,
            (p0.y + 4.0 * p1.y + p.y) / 6.0,
        ),
    );
}

/// (wa * a + wb * b) / 6.
fn lerp6(a: Point, b: Point, wa: f64, wb: f64) -> Point {
    Point::new((wa * a.x + wb * b.x) / 6.0, (wa * a.y + wb * b.y) / 6.0)
}

fn push_point(d: &mut String, p: Point) {
    push_num(d, p.x);
    d.push(',');
    push_num(d, p.y);
}

/// A number rounded to 0.01, without trailing zeros or "-0".
fn push_num(d: &mut String, v: f64) {
    let r = (v * 100.0).round() / 100.0;
    let r = if r == 0.0 { 0.0 } else { r };
    let _ = write!(d, "{r}");
}

/// The end of an edge for its arrowhead: the last point (the tip, on the
/// target's border) and the direction of the last segment as an angle in
/// radians, `atan2(dy, dx)` in SVG coordinates (so π/2 points down, which
/// is what most edges do; use `angle.to_degrees()` for a `rotate()`).
/// `None` for an empty polyline; a polyline whose points all coincide points
/// down.
pub fn edge_end(points: &[Point]) -> Option<(Point, f64)> {
    let &tip = points.last()?;
    let angle = points
        .iter()
        .rev()
        .find(|p| p.x != tip.x || p.y != tip.y)
        .map_or(std::f64::consts::FRAC_PI_2, |p| {
            (tip.y - p.y).atan2(tip.x - p.x)
        });
    Some((tip, angle))
}

/// A triangular arrowhead at the end of an edge: `[tip, left corner, right
/// corner]`, `length` long along the last segment and `width` wide, ready
/// for an SVG `polygon`.
pub fn arrow_head(points: &[Point], length: f64, width: f64) -> Option<[Point; 3]> {
    let (tip, angle) = edge_end(points)?;
    let (dx, dy) = (angle.cos(), angle.sin());
    let base = Point::new(tip.x - dx * length, tip.y - dy * length);
    let (px, py) = (-dy * width / 2.0, dx * width / 2.0);
    Some([
        tip,
        Point::new(base.x + px, base.y + py),
        Point::new(base.x - px, base.y - py),
    ])
}

/// The point halfway along the polyline (by length), e.g. to place an edge
/// label. `None` for an empty polyline.
pub fn polyline_midpoint(points: &[Point]) -> Option<Point> {
    let first = *points.first()?;
    let seg_len = |w: &[Point]| (w[1].x - w[0].x).hypot(w[1].y - w[0].y);
    let total: f64 = points.windows(2).map(seg_len).sum();
    let mut left = total / 2.0;
    for w in points.windows(2) {
        let l = seg_len(w);
        if l > 0.0 && left <= l {
            let t = left / l;
            return Some(Point::new(
                w[0].x + (w[1].x - w[0].x) * t,
                w[0].y + (w[1].y - w[0].y) * t,
            ));
        }
        left -= l;
    }
    Some(*points.last().unwrap_or(&first))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(x: f64, y: f64) -> Point {
        Point::new(x, y)
    }

    #[test]
    fn empty_and_single_point() {
        assert_eq!(smooth_path(&[]), "");
        assert_eq!(smooth_path(&[p(1.5, 2.0)]), "M1.5,2");
    }

    #[test]
    fn three_points_match_d3_curve_basis() {
        // d3.line().curve(d3.curveBasis)([[0,0],[60,60],[120,0]])
        let d = smooth_path(&[p(0.0, 0.0), p(60.0, 60.0), p(120.0, 0.0)]);
        assert_eq!(d, "M0,0L10,10C20,20,40,40,60,40C80,40,100,20,110,10L120,0");
    }

    #[test]
    fn numbers_are_rounded_and_never_negative_zero() {
        let d = smooth_path(&[p(-0.001, 1.0 / 3.0), p(2.0, 2.006)]);
        assert_eq!(d, "M0,0.33L2,2.01");
    }

    #[test]
    fn end_angle_follows_last_segment() {
        let (tip, a) = edge_end(&[p(0.0, 0.0), p(0.0, 10.0), p(0.0, 10.0)]).unwrap();
        assert_eq!(tip, p(0.0, 10.0));
        assert!((a - std::f64::consts::FRAC_PI_2).abs() < 1e-12);
        let (_, a) = edge_end(&[p(10.0, 0.0), p(0.0, 0.0)]).unwrap();
        assert!((a.abs() - std::f64::consts::PI).abs() < 1e-12);
        assert!(edge_end(&[]).is_none());
    }

    #[test]
    fn arrow_head_points_down() {
        let [tip, l, r] = arrow_head(&[p(0.0, 0.0), p(0.0, 10.0)], 6.0, 4.0).unwrap();
        assert_eq!(tip, p(0.0, 10.0));
        assert!((l.y - 4.0).abs() < 1e-12 && (r.y - 4.0).abs() < 1e-12);
        assert!(((l.x - r.x).abs() - 4.0).abs() < 1e-12);
    }

    #[test]
    fn midpoint_by_length() {
        let m = polyline_midpoint(&[p(0.0, 0.0), p(0.0, 10.0), p(30.0, 10.0)]).unwrap();
        assert_eq!(m, p(10.0, 10.0));
        assert_eq!(polyline_midpoint(&[p(1.0, 1.0)]), Some(p(1.0, 1.0)));
    }
}
