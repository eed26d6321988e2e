//! Small, stable, non-cryptographic hashes, the same across runs and
//! platforms (unlike `DefaultHasher`): FNV-1a for keys of several values and
//! hashed asset names; a word-at-a-time key for contents and published
//! search names ([`content_key`]), its four-lane form for telling whether a
//! file changed ([`fingerprint`]), and the build cache's [`Checksum`].

pub fn of_bytes(bytes: &[u8]) -> u64 {
    let mut h = Hasher::default();
    h.write(bytes);
    h.finish()
}

/// A fast key for contents, eight bytes at a time (FxHash's mixing). The
/// same from run to run and machine to machine (words are read
/// little-endian everywhere): the search index's file names are made from
/// it, so its values must not change.
pub fn content_key(bytes: &[u8]) -> u64 {
    let mut h = bytes.len() as u64;
    let mut chunks = bytes.chunks_exact(8);
    for chunk in &mut chunks {
        h = mix(h, u64::from_le_bytes(chunk.try_into().expect("chunks of eight")));
    }
    for b in chunks.remainder() {
        h = mix(h, u64::from(*b));
    }
    h
}

/// A key for what a source file or an output file holds, to tell whether
/// it changed between builds of one binary (the build cache keeps them, and
/// a cache from another binary is not used): [`content_key`]'s mixing over
/// four words side by side, several times its speed over the site's
/// hundreds of megabytes. Not for published names: those stay
/// [`content_key`]'s.
pub fn fingerprint(bytes: &[u8]) -> u64 {
    let mut lanes = [bytes.len() as u64, 1, 2, 3];
    let mut blocks = bytes.chunks_exact(32);
    for block in &mut blocks {
        for (lane, word) in lanes.iter_mut().zip(block.chunks_exact(8)) {
            *lane = mix(*lane, u64::from_le_bytes(word.try_into().expect("eight bytes")));
        }
    }
    let joined = lanes.iter().fold(0, |h, lane| mix(h, *lane));
    mix(joined, content_key(blocks.remainder()))
}

/// One step of [`content_key`] and [`Checksum`].
fn mix(h: u64, word: u64) -> u64 {
    (h.rotate_left(5) ^ word).wrapping_mul(0x517c_c1b7_2722_0a95)
}

/// A checksum of a stream of bytes, eight at a time (as [`content_key`]),
/// the same however the stream is cut into writes.
#[derive(Default)]
pub struct Checksum {
    h: u64,
    len: u64,
    pending: [u8; 8],
    npending: usize,
}

impl Checksum {
    pub fn update(&mut self, mut bytes: &[u8]) {
        self.len += bytes.len() as u64;
        if self.npending > 0 {
            let take = (8 - self.npending).min(bytes.len());
            self.pending[self.npending..self.npending + take].copy_from_slice(&bytes[..take]);
            self.npending += take;
            bytes = &bytes[take..];
            if self.npending < 8 {
                return;
            }
            self.word(u64::from_le_bytes(self.pending));
            self.npending = 0;
        }
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            self.word(u64::from_le_bytes(chunk.try_into().expect("chunks of eight")));
        }
        let rest = chunks.remainder();
        self.pending[..rest.len()].copy_from_slice(rest);
        self.npending = rest.len();
    }

    fn word(&mut self, word: u64) {
        self.h = mix(self.h, word);
    }

    pub fn finish(mut self) -> u64 {
        for i in 0..self.npending {
            self.word(u64::from(self.pending[i]));
        }
        self.word(self.len);
        self.h
    }

    pub fn of(bytes: &[u8]) -> u64 {
        let mut c = Checksum::default();
        c.update(bytes);
        c.finish()
    }
}

/// FNV-1a as a `std::hash::Hasher`, to hash several values into one key.
#[derive(Clone, Copy)]
pub struct Hasher(u64);

impl Default for Hasher {
    fn default() -> Self {
        Hasher(0xcbf2_9ce4_8422_2325)
    }
}

impl std::hash::Hasher for Hasher {
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= u64::from(*b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

use std::hash::Hasher as _;

/// A HashMap hashed with FNV: for the many short string keys the rebuild
/// looks up (place paths), cheaper than the default SipHash.
pub type FastMap<K, V> = std::collections::HashMap<K, V, std::hash::BuildHasherDefault<Hasher>>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fingerprint_changes_with_any_byte_at_any_length() {
        for len in 0..100usize {
            let bytes: Vec<u8> = (0..len).map(|i| (i * 31 % 253) as u8).collect();
            let base = fingerprint(&bytes);
            assert_eq!(base, fingerprint(&bytes.clone()));
            let mut longer = bytes.clone();
            longer.push(0);
            assert_ne!(base, fingerprint(&longer), "length {len}");
            for at in 0..len {
                let mut changed = bytes.clone();
                changed[at] ^= 1 << (at % 8);
                assert_ne!(base, fingerprint(&changed), "length {len}, byte {at}");
            }
        }
    }

    #[test]
    fn a_checksum_is_the_same_however_the_bytes_come() {
        let bytes: Vec<u8> = (0..1000u32).map(|i| (i * 7 % 251) as u8).collect();
        let whole = Checksum::of(&bytes);
        for cut in [1, 3, 8, 13, 64] {
            let mut c = Checksum::default();
            for part in bytes.chunks(cut) {
                c.update(part);
            }
            assert_eq!(c.finish(), whole, "written {cut} bytes at a time");
        }
        let mut changed = bytes.clone();
        changed[500] ^= 1;
        assert_ne!(Checksum::of(&changed), whole);
        assert_ne!(Checksum::of(&bytes[..999]), whole);
    }

    #[test]
    fn known_values() {
        assert_eq!(of_bytes(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(of_bytes(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_ne!(of_bytes(b"ab"), of_bytes(b"ba"));
    }

    #[test]
    fn content_keys_tell_contents_apart() {
        assert_ne!(content_key(b"12345678a"), content_key(b"12345678b"));
        assert_ne!(content_key(b""), content_key(b"\0"));
        assert_eq!(content_key("同荣村".as_bytes()), content_key("同荣村".as_bytes()));
    }
}
