//! One small, stable, non-cryptographic hash (FNV-1a) for content keys and
//! hashed asset names. Stable across runs and platforms, unlike `DefaultHasher`.

pub fn of_bytes(bytes: &[u8]) -> u64 {
    let mut h = Hasher::default();
    h.write(bytes);
    h.finish()
}

/// A fast key for file contents, eight bytes at a time (FxHash's mixing).
/// Only for in-memory keys: file names and output use the stable `of_bytes`.
pub fn content_key(bytes: &[u8]) -> u64 {
    const K: u64 = 0x517c_c1b7_2722_0a95;
    let mut h = bytes.len() as u64;
    let mut chunks = bytes.chunks_exact(8);
    for chunk in &mut chunks {
        let word = u64::from_le_bytes(chunk.try_into().expect("chunks of eight"));
        h = (h.rotate_left(5) ^ word).wrapping_mul(K);
    }
    for b in chunks.remainder() {
        h = (h.rotate_left(5) ^ u64::from(*b)).wrapping_mul(K);
    }
    h
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
