//! Pan, zoom and fit of the state graph, as plain arithmetic (no DOM): what the graph's
//! buttons, wheel, drag and keys do to the view, kept in the graph component's own reducer.

use layout::Rect;
use std::rc::Rc;
use yew::Reducible;

pub const MIN_ZOOM: f64 = 0.2;
pub const MAX_ZOOM: f64 = 4.0;
/// One press of Zoom in (or Zoom out, inverted).
pub const ZOOM_STEP: f64 = 1.25;
/// One press of an arrow key, in screen pixels.
pub const PAN_STEP: f64 = 40.0;
/// A state this close to being entirely in view counts as in view (rounding, borders).
const TOLERANCE: f64 = 1.0;

/// Drawing coordinates to screen: `screen = k * drawing + (x, y)`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Transform {
    pub k: f64,
    pub x: f64,
    pub y: f64,
}

impl Transform {
    /// The CSS `transform` of the drawing's group (its value).
    pub fn css(&self) -> String {
        format!(
            "translate({:.2}px, {:.2}px) scale({:.4})",
            self.x, self.y, self.k
        )
    }

    /// Zoomed by `factor` around the screen point (`ax`, `ay`), which stays put.
    pub fn zoom_at(self, factor: f64, ax: f64, ay: f64) -> Transform {
        let k = (self.k * factor).clamp(MIN_ZOOM, MAX_ZOOM);
        let f = k / self.k;
        Transform {
            k,
            x: ax - (ax - self.x) * f,
            y: ay - (ay - self.y) * f,
        }
    }

    pub fn pan(self, dx: f64, dy: f64) -> Transform {
        Transform {
            x: self.x + dx,
            y: self.y + dy,
            ..self
        }
    }

    /// `rect` on screen.
    pub fn apply(&self, rect: &Rect) -> Rect {
        Rect {
            x: rect.x * self.k + self.x,
            y: rect.y * self.k + self.y,
            width: rect.width * self.k,
            height: rect.height * self.k,
        }
    }
}

/// The drawing (`width` × `height`) centred in the viewport, scaled down to fit it when it is
/// larger, never scaled up. Before the viewport is measured (0 × 0), unscaled at the origin.
pub fn fit(content: (f64, f64), viewport: (f64, f64)) -> Transform {
    let ((w, h), (vw, vh)) = (content, viewport);
    if vw <= 0.0 || vh <= 0.0 || w <= 0.0 || h <= 0.0 {
        return Transform {
            k: 1.0,
            x: 0.0,
            y: 0.0,
        };
    }
    let k = (vw / w).min(vh / h).clamp(MIN_ZOOM, 1.0);
    Transform {
        k,
        x: (vw - w * k) / 2.0,
        y: (vh - h * k) / 2.0,
    }
}

/// The transform that brings `rect` into view, if it is not (entirely) in view: the same
/// zoom, the rect centred; `None` when it is already visible.
pub fn reveal(t: Transform, rect: &Rect, viewport: (f64, f64)) -> Option<Transform> {
    let (vw, vh) = viewport;
    if vw <= 0.0 || vh <= 0.0 {
        return None;
    }
    let r = t.apply(rect);
    let visible = r.x >= -TOLERANCE
        && r.y >= -TOLERANCE
        && r.right() <= vw + TOLERANCE
        && r.bottom() <= vh + TOLERANCE;
    if visible {
        return None;
    }
    let c = r.center();
    Some(t.pan(vw / 2.0 - c.x, vh / 2.0 - c.y))
}

/// Auto keeps the drawing fitted (it follows viewport and definition changes); any zoom or pan
/// makes it Manual until Fit is pressed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Mode {
    Auto,
    Manual(Transform),
}

/// The graph's view: the mode, the measured viewport, and whether the next change animates.
#[derive(Debug, Clone, PartialEq)]
pub struct View {
    pub mode: Mode,
    /// The viewport's size in CSS pixels (0 × 0 until measured).
    pub viewport: (f64, f64),
    /// Smooth moves for buttons, keys and following the run; none while dragging or wheeling.
    pub animate: bool,
}

