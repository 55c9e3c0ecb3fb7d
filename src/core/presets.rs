//! The gallery: one preset per lesson of the lecture plus the classic races. Each is plain
//! scenario text (so `?preset=NAME` expands to text that can be edited and shared), with a
//! title and a short note on what to notice. `tests/presets.rs` runs every preset and checks
//! its lesson on the numbers.

/// A named scenario with its lesson.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Preset {
    /// `?preset=NAME`.
    pub name: &'static str,
    pub title: &'static str,
    /// What to notice, in a sentence or three.
    pub explain: &'static str,
    /// Lesson number in the lecture's list (1–12), or 0 for a race.
    pub lesson: u8,
    /// Full scenario text.
    pub text: &'static str,
}

/// Every preset, in gallery order.
pub static PRESETS: &[Preset] = &[Preset {
    name: "rosenbrock-race",
    title: "Race on Rosenbrock",
    explain: "All six rules from the same start in Rosenbrock's curved valley.",
    lesson: 0,
    text: "v=1&surface=rosenbrock&start=-1.5,2&seed=1&steps=2000&opt=gd:lr=0.001&opt=momentum:lr=0.001,gamma=0.9&opt=nesterov:lr=0.001,gamma=0.9&opt=adagrad:lr=0.5&opt=rmsprop:lr=0.01&opt=adam:lr=0.05",
}];

/// Look a preset up by name.
pub fn preset(name: &str) -> Option<&'static Preset> {
    PRESETS.iter().find(|p| p.name == name)
}
