//! Images are published without their metadata: a phone photo's EXIF holds
//! GPS coordinates (where a household lives), the time, the camera's serial.
//! Pixels are never re-encoded; only metadata segments and chunks are
//! dropped. A JPEG's orientation is kept (in a minimal EXIF block of its
//! own), so a photo taken sideways is not shown sideways.

/// The image without metadata, or None when it is not a JPEG or PNG this
/// understands (it is then copied as it is).
pub fn strip(name: &str, bytes: &[u8]) -> Option<Vec<u8>> {
    let lower = name.to_ascii_lowercase();
    if lower.ends_with(".jpg") || lower.ends_with(".jpeg") {
        strip_jpeg(bytes)
    } else if lower.ends_with(".png") {
        strip_png(bytes)
    } else {
        None
    }
}

/// Drop APP1 (EXIF, XMP), APP12–APP15 and COM segments before the image data.
fn strip_jpeg(bytes: &[u8]) -> Option<Vec<u8>> {
    if !bytes.starts_with(&[0xFF, 0xD8]) {
        return None;
    }
    let mut out = vec![0xFF, 0xD8];
    let mut orientation = None;
    let mut i = 2;
    while i + 4 <= bytes.len() {
        if bytes[i] != 0xFF {
            return None;
        }
        let marker = bytes[i + 1];
        if marker == 0xDA {
            // Start of scan: the rest is image data.
            if let Some(o) = orientation.filter(|o| *o != 1) {
                insert_after_app0(&mut out, &orientation_exif(o));
            }
            out.extend_from_slice(&bytes[i..]);
            return Some(out);
        }
        let len = usize::from(u16::from_be_bytes([bytes[i + 2], bytes[i + 3]]));
        let segment = bytes.get(i..i + 2 + len)?;
        let drop = match marker {
            0xE1 => {
                orientation = orientation.or_else(|| exif_orientation(&segment[4..]));
                true
            }
            0xEC..=0xEF | 0xFE => true,
            _ => false,
        };
        if !drop {
            out.extend_from_slice(segment);
        }
        i += 2 + len;
    }
    None
}

fn insert_after_app0(out: &mut Vec<u8>, segment: &[u8]) {
    let at = if out.len() > 4 && out[2] == 0xFF && out[3] == 0xE0 {
        4 + usize::from(u16::from_be_bytes([out[4], out[5]]))
    } else {
        2
    };
    out.splice(at..at, segment.iter().copied());
}

/// The Orientation tag (0x0112) of IFD0 in an APP1 EXIF payload.
fn exif_orientation(payload: &[u8]) -> Option<u16> {
    let tiff = payload.strip_prefix(b"Exif\0\0")?;
    let big = match tiff.get(..2)? {
        b"MM" => true,
        b"II" => false,
        _ => return None,
    };
    let u16_at = |o: usize| -> Option<u16> {
        let b = [*tiff.get(o)?, *tiff.get(o + 1)?];
        Some(if big {
            u16::from_be_bytes(b)
        } else {
            u16::from_le_bytes(b)
        })
    };
    let u32_at = |o: usize| -> Option<u32> {
        let b = [*tiff.get(o)?, *tiff.get(o + 1)?, *tiff.get(o + 2)?, *tiff.get(o + 3)?];
        Some(if big {
            u32::from_be_bytes(b)
        } else {
            u32::from_le_bytes(b)
        })
    };
    let ifd = u32_at(4)? as usize;
    let count = usize::from(u16_at(ifd)?);
    (0..count.min(512))
        .map(|n| ifd + 2 + n * 12)
        .find(|e| u16_at(*e) == Some(0x0112))
        .and_then(|e| u16_at(e + 8))
}

/// An APP1 segment holding only an Orientation tag.
fn orientation_exif(orientation: u16) -> Vec<u8> {
    let mut tiff = b"Exif\0\0MM\0\x2a\0\0\0\x08".to_vec();
    tiff.extend_from_slice(&1u16.to_be_bytes()); // one entry
    tiff.extend_from_slice(&0x0112u16.to_be_bytes());
    tiff.extend_from_slice(&3u16.to_be_bytes()); // SHORT
    tiff.extend_from_slice(&1u32.to_be_bytes());
    tiff.extend_from_slice(&orientation.to_be_bytes());
    tiff.extend_from_slice(&[0, 0]);
    tiff.extend_from_slice(&0u32.to_be_bytes()); // no next IFD
    let mut segment = vec![0xFF, 0xE1];
    segment.extend_from_slice(&((tiff.len() + 2) as u16).to_be_bytes());
    segment.extend_from_slice(&tiff);
    segment
}

