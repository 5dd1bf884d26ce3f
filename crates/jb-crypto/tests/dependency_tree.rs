//! jb-crypto must stay embeddable alone: no serialization, async runtime or HTTP client may
//! enter its normal dependency tree.

use std::process::Command;

const FORBIDDEN: [&str; 7] = [
    "serde",
    "serde_core",
    "serde_derive",
    "serde_json",
    "tokio",
    "reqwest",
    "hyper",
];

#[test]
fn normal_dependencies_exclude_serde_tokio_reqwest() {
    let output = Command::new(env!("CARGO"))
        .args([
            "tree",
            "-p",
            "jb-crypto",
            "-e",
            "normal",
            "--prefix",
            "none",
        ])
        .args(["--format", "{p}"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "cargo tree failed: {stderr}");

    let packages: Vec<&str> = stdout
        .lines()
        .filter_map(|line| line.split_whitespace().next())
        .collect();
    assert!(
        packages.contains(&"jb-crypto"),
        "unexpected output: {stdout}"
    );
    assert!(packages.contains(&"aes"), "unexpected output: {stdout}");

    for forbidden in FORBIDDEN {
        assert!(
            !packages.contains(&forbidden),
            "{forbidden} is in the dependency tree of jb-crypto:\n{stdout}"
        );
    }
}
