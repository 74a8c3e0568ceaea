//! A JSON body extractor that answers in the contract's terms: 400 `invalid_json` for bytes that do
//! not parse, 422 `invalid_request` naming the field for a wrong shape, 413 over 64 KiB.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use serde::de::{DeserializeOwned, Error as _};
use serde::{Deserialize, Deserializer};

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
    let mut value: serde_json::Value = serde_json::from_slice(bytes).map_err(|e| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_json",
            format!("Body is not valid JSON: {e}"),
        )
    })?;
    whole_numbers_as_integers(&mut value);
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

/// For `#[serde(default, deserialize_with = "non_null")]` on an `Option` field: the field may be
/// left out, but `null` is refused with a message naming the field (serde would otherwise read
/// it as absent and quietly apply the default). Fields where the contract gives `null` a meaning
/// stay plain `Option`s.
pub fn non_null<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    match Option::<T>::deserialize(deserializer)? {
        Some(value) => Ok(Some(value)),
        None => Err(D::Error::custom(
            "null is not a value here; leave the field out to use its default",
        )),
    }
}

/// JSON has one number type: `900.0` is the integer 900 to JSON Schema and to most senders, so a
/// whole number written with a fraction is read as the integer it is. Fractions stay floats and
/// are refused by integer fields.
fn whole_numbers_as_integers(value: &mut serde_json::Value) {
    use serde_json::Value;
    match value {
        Value::Number(n) => {
            if let Some(f) = n.as_f64().filter(|f| n.is_f64() && f.fract() == 0.0) {
                // Exactly representable only up to 2^53; beyond that the float is left alone.
                if f.abs() <= 9_007_199_254_740_992.0 {
                    *n = if f < 0.0 {
                        (f as i64).into()
                    } else {
                        (f as u64).into()
                    };
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(whole_numbers_as_integers),
        Value::Object(members) => members.values_mut().for_each(whole_numbers_as_integers),
        _ => {}
    }
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

    #[derive(Debug, serde::Deserialize)]
    #[serde(rename_all = "camelCase", deny_unknown_fields)]
    struct Optional {
        #[serde(default, deserialize_with = "non_null")]
        ttl_seconds: Option<u32>,
        #[serde(default)]
        banner: Option<String>,
    }

    #[test]
    fn null_for_a_typed_field_is_refused_by_name() {
        let err = decode::<Optional>(br#"{"ttlSeconds": null}"#).unwrap_err();
        assert_eq!(err.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(err.code, "invalid_request");
        assert!(
            err.message.starts_with("ttlSeconds: null is not a value here"),
            "{}",
            err.message
        );
        let absent = decode::<Optional>(b"{}").unwrap();
        assert_eq!(absent.ttl_seconds, None);
        // Where null means something, it still reads as None.
        let unset = decode::<Optional>(br#"{"banner": null, "ttlSeconds": 5}"#).unwrap();
        assert_eq!((unset.ttl_seconds, unset.banner), (Some(5), None));
    }

    #[test]
    fn whole_numbers_written_with_a_fraction_are_integers() {
        let read = decode::<Optional>(br#"{"ttlSeconds": 16613.0}"#).unwrap();
        assert_eq!(read.ttl_seconds, Some(16613));
        let err = decode::<Optional>(br#"{"ttlSeconds": 16613.5}"#).unwrap_err();
        assert!(err.message.starts_with("ttlSeconds:"), "{}", err.message);
        let err = decode::<Optional>(br#"{"ttlSeconds": -1.0}"#).unwrap_err();
        assert!(err.message.starts_with("ttlSeconds:"), "{}", err.message);
        let nested: serde_json::Value = decode(br#"{"a": [1e3, {"b": 2.0}], "c": 0.5}"#).unwrap();
        assert_eq!(nested, serde_json::json!({"a": [1000, {"b": 2}], "c": 0.5}));
        let huge: serde_json::Value = decode(b"1e300").unwrap();
        assert!(huge.is_f64());
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
