//! The data cipher: AES-128-ECB with PKCS#7 padding under an MD5-derived key, in Base64.

use std::fmt;

use aes::Aes128;
use aes::cipher::block_padding::{NoPadding, Pkcs7};
use aes::cipher::common::InnerInit;
use aes::cipher::{BlockModeDecrypt, BlockModeEncrypt, KeyInit};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use md5::{Digest as _, Md5};
use zeroize::Zeroizing;

use crate::AppKey;
use crate::error::DecryptError;

/// AES block size in bytes.
const BLOCK_LEN: usize = 16;

/// Plaintext bytes encrypted and encoded per step. A multiple of both the AES block (16) and
/// a Base64 group (3), so that every chunk but the last encodes without `=` padding. The
/// stack buffers are cleared on every call, so they are kept small: a 100-byte payload should
/// not pay for clearing kilobytes.
const CHUNK_LEN: usize = 48 * 16;

/// Length of the Base64 text of one chunk.
const ENCODED_CHUNK_LEN: usize = CHUNK_LEN / 3 * 4;

/// Derives the AES-128 key: the 16 raw bytes of MD5 over the UTF-8 appKey.
///
/// For the appKey `123456` these are `e1 0a dc 39 49 ba 59 ab be 56 e0 57 f2 0f 88 3e`
/// (Java prints them as signed bytes, `[-31, 10, -36, 57, ...]`). The bytes are a secret:
/// the returned buffer is zeroed on drop.
pub fn aes_key_bytes(app_key: &AppKey) -> Zeroizing<[u8; 16]> {
    let digest = Md5::digest(app_key.expose_secret().as_bytes());
    Zeroizing::new(digest.into())
}

/// The `data` field cipher of one appKey.
///
/// The key schedule is expanded once in [`DataCipher::new`] and reused by every call, so build
/// one per appKey and share it. It is zeroed on drop.
#[derive(Clone)]
pub struct DataCipher {
    aes: Aes128,
}

impl DataCipher {
    /// Derives the AES key from `app_key` and expands its key schedule.
    pub fn new(app_key: &AppKey) -> Self {
        let key = aes_key_bytes(app_key);
        let aes = Aes128::new(&(*key).into());
        Self { aes }
    }

    /// Encrypts `plaintext` and returns standard Base64 with `=` padding and no line breaks.
    pub fn encrypt(&self, plaintext: &[u8]) -> String {
        let mut encoded = String::with_capacity(Self::encrypted_len(plaintext.len()));
        self.encrypt_into(plaintext, &mut encoded);
        encoded
    }

    /// Encrypts `plaintext` like [`DataCipher::encrypt`] and appends the Base64 to `encoded`.
    ///
    /// The ciphertext goes straight into `encoded`, one stack-sized chunk at a time, so a
    /// caller that builds a whole request body in one buffer copies the payload only once.
    pub fn encrypt_into(&self, plaintext: &[u8], encoded: &mut String) {
        encoded.reserve(Self::encrypted_len(plaintext.len()));
        let mut chunk = [0u8; CHUNK_LEN];
        let mut text = [0u8; ENCODED_CHUNK_LEN];

        let mut full_chunks = plaintext.chunks_exact(CHUNK_LEN);
        for plain_chunk in &mut full_chunks {
            chunk.copy_from_slice(plain_chunk);
            // A full chunk is a whole number of blocks, so `NoPadding` cannot fail.
            let ciphertext = self
                .encryptor()
                .encrypt_padded::<NoPadding>(&mut chunk, CHUNK_LEN)
                .unwrap_or_default();
            push_base64(ciphertext, &mut text, encoded);
        }

        // The tail is shorter than a chunk, and a chunk is a whole number of blocks, so the
        // padded tail still fits in `chunk` and the padding step cannot fail.
        let tail = full_chunks.remainder();
        chunk[..tail.len()].copy_from_slice(tail);
        let ciphertext = self
            .encryptor()
            .encrypt_padded::<Pkcs7>(&mut chunk, tail.len())
            .unwrap_or_default();
        push_base64(ciphertext, &mut text, encoded);
    }

    /// Returns the length of the Base64 text [`DataCipher::encrypt`] writes for a plaintext of
    /// `plaintext_len` bytes.
    pub fn encrypted_len(plaintext_len: usize) -> usize {
        // Overflow needs a plaintext longer than three quarters of the address space, which
        // no slice can be; saturating keeps the function total.
        base64::encoded_len(padded_len(plaintext_len), true).unwrap_or(usize::MAX)
    }

