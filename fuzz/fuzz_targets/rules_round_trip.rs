#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| tally::unstable::fuzzing::rules_round_trip(data));
