//! timeStamp is Beijing time whatever the host's time zone.

#![allow(clippy::unwrap_used)]

use std::env;
use std::process::Command;

use chrono::{Local, TimeDelta, Utc};
use jb_proto::TimeStamp;

/// Set in a child process to make it print its timeStamp instead of testing.
const CHILD_VARIABLE: &str = "JB_PROTO_TEST_TIME_STAMP_CHILD";

/// Runs as the parent, or as a child under `TZ=America/New_York` when the variable is set.
#[test]
fn now_is_beijing_time_under_new_york_tz() {
    if env::var_os(CHILD_VARIABLE).is_some() {
        let offset_hours = Local::now().offset().local_minus_utc() / 3600;
        assert!(
            offset_hours == -5 || offset_hours == -4,
            "TZ did not apply: offset {offset_hours} h"
        );
        println!("timeStamp {}", TimeStamp::now());
        println!("local {}", Local::now().format("%Y%m%d%H%M%S"));
        return;
    }
    let before = Utc::now();

    let output = Command::new(env::current_exe().unwrap())
        .args(["--exact", "now_is_beijing_time_under_new_york_tz"])
        .args(["--nocapture", "--test-threads", "1"])
        .env(CHILD_VARIABLE, "1")
        .env("TZ", "America/New_York")
        .output()
        .unwrap();
    let after = Utc::now();

    assert!(output.status.success(), "child failed: {output:?}");
    let stdout = String::from_utf8(output.stdout).unwrap();
    let field = |prefix: &str| {
        stdout
            .lines()
            .find_map(|line| line.split_once(prefix).map(|(_, value)| value))
            .unwrap()
            .to_owned()
    };
    let stamp = TimeStamp::parse(&field("timeStamp ")).unwrap();
    let earliest = TimeStamp::from_utc(before - TimeDelta::seconds(1)).unwrap();
    let latest = TimeStamp::from_utc(after + TimeDelta::seconds(1)).unwrap();
    assert!(
        earliest <= stamp && stamp <= latest,
        "{earliest} <= {stamp} <= {latest}"
    );
    assert_ne!(field("local "), stamp.as_str(), "New York time leaked in");
}

#[test]
fn now_matches_utc_plus_eight() {
    let before = Utc::now();
    let stamp = TimeStamp::now();
    let after = Utc::now();

    let earliest = (before + TimeDelta::hours(8))
        .format("%Y%m%d%H%M%S")
        .to_string();
    let latest = (after + TimeDelta::hours(8))
        .format("%Y%m%d%H%M%S")
        .to_string();

    assert!(
        earliest.as_str() <= stamp.as_str() && stamp.as_str() <= latest.as_str(),
        "{earliest} <= {stamp} <= {latest}"
    );
}

/// Found by the `seal_open` fuzz target: an instant with a fraction of a second made a
/// timeStamp that differed from the same timeStamp parsed back from its own text, because the
/// fraction was kept in the time but not in the text.
#[test]
fn from_utc_fraction_equals_parsed_text() {
    let instant = chrono::DateTime::from_timestamp(-2, 1542).unwrap();

    let made = TimeStamp::from_utc(instant).unwrap();
    let parsed = TimeStamp::parse(made.as_str()).unwrap();

    assert_eq!(made.as_str(), "19700101075958");
    assert_eq!(made, parsed);
    assert_eq!(made.to_utc(), parsed.to_utc());
}
