//! The fade: a line leaves the screen, and the gate, that long after it showed, and catch-up
//! said long ago shows only for what is left of its fade.

use super::tests::{HOLD, rules, say};
use super::*;

fn fading(hold: Duration, fade: Duration) -> Rules {
    Rules { fade, ..rules(hold) }
}

fn shown_at(gate: &Gate, now: Instant) -> Vec<(String, Duration)> {
    gate.shown(now).map(|(c, d)| (c.id.clone(), d)).collect()
}

#[test]
fn a_faded_line_leaves_the_screen_a_page_is_sent_and_the_gate_forgets_it() {
    let t0 = Instant::now();
    let fade = Duration::from_secs(10);
    let mut gate = Gate::new(fading(Duration::ZERO, fade));
    gate.admit(&[say("a")], false, t0, 0);
    assert_eq!(gate.release(t0), [(say("a"), Duration::ZERO)]);
    let almost = t0 + fade - Duration::from_millis(1);
    assert_eq!(
        shown_at(&gate, almost),
        [("a".to_owned(), fade - Duration::from_millis(1))]
    );
    assert!(shown_at(&gate, t0 + fade).is_empty(), "faded at exactly its fade");
    gate.release(t0 + fade);
    assert_eq!(
        gate.shown.len(),
        0,
        "forgotten, so the screen's lines are all live ones"
    );
    // With no fade, a line stays.
    let mut keeps = Gate::new(rules(Duration::ZERO));
    keeps.admit(&[say("a")], false, t0, 0);
    keeps.release(t0);
    assert_eq!(shown_at(&keeps, t0 + Duration::from_secs(3_600)).len(), 1);
}

#[test]
fn catch_up_said_long_ago_shows_only_for_what_is_left_of_its_fade() {
    let t0 = Instant::now();
    let wall = 10_000_000;
    let said = |id: &str, ago_ms: i64| {
        let mut c = say(id);
        c.timestamp = wall - ago_ms;
        c
    };
    let mut gate = Gate::new(fading(HOLD, Duration::from_secs(10)));
    gate.admit(
        &[said("faded", 13_000), said("fading", 5_000), said("fresh", 500)],
        true,
        t0,
        wall,
    );
    assert!(
        !gate.knows("faded"),
        "it would have faded by now: never held, never sent"
    );
    // Said 5 s ago with a 2 s hold, it would have shown 3 s ago; it shows after the catch-up's
    // settle, 4 s into its 10 s.
    assert_eq!(
        gate.release(t0 + CATCH_UP_SETTLE),
        [(said("fading", 5_000), Duration::from_secs(4))]
    );
    assert_eq!(
        gate.release(t0 + Duration::from_millis(1_500)),
        [(said("fresh", 500), Duration::ZERO)]
    );
    assert_eq!(
        ids_of(&shown_at(&gate, t0 + Duration::from_millis(6_999))),
        ["fading", "fresh"]
    );
    assert_eq!(ids_of(&shown_at(&gate, t0 + Duration::from_secs(7))), ["fresh"]);
}

fn ids_of(lines: &[(String, Duration)]) -> Vec<&str> {
    lines.iter().map(|(id, _)| id.as_str()).collect()
}
