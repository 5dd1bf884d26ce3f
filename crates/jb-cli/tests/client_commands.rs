//! `jb download` and `jb upload` as a user runs them: the binary against a stand-in platform
//! on 127.0.0.1, configured through jb.toml and the JB_* environment variables.

#![allow(clippy::unwrap_used, clippy::panic)]

use std::net::SocketAddr;
use std::path::Path;
use std::process::{Command, Output};
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::routing::post;
use jb_crypto::AppKey;
use jb_proto::{Codec, Method, OpenedRequest, ResponsePayload, SerialNo, TimeStamp};

const APP_ID: &str = "APPCLI001";
const APP_KEY: &str = "cli-test-key";

const REPORT: &str = r#"{
  "reportNo": "R20240301009", "reportContent": "两车刮碰，无人受伤", "reportAddress": "福田区深南大道1号",
  "insuranceCode": "CPIC", "alarmName": "王五", "alarmPhone": "13700001111",
  "reportTime": "2024-03-01 09:20", "isInjured": "N", "isLocalSurvey": "Y", "isCarDriving": "Y",
  "surveyProvince": "广东省", "surveyCity": "深圳市", "surveyArea": "福田区",
  "surveyAddress": "深南大道1号", "surveyCoordinateSystem": "1",
  "surveyLongitude": "114.05", "surveyLatitude": "22.54",
  "plateData": [{"plateType": "02", "plateNo": "粤B0A001"}]
}"#;

const DISPATCHES: &str = r#"[{"reportNo":"R1","receiveTime":"2024-03-01 09:30:00","dispatchType":"2","taskType":"1","userId":"S1","surveyorCo":"CPIC","surveyorName":"赵六","surveyorPhone":"13800002222"},{"reportNo":["bad"]}]"#;

/// What the stand-in platform returns for every request.
#[derive(Clone, Copy)]
enum Reply {
    Success,
    Error(&'static str, &'static str),
    /// Rejects every request with returnCode 1003, as the platform does for a request signed
    /// with another appKey; the response is signed with the platform's key, not the client's.
    BadSign,
}

/// A stand-in platform served from a background thread with its own runtime.
struct Platform {
    address: SocketAddr,
    requests: Arc<Mutex<Vec<OpenedRequest>>>,
}

impl Platform {
    fn start(reply: Reply) -> Platform {
        let requests = Arc::new(Mutex::new(Vec::new()));
        let state = (Arc::clone(&requests), reply);
        let (sender, receiver) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(async move {
                let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
                sender.send(listener.local_addr().unwrap()).unwrap();
                let router = Router::new()
                    .route("/gateway.do", post(gateway))
                    .with_state(state);
                axum::serve(listener, router).await.unwrap();
            });
        });
        Platform {
            address: receiver.recv().unwrap(),
            requests,
        }
    }

    fn url(&self) -> String {
        format!("http://{}/gateway.do", self.address)
    }

    fn requests(&self) -> Vec<OpenedRequest> {
        self.requests.lock().unwrap().clone()
    }
}

async fn gateway(
    State((requests, reply)): State<(Arc<Mutex<Vec<OpenedRequest>>>, Reply)>,
    body: Bytes,
) -> Vec<u8> {
    if let Reply::BadSign = reply {
        return reject_sign(&body);
    }
    let codec = Codec::new(APP_ID, AppKey::new(APP_KEY));
    let request = codec.open_request(&body, &Default::default()).unwrap();
    let method = request.method;
    requests.lock().unwrap().push(request);
    let (code, message, data) = match reply {
        Reply::Success if method.is_upload() => ("0000", "成功", ResponsePayload::Plain("SUCCESS")),
        Reply::Success => ("0000", "成功", ResponsePayload::Encrypt(DISPATCHES)),
        Reply::Error(code, message) => (code, message, ResponsePayload::Plain("")),
        Reply::BadSign => unreachable!("answered by reject_sign"),
    };
    codec
        .seal_response(
            method,
            SerialNo::generate(),
            TimeStamp::now(),
            code,
            message,
            data,
        )
        .to_json()
}

/// Answers a request without checking its sign: returnCode 1003, signed with a key the
/// client does not hold.
fn reject_sign(body: &[u8]) -> Vec<u8> {
    let request: serde_json::Value = serde_json::from_slice(body).unwrap();
    let method: Method = request["method"].as_str().unwrap().parse().unwrap();
    Codec::new(APP_ID, AppKey::new("the-platform-key"))
        .seal_response(
            method,
            SerialNo::generate(),
            TimeStamp::now(),
            "1003",
            "签名校验失败",
            ResponsePayload::Plain(""),
        )
        .to_json()
}