impl Default for View {
    fn default() -> Self {
        View {
            mode: Mode::Auto,
            viewport: (0.0, 0.0),
            animate: false,
        }
    }
}

impl View {
    /// The transform in effect for a drawing of size `content`.
    pub fn transform(&self, content: (f64, f64)) -> Transform {
        match self.mode {
            Mode::Auto => fit(content, self.viewport),
            Mode::Manual(t) => t,
        }
    }
}

pub enum ViewAction {
    /// The viewport was measured.
    Measure(f64, f64),
    /// Zoom by a factor around the viewport's centre (buttons and keys: animated).
    Zoom {
        factor: f64,
        content: (f64, f64),
    },
    /// Zoom around a point of the viewport (the wheel).
    ZoomAt {
        factor: f64,
        x: f64,
        y: f64,
        content: (f64, f64),
    },
    /// Pan by screen pixels (arrow keys: animated).
    Pan {
        dx: f64,
        dy: f64,
        content: (f64, f64),
    },
    /// Set while dragging.
    Drag(Transform),
    Fit,
    /// Bring this drawing rect into view if it is not.
    Reveal {
        rect: Rect,
        content: (f64, f64),
    },
}

impl Reducible for View {
    type Action = ViewAction;

    fn reduce(self: Rc<Self>, action: ViewAction) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            ViewAction::Measure(w, h) => {
                if (w - self.viewport.0).abs() < 0.5 && (h - self.viewport.1).abs() < 0.5 {
                    return self;
                }
                next.viewport = (w, h);
                next.animate = false;
            }
            ViewAction::Zoom { factor, content } => {
                let (vw, vh) = self.viewport;
                next.mode =
                    Mode::Manual(self.transform(content).zoom_at(factor, vw / 2.0, vh / 2.0));
                next.animate = true;
            }
            ViewAction::ZoomAt {
                factor,
                x,
                y,
                content,
            } => {
                next.mode = Mode::Manual(self.transform(content).zoom_at(factor, x, y));
                next.animate = false;
            }
            ViewAction::Pan { dx, dy, content } => {
                next.mode = Mode::Manual(self.transform(content).pan(dx, dy));
                next.animate = true;
            }
            ViewAction::Drag(t) => {
                next.mode = Mode::Manual(t);
                next.animate = false;
            }
            ViewAction::Fit => {
                if self.mode == Mode::Auto {
                    return self;
                }
                next.mode = Mode::Auto;
                next.animate = true;
            }
            ViewAction::Reveal { rect, content } => {
                match reveal(self.transform(content), &rect, self.viewport) {
                    Some(t) => {
                        next.mode = Mode::Manual(t);
                        next.animate = true;
                    }
                    None => return self,
                }
            }
        }
        Rc::new(next)
    }
}