    /// Decrypts Base64 `data` to the plaintext bytes.
    ///
    /// CR and LF are removed before decoding, because old Java encoders wrap Base64 at 76
    /// columns. Nothing else is tolerated.
    ///
    /// # Errors
    ///
    /// - [`DecryptError::InvalidBase64`] when `data` is not standard padded Base64.
    /// - [`DecryptError::InvalidLength`] when the decoded length is zero or not a multiple
    ///   of 16.
    /// - [`DecryptError::BadPadding`] when the last block does not end in valid PKCS#7
    ///   padding. A wrong appKey usually produces this too.
    pub fn decrypt(&self, data: &str) -> Result<Vec<u8>, DecryptError> {
        let mut buffer = decode_base64(data)?;
        if buffer.is_empty() || buffer.len() % BLOCK_LEN != 0 {
            return Err(DecryptError::InvalidLength {
                length: buffer.len(),
            });
        }

        let plaintext_len = ecb::Decryptor::<&Aes128>::inner_init(&self.aes)
            .decrypt_padded::<Pkcs7>(&mut buffer)
            .map_err(|_| DecryptError::BadPadding)?
            .len();
        buffer.truncate(plaintext_len);

        Ok(buffer)
    }

    fn encryptor(&self) -> ecb::Encryptor<&Aes128> {
        ecb::Encryptor::inner_init(&self.aes)
    }

    /// Decrypts like [`DataCipher::decrypt`] and requires the plaintext to be UTF-8.
    ///
    /// # Errors
    ///
    /// Those of [`DataCipher::decrypt`], and [`DecryptError::NotUtf8`] when the plaintext is
    /// not valid UTF-8.
    pub fn decrypt_to_string(&self, data: &str) -> Result<String, DecryptError> {
        let plaintext = self.decrypt(data)?;
        String::from_utf8(plaintext).map_err(|error| DecryptError::NotUtf8 {
            valid_up_to: error.utf8_error().valid_up_to(),
        })
    }
}

impl fmt::Debug for DataCipher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("DataCipher(AES-128-ECB, key ***)")
    }
}

/// Returns the length of `plaintext_len` bytes with PKCS#7 padding, which always adds 1 to 16
/// bytes: a whole extra block when the length is already a multiple of 16.
fn padded_len(plaintext_len: usize) -> usize {
    (plaintext_len / BLOCK_LEN + 1) * BLOCK_LEN
}

/// Encodes `ciphertext`, at most one chunk, in Base64 through the stack buffer `text` and
/// appends it to `encoded`.
fn push_base64(ciphertext: &[u8], text: &mut [u8; ENCODED_CHUNK_LEN], encoded: &mut String) {
    // A chunk's Base64 fits in `text`, and Base64 is ASCII, so neither step can fail.
    let written = STANDARD.encode_slice(ciphertext, text).unwrap_or_default();
    let base64 = text.get(..written).unwrap_or_default();
    encoded.push_str(std::str::from_utf8(base64).unwrap_or_default());
}

/// Decodes standard Base64, skipping CR and LF.
///
/// Unwrapped text, the usual case, is decoded in one pass. Only when that fails and the text
/// contains a line break is it copied without line breaks and decoded again.
fn decode_base64(data: &str) -> Result<Vec<u8>, DecryptError> {
    let is_line_break = |byte: &u8| *byte == b'\r' || *byte == b'\n';

    match STANDARD.decode(data) {
        Ok(bytes) => Ok(bytes),
        Err(_) if data.as_bytes().iter().any(is_line_break) => {
            let unwrapped: Vec<u8> = data.bytes().filter(|byte| !is_line_break(byte)).collect();
            STANDARD
                .decode(unwrapped)
                .map_err(|source| DecryptError::InvalidBase64 { source })
        }
        Err(source) => Err(DecryptError::InvalidBase64 { source }),
    }
}

#[cfg(test)]
mod tests {
    use aes::Aes128;
    use aes::cipher::block_padding::{NoPadding, Pkcs7};
    use aes::cipher::{BlockModeEncrypt, KeyInit};
    use base64::Engine as _;
    use base64::engine::general_purpose::STANDARD;

    use super::{DataCipher, aes_key_bytes};
    use crate::{AppKey, DecryptError};

    const GOLDEN_PLAINTEXT: &str = r#"{"billNo":"000000000001"}"#;
    const GOLDEN_CIPHERTEXT: &str = "EpQ2wjVMPiM4BcmmJnXaydzQIP2F/ZU69SEveShrcaA=";

    fn golden_cipher() -> DataCipher {
        DataCipher::new(&AppKey::new("123456"))
    }

    /// Encrypts whole blocks with no padding, to build ciphertexts whose padding is wrong.
    fn encrypt_without_padding(app_key: &AppKey, blocks: &[u8]) -> String {
        let key = aes_key_bytes(app_key);
        let encryptor = ecb::Encryptor::<Aes128>::new(&(*key).into());
        let mut buffer = blocks.to_vec();
        let ciphertext = encryptor
            .encrypt_padded::<NoPadding>(&mut buffer, blocks.len())
            .expect("whole blocks");
        STANDARD.encode(ciphertext)
    }

