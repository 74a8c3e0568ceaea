//! The Restream Studio controller: everything the studio does with a Restream Service, with no
//! UI framework and no keychain in it.
//!
//! Build a [`Studio`] from a [`StudioConfig`] and call its actions. Errors are [`ApiError`]s that
//! keep the HTTP status (0 for network failures), the service's error code and its message, and
//! can explain themselves to a streamer through [`ApiError::advice`].

mod api_base;
mod credential;
mod error;
mod http;
mod platforms;
mod studio;

pub use api_base::{ApiBase, ApiBaseError};
pub use credential::Credential;
pub use error::{Advice, ApiError};
pub use platforms::{Platform, PlatformInfo};
pub use studio::{DEFAULT_TIMEOUT, Studio, StudioConfig};
