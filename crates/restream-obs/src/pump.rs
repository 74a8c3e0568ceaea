//! A linked session's two tasks: the writer, which sends what requests hand it and says goodbye
//! when the session is dropped, and the reader, which hands each answer to the request waiting for
//! it (by id) and each stream event to the session's owner, and fails everything still waiting
//! when the link ends; and what obs-websocket's close codes mean.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use futures_util::{SinkExt, StreamExt};
use serde_json::Value;
use tokio::net::TcpStream;
use tokio::sync::{mpsc, oneshot};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

use crate::error::LinkError;
use crate::protocol::{self, Envelope, Response};
use crate::stream::{ObsEvent, OutputState};

pub(crate) type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;
pub(crate) type Waiting = Arc<Mutex<Pending>>;

/// The requests waiting for their answers, and why the link ended once it has: a request made
/// after that fails at once instead of waiting out its timeout.
#[derive(Default)]
pub(crate) struct Pending {
    pub(crate) by_id: HashMap<String, oneshot::Sender<Result<Value, LinkError>>>,
    pub(crate) ended: Option<LinkError>,
}

pub(crate) fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

pub(crate) fn gone() -> LinkError {
    LinkError::Closed {
        code: None,
        reason: "OBS went away".to_owned(),
    }
}

pub(crate) async fn write(
    mut sink: futures_util::stream::SplitSink<Socket, Message>,
    mut to_send: mpsc::Receiver<Message>,
) {
    while let Some(message) = to_send.recv().await {
        if sink.send(message).await.is_err() {
            return;
        }
    }
    // The session was dropped: say goodbye.
    let _ = sink.close().await;
}

pub(crate) async fn read(
    mut stream: futures_util::stream::SplitStream<Socket>,
    waiting: Waiting,
    events: mpsc::Sender<ObsEvent>,
) {
    let ended = loop {
        match stream.next().await {
            Some(Ok(Message::Text(text))) => {
                let Ok(envelope) = serde_json::from_str::<Envelope>(&text) else {
                    tracing::debug!("OBS sent something that is not an envelope");
                    continue;
                };
                match envelope.op {
                    protocol::REQUEST_RESPONSE => answer(&waiting, envelope.d),
                    protocol::EVENT => {
                        if let Some(event) = stream_event(envelope.d) {
                            // Nobody listening for events any more is fine: answers still matter.
                            let _ = events.send(event).await;
                        }
                    }
                    _ => {}
                }
            }
            Some(Ok(Message::Close(frame))) => break closed(frame, true),
            Some(Ok(_)) => {}
            Some(Err(e)) => break LinkError::Network(e.to_string()),
            None => break gone(),
        }
    };
    let waiters: Vec<_> = {
        let mut pending = lock(&waiting);
        pending.ended = Some(ended.clone());
        pending.by_id.drain().map(|(_, waiter)| waiter).collect()
    };
    for waiter in waiters {
        let _ = waiter.send(Err(ended.clone()));
    }
    let _ = events.send(ObsEvent::Closed(ended)).await;
}

fn answer(waiting: &Waiting, d: Value) {
    let Ok(response) = serde_json::from_value::<Response>(d) else {
        tracing::debug!("OBS sent an answer the studio cannot read");
        return;
    };
    let Some(waiter) = lock(waiting).by_id.remove(&response.request_id) else {
        return;
    };
    let result = if response.request_status.result {
        Ok(response.response_data.unwrap_or(Value::Null))
    } else {
        Err(LinkError::Refused {
            request: response.request_type,
            code: response.request_status.code,
            comment: response.request_status.comment,
        })
    };
    let _ = waiter.send(result);
}

fn stream_event(d: Value) -> Option<ObsEvent> {
    let event: protocol::Event = serde_json::from_value(d).ok()?;
    if event.event_type != "StreamStateChanged" {
        return None;
    }
    let data = event.event_data?;
    Some(ObsEvent::StreamState {
        active: data["outputActive"].as_bool().unwrap_or(false),
        state: OutputState::parse(data["outputState"].as_str().unwrap_or("")),
    })
}

/// What a close frame during the handshake means.
pub(crate) fn closed(frame: Option<CloseFrame>, password_given: bool) -> LinkError {
    let code = frame.as_ref().map(|f| u16::from(f.code));
    let reason = frame.map(|f| f.reason.to_string()).unwrap_or_default();
    match code {
        Some(protocol::CLOSE_AUTHENTICATION_FAILED) => LinkError::WrongPassword { password_given },
        Some(protocol::CLOSE_UNSUPPORTED_RPC_VERSION) => LinkError::TooOld {
            websocket_version: reason,
        },
        code => LinkError::Closed { code, reason },
    }
}
