//! serialNo uniqueness: in a row, between generators and threads, and between processes
//! running side by side or one after another.

#![allow(clippy::unwrap_used)]

use std::collections::HashSet;
use std::env;
use std::process::{Child, Command, Stdio};
use std::thread;

use jb_proto::{SERIAL_NO_MAX_LEN, SerialNo, SerialNoGenerator};

/// Set in a child process to make it print serialNos instead of testing.
const CHILD_COUNT_VARIABLE: &str = "JB_PROTO_TEST_SERIAL_NO_CHILD_COUNT";

fn assert_unique(serial_nos: &[String]) {
    let mut seen = HashSet::with_capacity(serial_nos.len());
    for serial_no in serial_nos {
        assert!(
            serial_no.len() <= SERIAL_NO_MAX_LEN,
            "{serial_no} is too long"
        );
        assert!(seen.insert(serial_no), "{serial_no} repeats");
    }
}

#[test]
fn hundred_thousand_in_a_row_are_unique() {
    let generator = SerialNoGenerator::new();

    let serial_nos: Vec<String> = (0..100_000)
        .map(|_| generator.next_serial_no().into_string())
        .collect();

    assert_unique(&serial_nos);
}

#[test]
fn two_generators_side_by_side_are_unique() {
    let first = SerialNoGenerator::new();
    let second = SerialNoGenerator::new();

    let serial_nos: Vec<String> = (0..50_000)
        .flat_map(|_| [first.next_serial_no(), second.next_serial_no()])
        .map(SerialNo::into_string)
        .collect();

    assert_unique(&serial_nos);
}

#[test]
fn threads_sharing_the_default_generator_are_unique() {
    let handles: Vec<_> = (0..4)
        .map(|_| {
            thread::spawn(|| {
                (0..25_000)
                    .map(|_| SerialNo::generate().into_string())
                    .collect::<Vec<_>>()
            })
        })
        .collect();

    let serial_nos: Vec<String> = handles
        .into_iter()
        .flat_map(|handle| handle.join().unwrap())
        .collect();

    assert_unique(&serial_nos);
}

fn spawn_child(count: usize) -> Child {
    Command::new(env::current_exe().unwrap())
        .args(["--exact", "processes_side_by_side_and_restarted_are_unique"])
        .args(["--nocapture", "--test-threads", "1"])
        .env(CHILD_COUNT_VARIABLE, count.to_string())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap()
}

fn collect_child(child: Child) -> Vec<String> {
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "child failed: {output:?}");
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .filter_map(|line| line.split_once("serialNo ").map(|(_, serial_no)| serial_no))
        .map(str::to_owned)
        .collect()
}

/// Runs as the parent, or as a child that prints serialNos when the variable is set.
#[test]
fn processes_side_by_side_and_restarted_are_unique() {
    if let Ok(count) = env::var(CHILD_COUNT_VARIABLE) {
        let generator = SerialNoGenerator::new();
        for _ in 0..count.parse::<usize>().unwrap() {
            println!("serialNo {}", generator.next_serial_no());
        }
        return;
    }
    let count = 20_000;

    let side_by_side = [spawn_child(count), spawn_child(count)];
    let mut serial_nos: Vec<String> = side_by_side.into_iter().flat_map(collect_child).collect();
    serial_nos.extend(collect_child(spawn_child(count)));

    assert_eq!(serial_nos.len(), 3 * count);
    assert_unique(&serial_nos);
}