/// Runs `jb --lang en ARGS` in `directory` with only the given JB_* variables and no proxy.
fn jb(directory: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    jb_in("en", directory, args, env)
}

/// Runs `jb --lang LANG ARGS` in `directory` with only the given JB_* variables and no proxy.
fn jb_in(lang: &str, directory: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_jb"));
    command
        .current_dir(directory)
        .arg("--lang")
        .arg(lang)
        .args(args);
    for name in [
        "JB_APP_ID",
        "JB_APP_KEY",
        "JB_APP_KEY_FILE",
        "JB_INSURANCE_CODE",
        "JB_ENDPOINT",
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
        "http_proxy",
        "https_proxy",
        "all_proxy",
        "RUST_LOG",
    ] {
        command.env_remove(name);
    }
    for (name, value) in env {
        command.env(name, value);
    }
    command.output().unwrap()
}

fn env_for(platform: &Platform) -> Vec<(&'static str, String)> {
    vec![
        ("JB_APP_ID", APP_ID.to_owned()),
        ("JB_APP_KEY", APP_KEY.to_owned()),
        ("JB_INSURANCE_CODE", "CPIC".to_owned()),
        ("JB_ENDPOINT", platform.url()),
    ]
}

fn borrowed<'a>(env: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    env.iter()
        .map(|(name, value)| (*name, value.as_str()))
        .collect()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn download_prints_records_and_failures() {
    let platform = Platform::start(Reply::Success);
    let directory = tempfile::tempdir().unwrap();
    let env = env_for(&platform);

    let output = jb(
        directory.path(),
        &["download", "dispatches"],
        &borrowed(&env),
    );

    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let document: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(document["method"], "dispatchInfoDownload");
    assert_eq!(document["records"][0]["reportNo"], "R1");
    assert_eq!(document["failures"][0]["index"], 1);
    assert_eq!(document["failures"][0]["raw"], r#"{"reportNo":["bad"]}"#);
    assert!(
        stderr(&output).contains("1 record(s) failed to decode"),
        "{}",
        stderr(&output)
    );
    let requests = platform.requests();
    assert_eq!(requests[0].method, Method::DispatchInfoDownload);
    assert_eq!(requests[0].data, r#"{"insuranceCode":"CPIC"}"#);
}

#[test]
fn upload_sends_and_prints_answer() {
    let platform = Platform::start(Reply::Success);
    let directory = tempfile::tempdir().unwrap();
    std::fs::write(directory.path().join("report.json"), REPORT).unwrap();
    let env = env_for(&platform);

    let output = jb(
        directory.path(),
        &["upload", "report", "report.json"],
        &borrowed(&env),
    );

    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let answer: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(answer["data"], "SUCCESS");
    assert_eq!(answer["returnMsg"], "成功");
    let requests = platform.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].method, Method::ReportCaseUpload);
    assert_eq!(answer["serialNo"], requests[0].serial_no.as_str());
}

#[test]
fn upload_dry_run_prints_envelope_without_sending() {
    let platform = Platform::start(Reply::Success);
    let directory = tempfile::tempdir().unwrap();
    std::fs::write(directory.path().join("report.json"), REPORT).unwrap();
    let env = env_for(&platform);

    let output = jb(
        directory.path(),
        &["upload", "report", "report.json", "--dry-run"],
        &borrowed(&env),
    );

    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let envelope = stdout(&output);
    let codec = Codec::new(APP_ID, AppKey::new(APP_KEY));
    let opened = codec
        .open_request(envelope.trim().as_bytes(), &Default::default())
        .unwrap();
    assert_eq!(opened.method, Method::ReportCaseUpload);
    assert!(opened.data.contains("R20240301009"), "{}", opened.data);
    assert!(platform.requests().is_empty());
}

