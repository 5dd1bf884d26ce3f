//! `jb validate`, `jb parse` and `jb dict`, run as a user runs them.
#![allow(clippy::unwrap_used)]

use std::io::Write as _;
use std::process::{Command, Output, Stdio};

fn data_path(name: &str) -> String {
    format!("{}/tests/data/{name}", env!("CARGO_MANIFEST_DIR"))
}

/// Runs `jb ARGS` with `LANG` set to `lang` and `stdin` as input.
fn jb(args: &[&str], stdin: &[u8], lang: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_jb"))
        .args(args)
        .env("LANG", lang)
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // A command that fails before reading stdin closes it, so a broken pipe here is expected.
    let _ = child.stdin.take().unwrap().write_all(stdin);
    child.wait_with_output().unwrap()
}

fn english(args: &[&str], stdin: &[u8]) -> Output {
    jb(args, stdin, "en_US.UTF-8")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap()
}

#[test]
fn validate_valid_report() {
    let output = english(
        &["validate", "report", &data_path("report-valid.json")],
        b"",
    );

    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert_eq!(text(&output.stdout), "valid\n");
}

#[test]
fn validate_invalid_report_lists_every_violation() {
    let output = english(
        &["validate", "report", &data_path("report-invalid.json")],
        b"",
    );

    assert_eq!(output.status.code(), Some(1));
    let message = text(&output.stderr);
    for path in [
        "reportNo",
        "isInjured",
        "plateData[0].plateType",
        "surveyAddress",
    ] {
        assert!(message.contains(path), "{path} listed: {message}");
    }
    assert!(message.contains("4 rule violation(s)"), "{message}");
}

#[test]
fn validate_report_in_chinese() {
    let output = jb(
        &["validate", "report", &data_path("report-invalid.json")],
        b"",
        "zh_CN.UTF-8",
    );

    assert_eq!(output.status.code(), Some(1));
    let message = text(&output.stderr);
    assert!(
        message.contains("是否有人伤"),
        "Chinese field name: {message}"
    );
    assert!(message.contains("共 4 处"), "{message}");
}

#[test]
fn validate_unknown_code_opt_out() {
    let strict = english(
        &["validate", "report", &data_path("report-invalid.json")],
        b"",
    );
    let relaxed = english(
        &[
            "validate",
            "report",
            &data_path("report-invalid.json"),
            "--accept-unknown-codes",
        ],
        b"",
    );

    assert!(text(&strict.stderr).contains("plateData[0].plateType"));
    assert!(!text(&relaxed.stderr).contains("plateData[0].plateType"));
    assert!(text(&relaxed.stderr).contains("3 rule violation(s)"));
}

#[test]
fn validate_claim_exact_cents() {
    for name in ["claim-valid.json", "claim-cents.json"] {
        let output = english(&["validate", "claim", &data_path(name)], b"");

        assert_eq!(
            output.status.code(),
            Some(0),
            "{name}: {}",
            text(&output.stderr)
        );
    }
}

#[test]
fn validate_dash_reads_stdin() {
    let record = std::fs::read(data_path("report-valid.json")).unwrap();

    let output = english(&["validate", "report", "-"], &record);

    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert_eq!(text(&output.stdout), "valid\n");
}

#[test]
fn validate_missing_file_is_usage_error() {
    let output = english(&["validate", "claim", "/nonexistent/claim.json"], b"");

    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("/nonexistent/claim.json"));
}

#[test]
fn validate_non_json_rejected() {
    let directory = tempfile::tempdir().unwrap();
    let file = directory.path().join("claim.json");
    std::fs::write(&file, "payAmout=1").unwrap();

    let output = english(&["validate", "claim", file.to_str().unwrap()], b"");

    assert_eq!(output.status.code(), Some(1));
    assert!(
        text(&output.stderr).contains("not valid JSON"),
        "{}",
        text(&output.stderr)
    );
}

#[test]
fn parse_keeps_good_records_and_reports_bad() {
    let input = std::fs::read(data_path("warnings-one-bad.json")).unwrap();

    let output = english(&["parse", "warnings"], &input);

    assert_eq!(output.status.code(), Some(1));
    let records: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let records = records.as_array().unwrap();
    assert!(!records.is_empty(), "good record kept");
    assert_eq!(records[0]["warningNo"], "201808100085");
    assert_eq!(records[0]["plateData"][0]["plateNo"], "粤B12345");
    let problems = text(&output.stderr);
    assert!(
        problems.contains("record 2 (index 1)"),
        "bad warningTime reported, counted from 1: {problems}"
    );
    assert!(
        problems.contains("record 3 (index 2)"),
        "non-record entry reported, counted from 1: {problems}"
    );
    assert!(
        problems.contains("not a record"),
        "raw JSON kept: {problems}"
    );
}

#[test]
fn parse_reads_file_argument() {
    let output = english(
        &["parse", "warnings", &data_path("warnings-one-bad.json")],
        b"",
    );

    assert_eq!(output.status.code(), Some(1));
    let records: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(records[0]["warningNo"], "201808100085");
}

