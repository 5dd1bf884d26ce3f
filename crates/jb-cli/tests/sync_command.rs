//! `jb sync`, `jb status`, `jb outbox` and `jb upload --queue` as a user runs them: the real
//! binary against the platform simulator on 127.0.0.1, killed with SIGKILL mid-cycle and
//! restarted, stopped with SIGTERM.

#![allow(clippy::unwrap_used, clippy::panic)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use jb_crypto::AppKey;
use jb_sim::{FaultRates, RunningSimulator, ScenarioConfig, Simulator, Tenant};

const APP_ID: &str = "APPSYNCCLI";
const APP_KEY: &str = "sync-cli-test-key";
const INSURER: &str = "CPIC";

/// Starts the simulator on a thread of its own, so the test can block on child processes.
fn start_simulator(faults: FaultRates) -> RunningSimulator {
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async move {
            let simulator = Simulator::builder()
                .tenant(Tenant::new(APP_ID, INSURER, AppKey::new(APP_KEY)))
                .scenario(ScenarioConfig {
                    seed: 11,
                    new_per_poll: 4,
                    repeat_per_poll: 2,
                    change_rate: 0.3,
                    ..ScenarioConfig::default()
                })
                .faults(faults)
                .bind("127.0.0.1:0")
                .await
                .unwrap();
            sender.send(simulator).unwrap();
            std::future::pending::<()>().await;
        });
    });
    receiver.recv().unwrap()
}

/// A working directory with a jb.toml that keeps the client off any proxy.
struct Workspace {
    dir: tempfile::TempDir,
    gateway: String,
}

