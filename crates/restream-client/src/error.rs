use serde::{Deserialize, Serialize};

/// The part of the studio an error belongs to. An error is shown while its concern keeps failing
/// and cleared the next time that concern succeeds, so the window never shows one that is no
/// longer true.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub enum Concern {
    /// Reaching the service at all (no answer, or 503): any answer from it clears this.
    Service,
    /// Going live, stopping, destinations, banners, and following the job.
    Job,
    /// Sending chat.
    Chat,
    /// Viewer counts.
    Viewers,
    /// Platforms and linked accounts.
    Connections,
    /// Signing in.
    SignIn,
}

impl Concern {
    /// Who owns `error` that an unattended call of `raised_by` got: an unreachable service is
    /// the service's concern, whatever poll found it out.
    pub fn owning(error: &ApiError, raised_by: Concern) -> Concern {
        if error.code == codes::SIGN_IN_REQUIRED {
            Concern::SignIn
        } else if error.code == codes::NETWORK || error.code == codes::TIMEOUT || error.status == 503 {
            Concern::Service
        } else {
            raised_by
        }
    }
}

/// A failed call to the service, as the contract reports it: the HTTP `status` (0 when no answer
/// arrived: network failure or timeout), the service's `code` and its `message`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{message} ({code}, status {status})")]
pub struct ApiError {
    /// The HTTP status; 0 when no answer arrived.
    pub status: u16,
    /// The service's snake_case code, or one of [`codes`] when the client made the error.
    pub code: String,
    /// Human-readable detail from the service (or the client).
    pub message: String,
    /// How long the service asked to wait (`Retry-After`, on 429 and 503).
    #[serde(skip)]
    pub retry_after: Option<std::time::Duration>,
    /// The concern the studio filed it under (its events say when it clears); `None` until filed.
    #[serde(skip)]
    pub concern: Option<Concern>,
}

/// A streamer-facing explanation: what went wrong and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Advice {
    /// What went wrong.
    pub cause: String,
    /// What the streamer can do about it.
    pub fix: String,
}

/// Codes the client itself produces when no contract error body is available.
pub mod codes {
    /// The request could not be sent or the connection broke (status 0).
    pub const NETWORK: &str = "network";
    /// No complete answer within the request deadline (status 0).
    pub const TIMEOUT: &str = "timeout";
    /// The answer was not the contract's JSON (wrong shape, or not JSON at all).
    pub const UNEXPECTED_RESPONSE: &str = "unexpected_response";
    /// The answer exceeded the client's size limit.
    pub const RESPONSE_TOO_LARGE: &str = "response_too_large";
    /// Token mode: the operator refused to renew the sign-in.
    pub const SIGN_IN_REQUIRED: &str = "sign_in_required";
    /// A connect flow's outcome the client decided (denied, expired, cancelled, timed out).
    pub const CONNECT_FAILED: &str = "connect_failed";
    /// v1.1: the service offers no chat moderation (a v1 service), or none on that platform.
    pub const MODERATION_NOT_OFFERED: &str = "moderation_not_offered";
    /// v1.1: the platform does not let apps do that moderation (the service's code, also used
    /// when the client knows it before asking).
    pub const ACTION_NOT_SUPPORTED: &str = "action_not_supported";
    /// v1.1: the comment or author to moderate is not in the streamer's chat on that platform
    /// (the service's 404 on `/chat/moderation`).
    pub const MODERATION_TARGET_GONE: &str = "moderation_target_gone";
}

impl ApiError {
    /// An error with no `Retry-After`.
    pub fn new(status: u16, code: impl Into<String>, message: impl Into<String>) -> Self {
        ApiError {
            status,
            code: code.into(),
            message: message.into(),
            retry_after: None,
            concern: None,
        }
    }

    /// Adds the service's `Retry-After`.
    pub fn with_retry_after(mut self, retry_after: Option<std::time::Duration>) -> Self {
        self.retry_after = retry_after;
        self
    }

    pub(crate) fn network(message: impl Into<String>) -> Self {
        Self::new(0, codes::NETWORK, message)
    }

    pub(crate) fn timeout(seconds: u64) -> Self {
        Self::new(0, codes::TIMEOUT, format!("No answer within {seconds} s"))
    }

    /// Whether no answer arrived at all (the seed's status 0).
    pub fn is_network(&self) -> bool {
        self.status == 0
    }