/// Drop eXIf and text chunks (tEXt, zTXt, iTXt) and the timestamp (tIME).
fn strip_png(bytes: &[u8]) -> Option<Vec<u8>> {
    const SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";
    if !bytes.starts_with(SIGNATURE) {
        return None;
    }
    let mut out = SIGNATURE.to_vec();
    let mut i = SIGNATURE.len();
    while i + 12 <= bytes.len() {
        let len = u32::from_be_bytes(bytes[i..i + 4].try_into().ok()?) as usize;
        let chunk = bytes.get(i..i + 12 + len)?;
        let kind = &chunk[4..8];
        if !matches!(kind, b"eXIf" | b"tEXt" | b"zTXt" | b"iTXt" | b"tIME") {
            out.extend_from_slice(chunk);
        }
        i += 12 + len;
        if kind == b"IEND" {
            return Some(out);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A JPEG skeleton: APP0, an EXIF APP1 with orientation 6 and a fake GPS
    /// string, a comment, then scan data.
    fn jpeg(orientation: u16) -> Vec<u8> {
        let mut exif = b"Exif\0\0II\x2a\0\x08\0\0\0".to_vec();
        exif.extend_from_slice(&2u16.to_le_bytes());
        exif.extend_from_slice(&[0x12, 0x01, 3, 0, 1, 0, 0, 0]);
        exif.extend_from_slice(&orientation.to_le_bytes());
        exif.extend_from_slice(&[0, 0]);
        exif.extend_from_slice(&[0x25, 0x88, 2, 0, 4, 0, 0, 0]);
        exif.extend_from_slice(b"GPS!");
        exif.extend_from_slice(&[0, 0, 0, 0]);
        exif.extend_from_slice(b"GPS 23.48N 111.27E serial 12345");
        let mut out = vec![0xFF, 0xD8, 0xFF, 0xE0, 0, 16];
        out.extend_from_slice(b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0");
        out.extend_from_slice(&[0xFF, 0xE1]);
        out.extend_from_slice(&((exif.len() + 2) as u16).to_be_bytes());
        out.extend_from_slice(&exif);
        out.extend_from_slice(&[0xFF, 0xFE, 0, 9]);
        out.extend_from_slice(b"comment");
        out.extend_from_slice(&[0xFF, 0xDA, 0, 2, 1, 2, 3, 0xFF, 0xD9]);
        out
    }

    #[test]
    fn jpeg_loses_exif_and_comments_but_keeps_orientation_and_pixels() {
        let stripped = strip("photo.JPG", &jpeg(6)).unwrap();
        let text = String::from_utf8_lossy(&stripped);
        assert!(!text.contains("GPS") && !text.contains("serial") && !text.contains("comment"));
        assert!(
            stripped.ends_with(&[0xFF, 0xDA, 0, 2, 1, 2, 3, 0xFF, 0xD9]),
            "image data untouched"
        );
        let app1 = stripped.windows(2).position(|w| w == [0xFF, 0xE1]).unwrap();
        assert_eq!(exif_orientation(&stripped[app1 + 4..]), Some(6));
        assert!(stripped.starts_with(&[0xFF, 0xD8, 0xFF, 0xE0]), "JFIF header first");
    }

    #[test]
    fn upright_jpeg_needs_no_exif_at_all() {
        let stripped = strip("a.jpeg", &jpeg(1)).unwrap();
        assert!(!stripped.windows(2).any(|w| w == [0xFF, 0xE1]));
    }

    #[test]
    fn png_loses_text_exif_and_time_chunks() {
        let chunk = |kind: &[u8], data: &[u8]| {
            let mut c = (data.len() as u32).to_be_bytes().to_vec();
            c.extend_from_slice(kind);
            c.extend_from_slice(data);
            c.extend_from_slice(&[0, 0, 0, 0]);
            c
        };
        let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
        png.extend(chunk(b"IHDR", &[0; 13]));
        png.extend(chunk(b"tEXt", b"Comment\0GPS here"));
        png.extend(chunk(b"eXIf", b"MM\0*"));
        png.extend(chunk(b"IDAT", b"pixels"));
        png.extend(chunk(b"IEND", b""));
        let stripped = strip("a.png", &png).unwrap();
        let text = String::from_utf8_lossy(&stripped);
        assert!(!text.contains("GPS") && !text.contains("eXIf") && !text.contains("tEXt"));
        assert!(text.contains("IHDR") && text.contains("pixels") && text.contains("IEND"));
    }

    #[test]
    fn other_files_and_broken_images_are_left_alone() {
        assert_eq!(strip("a.svg", b"<svg/>"), None);
        assert_eq!(strip("a.jpg", b"not a jpeg"), None);
        assert_eq!(strip("a.png", b"\x89PNG\r\n\x1a\n\0\0"), None);
    }
}
