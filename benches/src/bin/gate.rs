//! `jb-bench-gate OP ITERATIONS`: builds every benchmark input, then runs one operation a fixed
//! number of times. `cargo xtask bench-gate` counts its instructions under callgrind; with 0
//! iterations it measures the setup alone, which is subtracted. `jb-bench-gate --list` prints
//! the operations.

use std::process::ExitCode;

use jb_benches::{Fixtures, Op};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.as_slice() {
        [flag] if flag == "--list" => {
            for op in Op::all() {
                let kind = if op.is_codec() { "codec" } else { "reference" };
                println!("{} {kind}", op.name());
            }
            ExitCode::SUCCESS
        }
        [name, iterations] => {
            let Some(op) = Op::from_name(name) else {
                eprintln!("jb-bench-gate: unknown operation {name:?}; run with --list");
                return ExitCode::FAILURE;
            };
            let Ok(iterations) = iterations.parse::<u64>() else {
                eprintln!("jb-bench-gate: iterations {iterations:?} is not a whole number");
                return ExitCode::FAILURE;
            };
            let fixtures = Fixtures::new();
            let mut total = 0_usize;
            for _ in 0..iterations {
                total = total.wrapping_add(fixtures.run(op));
            }
            println!("{} {iterations} {total}", op.name());
            ExitCode::SUCCESS
        }
        _ => {
            eprintln!("usage: jb-bench-gate OP ITERATIONS | jb-bench-gate --list");
            ExitCode::FAILURE
        }
    }
}
