//! `cargo xtask fuzz [--seconds N] [TARGET...]`: builds the cargo-fuzz targets once, then runs
//! each for N seconds, one after the other, and fails when any of them finds a crash.
//!
//! Each target starts from its committed seeds (`fuzz/corpus/TARGET/seed-*`) and replays every
//! input kept under `fuzz/regressions/TARGET/`, so a crash found once fails every later run
//! until it is fixed. A new crash input is copied there, and its bytes are printed in hex.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde::Deserialize;

/// Seconds each target runs when `--seconds` is not given.
const DEFAULT_SECONDS: u64 = 30;
/// Seconds one input may take before libFuzzer reports it as a hang.
const TIMEOUT_SECONDS: u64 = 10;
/// Memory a target may use before libFuzzer reports it as out of memory.
const RSS_LIMIT_MB: u64 = 2048;
/// Lines of libFuzzer output shown when a failed target's panic cannot be found.
const FAILURE_TAIL_LINES: usize = 40;
/// Lines shown from the panic message on.
const PANIC_LINES: usize = 8;
/// Lines shown from the failing input on.
const INPUT_LINES: usize = 24;

const USAGE: &str = "usage: cargo xtask fuzz [--seconds N] [TARGET...]";

/// Options every cargo-fuzz call gets: no sanitizer (the workspace forbids `unsafe`, so memory
/// errors can only come from dependencies) and debug assertions, so that integer overflow
/// panics instead of wrapping.
const BUILD_OPTIONS: [&str; 4] = [
    "--fuzz-dir",
    "fuzz",
    "--sanitizer=none",
    "--debug-assertions",
];

#[derive(Deserialize)]
struct Manifest {
    #[serde(default)]
    bin: Vec<Bin>,
}

#[derive(Deserialize)]
struct Bin {
    name: String,
}

/// Runs the task.
pub(crate) fn run(args: &[String]) -> Result<(), String> {
    let (seconds, requested) = parse_args(args)?;
    let root = workspace_root();
    let all = targets(&root)?;
    let unknown: Vec<&String> = requested
        .iter()
        .filter(|name| !all.contains(*name))
        .collect();
    if !unknown.is_empty() {
        return Err(format!(
            "unknown fuzz target {unknown:?}; the targets are {}",
            all.join(", ")
        ));
    }
    let selected = if requested.is_empty() { all } else { requested };

    check_cargo_fuzz(&root)?;
    println!("fuzz: building {} target(s)", selected.len());
    let mut build = cargo_fuzz(&root, "build");
    if selected.len() == 1 {
        build.args(&selected);
    }
    let status = build
        .status()
        .map_err(|error| format!("cannot run cargo: {error}"))?;
    if !status.success() {
        return Err("`cargo +nightly fuzz build` failed; see the output above".to_owned());
    }

    let mut failed = Vec::new();
    for target in &selected {
        if !run_target(&root, target, seconds)? {
            failed.push(target.as_str());
        }
    }
    if failed.is_empty() {
        println!(
            "fuzz: no crash in {} target(s), {seconds} s each",
            selected.len()
        );
        Ok(())
    } else {
        Err(format!(
            "fuzz target(s) {} found a crash; the inputs are under fuzz/regressions/",
            failed.join(", ")
        ))
    }
}

fn parse_args(args: &[String]) -> Result<(u64, Vec<String>), String> {
    let mut seconds = DEFAULT_SECONDS;
    let mut targets = Vec::new();
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match arg.as_str() {
            "--seconds" => {
                let value = rest
                    .next()
                    .ok_or_else(|| format!("--seconds needs a number; {USAGE}"))?;
                seconds = value
                    .parse()
                    .ok()
                    .filter(|seconds| *seconds > 0)
                    .ok_or_else(|| {
                        format!("--seconds {value:?} is not a positive whole number; {USAGE}")
                    })?;
            }
            flag if flag.starts_with('-') => {
                return Err(format!("unknown option {flag:?}; {USAGE}"));
            }
            target => targets.push(target.to_owned()),
        }
    }
    Ok((seconds, targets))
}

/// Lists the targets: the `[[bin]]` entries of `fuzz/Cargo.toml`.
fn targets(root: &Path) -> Result<Vec<String>, String> {
    let path = root.join("fuzz/Cargo.toml");
    let text = fs::read_to_string(&path)
        .map_err(|error| format!("cannot read {}: {error}", path.display()))?;
    let manifest: Manifest = toml::from_str(&text)
        .map_err(|error| format!("cannot parse {}: {error}", path.display()))?;
    Ok(manifest.bin.into_iter().map(|bin| bin.name).collect())
}

fn check_cargo_fuzz(root: &Path) -> Result<(), String> {
    let found = Command::new("cargo")
        .args(["+nightly", "fuzz", "--version"])
        .current_dir(root)
        .output()
        .is_ok_and(|output| output.status.success());
    if found {
        Ok(())
    } else {
        Err(
            "`cargo +nightly fuzz` is not available; install the nightly toolchain and \
             cargo-fuzz with `rustup toolchain install nightly` and \
             `cargo install cargo-fuzz --locked`"
                .to_owned(),
        )
    }
}

fn cargo_fuzz(root: &Path, command: &str) -> Command {
    let mut cargo = Command::new("cargo");
    cargo
        .args(["+nightly", "fuzz", command])
        .args(BUILD_OPTIONS)
        .current_dir(root);
    cargo
}

