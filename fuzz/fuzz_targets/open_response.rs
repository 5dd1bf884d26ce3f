#![no_main]

libfuzzer_sys::fuzz_target!(|input: &[u8]| jb_fuzz::open_response(input));
