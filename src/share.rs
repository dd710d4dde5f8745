//! Share links and saved work: what a person built (definition, input, seed, outcome, selected
//! state, workshop step) and, in a link, how far the run was shown, as a small versioned
//! snapshot.
//!
//! A share link carries it in the URL fragment as `#v1.<base64url(deflate(JSON))>`: nothing
//! reaches a server, and the page works from any static host. Every field may be missing, so a
//! link made by an older version opens in a newer one (missing fields take their defaults);
//! a link from a newer version, or a broken one, is refused with a clear message.

use serde_json::{Map, Value};

/// The snapshot format this version writes.
pub const VERSION: u32 = 1;

/// Links longer than this are refused before decoding (a hostile or runaway link).
const MAX_LINK_CHARS: usize = 512 * 1024;
/// A decoded snapshot may not inflate past this (a zip bomb in a link).
const MAX_SNAPSHOT_BYTES: usize = 4 * 1024 * 1024;

/// In JSON, an object with these fields in camelCase (`workOnCase`), each left out when it
/// is `None`; reading one, a missing or null field is `None` and unknown fields are ignored.
/// Written and read through `serde_json::Value` by hand rather than derived: the page
/// already has Value's parser and printer, and a derive adds a deserializer of its own.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Snapshot {
    /// The example the definition is, when it is one unchanged (keeps links short).
    pub example: Option<String>,
    /// The definition's text, when it is not an unchanged example.
    pub definition: Option<String>,
    pub input: Option<String>,
    /// The MockConfigFile, when it is not the example's own.
    pub mocks: Option<String>,
    /// The test case of it that answers runs (`StateMachine#TestCase`).
    pub mock_case: Option<String>,
    pub seed: Option<u64>,
    /// `random`, `resolved` or `unresolved`.
    pub work_on_case: Option<String>,
    pub selected: Option<String>,
    pub workshop: Option<usize>,
    /// How many of the run's events were shown (the cursor): opening the link runs the same
    /// execution again (same definition, input, seed and outcome) up to there. `None` (or 0):
    /// no run, as in links made before the step travelled.
    pub step: Option<usize>,
    /// The run had been stopped (Stop) and its last event shown is that ExecutionAborted.
    pub stopped: Option<bool>,
}

impl Snapshot {
    /// The snapshot as JSON text (the inside of a share link).
    pub fn to_json(&self) -> String {
        self.to_value().to_string()
    }

    /// The snapshot as a JSON object (saved work adds its version to it).
    pub fn to_value(&self) -> Value {
        let mut map = Map::new();
        let texts = [
            ("example", &self.example),
            ("definition", &self.definition),
            ("input", &self.input),
            ("mocks", &self.mocks),
            ("mockCase", &self.mock_case),
        ];
        for (key, text) in texts {
            if let Some(text) = text {
                map.insert(key.into(), Value::String(text.clone()));
            }
        }
        if let Some(seed) = self.seed {
            map.insert("seed".into(), seed.into());
        }
        for (key, text) in [
            ("workOnCase", &self.work_on_case),
            ("selected", &self.selected),
        ] {
            if let Some(text) = text {
                map.insert(key.into(), Value::String(text.clone()));
            }
        }
        if let Some(step) = self.workshop {
            map.insert("workshop".into(), step.into());
        }
        if let Some(step) = self.step {
            map.insert("step".into(), step.into());
        }
        if let Some(stopped) = self.stopped {
            map.insert("stopped".into(), stopped.into());
        }
        Value::Object(map)
    }

    /// Reads [`Self::to_json`]'s text back; what is wrong with it otherwise.
    pub fn from_json(text: &[u8]) -> Result<Snapshot, String> {
        let value: Value = serde_json::from_slice(text).map_err(|e| e.to_string())?;
        Snapshot::from_value(&value)
    }

