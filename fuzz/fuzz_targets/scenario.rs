//! Scenario-text decoding on arbitrary input: never panics, and whatever decodes cleanly
//! prints to text that decodes to the same scenario.
#![no_main]

use gradscape::core::scenario::Scenario;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (scenario, errors) = Scenario::decode(text);
    // Lenient decoding always yields a scenario that prints and re-reads exactly.
    let printed = scenario.to_text();
    assert_eq!(
        Scenario::parse(&printed).as_ref(),
        Ok(&scenario),
        "{printed}"
    );
    if errors.is_empty() {
        assert_eq!(Scenario::parse(text), Ok(scenario));
    }
});
