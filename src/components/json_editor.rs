//! A JSON editor: a plain `<textarea>` (what the person types into, and what assistive
//! technology reads) laid exactly over layers that only show: the text syntax-highlighted, the
//! bracket matching the one at the caret, and a gutter of line numbers marking lines with
//! problems.
//!
//! Everything shown is built as Yew nodes from the text (text nodes, never HTML), so whatever
//! is typed is shown as typed. The layers are `aria-hidden` and ignore the pointer; they follow
//! the textarea's scrolling.
//!
//! Keyboard: Tab inserts two spaces. To leave the editor, press Esc and then Tab (or
//! Shift+Tab, which is never captured): the editor never traps focus.
//!
//! Speed: only the lines in view (and [`OVERSCAN_LINES`] either side) are tokenized and laid
//! out in the highlighted layer and the gutter (a 6.5 MB paste has 300,000 lines, which as page
//! elements took a minute to show; tokenizing a 338 KB definition on every keystroke took more
//! than the keystroke's whole budget). Each line is its own component, so typing re-renders
//! only the lines that changed; moving the caret re-renders only the bracket layer, whose pair
//! is found by tokenizing lines outward from the caret. Nothing per keystroke walks the whole
//! text but finding where its lines start. Text over [`HIGHLIGHT_MAX_BYTES`] is not highlighted at
//! all (the textarea shows it itself), and a line over [`LONG_LINE_BYTES`] is shown
//! uncoloured: a 5 MB one-line paste is millions of tokens.

use crate::editor::json_syntax::{
    bracket_tokens, byte_of_line_col, byte_of_utf16, line_at, line_range, matching_bracket_by_line,
    tokenize_lines, utf16_of_byte, Token,
};
use crate::editor::yaml_syntax;
use crate::inline_style::{set_style, use_style, Styled};
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlTextAreaElement};
use yew::prelude::*;

/// The marked lines (1-based), in order, each with its messages (a sorted Vec rather than a
/// BTreeMap: the page's .wasm then carries no B-tree code).
type Marks = Vec<(usize, String)>;

/// The editors' line height in CSS pixels: styles/editor.css sets the same on every layer.
pub const LINE_HEIGHT_PX: i32 = 20;
/// Vertical padding of the textarea and of every layer (styles/editor.css).
const PADDING_Y_PX: i32 = 8;
/// Beyond this size the text is not tokenized nor highlighted: the textarea shows it as plain
/// text (AWS takes definitions up to 1 MB, inputs up to 256 KiB; a bigger paste must still
/// leave the page answering).
pub const HIGHLIGHT_MAX_BYTES: usize = 2 << 20;
/// Text that would make an editor's text longer than this, however it arrives (a paste, a drop,
/// a file opened), is refused with a message ([`refusal`]): AWS accepts no definition over
/// 1 MB and no input over 256 KiB, and a textarea holding megabytes takes the browser seconds
/// to lay out (a 6.5 MB paste froze the page for 10 s). The text stays as it was (so nothing is
/// saved over it); the clipboard or the file keeps what was refused.
pub const TEXT_MAX_BYTES: usize = 1 << 20;
/// A line longer than this is shown uncoloured, as one text.
pub const LONG_LINE_BYTES: usize = 4_096;
/// The most digits the gutter is made wide for (styles/editor.css has a class for each up to
/// it): a million lines, more than any text the editors take.
const GUTTER_DIGITS_MAX: usize = 7;
/// Lines laid out above and below those in view; the window of lines moves by this many, so
/// scrolling a little re-renders nothing.
const OVERSCAN_LINES: usize = 20;

#[derive(Properties, PartialEq, Clone)]
pub struct JsonEditorProps {
    /// The textarea's id: the `<label>`'s `for`, and what tests and scripts find.
    pub id: AttrValue,
    /// The accessible (and visible) name.
    pub label: AttrValue,
    pub value: AttrValue,
    /// Every edit, at once: the whole new text.
    pub on_change: Callback<String>,
    /// The editor lost the focus (the person went to press a button, say).
    #[prop_or_default]
    pub on_leave: Callback<()>,
    /// Lines (1-based) to mark, each with its message (a line may appear more than once).
    #[prop_or_default]
    pub marks: Vec<(usize, String)>,
    /// Places of problems inside a line (1-based line, column in characters): the token there
    /// is boxed, not only its line marked.
    #[prop_or_default]
    pub spots: Vec<(usize, usize)>,
    /// Visible lines (the editor can be resized taller).
    #[prop_or(12)]
    pub rows: u32,
    /// Ids of more elements describing the editor (its list of problems), after its hint.
    #[prop_or_default]
    pub describedby: Option<AttrValue>,
    /// The text is YAML: highlighted as YAML.
    #[prop_or_default]
    pub yaml: bool,
    /// Text refused on its way in from outside the editor (a file opened by a button beside
    /// it): shown as the editor's own refusals are, until the next change.
    #[prop_or_default]
    pub refused: Option<Refused>,
}

