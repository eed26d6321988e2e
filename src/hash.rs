//! One small, stable, non-cryptographic hash (FNV-1a) for content keys and
//! hashed asset names. Stable across runs and platforms, unlike `DefaultHasher`.

pub fn of_bytes(bytes: &[u8]) -> u64 {
    let mut h = Hasher::default();
    h.write(bytes);
    h.finish()
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
}