    /// Cause and fix in a streamer's words, after the seed's troubleshooting table.
    pub fn advice(&self) -> Advice {
        let advice = |cause: &str, fix: &str| Advice {
            cause: cause.to_owned(),
            fix: fix.to_owned(),
        };
        match self.code.as_str() {
            codes::NETWORK => advice(
                "Can't reach the Restream Service.",
                "Check the API base in settings and your internet connection, then try again.",
            ),
            codes::TIMEOUT => advice(
                "The Restream Service did not answer in time.",
                "Check your connection. If the service is slow right now, try again in a moment.",
            ),
            codes::UNEXPECTED_RESPONSE => advice(
                "The API base answered, but not like a Restream Service.",
                "Check the API base in settings: it is the service's address alone, e.g. https://restream.example.com.",
            ),
            codes::RESPONSE_TOO_LARGE => advice(
                "The service sent an answer larger than the studio accepts.",
                "Check the API base points at your Restream Service; if it does, report this to your operator.",
            ),
            "missing_credential" | "invalid_credential" => advice(
                "The service refused this studio's credential.",
                "Check the publishable key and user id in settings, or sign in again.",
            ),
            codes::SIGN_IN_REQUIRED => advice(
                "Your sign-in ended (it expired or was revoked).",
                "Sign in again; your stream, if any, keeps running on the service.",
            ),
            "token_expired" => advice("Your sign-in expired and could not be renewed.", "Sign in again."),
            "origin_not_allowed" => advice(
                "This app's origin isn't on the key's allowlist.",
                "Ask your Restream Service operator to add the studio's origin to the key's allowed origins.",
            ),
            "missing_scope" => Advice {
                cause: format!("{}.", self.message.trim_end_matches('.')),
                fix:
                    "Ask your operator to add that scope (connect, restream, read, chat:write or chat:moderate) to the key."
                        .to_owned(),
            },
            "host_not_allowed" => advice(
                "The service refused the address it was reached at.",
                "Use the address the service printed when it started (127.0.0.1 and its port).",
            ),
            "not_found" | "method_not_allowed" => advice(
                "The service does not know this request.",
                "Check the API base in settings points at a Restream Service, with no path after the address.",
            ),
            "superseded" => advice(
                "A newer go-live took over this stream.",
                "That is expected: one live stream per streamer. The newer stream is the one running now.",
            ),
            "session_not_live" | "not_live" => advice(
                "The publisher session isn't live.",
                "Start streaming from your encoder first, then go live with that session id.",
            ),
            "no_audio_track" => advice(
                "Your session has no audio track.",
                "Turn on “Video only” (track names: video) and go live again.",
            ),
            codes::MODERATION_NOT_OFFERED => advice(
                "Your Restream Service does not offer chat moderation here.",
                "Moderate on the platform itself, or ask your operator to turn moderation on.",
            ),
            codes::ACTION_NOT_SUPPORTED => Advice {
                cause: format!("{}.", self.message.trim_end_matches('.')),
                fix: "Use an action that platform offers, or moderate on the platform itself.".to_owned(),
            },
            codes::MODERATION_TARGET_GONE => advice(
                "That comment or author is no longer in your chat on that platform.",
                "Nothing to do: it may have been removed already or aged out of the chat.",
            ),
            "rate_limited" => advice(
                "The service asked the studio to slow down.",
                "Wait a moment; the studio retries on its own.",
            ),
            _ if self.status >= 500 => advice(
                "The Restream Service had a problem.",
                "Try again in a moment; if it keeps happening, tell your operator.",
            ),
            _ => Advice {
                cause: self.message.clone(),
                fix: "Try again. If it keeps happening, give your operator this status and code.".to_owned(),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_known_code_has_specific_advice() {
        let generic = ApiError::new(418, "teapot", "x").advice().fix;
        for code in [
            codes::NETWORK,
            codes::TIMEOUT,
            codes::UNEXPECTED_RESPONSE,
            codes::RESPONSE_TOO_LARGE,
            codes::SIGN_IN_REQUIRED,
            "missing_credential",
            "invalid_credential",
            "token_expired",
            "origin_not_allowed",
            "missing_scope",
            "host_not_allowed",
            "not_found",
            "superseded",
            "session_not_live",
            "not_live",
            "no_audio_track",
            "rate_limited",
            codes::MODERATION_NOT_OFFERED,
            codes::ACTION_NOT_SUPPORTED,
            codes::MODERATION_TARGET_GONE,
        ] {
            let advice = ApiError::new(400, code, "Missing required scope: read").advice();
            assert_ne!(advice.fix, generic, "{code} falls back to generic advice");
            assert!(!advice.cause.is_empty());
        }
    }

    #[test]
    fn missing_scope_names_the_scope() {
        let advice = ApiError::new(403, "missing_scope", "Missing required scope: read").advice();
        assert_eq!(advice.cause, "Missing required scope: read.");
    }
}
