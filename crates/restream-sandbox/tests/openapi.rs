//! `docs/api/openapi.yaml` and the route table describe the same operations, and every documented
//! operation is served by a running sandbox (called with real values, none answers "no such route").

mod common;

use std::collections::BTreeSet;

use common::{Fixture, STATE};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];

struct Documented {
    method: Method,
    path: String,
    operation_id: String,
    tag: String,
}

fn documented() -> Vec<Documented> {
    let doc = document();
    assert_eq!(doc["openapi"], "3.1.0");
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in METHODS {
            if let Some(op) = item.get(method) {
                out.push(Documented {
                    method: method.to_uppercase().parse().unwrap(),
                    path: path.clone(),
                    operation_id: op["operationId"]
                        .as_str()
                        .expect("every operation has an operationId")
                        .to_owned(),
                    tag: op["tags"][0]
                        .as_str()
                        .expect("every operation has a tag")
                        .to_owned(),
                });
            }
        }
    }
    out
}

fn document() -> Value {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../docs/api/openapi.yaml"
    ))
    .unwrap();
    serde_yaml_ng::from_str(&text).unwrap()
}

#[test]
fn the_banner_rule_is_the_documents_pattern() {
    let doc = document();
    assert_eq!(
        doc["components"]["schemas"]["BannerUrl"]["pattern"].as_str(),
        Some(restream_sandbox::BANNER_URL_PATTERN)
    );
}

#[test]
fn the_route_table_and_the_document_match_both_ways() {
    let table: BTreeSet<String> = restream_sandbox::operations()
        .iter()
        .map(|(m, p)| format!("{m} {p}"))
        .collect();
    let doc: BTreeSet<String> = documented()
        .iter()
        .map(|d| format!("{} {}", d.method, d.path))
        .collect();
    let undocumented: Vec<&String> = table.difference(&doc).collect();
    let unserved: Vec<&String> = doc.difference(&table).collect();
    assert!(
        undocumented.is_empty(),
        "served but not documented: {undocumented:?}"
    );
    assert!(unserved.is_empty(), "documented but not served: {unserved:?}");
    let ids: BTreeSet<String> = documented().into_iter().map(|d| d.operation_id).collect();
    assert_eq!(ids.len(), table.len(), "operationIds are unique");
}

#[test]
fn tags_match_the_surface_of_each_route() {
    use restream_sandbox::Surface;
    let docs = documented();
    for route in restream_sandbox::routes() {
        let doc = docs
            .iter()
            .find(|d| d.method == route.method && d.path == route.path)
            .unwrap();
        let expected = match route.surface {
            Surface::Contract => "contract",
            Surface::Operator => "operator",
            Surface::Hosted => "hosted",
            Surface::Admin => "sandbox-admin",
            Surface::IngestHook => "ingest-hook",
        };
        assert_eq!(doc.tag, expected, "{} {}", route.method, route.path);
    }
}

fn form(pairs: &[(&str, &str)]) -> String {
    serde_urlencoded::to_string(pairs).unwrap()
}

