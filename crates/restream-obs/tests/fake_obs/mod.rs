//! An in-process obs-websocket server on a loopback port, for the client's tests: it says Hello
//! (with a challenge when it has a password), checks Identify as obs-websocket does (closing 4009
//! on a wrong password), answers requests from a table, and sends events and closes on demand.

#![allow(dead_code)]

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use futures_util::{SinkExt, StreamExt};
use restream_obs::{ObsConfig, auth_string};
use secrecy::SecretString;
use serde_json::{Value, json};
use tokio::net::TcpListener;
use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;

const SALT: &str = "lM1GncleQOaCu9lT1yeUZhFYnqhsLLP1G5lAGo3ixaI=";
const CHALLENGE: &str = "+IxH4CnCiqpX1rM9scsNynZzbOe4KhDeYcTNS3PDaeY=";

/// How the client reaches the fake on `port`: loopback, with `password` if any, 5 s to answer.
pub fn config(port: u16, password: Option<&str>) -> ObsConfig {
    ObsConfig {
        host: "127.0.0.1".to_owned(),
        port,
        password: password.map(|p| SecretString::from(p.to_owned())),
        timeout: std::time::Duration::from_secs(5),
    }
}

/// An answer: `responseData`, or a refusal with obs-websocket's code and comment.
pub type Answer = Result<Value, (u32, String)>;

/// Every request it was asked: its type and data, in order.
pub type Asked = Arc<Mutex<Vec<(String, Option<Value>)>>>;

/// What the fake does to the connection it holds.
pub enum Push {
    /// Sends an event.
    Event(&'static str, Value),
    /// Closes with a code.
    Close(u16),
    /// Drops the TCP connection without a close frame (OBS killed).
    Drop,
}

pub struct FakeObs {
    pub port: u16,
    /// Every request type it was asked, in order.
    pub asked: Asked,
    push: mpsc::UnboundedSender<Push>,
}

impl FakeObs {
    /// Serves one connection at a time, as `websocket_version`, with `password` if any.
    pub async fn start(
        password: Option<&str>,
        websocket_version: &str,
        answers: HashMap<&'static str, Answer>,
    ) -> FakeObs {
        FakeObs::start_on(0, password, websocket_version, answers).await
    }

    /// [`start`](Self::start) on a chosen port (0: any free one).
    pub async fn start_on(
        port: u16,
        password: Option<&str>,
        websocket_version: &str,
        answers: HashMap<&'static str, Answer>,
    ) -> FakeObs {
        let listener = TcpListener::bind(("127.0.0.1", port)).await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let asked: Asked = Arc::default();
        let (push, mut pushed) = mpsc::unbounded_channel();
        let password = password.map(str::to_owned);
        let version = websocket_version.to_owned();
        let log = Arc::clone(&asked);
        tokio::spawn(async move {
            while let Ok((tcp, _)) = listener.accept().await {
                let Ok(mut ws) = tokio_tungstenite::accept_async(tcp).await else {
                    continue;
                };
                let mut hello = json!({ "obsWebSocketVersion": version, "rpcVersion": 1 });
                if password.is_some() {
                    hello["authentication"] = json!({ "challenge": CHALLENGE, "salt": SALT });
                }
                let _ = ws.send(envelope(0, hello)).await;
                let Some(Ok(Message::Text(identify))) = ws.next().await else {
                    continue;
                };
                let identify: Value = serde_json::from_str(&identify).unwrap();
                let expected = password.as_deref().map(|p| auth_string(p, SALT, CHALLENGE));
                if identify["d"]["authentication"].as_str() != expected.as_deref() {
                    let _ = ws.close(Some(close(4009, "Authentication failed."))).await;
                    continue;
                }
                assert_eq!(identify["d"]["eventSubscriptions"], 64, "subscribes to outputs");
                let _ = ws.send(envelope(2, json!({ "negotiatedRpcVersion": 1 }))).await;
                loop {
                    tokio::select! {
                        incoming = ws.next() => {
                            let Some(Ok(Message::Text(text))) = incoming else { break };
                            let request: Value = serde_json::from_str(&text).unwrap();
                            let kind = request["d"]["requestType"].as_str().unwrap().to_owned();
                            log.lock().unwrap().push((kind.clone(), request["d"].get("requestData").cloned()));
                            let (status, data) = match answers.get(kind.as_str()) {
                                Some(Ok(data)) => (json!({ "result": true, "code": 100 }), Some(data.clone())),
                                Some(Err((code, comment))) => (json!({ "result": false, "code": code, "comment": comment }), None),
                                None => (json!({ "result": false, "code": 204, "comment": "unknown request" }), None),
                            };
                            let mut d = json!({
                                "requestType": kind, "requestId": request["d"]["requestId"], "requestStatus": status,
                            });
                            if let Some(data) = data {
                                d["responseData"] = data;
                            }
                            let _ = ws.send(envelope(7, d)).await;
                        }
                        push = pushed.recv() => match push {
                            Some(Push::Event(kind, data)) => {
                                let event = json!({ "eventType": kind, "eventIntent": 64, "eventData": data });
                                let _ = ws.send(envelope(5, event)).await;
                            }
                            Some(Push::Close(code)) => {
                                let _ = ws.close(Some(close(code, "closed by the test"))).await;
                                break;
                            }
                            Some(Push::Drop) | None => break,
                        },
                    }
                }
            }
        });
        FakeObs { port, asked, push }
    }

    pub fn push(&self, push: Push) {
        self.push.send(push).unwrap();
    }
}

fn envelope(op: u8, d: Value) -> Message {
    Message::text(json!({ "op": op, "d": d }).to_string())
}

fn close(code: u16, reason: &'static str) -> CloseFrame {
    CloseFrame {
        code: CloseCode::from(code),
        reason: reason.into(),
    }
}

/// The answers OBS 29.0.2 with obs-websocket 5.1.0 gives, as seen on the wire.
pub fn obs_29_answers() -> HashMap<&'static str, Answer> {
    HashMap::from([
        (
            "GetVersion",
            Ok(json!({
                "obsVersion": "29.0.2", "obsWebSocketVersion": "5.1.0", "rpcVersion": 1,
                "availableRequests": [], "supportedImageFormats": [], "platform": "ubuntu",
                "platformDescription": "Debian GNU/Linux 12 (bookworm)"
            })),
        ),
        (
            "GetStreamStatus",
            Ok(json!({
                "outputActive": true, "outputReconnecting": false, "outputTimecode": "00:00:10.000",
                "outputDuration": 10000, "outputCongestion": null, "outputBytes": 123456,
                "outputSkippedFrames": 3, "outputTotalFrames": 100
            })),
        ),
        (
            "StartStream",
            Err((500, "Streaming is already active.".to_owned())),
        ),
        ("StopStream", Ok(Value::Null)),
        (
            "GetStreamServiceSettings",
            Ok(json!({
                "streamServiceType": "rtmp_custom",
                "streamServiceSettings": { "server": "rtmp://old.example/live", "key": "old-key", "use_auth": false }
            })),
        ),
        ("SetStreamServiceSettings", Ok(Value::Null)),
    ])
}
