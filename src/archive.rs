//! "Download all": the exported files in one zip (stored, not compressed: they are small).

use std::io::{Cursor, Write};
use zip::write::SimpleFileOptions;

/// A zip of `(name, contents)` files; empty if writing fails (it cannot, in memory).
pub fn zip<'a>(files: impl IntoIterator<Item = (&'a str, &'a [u8])>) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, contents) in files {
        if writer.start_file(name, options).is_err() || writer.write_all(contents).is_err() {
            return Vec::new();
        }
    }
    writer.finish().map(|c| c.into_inner()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    #[test]
    fn files_round_trip_through_the_zip() {
        let bytes = super::zip([("a.yml", b"x: 1\n".as_slice()), ("b.txt", "é".as_bytes())]);
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        assert_eq!(archive.len(), 2);
        let mut text = String::new();
        archive
            .by_name("b.txt")
            .unwrap()
            .read_to_string(&mut text)
            .unwrap();
        assert_eq!(text, "é");
    }
}