    #[test]
    fn decrypt_rejects_invalid_base64() {
        let cases = [
            "!!!!",
            "EpQ2wjVMPiM4BcmmJnXaydzQIP2F/ZU69SEveShrcaA",
            "EpQ2wjVMPiM4BcmmJnXaydzQ IP2F/ZU69SEveShrcaA=",
            "EpQ2wjVMPiM4BcmmJnXaydzQIP2F_ZU69SEveShrcaA=",
            "SUCCESS",
        ];

        for data in cases {
            let error = golden_cipher().decrypt(data).expect_err(data);

            assert!(
                matches!(error, DecryptError::InvalidBase64 { .. }),
                "{data:?}: {error}"
            );
        }
    }

    #[test]
    fn decrypt_rejects_truncated_ciphertext() {
        let truncated = &GOLDEN_CIPHERTEXT[..36];

        let error = golden_cipher().decrypt(truncated).expect_err("truncated");

        assert!(
            matches!(error, DecryptError::InvalidLength { length: 27 }),
            "{error}"
        );
    }

    #[test]
    fn decrypt_rejects_empty_data() {
        let error = golden_cipher().decrypt("").expect_err("empty");

        assert!(
            matches!(error, DecryptError::InvalidLength { length: 0 }),
            "{error}"
        );
    }

    #[test]
    fn decrypt_rejects_bad_padding() {
        let app_key = AppKey::new("123456");
        let zero_padding_byte = encrypt_without_padding(&app_key, &[0u8; 16]);
        let inconsistent_padding = encrypt_without_padding(
            &app_key,
            &[2u8; 15].iter().copied().chain([3]).collect::<Vec<u8>>(),
        );

        for data in [zero_padding_byte, inconsistent_padding] {
            let error = golden_cipher().decrypt(&data).expect_err(&data);

            assert!(matches!(error, DecryptError::BadPadding), "{data}: {error}");
        }
    }

    #[test]
    fn decrypt_with_wrong_key_is_bad_padding() {
        let wrong_key = DataCipher::new(&AppKey::new("654321"));

        let error = wrong_key.decrypt(GOLDEN_CIPHERTEXT).expect_err("wrong key");

        assert!(matches!(error, DecryptError::BadPadding), "{error}");
    }

    #[test]
    fn decrypt_to_string_rejects_invalid_utf8() {
        let cipher = golden_cipher();
        let data = cipher.encrypt(&[b'{', 0xff, 0xfe]);

        let error = cipher.decrypt_to_string(&data).expect_err("not UTF-8");

        assert!(
            matches!(error, DecryptError::NotUtf8 { valid_up_to: 1 }),
            "{error}"
        );
    }

    #[test]
    fn decrypt_skips_lf_and_crlf_line_breaks() {
        let cipher = golden_cipher();
        let cases = [
            "EpQ2wjVMPiM4BcmmJnXa\nydzQIP2F/ZU69SEveShrcaA=",
            "EpQ2wjVMPiM4BcmmJnXa\r\nydzQIP2F/ZU69SEveShrcaA=\r\n",
        ];

        for data in cases {
            let plaintext = cipher.decrypt(data).expect(data);

            assert_eq!(plaintext, GOLDEN_PLAINTEXT.as_bytes(), "{data:?}");
        }
    }

    #[test]
    fn encrypt_writes_one_line() {
        let ciphertext = golden_cipher().encrypt(&[b'x'; 10_000]);

        assert!(!ciphertext.contains(['\r', '\n']));
        assert_eq!(ciphertext.len(), (10_000 / 16 + 1) * 16 / 3 * 4 + 4);
    }

    #[test]
    fn encrypt_into_appends() {
        let mut encoded = String::from("prefix:");

        golden_cipher().encrypt_into(GOLDEN_PLAINTEXT.as_bytes(), &mut encoded);

        assert_eq!(encoded, format!("prefix:{GOLDEN_CIPHERTEXT}"));
    }

    #[test]
    fn encrypted_len_matches_output() {
        let cipher = golden_cipher();

        for length in [0, 1, 15, 16, 17, 3071, 3072, 3073, 10_000] {
            let encoded = cipher.encrypt(&vec![b'a'; length]);

            assert_eq!(
                DataCipher::encrypted_len(length),
                encoded.len(),
                "length {length}"
            );
        }
    }

    #[test]
    fn encrypt_matches_one_pass_across_chunk_boundaries() {
        let app_key = AppKey::new("123456");
        let key = aes_key_bytes(&app_key);
        let cipher = DataCipher::new(&app_key);

        for length in [0, 767, 768, 769, 1535, 1536, 1537, 5000] {
            let plaintext: Vec<u8> = (0..length).map(|index| (index % 251) as u8).collect();
            let mut buffer = plaintext.clone();
            buffer.resize(length / 16 * 16 + 16, 0);
            let ciphertext = ecb::Encryptor::<Aes128>::new(&(*key).into())
                .encrypt_padded::<Pkcs7>(&mut buffer, length)
                .expect("room for the padding");

            assert_eq!(
                cipher.encrypt(&plaintext),
                STANDARD.encode(ciphertext),
                "length {length}"
            );
        }
    }

    #[test]
    fn debug_hides_key() {
        let debug = format!("{:?}", golden_cipher());

        assert_eq!(debug, "DataCipher(AES-128-ECB, key ***)");
    }
}