/// How text arrives in an editor other than by typing.
#[derive(Clone, Copy, PartialEq, Debug)]
pub enum Arrival {
    Paste,
    Drop,
    File,
}

/// Why text arriving in an editor is not taken, in words for the person, or `None` when it is
/// taken: the one decision for every way in. `before` is the editor's text's length and
/// `after` what the text would be with it, in bytes (UTF-8, as AWS counts). Text that makes
/// the editor's text smaller is always taken (a fix pasted over part of a text already too big).
pub fn refusal(arrival: Arrival, before: usize, after: usize) -> Option<String> {
    if after <= TEXT_MAX_BYTES || after <= before {
        return None;
    }
    let what = match arrival {
        Arrival::Paste => "Not pasted",
        Arrival::Drop => "Not dropped",
        Arrival::File => "Not opened",
    };
    Some(format!(
        "{what}: the text would be {:.1} MB. AWS accepts at most 1 MB for a definition and \
         256 KiB for an execution input, and this page would freeze for seconds laying that \
         much out. The text here is as it was.",
        after as f64 / (1024.0 * 1024.0)
    ))
}

/// A refusal made outside the editor ([`JsonEditorProps::refused`]). Each one is new: the same
/// file refused twice is shown twice (compared by identity, not by its words).
#[derive(Clone, Debug)]
pub struct Refused(Rc<str>);

impl Refused {
    pub fn new(message: String) -> Self {
        Refused(Rc::from(message))
    }
}

