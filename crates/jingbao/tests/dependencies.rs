//! The dependency graph of the facade, lower crates included, contains no OpenSSL or
//! native-tls: TLS is rustls only.

#![allow(clippy::unwrap_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Package names that would bring a system TLS library into the build.
const FORBIDDEN: &[&str] = &[
    "openssl",
    "openssl-sys",
    "native-tls",
    "hyper-tls",
    "tokio-native-tls",
];

/// Reads `Cargo.lock` into package name → names of its dependencies. Versions are dropped,
/// so two versions of one package share an entry, which only widens the check.
fn lock_graph() -> BTreeMap<String, BTreeSet<String>> {
    let lock_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../Cargo.lock");
    let lock = std::fs::read_to_string(&lock_path).unwrap();
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for package in lock.split("[[package]]").skip(1) {
        let mut name = None;
        let mut dependencies = BTreeSet::new();
        let mut in_dependencies = false;
        for line in package.lines().map(str::trim) {
            if let Some(value) = line.strip_prefix("name = ") {
                name = Some(value.trim_matches('"').to_owned());
            } else if line.starts_with("dependencies = [") {
                in_dependencies = true;
            } else if in_dependencies && line.starts_with(']') {
                in_dependencies = false;
            } else if in_dependencies {
                let entry = line.trim_matches(|c| c == '"' || c == ',');
                let dependency = entry.split(' ').next().unwrap_or(entry);
                dependencies.insert(dependency.to_owned());
            }
        }
        if let Some(name) = name {
            graph.entry(name).or_default().extend(dependencies);
        }
    }
    graph
}

/// Every package reachable from `root`, dev-dependencies included (the lock file does not
/// separate them), so the check is stricter than `cargo tree`.
fn reachable(graph: &BTreeMap<String, BTreeSet<String>>, root: &str) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut stack = vec![root.to_owned()];
    while let Some(name) = stack.pop() {
        if !seen.insert(name.clone()) {
            continue;
        }
        if let Some(dependencies) = graph.get(&name) {
            stack.extend(dependencies.iter().cloned());
        }
    }
    seen
}

#[test]
fn dependency_graph_has_no_openssl() {
    let graph = lock_graph();
    let packages = reachable(&graph, "jingbao");

    assert!(
        packages.contains("reqwest"),
        "the walk did not reach reqwest: {packages:?}"
    );
    assert!(
        packages.contains("rustls"),
        "reqwest is expected to use rustls"
    );
    for forbidden in FORBIDDEN {
        assert!(
            !packages.contains(*forbidden),
            "{forbidden} is in the dependency graph of jingbao"
        );
    }
}
