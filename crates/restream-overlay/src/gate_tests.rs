use super::*;
use crate::held::{HELD_BYTES, HELD_KEPT, text_bytes};
use restream_client::{ModeratedBy, ModerationResult};

pub(super) const HOLD: Duration = Duration::from_secs(2);

pub(super) fn rules(hold: Duration) -> Rules {
    Rules::from(&OverlaySettings {
        hold_seconds: hold.as_secs() as u8,
        hidden_users: vec!["Nightbot".into(), " spam_king ".into()],
        max_lines: 3,
        ..OverlaySettings::default()
    })
}

fn comment(id: &str, author: &str, message: &str) -> Comment {
    Comment {
        id: id.to_owned(),
        platform: Platform::Twitch,
        author: author.to_owned(),
        author_id: Some(format!("id-{author}")),
        author_avatar: None,
        message: message.to_owned(),
        timestamp: 1_000_000,
        own: false,
    }
}

pub(super) fn say(id: &str) -> Comment {
    comment(id, "viewer", "hello")
}

fn ids(released: &[(Comment, Duration)]) -> Vec<&str> {
    released.iter().map(|(c, _)| c.id.as_str()).collect()
}

fn on_screen(gate: &Gate) -> Vec<String> {
    gate.shown(Instant::now()).map(|(c, _)| c.id.clone()).collect()
}

fn moderation(
    action: ModerationAction,
    comment_id: Option<&str>,
    author_id: Option<&str>,
) -> ModerationEvent {
    ModerationEvent {
        id: "m1".into(),
        outcome: ModerationResult {
            action,
            platform: Platform::Twitch,
            comment_id: comment_id.map(str::to_owned),
            author_id: author_id.map(str::to_owned),
            until: None,
        },
        by: ModeratedBy::Platform,
    }
}

#[test]
fn a_message_shows_only_once_the_hold_has_passed() {
    let t0 = Instant::now();
    let mut gate = Gate::new(rules(HOLD));
    gate.admit(&[say("a")], false, t0, 0);
    assert_eq!(gate.next_due(), Some(t0 + HOLD));
    assert!(gate.release(t0 + HOLD - Duration::from_millis(1)).is_empty());
    gate.admit(&[say("b")], false, t0 + Duration::from_secs(1), 0);
    assert_eq!(ids(&gate.release(t0 + HOLD)), ["a"]);
    assert_eq!(gate.next_due(), Some(t0 + Duration::from_secs(3)));
    assert_eq!(ids(&gate.release(t0 + Duration::from_secs(3))), ["b"]);
    assert_eq!(gate.next_due(), None);
    assert_eq!(on_screen(&gate), ["a", "b"]);
}

#[test]
fn with_no_hold_a_message_is_released_at_once() {
    let t0 = Instant::now();
    let mut gate = Gate::new(rules(Duration::ZERO));
    gate.admit(&[say("a"), say("b")], false, t0, 0);
    assert_eq!(ids(&gate.release(t0)), ["a", "b"]);
}

#[test]
fn a_message_deleted_during_the_hold_never_shows_and_after_it_leaves_the_screen() {
    let t0 = Instant::now();
    let mut gate = Gate::new(rules(HOLD));
    gate.admit(&[say("a"), say("b")], false, t0, 0);
    let removed = gate.moderate(&moderation(ModerationAction::Delete, Some("a"), None));
    assert!(removed.is_empty(), "nothing was on screen to remove");
    assert_eq!(ids(&gate.release(t0 + HOLD)), ["b"]);
    assert_eq!(
        gate.moderate(&moderation(ModerationAction::Delete, Some("b"), None)),
        ["b"]
    );
    assert!(on_screen(&gate).is_empty());
}