impl PartialEq for Refused {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

#[function_component(JsonEditor)]
pub fn json_editor(props: &JsonEditorProps) -> Html {
    let area = use_node_ref();
    let layers = use_memo((), |_| Layers::default());
    let caret = use_state_eq(|| None::<u32>);
    // Esc was the last key: the next Tab leaves the editor.
    let escaped = use_mut_ref(|| false);
    // The text the textarea holds (typed into it, or put there below). The textarea gets no
    // `value` in the virtual DOM: Yew then reads the textarea's whole value back on every
    // render to compare (3 ms for 338 KB, on each keystroke and caret move); it is set here
    // only when the text given differs from what it holds (an example chosen, Format).
    let holds = use_mut_ref(|| None::<AttrValue>);
    {
        let (area, holds) = (area.clone(), holds.clone());
        use_effect_with(props.value.clone(), move |value| {
            if holds.borrow().as_ref() != Some(value) {
                if let Some(a) = area.cast::<HtmlTextAreaElement>() {
                    a.set_value(value);
                }
                *holds.borrow_mut() = Some(value.clone());
            }
        });
    }

    let plain = props.value.len() > HIGHLIGHT_MAX_BYTES;
    let marks: Rc<Marks> = use_memo(props.marks.clone(), |marks| {
        // One entry per line, in line order, its messages one per line.
        let mut by_line: Marks = Vec::new();
        for (line, message) in marks {
            match by_line.binary_search_by_key(line, |(l, _)| *l) {
                Ok(i) => {
                    by_line[i].1.push('\n');
                    by_line[i].1.push_str(message);
                }
                Err(i) => by_line.insert(i, (*line, message.clone())),
            }
        }
        by_line
    });
    let lines: Rc<LineStarts> = use_memo(props.value.clone(), |text| LineStarts::of(text));
    let line_count = lines.starts.len();
    // The lines laid out: those in view and OVERSCAN_LINES either side, in whole steps of it.
    let window = use_state_eq(|| (0, 3 * OVERSCAN_LINES));
    // The window last asked for, and the pending move to it.
    let wanted = use_mut_ref(|| (0, 3 * OVERSCAN_LINES));
    let later = use_mut_ref(|| None::<crate::browser::AfterPaint>);
    let measure_window = {
        let (area, window) = (area.clone(), window.clone());
        move || {
            let Some(a) = area.cast::<Element>() else {
                return;
            };
            let (top, height) = (a.scroll_top(), a.client_height());
            let full = window_of(top, height);
            if *wanted.borrow() == full {
                return;
            }
            *wanted.borrow_mut() = full;
            // A jump (the caret revealed far down, as a keystroke can) lays out only the lines
            // in view before the frame that shows it, and the lines around them after it: the
            // keystroke's echo waits for 20 lines, not 80.
            let seen = in_view(top, height);
            if seen.0 < window.0 || seen.1 > window.1 {
                window.set(seen);
            }
            let window = window.clone();
            *later.borrow_mut() = Some(crate::browser::after_paint(move || window.set(full)));
        }
    };

    {
        let (area, layers, measure) = (area.clone(), layers.clone(), measure_window.clone());
        use_effect(move || {
            layers.follow(&area);
            measure();
        });
    }

    let track_caret = {
        let (area, caret) = (area.clone(), caret.clone());
        move || {
            let Some(a) = area.cast::<HtmlTextAreaElement>() else {
                return;
            };
            let focused = a
                .owner_document()
                .and_then(|d| d.active_element())
                .is_some_and(|e| e == **a);
            let start = a.selection_start().ok().flatten();
            let end = a.selection_end().ok().flatten();
            // Only a caret in the focused editor shows its bracket pair, not a selection.
            caret.set(start.filter(|s| focused && Some(*s) == end));
        }
    };
    // Why the last paste, drop or file was refused (cleared when the text next changes).
    let refused = use_state_eq(|| None::<String>);
    {
        let refused = refused.clone();
        use_effect_with(props.value.clone(), move |_| refused.set(None));
    }
    {
        let refused = refused.clone();
        use_effect_with(props.refused.clone(), move |from_outside| {
            if let Some(Refused(message)) = from_outside {
                refused.set(Some(message.to_string()));
            }
        });
    }
    let on_input = {
        let (on_change, track) = (props.on_change.clone(), track_caret.clone());
        let (refused, holds) = (refused.clone(), holds.clone());
        Callback::from(move |e: InputEvent| {
            let a: HtmlTextAreaElement = e.target_unchecked_into();
            refused.set(None);
            let text = AttrValue::from(crate::browser::textarea_text(&a));
            *holds.borrow_mut() = Some(text.clone());
            on_change.emit(text.to_string());
            track();
        })
    };
    let on_paste = {
        let refused = refused.clone();
        Callback::from(move |e: Event| {
            let Some(data) = e
                .dyn_ref::<web_sys::ClipboardEvent>()
                .and_then(|e| e.clipboard_data())
            else {
                return;
            };
            let Ok(text) = data.get_data("text") else {
                return;
            };
            let a: HtmlTextAreaElement = e.target_unchecked_into();
            let (before, after) = sizes_with(&a, text.len(), true);
            if let Some(why) = refusal(Arrival::Paste, before, after) {
                e.prevent_default();
                refused.set(Some(why));
            }
        })
    };
    // A drop: text is inserted where it is dropped (the browser's own drop), unless too big; a
    // file replaces the text, as "Open file…" does (the browser would otherwise leave the page
    // to show the file, and the work with it).
    let on_drop = {
        let (refused, on_change) = (refused.clone(), props.on_change.clone());
        Callback::from(move |e: DragEvent| {
            let Some(data) = e.data_transfer() else {
                return;
            };
            let a: HtmlTextAreaElement = e.target_unchecked_into();
            if let Some(file) = data.files().and_then(|files| files.get(0)) {
                e.prevent_default();
                let (refused, on_change) = (refused.clone(), on_change.clone());
                let before = a.value().len();
                crate::browser::read_file(file, before, move |text| match text {
                    Ok(text) => on_change.emit(text),
                    Err(why) => refused.set(Some(why)),
                });
                return;
            }
            let Ok(text) = data.get_data("text") else {
                return;
            };
            // A drag from this very text moves it: counted as if added, at most a little more.
            let (before, after) = sizes_with(&a, text.len(), false);
            if let Some(why) = refusal(Arrival::Drop, before, after) {
                e.prevent_default();
                refused.set(Some(why));
            }
        })
    };
    // Files dragged over the editor may be dropped on it (see `on_drop`).
    let on_dragover = Callback::from(|e: DragEvent| {
        let files = e
            .data_transfer()
            .is_some_and(|d| d.types().includes(&"Files".into(), 0));
        if files {
            e.prevent_default();
        }
    });
    let on_keydown = {
        let (escaped, on_change) = (escaped.clone(), props.on_change.clone());
        Callback::from(move |e: KeyboardEvent| {
            let key = e.key();
            let plain = !(e.shift_key() || e.ctrl_key() || e.alt_key() || e.meta_key());
            if key == "Tab" && plain && !*escaped.borrow() {
                e.prevent_default();
                let a: HtmlTextAreaElement = e.target_unchecked_into();
                insert_text(&a, "  ", &on_change);
            }
            *escaped.borrow_mut() = key == "Escape";
        })
    };
    let on_keyup = {
        let track = track_caret.clone();
        Callback::from(move |_: KeyboardEvent| track())
    };
    let on_click = {
        let track = track_caret.clone();
        Callback::from(move |_: MouseEvent| track())
    };
    let on_select = {
        let track = track_caret.clone();
        Callback::from(move |_: Event| track())
    };
    let on_focus = {
        let track = track_caret.clone();
        Callback::from(move |_: FocusEvent| track())
    };
    let on_blur = {
        let (caret, escaped, on_leave) = (caret.clone(), escaped.clone(), props.on_leave.clone());
        Callback::from(move |_: FocusEvent| {
            caret.set(None);
            *escaped.borrow_mut() = false;
            on_leave.emit(());
        })
    };
    let on_scroll = {
        let (area, layers) = (area.clone(), layers.clone());
        Callback::from(move |_: Event| {
            layers.follow(&area);
            measure_window();
        })
    };

    let text = &props.value;
    let starts = &lines.starts;
    // Found by tokenizing lines outward from the caret: the whole text when the caret is at an
    // outer bracket (after a paste, say), so once per text and caret, not once per render.
    let pair = use_memo(
        (
            props.value.clone(),
            *caret,
            props.yaml,
            plain,
            lines.clone(),
        ),
        |(text, caret, yaml, plain, lines)| {
            let starts = &lines.starts;
            caret.filter(|_| !plain).and_then(|c| {
                let at = byte_of_utf16(text, c as usize);
                if *yaml {
                    matching_bracket_by_line(text, starts, at, |i| {
                        yaml_syntax::line_alone(text, starts, i)
                    })
                } else {
                    matching_bracket_by_line(text, starts, at, |i| {
                        bracket_tokens(text, line_range(text, starts, i))
                    })
                }
            })
        },
    );
    let pair = *pair;
    let mut places: Vec<Place> = props
        .spots
        .iter()
        .filter_map(|&(line, column)| problem_place(text, starts, line, column))
        .collect();
    if let Some((a, b)) = pair {
        for at in [a, b] {
            if text.is_char_boundary(at + 1) {
                places.push(Place {
                    start: at,
                    end: at + 1,
                    class: "bracket-match",
                });
            }
        }
    }
    places.sort_by_key(|p| p.start);
    places.dedup_by(|later, earlier| later.start < earlier.end);
    let invalid = !props.marks.is_empty();
    let hint_id = format!("{}-hint", props.id);
    let describedby = match &props.describedby {
        Some(more) => format!("{hint_id} {more}"),
        None => hint_id.clone(),
    };
    let frame = use_node_ref();
    let height = format!(
        "{}px",
        props.rows.max(1) as i32 * LINE_HEIGHT_PX + 2 * PADDING_Y_PX + 2
    );
    use_style(frame.clone(), vec![("height", height)]);
    let digits = line_count.to_string().len().max(2);
    html! {
        <div class="json-editor">
            <label for={props.id.clone()} class="block-label">{ props.label.clone() }</label>
            <div ref={frame} class={classes!("json-editor-frame", invalid.then_some("invalid"))}>
                <Gutter lines={line_count} window={*window} marks={marks.clone()} digits={digits}
                    node_ref={layers.gutter.clone()} source={area.clone()} />
                <div class="json-editor-body">
                    <Places text={text.clone()} places={places} lines={lines.clone()}
                        node_ref={layers.places.clone()} source={area.clone()} />
                    if !plain {
                        <Highlighted text={text.clone()} yaml={props.yaml} marks={marks.clone()}
                            lines={lines.clone()} window={*window}
                            node_ref={layers.highlight.clone()} source={area.clone()} />
                    }
                    <textarea ref={area} id={props.id.clone()} class={classes!("json-input", plain.then_some("plain"))}
                        spellcheck="false" wrap="off" autocomplete="off"
                        autocapitalize="off" autocorrect="off"
                        aria-invalid={invalid.to_string()} aria-describedby={describedby}
                        oninput={on_input} onkeydown={on_keydown} onkeyup={on_keyup}
                        onclick={on_click} onselect={on_select} onfocus={on_focus} onblur={on_blur}
                        onscroll={on_scroll} onpaste={on_paste} ondrop={on_drop}
                        ondragover={on_dragover} />
                </div>
            </div>
            if let Some(why) = (*refused).clone() {
                <p class="hint warning text-refused" role="alert">{ why }</p>
            }
            <p id={hint_id} class="hint json-editor-hint">
                { "Tab inserts two spaces. To leave the editor with the keyboard, press Esc, then Tab (or Shift+Tab)." }
            </p>
        </div>
    }
}

/// Moves the caret to a 1-based line and column (in characters) of the editor `id`, focuses it
/// and scrolls that line into view (a third of the way down). Nothing happens if there is no
/// such editor.
pub fn reveal(id: &str, line: usize, column: usize) {
    let Some(area) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|e| e.dyn_into::<HtmlTextAreaElement>().ok())
    else {
        return;
    };
    let text = area.value();
    let at = utf16_of_byte(&text, byte_of_line_col(&text, line, column)) as u32;
    let _ = area.focus();
    let _ = area.set_selection_range(at, at);
    let top = (line.saturating_sub(1) as i32) * LINE_HEIGHT_PX - area.client_height() / 3;
    area.set_scroll_top(top.max(0));
    // The layers follow on the scroll event; the bracket pair on the select event.
    if let Ok(event) = web_sys::Event::new("select") {
        let _ = area.dispatch_event(&event);
    }
}

