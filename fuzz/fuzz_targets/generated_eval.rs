#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| tally::unstable::fuzzing::generated_eval(data));