    /// Reads [`Self::to_value`]'s object back; what is wrong with it otherwise.
    pub fn from_value(value: &Value) -> Result<Snapshot, String> {
        let Value::Object(map) = value else {
            return Err("it is not a JSON object".into());
        };
        let text = |key: &str| match map.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(format!("{key} is not a string")),
        };
        let number = |key: &str| match map.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(n) => n
                .as_u64()
                .map(Some)
                .ok_or_else(|| format!("{key} is not a whole number")),
        };
        let whole = |key: &str| {
            number(key)?
                .map(usize::try_from)
                .transpose()
                .map_err(|_| format!("{key} is too large"))
        };
        let stopped = match map.get("stopped") {
            None | Some(Value::Null) => None,
            Some(Value::Bool(b)) => Some(*b),
            Some(_) => return Err("stopped is not true or false".into()),
        };
        Ok(Snapshot {
            example: text("example")?,
            definition: text("definition")?,
            input: text("input")?,
            mocks: text("mocks")?,
            mock_case: text("mockCase")?,
            seed: number("seed")?,
            work_on_case: text("workOnCase")?,
            selected: text("selected")?,
            workshop: whole("workshop")?,
            step: whole("step")?,
            stopped,
        })
    }
}

/// The fragment (without `#`) of a share link, deflated by miniz_oxide (natively: tests).
#[cfg(not(target_arch = "wasm32"))]
pub fn encode(snapshot: &Snapshot) -> String {
    let json = snapshot.to_json();
    fragment(&miniz_oxide::deflate::compress_to_vec(json.as_bytes(), 9))
}

/// The fragment (without `#`) of a share link. In the browser the browser deflates it
/// (CompressionStream "deflate-raw"): the page's .wasm then carries miniz_oxide's inflater
/// only, to read links, not its compressor (about 20 KB). A browser without
/// CompressionStream gets stored (uncompressed) deflate blocks: a longer link that opens
/// all the same.
/// `Err` says why no link is made: one [`decode`] would refuse (see [`openable`]).
#[cfg(target_arch = "wasm32")]
pub async fn encode_async(snapshot: &Snapshot) -> Result<String, String> {
    let json = snapshot.to_json();
    openable(json.len(), None)?;
    fits_editors(snapshot).map_err(|(what, bytes)| {
        format!(
            "This playground is too large for a link: its {what} is {}, and a link opens only text an editor takes ({TEXT_LIMIT_WORDS}).",
            megabytes(bytes)
        )
    })?;
    let link = match browser_deflate(json.as_bytes()).await {
        Some(deflated) => fragment(&deflated),
        None => fragment(&stored(json.as_bytes())),
    };
    openable(json.len(), Some(link.len()))?;
    Ok(link)
}

/// [`encode`], natively, refused as in the browser.
#[cfg(not(target_arch = "wasm32"))]
pub async fn encode_async(snapshot: &Snapshot) -> Result<String, String> {
    let json = snapshot.to_json();
    openable(json.len(), None)?;
    fits_editors(snapshot).map_err(|(what, bytes)| {
        format!(
            "This playground is too large for a link: its {what} is {}, and a link opens only text an editor takes ({TEXT_LIMIT_WORDS}).",
            megabytes(bytes)
        )
    })?;
    let link = encode(snapshot);
    openable(json.len(), Some(link.len()))?;
    Ok(link)
}

/// Whether a link whose snapshot is `json` bytes long (and whose fragment, once made, is
/// `fragment` characters) opens: [`decode`]'s limits, said when the link is made rather than
/// when it fails to open.
pub fn openable(json: usize, fragment: Option<usize>) -> Result<(), String> {
    if json > MAX_SNAPSHOT_BYTES {
        return Err(format!(
            "This playground is too large for a link: its definition, input and mocks come to {}, and a link can carry at most 4 MB ({} bytes).",
            megabytes(json),
            thousands(MAX_SNAPSHOT_BYTES)
        ));
    }
    match fragment {
        Some(chars) if chars > MAX_LINK_CHARS => Err(format!(
            "This playground is too large for a link: the link would be {} characters long, and the playground opens links of at most {} characters.",
            thousands(chars),
            thousands(MAX_LINK_CHARS)
        )),
        _ => Ok(()),
    }
}

/// The editors' limit on text, as said when a link is refused for it.
const TEXT_LIMIT_WORDS: &str =
    "at most 1 MB: AWS accepts at most 1 MB for a definition and 256 KiB for an execution input";

/// Each text of `snapshot` fits the editors (see
/// [`crate::components::json_editor::TEXT_MAX_BYTES`]: a text any bigger would hold the page
/// for seconds laying it out); else which one does not, and its size.
fn fits_editors(snapshot: &Snapshot) -> Result<(), (&'static str, usize)> {
    let texts = [
        ("definition", &snapshot.definition),
        ("input", &snapshot.input),
        ("MockConfigFile", &snapshot.mocks),
    ];
    for (what, text) in texts {
        let bytes = text.as_ref().map_or(0, String::len);
        if bytes > crate::components::json_editor::TEXT_MAX_BYTES {
            return Err((what, bytes));
        }
    }
    Ok(())
}