#[test]
fn upload_invalid_record_exits_1_without_sending() {
    let platform = Platform::start(Reply::Success);
    let directory = tempfile::tempdir().unwrap();
    let invalid = REPORT.replace(r#""isInjured": "N""#, r#""isInjured": "maybe""#);
    std::fs::write(directory.path().join("report.json"), invalid).unwrap();
    let env = env_for(&platform);

    let output = jb(
        directory.path(),
        &["upload", "report", "report.json"],
        &borrowed(&env),
    );

    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(stderr(&output).contains("isInjured"), "{}", stderr(&output));
    assert!(platform.requests().is_empty());
}

#[test]
fn upload_other_insurer_rejected_without_sending() {
    let platform = Platform::start(Reply::Success);
    let directory = tempfile::tempdir().unwrap();
    let other = REPORT.replace(r#""insuranceCode": "CPIC""#, r#""insuranceCode": "PICC""#);
    assert_ne!(other, REPORT, "the fixture names CPIC");
    std::fs::write(directory.path().join("report.json"), other).unwrap();
    let env = env_for(&platform);

    let output = jb(
        directory.path(),
        &["upload", "report", "report.json"],
        &borrowed(&env),
    );

    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(stderr(&output).contains("PICC"), "{}", stderr(&output));
    assert!(stderr(&output).contains("CPIC"), "{}", stderr(&output));
    assert!(platform.requests().is_empty());
}

#[test]
fn upload_empty_file_rejected() {
    let platform = Platform::start(Reply::Success);
    let directory = tempfile::tempdir().unwrap();
    std::fs::write(directory.path().join("empty.json"), "  \n").unwrap();
    let env = env_for(&platform);

    let empty = jb(
        directory.path(),
        &["upload", "report", "empty.json"],
        &borrowed(&env),
    );

    assert_eq!(empty.status.code(), Some(1), "{}", stderr(&empty));
    assert!(stderr(&empty).contains("is empty"), "{}", stderr(&empty));
    assert!(platform.requests().is_empty());
}

#[test]
fn platform_error_exits_1_with_code_and_message() {
    let platform = Platform::start(Reply::Error("2001", "报案号重复"));
    let directory = tempfile::tempdir().unwrap();
    std::fs::write(directory.path().join("report.json"), REPORT).unwrap();
    let env = env_for(&platform);

    let output = jb(
        directory.path(),
        &["upload", "report", "report.json"],
        &borrowed(&env),
    );

    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("2001"), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("报案号重复"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn sign_rejection_same_facts_in_both_languages() {
    let platform = Platform::start(Reply::BadSign);
    let directory = tempfile::tempdir().unwrap();
    let env = env_for(&platform);

    let english = jb_in(
        "en",
        directory.path(),
        &["download", "warnings"],
        &borrowed(&env),
    );
    let chinese = jb_in(
        "zh",
        directory.path(),
        &["download", "warnings"],
        &borrowed(&env),
    );

    assert_eq!(english.status.code(), Some(1));
    assert_eq!(chinese.status.code(), Some(1));
    let english = stderr(&english);
    let chinese = stderr(&chinese);
    for message in [&english, &chinese] {
        assert!(message.contains("1003"), "{message}");
        assert!(message.contains("签名校验失败"), "{message}");
        assert!(message.contains("appKey"), "next step: {message}");
        assert!(message.contains("jb explain-sign"), "next step: {message}");
    }
    assert!(english.contains("did not verify"), "{english}");
    assert!(chinese.contains("响应的签名未通过校验"), "{chinese}");
}

#[test]
fn config_file_read_and_environment_wins() {
    let platform = Platform::start(Reply::Success);
    let directory = tempfile::tempdir().unwrap();
    std::fs::write(directory.path().join("app.key"), format!("{APP_KEY}\n")).unwrap();
    let config = format!(
        "app_id = \"{APP_ID}\"\napp_key_file = \"app.key\"\ninsurance_code = \"PICC\"\nendpoint = \"{}\"\n\n[http]\nproxy = \"none\"\n",
        platform.url()
    );
    std::fs::write(directory.path().join("jb.toml"), config).unwrap();

    let output = jb(
        directory.path(),
        &["download", "warnings"],
        &[("JB_INSURANCE_CODE", "CPIC")],
    );

    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(platform.requests()[0].data, r#"{"insuranceCode":"CPIC"}"#);
}

#[test]
fn missing_settings_exit_2() {
    let directory = tempfile::tempdir().unwrap();

    let output = jb(directory.path(), &["download", "accidents"], &[]);

    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("JB_APP_ID"), "{}", stderr(&output));
}

#[test]
fn unknown_config_key_exits_2() {
    let directory = tempfile::tempdir().unwrap();
    std::fs::write(
        directory.path().join("custom.toml"),
        "app_key = \"inline\"\n",
    )
    .unwrap();

    let output = jb(
        directory.path(),
        &["download", "warnings", "--config", "custom.toml"],
        &[],
    );

    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("app_key"), "{}", stderr(&output));
}
