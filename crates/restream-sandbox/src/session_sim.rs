//! What happens around a v1.1 live session: saying that it started or ended on its owner's
//! streams, its reconnect window after a lost publish, and the job that mirrors it ending with it.

use std::time::Duration;

use crate::db;
use crate::hub::{HubEvent, UserKey};
use crate::live_sessions::{self, LiveSession};
use crate::model::JobStatus;
use crate::sim::mutate_job;
use crate::state::AppState;
use crate::store;

/// Sends `event: session` (no id: not replayed) to the owner's streams.
pub fn say(state: &AppState, user: &UserKey, session: &LiveSession, status: &str) {
    match serde_json::to_value(session) {
        Ok(mut value) => {
            value["status"] = status.into();
            state.hub.publish(
                user,
                HubEvent::Session {
                    json: value.to_string().into(),
                },
            );
        }
        Err(e) => tracing::error!(error = %e, "serializing a live session"),
    }
}

/// Ends session `id` when its reconnect window, begun at `dropped_at`, passes with no publish.
pub fn schedule_end(state: &AppState, id: String, dropped_at: i64) {
    let Some(grace) = state.ingest.as_ref().map(|i| i.publish_grace) else {
        return;
    };
    let state = state.clone();
    tokio::spawn(async move {
        let elapsed = u64::try_from(db::now_ms().saturating_sub(dropped_at)).unwrap_or(0);
        let left = grace.saturating_sub(Duration::from_millis(elapsed));
        tokio::select! {
            () = tokio::time::sleep(left) => {}
            () = state.shutdown.cancelled() => return,
        }
        let now = db::now_ms();
        let ended = state
            .db
            .call(move |conn| live_sessions::end_if_still_dropped(conn, &id, dropped_at, now))
            .await;
        match ended {
            Ok(Some((user, session))) => {
                say(&state, &user, &session, "ended");
                end_mirrored_job(&state, &user, &session.publisher_session_id).await;
            }
            Ok(None) => {}
            Err(e) => tracing::error!(error = %e.message, "ending a live session"),
        }
    });
}

/// The user's current job, when it is active and mirrors session `id`, becomes `ended`.
pub async fn end_mirrored_job(state: &AppState, user: &UserKey, id: &str) {
    let owner = user.clone();
    let job = state.db.call(move |conn| store::current_job(conn, &owner)).await;
    let Ok(Some(job)) = job else {
        return;
    };
    if job.publisher_session_id != id || !job.status.is_active() {
        return;
    }
    let result = mutate_job(state, &job.id, |_, job| {
        if !job.status.is_active() {
            return Ok(false);
        }
        job.settle(JobStatus::Ended, db::now_ms());
        Ok(true)
    })
    .await;
    if let Err(e) = result {
        tracing::error!(error = %e.message, "ending the job of an ended session");
    }
}

/// After a restart: arms again the reconnect window of every session whose publish was lost.
pub async fn recover(state: &AppState) -> anyhow::Result<()> {
    let dropped = state
        .db
        .call(|conn| live_sessions::all_dropped(conn))
        .await
        .map_err(|e| anyhow::anyhow!(e.message))?;
    for (id, dropped_at) in dropped {
        schedule_end(state, id, dropped_at);
    }
    Ok(())
}