#[test]
fn an_author_timed_out_or_banned_during_the_hold_shows_nothing_and_leaves_the_screen() {
    let t0 = Instant::now();
    let mut gate = Gate::new(rules(HOLD));
    gate.admit(&[comment("old", "troll", "first")], false, t0, 0);
    gate.release(t0 + HOLD);
    let later = t0 + HOLD;
    gate.admit(
        &[
            comment("t1", "troll", "x"),
            say("ok"),
            comment("t2", "troll", "y"),
        ],
        false,
        later,
        0,
    );
    let removed = gate.moderate(&moderation(ModerationAction::Timeout, None, Some("id-troll")));
    assert_eq!(removed, ["old"], "what showed leaves");
    assert_eq!(ids(&gate.release(later + HOLD)), ["ok"]);

    // Another platform's user with the same id is someone else.
    let mut other = comment("k1", "troll", "z");
    other.platform = Platform::Kick;
    gate.admit(&[other, comment("t3", "troll", "again")], false, later, 0);
    gate.moderate(&moderation(ModerationAction::Ban, None, Some("id-troll")));
    assert_eq!(ids(&gate.release(later + HOLD)), ["k1"]);
    assert!(
        gate.moderate(&moderation(ModerationAction::Unban, None, Some("id-troll")))
            .is_empty(),
        "an unban brings nothing back"
    );
}

#[test]
fn commands_and_hidden_names_never_show_whatever_their_case() {
    let t0 = Instant::now();
    let mut gate = Gate::new(rules(Duration::ZERO));
    gate.admit(
        &[
            comment("cmd", "viewer", "  !songrequest never gonna"),
            comment("bot", "NIGHTBOT", "Follow the channel"),
            comment("spam", "Spam_King", "buy followers"),
            comment("fine", "viewer", "wow ! nice"),
        ],
        false,
        t0,
        0,
    );
    assert_eq!(ids(&gate.release(t0)), ["fine"]);

    let mut shows_commands = rules(Duration::ZERO);
    shows_commands.hide_commands = false;
    let mut gate = Gate::new(shows_commands);
    gate.admit(&[comment("cmd", "viewer", "!uptime")], false, t0, 0);
    assert_eq!(ids(&gate.release(t0)), ["cmd"]);
}

#[test]
fn hiding_from_the_overlay_drops_a_held_message_removes_a_shown_one_and_outlasts_replays() {
    let t0 = Instant::now();
    let mut gate = Gate::new(rules(HOLD));
    gate.admit(&[say("a"), say("b")], false, t0, 0);
    assert!(gate.hide("a").is_empty());
    assert_eq!(ids(&gate.release(t0 + HOLD)), ["b"]);
    assert_eq!(gate.hide("b"), ["b"]);
    gate.admit(&[say("a"), say("b")], true, t0 + HOLD, 0);
    assert!(
        gate.release(t0 + HOLD * 2).is_empty(),
        "a replay brings neither back"
    );
}

#[test]
fn a_comment_read_again_while_held_is_held_once() {
    let t0 = Instant::now();
    let mut gate = Gate::new(rules(HOLD));
    gate.admit(&[say("a")], false, t0, 0);
    gate.admit(&[say("a")], true, t0, 0);
    assert_eq!(ids(&gate.release(t0 + HOLD)), ["a"]);
}

#[test]
fn a_replayed_comment_is_not_shown_twice() {
    let t0 = Instant::now();
    let mut gate = Gate::new(rules(Duration::ZERO));
    gate.admit(&[say("a")], false, t0, 0);
    gate.release(t0);
    gate.admit(&[say("a")], true, t0, 0);
    assert!(gate.release(t0).is_empty());
}

