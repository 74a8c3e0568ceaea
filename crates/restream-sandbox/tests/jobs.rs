//! Jobs: validation, the status machine on timers, supersede, idempotency, stop, overlay, viewers,
//! ownership and persistence. What happens when a job fails is in `job_failures.rs`.

mod common;

use common::{Fixture, expect_error};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

#[tokio::test]
async fn go_live_runs_and_stop_settles() {
    let f = Fixture::start().await;
    f.connect("twitch").await;
    f.connect("kick").await;
    let response = f
        .go_live(json!({ "publisherSessionId": "sess_1", "destinations": ["twitch", "kick"], "title": "Ranked grind" }))
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let job: Value = response.json().await.unwrap();
    assert_eq!(job["status"], "queued");
    assert_eq!(job["trackNames"], json!(["audio", "video"]));
    assert_eq!(job["recording"], false);
    assert_eq!(job["title"], "Ranked grind");
    assert_eq!(
        job["overlay"],
        json!({ "enabled": true, "htmlBanner": null, "topBanner": null, "bottomBanner": null, "hideTop": false, "hideBottom": false })
    );
    for b in job["broadcasts"].as_array().unwrap() {
        assert_eq!(b["status"], "connecting");
        assert!(
            b["watchUrl"].as_str().unwrap().starts_with(&f.ready.base_url),
            "watch URL set before running"
        );
    }
    let id = job["id"].as_str().unwrap();

    let running = f.wait_for_job(id, |j| j["status"] == "running").await;
    assert!(running["startedAt"].as_i64().unwrap() >= job["createdAt"].as_i64().unwrap());
    assert!(
        running["broadcasts"]
            .as_array()
            .unwrap()
            .iter()
            .all(|b| b["status"] == "live")
    );
    let current: Value = f
        .pk(Method::GET, "/api/v1/jobs/current")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(current["id"], id);

    let watch = f
        .http
        .get(running["broadcasts"][0]["watchUrl"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(watch.status(), StatusCode::OK);

    let viewers: Value = f
        .pk(Method::GET, &format!("/api/v1/jobs/{id}/viewers"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let twitch = viewers["platforms"]["twitch"].as_u64().unwrap();
    let kick = viewers["platforms"]["kick"].as_u64().unwrap();
    assert!(twitch > 0 && kick > 0);
    assert_eq!(viewers["total"].as_u64().unwrap(), twitch + kick);
    assert!(viewers["updatedAt"].as_i64().unwrap() > 0);

    let stopping: Value = f
        .pk(Method::POST, &format!("/api/v1/jobs/{id}/stop"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(stopping["status"], "stopping");
    let stopped = f.wait_for_job(id, |j| j["status"] == "stopped").await;
    assert!(stopped["endedAt"].as_i64().is_some());
    assert!(
        stopped["broadcasts"]
            .as_array()
            .unwrap()
            .iter()
            .all(|b| b["status"] == "stopped")
    );
    // Idempotent once settled.
    let again = f
        .pk(Method::POST, &format!("/api/v1/jobs/{id}/stop"))
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::OK);
    assert_eq!(again.json::<Value>().await.unwrap()["status"], "stopped");
}

#[tokio::test]
async fn go_live_validation() {
    let f = Fixture::start().await;
    f.connect("twitch").await;
    f.connect("youtube").await;
    f.admin(Method::POST, "/sandbox/connections/reauth")
        .json(&json!({ "userId": f.user_id(), "platform": "youtube" }))
        .send()
        .await
        .unwrap();
    let cases = [
        (
            json!({ "publisherSessionId": "", "destinations": ["twitch"] }),
            "invalid_request",
            "publisherSessionId",
        ),
        (
            json!({ "publisherSessionId": "s", "destinations": [] }),
            "invalid_request",
            "destinations",
        ),
        (
            json!({ "publisherSessionId": "s", "destinations": ["myspace"] }),
            "invalid_request",
            "destinations[0]",
        ),
        (
            json!({ "publisherSessionId": "s", "destinations": ["twitch", "twitch"] }),
            "invalid_request",
            "twice",
        ),
        (
            json!({ "publisherSessionId": "s", "destinations": "twitch" }),
            "invalid_request",
            "destinations",
        ),
        (
            json!({ "destinations": ["twitch"] }),
            "invalid_request",
            "publisherSessionId",
        ),
        (
            json!({ "publisherSessionId": "s", "destinations": ["twitch"], "trackNames": [] }),
            "invalid_request",
            "trackNames",
        ),
        (
            json!({ "publisherSessionId": "s", "destinations": ["twitch"], "trackNames": ["smell"] }),
            "invalid_request",
            "trackNames[0]",
        ),
        (
            json!({ "publisherSessionId": "s", "destinations": ["twitch"], "overlay": { "htmlBanner": "http://cdn.example.com/b.html" } }),
            "invalid_request",
            "overlay.htmlBanner",
        ),
        (
            json!({ "publisherSessionId": "s", "destinations": ["twitch"], "recording": "yes" }),
            "invalid_request",
            "recording",
        ),
        (
            json!({ "publisherSessionId": "s", "destinations": ["twitch"], "title": "" }),
            "invalid_request",
            "title",
        ),
        (
            json!({ "publisherSessionId": "s", "destinations": ["kick"] }),
            "destination_not_connected",
            "Kick",
        ),
        (
            json!({ "publisherSessionId": "s", "destinations": ["youtube"] }),
            "destination_not_connected",
            "reconnect",
        ),
    ];
    for (body, code, mentions) in cases {
        let response = f.go_live(body.clone()).await;
        let message = expect_error(response, StatusCode::UNPROCESSABLE_ENTITY, code).await;
        assert!(
            message.contains(mentions),
            "{body}: `{message}` should mention {mentions}"
        );
    }
    let none: Value = f
        .pk(Method::GET, "/api/v1/jobs/current")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(none["error"]["code"], "no_job", "nothing was created");
}

#[tokio::test]
async fn a_new_go_live_supersedes_synchronously() {
    let f = Fixture::start().await;
    let first = f.running_job(&["twitch"]).await;
    let second: Value = f
        .go_live(json!({ "publisherSessionId": "sess_2", "destinations": ["twitch"] }))
        .await
        .json()
        .await
        .unwrap();
    let old = f.job(first["id"].as_str().unwrap()).await;
    assert_eq!(
        old["status"], "stopped",
        "stopped by the time the response arrived"
    );
    assert_eq!(old["supersededBy"], second["id"]);
    let id = old["id"].as_str().unwrap();
    for (method, path, body) in [
        (Method::POST, format!("/api/v1/jobs/{id}/stop"), None),
        (
            Method::PATCH,
            format!("/api/v1/jobs/{id}/overlay"),
            Some(json!({ "hideTop": true })),
        ),
        (
            Method::POST,
            format!("/api/v1/jobs/{id}/broadcasts/twitch/retry"),
            None,
        ),
    ] {
        let mut request = f.pk(method, &path);
        if let Some(body) = body {
            request = request.json(&body);
        }
        expect_error(request.send().await.unwrap(), StatusCode::CONFLICT, "superseded").await;
    }
}

#[tokio::test]
async fn idempotency_keys() {
    let f = Fixture::start().await;
    f.connect("twitch").await;
    let body = json!({ "publisherSessionId": "s", "destinations": ["twitch"] });
    let send = |body: Value, key: &'static str| {
        f.pk(Method::POST, "/api/v1/jobs")
            .header("Idempotency-Key", key)
            .json(&body)
            .send()
    };
    let first = send(body.clone(), "intent-1").await.unwrap();
    assert_eq!(first.status(), StatusCode::CREATED);
    let first: Value = first.json().await.unwrap();
    // The same body with keys in another order is the same body.
    let reordered = json!({ "destinations": ["twitch"], "publisherSessionId": "s" });
    let repeat = send(reordered, "intent-1").await.unwrap();
    assert_eq!(repeat.status(), StatusCode::OK);
    let repeat: Value = repeat.json().await.unwrap();
    assert_eq!(repeat["id"], first["id"]);
    assert!(
        f.job(first["id"].as_str().unwrap())
            .await
            .get("supersededBy")
            .is_none(),
        "a repeat supersedes nothing"
    );

    let different = send(
        json!({ "publisherSessionId": "other", "destinations": ["twitch"] }),
        "intent-1",
    )
    .await
    .unwrap();
    expect_error(
        different,
        StatusCode::UNPROCESSABLE_ENTITY,
        "idempotency_key_reused",
    )
    .await;
    let fresh = send(body, "intent-2").await.unwrap();
    assert_eq!(fresh.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn overlay_patch_rules() {
    let f = Fixture::start().await;
    f.connect("twitch").await;
    let job: Value = f
        .go_live(json!({ "publisherSessionId": "s", "destinations": ["twitch"],
                         "overlay": { "htmlBanner": format!("{}/assets/overlay.html", f.ready.base_url), "topBanner": "https://cdn.example.com/top.png" } }))
        .await
        .json()
        .await
        .unwrap();
    let id = job["id"].as_str().unwrap();
    let patch = |body: Value| {
        f.pk(Method::PATCH, &format!("/api/v1/jobs/{id}/overlay"))
            .json(&body)
            .send()
    };

    let updated: Value =
        patch(json!({ "bottomBanner": "https://cdn.example.com/bottom.png", "hideTop": true }))
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
    assert_eq!(
        updated["overlay"]["topBanner"], "https://cdn.example.com/top.png",
        "absent = unchanged"
    );
    assert_eq!(
        updated["overlay"]["bottomBanner"],
        "https://cdn.example.com/bottom.png"
    );
    assert_eq!(updated["overlay"]["hideTop"], true);
    assert!(
        updated["overlay"]["htmlBanner"]
            .as_str()
            .unwrap()
            .ends_with("/assets/overlay.html")
    );

    let cleared: Value = patch(json!({ "topBanner": null, "hideTop": null }))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        cleared["overlay"]["topBanner"],
        Value::Null,
        "null removes a banner"
    );
    assert_eq!(cleared["overlay"]["hideTop"], false, "null resets a hide flag");

    for (body, mentions) in [
        (
            json!({ "htmlBanner": "https://cdn.example.com/x.html" }),
            "htmlBanner",
        ),
        (json!({ "topBanner": "ftp://cdn.example.com/x.png" }), "topBanner"),
        (json!({ "hideBottom": "yes" }), "hideBottom"),
        (json!({ "sparkles": true }), "sparkles"),
    ] {
        let message = expect_error(
            patch(body).await.unwrap(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_request",
        )
        .await;
        assert!(message.contains(mentions), "{message}");
    }
    let not_object = f
        .pk(Method::PATCH, &format!("/api/v1/jobs/{id}/overlay"))
        .json(&json!([1]))
        .send()
        .await
        .unwrap();
    expect_error(not_object, StatusCode::UNPROCESSABLE_ENTITY, "invalid_request").await;

    f.pk(Method::POST, &format!("/api/v1/jobs/{id}/stop"))
        .send()
        .await
        .unwrap();
    f.wait_for_job(id, |j| j["status"] == "stopped").await;
    expect_error(
        patch(json!({ "hideTop": true })).await.unwrap(),
        StatusCode::CONFLICT,
        "job_not_active",
    )
    .await;
}

#[tokio::test]
async fn another_users_job_is_not_found() {
    let f = Fixture::start().await;
    let job = f.running_job(&["twitch"]).await;
    let id = job["id"].as_str().unwrap();
    let stranger = f.mint("stranger", None).await;
    for (method, path) in [
        (Method::GET, format!("/api/v1/jobs/{id}")),
        (Method::GET, format!("/api/v1/jobs/{id}/viewers")),
        (Method::POST, format!("/api/v1/jobs/{id}/stop")),
    ] {
        let response = f
            .http
            .request(method, f.url(&path))
            .bearer_auth(&stranger)
            .send()
            .await
            .unwrap();
        expect_error(response, StatusCode::NOT_FOUND, "not_found").await;
    }
    let current = f
        .http
        .get(f.url("/api/v1/jobs/current"))
        .bearer_auth(&stranger)
        .send()
        .await
        .unwrap();
    expect_error(current, StatusCode::NOT_FOUND, "no_job").await;
    assert_eq!(f.job(id).await["status"], "running", "untouched");

    let read_only = f.mint(f.user_id(), Some(&["read"])).await;
    let stop = f
        .http
        .post(f.url(&format!("/api/v1/jobs/{id}/stop")))
        .bearer_auth(&read_only)
        .send()
        .await
        .unwrap();
    let message = expect_error(stop, StatusCode::FORBIDDEN, "missing_scope").await;
    assert_eq!(message, "Missing required scope: restream");
}

#[tokio::test]
async fn a_running_job_survives_a_restart() {
    let mut f = Fixture::start().await;
    let job = f.running_job(&["twitch"]).await;
    let id = job["id"].as_str().unwrap().to_owned();
    let burst: Value = f
        .admin(Method::POST, &format!("/sandbox/jobs/{id}/comments"))
        .json(&json!({ "count": 5 }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    f.restart().await;
    let after = f.job(&id).await;
    assert_eq!(after["status"], "running");
    let stored: Value = f
        .admin(Method::GET, &format!("/sandbox/jobs/{id}/comments"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(stored["ids"], burst["ids"]);
    // Its chat replays to a stream opened after the restart.
    let mut stream = common::ChatStream::open(f.pk(Method::GET, "/api/v1/comments/stream")).await;
    let replayed = stream.comments(5).await;
    assert_eq!(serde_json::to_value(&replayed).unwrap(), burst["ids"]);
    // Its timers work after the restart too.
    f.pk(Method::POST, &format!("/api/v1/jobs/{id}/stop"))
        .send()
        .await
        .unwrap();
    f.wait_for_job(&id, |j| j["status"] == "stopped").await;
}
