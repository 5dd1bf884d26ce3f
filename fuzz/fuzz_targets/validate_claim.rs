#![no_main]

libfuzzer_sys::fuzz_target!(|input: jb_fuzz::ClaimInput| input.check());