/// Inserts text at the selection as if typed: through the browser's editing (so Undo undoes
/// it, and an `input` event reports it), or, where that is unavailable, by hand.
fn insert_text(area: &HtmlTextAreaElement, insert: &str, on_change: &Callback<String>) {
    let by_browser = area
        .owner_document()
        .and_then(|d| d.dyn_into::<web_sys::HtmlDocument>().ok())
        .and_then(|d| {
            d.exec_command_with_show_ui_and_value("insertText", false, insert)
                .ok()
        })
        .unwrap_or(false);
    if by_browser {
        return;
    }
    let value = area.value();
    let start = area.selection_start().ok().flatten().unwrap_or(0) as usize;
    let end = area.selection_end().ok().flatten().unwrap_or(0) as usize;
    let (start, end) = (byte_of_utf16(&value, start), byte_of_utf16(&value, end));
    let (start, end) = (start.min(end), start.max(end));
    let next = format!("{}{insert}{}", &value[..start], &value[end..]);
    let caret = utf16_of_byte(&next, start + insert.len()) as u32;
    area.set_value(&next);
    let _ = area.set_selection_range(caret, caret);
    on_change.emit(next);
}

/// The layers under the textarea, which follow its scrolling.
#[derive(Default)]
struct Layers {
    gutter: NodeRef,
    highlight: NodeRef,
    places: NodeRef,
}