#[tokio::test]
async fn every_documented_operation_is_served() {
    // With the v1.1 ingest on, so its routes answer as they do when offered.
    let f = Fixture::start_with(|config| {
        config.ingest_rtmp_url = Some("rtmp://127.0.0.1:1935/live".to_owned());
    })
    .await;
    let hook_secret = f
        .ready
        .ingest_hook_url
        .as_deref()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .to_owned();
    // With an ingest, a job runs only on a live session: a simulated one here.
    let started = f
        .admin(Method::PUT, "/sandbox/sessions/sess_1")
        .json(&json!({ "live": true, "userId": f.user_id() }))
        .send()
        .await
        .unwrap();
    assert_eq!(started.status(), StatusCode::NO_CONTENT);
    let job = f.running_job(&["twitch", "kick"]).await;
    let job_id = job["id"].as_str().unwrap().to_owned();
    let consent: Value = f
        .pk(Method::POST, "/api/v1/connections/youtube/authorize")
        .json(&json!({ "redirectUri": f.ready.redirect_uri, "state": STATE }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let consent_id = consent["authorizeUrl"]
        .as_str()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .to_owned();
    let spare_key: Value = f
        .admin(Method::POST, "/sandbox/clients/demo/keys")
        .json(&json!({ "kind": "publishable", "scopes": ["read"] }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let sign_in_query = form(&[
        ("response_type", "code"),
        ("client_id", "demo"),
        ("redirect_uri", "dev.restreamstudio://signin/callback"),
        ("state", "s"),
        ("code_challenge", "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"),
        ("code_challenge_method", "S256"),
    ]);

    for op in documented() {
        let file = if op.path.contains("avatars") {
            "3.png"
        } else {
            "top.png"
        };
        let platform = if op.operation_id == "disconnect" {
            "kick"
        } else {
            "twitch"
        };
        let id = if op.path.starts_with("/hosted/consent") {
            consent_id.as_str()
        } else {
            job_id.as_str()
        };
        let mut path = op
            .path
            .replace("{platform}", platform)
            .replace("{state}", STATE)
            .replace("{id}", id)
            .replace("{broadcastId}", "bc_walk")
            .replace("{file}", file)
            .replace("{clientId}", "demo")
            .replace("{key}", spare_key["key"].as_str().unwrap())
            .replace("{sessionId}", "sess_walk")
            .replace("{secret}", &hook_secret);
        if op.operation_id == "operatorSignInPage" {
            path = format!("{path}?{sign_in_query}");
        }
        let mut request = match op.tag.as_str() {
            "contract" => f.pk(op.method.clone(), &path),
            "sandbox-admin" => f.admin(op.method.clone(), &path),
            _ => f.http.request(op.method.clone(), f.url(&path)),
        };
        let json_body = match op.operation_id.as_str() {
            "mintToken" => Some(json!({ "userId": "walker" })),
            "authorizeConnection" => {
                Some(json!({ "redirectUri": f.ready.redirect_uri, "state": "walk-state-0123456789abcd" }))
            }
            "goLive" => Some(json!({ "publisherSessionId": "walk", "destinations": ["twitch"] })),
            "updateOverlay" => Some(json!({ "hideTop": true })),
            "sendChat" => Some(json!({ "message": "walking" })),
            "adminCreateClient" => Some(json!({ "name": "walk" })),
            "adminCreateKey" => Some(json!({ "kind": "secret", "scopes": ["read"] })),
            "adminPutSettings" => Some(json!({ "keepAliveMs": 300 })),
            "adminPutSession" => Some(json!({ "live": true, "audio": true })),
            "adminBurst" => Some(json!({ "count": 2 })),
            // Served and checked: Instagram offers no time-outs (422, not 404).
            "moderateChat" => Some(
                json!({ "action": "timeout", "platform": "instagram", "authorId": "a", "durationSeconds": 5 }),
            ),
            "adminModerate" => Some(
                json!({ "userId": f.user_id(), "action": "ban", "platform": "instagram", "authorId": "a" }),
            ),
            "adminMarkReauth" => Some(json!({ "userId": f.user_id(), "platform": "twitch" })),
            "adminAddFault" => Some(json!({ "route": "GET /api/v1/platforms", "count": 1, "latencyMs": 1 })),
            "adminStallStreams" => Some(json!({ "stalled": false })),
            _ => None,
        };
        if let Some(body) = json_body {
            request = request.json(&body);
        }
        let form_body = match op.operation_id.as_str() {
            "operatorSignIn" => Some(format!("{sign_in_query}&user_id=walker&decision=approve")),
            "operatorToken" => Some(form(&[
                ("grant_type", "refresh_token"),
                ("refresh_token", "opr_unknown"),
            ])),
            "operatorRevoke" => Some(form(&[("token", "opr_unknown")])),
            "consentDecision" => Some(form(&[("decision", "approve")])),
            "ingestHook" => Some(form(&[("call", "publish_done"), ("name", "live_unknown")])),
            _ => None,
        };
        if let Some(body) = form_body {
            request = request
                .header("content-type", "application/x-www-form-urlencoded")
                .body(body);
        }
        let response = request.send().await.unwrap();
        let status = response.status();
        let what = format!("{} {} ({})", op.method, op.path, op.operation_id);
        if op.operation_id == "commentStream" {
            assert_eq!(status, StatusCode::OK, "{what}");
            continue;
        }
        let body = response.text().await.unwrap_or_default();
        let code = serde_json::from_str::<Value>(&body)
            .ok()
            .and_then(|v| v["error"]["code"].as_str().map(str::to_owned));
        assert_ne!(status, StatusCode::METHOD_NOT_ALLOWED, "{what}: {body}");
        assert!(
            !(status == StatusCode::NOT_FOUND && code.as_deref().is_none_or(|c| c == "not_found")),
            "{what} answered 404: {body}"
        );
        assert!(!status.is_server_error(), "{what}: {status} {body}");
    }
}
