//! The brand this build carries (`crates/restream-brand`, embedded by `build.rs`): the product's
//! name and colour, its service defaults, the settings it locks, and what it allows.
//!
//! Brand values are defaults: saved settings and the environment replace them, except where the
//! brand locks a setting, whose value then always applies.

use std::collections::HashMap;
use std::sync::LazyLock;

use restream_brand::{Brand, CredentialMode, LockedSetting};
use restream_client::{Credential, OperatorConfig, Platform};
use serde::Serialize;
use specta::Type;
use url::Url;

use crate::settings::service_config::{
    ENV_API_BASE, ENV_OPERATOR_CLIENT_ID, ENV_OPERATOR_URL, ENV_ORIGIN, ENV_PUBLISHABLE_KEY, ENV_TOKEN,
    ENV_USER_ID, ServiceChoice, SettingsSource,
};
use crate::settings::settings_file::{SettingsDraft, SettingsMode};
use crate::support::app_error::AppError;

static BRAND: LazyLock<Brand> = LazyLock::new(|| {
    serde_json::from_str(include_str!(concat!(env!("OUT_DIR"), "/brand.json")))
        .expect("build.rs checked the brand it embedded")
});

pub fn brand() -> &'static Brand {
    &BRAND
}

/// What the window needs of the brand.
#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct BrandView {
    pub product_name: String,
    /// `#rrggbb`, with white text on it.
    pub accent: String,
    /// The platforms streamers may link, in the brand's order.
    pub platforms: Vec<Platform>,
    pub demo_offered: bool,
    pub allow_publishable_key: bool,
    pub locked: LockedView,
}

/// Which settings fields the brand fixes.
#[derive(Debug, Clone, Copy, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct LockedView {
    pub api_base: bool,
    pub credential_mode: bool,
    pub operator: bool,
}

pub fn view(brand: &Brand) -> BrandView {
    BrandView {
        product_name: brand.product_name.clone(),
        accent: brand.colors.accent.clone(),
        platforms: enabled_platforms(brand),
        demo_offered: brand.demo_mode,
        allow_publishable_key: brand.allow_publishable_key,
        locked: LockedView {
            api_base: brand.is_locked(LockedSetting::ApiBase),
            credential_mode: brand.is_locked(LockedSetting::CredentialMode),
            operator: brand.is_locked(LockedSetting::Operator),
        },
    }
}

/// The brand's platforms as the client's: both speak the contract's lowercase names.
pub fn enabled_platforms(brand: &Brand) -> Vec<Platform> {
    brand
        .platforms
        .iter()
        .filter_map(|p| serde_json::to_value(p).and_then(serde_json::from_value).ok())
        .collect()
}

/// Refuses a platform this build does not offer (the window never shows one; this guards the
/// commands themselves).
pub fn check_platforms(brand: &Brand, platforms: &[Platform]) -> Result<(), AppError> {
    let enabled = enabled_platforms(brand);
    match platforms.iter().find(|p| !enabled.contains(p)) {
        None => Ok(()),
        Some(platform) => Err(AppError::new(
            "platform_not_enabled",
            format!("{} does not offer {}.", brand.product_name, platform.as_str()),
            "Choose one of the platforms listed in the window.",
        )),
    }
}

/// The settings a streamer starts from: the brand's service defaults.
pub fn default_draft(brand: &Brand) -> SettingsDraft {
    let operator = brand.service.operator.as_ref();
    SettingsDraft {
        mode: match brand.service.credential_mode {
            CredentialMode::Demo => SettingsMode::Demo,
            CredentialMode::Token => SettingsMode::Token,
            CredentialMode::PublishableKey => SettingsMode::PublishableKey,
        },
        api_base: brand.service.api_base.clone().unwrap_or_default(),
        operator_client_id: operator.map(|o| o.client_id.clone()).unwrap_or_default(),
        operator_url: operator.and_then(|o| o.url.clone()).unwrap_or_default(),
        ..SettingsDraft::default()
    }
}

/// `vars` (saved settings or the environment, as variable names) with the brand's locked
/// settings put back.
pub fn with_locks(brand: &Brand, mut vars: HashMap<String, String>) -> HashMap<String, String> {
    let defaults = default_draft(brand).vars();
    let mut put_back = |name: &str| match defaults.get(name) {
        Some(value) => {
            vars.insert(name.to_owned(), value.clone());
        }
        None => {
            vars.remove(name);
        }
    };
    if brand.is_locked(LockedSetting::ApiBase) {
        put_back(ENV_API_BASE);
    }
    if brand.is_locked(LockedSetting::Operator) {
        put_back(ENV_OPERATOR_CLIENT_ID);
        put_back(ENV_OPERATOR_URL);
    }
    if brand.is_locked(LockedSetting::CredentialMode) {
        let others: &[&str] = match brand.service.credential_mode {
            CredentialMode::Demo => return HashMap::new(),
            CredentialMode::Token => &[ENV_TOKEN, ENV_PUBLISHABLE_KEY, ENV_USER_ID, ENV_ORIGIN],
            CredentialMode::PublishableKey => &[ENV_TOKEN, ENV_OPERATOR_CLIENT_ID, ENV_OPERATOR_URL],
        };
        for name in others {
            vars.remove(*name);
        }
        for (name, value) in defaults {
            vars.entry(name).or_insert(value);
        }
    }
    vars
}

/// The service `vars` choose, held to what the brand allows.
pub fn choose(brand: &Brand, source: SettingsSource, vars: HashMap<String, String>) -> ServiceChoice {
    let vars = with_locks(brand, vars);
    let mut choice = crate::settings::service_config::choose(source, |name| vars.get(name).cloned());
    match &mut choice {
        ServiceChoice::Demo if !brand.demo_mode => ServiceChoice::Invalid {
            cause: format!("{} has no demo mode.", brand.product_name),
            fix: "Open Settings and choose your operator's service.".to_owned(),
        },
        ServiceChoice::Configured(config)
            if matches!(config.credential, Credential::PublishableKey { .. })
                && !brand.allow_publishable_key =>
        {
            ServiceChoice::Invalid {
                cause: format!("{} does not accept a publishable key.", brand.product_name),
                fix: "Open Settings and sign in with your operator instead.".to_owned(),
            }
        }
        ServiceChoice::Configured(config) => {
            if let Credential::Operator(operator) = &mut config.credential {
                named_operator_urls(brand, operator);
            }
            choice
        }
        _ => choice,
    }
}

/// The operator addresses the brand names one by one, for its own client id.
fn named_operator_urls(brand: &Brand, operator: &mut OperatorConfig) {
    let Some(named) = &brand.service.operator else {
        return;
    };
    if named.client_id != operator.client_id {
        return;
    }
    let parse = |value: &Option<String>| value.as_deref().and_then(|v| Url::parse(v).ok());
    if let Some(url) = parse(&named.sign_in_url) {
        operator.sign_in_url = url;
    }
    if let Some(url) = parse(&named.token_url) {
        operator.token_url = url;
    }
    if let Some(url) = parse(&named.restream_token_url) {
        operator.restream_token_url = url;
    }
    if let Some(url) = parse(&named.revoke_url) {
        operator.revoke_url = Some(url);
    }
}

/// Whether the brand lets the system browser open pages on `host`.
pub fn opener_allows(brand: &Brand, host: &str) -> bool {
    brand.opener_hosts.iter().any(|allowed| allowed == host)
}

#[cfg(test)]
mod tests;
