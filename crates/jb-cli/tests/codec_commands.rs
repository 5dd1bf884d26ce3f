//! The debugging commands (`sign`, `verify`, `explain-sign`, `encrypt`, `decrypt`, `seal`,
//! `open`) run as a user runs them: the real binary, stdin in, stdout and exit code out.
#![allow(clippy::unwrap_used)]

use std::io::Write as _;
use std::process::{Command, Output, Stdio};

const GOLDEN_KEY: &str = "123456";
const GOLDEN_SIGN: &str = "a1822db84a9e75106b00872921ee1a71672f8dd4";
const GOLDEN_DATA: &str = "EpQ2wjVMPiM4BcmmJnXaydzQIP2F/ZU69SEveShrcaA=";
const GOLDEN_PLAINTEXT: &str = r#"{"billNo":"000000000001"}"#;
const GOLDEN_REQUEST: &str = include_str!("data/golden-request.json");

/// Runs `jb ARGS` in English with the appKey in the environment and `stdin` as input.
fn jb(args: &[&str], stdin: &[u8]) -> Output {
    jb_with_env(args, stdin, &[("JB_APP_KEY", GOLDEN_KEY)])
}

fn jb_with_env(args: &[&str], stdin: &[u8], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_jb"));
    command
        .args(args)
        .env_remove("JB_APP_KEY")
        .env_remove("JB_APP_KEY_FILE")
        .env_remove("JB_APP_ID")
        .env("LANG", "en_US.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (name, value) in env {
        command.env(name, value);
    }
    let mut child = command.spawn().unwrap();
    // A command that fails before reading stdin closes it, so a broken pipe here is expected.
    let _ = child.stdin.take().unwrap().write_all(stdin);
    child.wait_with_output().unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

fn seal(method: &str, data: &str, app_id: &str) -> String {
    let output = jb(
        &[
            "seal",
            "--method",
            method,
            "--app-id",
            app_id,
            "--serial-no",
            "sn1",
            "--time-stamp",
            "20240101120000",
        ],
        data.as_bytes(),
    );
    assert_eq!(
        output.status.code(),
        Some(0),
        "seal failed: {}",
        stderr(&output)
    );
    stdout(&output)
}

#[test]
fn sign_golden_request() {
    let output = jb(&["sign"], GOLDEN_REQUEST.as_bytes());

    assert_eq!(output.status.code(), Some(0), "stderr: {}", stderr(&output));
    assert_eq!(stdout(&output), format!("{GOLDEN_SIGN}\n"));
}

#[test]
fn sign_key_from_file() {
    let directory = tempfile::tempdir().unwrap();
    let key_file = directory.path().join("app.key");
    std::fs::write(&key_file, format!("{GOLDEN_KEY}\n")).unwrap();

    let output = jb_with_env(
        &["sign", "--app-key-file", key_file.to_str().unwrap()],
        GOLDEN_REQUEST.as_bytes(),
        &[],
    );

    assert_eq!(output.status.code(), Some(0), "stderr: {}", stderr(&output));
    assert_eq!(stdout(&output), format!("{GOLDEN_SIGN}\n"));
}

#[test]
fn sign_missing_key_is_usage_error() {
    let output = jb_with_env(&["sign"], GOLDEN_REQUEST.as_bytes(), &[]);

    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("JB_APP_KEY"),
        "stderr: {}",
        stderr(&output)
    );
}

#[test]
fn sign_missing_key_file_is_usage_error() {
    let output = jb_with_env(
        &["sign", "--app-key-file", "/nonexistent/app.key"],
        GOLDEN_REQUEST.as_bytes(),
        &[],
    );

    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("/nonexistent/app.key"));
}