impl Workspace {
    fn new(simulator: &RunningSimulator) -> Workspace {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("jb.toml"),
            "[http]\nproxy = \"none\"\nrequest_timeout_secs = 5\n\n[retry]\nmax_attempts = 2\ninitial_backoff_ms = 20\nmax_backoff_ms = 50\n",
        )
        .unwrap();
        Workspace {
            dir,
            gateway: simulator.gateway_url(),
        }
    }

    fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    fn jb(&self, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_jb"));
        command
            .args(args)
            .current_dir(self.dir.path())
            .env("LANG", "en_US.UTF-8")
            .env_remove("LC_ALL")
            .env_remove("LC_MESSAGES")
            .env_remove("RUST_LOG")
            .env("JB_APP_ID", APP_ID)
            .env("JB_APP_KEY", APP_KEY)
            .env("JB_INSURANCE_CODE", INSURER)
            .env("JB_ENDPOINT", &self.gateway);
        command
    }

    fn sync_args<'a>(&'a self, data_dir: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
        let mut args = vec![
            "sync",
            "--data-dir",
            data_dir,
            "--interval",
            "150ms",
            "--jitter",
            "0s",
            "--upload-backoff",
            "0s",
            "--upload-backoff-max",
            "0s",
        ];
        args.extend_from_slice(extra);
        args
    }

    fn spawn_sync(&self) -> Child {
        let data_dir = self.data_dir();
        let data_dir = data_dir.to_str().unwrap();
        self.jb(&self.sync_args(data_dir, &[]))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap()
    }

    fn run(&self, args: &[&str]) -> Output {
        self.jb(args).output().unwrap()
    }

    fn sync_once(&self) -> Output {
        let data_dir = self.data_dir();
        let data_dir = data_dir.to_str().unwrap();
        self.run(&self.sync_args(data_dir, &["--once"]))
    }

    fn status(&self) -> serde_json::Value {
        let data_dir = self.data_dir();
        let output = self.run(&["status", "--json", "--data-dir", data_dir.to_str().unwrap()]);
        assert!(output.status.success(), "{}", text(&output.stderr));
        serde_json::from_slice(&output.stdout).unwrap()
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The version ids of every line of the NDJSON file, rotated files included, in file order.
fn emitted_ids(data_dir: &Path) -> Vec<i64> {
    let content = std::fs::read_to_string(data_dir.join("records.ndjson")).unwrap_or_default();
    content
        .lines()
        .map(|line| {
            let value: serde_json::Value = serde_json::from_str(line)
                .unwrap_or_else(|error| panic!("invalid NDJSON line {line:?}: {error}"));
            value["version_id"].as_i64().unwrap()
        })
        .collect()
}

/// Waits until the NDJSON file has at least `lines` lines, or panics after 20 seconds.
fn wait_for_lines(data_dir: &Path, lines: usize) {
    let started = Instant::now();
    while emitted_ids(data_dir).len() < lines {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "jb sync wrote no records"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn sync_killed_mid_cycle_loses_and_repeats_nothing() {
    // Slow responses stretch each cycle, so the kills land inside cycles.
    let simulator = start_simulator(FaultRates {
        delay: 0.5,
        delay_ms: 150,
        ..FaultRates::default()
    });
    let workspace = Workspace::new(&simulator);
    let data_dir = workspace.data_dir();

    // Kills at fixed delays land anywhere in a cycle. Kills as soon as the NDJSON file grows
    // land between the sink's write and the commit of its cursor: a restart must repair that
    // window by reading the file's last line.
    let mut torn_or_unrecorded = 0;
    for (round, wait_ms) in [120_u64, 260, 410, 90, 330, 500].into_iter().enumerate() {
        let mut child = workspace.spawn_sync();
        if round == 0 {
            wait_for_lines(&data_dir, 1);
        }
        std::thread::sleep(Duration::from_millis(wait_ms));
        // Child::kill sends SIGKILL on Unix: no handler runs, nothing is flushed.
        child.kill().unwrap();
        child.wait().unwrap();

        let mut child = workspace.spawn_sync();
        let size = file_size(&data_dir);
        let started = Instant::now();
        while file_size(&data_dir) == size && started.elapsed() < Duration::from_secs(10) {
            std::hint::spin_loop();
        }
        child.kill().unwrap();
        child.wait().unwrap();
        let cursor = workspace.status()["emission"]["ndjson"]
            .as_i64()
            .unwrap_or(0);
        let last_line = last_complete_id(&data_dir);
        if cursor < last_line || !ends_with_newline(&data_dir) {
            torn_or_unrecorded += 1;
        }
    }
    let finished = workspace.sync_once();

    assert!(finished.status.success(), "{}", text(&finished.stderr));
    let ids = emitted_ids(&data_dir);
    let status = workspace.status();
    let latest = status["latest_version_id"].as_i64().unwrap();
    assert!(latest > 10, "too few versions stored: {latest}");
    let expected: Vec<i64> = (1..=latest).collect();
    assert_eq!(ids, expected, "the NDJSON file lost or repeated a version");
    assert_eq!(status["emission"]["ndjson"].as_i64(), Some(latest));
    let unique: BTreeSet<i64> = ids.iter().copied().collect();
    assert_eq!(unique.len(), ids.len());
    assert!(
        torn_or_unrecorded > 0,
        "no kill landed between a write and its cursor commit, so recovery went untested"
    );
}

/// The version id of the last complete line, ignoring a torn one after it.
fn last_complete_id(data_dir: &Path) -> i64 {
    let content = std::fs::read_to_string(data_dir.join("records.ndjson")).unwrap_or_default();
    let complete = content.rfind('\n').map_or("", |end| &content[..end]);
    complete
        .lines()
        .last()
        .and_then(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .and_then(|value| value["version_id"].as_i64())
        .unwrap_or(0)
}

fn file_size(data_dir: &Path) -> u64 {
    std::fs::metadata(data_dir.join("records.ndjson")).map_or(0, |metadata| metadata.len())
}

fn ends_with_newline(data_dir: &Path) -> bool {
    std::fs::read(data_dir.join("records.ndjson"))
        .map(|bytes| bytes.is_empty() || bytes.ends_with(b"\n"))
        .unwrap_or(true)
}

#[test]
fn sync_stops_cleanly_on_sigterm() {
    let simulator = start_simulator(FaultRates::default());
    let workspace = Workspace::new(&simulator);
    let data_dir = workspace.data_dir();
    let mut child = workspace.spawn_sync();
    wait_for_lines(&data_dir, 1);

    let sent = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "jb sync did not stop on SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(20));
    };

    assert!(sent.success());
    assert!(status.success(), "exit status {status:?}");
    let ids = emitted_ids(&data_dir);
    let latest = workspace.status()["latest_version_id"].as_i64().unwrap();
    assert_eq!(ids, (1..=latest).collect::<Vec<i64>>());
}

#[test]
fn upload_queue_then_sync_delivers_once() {
    let simulator = start_simulator(FaultRates::default());
    let workspace = Workspace::new(&simulator);
    let data_dir = workspace.data_dir();
    let data_dir = data_dir.to_str().unwrap();
    let report =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../jb-model/tests/data/j3-report.json");
    let report = report.to_str().unwrap();

    let queued = workspace.run(&[
        "upload",
        "report",
        report,
        "--queue",
        "--data-dir",
        data_dir,
    ]);
    let again = workspace.run(&[
        "upload",
        "report",
        report,
        "--queue",
        "--data-dir",
        data_dir,
    ]);
    let synced = workspace.sync_once();
    let listed = workspace.run(&["outbox", "list", "--data-dir", data_dir]);

    assert!(queued.status.success(), "{}", text(&queued.stderr));
    assert!(text(&queued.stdout).contains("queued as outbox entry 1"));
    assert!(text(&again.stdout).contains("already outbox entry 1"));
    assert!(synced.status.success(), "{}", text(&synced.stderr));
    assert!(
        text(&listed.stdout).contains("delivered"),
        "{}",
        text(&listed.stdout)
    );
    let received = simulator
        .uploads()
        .iter()
        .filter(|upload| upload.data["reportNo"] == "201808100085")
        .count();
    assert_eq!(received, 1);
}

#[test]
fn upload_queue_rejects_invalid_claim() {
    let simulator = start_simulator(FaultRates::default());
    let workspace = Workspace::new(&simulator);
    let data_dir = workspace.data_dir();
    let claim = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../jb-model/tests/data/j4-claim-example-sum-mismatch.json");

    let output = workspace.run(&[
        "upload",
        "claim",
        claim.to_str().unwrap(),
        "--queue",
        "--data-dir",
        data_dir.to_str().unwrap(),
    ]);

    assert_eq!(output.status.code(), Some(1));
    assert!(
        text(&output.stderr).contains("payAmout"),
        "{}",
        text(&output.stderr)
    );
}

#[test]
fn status_without_database_is_usage_error() {
    let simulator = start_simulator(FaultRates::default());
    let workspace = Workspace::new(&simulator);

    let output = workspace.run(&["status", "--data-dir", "missing"]);

    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("no database"));
}

#[test]
fn outbox_retry_parked_upload() {
    let simulator = start_simulator(FaultRates::default());
    let workspace = Workspace::new(&simulator);
    let data_dir = workspace.data_dir();
    let data_dir = data_dir.to_str().unwrap();
    let mut report: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../jb-model/tests/data/j3-report.json"),
        )
        .unwrap(),
    )
    .unwrap();
    report["insuranceCode"] = serde_json::json!("PICC");
    let file = workspace.dir.path().join("other-insurer.json");
    std::fs::write(&file, report.to_string()).unwrap();

    workspace.run(&[
        "upload",
        "report",
        file.to_str().unwrap(),
        "--queue",
        "--data-dir",
        data_dir,
    ]);
    let synced = workspace.sync_once();
    let shown = workspace.run(&["outbox", "show", "1", "--data-dir", data_dir]);
    let retried = workspace.run(&["outbox", "retry", "1", "--data-dir", data_dir]);
    let listed = workspace.run(&[
        "outbox",
        "list",
        "--state",
        "queued",
        "--data-dir",
        data_dir,
    ]);

    assert_eq!(
        synced.status.code(),
        Some(1),
        "a parked upload fails --once"
    );
    assert!(
        text(&synced.stderr).contains("parked upload 1: jb outbox show 1"),
        "{}",
        text(&synced.stderr)
    );
    assert!(
        text(&shown.stdout).contains("state: parked"),
        "{}",
        text(&shown.stdout)
    );
    assert!(text(&shown.stdout).contains("platform rejection"));
    assert!(retried.status.success(), "{}", text(&retried.stderr));
    assert!(
        text(&listed.stdout).contains("report"),
        "{}",
        text(&listed.stdout)
    );
}