/// `4.6 MB` (MiB, as the limit is).
fn megabytes(bytes: usize) -> String {
    format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
}

/// `4,194,304`.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `v1.` and the deflated snapshot, base64url-encoded.
fn fragment(deflated: &[u8]) -> String {
    format!("v{VERSION}.{}", base64url(deflated))
}

/// The URL-safe base64 alphabet (RFC 4648 §5).
const BASE64URL: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// `bytes` in base64url, unpadded. Written here rather than taken from the base64 crate: a
/// link needs only this alphabet, and the crate's generic engines were 3 KB of the .wasm.
fn base64url(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
        for i in 0..=chunk.len() {
            out.push(char::from(BASE64URL[(n >> (18 - 6 * i)) as usize & 63]));
        }
    }
    out
}

/// [`base64url`]'s bytes back; `None` for a character outside the alphabet, a length no
/// encoding has, or bits left over that are not zero.
fn from_base64url(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in text.bytes() {
        let v = BASE64URL.iter().position(|&a| a == c)? as u32;
        acc = (acc << 6 | v) & 0xFFFF;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    // 6 bits left: a lone character; 2 or 4: padding bits, which must be zero.
    (bits < 6 && acc & ((1 << bits) - 1) == 0).then_some(out)
}

/// `new Response(new Blob([bytes]).stream().pipeThrough(new CompressionStream("deflate-raw")))
/// .arrayBuffer()`, through Reflect (no more web-sys bindings); `None` if anything is missing.
#[cfg(target_arch = "wasm32")]
async fn browser_deflate(bytes: &[u8]) -> Option<Vec<u8>> {
    use js_sys::{Array, Function, Reflect};
    use wasm_bindgen::{JsCast, JsValue};
    let get = |o: &JsValue, key: &str| Reflect::get(o, &JsValue::from_str(key)).ok();
    let class = |name: &str| get(&js_sys::global(), name)?.dyn_into::<Function>().ok();
    let call = |o: &JsValue, method: &str, args: &Array| {
        let f = get(o, method)?.dyn_into::<Function>().ok()?;
        Reflect::apply(&f, o, args).ok()
    };
    let compressor = Reflect::construct(
        &class("CompressionStream")?,
        &Array::of1(&JsValue::from_str("deflate-raw")),
    )
    .ok()?;
    let blob =
        web_sys::Blob::new_with_u8_array_sequence(&Array::of1(&js_sys::Uint8Array::from(bytes)))
            .ok()?;
    let stream = call(&blob, "stream", &Array::new())?;
    let deflated = call(&stream, "pipeThrough", &Array::of1(&compressor))?;
    let response = Reflect::construct(&class("Response")?, &Array::of1(&deflated)).ok()?;
    let buffer = call(&response, "arrayBuffer", &Array::new())?;
    let buffer = wasm_bindgen_futures::JsFuture::from(buffer.dyn_into::<js_sys::Promise>().ok()?)
        .await
        .ok()?;
    Some(js_sys::Uint8Array::new(&buffer).to_vec())
}

/// Raw deflate in stored blocks (RFC 1951, BTYPE 00): the bytes as they are, which any
/// inflater reads.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
fn stored(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len() + 5 * (bytes.len() / 0xFFFF + 1));
    let mut blocks = bytes.chunks(0xFFFF).peekable();
    if bytes.is_empty() {
        out.extend([1, 0, 0, 0xFF, 0xFF]);
    }
    while let Some(block) = blocks.next() {
        // BFINAL on the last block, BTYPE 00, then the header's byte is padded out.
        out.push(u8::from(blocks.peek().is_none()));
        let len = block.len() as u16;
        out.extend(len.to_le_bytes());
        out.extend((!len).to_le_bytes());
        out.extend_from_slice(block);
    }
    out
}

/// Whether a fragment looks like a share link at all (other fragments are left alone).
pub fn is_share_fragment(fragment: &str) -> bool {
    let fragment = fragment.trim_start_matches('#');
    fragment.starts_with('v')
        && fragment[1..]
            .split_once('.')
            .is_some_and(|(v, _)| !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()))
}

