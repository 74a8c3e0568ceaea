//! What reaches the OBS link's driver from outside: from the studio, the settings and the window.

use restream_obs::PilotSettings;

use crate::support::app_error::AppError;

/// What reaches the driver from outside.
#[derive(Debug)]
pub enum Control {
    /// The studio's job or live sessions changed: read them again.
    StudioChanged,
    /// The switches or waits changed.
    Settings(PilotSettings),
    /// The studio's own start button: the next `STARTED` goes live.
    RequestStart,
    /// OBS refused to start: forget the request.
    CancelStart,
    /// A go-live the pilot asked for failed.
    GoLiveFailed(AppError),
}
