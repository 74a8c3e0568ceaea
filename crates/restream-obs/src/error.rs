//! Why OBS could not be linked or could not do what was asked, in terms a streamer can act on.

/// A failed link or request.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LinkError {
    /// Nothing accepts connections at the address: OBS is not running, or its WebSocket server is
    /// off (Tools → WebSocket Server Settings). The two look the same from outside.
    #[error("nothing answers at {address}: OBS is not running or its WebSocket server is off")]
    NotListening {
        /// `host:port`.
        address: String,
    },
    /// OBS refused the password (or asked for one and none is set).
    #[error("OBS refused the password")]
    WrongPassword {
        /// Whether a password was sent at all.
        password_given: bool,
    },
    /// obs-websocket is older than the studio speaks (5.1), or speaks another RPC version.
    #[error("obs-websocket {websocket_version} is too old: the studio needs 5.1 or newer")]
    TooOld {
        /// What OBS said it runs.
        websocket_version: String,
    },
    /// No answer in time.
    #[error("OBS did not answer in time ({what})")]
    Timeout {
        /// What was waited for.
        what: &'static str,
    },
    /// The connection ended (OBS quit, or closed it with `code`).
    #[error("the connection to OBS ended{}", match code { Some(c) => format!(" ({c}: {reason})"), None => String::new() })]
    Closed {
        /// obs-websocket's close code, when it sent one.
        code: Option<u16>,
        /// Its reason.
        reason: String,
    },
    /// OBS answered a request with a failure (e.g. 500 "output running" while streaming).
    #[error("OBS refused {request}: {code}{}", comment.as_ref().map(|c| format!(" ({c})")).unwrap_or_default())]
    Refused {
        /// The request type.
        request: String,
        /// obs-websocket's status code.
        code: u32,
        /// Its comment.
        comment: Option<String>,
    },
    /// Something that is not obs-websocket's protocol came back.
    #[error("not obs-websocket's protocol: {0}")]
    Protocol(String),
    /// The network failed otherwise.
    #[error("network: {0}")]
    Network(String),
}
