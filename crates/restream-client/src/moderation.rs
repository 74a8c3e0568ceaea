//! v1.1 chat moderation as the service describes it: what each platform lets the operator's app
//! do, a request to do it, what was done, and the `moderation` events of the chat stream.

use serde::{Deserialize, Serialize};

pub use crate::platforms::ModerationAction;
use crate::platforms::Platform;

/// The longest time-out the contract allows: 14 days.
pub const MAX_TIMEOUT_SECONDS: u32 = 1_209_600;

/// A request to moderate (`POST /chat/moderation`). Build it with [`delete`](Self::delete),
/// [`timeout`](Self::timeout), [`ban`](Self::ban) or [`unban`](Self::unban).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct ModerationRequest {
    /// What to do.
    pub action: ModerationAction,
    /// Where.
    pub platform: Platform,
    /// The comment, for `delete`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment_id: Option<String>,
    /// The author, for `timeout`, `ban` and `unban`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author_id: Option<String>,
    /// How long, for `timeout`: 1 s to 14 days.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_seconds: Option<u32>,
    /// Why, passed to the platform where it keeps one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

impl ModerationRequest {
    fn new(action: ModerationAction, platform: Platform) -> Self {
        ModerationRequest {
            action,
            platform,
            comment_id: None,
            author_id: None,
            duration_seconds: None,
            reason: None,
        }
    }

    /// Delete comment `comment_id` on `platform`.
    pub fn delete(platform: Platform, comment_id: impl Into<String>) -> Self {
        ModerationRequest {
            comment_id: Some(comment_id.into()),
            ..Self::new(ModerationAction::Delete, platform)
        }
    }

    /// Keep `author_id` out of `platform`'s chat for `seconds`.
    pub fn timeout(platform: Platform, author_id: impl Into<String>, seconds: u32) -> Self {
        ModerationRequest {
            author_id: Some(author_id.into()),
            duration_seconds: Some(seconds),
            ..Self::new(ModerationAction::Timeout, platform)
        }
    }

    /// Keep `author_id` out of `platform`'s chat until unbanned.
    pub fn ban(platform: Platform, author_id: impl Into<String>) -> Self {
        ModerationRequest {
            author_id: Some(author_id.into()),
            ..Self::new(ModerationAction::Ban, platform)
        }
    }

    /// Lift `author_id`'s ban or time-out on `platform`.
    pub fn unban(platform: Platform, author_id: impl Into<String>) -> Self {
        ModerationRequest {
            author_id: Some(author_id.into()),
            ..Self::new(ModerationAction::Unban, platform)
        }
    }

    /// With a reason for the platform.
    pub fn because(mut self, reason: impl Into<String>) -> Self {
        self.reason = Some(reason.into());
        self
    }
}

/// What the service did (`POST /chat/moderation`'s answer).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct ModerationResult {
    /// What was done.
    pub action: ModerationAction,
    /// Where.
    pub platform: Platform,
    /// The comment, for `delete`.
    #[serde(default)]
    pub comment_id: Option<String>,
    /// The author.
    #[serde(default)]
    pub author_id: Option<String>,
    /// When a time-out ends, in the service's milliseconds since the Unix epoch.
    #[serde(default)]
    #[cfg_attr(feature = "specta", specta(type = Option<u32>))]
    pub until: Option<i64>,
}

/// Who moderated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "lowercase")]
pub enum ModeratedBy {
    /// The streamer, through the service.
    Streamer,
    /// A moderator on the platform itself.
    Platform,
}

/// An SSE `event: moderation`, in the comments' sequence: a deleted comment, or an author timed
/// out, banned or unbanned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct ModerationEvent {
    /// The event's id; also its place in the stream (`Last-Event-ID`).
    pub id: String,
    /// What was done, where, to which comment or author.
    #[serde(flatten)]
    pub outcome: ModerationResult,
    /// Who did it.
    pub by: ModeratedBy,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_carry_only_what_their_action_needs() {
        let ban =
            serde_json::to_value(ModerationRequest::ban(Platform::Kick, "kick-1").because("spam")).unwrap();
        assert_eq!(
            ban,
            serde_json::json!({ "action": "ban", "platform": "kick", "authorId": "kick-1", "reason": "spam" })
        );
        let timeout = serde_json::to_value(ModerationRequest::timeout(Platform::Twitch, "t-1", 600)).unwrap();
        assert_eq!(
            timeout,
            serde_json::json!({ "action": "timeout", "platform": "twitch", "authorId": "t-1", "durationSeconds": 600 })
        );
        let delete = serde_json::to_value(ModerationRequest::delete(Platform::Instagram, "cmt_1")).unwrap();
        assert_eq!(
            delete,
            serde_json::json!({ "action": "delete", "platform": "instagram", "commentId": "cmt_1" })
        );
        let unban = serde_json::to_value(ModerationRequest::unban(Platform::Youtube, "y-1")).unwrap();
        assert_eq!(unban["action"], "unban");
    }
}
