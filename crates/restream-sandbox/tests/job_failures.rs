//! When a job goes wrong: a destination fails and is retried on its own, a publisher session that
//! is offline or mute fails the job with the contract's codes, and the admin surface fails or ends
//! a job (after which stop changes nothing).

mod common;

use common::{Fixture, expect_error};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

#[tokio::test]
async fn retry_restarts_one_failed_destination() {
    let f = Fixture::start().await;
    let job = f.running_job(&["twitch", "kick"]).await;
    let id = job["id"].as_str().unwrap();
    let failed: Value = f
        .admin(Method::POST, &format!("/sandbox/jobs/{id}/broadcasts/kick/fail"))
        .json(&json!({ "code": "platform_rejected", "message": "Kick refused the stream key" }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(failed["broadcasts"][1]["status"], "failed");
    assert_eq!(failed["broadcasts"][1]["error"]["code"], "platform_rejected");

    let retried: Value = f
        .pk(Method::POST, &format!("/api/v1/jobs/{id}/broadcasts/kick/retry"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(retried["broadcasts"][1]["status"], "connecting");
    assert!(retried["broadcasts"][1].get("error").is_none());
    assert_eq!(
        retried["broadcasts"][0]["status"], "live",
        "the others are untouched"
    );
    let live = f
        .wait_for_job(id, |j| j["broadcasts"][1]["status"] == "live")
        .await;
    assert_eq!(live["status"], "running");

    let not_destination = f
        .pk(
            Method::POST,
            &format!("/api/v1/jobs/{id}/broadcasts/youtube/retry"),
        )
        .send()
        .await
        .unwrap();
    expect_error(
        not_destination,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_request",
    )
    .await;
    let unknown = f
        .pk(
            Method::POST,
            &format!("/api/v1/jobs/{id}/broadcasts/myspace/retry"),
        )
        .send()
        .await
        .unwrap();
    expect_error(unknown, StatusCode::NOT_FOUND, "unknown_platform").await;

    f.pk(Method::POST, &format!("/api/v1/jobs/{id}/stop"))
        .send()
        .await
        .unwrap();
    let stopping = f
        .pk(Method::POST, &format!("/api/v1/jobs/{id}/broadcasts/kick/retry"))
        .send()
        .await
        .unwrap();
    expect_error(stopping, StatusCode::CONFLICT, "job_not_active").await;
}

#[tokio::test]
async fn session_faults_fail_the_job_with_the_contract_codes() {
    let f = Fixture::start().await;
    f.connect("twitch").await;
    for (session, fault, body_extra, code) in [
        (
            "offline",
            json!({ "live": false, "audio": true }),
            json!({}),
            Some("session_not_live"),
        ),
        (
            "mute",
            json!({ "live": true, "audio": false }),
            json!({}),
            Some("no_audio_track"),
        ),
        (
            "mute",
            json!({ "live": true, "audio": false }),
            json!({ "trackNames": ["video"] }),
            None,
        ),
    ] {
        let set = f
            .admin(Method::PUT, &format!("/sandbox/sessions/{session}"))
            .json(&fault)
            .send()
            .await
            .unwrap();
        assert_eq!(set.status(), StatusCode::NO_CONTENT);
        let mut body = json!({ "publisherSessionId": session, "destinations": ["twitch"] });
        body.as_object_mut()
            .unwrap()
            .extend(body_extra.as_object().unwrap().clone());
        let job: Value = f.go_live(body).await.json().await.unwrap();
        let settled = f
            .wait_for_job(job["id"].as_str().unwrap(), |j| j["status"] != "queued")
            .await;
        match code {
            Some(code) => {
                assert_eq!(settled["status"], "failed");
                assert_eq!(settled["error"]["code"], code);
            }
            None => assert_eq!(settled["status"], "running", "video only needs no audio"),
        }
    }
}

#[tokio::test]
async fn admin_can_fail_or_end_a_job() {
    let f = Fixture::start().await;
    let job = f.running_job(&["twitch"]).await;
    let id = job["id"].as_str().unwrap();
    let ended: Value = f
        .admin(Method::POST, &format!("/sandbox/jobs/{id}/end"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(ended["status"], "ended");
    assert_eq!(ended["broadcasts"][0]["status"], "stopped");
    let job = f.running_job(&["twitch"]).await;
    let id = job["id"].as_str().unwrap();
    let failed: Value = f
        .admin(Method::POST, &format!("/sandbox/jobs/{id}/fail"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(failed["status"], "failed");
    assert_eq!(failed["error"]["code"], "internal");
    let stop = f
        .pk(Method::POST, &format!("/api/v1/jobs/{id}/stop"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        stop.json::<Value>().await.unwrap()["status"],
        "failed",
        "stop of a failed job is a no-op"
    );
}

#[tokio::test]
async fn an_injected_failure_uses_the_contracts_codes_only() {
    let f = Fixture::start().await;
    let job = f.running_job(&["twitch"]).await;
    let id = job["id"].as_str().unwrap();
    let refused = f
        .admin(
            Method::POST,
            &format!("/sandbox/jobs/{id}/broadcasts/twitch/fail"),
        )
        .json(&json!({ "code": "made_up" }))
        .send()
        .await
        .unwrap();
    let message = expect_error(refused, StatusCode::UNPROCESSABLE_ENTITY, "invalid_request").await;
    assert!(
        message.contains("platform_rejected") && message.contains("made_up"),
        "{message}"
    );
    let refused = f
        .admin(Method::POST, &format!("/sandbox/jobs/{id}/fail"))
        .json(&json!({ "code": "" }))
        .send()
        .await
        .unwrap();
    expect_error(refused, StatusCode::UNPROCESSABLE_ENTITY, "invalid_request").await;
    // Refused before anything changed: the job still runs.
    assert_eq!(f.job(id).await["status"], "running");
}
