//! One module per resource of the contract.

pub mod auth_session;
pub mod json_body;
pub mod platforms;