#[test]
fn verify_accepts_golden_and_uppercase() {
    let signed = GOLDEN_REQUEST
        .trim_end()
        .replace('}', &format!(r#","sign":"{GOLDEN_SIGN}"}}"#));
    let upper = signed.replace(GOLDEN_SIGN, &GOLDEN_SIGN.to_uppercase());

    assert_eq!(jb(&["verify"], signed.as_bytes()).status.code(), Some(0));
    assert_eq!(jb(&["verify"], upper.as_bytes()).status.code(), Some(0));
}

#[test]
fn verify_flipped_sign_byte_rejected() {
    let flipped = format!("b{}", &GOLDEN_SIGN[1..]);
    let envelope = GOLDEN_REQUEST
        .trim_end()
        .replace('}', &format!(r#","sign":"{flipped}"}}"#));

    let output = jb(&["verify"], envelope.as_bytes());

    assert_eq!(output.status.code(), Some(1));
    let message = stderr(&output);
    assert!(message.contains(&flipped), "received sign shown: {message}");
    assert!(
        message.contains(GOLDEN_SIGN),
        "computed sign shown: {message}"
    );
}

#[test]
fn verify_malformed_sign_rejected() {
    for bad in ["abc", "zz22db84a9e75106b00872921ee1a71672f8dd4z"] {
        let envelope = GOLDEN_REQUEST
            .trim_end()
            .replace('}', &format!(r#","sign":"{bad}"}}"#));

        let output = jb(&["verify"], envelope.as_bytes());

        assert_eq!(output.status.code(), Some(1), "sign {bad}");
        assert!(
            stderr(&output).contains("sign"),
            "sign {bad}: {}",
            stderr(&output)
        );
    }
}

#[test]
fn verify_without_sign_rejected() {
    let output = jb(&["verify"], GOLDEN_REQUEST.as_bytes());

    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("no sign field"));
}

#[test]
fn explain_sign_golden_steps() {
    let output = jb(&["explain-sign"], GOLDEN_REQUEST.as_bytes());

    assert_eq!(output.status.code(), Some(0), "stderr: {}", stderr(&output));
    let text = stdout(&output);
    assert!(text.contains(&format!(
        "<appKey>20161201141000APPID88888{GOLDEN_DATA}sn12345678900987654321"
    )));
    assert!(text.contains(GOLDEN_SIGN));
    assert!(text.contains("serialNo"), "field names listed: {text}");
}

#[test]
fn explain_sign_never_shows_key() {
    let key = "distinctive-secret-Q7";
    let output = jb_with_env(
        &["explain-sign"],
        GOLDEN_REQUEST.as_bytes(),
        &[("JB_APP_KEY", key)],
    );

    assert_eq!(output.status.code(), Some(0), "stderr: {}", stderr(&output));
    let text = stdout(&output);
    assert!(!text.contains(key), "appKey leaked: {text}");
    assert!(
        !stderr(&output).contains(key),
        "appKey leaked: {}",
        stderr(&output)
    );
    assert!(text.contains("<appKey>"), "mask shown: {text}");
}

#[test]
fn explain_sign_mismatch_exits_1_after_explaining() {
    let flipped = format!("b{}", &GOLDEN_SIGN[1..]);
    let envelope = GOLDEN_REQUEST
        .trim_end()
        .replace('}', &format!(r#","sign":"{flipped}"}}"#));
    let signed = GOLDEN_REQUEST
        .trim_end()
        .replace('}', &format!(r#","sign":"{GOLDEN_SIGN}"}}"#));

    let output = jb(&["explain-sign"], envelope.as_bytes());
    let matching = jb(&["explain-sign"], signed.as_bytes());

    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    assert!(text.contains(GOLDEN_SIGN), "computed sign shown: {text}");
    assert!(text.contains("differs"), "verdict shown: {text}");
    assert!(stderr(&output).contains("appKey"), "{}", stderr(&output));
    assert_eq!(matching.status.code(), Some(0), "{}", stderr(&matching));
    assert!(
        stdout(&matching).contains("matches"),
        "{}",
        stdout(&matching)
    );
}

#[test]
fn empty_stdin_hint_names_each_command() {
    for command in ["decrypt", "sign", "verify", "explain-sign", "encrypt"] {
        let output = jb(&[command], b"");

        assert_eq!(output.status.code(), Some(1), "{command}");
        let message = stderr(&output);
        assert!(
            message.contains(&format!("jb {command} <")),
            "{command}: {message}"
        );
    }
}

#[test]
fn encrypt_golden_plaintext() {
    let output = jb(&["encrypt"], format!("{GOLDEN_PLAINTEXT}\n").as_bytes());

    assert_eq!(output.status.code(), Some(0));
    assert_eq!(stdout(&output), format!("{GOLDEN_DATA}\n"));
}

#[test]
fn encrypt_keep_line_break_changes_ciphertext() {
    let output = jb(
        &["encrypt", "--keep-line-break"],
        format!("{GOLDEN_PLAINTEXT}\n").as_bytes(),
    );

    assert_eq!(output.status.code(), Some(0));
    assert_ne!(stdout(&output), format!("{GOLDEN_DATA}\n"));
}

#[test]
fn decrypt_golden_data() {
    let output = jb(&["decrypt"], format!("{GOLDEN_DATA}\n").as_bytes());

    assert_eq!(output.status.code(), Some(0));
    assert_eq!(stdout(&output), GOLDEN_PLAINTEXT);
}

#[test]
fn decrypt_bad_inputs_rejected() {
    let cases = [
        ("truncated", &GOLDEN_DATA[..20], "multiple of the 16-byte"),
        ("not base64", "!!!!", "Base64"),
        ("binary", "\u{0}\u{1}", "Base64"),
    ];
    for (case, input, expected) in cases {
        let output = jb(&["decrypt"], input.as_bytes());

        assert_eq!(output.status.code(), Some(1), "case {case}");
        assert!(
            stderr(&output).contains(expected),
            "case {case}: {}",
            stderr(&output)
        );
    }
}

#[test]
fn decrypt_wrong_key_rejected() {
    let output = jb_with_env(
        &["decrypt"],
        GOLDEN_DATA.as_bytes(),
        &[("JB_APP_KEY", "654321")],
    );

    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("padding"),
        "stderr: {}",
        stderr(&output)
    );
}

#[test]
fn empty_stdin_rejected() {
    for command in [
        "sign",
        "verify",
        "explain-sign",
        "encrypt",
        "decrypt",
        "open",
    ] {
        let output = jb(&[command], b"");

        assert_eq!(output.status.code(), Some(1), "command {command}");
        assert!(
            stderr(&output).contains("stdin is empty"),
            "command {command}"
        );
    }
}

#[test]
fn seal_reproducible_with_overrides() {
    let first = seal("J1", r#"{"insuranceCode":"CPIC"}"#, "APP1");
    let second = seal(
        "warningInstanceDownload",
        r#"{"insuranceCode":"CPIC"}"#,
        "APP1",
    );

    assert_eq!(first, second);
    let envelope: serde_json::Value = serde_json::from_str(&first).unwrap();
    assert_eq!(envelope["method"], "warningInstanceDownload");
    assert_eq!(envelope["serialNo"], "sn1");
    assert_eq!(envelope["timeStamp"], "20240101120000");
    assert_eq!(envelope["appId"], "APP1");
}

#[test]
fn seal_fresh_serial_numbers_differ() {
    let data = br#"{"insuranceCode":"CPIC"}"#;
    let args = ["seal", "--method", "J2", "--app-id", "APP1"];

    let first = stdout(&jb(&args, data));
    let second = stdout(&jb(&args, data));

    let first: serde_json::Value = serde_json::from_str(&first).unwrap();
    let second: serde_json::Value = serde_json::from_str(&second).unwrap();
    assert_ne!(first["serialNo"], second["serialNo"]);
}

#[test]
fn seal_then_open_round_trip() {
    let data = r#"{"insuranceCode":"CPIC"}"#;
    let sealed = seal("J2", data, "APP1");

    let output = jb(&["open"], sealed.as_bytes());

    assert_eq!(output.status.code(), Some(0), "stderr: {}", stderr(&output));
    assert_eq!(stdout(&output), format!("{data}\n"));
}

#[test]
fn seal_non_json_rejected() {
    let output = jb(&["seal", "--method", "J1", "--app-id", "APP1"], b"not json");

    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("not valid JSON"));
}

#[test]
fn seal_bad_arguments_are_usage_errors() {
    let cases: [&[&str]; 4] = [
        &["seal", "--method", "J9", "--app-id", "A"],
        &["seal", "--method", "J1"],
        &[
            "seal",
            "--method",
            "J1",
            "--app-id",
            "A",
            "--time-stamp",
            "20241301000000",
        ],
        &[
            "seal",
            "--method",
            "J1",
            "--app-id",
            "A",
            "--serial-no",
            &"x".repeat(33),
        ],
    ];
    for args in cases {
        let output = jb(args, b"{}");

        assert_eq!(
            output.status.code(),
            Some(2),
            "args {args:?}: {}",
            stderr(&output)
        );
    }
}

#[test]
fn open_checks_app_id() {
    let sealed = seal("J1", "{}", "APP1");

    let output = jb(&["open", "--app-id", "APP2"], sealed.as_bytes());

    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("appId"),
        "stderr: {}",
        stderr(&output)
    );
}

#[test]
fn open_wrong_key_rejected() {
    let sealed = seal("J1", "{}", "APP1");

    let output = jb_with_env(&["open"], sealed.as_bytes(), &[("JB_APP_KEY", "654321")]);

    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("sign"),
        "stderr: {}",
        stderr(&output)
    );
}

#[test]
fn open_request_as_response_rejected() {
    let sealed = seal("J1", "{}", "APP1");

    let output = jb(&["open", "--response"], sealed.as_bytes());

    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("returnCode"),
        "stderr: {}",
        stderr(&output)
    );
}

#[test]
fn open_missing_fields_rejected() {
    let output = jb(&["open", "--request"], br#"{"appId":"A"}"#);

    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("missing"),
        "stderr: {}",
        stderr(&output)
    );
}

#[test]
fn open_non_json_rejected() {
    for input in [&b"not json"[..], b"[1,2]", b"\xff\xfe", b"{\"a\":"] {
        let output = jb(&["open"], input);

        assert_eq!(output.status.code(), Some(1), "input {input:?}");
        assert!(!stderr(&output).contains("panicked"), "input {input:?}");
    }
}

#[test]
fn open_platform_error_code_rejected() {
    let response = r#"{"appId":"APP1","serialNo":"s1","timeStamp":"20240101120000","method":"reportCaseUpload","returnCode":"9999","returnMsg":"系统繁忙","data":"","sign":"0000000000000000000000000000000000000000"}"#;

    let output = jb(&["open"], response.as_bytes());

    assert_eq!(output.status.code(), Some(1));
    let message = stderr(&output);
    assert!(message.contains("9999"), "code shown: {message}");
    assert!(message.contains("系统繁忙"), "message shown: {message}");
}

#[test]
fn messages_follow_lang() {
    let chinese = jb(&["open", "--lang", "zh"], b"");
    let english = jb_with_env(
        &["open"],
        b"",
        &[("JB_APP_KEY", GOLDEN_KEY), ("LANG", "zh_CN.UTF-8")],
    );
    let overridden = jb_with_env(
        &["open", "--lang=en"],
        b"",
        &[("JB_APP_KEY", GOLDEN_KEY), ("LANG", "zh_CN.UTF-8")],
    );

    assert!(
        stderr(&chinese).contains("标准输入为空"),
        "{}",
        stderr(&chinese)
    );
    assert!(
        stderr(&english).contains("标准输入为空"),
        "{}",
        stderr(&english)
    );
    assert!(
        stderr(&overridden).contains("stdin is empty"),
        "{}",
        stderr(&overridden)
    );
}

#[test]
fn help_in_both_languages() {
    let chinese = jb(&["--lang", "zh", "seal", "--help"], b"");
    let english = jb(&["--lang", "en", "seal", "--help"], b"");

    assert_eq!(chinese.status.code(), Some(0));
    assert!(stdout(&chinese).contains("用法"), "{}", stdout(&chinese));
    assert!(stdout(&chinese).contains("封装"), "{}", stdout(&chinese));
    assert!(stdout(&english).contains("Usage"), "{}", stdout(&english));
}
