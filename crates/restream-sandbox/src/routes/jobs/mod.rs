//! `/api/v1/jobs*`: going live, and what the owner reads and changes of a job afterwards. The
//! timers that move a job through its statuses live in `sim`; these handlers check, store and
//! schedule.

mod control;
mod create;
mod go_live;
mod read;

pub use control::{overlay, retry, stop};
pub use create::create;
pub use read::{current, get, viewers};
