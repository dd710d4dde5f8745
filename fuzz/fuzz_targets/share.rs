//! Bytes → a share link read by the page's decoder (src/share.rs): as the fragment itself,
//! as a `v1.` link carrying the bytes (inflated as they are), and as a link carrying the bytes
//! deflated (so that the JSON reader sees them). A link that opens must give a snapshot that
//! makes the same link again.
#![no_main]

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use libfuzzer_sys::fuzz_target;
use sfn_playground::share;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = share::is_share_fragment(&text);
    let raw = format!("v1.{}", URL_SAFE_NO_PAD.encode(data));
    let deflated = format!(
        "v1.{}",
        URL_SAFE_NO_PAD.encode(miniz_oxide::deflate::compress_to_vec(data, 1))
    );
    for link in [&*text, &raw, &deflated] {
        if let Ok(snapshot) = share::decode(link) {
            assert_eq!(share::decode(&share::encode(&snapshot)), Ok(snapshot));
        }
    }
});
