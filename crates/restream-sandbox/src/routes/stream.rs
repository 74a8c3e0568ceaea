//! `GET /comments/stream`: one user's live chat as Server-Sent Events, all destinations merged.
//! Per user, not per job: it opens even with no job, replays by `Last-Event-ID`, sends `job`
//! events, keeps alive, and follows a new job after a supersede.

use std::convert::Infallible;

use axum::Extension;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::sse::{Event, Sse};
use tokio::sync::{broadcast, mpsc};
use tokio_stream::wrappers::ReceiverStream;
use tokio_stream::{Stream, StreamExt};

use crate::api_error::ApiError;
use crate::auth::Caller;
use crate::chat_sequence;
use crate::hub::HubEvent;
use crate::routes::connections::user_key;
use crate::state::AppState;
use crate::store;

/// Events a slow client may lag behind before the stream is cut (it reconnects and replays).
const OUTBOX: usize = 256;

pub async fn stream(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    headers: HeaderMap,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, ApiError> {
    let user = user_key(caller);
    let last_event_id = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);

    // Subscribe before reading the replay, so nothing published in between is missed; what the
    // replay already holds is skipped by order below.
    let live = state.hub.subscribe(&user);
    let (job, replay) = {
        let user = user.clone();
        state
            .db
            .call(move |conn| {
                let Some(job) = store::current_job(conn, &user)? else {
                    return Ok((None, Vec::new()));
                };
                let replay = chat_sequence::replay(conn, &job.id, last_event_id.as_deref())?;
                Ok((Some(job), replay))
            })
            .await?
    };
    let job_json = job
        .map(|j| serde_json::to_string(&j))
        .transpose()
        .map_err(ApiError::internal)?;

    // What the stream tells clients to wait before reconnecting.
    let retry = state.settings.get().stream_retry();
    let (tx, rx) = mpsc::channel(OUTBOX);
    let task_state = state.clone();
    tokio::spawn(async move {
        let _open = task_state.stats.stream_opened();
        let preamble = std::iter::once(Event::default().retry(retry))
            .chain(job_json.map(|json| Event::default().event("job").data(json)))
            .chain(replay.iter().map(|e| {
                Event::default()
                    .event(e.kind)
                    .id(e.id.as_str())
                    .data(e.json.as_str())
            }));
        for event in preamble {
            if tx.send(event).await.is_err() {
                return;
            }
        }
        let after = replay.last().map_or(i64::MIN, |e| e.seq);
        pump(&task_state, live, tx, after).await;
    });
    Ok(Sse::new(ReceiverStream::new(rx).map(Ok)))
}

/// Forwards live events and keep-alives until the client leaves, the stream is dropped or
/// stalled by the admin surface, or the sandbox shuts down.
async fn pump(
    state: &AppState,
    mut live: broadcast::Receiver<HubEvent>,
    tx: mpsc::Sender<Event>,
    mut after: i64,
) {
    let dropped = state.hub.drop_token();
    let mut stalled = state.hub.stalled();
    let mut keep_alive = tokio::time::interval(state.settings.get().keep_alive());
    keep_alive.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    keep_alive.tick().await;
    loop {
        if *stalled.borrow_and_update() {
            // Headers sent, then silence: the client must notice the stall on its own.
            tokio::select! {
                () = dropped.cancelled() => return,
                () = state.shutdown.cancelled() => return,
                () = tx.closed() => return,
                changed = stalled.changed() => if changed.is_err() { return } else { continue },
            }
        }
        let event = tokio::select! {
            () = dropped.cancelled() => return,
            () = state.shutdown.cancelled() => return,
            () = tx.closed() => return,
            _ = stalled.changed() => continue,
            _ = keep_alive.tick() => Event::default().comment("keep-alive"),
            received = live.recv() => match received {
                Ok(HubEvent::Sequenced { seq, kind, id, json }) => {
                    if seq <= after {
                        continue;
                    }
                    after = seq;
                    Event::default().event(kind).id(&*id).data(&*json)
                }
                Ok(HubEvent::Job { json }) => Event::default().event("job").data(&*json),
                Ok(HubEvent::Session { json }) => Event::default().event("session").data(&*json),
                // Too far behind: end the stream; the client replays from its Last-Event-ID.
                Err(broadcast::error::RecvError::Lagged(_)) | Err(broadcast::error::RecvError::Closed) => return,
            },
        };
        if tx.send(event).await.is_err() {
            return;
        }
    }
}
