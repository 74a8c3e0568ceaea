//! Which Restream Service the studio talks to, judged from variables: the environment's, or the
//! saved settings' under the same names, over the brand's defaults (`brand.rs`). With none set
//! and a brand that offers it, the studio runs the bundled demo service.

use restream_client::{ApiBase, Credential, OperatorConfig, StudioConfig};

pub const ENV_API_BASE: &str = "RESTREAM_STUDIO_API_BASE";
pub const ENV_PUBLISHABLE_KEY: &str = "RESTREAM_STUDIO_PUBLISHABLE_KEY";
pub const ENV_USER_ID: &str = "RESTREAM_STUDIO_USER_ID";
pub const ENV_ORIGIN: &str = "RESTREAM_STUDIO_ORIGIN";
pub const ENV_TOKEN: &str = "RESTREAM_STUDIO_TOKEN";
/// Token mode: the operator's client id; the operator's sign-in routes (`/operator/*`) are at
/// `RESTREAM_STUDIO_OPERATOR_URL`, by default the API base (as in the sandbox).
pub const ENV_OPERATOR_CLIENT_ID: &str = "RESTREAM_STUDIO_OPERATOR_CLIENT_ID";
pub const ENV_OPERATOR_URL: &str = "RESTREAM_STUDIO_OPERATOR_URL";

/// Every variable that can choose the service.
pub const SERVICE_VARS: [&str; 7] = [
    ENV_API_BASE,
    ENV_PUBLISHABLE_KEY,
    ENV_USER_ID,
    ENV_ORIGIN,
    ENV_TOKEN,
    ENV_OPERATOR_CLIENT_ID,
    ENV_OPERATOR_URL,
];

/// The service variables set in `var` (the process environment in the app).
pub fn service_vars(var: impl Fn(&str) -> Option<String>) -> std::collections::HashMap<String, String> {
    SERVICE_VARS
        .iter()
        .filter_map(|name| var(name).map(|value| (name.to_string(), value)))
        .collect()
}

/// The contract's default origin for a desktop client.
pub const DEFAULT_ORIGIN: &str = "tauri://localhost";

/// What a publishable key on a non-loopback service means, shown wherever that setup is chosen
/// or running.
pub const PUBLISHABLE_KEY_WARNING: &str = "Anyone who has this publishable key can act as any user of this service. Use sign-in (token mode) for a real service.";

/// Whether the API base is this computer (a local sandbox), where a publishable key reaches no one
/// else.
pub fn is_loopback_base(api_base: &ApiBase) -> bool {
    url::Url::parse(api_base.as_str()).is_ok_and(|u| match u.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(name)) => name == "localhost",
        None => false,
    })
}

/// The warning a running configuration deserves, if any.
pub fn warning_for(config: &StudioConfig) -> Option<String> {
    (matches!(config.credential, Credential::PublishableKey { .. }) && !is_loopback_base(&config.api_base))
        .then(|| PUBLISHABLE_KEY_WARNING.to_owned())
}

#[derive(Debug)]
pub enum ServiceChoice {
    /// Nothing configured: start the bundled sandbox.
    Demo,
    Configured(Box<StudioConfig>),
    /// Something is configured but unusable; says why and how to fix it.
    Invalid {
        cause: String,
        fix: String,
    },
}

/// Where the service's settings came from, so that every message names the place the streamer
/// set them: a variable they exported, or a field of the Settings panel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SettingsSource {
    /// The process environment (`RESTREAM_STUDIO_*`).
    Environment,
    /// The settings saved from the Settings panel.
    Settings,
}

impl SettingsSource {
    /// Where `var` is set, for "… in {place}".
    fn place(self, var: &str) -> &str {
        match self {
            SettingsSource::Environment => var,
            SettingsSource::Settings => "Settings",
        }
    }

    /// How to set `var` to `what`, as an instruction.
    fn set(self, var: &str, what: &str) -> String {
        match self {
            SettingsSource::Environment => format!("Set {var} to {what}."),
            SettingsSource::Settings => format!("Enter {what} as the {} in Settings.", field(var)),
        }
    }
}

/// The Settings panel's name for the field a variable stands for.
fn field(var: &str) -> &'static str {
    match var {
        ENV_API_BASE => "API base",
        ENV_PUBLISHABLE_KEY => "publishable key",
        ENV_USER_ID => "user id",
        ENV_ORIGIN => "origin",
        ENV_TOKEN => "token",
        ENV_OPERATOR_CLIENT_ID => "client id",
        ENV_OPERATOR_URL => "operator address",
        _ => "setting",
    }
}

