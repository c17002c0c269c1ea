//! Random credentials and how they are kept: long random tokens are stored only as their
//! SHA-256 (a fast hash is enough for them; argon2 is for passwords people choose).

use rand::RngCore;
use sha2::{Digest, Sha256};

pub fn random_bytes<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    bytes
}

/// 32 random bytes as hex.
pub fn random_token() -> String {
    hex::encode(random_bytes::<32>())
}

pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}
