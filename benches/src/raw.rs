//! The cryptography alone: SHA-1, AES-128-ECB and Base64 called directly, with no envelope,
//! so that each codec figure can be read as a ratio to them on the same bytes.

use aes::Aes128;
use aes::cipher::block_padding::Pkcs7;
use aes::cipher::common::InnerInit;
use aes::cipher::{BlockModeDecrypt, BlockModeEncrypt, KeyInit};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use md5::{Digest as _, Md5};
use sha1::Sha1;

/// AES block size in bytes.
const BLOCK_LEN: usize = 16;

/// The primitives keyed once, as the codec keys them.
#[derive(Clone)]
pub struct RawCrypto {
    aes: Aes128,
    app_key: String,
}

impl std::fmt::Debug for RawCrypto {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RawCrypto(***)")
    }
}

impl RawCrypto {
    /// Derives the AES key from `app_key` (MD5) and expands its schedule.
    pub fn new(app_key: &str) -> Self {
        let key: [u8; 16] = Md5::digest(app_key.as_bytes()).into();
        Self {
            aes: Aes128::new(&key.into()),
            app_key: app_key.to_owned(),
        }
    }

    /// SHA-1 over `parts` then the appKey, in the order given.
    pub fn sha1(&self, parts: &[&str]) -> [u8; 20] {
        let mut hasher = Sha1::new();
        for part in parts {
            hasher.update(part.as_bytes());
        }
        hasher.update(self.app_key.as_bytes());
        hasher.finalize().into()
    }

    /// AES-128-ECB with PKCS#7 padding into a new buffer.
    pub fn aes_encrypt(&self, plaintext: &[u8]) -> Vec<u8> {
        let padded_len = (plaintext.len() / BLOCK_LEN + 1) * BLOCK_LEN;
        let mut buffer = Vec::with_capacity(padded_len);
        buffer.extend_from_slice(plaintext);
        buffer.resize(padded_len, 0);
        let len = ecb::Encryptor::<&Aes128>::inner_init(&self.aes)
            .encrypt_padded::<Pkcs7>(&mut buffer, plaintext.len())
            .map(|ciphertext| ciphertext.len())
            .unwrap_or_default();
        buffer.truncate(len);
        buffer
    }

    /// AES-128-ECB decryption in place, removing PKCS#7 padding; `None` on bad padding.
    pub fn aes_decrypt(&self, mut ciphertext: Vec<u8>) -> Option<Vec<u8>> {
        let len = ecb::Decryptor::<&Aes128>::inner_init(&self.aes)
            .decrypt_padded::<Pkcs7>(&mut ciphertext)
            .ok()?
            .len();
        ciphertext.truncate(len);
        Some(ciphertext)
    }

    /// Encrypts then encodes in Base64: the `data` field of an envelope.
    pub fn encrypt(&self, plaintext: &[u8]) -> String {
        base64_encode(&self.aes_encrypt(plaintext))
    }

    /// Decodes Base64 then decrypts; `None` when either step fails.
    pub fn decrypt(&self, data: &str) -> Option<Vec<u8>> {
        self.aes_decrypt(base64_decode(data)?)
    }

    /// Runs the cryptography of sealing: encrypts and encodes `json`, then hashes the header
    /// values, the Base64 text and the appKey.
    pub fn seal(&self, header: &[&str], json: &[u8]) -> (String, [u8; 20]) {
        let data = self.encrypt(json);
        let mut parts = header.to_vec();
        parts.push(&data);
        let digest = self.sha1(&parts);
        (data, digest)
    }

    /// Runs the cryptography of opening: hashes the fields and the appKey, then decodes and
    /// decrypts `data`.
    pub fn open(&self, header: &[&str], data: &str) -> Option<([u8; 20], Vec<u8>)> {
        let mut parts = header.to_vec();
        parts.push(data);
        let digest = self.sha1(&parts);
        Some((digest, self.decrypt(data)?))
    }
}

/// Standard Base64 with padding.
pub fn base64_encode(bytes: &[u8]) -> String {
    STANDARD.encode(bytes)
}

/// Standard Base64 decoding; `None` when the text is not Base64.
pub fn base64_decode(text: &str) -> Option<Vec<u8>> {
    STANDARD.decode(text).ok()
}