impl Layers {
    fn follow(&self, area: &NodeRef) {
        follow(&self.gutter, area);
        follow(&self.highlight, area);
        shift(&self.places, area);
    }
}

/// Scrolls `layer` where `source` is scrolled (the gutter has nothing to scroll sideways).
fn follow(layer: &NodeRef, source: &NodeRef) {
    if let (Some(layer), Some(source)) = (layer.cast::<Element>(), source.cast::<Element>()) {
        if layer.scroll_top() != source.scroll_top() {
            layer.set_scroll_top(source.scroll_top());
        }
        if layer.scroll_left() != source.scroll_left() {
            layer.set_scroll_left(source.scroll_left());
        }
    }
}

/// Moves `inner` as `source` is scrolled: for a layer with less content than the text (the
/// bracket layer), whose own scrolling would stop short.
fn shift(inner: &NodeRef, source: &NodeRef) {
    if let Some(source) = source.cast::<Element>() {
        let transform = format!(
            "translate({}px, {}px)",
            -source.scroll_left(),
            -source.scroll_top()
        );
        set_style(inner, &[("transform", transform)]);
    }
}

/// Where each line starts (byte offsets), and the longest line's length.
#[derive(PartialEq)]
struct LineStarts {
    starts: Vec<usize>,
    longest: usize,
}

