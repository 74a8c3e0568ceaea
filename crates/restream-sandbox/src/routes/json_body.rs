//! A JSON body extractor that answers in the contract's terms: 400 `invalid_json` for bytes that do
//! not parse, 422 `invalid_request` naming the field for a wrong shape, 413 over 64 KiB.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use serde::de::DeserializeOwned;

use crate::api_error::ApiError;

/// The contract's cap on request bodies.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

pub struct JsonBody<T>(pub T);

/// 413 `payload_too_large`.
pub fn too_large() -> ApiError {
    ApiError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "payload_too_large",
        format!("Request body is over {MAX_BODY_BYTES} bytes"),
    )
}

/// A raw body with the contract's answers for a body that is too large or unreadable.
pub struct RawBody(pub Bytes);

impl<S: Send + Sync> FromRequest<S> for RawBody {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        Bytes::from_request(req, state)
            .await
            .map(RawBody)
            .map_err(|rejection| {
                if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                    too_large()
                } else {
                    ApiError::new(StatusCode::BAD_REQUEST, "invalid_json", rejection.body_text())
                }
            })
    }
}

impl<S, T> FromRequest<S> for JsonBody<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let RawBody(bytes) = RawBody::from_request(req, state).await?;
        decode(&bytes).map(JsonBody)
    }
}

/// Parsing kept apart from I/O so every failure shape is testable on bytes.
pub fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let value: serde_json::Value = serde_json::from_slice(bytes).map_err(|e| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_json",
            format!("Body is not valid JSON: {e}"),
        )
    })?;
    // The path names the field, e.g. `destinations[1]: unknown variant`.
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        let message = if path == "." {
            format!("Invalid request body: {inner}")
        } else {
            format!("{path}: {inner}")
        };
        ApiError::invalid_request(message)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[serde(rename_all = "camelCase", deny_unknown_fields)]
    struct Sample {
        #[allow(dead_code)]
        user_id: String,
    }

    #[test]
    fn garbage_is_invalid_json() {
        assert_eq!(decode::<Sample>(b"{not json").unwrap_err().code, "invalid_json");
    }

    #[test]
    fn wrong_shape_names_the_field() {
        let err = decode::<Sample>(br#"{"userId": 7}"#).unwrap_err();
        assert_eq!(err.code, "invalid_request");
        assert!(err.message.starts_with("userId:"), "{}", err.message);
        assert_eq!(err.status, StatusCode::UNPROCESSABLE_ENTITY);
        let err = decode::<Sample>(b"{}").unwrap_err();
        assert!(err.message.contains("userId"), "{}", err.message);
    }
}
