//! v1.1 moderation as a studio action. It is offered exactly when `GET /platforms` carries
//! `moderation`; against a v1 service the studio says "not offered" without asking, and an action
//! a platform does not allow is refused before it is sent. What was done comes back on the chat
//! stream as a `moderation` event, in order with the comments, and that is what changes the feed.

use reqwest::Method;

use crate::error::{ApiError, Concern, codes};
use crate::moderation::{ModerationAction, ModerationRequest, ModerationResult};
use crate::platforms::{Platform, PlatformInfo};

use super::handle::Studio;
use super::state::lock;

impl Studio {
    /// What the operator's app may moderate on `platform`; `None` where moderation is not
    /// offered. From the last `GET /platforms`, read now if the studio never read it.
    pub async fn moderation_offered(
        &self,
        platform: Platform,
    ) -> Result<Option<Vec<ModerationAction>>, ApiError> {
        let list = self.platform_list().await?;
        Ok(offered_on(&list, platform).map(|(_, actions)| actions))
    }

    /// The last `GET /platforms` answer, or a fresh one if the studio never read it. A failure is
    /// filed by `platforms`, where the window already shows such failures.
    async fn platform_list(&self) -> Result<Vec<PlatformInfo>, ApiError> {
        let known = lock(&self.inner.state).platforms.clone();
        match known {
            Some(list) => Ok(list),
            None => self.platforms().await,
        }
    }

    /// `POST /chat/moderation`: delete a comment, or time out, ban or unban an author.
    pub async fn moderate(&self, request: ModerationRequest) -> Result<ModerationResult, ApiError> {
        let list = self.platform_list().await?;
        if let Err(refused) = allowed(&list, &request) {
            return Err(self.fail(Concern::Chat, refused));
        }
        let body = serde_json::to_value(&request)
            .map_err(|e| ApiError::new(0, "client_setup", format!("Could not write the request: {e}")))?;
        match self
            .inner
            .api
            .call::<ModerationResult>(Method::POST, "/chat/moderation", Some(&body), &[])
            .await
        {
            Ok((_, result)) => {
                self.succeeded(Concern::Chat);
                Ok(result)
            }
            // Where moderation is offered, a 404 always means the comment or author, never the
            // route: said as such, not as "the service does not know this request".
            Err(e) if e.status == 404 => {
                let gone = ApiError::new(404, codes::MODERATION_TARGET_GONE, e.message);
                Err(self.fail(Concern::Chat, gone))
            }
            Err(e) => Err(self.fail(Concern::Chat, e)),
        }
    }
}

fn offered_on(list: &[PlatformInfo], platform: Platform) -> Option<(&str, Vec<ModerationAction>)> {
    list.iter()
        .find(|p| p.platform == platform)
        .and_then(|p| Some((p.display_name.as_str(), p.moderation.clone()?)))
}

/// Whether `request` may be sent, as far as `GET /platforms` says.
fn allowed(list: &[PlatformInfo], request: &ModerationRequest) -> Result<(), ApiError> {
    let Some((name, actions)) = offered_on(list, request.platform) else {
        return Err(ApiError::new(
            0,
            codes::MODERATION_NOT_OFFERED,
            "This Restream Service does not offer chat moderation",
        ));
    };
    if actions.contains(&request.action) {
        return Ok(());
    }
    let offers = if actions.is_empty() {
        "nothing".to_owned()
    } else {
        actions.iter().map(|a| a.as_str()).collect::<Vec<_>>().join(", ")
    };
    Err(ApiError::new(
        0,
        codes::ACTION_NOT_SUPPORTED,
        format!(
            "{name} does not let apps {} in chat; it offers {offers}",
            request.action.as_str()
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info(platform: Platform, name: &str, moderation: Option<Vec<ModerationAction>>) -> PlatformInfo {
        PlatformInfo {
            platform,
            enabled: true,
            display_name: name.to_owned(),
            moderation,
        }
    }

    #[test]
    fn only_what_the_platform_offers_is_sent() {
        use ModerationAction::*;
        let list = [
            info(
                Platform::Twitch,
                "Twitch",
                Some(vec![Delete, Timeout, Ban, Unban]),
            ),
            info(Platform::Instagram, "Instagram", Some(vec![Delete])),
            info(Platform::Kick, "Kick", None),
        ];
        assert!(allowed(&list, &ModerationRequest::ban(Platform::Twitch, "a")).is_ok());
        assert!(allowed(&list, &ModerationRequest::delete(Platform::Instagram, "c")).is_ok());
        let refused = allowed(&list, &ModerationRequest::timeout(Platform::Instagram, "a", 60)).unwrap_err();
        assert_eq!(refused.code, codes::ACTION_NOT_SUPPORTED);
        assert_eq!(
            refused.message,
            "Instagram does not let apps timeout in chat; it offers delete"
        );
        let v1 = allowed(&list, &ModerationRequest::delete(Platform::Kick, "c")).unwrap_err();
        assert_eq!(v1.code, codes::MODERATION_NOT_OFFERED);
        let unknown = allowed(&list, &ModerationRequest::delete(Platform::Youtube, "c")).unwrap_err();
        assert_eq!(unknown.code, codes::MODERATION_NOT_OFFERED);
    }
}
