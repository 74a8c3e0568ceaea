use serde::{Deserialize, Serialize};

/// The five platforms the contract knows, in the order the service lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Platform {
    Twitch,
    Kick,
    Youtube,
    Facebook,
    Instagram,
}

impl Platform {
    pub const ALL: [Platform; 5] = [
        Platform::Twitch,
        Platform::Kick,
        Platform::Youtube,
        Platform::Facebook,
        Platform::Instagram,
    ];

    /// The wire name, as used in paths, bodies and the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Platform::Twitch => "twitch",
            Platform::Kick => "kick",
            Platform::Youtube => "youtube",
            Platform::Facebook => "facebook",
            Platform::Instagram => "instagram",
        }
    }

    pub fn display_name(self) -> &'static str {
        match self {
            Platform::Twitch => "Twitch",
            Platform::Kick => "Kick",
            Platform::Youtube => "YouTube",
            Platform::Facebook => "Facebook",
            Platform::Instagram => "Instagram",
        }
    }

    pub fn parse(name: &str) -> Option<Platform> {
        Platform::ALL.into_iter().find(|p| p.as_str() == name)
    }
}

/// A platform named in a path: 404 `unknown_platform` for anything outside the five.
pub fn from_path(name: &str) -> Result<Platform, crate::api_error::ApiError> {
    Platform::parse(name).ok_or_else(|| crate::api_error::ApiError::unknown_platform(name))
}
