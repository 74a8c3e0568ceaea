//! One connection to obs-websocket: the handshake, then a reader task that hands each answer to
//! the request waiting for it (by id) and each stream event to the session's owner, and a writer
//! task. Dropping the session closes the connection.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use secrecy::{ExposeSecret, SecretString};
use serde_json::{Value, json};
use tokio::sync::{mpsc, oneshot};
use tokio_tungstenite::tungstenite::Message;

use crate::error::LinkError;
use crate::protocol::{self, Envelope, Hello, Identify, Request};
use crate::pump::{Socket, Waiting, closed, gone, lock, read, write};
use crate::stream::{ObsEvent, RtmpService, ServiceAnswer, StreamService, StreamStatus};

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
        // An IPv6 address is written in brackets, whether or not it came with them.
        let host = self.host.trim().trim_start_matches('[').trim_end_matches(']');
        if host.contains(':') {
            format!("[{host}]:{}", self.port)
        } else {
            format!("{host}:{}", self.port)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ipv6_hosts_are_bracketed_once() {
        let at = |host: &str| ObsConfig {
            host: host.to_owned(),
            port: 4455,
            password: None,
            timeout: Duration::from_secs(1),
        };
        assert_eq!(at("127.0.0.1").address(), "127.0.0.1:4455");
        assert_eq!(at(" localhost ").address(), "localhost:4455");
        assert_eq!(at("::1").address(), "[::1]:4455");
        assert_eq!(at("[::1]").address(), "[::1]:4455");
    }
}
