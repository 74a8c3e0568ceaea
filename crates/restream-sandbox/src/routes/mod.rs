//! One module per resource.

pub mod admin;
pub mod assets;
pub mod auth_session;
pub mod chat;
pub mod connections;
pub mod consent;
pub mod html;
pub mod ingest;
pub mod ingest_hook;
pub mod jobs;
pub mod json_body;
pub mod moderation;
pub mod operator;
pub mod params;
pub mod platforms;
pub mod stream;
