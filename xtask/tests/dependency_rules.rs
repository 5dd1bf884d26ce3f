//! The layering rules of the workspace, checked on the real dependency graph.
//!
//! A team must be able to depend on one crate alone: the codec without a serializer or an
//! async runtime, the record types without cryptography or HTTP, and nothing with a system TLS
//! library. Each rule runs `cargo tree --edges normal` for one package, so dev-dependencies
//! and features that package does not enable are not counted.
#![allow(clippy::unwrap_used)]

use std::collections::BTreeSet;
use std::process::Command;

/// Packages that would bring OpenSSL into a build; TLS must be rustls only.
const SYSTEM_TLS: &[&str] = &[
    "openssl",
    "openssl-sys",
    "native-tls",
    "hyper-tls",
    "tokio-native-tls",
];

/// Serialization, async and HTTP packages that the codec crates must not pull in.
const SERDE_ASYNC_HTTP: &[&str] = &[
    "serde",
    "serde_core",
    "serde_derive",
    "serde_json",
    "tokio",
    "reqwest",
    "hyper",
];

/// Cryptography, HTTP and async packages that the record types must not pull in.
const CRYPTO_ASYNC_HTTP: &[&str] = &[
    "aes", "sha1", "sha2", "md-5", "ecb", "ring", "rustls", "reqwest", "hyper", "tokio",
];

/// One rule: a package, what its graph must contain (a sanity check that the walk worked),
/// and what it must not.
struct Rule {
    package: &'static str,
    required: &'static [&'static str],
    forbidden: &'static [&'static [&'static str]],
}

const RULES: &[Rule] = &[
    Rule {
        package: "jb-crypto",
        required: &["aes", "sha1"],
        forbidden: &[SERDE_ASYNC_HTTP, SYSTEM_TLS],
    },
    Rule {
        package: "jb-model",
        required: &["serde"],
        forbidden: &[CRYPTO_ASYNC_HTTP, SYSTEM_TLS],
    },
    Rule {
        package: "jb-proto",
        required: &["jb-crypto", "serde_json"],
        forbidden: &[&["tokio", "reqwest", "hyper"], SYSTEM_TLS],
    },
    Rule {
        package: "jb-transport",
        required: &["reqwest", "rustls"],
        forbidden: &[SYSTEM_TLS],
    },
    Rule {
        package: "jingbao",
        required: &["jb-transport", "jb-model"],
        forbidden: &[SYSTEM_TLS],
    },
    Rule {
        package: "jb-cli",
        required: &["jingbao"],
        forbidden: &[SYSTEM_TLS],
    },
];

/// Names of every package in the normal dependency graph of `package`, itself included.
fn normal_dependencies(package: &str) -> BTreeSet<String> {
    let output = Command::new(env!("CARGO"))
        .args(["tree", "--package", package, "--edges", "normal"])
        .args(["--prefix", "none", "--format", "{p}"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "cargo tree failed for {package}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| line.split_whitespace().next())
        .map(str::to_owned)
        .collect()
}

#[test]
fn dependency_rules_hold() {
    let mut broken = Vec::new();

    for rule in RULES {
        let packages = normal_dependencies(rule.package);
        for required in rule.required {
            if !packages.contains(*required) {
                broken.push(format!(
                    "{}: expected {required} in the graph; the walk may be wrong",
                    rule.package
                ));
            }
        }
        for forbidden in rule.forbidden.iter().flat_map(|list| list.iter()) {
            if packages.contains(*forbidden) {
                broken.push(format!(
                    "{}: {forbidden} must not be a dependency",
                    rule.package
                ));
            }
        }
    }

    assert!(
        broken.is_empty(),
        "layering rules broken:\n{}",
        broken.join("\n")
    );
}