#[test]
fn demo_runs_main_job() {
    let dir = tempfile::tempdir().unwrap();
    let data_dir = dir.path().join("demo");

    let output = Command::new(env!("CARGO_BIN_EXE_jb"))
        .args(["demo", "--data-dir", data_dir.to_str().unwrap()])
        .env("LANG", "en_US.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .output()
        .unwrap();

    let stdout = text(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}\n{}",
        text(&output.stderr)
    );
    assert!(stdout.contains("corrected version"), "{stdout}");
    assert!(stdout.contains("received the report 1 time(s) and the claim 1 time(s)"));
    assert!(stdout.contains("uploads: 2 accepted"), "{stdout}");
    assert!(data_dir.join("jb.sqlite").is_file());
    assert!(!emitted_ids(&data_dir).is_empty());
}

#[test]
fn demo_rejects_occupied_directory() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("something"), "x").unwrap();

    let output = Command::new(env!("CARGO_BIN_EXE_jb"))
        .args(["demo", "--data-dir", dir.path().to_str().unwrap()])
        .env("LANG", "en_US.UTF-8")
        .env_remove("LC_ALL")
        .output()
        .unwrap();

    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("not empty"));
}

#[test]
fn status_and_outbox_show_beijing_time() {
    let simulator = start_simulator(FaultRates::default());
    let workspace = Workspace::new(&simulator);
    let data_dir = workspace.data_dir();
    let data_dir = data_dir.to_str().unwrap();
    let report =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../jb-model/tests/data/j3-report.json");
    workspace.run(&[
        "upload",
        "report",
        report.to_str().unwrap(),
        "--queue",
        "--data-dir",
        data_dir,
    ]);

    let synced = workspace.sync_once();
    let status = workspace
        .jb(&["status", "--data-dir", data_dir])
        .env("TZ", "America/New_York")
        .output()
        .unwrap();
    let shown = workspace.run(&["outbox", "show", "1", "--data-dir", data_dir]);

    assert!(synced.status.success(), "{}", text(&synced.stderr));
    let status = text(&status.stdout);
    assert!(status.contains(" +08:00  succeeded"), "{status}");
    assert!(!status.contains("Z  "), "no UTC time is shown: {status}");
    let shown = text(&shown.stdout);
    assert!(shown.contains("+08:00"), "{shown}");
    let stored = workspace.status()["last_polls"][0]["finished_at"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        stored.ends_with('Z'),
        "the JSON keeps the stored UTC time: {stored}"
    );
}

