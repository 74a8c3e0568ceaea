//! Requests the sandbox refuses before serving them: a body declared too large, a URL or headers
//! over the limits, a `null` where a value was needed, a user id that is not text. Each gets the
//! contract's JSON error, and the connection stays usable or is closed, as the answer says.

mod common;

use common::{Fixture, expect_error};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Sends `head` on a fresh connection and reads until the server closes it.
async fn raw_exchange(f: &Fixture, head: &str) -> String {
    let addr = f.sandbox.as_ref().unwrap().local_addr();
    let mut stream = TcpStream::connect(addr).await.unwrap();
    stream.write_all(head.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    // Returns only once the server closes its side: a keep-alive answer would hang here.
    stream.read_to_end(&mut answer).await.unwrap();
    String::from_utf8_lossy(&answer).into_owned()
}

#[tokio::test]
async fn a_body_refused_by_its_declared_length_closes_the_connection_and_says_so() {
    let f = Fixture::start().await;
    let addr = f.sandbox.as_ref().unwrap().local_addr();
    let head = format!(
        "POST /api/v1/chat HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\n\
         Content-Length: 100000\r\n\r\n{{\"message\":"
    );
    let answer = raw_exchange(&f, &head).await;
    let lower = answer.to_ascii_lowercase();
    assert!(lower.starts_with("http/1.1 413"), "{answer}");
    assert!(lower.contains("\r\nconnection: close\r\n"), "{answer}");
    assert!(answer.contains(r#""code":"payload_too_large""#), "{answer}");

    // A pooled client follows the header: every call after a refusal goes through.
    for round in 0..40 {
        let refused = f
            .pk(Method::POST, "/api/v1/chat")
            .header("content-type", "application/json")
            .body(vec![b' '; 70 * 1024])
            .send()
            .await
            .unwrap();
        expect_error(refused, StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large").await;
        let next = f.pk(Method::GET, "/api/v1/platforms").send().await;
        assert!(
            next.as_ref().is_ok_and(|r| r.status() == StatusCode::OK),
            "round {round}: {next:?}"
        );
    }
}

#[tokio::test]
async fn a_body_of_unknown_length_is_refused_past_64_kib_and_served_below() {
    let f = Fixture::start().await;
    let chunked = |bytes: usize| {
        let chunks = vec![Ok::<_, std::io::Error>(vec![b' '; bytes])];
        reqwest::Body::wrap_stream(futures_util::stream::iter(chunks))
    };
    let over = f
        .pk(Method::POST, "/api/v1/chat")
        .header("content-type", "application/json")
        .body(chunked(64 * 1024 + 1))
        .send()
        .await
        .unwrap();
    expect_error(over, StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large").await;
    // Just under the limit the body is read, and judged on what it says (blank is not JSON).
    let under = f
        .pk(Method::POST, "/api/v1/chat")
        .header("content-type", "application/json")
        .body(chunked(64 * 1024))
        .send()
        .await
        .unwrap();
    expect_error(under, StatusCode::BAD_REQUEST, "invalid_json").await;
}

#[tokio::test]
async fn a_long_url_is_414_in_json() {
    let f = Fixture::start().await;
    let long = f.url(&format!("/api/v1/platforms?pad={}", "a".repeat(9 * 1024)));
    let response = f.http.get(long).send().await.unwrap();
    let message = expect_error(response, StatusCode::URI_TOO_LONG, "uri_too_long").await;
    assert!(message.contains("8192"), "{message}");
    // Under the limit, the same route serves.
    let fits = f.url(&format!("/api/v1/platforms?pad={}", "a".repeat(7 * 1024)));
    let served = f.pk(Method::GET, "/api/v1/platforms").send().await.unwrap();
    assert_eq!(served.status(), StatusCode::OK);
    let unauthorised = f.http.get(fits).send().await.unwrap();
    expect_error(unauthorised, StatusCode::UNAUTHORIZED, "missing_credential").await;
}

#[tokio::test]
async fn too_many_or_too_long_headers_are_431_in_json() {
    let f = Fixture::start().await;
    let mut many = HeaderMap::new();
    for i in 0..101 {
        let name = HeaderName::from_bytes(format!("x-pad-{i}").as_bytes()).unwrap();
        many.insert(name, HeaderValue::from_static("1"));
    }
    let response = f
        .pk(Method::GET, "/api/v1/platforms")
        .headers(many)
        .send()
        .await
        .unwrap();
    let message = expect_error(
        response,
        StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
        "headers_too_large",
    )
    .await;
    assert!(message.contains("header lines"), "{message}");

    let long = HeaderValue::from_str(&"b".repeat(33 * 1024)).unwrap();
    let response = f
        .pk(Method::GET, "/api/v1/platforms")
        .header("x-pad", long)
        .send()
        .await
        .unwrap();
    let message = expect_error(
        response,
        StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
        "headers_too_large",
    )
    .await;
    assert!(message.contains("bytes"), "{message}");
}

#[tokio::test]
async fn a_user_id_that_is_not_ascii_is_told_so() {
    let f = Fixture::start().await;
    let response = f
        .http
        .get(f.url("/api/v1/platforms"))
        .header("X-Publishable-Key", f.ready.publishable_key.as_deref().unwrap())
        .header(
            "X-User-Id",
            HeaderValue::from_bytes("stréamer".as_bytes()).unwrap(),
        )
        .header("Origin", &f.ready.origin)
        .send()
        .await
        .unwrap();
    let message = expect_error(response, StatusCode::UNAUTHORIZED, "invalid_credential").await;
    assert!(
        message.contains("X-User-Id") && message.contains("ASCII"),
        "{message}"
    );
}

/// `(method, path, body, field)`: a body with `null` for `field`, which must be named.
fn null_bodies() -> Vec<(Method, &'static str, Value, &'static str)> {
    let go_live = |field: &str| {
        let mut body = json!({ "publisherSessionId": "sess_1", "destinations": ["twitch"] });
        body[field] = Value::Null;
        body
    };
    vec![
        (
            Method::POST,
            "/api/v1/auth/session",
            json!({ "userId": "u1", "ttlSeconds": null }),
            "ttlSeconds",
        ),
        (
            Method::POST,
            "/api/v1/chat",
            json!({ "message": "hi", "platforms": null }),
            "platforms",
        ),
        (Method::POST, "/api/v1/jobs", go_live("recording"), "recording"),
        (Method::POST, "/api/v1/jobs", go_live("title"), "title"),
        (Method::POST, "/api/v1/jobs", go_live("trackNames"), "trackNames"),
        (Method::POST, "/api/v1/jobs", go_live("overlay"), "overlay"),
        (
            Method::POST,
            "/api/v1/jobs",
            json!({ "publisherSessionId": "s", "destinations": ["twitch"], "overlay": { "hideTop": null } }),
            "overlay.hideTop",
        ),
        (
            Method::POST,
            "/sandbox/clients",
            json!({ "name": "c", "redirectUris": null }),
            "redirectUris",
        ),
        (
            Method::POST,
            "/sandbox/faults",
            json!({ "route": "GET /api/v1/platforms", "count": 1, "latencyMs": null }),
            "latencyMs",
        ),
    ]
}

#[tokio::test]
async fn null_for_a_typed_field_is_422_naming_it() {
    let f = Fixture::start().await;
    let token = f.mint(f.user_id(), None).await;
    for (method, path, body, field) in null_bodies() {
        let request = if path.starts_with("/sandbox/") {
            f.admin(method, path)
        } else if path == "/api/v1/auth/session" {
            f.http
                .request(method, f.url(path))
                .header("X-API-Key", f.ready.secret_key.as_deref().unwrap())
        } else {
            f.http.request(method, f.url(path)).bearer_auth(&token)
        };
        let response = request.json(&body).send().await.unwrap();
        let message = expect_error(response, StatusCode::UNPROCESSABLE_ENTITY, "invalid_request").await;
        assert!(
            message.starts_with(&format!("{field}: null")),
            "{path} {body}: {message}"
        );
    }
}

#[tokio::test]
async fn null_keeps_its_meaning_where_the_contract_gives_it_one() {
    let f = Fixture::start().await;
    let job = f.running_job(&["twitch"]).await;
    let id = job["id"].as_str().unwrap();
    let patch = f
        .pk(Method::PATCH, &format!("/api/v1/jobs/{id}/overlay"))
        .json(&json!({ "topBanner": null, "hideTop": null }))
        .send()
        .await
        .unwrap();
    assert_eq!(patch.status(), StatusCode::OK);
    // An unset banner reads back as null, and may be sent back that way.
    let again = f
        .go_live(json!({
            "publisherSessionId": "sess_2",
            "destinations": ["twitch"],
            "overlay": { "topBanner": null, "bottomBanner": null, "htmlBanner": null },
        }))
        .await;
    assert_eq!(again.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn a_whole_number_written_with_a_fraction_is_an_integer() {
    let f = Fixture::start().await;
    let response = f
        .http
        .post(f.url("/api/v1/auth/session"))
        .header("X-API-Key", f.ready.secret_key.as_deref().unwrap())
        .json(&json!({ "userId": "u1", "ttlSeconds": 600.0 }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["expiresIn"], json!(600));
}

#[tokio::test]
async fn a_message_of_only_white_space_and_control_characters_is_empty() {
    let f = Fixture::start().await;
    for blank in ["\t", "\u{1c}\u{1f}", " \u{85}\u{3000}\n", "\u{0}"] {
        let response = f
            .pk(Method::POST, "/api/v1/chat")
            .json(&json!({ "message": blank }))
            .send()
            .await
            .unwrap();
        let message = expect_error(response, StatusCode::UNPROCESSABLE_ENTITY, "invalid_request").await;
        assert!(
            message.starts_with("message must not be empty"),
            "{blank:?}: {message}"
        );
    }
    // A visible character, even one that is not a letter, is a message (409: nothing is live).
    for visible in ["\u{feff}", "·", "\u{1c}x"] {
        let response = f
            .pk(Method::POST, "/api/v1/chat")
            .json(&json!({ "message": visible }))
            .send()
            .await
            .unwrap();
        expect_error(response, StatusCode::CONFLICT, "not_live").await;
    }
}

#[tokio::test]
async fn a_sign_in_decision_that_is_neither_approve_nor_deny_is_refused() {
    let f = Fixture::start().await;
    let form = |decision: &str| {
        let challenge = "c".repeat(43);
        serde_urlencoded::to_string([
            ("response_type", "code"),
            ("client_id", "demo"),
            ("redirect_uri", f.ready.redirect_uri.as_str()),
            ("state", "limits"),
            ("code_challenge", challenge.as_str()),
            ("code_challenge_method", "S256"),
            ("user_id", "someone"),
            ("decision", decision),
        ])
        .unwrap()
    };
    let post = |body: String| {
        f.http
            .post(f.url("/operator/authorize"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
    };
    let refused = post(form("maybe")).await.unwrap();
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
    assert!(
        refused
            .text()
            .await
            .unwrap()
            .contains("decision must be approve or deny")
    );
    let approved = post(form("approve")).await.unwrap();
    assert_eq!(approved.status(), StatusCode::SEE_OTHER);
    let location = approved.headers()["location"].to_str().unwrap().to_owned();
    assert!(location.contains("code="), "{location}");
}