/// A share link's snapshot, or what is wrong with the link, in words for the person.
pub fn decode(fragment: &str) -> Result<Snapshot, String> {
    let fragment = fragment.trim_start_matches('#');
    if fragment.len() > MAX_LINK_CHARS {
        return Err(format!(
            "the link is too long ({} characters).",
            fragment.len()
        ));
    }
    let Some((version, data)) = fragment.strip_prefix('v').and_then(|f| f.split_once('.')) else {
        return Err("it is not a playground link.".into());
    };
    let version: u32 = version
        .parse()
        .map_err(|_| "its version is not a number.".to_string())?;
    if version > VERSION {
        return Err(format!("it was made by a newer version of the playground (format {version}); reload the page to update."));
    }
    let compressed = from_base64url(data.trim_end_matches('='))
        .ok_or_else(|| "it was cut short or changed (it is not valid base64url).".to_string())?;
    let json = miniz_oxide::inflate::decompress_to_vec_with_limit(&compressed, MAX_SNAPSHOT_BYTES)
        .map_err(|e| match e.status {
            miniz_oxide::inflate::TINFLStatus::HasMoreOutput => format!(
                "it holds more than a link can carry ({} bytes once unpacked).",
                thousands(MAX_SNAPSHOT_BYTES)
            ),
            _ => "it was cut short or changed (its data does not decompress).".to_string(),
        })?;
    // Format 1 is the only one so far; an older format would be migrated here.
    let snapshot = Snapshot::from_json(&json)
        .map_err(|e| format!("its content is not a playground snapshot ({e})."))?;
    fits_editors(&snapshot).map_err(|(what, bytes)| {
        format!(
            "its {what} is {}, more than an editor takes ({TEXT_LIMIT_WORDS}).",
            megabytes(bytes)
        )
    })?;
    Ok(snapshot)
}

