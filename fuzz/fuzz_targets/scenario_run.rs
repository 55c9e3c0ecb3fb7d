//! Decode arbitrary text and run what it describes for a few updates: no input may panic,
//! whatever the surface, start, rates or gradient sources.
#![no_main]

use gradscape::core::scenario::Scenario;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (scenario, _) = Scenario::decode(text);
    let mut run = scenario.build_run();
    run.advance(20);
    for t in &run.tracks {
        let _ = t.status.to_string();
    }
});