/// Reads the choice from `var` (the process environment, or the saved settings as variables),
/// wording every problem for where it came from.
pub fn choose(source: SettingsSource, var: impl Fn(&str) -> Option<String>) -> ServiceChoice {
    let var = |name: &str| var(name).map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());
    let Some(api_base) = var(ENV_API_BASE) else {
        return ServiceChoice::Demo;
    };
    let api_base = match ApiBase::parse(&api_base) {
        Ok(base) => base,
        Err(e) => {
            return ServiceChoice::Invalid {
                cause: format!("The API base in {} is not usable.", source.place(ENV_API_BASE)),
                fix: e.to_string(),
            };
        }
    };
    if let Some(client_id) = var(ENV_OPERATOR_CLIENT_ID) {
        if var(ENV_TOKEN).is_some() || var(ENV_PUBLISHABLE_KEY).is_some() {
            return ServiceChoice::Invalid {
                cause: "Token mode and another credential are both set.".to_owned(),
                fix: format!("Set only {ENV_OPERATOR_CLIENT_ID} (token mode), or a key or token."),
            };
        }
        let operator_base = match var(ENV_OPERATOR_URL).map(|u| ApiBase::parse(&u)) {
            None => api_base.clone(),
            Some(Ok(base)) => base,
            Some(Err(e)) => {
                return ServiceChoice::Invalid {
                    cause: format!(
                        "The operator address in {} is not usable.",
                        source.place(ENV_OPERATOR_URL)
                    ),
                    fix: e.to_string(),
                };
            }
        };
        return match OperatorConfig::at(&operator_base, &client_id) {
            Ok(operator) => ServiceChoice::Configured(Box::new(StudioConfig::new(
                api_base,
                Credential::Operator(Box::new(operator)),
            ))),
            Err(e) => ServiceChoice::Invalid {
                cause: format!("The operator's sign-in address is not usable: {e}"),
                fix: format!(
                    "Check the operator address in {}.",
                    source.place(ENV_OPERATOR_URL)
                ),
            },
        };
    }
    let credential = match (var(ENV_TOKEN), var(ENV_PUBLISHABLE_KEY), var(ENV_USER_ID)) {
        (Some(token), None, _) => Credential::token(token),
        (None, Some(key), Some(user_id)) => {
            let origin = var(ENV_ORIGIN).unwrap_or_else(|| DEFAULT_ORIGIN.to_owned());
            Credential::publishable_key(key, user_id, origin)
        }
        (None, Some(_), None) => {
            return ServiceChoice::Invalid {
                cause: "A publishable key needs the streamer's user id.".to_owned(),
                fix: source.set(ENV_USER_ID, "the streamer's stable id"),
            };
        }
        (Some(_), Some(_), _) => {
            return ServiceChoice::Invalid {
                cause: "Both a token and a publishable key are set.".to_owned(),
                fix: format!("Set only one of {ENV_TOKEN} and {ENV_PUBLISHABLE_KEY}."),
            };
        }
        (None, None, _) => return no_credential(source),
    };
    ServiceChoice::Configured(Box::new(StudioConfig::new(api_base, credential)))
}

