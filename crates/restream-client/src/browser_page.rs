//! What the window is told of a hosted page the studio opened in the system browser and waits
//! on: which page it is and how the wait goes. The studio's list of them is in
//! `studio/browser_waits.rs`.

use serde::{Deserialize, Serialize};

use crate::platforms::Platform;

/// What a page opened in the system browser is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "page", rename_all = "camelCase")]
pub enum BrowserPage {
    /// The platform's consent page, linking it.
    Connect {
        /// The platform being linked.
        platform: Platform,
    },
    /// The operator's sign-in page (token mode).
    SignIn,
}

/// A page the studio waits on, as the window shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct BrowserWait {
    /// What the page is for.
    #[serde(flatten)]
    pub page: BrowserPage,
    /// The page's address, for the streamer to open by hand.
    pub url: String,
    /// Nothing came back for a while: no browser may have come up, or the page was closed.
    pub slow: bool,
    /// Why the system browser could not be asked to open the page, if it could not: the address
    /// is there to open by hand.
    pub could_not_open: Option<String>,
}
