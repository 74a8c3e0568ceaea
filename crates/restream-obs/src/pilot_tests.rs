use super::*;

const SECOND: Duration = Duration::from_secs(1);

fn on(go_live: bool, stop: bool) -> PilotSettings {
    PilotSettings {
        go_live_on_start: go_live,
        stop_on_stop: stop,
        ..PilotSettings::default()
    }
}

fn ingest(id: &str) -> SessionSeen {
    SessionSeen {
        id: id.into(),
        from_ingest: true,
    }
}

fn external(id: &str) -> SessionSeen {
    SessionSeen {
        id: id.into(),
        from_ingest: false,
    }
}

fn job(id: &str, session: &str) -> Option<JobSeen> {
    Some(JobSeen {
        id: id.into(),
        session_id: session.into(),
    })
}

fn go_live(session: &str) -> Vec<Step> {
    vec![
        Step::Say(PilotNews::GoingLive {
            session_id: session.into(),
        }),
        Step::GoLive {
            session_id: session.into(),
        },
    ]
}

fn actions(steps: Vec<Step>) -> Vec<Step> {
    steps.into_iter().filter(|s| !matches!(s, Step::Say(_))).collect()
}

#[test]
fn started_then_the_ingest_session_goes_live_with_that_session() {
    let t = Instant::now();
    let mut pilot = Pilot::new(on(true, false));
    assert!(pilot.sessions(true, vec![]).is_empty());
    assert_eq!(
        pilot.obs(t, &OutputState::Started),
        vec![Step::Say(PilotNews::WaitingForSession { wait: 30 * SECOND })]
    );
    assert!(pilot.awaiting_session());
    assert_eq!(pilot.next_deadline(), Some(t + 30 * SECOND));
    // A session from elsewhere is not OBS's.
    assert!(pilot.sessions(true, vec![external("other")]).is_empty());
    assert_eq!(
        pilot.sessions(true, vec![ingest("s1"), external("other")]),
        go_live("s1")
    );
    assert!(!pilot.awaiting_session());
    assert!(
        pilot.tick(t + 60 * SECOND).is_empty(),
        "the wait ended with the go-live"
    );
}

#[test]
fn starting_alone_goes_live_nowhere() {
    let mut pilot = Pilot::new(on(true, true));
    pilot.sessions(true, vec![ingest("s1")]);
    assert!(pilot.obs(Instant::now(), &OutputState::Starting).is_empty());
    assert!(pilot.obs(Instant::now(), &OutputState::Stopped).is_empty());
}

#[test]
fn a_session_already_live_when_obs_reports_started_goes_live_at_once() {
    let mut pilot = Pilot::new(on(true, false));
    pilot.sessions(true, vec![ingest("s-new"), ingest("s-old")]);
    assert_eq!(pilot.obs(Instant::now(), &OutputState::Started), go_live("s-new"));
}

#[test]
fn no_session_within_the_wait_says_so_and_goes_live_nowhere() {
    let t = Instant::now();
    let mut pilot = Pilot::new(on(true, false));
    pilot.sessions(true, vec![]);
    pilot.obs(t, &OutputState::Started);
    assert!(pilot.tick(t + 29 * SECOND).is_empty());
    assert_eq!(
        pilot.tick(t + 30 * SECOND),
        vec![Step::Say(PilotNews::NoSessionFromIngest { waited: 30 * SECOND })]
    );
    assert!(
        pilot.sessions(true, vec![ingest("late")]).is_empty(),
        "the wait is over"
    );
    assert_eq!(pilot.next_deadline(), None);
}

#[test]
fn without_an_ingest_the_form_goes_live() {
    let mut pilot = Pilot::new(on(true, false));
    pilot.sessions(false, vec![]);
    assert_eq!(
        pilot.obs(Instant::now(), &OutputState::Started),
        vec![Step::Say(PilotNews::GoingLiveWithForm), Step::GoLiveWithForm]
    );
}

#[test]
fn with_the_switch_off_started_does_nothing_unless_the_studio_asked_for_it() {
    let t = Instant::now();
    let mut pilot = Pilot::new(on(false, false));
    pilot.sessions(true, vec![ingest("s1")]);
    assert!(pilot.obs(t, &OutputState::Started).is_empty());
    pilot.obs(t, &OutputState::Stopped);
    pilot.request_start();
    assert_eq!(pilot.obs(t, &OutputState::Started), go_live("s1"));
    // Once: the request is used up.
    pilot.go_live_failed();
    pilot.obs(t, &OutputState::Stopped);
    assert!(pilot.obs(t, &OutputState::Started).is_empty());
    // A request OBS refused is forgotten.
    pilot.obs(t, &OutputState::Stopped);
    pilot.request_start();
    pilot.cancel_start();
    assert!(pilot.obs(t, &OutputState::Started).is_empty());
}

#[test]
fn a_job_already_live_is_not_started_twice() {
    let mut pilot = Pilot::new(on(true, false));
    pilot.sessions(true, vec![ingest("s1")]);
    pilot.job(job("j0", "by-hand"));
    assert!(pilot.obs(Instant::now(), &OutputState::Started).is_empty());
}