// Natively only: in the browser, encode is async (the browser deflates).
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine as _;

    fn tutorial() -> Snapshot {
        Snapshot {
            example: Some("tutorial".into()),
            input: Some(callcenter::TUTORIAL_INPUT.into()),
            seed: Some(42),
            work_on_case: Some("resolved".into()),
            selected: Some("Work on Case".into()),
            ..Default::default()
        }
    }

    #[test]
    fn round_trips() {
        let s = Snapshot {
            definition: Some(callcenter::TUTORIAL_DEFINITION.into()),
            workshop: Some(3),
            step: Some(15),
            stopped: Some(true),
            ..tutorial()
        };
        assert_eq!(decode(&encode(&s)), Ok(s.clone()));
        assert_eq!(decode(&format!("#{}", encode(&s))), Ok(s));
    }

    #[test]
    fn json_is_camel_case_without_the_missing_fields() {
        let s = Snapshot {
            definition: Some("{}".into()),
            workshop: Some(2),
            ..tutorial()
        };
        assert_eq!(
            s.to_json(),
            format!(
                r#"{{"example":"tutorial","definition":"{{}}","input":{},"seed":42,"workOnCase":"resolved","selected":"Work on Case","workshop":2}}"#,
                serde_json::to_string(callcenter::TUTORIAL_INPUT).unwrap()
            )
        );
        assert_eq!(Snapshot::default().to_json(), "{}");
        assert_eq!(Snapshot::from_json(s.to_json().as_bytes()), Ok(s));
        assert_eq!(
            Snapshot::from_json(br#"{"seed":null,"input":"x"}"#),
            Ok(Snapshot {
                input: Some("x".into()),
                ..Default::default()
            })
        );
        assert!(Snapshot::from_json(br#"{"seed":"3"}"#).is_err());
        assert!(Snapshot::from_json(br#"{"seed":-1}"#).is_err());
        assert!(Snapshot::from_json(br#"{"selected":1}"#).is_err());
        assert!(Snapshot::from_json(br#"{"step":-3}"#).is_err());
        assert!(Snapshot::from_json(br#"{"stopped":"yes"}"#).is_err());
        assert_eq!(
            Snapshot::from_json(br#"{"step":15,"stopped":true}"#),
            Ok(Snapshot {
                step: Some(15),
                stopped: Some(true),
                ..Default::default()
            })
        );
        assert!(Snapshot::from_json(b"[]").is_err());
    }

    #[test]
    fn base64url_as_the_base64_crate_writes_and_reads_it() {
        let mut seed = 1u64;
        for n in 0..200 {
            let bytes: Vec<u8> = (0..n)
                .map(|_| {
                    seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1);
                    (seed >> 56) as u8
                })
                .collect();
            let ours = base64url(&bytes);
            assert_eq!(ours, URL_SAFE_NO_PAD.encode(&bytes));
            assert_eq!(from_base64url(&ours), Some(bytes));
        }
        for bad in ["A", "AB=", "a*bc", "AB", "ABC"] {
            assert_eq!(
                from_base64url(bad).is_some(),
                URL_SAFE_NO_PAD.decode(bad).is_ok(),
                "{bad}"
            );
        }
    }

    #[test]
    fn stored_deflate_blocks_open_as_links() {
        let s = Snapshot {
            definition: Some("x".repeat(150_000)),
            ..tutorial()
        };
        for json in [s.to_json(), String::new()] {
            let link = fragment(&stored(json.as_bytes()));
            let bytes = URL_SAFE_NO_PAD.decode(&link[3..]).unwrap();
            let inflated =
                miniz_oxide::inflate::decompress_to_vec_with_limit(&bytes, 1 << 20).unwrap();
            assert_eq!(inflated, json.as_bytes());
        }
        assert_eq!(decode(&fragment(&stored(s.to_json().as_bytes()))), Ok(s));
    }

    #[test]
    fn the_tutorials_link_is_short() {
        let with_text = Snapshot {
            example: None,
            definition: Some(callcenter::TUTORIAL_DEFINITION.into()),
            ..tutorial()
        };
        assert!(
            encode(&tutorial()).len() < 200,
            "{}",
            encode(&tutorial()).len()
        );
        assert!(
            encode(&with_text).len() < 2_000,
            "{}",
            encode(&with_text).len()
        );
    }

    /// A link is made exactly when it would open: the limits said when it is made are the
    /// ones decode enforces.
    #[test]
    fn links_too_large_to_open_are_not_made() {
        use crate::components::json_editor::TEXT_MAX_BYTES;
        let with_input = |input: String| Snapshot {
            input: Some(input),
            ..tutorial()
        };
        // Each text as big as an editor takes, and the rest (a state's name) just under the
        // unpacked limit: made, and it opens.
        let full = "x".repeat(TEXT_MAX_BYTES);
        let filled = |rest: usize| Snapshot {
            definition: Some(full.clone()),
            input: Some(full.clone()),
            mocks: Some(full.clone()),
            selected: Some("s".repeat(rest)),
            ..tutorial()
        };
        let room = MAX_SNAPSHOT_BYTES - filled(0).to_json().len();
        let fits = filled(room);
        let link = block_on(encode_async(&fits)).expect("it fits");
        assert_eq!(decode(&link), Ok(fits));
        // One byte more: refused when made, and decode would refuse it too.
        let over = filled(room + 1);
        let why = block_on(encode_async(&over)).unwrap_err();
        assert!(
            why.contains("too large for a link") && why.contains("4 MB"),
            "{why}"
        );
        assert!(decode(&encode(&over))
            .unwrap_err()
            .contains("more than a link can carry"));
        // A text bigger than an editor takes (it would hold the page for seconds): refused
        // when made, and when opened.
        for (what, big) in [
            ("input", with_input("x".repeat(TEXT_MAX_BYTES + 1))),
            (
                "definition",
                Snapshot {
                    definition: Some("x".repeat(3 * TEXT_MAX_BYTES)),
                    ..tutorial()
                },
            ),
            (
                "MockConfigFile",
                Snapshot {
                    mocks: Some("x".repeat(TEXT_MAX_BYTES + 1)),
                    ..tutorial()
                },
            ),
        ] {
            let why = block_on(encode_async(&big)).unwrap_err();
            assert!(
                why.starts_with(&format!(
                    "This playground is too large for a link: its {what} is "
                )),
                "{why}"
            );
            assert!(
                why.contains("AWS accepts at most 1 MB for a definition"),
                "{why}"
            );
            let why = decode(&encode(&big)).unwrap_err();
            assert!(why.starts_with(&format!("its {what} is ")), "{why}");
            assert!(why.contains("more than an editor takes"), "{why}");
        }
        assert_eq!(
            decode(&encode(&with_input("x".repeat(3 * TEXT_MAX_BYTES)))).unwrap_err(),
            "its input is 3.0 MB, more than an editor takes (at most 1 MB: AWS accepts at most 1 MB for a definition and 256 KiB for an execution input)."
        );
        // Short when unpacked but too long a link (data that does not compress).
        let mut seed = 7u64;
        let noise: String = (0..600_000)
            .map(|_| {
                seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1);
                char::from(BASE64URL[(seed >> 58) as usize])
            })
            .collect();
        let noisy = with_input(noise);
        let why = block_on(encode_async(&noisy)).unwrap_err();
        assert!(why.contains("characters"), "{why}");
        assert!(decode(&encode(&noisy)).unwrap_err().contains("too long"));
        assert_eq!(thousands(4_194_304), "4,194,304");
        assert_eq!(thousands(999), "999");
    }

    /// Runs a future that never waits (encode_async, natively) to its end.
    fn block_on<T>(f: impl std::future::Future<Output = T>) -> T {
        use std::task::{Context, Poll, Waker};
        let mut f = std::pin::pin!(f);
        match f.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
            Poll::Ready(v) => v,
            Poll::Pending => panic!("encode_async waited"),
        }
    }

    #[test]
    fn older_links_open_with_defaults() {
        // A link that knew only the definition still opens.
        let old = format!(
            "v1.{}",
            URL_SAFE_NO_PAD.encode(miniz_oxide::deflate::compress_to_vec(
                br#"{"definition":"{}"}"#,
                9
            ))
        );
        assert_eq!(decode(&old).unwrap().definition.as_deref(), Some("{}"));
        // A link made before the step travelled opens with no run.
        assert_eq!(decode(&old).unwrap().step, None);
        // Fields it did not know are ignored.
        let newer_fields = format!(
            "v1.{}",
            URL_SAFE_NO_PAD.encode(miniz_oxide::deflate::compress_to_vec(
                br#"{"seed":3,"theme":"dark"}"#,
                9
            ))
        );
        assert_eq!(decode(&newer_fields).unwrap().seed, Some(3));
    }

    fn text() -> impl proptest::strategy::Strategy<Value = Option<String>> {
        proptest::option::of("\\PC{0,40}|[\\x00-\\x7f]{0,20}")
    }

    proptest::proptest! {
        /// Whatever the snapshot holds, its link opens as it, deflated or in stored blocks.
        #[test]
        fn any_snapshot_survives_its_link(
            (example, definition, input, mocks, mock_case) in (text(), text(), text(), text(), text()),
            (work_on_case, selected) in (text(), text()),
            seed in proptest::option::of(proptest::num::u64::ANY),
            workshop in proptest::option::of(proptest::num::usize::ANY),
            step in proptest::option::of(proptest::num::usize::ANY),
            stopped in proptest::option::of(proptest::bool::ANY),
        ) {
            let s = Snapshot {
                example, definition, input, mocks, mock_case, seed, work_on_case, selected,
                workshop, step, stopped,
            };
            proptest::prop_assert_eq!(decode(&encode(&s)), Ok(s.clone()));
            proptest::prop_assert_eq!(decode(&fragment(&stored(s.to_json().as_bytes()))), Ok(s));
        }
    }

    #[test]
    fn broken_links_say_what_is_wrong() {
        let good = encode(&tutorial());
        let truncated = &good[..good.len() - 10];
        assert!(decode(truncated).unwrap_err().contains("cut short"));
        assert!(decode("v1.***").unwrap_err().contains("base64url"));
        assert!(decode("v9.abc").unwrap_err().contains("newer version"));
        assert!(decode("hello")
            .unwrap_err()
            .contains("not a playground link"));
        let not_json = format!(
            "v1.{}",
            URL_SAFE_NO_PAD.encode(miniz_oxide::deflate::compress_to_vec(b"[1,2", 9))
        );
        assert!(decode(&not_json)
            .unwrap_err()
            .contains("not a playground snapshot"));
        let bomb = format!(
            "v1.{}",
            URL_SAFE_NO_PAD.encode(miniz_oxide::deflate::compress_to_vec(
                &vec![b' '; 8 << 20],
                9
            ))
        );
        assert!(decode(&bomb).is_err(), "a zip bomb is refused");
        assert!(
            is_share_fragment("#v1.abc")
                && !is_share_fragment("#workshop=3")
                && !is_share_fragment("#v.x")
        );
    }
}
