//! Images the window shows (chat avatars, banner previews), fetched here and handed over as
//! `data:` URLs, so the webview never makes a remote request: its CSP allows `'self'` and `data:`
//! images only. `policy` decides what may be fetched, `cache` what is remembered, `fetcher` does
//! the fetching.

mod cache;
mod fetcher;
mod policy;

pub use fetcher::ImageFetcher;
pub use policy::{ImagePurpose, MAX_IMAGE_BYTES};
