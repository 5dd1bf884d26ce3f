//! Property tests: round trips, agreement with the plain RustCrypto calls, and no panics on
//! any input.

#![allow(clippy::unwrap_used)]

use std::cmp::Ordering;

use aes::Aes128;
use aes::cipher::BlockModeEncrypt;
use aes::cipher::KeyInit;
use aes::cipher::block_padding::Pkcs7;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use jb_crypto::{AppKey, DataCipher, aes_key_bytes, compare_utf16, sign, verify};
use proptest::prelude::*;

/// Encrypts with the RustCrypto calls as their documentation shows them, for comparison.
fn reference_encrypt(app_key: &AppKey, plaintext: &[u8]) -> String {
    let key = aes_key_bytes(app_key);
    let ciphertext =
        ecb::Encryptor::<Aes128>::new(&(*key).into()).encrypt_padded_vec::<Pkcs7>(plaintext);
    STANDARD.encode(ciphertext)
}

/// Wraps Base64 at 76 columns with CRLF, as Java's MIME encoder does.
fn wrap_mime(encoded: &str) -> String {
    let lines: Vec<&str> = encoded
        .as_bytes()
        .chunks(76)
        .map(|line| std::str::from_utf8(line).unwrap())
        .collect();
    lines.join("\r\n")
}

fn plaintext() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..200),
        proptest::collection::vec(any::<u8>(), 2900..7000),
        (0usize..400).prop_map(|blocks| vec![0x5a; blocks * 16]),
    ]
}

proptest! {
    #[test]
    fn decrypt_inverts_encrypt(key in any::<String>(), plaintext in plaintext()) {
        let cipher = DataCipher::new(&AppKey::new(key));

        let ciphertext = cipher.encrypt(&plaintext);

        prop_assert_eq!(cipher.decrypt(&ciphertext).unwrap(), plaintext);
    }

    #[test]
    fn encrypt_matches_reference(key in any::<String>(), plaintext in plaintext()) {
        let app_key = AppKey::new(key);

        let ciphertext = DataCipher::new(&app_key).encrypt(&plaintext);

        prop_assert_eq!(ciphertext, reference_encrypt(&app_key, &plaintext));
    }

    #[test]
    fn decrypt_accepts_mime_wrapping(key in any::<String>(), plaintext in plaintext()) {
        let cipher = DataCipher::new(&AppKey::new(key));

        let wrapped = wrap_mime(&cipher.encrypt(&plaintext));

        prop_assert_eq!(cipher.decrypt(&wrapped).unwrap(), plaintext);
    }

    #[test]
    fn whole_blocks_gain_a_padding_block(blocks in 0usize..300) {
        let cipher = DataCipher::new(&AppKey::new("123456"));
        let plaintext = vec![7u8; blocks * 16];

        let decoded = STANDARD.decode(cipher.encrypt(&plaintext)).unwrap();

        prop_assert_eq!(decoded.len(), plaintext.len() + 16);
    }

    #[test]
    fn decrypt_never_panics(data in any::<String>()) {
        let _ = DataCipher::new(&AppKey::new("123456")).decrypt(&data);
    }

    #[test]
    fn decrypt_never_panics_on_base64(bytes in proptest::collection::vec(any::<u8>(), 0..100)) {
        let _ = DataCipher::new(&AppKey::new("123456")).decrypt(&STANDARD.encode(bytes));
    }

    #[test]
    fn compare_utf16_matches_code_unit_order(left in any::<String>(), right in any::<String>()) {
        let expected: Ordering = left.encode_utf16().cmp(right.encode_utf16());

        prop_assert_eq!(compare_utf16(&left, &right), expected);
    }

    #[test]
    fn compare_utf16_on_shared_prefix(prefix in any::<String>(), left in any::<String>(), right in any::<String>()) {
        let left = format!("{prefix}{left}");
        let right = format!("{prefix}{right}");
        let expected: Ordering = left.encode_utf16().cmp(right.encode_utf16());

        prop_assert_eq!(compare_utf16(&left, &right), expected);
    }

    #[test]
    fn sign_ignores_value_order(key in any::<String>(), values in proptest::collection::vec(any::<String>(), 0..8)) {
        let app_key = AppKey::new(key);
        let mut reversed = values.clone();
        reversed.reverse();

        let forward = sign(values.iter().map(String::as_str), &app_key);
        let backward = sign(reversed.iter().map(String::as_str), &app_key);

        prop_assert_eq!(forward, backward);
    }

    #[test]
    fn verify_accepts_own_sign(key in any::<String>(), values in proptest::collection::vec(any::<String>(), 0..8)) {
        let app_key = AppKey::new(key);

        let computed = sign(values.iter().map(String::as_str), &app_key);

        prop_assert_eq!(computed.len(), 40);
        prop_assert!(computed.bytes().all(|byte| byte.is_ascii_hexdigit() && !byte.is_ascii_uppercase()));
        prop_assert_eq!(verify(values.iter().map(String::as_str), &app_key, &computed), Ok(()));
    }

    #[test]
    fn verify_never_panics(received in any::<String>()) {
        let _ = verify(["a", "b"], &AppKey::new("123456"), &received);
    }
}
