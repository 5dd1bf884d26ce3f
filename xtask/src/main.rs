//! `cargo xtask TASK`: development tasks of the jb workspace.

mod bench_gate;
mod codegen;
mod fuzz;

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (task, rest) = match args.split_first() {
        Some((task, rest)) => (task.as_str(), rest),
        None => ("help", &[][..]),
    };
    let result: Result<(), String> = match task {
        "help" | "--help" | "-h" => {
            println!(
                "usage: cargo xtask <TASK>\n\ntasks:\n  codegen [--check]  write (or check) the generated code tables\n  fuzz [--seconds N] [TARGET...]  run the fuzz targets (nightly), failing on a crash\n  bench-gate [--update]  compare instruction counts with benches/baseline.toml"
            );
            Ok(())
        }
        "codegen" => codegen::run(rest),
        "fuzz" => fuzz::run(rest),
        "bench-gate" => bench_gate::run(rest),
        other => Err(format!("unknown task `{other}`; run `cargo xtask help`")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}