impl LineStarts {
    fn of(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(
            text.bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| i + 1),
        );
        let longest = starts
            .iter()
            .zip(starts.iter().skip(1).chain([&(text.len() + 1)]))
            .map(|(a, b)| b - a - 1)
            .max()
            .unwrap_or(0);
        LineStarts { starts, longest }
    }
}

/// The lines to lay out (first, end) for a textarea scrolled to `scroll_top` and
/// `height` pixels tall: those in view and about [`OVERSCAN_LINES`] either side, rounded to
/// steps of it.
fn window_of(scroll_top: i32, height: i32) -> (usize, usize) {
    let top = (scroll_top - PADDING_Y_PX).max(0) as usize / LINE_HEIGHT_PX as usize;
    let rows = height.max(0) as usize / LINE_HEIGHT_PX as usize + 2;
    let step = OVERSCAN_LINES;
    let first = top.saturating_sub(step) / step * step;
    let end = (top + rows + step).div_ceil(step) * step;
    (first, end)
}

/// The textarea's text's length now, and with `inserted` bytes added (in place of the
/// selection, when `over_selection`), in bytes of UTF-8.
fn sizes_with(area: &HtmlTextAreaElement, inserted: usize, over_selection: bool) -> (usize, usize) {
    let value = area.value();
    let selected = if over_selection {
        let start = area.selection_start().ok().flatten().unwrap_or(0) as usize;
        let end = area.selection_end().ok().flatten().unwrap_or(0) as usize;
        byte_of_utf16(&value, start.max(end)) - byte_of_utf16(&value, start.min(end))
    } else {
        0
    };
    (value.len(), value.len() - selected + inserted)
}

/// The lines (first, end) in view of a textarea scrolled to `scroll_top` and `height` pixels
/// tall, and one either side.
fn in_view(scroll_top: i32, height: i32) -> (usize, usize) {
    let top = (scroll_top - PADDING_Y_PX).max(0) as usize / LINE_HEIGHT_PX as usize;
    let rows = height.max(0) as usize / LINE_HEIGHT_PX as usize + 2;
    (top.saturating_sub(1), top + rows + 1)
}

#[derive(Properties, PartialEq)]
struct HighlightedProps {
    text: AttrValue,
    /// Highlighted as YAML (else as JSON).
    yaml: bool,
    marks: Rc<Marks>,
    lines: Rc<LineStarts>,
    /// The lines laid out (see [`window_of`]); blank space stands for the others.
    window: (usize, usize),
    node_ref: NodeRef,
    source: NodeRef,
}

/// The text, coloured: one [`Line`] per line in the window, each a block of its own (so the
/// browser lays out again only the lines that changed), between blank spaces as tall as the
/// lines above and below it; as wide as the longest line, so that it scrolls as far sideways
/// as the textarea.
#[function_component(Highlighted)]
fn highlighted(props: &HighlightedProps) -> Html {
    {
        let (layer, source) = (props.node_ref.clone(), props.source.clone());
        use_effect(move || follow(&layer, &source));
    }
    let text: &str = &props.text;
    let count = props.lines.starts.len();
    let first = props.window.0.min(count);
    let end = props.window.1.clamp(first, count);
    // Only the window's lines are tokenized (a line over LONG_LINE_BYTES is one uncoloured
    // text): a keystroke costs the lines in view, whatever the text's length.
    let starts = &props.lines.starts;
    let tokens = if props.yaml {
        yaml_syntax::tokenize_lines(text, starts, first, end, LONG_LINE_BYTES)
    } else {
        tokenize_lines(text, starts, first, end, LONG_LINE_BYTES)
    };
    let lines = (first..end)
        .zip(tokens)
        .map(|(i, tokens)| {
            let line_text = &text[line_range(text, starts, i)];
            let mark = props
                .marks
                .binary_search_by_key(&(i + 1), |(l, _)| *l)
                .ok()
                .map(|k| AttrValue::from(props.marks[k].1.clone()));
            html! {
                <Line key={i} text={AttrValue::from(line_text.to_string())}
                    tokens={Rc::new(tokens)} mark={mark} />
            }
        })
        .collect::<Vec<_>>();
    let above = format!("{}px", first as i64 * LINE_HEIGHT_PX as i64);
    let below = format!("{}px", (count - end) as i64 * LINE_HEIGHT_PX as i64);
    let width = format!("max(100%, {}ch)", props.lines.longest + 2);
    html! {
        <pre ref={props.node_ref.clone()} class="json-layer json-highlight" aria-hidden="true">
            <Styled tag="div" class="json-lines" style={vec![("min-width", width)]}>
                <Styled tag="div" class="spacer" style={vec![("height", above)]} />
                { for lines }
                <Styled tag="div" class="spacer" style={vec![("height", below)]} />
            </Styled>
        </pre>
    }
}

