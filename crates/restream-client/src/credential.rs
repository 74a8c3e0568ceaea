use std::fmt;

use secrecy::SecretString;

use crate::operator::OperatorConfig;

/// How the studio proves who it is to the service: exactly one kind, as the contract requires.
#[derive(Clone)]
pub enum Credential {
    /// A publishable key with the streamer's user id and the origin the operator registered for
    /// this client (a desktop app has no browser origin; the default is `tauri://localhost`).
    PublishableKey {
        /// The `pk_…` key, sent as `X-Publishable-Key`.
        key: SecretString,
        /// The streamer, sent as `X-User-Id`.
        user_id: String,
        /// Sent as `Origin`; must be on the key's allowlist.
        origin: String,
    },
    /// A fixed restream token (minted elsewhere); the user id is inside it. It is not renewed.
    Token(SecretString),
    /// Token mode: the streamer signs in with the operator, whose token endpoint mints restream
    /// tokens that the studio renews ahead of expiry and on a 401.
    Operator(Box<OperatorConfig>),
}

impl Credential {
    /// A publishable key acting as `user_id`, from `origin`.
    pub fn publishable_key(
        key: impl Into<String>,
        user_id: impl Into<String>,
        origin: impl Into<String>,
    ) -> Self {
        Credential::PublishableKey {
            key: SecretString::from(key.into()),
            user_id: user_id.into(),
            origin: origin.into(),
        }
    }

    /// A fixed restream token, sent as `Authorization: Bearer`.
    pub fn token(token: impl Into<String>) -> Self {
        Credential::Token(SecretString::from(token.into()))
    }
}

impl fmt::Debug for Credential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Credential::PublishableKey { user_id, origin, .. } => f
                .debug_struct("PublishableKey")
                .field("key", &"[redacted]")
                .field("user_id", user_id)
                .field("origin", origin)
                .finish(),
            Credential::Token(_) => f.write_str("Token([redacted])"),
            Credential::Operator(config) => f.debug_tuple("Operator").field(&config.client_id).finish(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_secret() {
        let pk = Credential::publishable_key("pk_canary_123", "u1", "tauri://localhost");
        let token = Credential::token("tok_canary_456");
        let printed = format!("{pk:?} {token:?}");
        assert!(!printed.contains("canary"), "{printed}");
        assert!(printed.contains("[redacted]"));
    }
}
