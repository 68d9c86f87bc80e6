//! The real type of an upload, from its first bytes: clients' declared
//! content types and file names are not to be trusted.

pub use crate::entities::tenant::file::SniffedType;

/// How many leading bytes [`sniff`] looks at (and uploads buffer before deciding).
pub const SNIFF_LEN: usize = 1024;

/// The type of a file starting with `first_bytes` (only the first
/// [`SNIFF_LEN`] bytes are looked at).
pub fn sniff(first_bytes: &[u8]) -> SniffedType {
    let b = &first_bytes[..first_bytes.len().min(SNIFF_LEN)];
    if b.starts_with(b"\x89PNG\r\n\x1a\n") {
        SniffedType::Png
    } else if b.starts_with(b"\xff\xd8\xff") {
        SniffedType::Jpeg
    } else if b.len() >= 12 && b.starts_with(b"RIFF") && &b[8..12] == b"WEBP" {
        SniffedType::Webp
    } else if b.starts_with(b"GIF87a") || b.starts_with(b"GIF89a") {
        SniffedType::Gif
    } else if b.starts_with(b"%PDF-") {
        SniffedType::Pdf
    } else if is_svg(b) {
        SniffedType::Svg
    } else {
        SniffedType::Other
    }
}

/// Text whose first element is `<svg`, after an optional BOM, whitespace, XML
/// declaration / processing instructions, comments and a doctype.
fn is_svg(b: &[u8]) -> bool {
    let mut rest = b.strip_prefix(b"\xef\xbb\xbf").unwrap_or(b);
    loop {
        rest = trim_start(rest);
        if rest.starts_with(b"<?") {
            match skip_past(rest, b"?>") {
                Some(r) => rest = r,
                None => return false,
            }
        } else if rest.starts_with(b"<!--") {
            match skip_past(rest, b"-->") {
                Some(r) => rest = r,
                None => return false,
            }
        } else if rest.starts_with(b"<!") {
            match skip_doctype(rest) {
                Some(r) => rest = r,
                None => return false,
            }
        } else {
            break;
        }
    }
    // `<svg` followed by whitespace, `>` or `/`, so `<svgfoo>` does not count.
    rest.len() > 4
        && rest[..4].eq_ignore_ascii_case(b"<svg")
        && matches!(rest[4], b' ' | b'\t' | b'\r' | b'\n' | b'>' | b'/')
}

fn trim_start(b: &[u8]) -> &[u8] {
    let n = b.iter().take_while(|c| c.is_ascii_whitespace()).count();
    &b[n..]
}

fn skip_past<'a>(b: &'a [u8], end: &[u8]) -> Option<&'a [u8]> {
    b.windows(end.len())
        .position(|w| w == end)
        .map(|i| &b[i + end.len()..])
}

/// A doctype may carry an internal subset in `[...]` that contains `>`.
fn skip_doctype(b: &[u8]) -> Option<&[u8]> {
    let close = b.iter().position(|&c| c == b'>')?;
    match b.iter().position(|&c| c == b'[') {
        Some(open) if open < close => skip_past(skip_past(&b[open..], b"]")?, b">"),
        _ => Some(&b[close + 1..]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binary_formats_are_recognised_by_their_magic_numbers() {
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"), SniffedType::Png);
        assert_eq!(sniff(b"\xff\xd8\xff\xe0\0\x10JFIF"), SniffedType::Jpeg);
        assert_eq!(sniff(b"RIFF\x24\0\0\0WEBPVP8 "), SniffedType::Webp);
        assert_eq!(sniff(b"GIF87a\x01\0"), SniffedType::Gif);
        assert_eq!(sniff(b"GIF89a\x01\0"), SniffedType::Gif);
        assert_eq!(sniff(b"%PDF-1.7\n%\xe2\xe3"), SniffedType::Pdf);
    }

    #[test]
    fn near_misses_are_other() {
        assert_eq!(sniff(b""), SniffedType::Other);
        assert_eq!(sniff(b"\x89PNG\r\n"), SniffedType::Other);
        assert_eq!(sniff(b"RIFF\x24\0\0\0WAVEfmt "), SniffedType::Other);
        assert_eq!(sniff(b"GIF88a"), SniffedType::Other);
        assert_eq!(sniff(b"%PDF"), SniffedType::Other);
        assert_eq!(sniff(b"PK\x03\x04"), SniffedType::Other);
    }

    #[test]
    fn a_bare_svg_is_svg() {
        assert_eq!(
            sniff(b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>"),
            SniffedType::Svg
        );
        assert_eq!(sniff(b"\n  <SVG>"), SniffedType::Svg);
        assert_eq!(sniff(b"<svgx>"), SniffedType::Other);
    }

    #[test]
    fn an_svg_with_bom_prolog_comment_and_doctype_is_svg() {
        let svg = b"\xef\xbb\xbf<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
            <!-- Generator: Illustrator -->\n\
            <!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" \
            \"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd\" [\n<!ENTITY ns \"x>y\">\n]>\n\
            <svg version=\"1.1\" xmlns=\"http://www.w3.org/2000/svg\">";
        assert_eq!(sniff(svg), SniffedType::Svg);
    }

    #[test]
    fn an_html_page_containing_svg_is_not_svg() {
        let html = b"<!DOCTYPE html>\n<html><body><svg width=\"10\"></svg></body></html>";
        assert_eq!(sniff(html), SniffedType::Other);
        assert_eq!(sniff(b"<?xml version=\"1.0\"?><html/>"), SniffedType::Other);
    }

    #[test]
    fn only_the_first_kilobyte_counts() {
        let mut late = vec![b' '; SNIFF_LEN];
        late.extend_from_slice(b"<svg>");
        assert_eq!(sniff(&late), SniffedType::Other);
        assert_eq!(sniff(b"<!-- never closed <svg>"), SniffedType::Other);
    }
}