/// An API base with nothing to act as the streamer with, worded for where it was set.
fn no_credential(source: SettingsSource) -> ServiceChoice {
    match source {
        SettingsSource::Environment => ServiceChoice::Invalid {
            cause: "An API base is set but no credential.".to_owned(),
            fix: format!(
                "Set {ENV_OPERATOR_CLIENT_ID} (token mode), {ENV_PUBLISHABLE_KEY} and {ENV_USER_ID}, or {ENV_TOKEN}."
            ),
        },
        // The key is kept in the keychain, never in the settings file: with no keychain, a key
        // saved in an earlier run is gone, and this is how it shows (the app adds why).
        SettingsSource::Settings => ServiceChoice::Invalid {
            cause: "No publishable key or client id is saved in Settings.".to_owned(),
            fix: "Enter the publishable key in Settings, or your operator's client id to sign in.".to_owned(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn choose_from(pairs: &[(&str, &str)]) -> ServiceChoice {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        choose(SettingsSource::Environment, |name| map.get(name).cloned())
    }

    #[test]
    fn nothing_set_means_demo() {
        assert!(matches!(choose_from(&[]), ServiceChoice::Demo));
        assert!(matches!(
            choose_from(&[(ENV_API_BASE, "  ")]),
            ServiceChoice::Demo
        ));
    }

    #[test]
    fn a_publishable_key_with_user_id_is_configured() {
        let choice = choose_from(&[
            (ENV_API_BASE, "http://127.0.0.1:4000/"),
            (ENV_PUBLISHABLE_KEY, "pk_test_x"),
            (ENV_USER_ID, "u1"),
        ]);
        let ServiceChoice::Configured(config) = choice else {
            panic!("expected a configured service, got {choice:?}")
        };
        assert_eq!(config.api_base.as_str(), "http://127.0.0.1:4000");
        assert!(format!("{:?}", config.credential).contains("tauri://localhost"));
    }

    #[test]
    fn an_operator_client_id_means_token_mode() {
        let choice = choose_from(&[
            (ENV_API_BASE, "http://127.0.0.1:4000"),
            (ENV_OPERATOR_CLIENT_ID, "demo"),
        ]);
        let ServiceChoice::Configured(config) = choice else {
            panic!("expected token mode, got {choice:?}")
        };
        assert!(format!("{:?}", config.credential).contains("Operator"));
    }

    #[test]
    fn only_a_publishable_key_off_this_computer_is_warned_about() {
        let warned = |pairs: &[(&str, &str)]| match choose_from(pairs) {
            ServiceChoice::Configured(config) => warning_for(&config),
            other => panic!("{other:?}"),
        };
        let key = [(ENV_PUBLISHABLE_KEY, "pk_x"), (ENV_USER_ID, "u1")];
        for local in [
            "http://127.0.0.1:4000",
            "http://localhost:4000",
            "http://[::1]:4000",
        ] {
            let mut pairs = vec![(ENV_API_BASE, local)];
            pairs.extend(key);
            assert_eq!(warned(&pairs), None, "{local}");
        }
        let mut remote = vec![(ENV_API_BASE, "https://api.example.com")];
        remote.extend(key);
        assert_eq!(warned(&remote).as_deref(), Some(PUBLISHABLE_KEY_WARNING));
        let token_mode = [
            (ENV_API_BASE, "https://api.example.com"),
            (ENV_OPERATOR_CLIENT_ID, "c"),
        ];
        assert_eq!(warned(&token_mode), None);
    }

    #[test]
    fn broken_settings_say_what_to_fix() {
        for (pairs, expect) in [
            (vec![(ENV_API_BASE, "http://example.com")], "https://"),
            (vec![(ENV_API_BASE, "https://a.example")], ENV_PUBLISHABLE_KEY),
            (
                vec![(ENV_API_BASE, "https://a.example"), (ENV_PUBLISHABLE_KEY, "pk")],
                ENV_USER_ID,
            ),
            (
                vec![
                    (ENV_API_BASE, "https://a.example"),
                    (ENV_PUBLISHABLE_KEY, "pk"),
                    (ENV_TOKEN, "t"),
                ],
                ENV_TOKEN,
            ),
        ] {
            match choose_from(&pairs) {
                ServiceChoice::Invalid { fix, .. } => assert!(fix.contains(expect), "{fix}"),
                other => panic!("{pairs:?} gave {other:?}"),
            }
        }
    }

    #[test]
    fn problems_with_saved_settings_name_settings_not_variables() {
        let saved = |pairs: &[(&str, &str)]| {
            let map: HashMap<String, String> = pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
            match choose(SettingsSource::Settings, |name| map.get(name).cloned()) {
                ServiceChoice::Invalid { cause, fix } => format!("{cause} {fix}"),
                other => panic!("{pairs:?} gave {other:?}"),
            }
        };
        for (pairs, expect) in [
            // The key was saved in a run whose keychain is gone: only the user id is left.
            (
                vec![(ENV_API_BASE, "https://a.example"), (ENV_USER_ID, "u1")],
                "Enter the publishable key in Settings",
            ),
            (
                vec![(ENV_API_BASE, "https://a.example"), (ENV_PUBLISHABLE_KEY, "pk")],
                "Enter the streamer's stable id as the user id in Settings",
            ),
            (
                vec![(ENV_API_BASE, "http://example.com")],
                "The API base in Settings",
            ),
        ] {
            let said = saved(&pairs);
            assert!(said.contains(expect), "{said}");
            assert!(!said.contains("RESTREAM_STUDIO_"), "names a variable: {said}");
        }
    }
}
