#![no_main]

libfuzzer_sys::fuzz_target!(|case: jb_fuzz::SealOpenCase| case.check());
