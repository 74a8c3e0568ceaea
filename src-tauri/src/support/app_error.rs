use restream_client::{ApiError, Concern};
use serde::{Deserialize, Serialize};
use specta::Type;

/// Every error a command returns to the UI: a stable `code`, the HTTP `status` (0 when the service
/// could not be reached), the service's `message`, and what it means for the streamer (`cause`)
/// and what to do (`fix`), so the UI never has to interpret raw errors. An error the studio filed
/// under a `concern` is the studio's to clear (`studio-error-cleared`); one without is the
/// window's own, for the action that got it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct AppError {
    pub code: String,
    pub status: u16,
    pub message: String,
    pub cause: String,
    pub fix: String,
    pub concern: Option<Concern>,
}

impl AppError {
    pub fn new(code: &str, cause: impl Into<String>, fix: impl Into<String>) -> Self {
        let cause = cause.into();
        AppError {
            code: code.to_owned(),
            status: 0,
            message: cause.clone(),
            cause,
            fix: fix.into(),
            concern: None,
        }
    }
}

impl From<ApiError> for AppError {
    fn from(error: ApiError) -> Self {
        let advice = error.advice();
        AppError {
            code: error.code,
            status: error.status,
            message: error.message,
            cause: advice.cause,
            fix: advice.fix,
            concern: error.concern,
        }
    }
}
