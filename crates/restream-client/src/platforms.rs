use serde::{Deserialize, Deserializer, Serialize};

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

    /// The platform's own name, as streamers write it (the same in every language).
    pub fn display_name(self) -> &'static str {
        match self {
            Platform::Twitch => "Twitch",
            Platform::Kick => "Kick",
            Platform::Youtube => "YouTube",
            Platform::Facebook => "Facebook",
            Platform::Instagram => "Instagram",
        }
    }

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

/// v1.1: something a platform lets an app do in its chat.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "lowercase")]
pub enum ModerationAction {
    /// Remove one comment.
    Delete,
    /// Keep an author out of the chat for a while.
    Timeout,
    /// Keep an author out of the chat until unbanned.
    Ban,
    /// Lift a ban or a time-out.
    Unban,
}

impl ModerationAction {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            ModerationAction::Delete => "delete",
            ModerationAction::Timeout => "timeout",
            ModerationAction::Ban => "ban",
            ModerationAction::Unban => "unban",
        }
    }
}

/// Reads a platform's `moderation` list, keeping the actions this client knows: a newer service
/// may offer more, and those must not make the whole platform list unreadable.
fn known_actions<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Vec<ModerationAction>>, D::Error> {
    let names = Option::<Vec<String>>::deserialize(deserializer)?;
    Ok(names.map(|names| {
        names
            .iter()
            .filter_map(|name| serde_json::from_value(serde_json::Value::String(name.clone())).ok())
            .collect()
    }))
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
    /// v1.1: what moderation the operator's app may do in this platform's chat; `None` where the
    /// service offers no moderation (a v1 service). Actions this client does not know are left out.
    #[serde(
        default,
        deserialize_with = "known_actions",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "specta", specta(type = Option<Vec<ModerationAction>>))]
    pub moderation: Option<Vec<ModerationAction>>,
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
    fn moderation_is_read_where_offered_and_actions_from_a_newer_service_are_left_out() {
        use ModerationAction::*;
        let body = br#"{"platforms":[
            {"platform":"twitch","enabled":true,"displayName":"Twitch","moderation":["delete","timeout","ban","unban"]},
            {"platform":"facebook","enabled":true,"displayName":"Facebook","moderation":["delete","shadowban","ban"]},
            {"platform":"instagram","enabled":true,"displayName":"Instagram","moderation":[]},
            {"platform":"kick","enabled":true,"displayName":"Kick"}]}"#;
        let list = decode_platforms(body).unwrap();
        assert_eq!(list[0].moderation, Some(vec![Delete, Timeout, Ban, Unban]));
        assert_eq!(list[1].moderation, Some(vec![Delete, Ban]));
        assert_eq!(list[2].moderation, Some(vec![]));
        assert_eq!(list[3].moderation, None, "a v1 service offers none");
    }

    #[test]
    fn an_unknown_platform_is_an_unexpected_response() {
        let body = br#"{"platforms":[{"platform":"myspace","enabled":true,"displayName":"MySpace"}]}"#;
        assert_eq!(decode_platforms(body).unwrap_err().code, "unexpected_response");
    }
}
