//! The hosted consent page a connect flow opens in the system browser: the simulated platform
//! asks the streamer to approve; the decision is a form POST answered by 303 to the deep link.

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use rand::Rng;
use serde::Deserialize;

use crate::api_error::ApiError;
use crate::db;
use crate::routes::html::{escape, page};
use crate::routes::json_body::RawBody;
use crate::routes::params::Params;
use crate::state::AppState;
use crate::store::{self, AuthorizationRecord};

fn username(record: &AuthorizationRecord) -> String {
    format!("{}_{}", record.user.1, record.platform.as_str())
}

async fn find(state: &AppState, id: String) -> Result<AuthorizationRecord, Response> {
    let found = state
        .db
        .call(move |conn| store::authorization_by_id(conn, &id))
        .await;
    match found {
        Ok(Some(record)) => Ok(record),
        Ok(None) => Err(message_page(
            StatusCode::NOT_FOUND,
            "Unknown request",
            "This sign-in link is not valid.",
        )),
        Err(e) => Err(e.into_response()),
    }
}

fn message_page(status: StatusCode, title: &str, text: &str) -> Response {
    (
        status,
        Html(page(
            title,
            &format!("<h1>{}</h1><p>{}</p>", escape(title), escape(text)),
        )),
    )
        .into_response()
}

/// `GET /hosted/consent/{id}`
pub async fn show(State(state): State<AppState>, Params(id): Params<String>) -> Response {
    let record = match find(&state, id).await {
        Ok(record) => record,
        Err(response) => return response,
    };
    if record.status != "pending" {
        return message_page(
            StatusCode::GONE,
            "Already answered",
            "This request was already answered. Start again from the app.",
        );
    }
    if db::now_ms() >= record.expires_at {
        return message_page(
            StatusCode::GONE,
            "Expired",
            "This request expired. Start again from the app.",
        );
    }
    let platform = record.platform.display_name();
    let body = format!(
        r#"<h1>Connect {platform}</h1>
<p>Restream Studio wants to stream to your {platform} account <strong>{user}</strong> and read its chat.</p>
<form method="post"><input type="hidden" name="decision" value="approve"><button id="approve" type="submit">Approve</button></form>
<form method="post"><input type="hidden" name="decision" value="deny"><button id="deny" type="submit">Deny</button></form>"#,
        platform = escape(platform),
        user = escape(&username(&record)),
    );
    Html(page(&format!("Connect {platform}"), &body)).into_response()
}

#[derive(Deserialize)]
struct Decision {
    decision: String,
}

/// `POST /hosted/consent/{id}` with `decision=approve|deny`.
pub async fn decide(
    State(state): State<AppState>,
    Params(id): Params<String>,
    RawBody(body): RawBody,
) -> Response {
    let Ok(Decision { decision }) = serde_urlencoded::from_bytes::<Decision>(&body) else {
        return ApiError::invalid_request("decision must be approve or deny").into_response();
    };
    let approve = match decision.as_str() {
        "approve" => true,
        "deny" => false,
        _ => return ApiError::invalid_request("decision must be approve or deny").into_response(),
    };
    let record = match find(&state, id).await {
        Ok(record) => record,
        Err(response) => return response,
    };
    if record.status != "pending" {
        // One-shot: a replayed decision changes nothing and redirects nowhere.
        return message_page(
            StatusCode::GONE,
            "Already answered",
            "This request was already answered.",
        );
    }
    let now = db::now_ms();
    let expired = now >= record.expires_at;
    let (status, error) = match (expired, approve) {
        (true, _) => ("error", Some("expired")),
        (false, true) => ("connected", None),
        (false, false) => ("error", Some("access_denied")),
    };
    let outcome = {
        let record = record.clone();
        state
            .db
            .call(move |conn| {
                let tx = conn.transaction()?;
                if !store::decide_authorization(&tx, &record.id, status, error)? {
                    return Ok(false);
                }
                if status == "connected" {
                    let platform_user_id = rand::rng().random_range(10_000_000u64..99_999_999).to_string();
                    store::upsert_connection(
                        &tx,
                        &record.user,
                        record.platform,
                        &username(&record),
                        &platform_user_id,
                        now,
                    )?;
                }
                tx.commit()?;
                Ok(true)
            })
            .await
    };
    match outcome {
        Ok(true) => {}
        // Another decision won the race: this one changes nothing and redirects nowhere.
        Ok(false) => {
            return message_page(
                StatusCode::GONE,
                "Already answered",
                "This request was already answered.",
            );
        }
        Err(e) => return e.into_response(),
    }
    let mut location = url::Url::parse(&record.redirect_uri).ok();
    let Some(location) = location.as_mut() else {
        return ApiError::internal("stored redirect URI does not parse").into_response();
    };
    {
        let mut query = location.query_pairs_mut();
        query
            .append_pair("state", &record.state)
            .append_pair("platform", record.platform.as_str());
        match error {
            None => query.append_pair("result", "connected"),
            Some(error) => query.append_pair("result", "error").append_pair("error", error),
        };
    }
    (StatusCode::SEE_OTHER, [(header::LOCATION, location.to_string())]).into_response()
}
