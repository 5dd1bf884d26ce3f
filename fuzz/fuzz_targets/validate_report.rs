#![no_main]

libfuzzer_sys::fuzz_target!(|input: jb_fuzz::ReportInput| input.check());
