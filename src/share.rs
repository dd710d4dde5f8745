//! Share links and saved work: what a person built (definition, input, seed, outcome, selected
//! state, workshop step) as a small versioned snapshot.
//!
//! A share link carries it in the URL fragment as `#v1.<base64url(deflate(JSON))>`: nothing
//! reaches a server, and the page works from any static host. Every field may be missing, so a
//! link made by an older version opens in a newer one (missing fields take their defaults);
//! a link from a newer version, or a broken one, is refused with a clear message.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use serde::{Deserialize, Serialize};

/// The snapshot format this version writes.
pub const VERSION: u32 = 1;

/// Links longer than this are refused before decoding (a hostile or runaway link).
const MAX_LINK_CHARS: usize = 512 * 1024;
/// A decoded snapshot may not inflate past this (a zip bomb in a link).
const MAX_SNAPSHOT_BYTES: usize = 4 * 1024 * 1024;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Snapshot {
    /// The example the definition is, when it is one unchanged (keeps links short).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub example: Option<String>,
    /// The definition's text, when it is not an unchanged example.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub definition: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub input: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seed: Option<u64>,
    /// `random`, `resolved` or `unresolved`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub work_on_case: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub selected: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub workshop: Option<usize>,
}

/// The fragment (without `#`) of a share link.
pub fn encode(snapshot: &Snapshot) -> String {
    let json = serde_json::to_vec(snapshot).unwrap_or_default();
    let compressed = miniz_oxide::deflate::compress_to_vec(&json, 9);
    format!("v{VERSION}.{}", URL_SAFE_NO_PAD.encode(compressed))
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
    let compressed = URL_SAFE_NO_PAD
        .decode(data.trim_end_matches('='))
        .map_err(|_| "it was cut short or changed (it is not valid base64url).".to_string())?;
    let json = miniz_oxide::inflate::decompress_to_vec_with_limit(&compressed, MAX_SNAPSHOT_BYTES)
        .map_err(|_| "it was cut short or changed (its data does not decompress).".to_string())?;
    // Format 1 is the only one so far; an older format would be migrated here.
    serde_json::from_slice(&json)
        .map_err(|e| format!("its content is not a playground snapshot ({e})."))
}

#[cfg(test)]
mod tests {
    use super::*;

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
            ..tutorial()
        };
        assert_eq!(decode(&encode(&s)), Ok(s.clone()));
        assert_eq!(decode(&format!("#{}", encode(&s))), Ok(s));
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
