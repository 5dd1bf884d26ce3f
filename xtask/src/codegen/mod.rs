//! `cargo xtask codegen [--check]`: writes the code tables of jb-model as Rust and Markdown.
//!
//! The CSV files under `crates/jb-model/dictionaries/` are the source; `tables.toml` there
//! lists them in order with their titles. The outputs are committed, so a reader of the crate
//! never needs to run the generator, and `--check` (also run as a test) fails when they are
//! stale.

mod markdown;
mod rust;
mod tables;

use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Directory of the dictionary sources, relative to the workspace root.
const SOURCE_DIR: &str = "crates/jb-model/dictionaries";
/// Generated Rust module, relative to the workspace root.
const RUST_OUTPUT: &str = "crates/jb-model/src/dict/generated.rs";
/// Generated Markdown page, relative to the workspace root.
const MARKDOWN_OUTPUT: &str = "docs/dictionaries.md";

/// The command that regenerates the outputs, quoted in headers and error messages.
const COMMAND: &str = "cargo xtask codegen";

/// Runs the task: `--check` compares instead of writing.
pub(crate) fn run(args: &[String]) -> Result<(), String> {
    let check = match args {
        [] => false,
        [flag] if flag == "--check" => true,
        _ => {
            return Err(format!(
                "unexpected arguments {args:?}; usage: {COMMAND} [--check]"
            ));
        }
    };
    let root = workspace_root();
    let outputs = generate(&root)?;
    if check {
        let stale = stale_files(&root, &outputs);
        if stale.is_empty() {
            return Ok(());
        }
        return Err(format!(
            "generated files are stale: {}; run `{COMMAND}` and commit the result",
            stale.join(", ")
        ));
    }
    for (path, text) in &outputs {
        let full = root.join(path);
        let unchanged = fs::read_to_string(&full).is_ok_and(|current| current == *text);
        if !unchanged {
            fs::write(&full, text).map_err(|error| format!("cannot write {path}: {error}"))?;
            println!("wrote {path}");
        }
    }
    Ok(())
}

/// Returns the workspace root: the parent of this crate's directory.
fn workspace_root() -> PathBuf {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest_dir.parent().unwrap_or(manifest_dir).to_path_buf()
}

/// Builds every output in memory, as (path relative to the root, content) pairs.
fn generate(root: &Path) -> Result<Vec<(&'static str, String)>, String> {
    let tables = tables::load(&root.join(SOURCE_DIR))?;
    let rust = rustfmt(&rust::render(&tables, COMMAND))?;
    let markdown = markdown::render(&tables, COMMAND);
    Ok(vec![(RUST_OUTPUT, rust), (MARKDOWN_OUTPUT, markdown)])
}

/// Lists the outputs whose file is missing or differs from what the generator writes.
fn stale_files(root: &Path, outputs: &[(&'static str, String)]) -> Vec<String> {
    outputs
        .iter()
        .filter(|(path, text)| {
            fs::read_to_string(root.join(path)).map_or(true, |current| current != *text)
        })
        .map(|(path, _)| (*path).to_owned())
        .collect()
}

/// Formats Rust source with the toolchain's rustfmt, so `cargo fmt --check` accepts the output.
fn rustfmt(source: &str) -> Result<String, String> {
    let rustfmt = std::env::var("RUSTFMT").unwrap_or_else(|_| "rustfmt".to_owned());
    let mut child = Command::new(&rustfmt)
        .args(["--edition", "2024", "--emit", "stdout"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|error| {
            format!(
                "cannot start `{rustfmt}`: {error}; install it with `rustup component add rustfmt`"
            )
        })?;
    if let Some(mut stdin) = child.stdin.take() {
        stdin
            .write_all(source.as_bytes())
            .map_err(|error| format!("cannot send the generated code to rustfmt: {error}"))?;
    }
    let output = child
        .wait_with_output()
        .map_err(|error| format!("rustfmt failed: {error}"))?;
    if !output.status.success() {
        return Err(format!(
            "rustfmt rejected the generated code: {}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    String::from_utf8(output.stdout)
        .map_err(|error| format!("rustfmt wrote invalid UTF-8: {error}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codegen_outputs_are_fresh() {
        let root = workspace_root();
        let outputs = generate(&root).unwrap();
        let stale = stale_files(&root, &outputs);
        assert!(
            stale.is_empty(),
            "stale generated files {stale:?}: run `{COMMAND}` and commit the result"
        );
    }

    #[test]
    fn codegen_rejects_unknown_argument() {
        let error = run(&["--force".to_owned()]).unwrap_err();
        assert!(error.contains("--check"), "{error}");
    }
}
