//! One connection to obs-websocket: the handshake, then a reader task that hands each answer to
//! the request waiting for it (by id) and each stream event to the session's owner, and a writer
//! task. Dropping the session closes the connection.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use secrecy::{ExposeSecret, SecretString};
use serde_json::{Value, json};
use tokio::net::TcpStream;
use tokio::sync::{mpsc, oneshot};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

use crate::error::LinkError;
use crate::protocol::{self, Envelope, Hello, Identify, Request, Response};
use crate::stream::{OutputState, RtmpService, ServiceAnswer, StreamService, StreamStatus};

type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;
type Waiting = Arc<Mutex<Pending>>;

/// The requests waiting for their answers, and why the link ended once it has: a request made
/// after that fails at once instead of waiting out its timeout.
#[derive(Default)]
struct Pending {
    by_id: HashMap<String, oneshot::Sender<Result<Value, LinkError>>>,
    ended: Option<LinkError>,
}

/// Where OBS listens and how to sign in.
#[derive(Debug, Clone)]
pub struct ObsConfig {
    /// Usually `127.0.0.1`.
    pub host: String,
    /// obs-websocket's port, 4455 by default.
    pub port: u16,
    /// The server password, when OBS asks for one.
    pub password: Option<SecretString>,
    /// How long to wait for the connection, the handshake, and each answer.
    pub timeout: Duration,
}

impl ObsConfig {
    fn address(&self) -> String {
        if self.host.contains(':') {
            format!("[{}]:{}", self.host, self.port)
        } else {
            format!("{}:{}", self.host, self.port)
        }
    }
}

/// The versions OBS reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObsVersions {
    /// OBS Studio's, e.g. `29.0.2`.
    pub obs: String,
    /// obs-websocket's, e.g. `5.1.0`.
    pub websocket: String,
}

/// What OBS tells a linked studio by itself.
#[derive(Debug, Clone, PartialEq)]
pub enum ObsEvent {
    /// `StreamStateChanged`.
    StreamState {
        /// Whether the stream output runs.
        active: bool,
        /// Its state.
        state: OutputState,
    },
    /// The link ended; the last event.
    Closed(LinkError),
}

/// A linked OBS.
pub struct ObsSession {
    outgoing: mpsc::Sender<Message>,
    waiting: Waiting,
    next_id: AtomicU64,
    versions: ObsVersions,
    timeout: Duration,
}

impl ObsSession {
    /// Connects, signs in and reads OBS's versions. Events arrive on the receiver until the link
    /// ends, which is said by a last [`ObsEvent::Closed`].
    pub async fn connect(config: &ObsConfig) -> Result<(ObsSession, mpsc::Receiver<ObsEvent>), LinkError> {
        let address = config.address();
        let connecting = tokio_tungstenite::connect_async(format!("ws://{address}"));
        let (mut socket, _) = tokio::time::timeout(config.timeout, connecting)
            .await
            .map_err(|_| LinkError::Timeout { what: "connecting" })?
            .map_err(|e| connect_error(e, &address))?;
        let password_given = config.password.is_some();
        let hello: Hello =
            decode(read_op(&mut socket, protocol::HELLO, config.timeout, password_given).await?)?;
        let websocket = hello.obs_web_socket_version.clone();
        if hello.rpc_version != protocol::RPC_VERSION
            || protocol::version_numbers(&websocket) < protocol::MIN_WEBSOCKET_VERSION
        {
            return Err(LinkError::TooOld {
                websocket_version: websocket,
            });
        }
        let authentication = match (&hello.authentication, &config.password) {
            (Some(asked), Some(password)) => Some(protocol::auth_string(
                password.expose_secret(),
                &asked.salt,
                &asked.challenge,
            )),
            // Asked with no password set: identify without one, and OBS says 4009.
            _ => None,
        };
        let identify = Identify {
            rpc_version: protocol::RPC_VERSION,
            authentication,
            event_subscriptions: protocol::SUBSCRIBE_OUTPUTS,
        };
        send(&mut socket, protocol::IDENTIFY, json!(identify)).await?;
        read_op(&mut socket, protocol::IDENTIFIED, config.timeout, password_given).await?;

        let (outgoing, to_send) = mpsc::channel(64);
        let (events, received) = mpsc::channel(64);
        let waiting: Waiting = Arc::default();
        let (sink, stream) = socket.split();
        tokio::spawn(write(sink, to_send));
        tokio::spawn(read(stream, Arc::clone(&waiting), events));
        let mut session = ObsSession {
            outgoing,
            waiting,
            next_id: AtomicU64::new(1),
            versions: ObsVersions {
                obs: String::new(),
                websocket,
            },
            timeout: config.timeout,
        };
        let version = session.request("GetVersion", None).await?;
        session.versions.obs = version["obsVersion"].as_str().unwrap_or("unknown").to_owned();
        Ok((session, received))
    }

    /// OBS's and obs-websocket's versions.
    pub fn versions(&self) -> &ObsVersions {
        &self.versions
    }