#[test]
fn sync_once_config_error_in_chinese() {
    let simulator = start_simulator(FaultRates::default());
    let workspace = Workspace::new(&simulator);
    let data_dir = workspace.data_dir();
    let data_dir = data_dir.to_str().unwrap();

    let output =
        workspace.run(&workspace.sync_args(data_dir, &["--once", "--no-ndjson", "--lang", "zh"]));

    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("须加 --stdout"), "{stderr}");
    assert!(!stderr.contains("invalid setting"), "{stderr}");
}

#[cfg(unix)]
#[test]
fn sync_once_files_owner_only_in_open_directory() {
    use std::os::unix::fs::PermissionsExt;
    let mode = |path: &Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
    let simulator = start_simulator(FaultRates::default());
    let workspace = Workspace::new(&simulator);
    let data_dir = workspace.data_dir();
    std::fs::create_dir(&data_dir).unwrap();
    std::fs::set_permissions(&data_dir, std::fs::Permissions::from_mode(0o755)).unwrap();

    let output = workspace.sync_once();

    assert!(output.status.success(), "{}", text(&output.stderr));
    for name in ["jb.sqlite", "sync.lock", "records.ndjson"] {
        assert_eq!(mode(&data_dir.join(name)), 0o600, "{name}");
    }
    let mut photos_checked = 0;
    for folder in std::fs::read_dir(data_dir.join("photos")).unwrap() {
        let folder = folder.unwrap().path();
        assert_eq!(mode(&folder), 0o700, "{}", folder.display());
        for photo in std::fs::read_dir(&folder).unwrap() {
            let photo = photo.unwrap().path();
            assert_eq!(mode(&photo), 0o600, "{}", photo.display());
            photos_checked += 1;
        }
    }
    assert!(photos_checked > 0, "the cycle fetched no photo to check");
}
