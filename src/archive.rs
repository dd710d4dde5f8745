//! "Download all": the exported files in one zip (stored, not compressed: they are small).
//!
//! A stored-only zip writer is a few dozen lines (local headers, the data, the central
//! directory, its end record, and CRC-32); the `zip` crate it replaces brought its reader,
//! its date handling and its error types into the page's .wasm for the same bytes.

/// Version 2.0 of the format: enough for stored entries with UTF-8 names.
const VERSION: u16 = 20;
/// General-purpose flag bit 11: the file names are UTF-8.
const UTF8_NAMES: u16 = 1 << 11;
/// 1980-01-01 00:00:00 in MS-DOS date and time (the earliest a zip can say).
const DOS_DATE: u16 = (1 << 5) | 1;
const DOS_TIME: u16 = 0;

/// A zip of `(name, contents)` files, stored (method 0); empty if one is too big for a zip
/// without its 64-bit extension (4 GiB, 65,535 files: never, for templates).
pub fn zip<'a>(files: impl IntoIterator<Item = (&'a str, &'a [u8])>) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    let mut count: u16 = 0;
    for (name, contents) in files {
        let (Ok(size), Ok(offset), Ok(name_len), Some(next)) = (
            u32::try_from(contents.len()),
            u32::try_from(out.len()),
            u16::try_from(name.len()),
            count.checked_add(1),
        ) else {
            return Vec::new();
        };
        count = next;
        let crc = crc32(contents);
        // Local file header.
        put32(&mut out, 0x0403_4b50);
        for v in [VERSION, UTF8_NAMES, 0, DOS_TIME, DOS_DATE] {
            put16(&mut out, v);
        }
        for v in [crc, size, size] {
            put32(&mut out, v);
        }
        put16(&mut out, name_len);
        put16(&mut out, 0);
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(contents);
        // Its central directory entry.
        put32(&mut central, 0x0201_4b50);
        for v in [VERSION, VERSION, UTF8_NAMES, 0, DOS_TIME, DOS_DATE] {
            put16(&mut central, v);
        }
        for v in [crc, size, size] {
            put32(&mut central, v);
        }
        // Name length, extra, comment, disk, internal attributes; external attributes
        // (none), then where the local header is.
        for v in [name_len, 0, 0, 0, 0] {
            put16(&mut central, v);
        }
        put32(&mut central, 0);
        put32(&mut central, offset);
        central.extend_from_slice(name.as_bytes());
    }
    let (Ok(central_size), Ok(central_offset)) =
        (u32::try_from(central.len()), u32::try_from(out.len()))
    else {
        return Vec::new();
    };
    out.extend_from_slice(&central);
    // End of central directory record.
    put32(&mut out, 0x0605_4b50);
    for v in [0, 0, count, count] {
        put16(&mut out, v);
    }
    put32(&mut out, central_size);
    put32(&mut out, central_offset);
    put16(&mut out, 0);
    out
}

fn put16(out: &mut Vec<u8>, v: u16) {
    out.extend_from_slice(&v.to_le_bytes());
}

fn put32(out: &mut Vec<u8>, v: u32) {
    out.extend_from_slice(&v.to_le_bytes());
}

/// CRC-32 (IEEE 802.3, as zip uses it), a bit at a time: the files are a few kilobytes.
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = (crc >> 1) ^ (0xEDB8_8320 & (crc & 1).wrapping_neg());
        }
    }
    !crc
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    #[test]
    fn crc32_of_the_check_string() {
        assert_eq!(super::crc32(b"123456789"), 0xCBF4_3926);
        assert_eq!(super::crc32(b""), 0);
    }

    #[test]
    fn files_round_trip_through_the_zip() {
        let bytes = super::zip([("a.yml", b"x: 1\n".as_slice()), ("b.txt", "é".as_bytes())]);
        // Read back by the zip crate (a test-only dependency): names, contents and CRCs.
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        assert_eq!(archive.len(), 2);
        let mut text = String::new();
        archive
            .by_name("b.txt")
            .unwrap()
            .read_to_string(&mut text)
            .unwrap();
        assert_eq!(text, "é");
        let mut yaml = String::new();
        archive
            .by_name("a.yml")
            .unwrap()
            .read_to_string(&mut yaml)
            .unwrap();
        assert_eq!(yaml, "x: 1\n");
    }

    #[test]
    fn an_empty_zip_is_just_its_end_record() {
        let bytes = super::zip([]);
        assert_eq!(bytes.len(), 22);
        let archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        assert_eq!(archive.len(), 0);
    }
}
