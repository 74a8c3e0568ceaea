use serde::{Deserialize, Serialize};

use crate::error::ApiError;
use crate::http::decode_json;

/// A platform the service can restream to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "lowercase")]
pub enum Platform {
    /// `twitch`
    Twitch,
    /// `kick`
    Kick,
    /// `youtube`
    Youtube,
    /// `facebook`
    Facebook,
    /// `instagram`
    Instagram,
}

impl Platform {
    /// Every platform the contract knows, in a fixed order.
    pub const ALL: [Platform; 5] = [
        Platform::Twitch,
        Platform::Kick,
        Platform::Youtube,
        Platform::Facebook,
        Platform::Instagram,
    ];

    /// The wire name, as in paths and bodies.
    pub fn as_str(self) -> &'static str {
        match self {
            Platform::Twitch => "twitch",
            Platform::Kick => "kick",
            Platform::Youtube => "youtube",
            Platform::Facebook => "facebook",
            Platform::Instagram => "instagram",
        }
    }

    /// The platform with wire name `name`, if any (exact, lowercase).
    pub fn parse(name: &str) -> Option<Platform> {
        Platform::ALL.into_iter().find(|p| p.as_str() == name)
    }
}

/// One entry of `GET /platforms`: whether the operator enabled it for this client.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct PlatformInfo {
    /// The platform this entry is about.
    pub platform: Platform,
    /// Whether the operator enabled it for this client: only then can it be a destination.
    pub enabled: bool,
    /// The name to show, e.g. `YouTube`.
    pub display_name: String,
}

#[derive(Deserialize)]
struct PlatformList {
    platforms: Vec<PlatformInfo>,
}

/// Decodes a successful `GET /platforms` body.
pub(crate) fn decode_platforms(body: &[u8]) -> Result<Vec<PlatformInfo>, ApiError> {
    decode_json::<PlatformList>(body).map(|list| list.platforms)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_the_contract_shape() {
        let body = br#"{"platforms":[{"platform":"twitch","enabled":true,"displayName":"Twitch"},
            {"platform":"youtube","enabled":false,"displayName":"YouTube"}]}"#;
        let list = decode_platforms(body).unwrap();
        assert_eq!(list.len(), 2);
        assert_eq!(list[1].platform, Platform::Youtube);
        assert!(!list[1].enabled);
    }

    #[test]
    fn an_unknown_platform_is_an_unexpected_response() {
        let body = br#"{"platforms":[{"platform":"myspace","enabled":true,"displayName":"MySpace"}]}"#;
        assert_eq!(decode_platforms(body).unwrap_err().code, "unexpected_response");
    }
}
