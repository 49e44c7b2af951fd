//! Time to read every event (with its span) of the example disclosure, with
//! its table rows repeated 40 times, through three YAML parsers that keep
//! spans and literal text: granit-parser (what Tally uses), saphyr-parser and
//! libyaml (through unsafe-libyaml). Median of 31 runs each.
//!
//! `cargo run --release --manifest-path bench-parsers/Cargo.toml`
use std::time::{Duration, Instant};

fn large_document() -> String {
    let example = include_str!("../../examples/huailai-2024.yaml");
    let mut text = String::new();
    for line in example.lines() {
        let repeat = if line.trim_start().starts_with("- {项目:") || line.trim_start().starts_with("- {一级:") {
            40
        } else {
            1
        };
        for _ in 0..repeat {
            text.push_str(line);
            text.push('\n');
        }
    }
    text
}

/// Events read, and the sum of their span ends (so nothing is optimised away).
fn granit(text: &str) -> (usize, usize) {
    let mut parser = granit_parser::Parser::new_from_str(text);
    let (mut events, mut ends) = (0, 0);
    while let Some(next) = parser.next_event() {
        let (event, span) = next.expect("valid YAML");
        events += 1;
        ends += span.byte_range().map_or(0, |r| r.end);
        if matches!(event, granit_parser::Event::StreamEnd) {
            break;
        }
    }
    (events, ends)
}

struct Count(usize, usize);

impl<'a> saphyr_parser::SpannedEventReceiver<'a> for Count {
    fn on_event(&mut self, _: saphyr_parser::Event<'a>, span: saphyr_parser::Span) {
        self.0 += 1;
        self.1 += span.end.index();
    }
}

fn saphyr(text: &str) -> (usize, usize) {
    let mut count = Count(0, 0);
    saphyr_parser::Parser::new_from_str(text)
        .load(&mut count, false)
        .expect("valid YAML");
    (count.0, count.1)
}

fn libyaml(text: &str) -> (usize, usize) {
    use std::mem::MaybeUninit;
    use unsafe_libyaml::*;
    let (mut events, mut ends) = (0, 0);
    // SAFETY: the parser and event are initialised before use and freed after;
    // the input outlives the parser.
    unsafe {
        let mut parser = MaybeUninit::<yaml_parser_t>::uninit();
        assert!(yaml_parser_initialize(parser.as_mut_ptr()).ok);
        let mut parser = parser.assume_init();
        yaml_parser_set_input_string(&mut parser, text.as_ptr(), text.len() as u64);
        loop {
            let mut event = MaybeUninit::<yaml_event_t>::uninit();
            assert!(yaml_parser_parse(&mut parser, event.as_mut_ptr()).ok, "valid YAML");
            let mut event = event.assume_init();
            events += 1;
            ends += event.end_mark.index as usize;
            let done = event.type_ == YAML_STREAM_END_EVENT;
            yaml_event_delete(&mut event);
            if done {
                break;
            }
        }
        yaml_parser_delete(&mut parser);
    }
    (events, ends)
}

fn median(mut f: impl FnMut()) -> Duration {
    let mut times: Vec<Duration> = (0..31)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect();
    times.sort();
    times[times.len() / 2]
}

fn main() {
    let example = include_str!("../../examples/huailai-2024.yaml").to_owned();
    let large = large_document();
    println!("| parser | example ({} KB) | rows ×40 ({} KB) | events |", example.len() / 1024, large.len() / 1024);
    println!("|---|---|---|---|");
    type Parse = fn(&str) -> (usize, usize);
    let parsers: [(&str, Parse); 3] = [("granit-parser", granit), ("saphyr-parser", saphyr), ("libyaml (unsafe-libyaml)", libyaml)];
    for (name, parse) in parsers {
        let events = parse(&large).0;
        let small = median(|| {
            std::hint::black_box(parse(std::hint::black_box(&example)));
        });
        let big = median(|| {
            std::hint::black_box(parse(std::hint::black_box(&large)));
        });
        println!("| {name} | {small:.2?} | {big:.2?} | {events} |");
    }
}
