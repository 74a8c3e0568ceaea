//! `/sandbox/*`: the admin surface that tests and demos use to set up clients and inject faults.
//! Every route needs `Authorization: Bearer <admin token>`. One file per concern: clients and keys,
//! what happens to jobs, faults, and the tunables with the statistics.

mod clients;
mod faults;
mod jobs;
mod tunables;

pub use clients::{create_client, create_key, revoke_key};
pub use faults::{
    add_fault, clear_faults, drop_streams, expire_tokens, mark_reauth, put_session, revoke_operator,
    stall_streams,
};
pub use jobs::{burst, end_job, fail_broadcast, fail_job, stored_comments};
pub use tunables::{get_settings, put_settings, stats};
