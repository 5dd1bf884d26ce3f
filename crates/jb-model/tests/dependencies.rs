//! jb-model must stay free of cryptography, HTTP and async runtimes, so that a team can use
//! the record types alone.
#![allow(clippy::unwrap_used)]

use std::process::Command;

/// Crates that must never enter jb-model's normal dependency tree.
const FORBIDDEN: [&str; 11] = [
    "aes", "sha1", "sha2", "md-5", "ecb", "ring", "rustls", "reqwest", "hyper", "tokio", "openssl",
];

#[test]
fn dependency_tree_has_no_crypto_or_http() {
    let output = Command::new(env!("CARGO"))
        .args([
            "tree",
            "--package",
            "jb-model",
            "--edges",
            "normal",
            "--prefix",
            "none",
            "--format",
            "{p}",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "cargo tree failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );

    let tree = String::from_utf8(output.stdout).unwrap();
    let names: Vec<&str> = tree
        .lines()
        .filter_map(|line| line.split_whitespace().next())
        .collect();
    assert!(
        names.contains(&"jb-model"),
        "unexpected cargo tree output:\n{tree}"
    );
    assert!(
        names.contains(&"serde"),
        "unexpected cargo tree output:\n{tree}"
    );
    for forbidden in FORBIDDEN {
        assert!(
            !names.contains(&forbidden),
            "jb-model depends on `{forbidden}`:\n{tree}"
        );
    }
}
