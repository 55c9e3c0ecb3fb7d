//! Each optimizer's line (colour) and name belong to it: kept when others are duplicated or
//! removed, carried by the text, and the names in the key say what differs.

use gradscape::core::label::line_names;
use gradscape::core::scenario::Scenario;

fn parse(text: &str) -> Scenario {
    Scenario::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"))
}

fn lines(s: &Scenario) -> Vec<usize> {
    s.optimizers
        .iter()
        .enumerate()
        .map(|(i, o)| o.line(i))
        .collect()
}

fn round_trip(s: &Scenario) -> Scenario {
    let text = s.to_text();
    let back = parse(&text);
    assert_eq!(&back, s, "{text}");
    back
}

const THREE: &str = "v=1&surface=bowl&opt=gd:lr=0.1&opt=momentum:lr=0.1&opt=adam:lr=0.1";

#[test]
fn a_new_scenario_takes_its_places_lines_and_writes_none() {
    let s = parse(THREE);
    assert_eq!(lines(&s), [0, 1, 2]);
    assert!(!s.to_text().contains("colour="), "{}", s.to_text());
}

#[test]
fn removing_an_optimizer_leaves_the_others_their_lines() {
    let mut s = parse(THREE);
    s.remove_optimizer(0).expect("remove");
    assert_eq!(lines(&s), [1, 2]);
    let text = s.to_text();
    assert!(
        text.contains("colour=1") && text.contains("colour=2"),
        "{text}"
    );
    round_trip(&s);
    // A new optimizer takes the lowest line no one has.
    s.add_optimizer("rmsprop").expect("add");
    assert_eq!(lines(&s), [1, 2, 0]);
    round_trip(&s);
}

#[test]
fn a_copy_gets_a_line_of_its_own_and_the_others_keep_theirs() {
    let mut s = parse(THREE);
    s.duplicate_optimizer(0).expect("copy");
    assert_eq!(lines(&s), [0, 3, 1, 2]);
    assert_eq!(s.optimizers[1].learning_rate, s.optimizers[0].learning_rate);
    round_trip(&s);
    s.remove_optimizer(1).expect("remove the copy");
    assert_eq!(lines(&s), [0, 1, 2]);
    assert!(!s.to_text().contains("colour="), "{}", s.to_text());
}

#[test]
fn choosing_a_taken_line_swaps_it() {
    let mut s = parse(THREE);
    s.set_opt_param(2, "colour", "0").expect("colour");
    assert_eq!(lines(&s), [2, 1, 0]);
    round_trip(&s);
    let err = s
        .set_opt_param(0, "colour", "16")
        .expect_err("only 16 lines");
    assert!(err.message.contains("[0, 15]"), "{err}");
}

#[test]
fn lines_clashing_in_a_link_are_made_distinct() {
    let s = parse("v=1&opt=gd:colour=1&opt=gd:colour=1&opt=gd");
    // The first explicit line wins; the clash takes the lowest free; the third its place.
    assert_eq!(lines(&s), [1, 0, 2]);
    round_trip(&s);
}

#[test]
fn the_second_eight_lines_are_marked() {
    use gradscape::render::colour::{optimizer_colour, second_eight};
    assert!(!second_eight(7) && second_eight(8) && second_eight(15));
    // They repeat the palette's colours, so the dash, casing and square are what tell them.
    assert_eq!(optimizer_colour(9), optimizer_colour(1));
}

#[test]
fn a_name_with_commas_percent_and_spaces_survives_a_link() {
    let mut s = parse(THREE);
    s.set_opt_param(1, "name", " heavy ball, 50% γ ")
        .expect("name");
    assert_eq!(
        s.optimizers[1].name.map(|n| n.as_str().to_string()),
        Some("heavy ball, 50% γ".to_string())
    );
    let text = s.to_text();
    assert!(
        text.contains("name=heavy%20ball%252C%2050%2525%20%CE%B3"),
        "{text}"
    );
    round_trip(&s);
    // Typed by hand, plain words need no escapes.
    let typed = parse("v=1&opt=gd:lr=0.1,name=My run");
    assert_eq!(typed.optimizers[0].name.map(|n| n.as_str().len()), Some(6));
    // Emptying the name gives the optimizer its rule's name back.
    s.set_opt_param(1, "name", "").expect("unname");
    assert_eq!(s.optimizers[1].name, None);
}

#[test]
fn a_name_too_long_or_with_control_characters_is_refused_with_the_limit() {
    let (s, errors) = Scenario::decode(&format!("v=1&opt=gd:name={}", "x".repeat(25)));
    assert_eq!(s.optimizers[0].name, None);
    assert!(
        errors[0].message.contains("at most 24 characters"),
        "{errors:?}"
    );
    let (_, errors) = Scenario::decode("v=1&opt=gd:name=a%250Ab");
    assert!(errors[0].message.contains("control"), "{errors:?}");
}

#[test]
fn a_line_keeps_its_name_and_colour_when_its_rule_changes() {
    let mut s = parse("v=1&opt=gd:lr=0.1,name=mine&opt=adam:lr=0.1,colour=5");
    s.set_rule(0, "nesterov").expect("rule");
    s.set_rule(1, "rmsprop").expect("rule");
    assert_eq!(
        s.optimizers[0].name.map(|n| n.as_str().to_string()),
        Some("mine".into())
    );
    assert_eq!(lines(&s), [0, 5]);
}

#[test]
fn the_key_names_what_differs_between_namesakes() {
    let s = parse(
        "v=1&opt=adam:lr=0.05&opt=adam:lr=0.01,rho1=0.8&opt=gd:lr=0.1&opt=gd:lr=0.1\
         &opt=momentum:lr=0.1,name=Heavy ball",
    );
    assert_eq!(
        line_names(&s.optimizers),
        [
            "Adam α=0.05, ρ₁=0.9",
            "Adam α=0.01, ρ₁=0.8",
            "GD #1",
            "GD #2",
            "Heavy ball",
        ]
    );
    // Settings that set some namesakes apart but equal others' are numbered among those.
    assert_eq!(
        line_names(
            &parse("v=1&opt=gd:lr=0.3&opt=gd:lr=0.3,noise=2&opt=gd:lr=0.3,noise=2").optimizers
        ),
        ["GD σ=0", "GD σ=2 #1", "GD σ=2 #2"]
    );
    // A rule alone in the race is just its rule.
    assert_eq!(
        line_names(&parse(THREE).optimizers),
        ["GD", "Momentum", "Adam"]
    );
}
