//! Chat as the platforms' side of the world makes it, and moderation as a moderator on a
//! platform does it: through the sandbox's admin surface. And what the studio holds of a comment.

use anyhow::Result;
use reqwest::Method;
use serde_json::{Value, json};

use super::launch::AppSession;
use super::page::string_list;
use super::service::{Service, admin, current_job};
use super::wait::eventually;

/// Audience comments on the current job: `count` from `author` on `platform`, saying `message`.
pub async fn say(service: &Service, platform: &str, author: &str, message: &str) -> Result<Vec<String>> {
    let job = current_job(service.ready()).await?;
    let answer = admin(
        service.ready(),
        Method::POST,
        &format!(
            "/sandbox/jobs/{}/comments",
            job["id"].as_str().unwrap_or_default()
        ),
        json!({ "count": 1, "platform": platform, "author": author, "message": message }),
    )
    .await?;
    Ok(string_list(&answer["ids"]))
}

/// A moderator acts on the platform itself.
pub async fn platform_moderator(service: &Service, action: Value) -> Result<()> {
    let mut body = action;
    body["userId"] = json!(service.ready().user_id.clone().unwrap_or_default());
    admin(service.ready(), Method::POST, "/sandbox/moderation", body).await?;
    Ok(())
}

/// The ids the sandbox stores for the current job: a deleted comment is no longer among them.
pub async fn stored_ids(service: &Service) -> Result<Vec<String>> {
    let job = current_job(service.ready()).await?;
    let stored = admin(
        service.ready(),
        Method::GET,
        &format!(
            "/sandbox/jobs/{}/comments",
            job["id"].as_str().unwrap_or_default()
        ),
        json!(null),
    )
    .await?;
    Ok(string_list(&stored["ids"]))
}

/// The author id the studio holds for comment `id`.
pub async fn author_of(app: &AppSession, id: &str) -> Result<String> {
    eventually("the comment in the studio", || async {
        let snapshot = app.call_from_page("studio_snapshot", json!({})).await?;
        Ok(snapshot["comments"]
            .as_array()
            .and_then(|all| all.iter().find(|c| c["id"] == id))
            .and_then(|c| c["authorId"].as_str().map(str::to_owned)))
    })
    .await
}
