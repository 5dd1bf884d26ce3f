#![no_main]

libfuzzer_sys::fuzz_target!(|input: &[u8]| jb_fuzz::decode_download(input));
