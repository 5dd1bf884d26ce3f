//! `jb sim` as a user runs it: a child process on 127.0.0.1 port 0, read through its output.

#![allow(clippy::unwrap_used, clippy::panic)]

use std::io::{BufRead as _, BufReader};
use std::process::{Child, Command, Stdio};

use jb_crypto::AppKey;
use jb_proto::{Codec, Method};

/// A running `jb sim` that is killed when dropped.
struct SimProcess {
    child: Child,
    banner: Vec<String>,
}

impl Drop for SimProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl SimProcess {
    /// Starts `jb sim` with `args` and `env`, and reads its banner up to the Ctrl+C line.
    fn start(args: &[&str], env: &[(&str, &str)]) -> SimProcess {
        let mut command = Command::new(env!("CARGO_BIN_EXE_jb"));
        command
            .args(["--lang", "en", "sim"])
            .args(args)
            .env_remove("JB_APP_ID")
            .env_remove("JB_APP_KEY")
            .env_remove("JB_APP_KEY_FILE")
            .env_remove("JB_INSURANCE_CODE")
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        for (name, value) in env {
            command.env(name, value);
        }
        let mut child = command.spawn().unwrap();

        let stdout = child.stdout.take().unwrap();
        let mut banner = Vec::new();
        for line in BufReader::new(stdout).lines() {
            let line = line.unwrap();
            let last = line.starts_with("Press Ctrl+C");
            banner.push(line);
            if last {
                break;
            }
        }
        SimProcess { child, banner }
    }

    /// Returns the value printed after `label` in the banner.
    fn value(&self, label: &str) -> String {
        self.banner
            .iter()
            .find_map(|line| line.trim().strip_prefix(label))
            .map(|rest| rest.trim().to_owned())
            .unwrap_or_else(|| panic!("no {label} line in {:?}", self.banner))
    }
}

/// Sends one accident download and returns the returnCode.
fn download(gateway: &str, app_id: &str, key: &str, insurer: &str) -> String {
    let codec = Codec::new(app_id, AppKey::new(key));
    let data = format!(r#"{{"insuranceCode":"{insurer}"}}"#);
    let request = codec.seal_request_now(Method::AccidentDownload, &data);

    let runtime = tokio::runtime::Runtime::new().unwrap();
    let body = runtime.block_on(async {
        reqwest::Client::builder()
            .no_proxy()
            .build()
            .unwrap()
            .post(gateway)
            .body(request.to_json())
            .send()
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap()
    });
    let response: serde_json::Value = serde_json::from_slice(&body).unwrap();
    response["returnCode"].as_str().unwrap().to_owned()
}

#[test]
fn sim_generated_tenant_writes_private_key_file() {
    let directory = tempfile::tempdir().unwrap();
    let key_path = directory.path().join("sim.key");

    let sim = SimProcess::start(&["--key-out", key_path.to_str().unwrap()], &[]);
    let gateway = sim.value("gateway URL:");
    let app_id = sim
        .value("appId:")
        .split_whitespace()
        .next()
        .unwrap()
        .to_owned();
    let key = std::fs::read_to_string(&key_path)
        .unwrap()
        .trim_end()
        .to_owned();

    assert!(gateway.starts_with("http://127.0.0.1:"), "{gateway}");
    assert!(
        gateway.ends_with("/police-policy-api/openapi/gateway.do"),
        "{gateway}"
    );
    assert_eq!(sim.value("appKey file:"), key_path.display().to_string());
    assert!(
        !sim.banner.join("\n").contains(&key),
        "the key must never be printed"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(&key_path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    assert_eq!(download(&gateway, &app_id, &key, "CPIC"), "0000");
}

#[test]
fn sim_serves_tenant_from_environment() {
    let sim = SimProcess::start(
        &[],
        &[
            ("JB_APP_ID", "ENVAPP"),
            ("JB_APP_KEY", "environment-key"),
            ("JB_INSURANCE_CODE", "PICC"),
        ],
    );
    let gateway = sim.value("gateway URL:");

    assert!(sim.value("appId:").starts_with("ENVAPP"));
    assert_eq!(
        download(&gateway, "ENVAPP", "environment-key", "PICC"),
        "0000"
    );
    assert_eq!(download(&gateway, "ENVAPP", "wrong-key", "PICC"), "1003");
}

#[test]
fn sim_app_id_without_insurer_is_usage_error() {
    let output = Command::new(env!("CARGO_BIN_EXE_jb"))
        .args(["--lang", "en", "sim", "--app-id", "APP1"])
        .env("JB_APP_KEY", "some-key")
        .env_remove("JB_INSURANCE_CODE")
        .output()
        .unwrap();

    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("--insurance-code"), "{stderr}");
}

#[test]
fn sim_invalid_config_is_rejected() {
    let directory = tempfile::tempdir().unwrap();
    let config = directory.path().join("sim.toml");
    std::fs::write(&config, "[faults]\nhttp_500 = 3\n").unwrap();

    let output = Command::new(env!("CARGO_BIN_EXE_jb"))
        .args(["--lang", "en", "sim", "--config", config.to_str().unwrap()])
        .output()
        .unwrap();

    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("faults.http_500"), "{stderr}");
}

#[test]
fn sim_unknown_insurer_is_usage_error() {
    let output = Command::new(env!("CARGO_BIN_EXE_jb"))
        .args(["--lang", "en", "sim", "--insurance-code", "XXXX"])
        .env_remove("JB_APP_ID")
        .env_remove("JB_INSURANCE_CODE")
        .output()
        .unwrap();

    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("\"XXXX\""), "{stderr}");
    assert!(stderr.contains("jb dict insurer"), "{stderr}");
    assert!(output.stdout.is_empty(), "the simulator must not start");
}