#[derive(Properties, PartialEq)]
struct LineProps {
    text: AttrValue,
    tokens: Rc<Vec<Token>>,
    mark: Option<AttrValue>,
}

/// One line of the highlighted text; re-rendered only when it changes.
#[function_component(Line)]
fn line(props: &LineProps) -> Html {
    let text: &str = &props.text;
    let spans = props.tokens.iter().map(|t| {
        let s = &text[t.start..t.end];
        match t.kind.class() {
            Some(class) => html! { <span class={class}>{ s }</span> },
            None => html! { { s } },
        }
    });
    html! {
        <span class={classes!("line", props.mark.is_some().then_some("marked"))}
            title={props.mark.clone()}>
            { for spans }
        </span>
    }
}

/// A place in the text drawn over it: a byte range and its CSS class.
#[derive(Clone, PartialEq)]
struct Place {
    start: usize,
    end: usize,
    class: &'static str,
}

#[derive(Properties, PartialEq)]
struct PlacesProps {
    text: AttrValue,
    lines: Rc<LineStarts>,
    /// In text order, not overlapping.
    places: Vec<Place>,
    /// The layer's content, moved as the textarea scrolls.
    node_ref: NodeRef,
    source: NodeRef,
}

/// Boxes drawn at places in the text: the bracket pair at the caret, where a problem is inside
/// a line. Only what places the boxes is drawn: blank space down to each place's line, then
/// that line's text up to the place (transparent). It is moved (not scrolled) with the text,
/// since it is shorter than the text.
#[function_component(Places)]
fn places(props: &PlacesProps) -> Html {
    {
        let (inner, source) = (props.node_ref.clone(), props.source.clone());
        use_effect(move || shift(&inner, &source));
    }
    let text: &str = &props.text;
    let valid = |p: &&Place| {
        p.start < p.end
            && p.end <= text.len()
            && text.is_char_boundary(p.start)
            && text.is_char_boundary(p.end)
            && !text[p.start..p.end].contains('\n')
    };
    let mut lines: Vec<Html> = Vec::new();
    // The line drawn last (`None` before the first) and where it starts.
    let mut drawn: Option<usize> = None;
    let mut row: Vec<Html> = Vec::new();
    let mut at = 0;
    for place in props.places.iter().filter(valid) {
        let line = line_at(&props.lines.starts, place.start);
        let line_start = props.lines.starts[line];
        if drawn != Some(line) {
            if !row.is_empty() {
                lines.push(html! { <span class="line">{ for row.drain(..) }</span> });
            }
            let skipped = match drawn {
                None => line,
                Some(previous) => line - previous - 1,
            };
            lines.push(spacer(skipped));
            drawn = Some(line);
            at = line_start;
        }
        let before = &text[at.max(line_start)..place.start];
        row.push(html! { <>{ before }<span class={place.class}>{ &text[place.start..place.end] }</span></> });
        at = place.end;
    }
    if !row.is_empty() {
        lines.push(html! { <span class="line">{ for row }</span> });
    }
    html! {
        <pre class="json-layer json-places" aria-hidden="true">
            <div ref={props.node_ref.clone()} class="json-places-content">{ for lines }</div>
        </pre>
    }
}

/// The token at a 1-based line and column: a run of name characters (`$states`, `foo`), else
/// the one character there (or, at a line's end, the one before it).
fn problem_place(text: &str, starts: &[usize], line: usize, column: usize) -> Option<Place> {
    let i = line.max(1) - 1;
    if i >= starts.len() {
        return None;
    }
    let range = line_range(text, starts, i);
    let line_start = range.start;
    let line_text = &text[range];
    let mut chars = line_text
        .char_indices()
        .skip(column.saturating_sub(1))
        .peekable();
    let name = |c: char| c.is_alphanumeric() || c == '_' || c == '$';
    let (start, end) = match chars.peek().copied() {
        Some((i, c)) if name(c) => {
            let end = chars
                .take_while(|(_, c)| name(*c))
                .last()
                .map_or(i, |(j, c)| j + c.len_utf8());
            (i, end)
        }
        Some((i, c)) => (i, i + c.len_utf8()),
        None => {
            let (i, c) = line_text.char_indices().last()?;
            (i, i + c.len_utf8())
        }
    };
    Some(Place {
        start: line_start + start,
        end: line_start + end,
        class: "problem-spot",
    })
}