#[test]
fn catch_up_waits_only_what_is_left_of_its_hold() {
    let t0 = Instant::now();
    let mut gate = Gate::new(rules(HOLD));
    let said_at = 1_000_000;
    let mut long_ago = say("long-ago");
    long_ago.timestamp = said_at - 60_000;
    let mut just_now = say("just-now");
    just_now.timestamp = said_at - 500;
    gate.admit(&[say("live")], false, t0, said_at);
    gate.admit(&[just_now, long_ago], true, t0, said_at);
    assert!(
        gate.release(t0).is_empty(),
        "catch-up waits for the rest of its catch-up"
    );
    assert!(!gate.settled(), "the catch-up is not through");
    assert_eq!(
        ids(&gate.release(t0 + CATCH_UP_SETTLE)),
        ["long-ago"],
        "past its hold, it waits only for what came with it"
    );
    assert_eq!(
        ids(&gate.release(t0 + HOLD - Duration::from_millis(500))),
        ["just-now"]
    );
    assert!(gate.settled());
    assert_eq!(ids(&gate.release(t0 + HOLD)), ["live"]);

    // A message stamped in the future (clocks disagree) is held the whole hold.
    let mut future = say("future");
    future.timestamp = said_at + 10_000;
    gate.admit(&[future], true, t0, said_at);
    assert!(gate.release(t0 + HOLD - Duration::from_millis(1)).is_empty());
}

#[test]
fn the_screen_keeps_the_newest_lines_and_new_rules_apply_to_what_shows() {
    let t0 = Instant::now();
    let mut gate = Gate::new(rules(Duration::ZERO));
    gate.admit(
        &[say("1"), say("2"), say("3"), comment("4", "later_bot", "hi")],
        false,
        t0,
        0,
    );
    gate.release(t0);
    assert_eq!(on_screen(&gate), ["2", "3", "4"]);

    let mut fewer = rules(Duration::ZERO);
    fewer.max_lines = 2;
    fewer.hidden_names.insert("later_bot".into());
    assert_eq!(gate.set_rules(fewer.clone()), ["4"]);
    assert_eq!(on_screen(&gate), ["2", "3"]);
    fewer.max_lines = 1;
    assert_eq!(gate.set_rules(fewer), ["2"], "the oldest line goes first");
    assert_eq!(on_screen(&gate), ["3"]);
}

#[test]
fn a_longer_hold_applies_to_what_is_still_held() {
    let t0 = Instant::now();
    let mut gate = Gate::new(rules(HOLD));
    gate.admit(&[say("a")], false, t0, 0);
    gate.set_rules(rules(Duration::from_secs(5)));
    assert!(gate.release(t0 + HOLD).is_empty());
    assert_eq!(ids(&gate.release(t0 + Duration::from_secs(5))), ["a"]);
}

#[test]
fn a_ban_read_in_the_same_catch_up_as_the_comment_keeps_it_off_screen() {
    let t0 = Instant::now();
    let mut gate = Gate::new(rules(HOLD));
    gate.admit(&[comment("t1", "troll", "x"), say("fine")], true, t0, 10_000_000);
    gate.moderate(&moderation(ModerationAction::Ban, None, Some("id-troll")));
    assert_eq!(ids(&gate.release(t0 + CATCH_UP_SETTLE)), ["fine"]);
}

#[test]
fn with_no_hold_catch_up_still_waits_for_what_came_with_it_and_live_chat_waits_behind_it() {
    let t0 = Instant::now();
    let mut gate = Gate::new(rules(Duration::ZERO));
    gate.admit(&[comment("t1", "troll", "x"), say("fine")], true, t0, 10_000_000);
    gate.admit(&[say("live")], false, t0, 10_000_000);
    assert!(
        gate.release(t0 + CATCH_UP_SETTLE - Duration::from_millis(1))
            .is_empty(),
        "a catch-up settles before it shows, whatever the hold"
    );
    gate.moderate(&moderation(ModerationAction::Ban, None, Some("id-troll")));
    assert_eq!(
        ids(&gate.release(t0 + CATCH_UP_SETTLE)),
        ["fine", "live"],
        "the ban read after the comment keeps it off, and newer lines never show above older ones"
    );
    gate.admit(&[say("later")], false, t0 + CATCH_UP_SETTLE, 10_000_000);
    assert_eq!(ids(&gate.release(t0 + CATCH_UP_SETTLE)), ["later"]);
}