/// Runs one target; returns whether it finished without a crash.
fn run_target(root: &Path, target: &str, seconds: u64) -> Result<bool, String> {
    let corpus = root.join("fuzz/corpus").join(target);
    let regressions = root.join("fuzz/regressions").join(target);
    let artifacts = root.join("fuzz/artifacts").join(target);
    fs::create_dir_all(&corpus)
        .map_err(|error| format!("cannot create {}: {error}", corpus.display()))?;
    let before = list_files(&artifacts);

    let mut cargo = cargo_fuzz(root, "run");
    cargo.arg(target).arg(&corpus);
    if regressions.is_dir() {
        cargo.arg(&regressions);
    }
    cargo.args([
        "--".to_owned(),
        format!("-max_total_time={seconds}"),
        format!("-timeout={TIMEOUT_SECONDS}"),
        format!("-rss_limit_mb={RSS_LIMIT_MB}"),
        "-print_final_stats=1".to_owned(),
    ]);
    let output = cargo
        .output()
        .map_err(|error| format!("cannot run cargo fuzz run {target}: {error}"))?;

    if output.status.success() {
        println!("fuzz: {target}: {}", summary(&output));
        return Ok(true);
    }

    let log = String::from_utf8_lossy(&output.stderr);
    eprintln!("fuzz: {target} FAILED:\n{}", failure_report(&log));
    let new_inputs: Vec<PathBuf> = list_files(&artifacts)
        .difference(&before)
        .cloned()
        .collect();
    for input in new_inputs {
        keep_regression(&input, &regressions)?;
    }
    Ok(false)
}

/// Extracts from a failed run's output the panic message and the failing input, or the
/// last lines when neither is found.
fn failure_report(log: &str) -> String {
    let lines: Vec<&str> = log.lines().collect();
    let block = |start: &str, len: usize| {
        lines
            .iter()
            .position(|line| line.contains(start))
            .map(|index| lines[index..lines.len().min(index + len)].join("\n"))
    };
    let panic = block("panicked at", PANIC_LINES);
    let input = block("Output of `std::fmt::Debug`", INPUT_LINES)
        .or_else(|| block("Failing input:", INPUT_LINES));
    match (panic, input) {
        (None, None) => lines[lines.len().saturating_sub(FAILURE_TAIL_LINES)..].join("\n"),
        (panic, input) => [panic, input]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join("\n"),
    }
}

/// Copies a new crash input under `fuzz/regressions/TARGET/` and prints its bytes in hex. An
/// input already kept there is only named.
fn keep_regression(input: &Path, regressions: &Path) -> Result<(), String> {
    let bytes =
        fs::read(input).map_err(|error| format!("cannot read {}: {error}", input.display()))?;
    fs::create_dir_all(regressions)
        .map_err(|error| format!("cannot create {}: {error}", regressions.display()))?;
    let name = input.file_name().unwrap_or_default();
    let kept = regressions.join(name);
    if kept.exists() {
        eprintln!("fuzz: the known crash input {} still fails", kept.display());
        return Ok(());
    }
    fs::copy(input, &kept).map_err(|error| format!("cannot copy {}: {error}", input.display()))?;
    eprintln!(
        "fuzz: kept {} ({} bytes): {}",
        kept.display(),
        bytes.len(),
        hex(&bytes)
    );
    Ok(())
}

/// Formats the final statistics libFuzzer prints: runs, new corpus entries and peak memory.
fn summary(output: &Output) -> String {
    let log = String::from_utf8_lossy(&output.stderr);
    let stat = |name: &str| {
        log.lines()
            .find_map(|line| line.strip_prefix(name))
            .map(|value| value.trim().to_owned())
            .unwrap_or_else(|| "?".to_owned())
    };
    format!(
        "{} runs, {} new corpus entries, peak {} MB",
        stat("stat::number_of_executed_units:"),
        stat("stat::new_units_added:"),
        stat("stat::peak_rss_mb:")
    )
}

fn list_files(dir: &Path) -> BTreeSet<PathBuf> {
    fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|entry| entry.path())
                .filter(|path| path.is_file())
                .collect()
        })
        .unwrap_or_default()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// Returns the workspace root: the parent of this crate's directory.
fn workspace_root() -> PathBuf {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest_dir.parent().unwrap_or(manifest_dir).to_path_buf()
}

#[cfg(test)]
mod tests {
    use super::{DEFAULT_SECONDS, parse_args, targets, workspace_root};

    fn strings(args: &[&str]) -> Vec<String> {
        args.iter().map(|arg| (*arg).to_owned()).collect()
    }

    #[test]
    fn parse_args_defaults_to_every_target() {
        assert_eq!(parse_args(&[]), Ok((DEFAULT_SECONDS, Vec::new())));
    }

    #[test]
    fn parse_args_reads_seconds_and_targets() {
        let args = strings(&["--seconds", "5", "decrypt", "seal_open"]);

        let parsed = parse_args(&args);

        assert_eq!(parsed, Ok((5, strings(&["decrypt", "seal_open"]))));
    }

    #[test]
    fn parse_args_rejects_bad_seconds() {
        for args in [
            &["--seconds"][..],
            &["--seconds", "0"],
            &["--seconds", "ten"],
        ] {
            assert!(parse_args(&strings(args)).is_err(), "{args:?}");
        }
    }

    #[test]
    fn parse_args_rejects_unknown_option() {
        assert!(parse_args(&strings(&["--jobs", "2"])).is_err());
    }

    #[test]
    fn targets_lists_every_fuzz_target() {
        let targets = targets(&workspace_root()).expect("fuzz manifest");

        for expected in ["decrypt", "open_response", "decode_download", "seal_open"] {
            assert!(targets.iter().any(|name| name == expected), "{targets:?}");
        }
    }
}