#[test]
fn a_second_started_while_the_go_live_is_on_its_way_starts_nothing_more() {
    let t = Instant::now();
    let mut pilot = Pilot::new(on(true, false));
    pilot.sessions(true, vec![ingest("s1")]);
    assert_eq!(actions(pilot.obs(t, &OutputState::Started)).len(), 1);
    assert!(pilot.obs(t, &OutputState::Started).is_empty());
}

#[test]
fn an_ingest_job_is_never_stopped_by_obs_stopping_or_reconnecting() {
    let t = Instant::now();
    let mut pilot = Pilot::new(on(true, true));
    pilot.sessions(true, vec![ingest("s1")]);
    pilot.obs(t, &OutputState::Started);
    pilot.job(job("j1", "s1"));
    assert_eq!(pilot.stop_rule(), Some(StopRule::IngestWindow));
    assert!(pilot.obs(t, &OutputState::Reconnecting).is_empty());
    assert_eq!(
        pilot.obs(t, &OutputState::Stopped),
        vec![Step::Say(PilotNews::EndsWithIngestWindow)]
    );
    assert!(actions(pilot.tick(t + 3600 * SECOND)).is_empty());
    // The session ended and left the list: the job is still the ingest's.
    pilot.sessions(true, vec![]);
    assert_eq!(pilot.stop_rule(), Some(StopRule::IngestWindow));
}

#[test]
fn a_job_not_from_the_ingest_stops_after_obs_stays_stopped_for_the_grace() {
    let t = Instant::now();
    let mut pilot = Pilot::new(on(false, true));
    pilot.sessions(false, vec![]);
    pilot.job(job("j1", "typed-in"));
    assert_eq!(pilot.stop_rule(), Some(StopRule::AfterGrace(10 * SECOND)));
    assert_eq!(
        pilot.obs(t, &OutputState::Stopped),
        vec![Step::Say(PilotNews::StoppingSoon {
            job_id: "j1".into(),
            grace: 10 * SECOND
        })]
    );
    assert_eq!(pilot.stopping_at(), Some(t + 10 * SECOND));
    assert!(pilot.tick(t + 9 * SECOND).is_empty());
    assert_eq!(
        pilot.tick(t + 10 * SECOND),
        vec![
            Step::Say(PilotNews::Stopping { job_id: "j1".into() }),
            Step::Stop { job_id: "j1".into() }
        ]
    );
    assert!(pilot.tick(t + 20 * SECOND).is_empty(), "one stop");
}

#[test]
fn obs_coming_back_within_the_grace_cancels_the_stop() {
    let t = Instant::now();
    for back in [
        OutputState::Starting,
        OutputState::Started,
        OutputState::Reconnecting,
    ] {
        let mut pilot = Pilot::new(on(false, true));
        pilot.job(job("j1", "typed-in"));
        pilot.obs(t, &OutputState::Stopped);
        assert_eq!(
            pilot.obs(t + 5 * SECOND, &back),
            vec![Step::Say(PilotNews::StopCancelled)],
            "{back:?}"
        );
        assert!(pilot.tick(t + 60 * SECOND).is_empty(), "{back:?}");
    }
}

#[test]
fn a_job_started_by_hand_with_the_stop_switch_off_is_never_stopped() {
    let t = Instant::now();
    let mut pilot = Pilot::new(on(false, false));
    pilot.job(job("j1", "typed-in"));
    assert_eq!(pilot.stop_rule(), Some(StopRule::StartedByHand));
    // Turning the switch on later does not reach back to it.
    pilot.set_settings(on(false, true));
    assert_eq!(pilot.stop_rule(), Some(StopRule::StartedByHand));
    assert!(pilot.obs(t, &OutputState::Stopped).is_empty());
    assert!(pilot.tick(t + 60 * SECOND).is_empty());
}

#[test]
fn a_job_the_pilot_started_follows_the_stop_switch_as_it_is_now() {
    let t = Instant::now();
    let mut pilot = Pilot::new(on(true, false));
    pilot.sessions(false, vec![]);
    assert_eq!(
        actions(pilot.obs(t, &OutputState::Started)),
        vec![Step::GoLiveWithForm]
    );
    pilot.job(job("j1", "typed-in"));
    assert_eq!(pilot.stop_rule(), Some(StopRule::SwitchOff));
    assert!(pilot.obs(t, &OutputState::Stopped).is_empty());
    pilot.obs(t, &OutputState::Started);
    pilot.set_settings(on(true, true));
    assert_eq!(pilot.stop_rule(), Some(StopRule::AfterGrace(10 * SECOND)));
    assert_eq!(actions(pilot.obs(t, &OutputState::Stopped)), vec![]);
    assert_eq!(
        actions(pilot.tick(t + 10 * SECOND)),
        vec![Step::Stop { job_id: "j1".into() }]
    );
}

