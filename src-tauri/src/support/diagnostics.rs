//! "Copy diagnostics": what support needs to know about this studio, as plain text, with no
//! secret in it. Only names, states and redacted problems go in; keys, tokens and user ids
//! never do, and every line passes through the log redaction as well.

use serde_json::Value;
use tauri::Manager;

use crate::settings::keychain::SecretStorage;
use crate::studio::service::{ServiceState, ServiceStatus};
use crate::support::logging::{RecentProblems, redact};

/// What the text is made of, gathered from the app's state.
#[derive(Debug, Default)]
pub struct Facts {
    pub version: String,
    pub identifier: String,
    pub os: String,
    /// How the window paints (rendering.rs).
    pub painting: String,
    pub service: Option<ServiceStatus>,
    /// How the studio proves who it is (never the credential itself).
    pub auth_mode: String,
    pub secrets: String,
    /// The controller's snapshot as JSON, when a service is up.
    pub snapshot: Option<Value>,
    pub log_dir: String,
    pub problems: Vec<String>,
}

fn state_of(value: &Value, key: &str) -> String {
    value[key].as_str().unwrap_or("unknown").to_owned()
}

/// "platform status" for each entry of a list of links or destinations.
fn platform_states(list: &Value) -> Vec<String> {
    list.as_array()
        .into_iter()
        .flatten()
        .map(|entry| format!("{} {}", state_of(entry, "platform"), state_of(entry, "status")))
        .collect()
}

/// The diagnostics text.
pub fn render(facts: &Facts) -> String {
    let mut out = vec![
        facts.version.clone(),
        format!("Identifier: {}", facts.identifier),
        format!("OS: {}", facts.os),
        format!("Painting: {}", facts.painting),
    ];
    out.push(match &facts.service {
        None => "Service: not chosen yet".to_owned(),
        Some(ServiceStatus::Starting { mode }) => format!("Service: {mode:?}, starting"),
        Some(ServiceStatus::Up {
            mode,
            api_base,
            warning,
        }) => format!(
            "Service: {mode:?}, up at {api_base}{}",
            warning
                .as_ref()
                .map(|w| format!(" (warning: {w})"))
                .unwrap_or_default()
        ),
        Some(ServiceStatus::Down { mode, cause, .. }) => format!("Service: {mode:?}, down: {cause}"),
    });
    out.push(format!("Signs in with: {}", facts.auth_mode));
    out.push(format!("Secrets kept in: {}", facts.secrets));
    if let Some(snapshot) = &facts.snapshot {
        out.push(format!("Sign-in: {}", state_of(&snapshot["auth"], "state")));
        let connections = platform_states(&snapshot["connections"]);
        out.push(format!(
            "Linked: {}",
            if connections.is_empty() {
                "none".to_owned()
            } else {
                connections.join(", ")
            }
        ));
        let job = &snapshot["job"];
        if job.is_null() {
            out.push("Stream: none".to_owned());
        } else {
            let destinations = platform_states(&job["broadcasts"]);
            out.push(format!(
                "Stream: {} ({})",
                state_of(job, "status"),
                destinations.join(", ")
            ));
        }
        out.push(format!("Chat: {}", state_of(&snapshot["chat"], "state")));
    }
    out.push(format!("Logs: {}", facts.log_dir));
    out.push("Recent problems:".to_owned());
    if facts.problems.is_empty() {
        out.push("  none".to_owned());
    }
    out.extend(facts.problems.iter().map(|p| format!("  {p}")));
    redact(&out.join("\n"))
}

fn os_name() -> String {
    let pretty = std::fs::read_to_string("/etc/os-release").ok().and_then(|text| {
        text.lines()
            .find_map(|l| l.strip_prefix("PRETTY_NAME="))
            .map(|v| v.trim_matches('"').to_owned())
    });
    let arch = format!("{} {}", std::env::consts::OS, std::env::consts::ARCH);
    pretty.map_or(arch.clone(), |name| format!("{name}, {arch}"))
}

fn auth_mode(credential: &restream_client::Credential, demo: bool) -> String {
    use restream_client::Credential;
    match credential {
        _ if demo => "the demo service's key".to_owned(),
        Credential::PublishableKey { .. } => "a publishable key".to_owned(),
        Credential::Token(_) => "a fixed token".to_owned(),
        Credential::Operator(operator) => {
            format!("sign-in with the operator (client {})", operator.client_id)
        }
    }
}

/// Gathers the facts from the running app.
pub async fn gather(app: &tauri::AppHandle) -> Facts {
    let brand = crate::settings::brand::brand();
    let service = app.state::<ServiceState>();
    let status = service.status();
    let demo = matches!(
        &status,
        ServiceStatus::Up {
            mode: crate::studio::service::ServiceMode::Demo,
            ..
        }
    );
    let studio = service.studio().ok();
    let (_, storage) = crate::studio::service::ensure_secrets(app).await;
    Facts {
        version: crate::support::version::version_line(),
        identifier: brand.identifier.clone(),
        os: os_name(),
        painting: match app.get_webview_window(crate::desktop::window::MAIN) {
            Some(window) => crate::desktop::rendering::painting(&window).await,
            None => "no window".to_owned(),
        },
        service: Some(status),
        auth_mode: studio.as_ref().map_or("no service yet".to_owned(), |s| {
            auth_mode(&s.config().credential, demo)
        }),
        secrets: match storage {
            SecretStorage::Keychain => "the OS keychain".to_owned(),
            SecretStorage::SessionOnly { reason } => format!("memory only ({reason})"),
        },
        snapshot: studio.map(|studio| {
            let s = studio.snapshot();
            // Only states: comments, viewers and errors stay out.
            serde_json::json!({
                "auth": s.auth,
                "connections": s.connections,
                "job": s.job,
                "chat": s.chat,
            })
        }),
        log_dir: app
            .path()
            .app_log_dir()
            .map_or_else(|e| format!("none ({e})"), |d| d.display().to_string()),
        problems: app.state::<RecentProblems>().lines(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_text_names_states_and_problems_and_no_secret() {
        let facts = Facts {
            version: "Restream Studio 0.1.0".into(),
            identifier: "dev.restreamstudio.studio".into(),
            os: "Debian GNU/Linux 12 (bookworm), linux x86_64".into(),
            painting: "without accelerated compositing".into(),
            service: Some(ServiceStatus::Up {
                mode: crate::studio::service::ServiceMode::Configured,
                api_base: "https://api.example.com".into(),
                warning: None,
            }),
            auth_mode: "a publishable key".into(),
            secrets: "the OS keychain".into(),
            snapshot: Some(json!({
                "auth": { "state": "notRequired" },
                "connections": [{ "platform": "twitch", "status": "connected" }],
                "job": { "status": "running", "broadcasts": [
                    { "platform": "twitch", "status": "live", "watchUrl": "https://twitch.tv/x?sig=1" }
                ] },
                "chat": { "state": "live" },
            })),
            log_dir: "/home/s/.local/share/dev.restreamstudio.studio/logs".into(),
            problems: vec!["WARN refused pk_test_canary0123456789".into()],
        };
        let text = render(&facts);
        for expected in [
            "Restream Studio 0.1.0",
            "Service: Configured, up at https://api.example.com",
            "Signs in with: a publishable key",
            "Painting: without accelerated compositing",
            "Linked: twitch connected",
            "Stream: running (twitch live)",
            "Chat: live",
            "Recent problems:\n  WARN refused pk_[redacted]",
        ] {
            assert!(text.contains(expected), "{expected:?} missing from:\n{text}");
        }
        assert!(!text.contains("canary"), "{text}");
    }
}
