//! obs-websocket v5's messages as the studio reads and writes them: the `{op, d}` envelope, the
//! handshake, requests and their answers, events, and the close codes that mean something to a
//! streamer. Fields the studio does not need are not read, so a newer obs-websocket that adds
//! some still decodes.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};

pub const HELLO: u8 = 0;
pub const IDENTIFY: u8 = 1;
pub const IDENTIFIED: u8 = 2;
pub const EVENT: u8 = 5;
pub const REQUEST: u8 = 6;
pub const REQUEST_RESPONSE: u8 = 7;

/// The only RPC version there is.
pub const RPC_VERSION: u32 = 1;
/// Event subscription bit for outputs (`StreamStateChanged`).
pub const SUBSCRIBE_OUTPUTS: u32 = 1 << 6;
/// The oldest obs-websocket the studio speaks to: 5.1.0 added the stream's `RECONNECTING` state.
pub const MIN_WEBSOCKET_VERSION: (u32, u32, u32) = (5, 1, 0);

/// Close code: the password was wrong, or one was needed and none came.
pub const CLOSE_AUTHENTICATION_FAILED: u16 = 4009;
/// Close code: this RPC version is not spoken.
pub const CLOSE_UNSUPPORTED_RPC_VERSION: u16 = 4010;

#[derive(Debug, Deserialize, Serialize)]
pub struct Envelope {
    pub op: u8,
    pub d: Value,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Hello {
    pub obs_web_socket_version: String,
    pub rpc_version: u32,
    #[serde(default)]
    pub authentication: Option<Challenge>,
}

#[derive(Debug, Deserialize)]
pub struct Challenge {
    pub challenge: String,
    pub salt: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Identify {
    pub rpc_version: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authentication: Option<String>,
    pub event_subscriptions: u32,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Request<'a> {
    pub request_type: &'a str,
    pub request_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_data: Option<Value>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RequestStatus {
    pub result: bool,
    pub code: u32,
    #[serde(default)]
    pub comment: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Response {
    pub request_type: String,
    pub request_id: String,
    pub request_status: RequestStatus,
    #[serde(default)]
    pub response_data: Option<Value>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Event {
    pub event_type: String,
    #[serde(default)]
    pub event_data: Option<Value>,
}

/// obs-websocket's authentication string: `b64(sha256(b64(sha256(password + salt)) + challenge))`.
pub fn auth_string(password: &str, salt: &str, challenge: &str) -> String {
    let secret = STANDARD.encode(Sha256::digest(format!("{password}{salt}").as_bytes()));
    STANDARD.encode(Sha256::digest(format!("{secret}{challenge}").as_bytes()))
}

/// `5.1.0` as numbers; anything unreadable counts as 0.0.0 (too old).
pub fn version_numbers(version: &str) -> (u32, u32, u32) {
    let mut parts = version
        .split(['.', '-', '+'])
        .map(|p| p.parse::<u32>().unwrap_or(0));
    (
        parts.next().unwrap_or(0),
        parts.next().unwrap_or(0),
        parts.next().unwrap_or(0),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_authentication_string_is_the_one_obs_websocket_documents() {
        // The worked example of obs-websocket's protocol document.
        assert_eq!(
            auth_string(
                "supersecretpassword",
                "lM1GncleQOaCu9lT1yeUZhFYnqhsLLP1G5lAGo3ixaI=",
                "+IxH4CnCiqpX1rM9scsNynZzbOe4KhDeYcTNS3PDaeY="
            ),
            "1Ct943GAT+6YQUUX47Ia/ncufilbe6+oD6lY+5kaCu4="
        );
    }

    #[test]
    fn versions_compare_as_numbers() {
        assert!(version_numbers("5.1.0") >= MIN_WEBSOCKET_VERSION);
        assert!(version_numbers("5.10.2") > version_numbers("5.9.9"));
        assert!(version_numbers("5.0.1") < MIN_WEBSOCKET_VERSION);
        assert!(version_numbers("garbage") < MIN_WEBSOCKET_VERSION);
        assert_eq!(version_numbers("5.5.0-beta1"), (5, 5, 0));
    }
}
