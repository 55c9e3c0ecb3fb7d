//! Challenges: a goal is met at the first step where the measure is below its threshold, within
//! the step budget; locked controls refuse their edits and say what is locked.

use gradscape::core::challenge::{progress, Goal, Verdict};
use gradscape::core::scenario::Scenario;

/// GD with α = 1/4 on f = x² + y² from (1, 0): θₖ = (1 − 2α)ᵏ θ₀ = 2⁻ᵏ θ₀, so L(θₖ) = 4⁻ᵏ and
/// ‖∇L(θₖ)‖ = 2·2⁻ᵏ. L < 1e-3 first at k = 5 (4⁻⁵ ≈ 9.8e-4; 4⁻⁴ ≈ 3.9e-3).
const BOWL: &str = "surface=custom:f=x^2%2By^2&start=1,0&steps=50&gtol=0&opt=gd:lr=0.25";

fn run_to(text: &str, steps: u64) -> gradscape::core::run::Run {
    let mut run = Scenario::parse(text).expect("valid").build_run();
    run.advance(steps);
    run
}

#[test]
fn a_goal_is_met_at_the_first_step_below_it() {
    let goal = Goal::parse("loss<1e-3").expect("goal");
    let run = run_to(BOWL, 10);
    let p = progress(&run, goal, Some(200), 10);
    assert_eq!(p.verdict, Verdict::Passed { by: 0, step: 5 });
    // Before step 5 it is pending, with the best loss so far 4⁻⁴.
    let run = run_to(BOWL, 4);
    let p = progress(&run, goal, Some(200), 4);
    assert_eq!(p.verdict, Verdict::Pending);
    assert_eq!(p.best, Some((0.25f64.powi(4), 0)));
}

#[test]
fn a_budget_too_small_fails() {
    let goal = Goal::parse("loss<1e-3").expect("goal");
    let run = run_to(BOWL, 10);
    assert_eq!(progress(&run, goal, Some(4), 10).verdict, Verdict::Failed);
    // The gradient's norm 2·2⁻ᵏ < 0.1 first at k = 5 (2/32 = 0.0625; 2/16 = 0.125).
    let grad = Goal::parse("grad<0.1").expect("goal");
    assert_eq!(
        progress(&run, grad, Some(5), 10).verdict,
        Verdict::Passed { by: 0, step: 5 }
    );
}

#[test]
fn the_fastest_optimizer_is_named() {
    // α = 0.4: θₖ = 0.2ᵏ θ₀, L = 0.04ᵏ < 1e-3 first at k = 3 (6.4e-5; 0.04² = 1.6e-3).
    let text = format!("{BOWL}&opt=gd:lr=0.4");
    let run = run_to(&text, 10);
    let p = progress(&run, Goal::parse("loss<1e-3").expect("goal"), None, 10);
    assert_eq!(p.verdict, Verdict::Passed { by: 1, step: 2 + 1 });
}

#[test]
fn a_run_that_stops_short_fails() {
    // α = 1.5 diverges: |1 − 2α| = 2; the run stops when θ leaves the bounds.
    let text = "surface=custom:f=x^2%2By^2&start=1,0&steps=5000&opt=gd:lr=1.5";
    let run = run_to(text, 5000);
    assert!(!run.is_running());
    let step = run.tracks[0].step;
    let p = progress(&run, Goal::parse("loss<1e-3").expect("goal"), None, step);
    assert_eq!(p.verdict, Verdict::Failed);
}

#[test]
fn locked_controls_refuse_edits() {
    let mut s = Scenario::parse(&format!(
        "{BOWL}&lock=surface,start,rule&goal=loss<1e-3&within=200"
    ))
    .expect("valid");
    let e = s.set_surface("rosenbrock").expect_err("locked");
    assert!(e.to_string().contains("locked by this challenge"), "{e}");
    assert!(e.to_string().contains("lock=surface"), "{e}");
    assert!(s.set_key("start", "0.5,0.5").is_err());
    assert!(s.set_rule(0, "adam").is_err());
    assert!(s.set_key("lock", "").is_err(), "the lock itself stays");
    // What is not locked can change: α, and the optimizer's name.
    s.set_opt_param(0, "lr", "0.3").expect("α is free");
    s.set_opt_param(0, "name", "mine").expect("names are free");
    s.add_optimizer("adam").expect("optimizers are free");
    // The challenge travels in the text.
    let back = Scenario::parse(&s.to_text()).expect("round trip");
    assert_eq!(back.page.lock, vec!["surface", "start", "rule"]);
    assert_eq!(back.page.goal.as_deref(), Some("loss<1e-3"));
    assert_eq!(back.page.within, Some(200));
}

#[test]
fn bad_challenge_keys_say_what_is_allowed() {
    for (text, says) in [
        ("goal=loss", "MEASURE<NUMBER"),
        ("goal=speed<1", "loss, gap or grad"),
        ("goal=loss<-1", "positive number"),
        ("within=0", "[1, 16000]"),
        ("lock=everything", "choose from surface"),
        ("tour=nope", "no preset `nope`"),
        ("origin=example.edu", "scheme://host[:port]"),
    ] {
        let e = Scenario::parse(text).expect_err(text).to_string();
        assert!(e.contains(says), "{text}: {e}");
    }
}