#[test]
fn turning_the_stop_switch_off_during_the_grace_cancels_the_stop() {
    let t = Instant::now();
    let mut pilot = Pilot::new(on(false, true));
    pilot.job(job("j1", "typed-in"));
    pilot.obs(t, &OutputState::Stopped);
    assert_eq!(
        pilot.set_settings(on(false, false)),
        vec![Step::Say(PilotNews::StopCancelled)]
    );
    assert!(pilot.tick(t + 60 * SECOND).is_empty());
}

#[test]
fn the_job_ending_on_its_own_cancels_a_pending_stop() {
    let t = Instant::now();
    let mut pilot = Pilot::new(on(false, true));
    pilot.job(job("j1", "typed-in"));
    pilot.obs(t, &OutputState::Stopped);
    pilot.job(None);
    assert_eq!(pilot.stop_rule(), None);
    assert!(pilot.tick(t + 60 * SECOND).is_empty());
}

#[test]
fn obs_stopping_while_waiting_for_the_session_ends_the_wait() {
    let t = Instant::now();
    let mut pilot = Pilot::new(on(true, false));
    pilot.sessions(true, vec![]);
    pilot.obs(t, &OutputState::Started);
    pilot.obs(t + SECOND, &OutputState::Stopped);
    assert!(!pilot.awaiting_session());
    assert!(pilot.sessions(true, vec![ingest("s1")]).is_empty());
    assert!(pilot.tick(t + 60 * SECOND).is_empty());
}

#[test]
fn a_failed_go_live_lets_the_next_started_try_again() {
    let t = Instant::now();
    let mut pilot = Pilot::new(on(true, false));
    pilot.sessions(true, vec![ingest("s1")]);
    pilot.obs(t, &OutputState::Started);
    pilot.go_live_failed();
    pilot.obs(t, &OutputState::Stopped);
    assert_eq!(pilot.obs(t, &OutputState::Started), go_live("s1"));
}

#[test]
fn a_job_seen_again_keeps_what_was_learned_first() {
    let mut pilot = Pilot::new(on(false, false));
    pilot.job(job("j1", "typed-in"));
    pilot.set_settings(on(false, true));
    pilot.job(job("j1", "typed-in"));
    assert_eq!(pilot.stop_rule(), Some(StopRule::StartedByHand));
    // A job whose session turns out to be the ingest's is governed by the window.
    pilot.sessions(true, vec![ingest("typed-in")]);
    assert_eq!(pilot.stop_rule(), Some(StopRule::IngestWindow));
}

#[test]
fn a_go_live_through_the_form_that_made_no_job_is_forgotten_when_obs_stops() {
    let t = Instant::now();
    let mut pilot = Pilot::new(on(true, false));
    pilot.sessions(false, vec![]);
    assert_eq!(
        actions(pilot.obs(t, &OutputState::Started)),
        vec![Step::GoLiveWithForm]
    );
    // The form had no session id: no job came. OBS stops and starts again.
    pilot.obs(t, &OutputState::Stopped);
    assert_eq!(
        actions(pilot.obs(t, &OutputState::Started)),
        vec![Step::GoLiveWithForm]
    );
}

#[test]
fn a_job_is_the_ingests_only_when_its_own_session_comes_from_the_ingest() {
    let mut pilot = Pilot::new(on(false, true));
    // Seen with the sessions already known…
    pilot.sessions(true, vec![ingest("obs"), external("typed-in")]);
    pilot.job(job("j1", "typed-in"));
    assert_eq!(pilot.stop_rule(), Some(StopRule::AfterGrace(10 * SECOND)));
    // …and learned after it.
    pilot.sessions(true, vec![ingest("obs"), external("typed-in"), external("x")]);
    assert_eq!(pilot.stop_rule(), Some(StopRule::AfterGrace(10 * SECOND)));
    pilot.job(None);
    pilot.job(job("j2", "obs"));
    assert_eq!(pilot.stop_rule(), Some(StopRule::IngestWindow));
}

#[test]
fn after_a_failed_go_live_a_job_the_streamer_starts_by_hand_is_theirs() {
    let t = Instant::now();
    let mut pilot = Pilot::new(on(true, false));
    pilot.sessions(true, vec![ingest("s1")]);
    pilot.obs(t, &OutputState::Started);
    pilot.go_live_failed();
    // OBS streams on; the streamer goes live by hand, the stop switch off.
    pilot.job(job("j1", "s2"));
    assert_eq!(pilot.stop_rule(), Some(StopRule::StartedByHand));
}

#[test]
fn a_second_stopped_does_not_put_the_stop_off() {
    let t = Instant::now();
    let mut pilot = Pilot::new(on(false, true));
    pilot.job(job("j1", "typed-in"));
    pilot.obs(t, &OutputState::Stopped);
    assert!(pilot.obs(t + 5 * SECOND, &OutputState::Stopped).is_empty());
    assert_eq!(pilot.stopping_at(), Some(t + 10 * SECOND));
    assert_eq!(
        actions(pilot.tick(t + 10 * SECOND)),
        vec![Step::Stop { job_id: "j1".into() }]
    );
}
