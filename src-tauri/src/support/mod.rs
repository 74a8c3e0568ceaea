//! What every room leans on: the error the UI is shown, logging, diagnostics, images fetched for
//! the window, and what this build is. Nothing here owns studio or window state.

pub mod app_error;
pub mod diagnostics;
pub mod images;
pub mod logging;
pub mod start_timeline;
pub mod version;