#[test]
fn the_gate_is_settled_once_chat_has_come() {
    let mut gate = Gate::new(rules(HOLD));
    assert!(!gate.settled());
    gate.admit(&[], true, Instant::now(), 0);
    assert!(gate.settled());
}

#[test]
fn what_is_held_is_bounded_by_count_and_by_text_and_the_oldest_go_first() {
    let t0 = Instant::now();
    let mut gate = Gate::new(rules(HOLD));
    let many: Vec<Comment> = (0..HELD_KEPT + 10).map(|n| say(&format!("c{n}"))).collect();
    gate.admit(&many, false, t0, 0);
    let released = gate.release(t0 + HOLD);
    assert_eq!(released.len(), HELD_KEPT);
    assert_eq!(released[0].0.id, "c10");

    let long = |n: usize| comment(&format!("long{n}"), "viewer", &"x".repeat(60_000));
    let longs: Vec<Comment> = (0..200).map(long).collect();
    gate.admit(&longs, false, t0, 0);
    let released = gate.release(t0 + HOLD);
    let held_text: usize = released.iter().map(|(c, _)| text_bytes(c)).sum();
    assert!(held_text <= HELD_BYTES, "{held_text}");
    // Each weighs its message and its author's name.
    assert_eq!(released.len(), HELD_BYTES / (60_000 + "viewer".len()));
    assert_eq!(released.last().map(|(c, _)| c.id.as_str()), Some("long199"));
    assert_eq!(gate.held.bytes(), 0, "what leaves the hold leaves its count");
}

#[test]
fn removing_held_messages_gives_back_their_weight() {
    let t0 = Instant::now();
    let mut gate = Gate::new(rules(HOLD));
    gate.admit(&[say("a"), say("b")], false, t0, 0);
    gate.hide("a");
    gate.moderate(&moderation(ModerationAction::Delete, Some("b"), None));
    assert_eq!(gate.held.bytes(), 0);
}

#[test]
fn the_ids_hidden_by_hand_are_bounded_and_the_oldest_forgotten_first() {
    let t0 = Instant::now();
    let mut gate = Gate::new(rules(Duration::ZERO));
    for n in 0..=HIDDEN_IDS_KEPT {
        gate.hide(&format!("h{n}"));
    }
    gate.hide("h5");
    let kept = gate.hidden();
    assert_eq!(kept.len(), HIDDEN_IDS_KEPT);
    assert_eq!(
        (kept[0].as_str(), kept[HIDDEN_IDS_KEPT - 1].as_str()),
        ("h1", &*format!("h{HIDDEN_IDS_KEPT}")),
        "oldest first; hiding one again does not move it"
    );
    gate.admit(&[say("h0"), say("h1"), say("h5")], false, t0, 0);
    assert_eq!(ids(&gate.release(t0)), ["h0"], "only the oldest was forgotten");
}

#[test]
fn exactly_the_bound_is_kept_and_one_message_alone_is_kept_whatever_its_size() {
    let t0 = Instant::now();
    let mut gate = Gate::new(rules(HOLD));
    let each = 64 * 1024;
    let fits = HELD_BYTES / each;
    let exact: Vec<Comment> = (0..fits)
        .map(|n| comment(&format!("e{n}"), "", &"x".repeat(each)))
        .collect();
    gate.admit(&exact, false, t0, 0);
    assert_eq!(gate.held.bytes(), HELD_BYTES, "the test fills the bound exactly");
    assert_eq!(gate.release(t0 + HOLD).len(), fits, "exactly the bound is kept");

    let huge = comment("huge", "", &"x".repeat(HELD_BYTES + 1));
    gate.admit(&[huge], false, t0 + HOLD, 0);
    assert_eq!(ids(&gate.release(t0 + HOLD * 2)), ["huge"], "alone, it stays");
}