#[test]
fn sim_config_unknown_insurer_is_rejected() {
    let directory = tempfile::tempdir().unwrap();
    let config = directory.path().join("sim.toml");
    std::fs::write(
        &config,
        "[[tenants]]\napp_id = \"APP1\"\ninsurance_code = \"NOPE\"\napp_key_env = \"SIM_KEY\"\n",
    )
    .unwrap();

    let output = Command::new(env!("CARGO_BIN_EXE_jb"))
        .args(["--lang", "en", "sim", "--config", config.to_str().unwrap()])
        .env("SIM_KEY", "some-key")
        .env_remove("JB_INSURANCE_CODE")
        .output()
        .unwrap();

    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("\"NOPE\""), "{stderr}");
    assert!(stderr.contains("jb dict insurer"), "{stderr}");
}

#[test]
fn sim_existing_key_out_is_kept() {
    let directory = tempfile::tempdir().unwrap();
    let key_path = directory.path().join("sim.key");
    std::fs::write(&key_path, "earlier-key\n").unwrap();

    let output = Command::new(env!("CARGO_BIN_EXE_jb"))
        .args([
            "--lang",
            "en",
            "sim",
            "--key-out",
            key_path.to_str().unwrap(),
        ])
        .env_remove("JB_APP_ID")
        .env_remove("JB_INSURANCE_CODE")
        .output()
        .unwrap();

    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("already exists"), "{stderr}");
    assert!(stderr.contains("remove it"), "{stderr}");
    assert!(stderr.contains("--key-out"), "{stderr}");
    assert_eq!(std::fs::read_to_string(&key_path).unwrap(), "earlier-key\n");
}

/// Sends SIGINT, as Ctrl+C does, and waits up to ten seconds for the process to exit.
#[cfg(unix)]
fn interrupt(sim: &mut SimProcess) -> std::process::ExitStatus {
    let pid = sim.child.id().to_string();
    let sent = Command::new("kill").args(["-INT", &pid]).status().unwrap();
    assert!(sent.success(), "kill -INT {pid} failed");

    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        if let Some(status) = sim.child.try_wait().unwrap() {
            return status;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "jb sim did not stop after SIGINT"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

#[cfg(unix)]
#[test]
fn sim_removes_generated_key_on_stop() {
    let temporary = tempfile::tempdir().unwrap();

    let mut sim = SimProcess::start(&[], &[("TMPDIR", temporary.path().to_str().unwrap())]);
    let key_path = std::path::PathBuf::from(sim.value("appKey file:"));
    let written = key_path.exists();
    let status = interrupt(&mut sim);

    assert!(key_path.starts_with(temporary.path()), "{key_path:?}");
    assert!(written, "{key_path:?} was not written");
    assert!(status.success(), "{status}");
    assert!(!key_path.exists(), "{key_path:?} was left behind");
}

#[cfg(unix)]
#[test]
fn sim_keeps_named_key_on_stop() {
    let directory = tempfile::tempdir().unwrap();
    let key_path = directory.path().join("sim.key");

    let mut sim = SimProcess::start(&["--key-out", key_path.to_str().unwrap()], &[]);
    let status = interrupt(&mut sim);

    assert!(status.success(), "{status}");
    assert!(key_path.exists(), "a key file the user named is kept");
}