/// Blank space as tall as `lines` lines.
fn spacer(lines: usize) -> Html {
    let height = format!("{}px", lines as i64 * LINE_HEIGHT_PX as i64);
    html! { <Styled class="spacer" style={vec![("height", height)]} /> }
}

#[derive(Properties, PartialEq)]
struct GutterProps {
    lines: usize,
    /// The lines numbered (see [`window_of`]); blank space stands for the others.
    window: (usize, usize),
    marks: Rc<Marks>,
    digits: usize,
    node_ref: NodeRef,
    source: NodeRef,
}

/// Line numbers, as one text (one DOM node however long the text); a line with problems is
/// marked by a number laid over its own, its messages in the number's tooltip.
#[function_component(Gutter)]
fn gutter(props: &GutterProps) -> Html {
    {
        let (layer, source) = (props.node_ref.clone(), props.source.clone());
        use_effect(move || follow(&layer, &source));
    }
    let first = props.window.0.min(props.lines);
    let end = props.window.1.clamp(first, props.lines);
    let numbers = use_memo((first, end), |&(first, end)| {
        let mut numbers = String::with_capacity((end - first) * 5);
        for n in first + 1..=end {
            if n > first + 1 {
                numbers.push('\n');
            }
            numbers.push_str(&n.to_string());
        }
        numbers
    });
    // Blank space for the lines above and below the window (and, below, as far as the
    // textarea scrolls past its last line: styles/editor.css's 40px).
    let spaces = vec![
        (
            "padding-top",
            format!("{}px", first as i64 * LINE_HEIGHT_PX as i64),
        ),
        (
            "padding-bottom",
            format!(
                "{}px",
                (props.lines - end) as i64 * LINE_HEIGHT_PX as i64 + 40
            ),
        ),
    ];
    let marked = props.marks.iter().map(|(line, message)| {
        let top = format!(
            "{}px",
            (*line as i64 - 1) * LINE_HEIGHT_PX as i64 + PADDING_Y_PX as i64
        );
        html! {
            <Styled class="ln marked" style={vec![("top", top)]} title={message.clone()}>
                { *line }
            </Styled>
        }
    });
    // Its width by a class (styles/editor.css), set in the same DOM change as the numbers, not
    // by an effect: the scheduler may let the browser lay out between a render and its
    // effects, and a gutter widened after the frame that laid out a pasted text made the
    // browser lay the whole textarea out again (130 ms for 18,000 lines).
    let width = format!("digits-{}", props.digits.clamp(2, GUTTER_DIGITS_MAX));
    html! {
        <div ref={props.node_ref.clone()} class={classes!("json-gutter", width)} aria-hidden="true">
            <Styled tag="div" class="json-gutter-numbers" style={spaces}>{ numbers.as_str() }</Styled>
            { for marked }
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_over_a_megabyte_is_refused_however_it_arrives() {
        assert_eq!(refusal(Arrival::Paste, 0, TEXT_MAX_BYTES), None);
        let six = 6 * 1024 * 1024;
        for (arrival, verb) in [
            (Arrival::Paste, "Not pasted"),
            (Arrival::Drop, "Not dropped"),
            (Arrival::File, "Not opened"),
        ] {
            let why = refusal(arrival, 10, six).expect("refused");
            assert!(
                why.starts_with(&format!("{verb}: the text would be 6.0 MB. AWS accepts at most 1 MB for a definition and 256 KiB for an execution input")),
                "{why}"
            );
            assert!(why.ends_with("The text here is as it was."), "{why}");
        }
        // Many small pastes add up: what counts is the text they make.
        assert!(refusal(Arrival::Paste, TEXT_MAX_BYTES - 10, TEXT_MAX_BYTES + 10).is_some());
        // A text already too big can still be made smaller.
        assert_eq!(refusal(Arrival::Paste, six, six - 1), None);
        assert_eq!(refusal(Arrival::File, six, six), None);
    }
}