/// Two fingers moved from `from` to `to` (points in the viewport) since the view was `start`:
/// zoomed by how much farther apart they are, around where they began, then moved with their
/// midpoint — the point under the fingers stays under them.
pub fn pinch(start: Transform, from: [(f64, f64); 2], to: [(f64, f64); 2]) -> Transform {
    let distance = |[a, b]: [(f64, f64); 2]| (a.0 - b.0).hypot(a.1 - b.1);
    let middle = |[a, b]: [(f64, f64); 2]| ((a.0 + b.0) / 2.0, (a.1 + b.1) / 2.0);
    let (d0, d1) = (distance(from), distance(to));
    let factor = if d0 > 0.0 && d1 > 0.0 { d1 / d0 } else { 1.0 };
    let ((x0, y0), (x1, y1)) = (middle(from), middle(to));
    start.zoom_at(factor, x0, y0).pan(x1 - x0, y1 - y0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pinch_zooms_around_the_fingers_and_follows_them() {
        let start = Transform {
            k: 1.0,
            x: 0.0,
            y: 0.0,
        };
        // Fingers twice as far apart, around (100, 100): twice the zoom, that point kept.
        let t = pinch(
            start,
            [(90.0, 100.0), (110.0, 100.0)],
            [(80.0, 100.0), (120.0, 100.0)],
        );
        assert!(
            close(t.k, 2.0) && close(t.x, -100.0) && close(t.y, -100.0),
            "{t:?}"
        );
        // Moved together by (10, -5): a pan only.
        let t = pinch(
            start,
            [(0.0, 0.0), (10.0, 0.0)],
            [(10.0, -5.0), (20.0, -5.0)],
        );
        assert_eq!(
            t,
            Transform {
                k: 1.0,
                x: 10.0,
                y: -5.0
            }
        );
        // Fingers on one point: no zoom, never NaN.
        let t = pinch(start, [(5.0, 5.0), (5.0, 5.0)], [(5.0, 5.0), (6.0, 5.0)]);
        assert!(t.k == 1.0 && t.x.is_finite());
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn a_small_drawing_is_centred_unscaled() {
        let t = fit((400.0, 300.0), (700.0, 300.0));
        assert_eq!(
            t,
            Transform {
                k: 1.0,
                x: 150.0,
                y: 0.0
            }
        );
    }

    #[test]
    fn a_large_drawing_is_scaled_to_fit() {
        let t = fit((1400.0, 600.0), (700.0, 600.0));
        assert!(close(t.k, 0.5));
        assert!(close(t.x, 0.0) && close(t.y, 150.0));
        // Unmeasured: as drawn.
        assert_eq!(fit((1400.0, 600.0), (0.0, 0.0)).k, 1.0);
    }

    #[test]
    fn zoom_keeps_its_anchor_and_clamps() {
        let t = Transform {
            k: 1.0,
            x: 10.0,
            y: 20.0,
        };
        let z = t.zoom_at(2.0, 110.0, 70.0);
        // The drawing point under (110, 70) was (100, 50); it still is.
        assert!(close(100.0 * z.k + z.x, 110.0) && close(50.0 * z.k + z.y, 70.0));
        assert_eq!(t.zoom_at(100.0, 0.0, 0.0).k, MAX_ZOOM);
        assert_eq!(t.zoom_at(0.001, 0.0, 0.0).k, MIN_ZOOM);
    }

    #[test]
    fn reveal_centres_a_state_out_of_view_and_leaves_a_visible_one() {
        let t = Transform {
            k: 1.0,
            x: 0.0,
            y: 0.0,
        };
        let visible = Rect {
            x: 50.0,
            y: 50.0,
            width: 100.0,
            height: 40.0,
        };
        assert_eq!(reveal(t, &visible, (400.0, 300.0)), None);
        // A container as wide as the viewport is in view: nothing moves.
        let wide = Rect {
            x: 0.0,
            width: 400.0,
            ..visible
        };
        assert_eq!(reveal(t, &wide, (400.0, 300.0)), None);
        let below = Rect {
            y: 900.0,
            ..visible
        };
        let moved = reveal(t, &below, (400.0, 300.0)).unwrap();
        let c = moved.apply(&below).center();
        assert!(close(c.x, 200.0) && close(c.y, 150.0));
        assert_eq!(moved.k, 1.0);
    }

    #[test]
    fn the_reducer_goes_manual_on_zoom_and_back_to_auto_on_fit() {
        let content = (400.0, 300.0);
        let view = Rc::new(View::default()).reduce(ViewAction::Measure(800.0, 300.0));
        assert_eq!(view.transform(content).x, 200.0);
        let zoomed = view.clone().reduce(ViewAction::Zoom {
            factor: 2.0,
            content,
        });
        assert!(matches!(zoomed.mode, Mode::Manual(t) if t.k == 2.0));
        assert!(zoomed.animate);
        let panned = zoomed.reduce(ViewAction::Pan {
            dx: -40.0,
            dy: 0.0,
            content,
        });
        let fitted = panned.reduce(ViewAction::Fit);
        assert_eq!(fitted.mode, Mode::Auto);
        assert_eq!(fitted.transform(content), view.transform(content));
    }
}