#[test]
fn parse_missing_file_is_usage_error() {
    let output = english(&["parse", "warnings", "/nonexistent/data.json"], b"");

    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("/nonexistent/data.json"));
}

#[test]
fn empty_stdin_hint_names_command() {
    let output = english(&["parse", "dispatches"], b"");

    assert_eq!(output.status.code(), Some(1));
    let message = text(&output.stderr);
    assert!(message.contains("jb parse dispatches <"), "{message}");
    assert!(!message.contains("jb open"), "{message}");
}

#[test]
fn validate_unknown_code_names_flag() {
    for lang in ["en_US.UTF-8", "zh_CN.UTF-8"] {
        let output = jb(
            &["validate", "report", &data_path("report-invalid.json")],
            b"",
            lang,
        );

        assert_eq!(output.status.code(), Some(1));
        let message = text(&output.stderr);
        assert!(
            message.contains("--accept-unknown-codes"),
            "{lang}: {message}"
        );
    }
}

#[test]
fn dict_json_keys_are_clean() {
    let output = english(&["dict", "accident-cause", "--json"], b"");

    assert_eq!(output.status.code(), Some(0));
    let table: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let row = table["rows"][0].as_object().unwrap();
    let keys: Vec<&str> = row.keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "code",
            "situation",
            "cause_level_1",
            "cause_level_2",
            "cause_level_3"
        ]
    );
}

#[test]
fn parse_complete_batch_exits_zero() {
    let input = r#"{"reportNo":"R1","receiveTime":"2019-03-07 12:01:00","dispatchType":"1",
        "taskType":"1","userId":"10030","surveyorCo":"AZCN","surveyorName":"张三",
        "surveyorPhone":"13912345678"}"#;

    let output = english(&["parse", "dispatches"], input.as_bytes());

    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let records: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(records[0]["reportNo"], "R1");
}

#[test]
fn parse_non_json_rejected() {
    let output = english(&["parse", "accidents"], b"<html>");

    assert_eq!(output.status.code(), Some(1));
    assert!(text(&output.stderr).contains("not valid JSON"));
}

#[test]
fn dict_lists_tables() {
    let output = english(&["dict"], b"");

    assert_eq!(output.status.code(), Some(0));
    let listing = text(&output.stdout);
    for key in [
        "insurer",
        "plate-type",
        "certificate-type",
        "accident-cause",
        "loss-type",
        "photo-type",
    ] {
        assert!(listing.contains(key), "{key} listed");
    }
}

#[test]
fn dict_table_as_json() {
    let output = english(&["dict", "insurer", "--json"], b"");

    assert_eq!(output.status.code(), Some(0));
    let table: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let rows = table["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 34);
    assert!(rows.iter().any(|row| row["code"] == "CPIC"));
}

#[test]
fn dict_unknown_table_is_usage_error() {
    let output = english(&["dict", "colours"], b"");

    assert_eq!(output.status.code(), Some(2));
    assert!(
        text(&output.stderr).contains("plate-type"),
        "alternatives listed"
    );
}

/// Returns the ```json blocks of a page under `docs/`, in order.
fn json_blocks(page: &str) -> Vec<String> {
    let path = format!("{}/../../docs/{page}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap();
    let mut blocks = Vec::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        match (&mut current, line.trim_end()) {
            (None, "```json") => current = Some(String::new()),
            (Some(block), "```") => {
                blocks.push(std::mem::take(block));
                current = None;
            }
            (Some(block), _) => {
                block.push_str(line);
                block.push('\n');
            }
            (None, _) => {}
        }
    }
    blocks
}

#[test]
fn records_doc_examples_pass_validate() {
    let directory = tempfile::tempdir().unwrap();
    for page in ["en/records.md", "zh/records.md"] {
        let blocks = json_blocks(page);
        assert_eq!(blocks.len(), 2, "{page}: a report and a claim example");

        for (kind, block) in ["report", "claim"].into_iter().zip(&blocks) {
            let file = directory.path().join(format!("{kind}.json"));
            std::fs::write(&file, block).unwrap();

            let output = english(&["validate", kind, file.to_str().unwrap()], b"");

            assert_eq!(
                output.status.code(),
                Some(0),
                "{page} {kind}: {}",
                text(&output.stderr)
            );
        }
    }
}

#[test]
fn records_doc_examples_same_in_both_languages() {
    assert_eq!(json_blocks("en/records.md"), json_blocks("zh/records.md"));
}

#[test]
fn validate_empty_object_names_missing_field() {
    let directory = tempfile::tempdir().unwrap();
    let file = directory.path().join("report.json");
    std::fs::write(&file, "{}").unwrap();

    let english = english(&["validate", "report", file.to_str().unwrap()], b"");
    let chinese = jb(
        &["validate", "report", file.to_str().unwrap()],
        b"",
        "zh_CN.UTF-8",
    );

    assert_eq!(english.status.code(), Some(1));
    assert!(text(&english.stderr).contains("missing required field reportTime"));
    assert!(text(&english.stderr).contains("docs/en/records.md"));
    assert!(text(&chinese.stderr).contains("reportTime（报案时间）"));
}
