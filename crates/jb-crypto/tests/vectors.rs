//! Known-answer vectors under `tests/data/`. Their sources are described in
//! `tests/data/README.md`: the platform document's worked examples, OpenSSL and `sha1sum`.

#![allow(clippy::unwrap_used)]

use std::fs;
use std::path::{Path, PathBuf};

use jb_crypto::{
    APP_KEY_MASK, AppKey, DataCipher, SignPart, aes_key_bytes, explain_sign, sign, verify,
};

fn data_dir(group: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(group)
}

fn read(case: &Path, file: &str) -> String {
    let path = case.join(file);
    let text = fs::read_to_string(&path);
    assert!(text.is_ok(), "cannot read {}: {text:?}", path.display());
    text.unwrap()
}

fn cases(group: &str) -> Vec<PathBuf> {
    let mut cases: Vec<PathBuf> = fs::read_dir(data_dir(group))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.is_dir())
        .collect();
    cases.sort();
    assert!(!cases.is_empty(), "no cases under tests/data/{group}");
    cases
}

fn values(case: &Path) -> Vec<String> {
    read(case, "values.txt")
        .lines()
        .map(str::to_owned)
        .collect()
}

/// Checks the sign stages of one case: concatenation, then sign, then verification.
fn check_sign_case(case: &Path) {
    let name = case.display();
    let app_key = AppKey::new(read(case, "app_key.txt"));
    let values = values(case);
    let expected_concatenation = read(case, "concatenation.txt");
    let expected_sign = read(case, "sign.txt");

    let explanation = explain_sign(values.iter().map(String::as_str), &app_key);
    let concatenation = explanation
        .masked_concatenation
        .replace(APP_KEY_MASK, app_key.expose_secret());
    assert_eq!(
        concatenation, expected_concatenation,
        "concatenation of {name}"
    );
    assert_eq!(explanation.sign, expected_sign, "explained sign of {name}");

    let computed = sign(values.iter().map(String::as_str), &app_key);
    assert_eq!(computed, expected_sign, "sign of {name}");

    let verified = verify(values.iter().map(String::as_str), &app_key, &expected_sign);
    assert_eq!(verified, Ok(()), "verify of {name}");
}

#[test]
fn platform_example_key_bytes() {
    let case = data_dir("platform-example");
    let app_key = AppKey::new(read(&case, "app_key.txt"));

    let java_bytes: Vec<i8> = read(&case, "key_bytes_java.txt")
        .split(", ")
        .map(|byte| byte.parse().unwrap())
        .collect();
    let key_bytes: Vec<i8> = aes_key_bytes(&app_key)
        .iter()
        .map(|byte| i8::from_ne_bytes([*byte]))
        .collect();

    assert_eq!(key_bytes, java_bytes);
}

#[test]
fn platform_example_ciphertext() {
    let case = data_dir("platform-example");
    let cipher = DataCipher::new(&AppKey::new(read(&case, "app_key.txt")));
    let plaintext = read(&case, "plaintext.txt");
    let ciphertext = read(&case, "ciphertext.txt");

    assert_eq!(cipher.encrypt(plaintext.as_bytes()), ciphertext, "encrypt");
    assert_eq!(
        cipher.decrypt_to_string(&ciphertext).unwrap(),
        plaintext,
        "decrypt"
    );
}

#[test]
fn platform_example_sign() {
    check_sign_case(&data_dir("platform-example"));
}

#[test]
fn platform_example_masked_concatenation() {
    let case = data_dir("platform-example");
    let app_key = AppKey::new(read(&case, "app_key.txt"));
    let values = values(&case);

    let explanation = explain_sign(values.iter().map(String::as_str), &app_key);

    assert_eq!(
        explanation.masked_concatenation,
        "<appKey>20161201141000APPID88888EpQ2wjVMPiM4BcmmJnXaydzQIP2F/ZU69SEveShrcaA=\
         sn12345678900987654321"
    );
    assert_eq!(explanation.sorted[0], SignPart::AppKey);
    assert_eq!(explanation.sorted[0].to_string(), APP_KEY_MASK);
}

#[test]
fn cipher_cases_match_openssl() {
    for case in cases("cipher") {
        let name = case.display();
        let app_key = AppKey::new(read(&case, "app_key.txt"));
        let plaintext = read(&case, "plaintext.txt");
        let ciphertext = read(&case, "ciphertext.txt");
        let cipher = DataCipher::new(&app_key);

        let key_hex: String = aes_key_bytes(&app_key)
            .iter()
            .map(|byte| format!("{byte:02x}"))
            .collect();
        assert_eq!(key_hex, read(&case, "key_hex.txt"), "key bytes of {name}");

        assert_eq!(
            cipher.encrypt(plaintext.as_bytes()),
            ciphertext,
            "ciphertext of {name}"
        );

        let decrypted = cipher.decrypt(&ciphertext).unwrap();
        assert_eq!(decrypted, plaintext.as_bytes(), "decrypted {name}");
    }
}

#[test]
fn cipher_cases_decrypt_wrapped_base64() {
    for case in cases("cipher") {
        let name = case.display();
        let cipher = DataCipher::new(&AppKey::new(read(&case, "app_key.txt")));
        let wrapped = read(&case, "ciphertext_wrapped.txt");

        let decrypted = cipher.decrypt(&wrapped).unwrap();

        assert_eq!(decrypted, read(&case, "plaintext.txt").as_bytes(), "{name}");
    }
}

#[test]
fn wrapped_case_really_has_crlf_lines() {
    let wrapped = read(&data_dir("cipher/chunk-and-tail"), "ciphertext_wrapped.txt");

    assert!(wrapped.contains("\r\n"));
    assert!(wrapped.split("\r\n").all(|line| line.len() <= 76));
}

#[test]
fn sign_cases_match_sha1sum() {
    for case in cases("sign") {
        check_sign_case(&case);
    }
}