    /// Sends request `request_type` and waits for its answer's `responseData`.
    pub async fn request(&self, request_type: &str, data: Option<Value>) -> Result<Value, LinkError> {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed).to_string();
        let (answer, answered) = oneshot::channel();
        {
            let mut pending = lock(&self.waiting);
            if let Some(ended) = &pending.ended {
                return Err(ended.clone());
            }
            pending.by_id.insert(id.clone(), answer);
        }
        let request = Request {
            request_type,
            request_id: id.clone(),
            request_data: data,
        };
        let text = serde_json::to_string(&Envelope {
            op: protocol::REQUEST,
            d: json!(request),
        })
        .map_err(|e| LinkError::Protocol(e.to_string()))?;
        if self.outgoing.send(Message::text(text)).await.is_err() {
            lock(&self.waiting).by_id.remove(&id);
            return Err(gone());
        }
        match tokio::time::timeout(self.timeout, answered).await {
            Ok(Ok(answer)) => answer,
            Ok(Err(_)) => Err(gone()),
            Err(_) => {
                lock(&self.waiting).by_id.remove(&id);
                Err(LinkError::Timeout { what: "an answer" })
            }
        }
    }

    /// `GetStreamStatus`.
    pub async fn stream_status(&self) -> Result<StreamStatus, LinkError> {
        let data = self.request("GetStreamStatus", None).await?;
        serde_json::from_value(data).map_err(|e| LinkError::Protocol(e.to_string()))
    }

    /// `StartStream`.
    pub async fn start_stream(&self) -> Result<(), LinkError> {
        self.request("StartStream", None).await.map(drop)
    }

    /// `StopStream`.
    pub async fn stop_stream(&self) -> Result<(), LinkError> {
        self.request("StopStream", None).await.map(drop)
    }

    /// `GetStreamServiceSettings`: where OBS streams to now.
    pub async fn stream_service(&self) -> Result<StreamService, LinkError> {
        let data = self.request("GetStreamServiceSettings", None).await?;
        let answer: ServiceAnswer =
            serde_json::from_value(data).map_err(|e| LinkError::Protocol(e.to_string()))?;
        let settings = answer.stream_service_settings;
        Ok(StreamService {
            kind: answer.stream_service_type,
            server: settings.as_ref().and_then(|s| s.server.clone()),
            key: settings.and_then(|s| s.key),
        })
    }

    /// `SetStreamServiceSettings` to a custom RTMP server and key. OBS refuses it while it
    /// streams ([`LinkError::Refused`] with code 500).
    pub async fn set_rtmp_service(&self, service: &RtmpService) -> Result<(), LinkError> {
        let data = json!({
            "streamServiceType": "rtmp_custom",
            "streamServiceSettings": {
                "server": service.server,
                "key": service.key.expose_secret(),
                "use_auth": false,
            },
        });
        self.request("SetStreamServiceSettings", Some(data))
            .await
            .map(drop)
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

fn gone() -> LinkError {
    LinkError::Closed {
        code: None,
        reason: "OBS went away".to_owned(),
    }
}

fn connect_error(error: tokio_tungstenite::tungstenite::Error, address: &str) -> LinkError {
    use tokio_tungstenite::tungstenite::Error;
    match error {
        Error::Io(e) if e.kind() == std::io::ErrorKind::ConnectionRefused => LinkError::NotListening {
            address: address.to_owned(),
        },
        Error::Io(e) => LinkError::Network(e.to_string()),
        other => LinkError::Protocol(other.to_string()),
    }
}

/// What a close frame during the handshake means.
fn closed(frame: Option<CloseFrame>, password_given: bool) -> LinkError {
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

async fn send(socket: &mut Socket, op: u8, d: Value) -> Result<(), LinkError> {
    let text = serde_json::to_string(&Envelope { op, d }).map_err(|e| LinkError::Protocol(e.to_string()))?;
    socket
        .send(Message::text(text))
        .await
        .map_err(|e| LinkError::Network(e.to_string()))
}

/// Reads until a message with opcode `op` arrives (during the handshake).
async fn read_op(
    socket: &mut Socket,
    op: u8,
    timeout: Duration,
    password_given: bool,
) -> Result<Value, LinkError> {
    let reading = async {
        loop {
            match socket.next().await {
                Some(Ok(Message::Text(text))) => {
                    let envelope: Envelope =
                        serde_json::from_str(&text).map_err(|e| LinkError::Protocol(e.to_string()))?;
                    if envelope.op == op {
                        return Ok(envelope.d);
                    }
                }
                Some(Ok(Message::Close(frame))) => return Err(closed(frame, password_given)),
                Some(Ok(_)) => {}
                Some(Err(e)) => return Err(LinkError::Network(e.to_string())),
                None => return Err(closed(None, password_given)),
            }
        }
    };
    tokio::time::timeout(timeout, reading)
        .await
        .map_err(|_| LinkError::Timeout { what: "signing in" })?
}

fn decode<T: serde::de::DeserializeOwned>(value: Value) -> Result<T, LinkError> {
    serde_json::from_value(value).map_err(|e| LinkError::Protocol(e.to_string()))
}

async fn write(
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

async fn read(
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
