//! The brand file's shape: the types that are its single source (the JSON Schema is generated
//! from them) and the error that names the field at fault.

use std::fmt;
use std::path::{Path, PathBuf};

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The file that the default build embeds, relative to the workspace root.
pub const DEFAULT_BRAND: &str = "brands/default.json";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schemars(title = "Restream Studio brand file")]
pub struct Brand {
    /// Where editors find this schema.
    #[serde(rename = "$schema", default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// The name streamers see: window title, menus, installers.
    #[schemars(length(min = 1, max = 64))]
    pub product_name: String,
    /// Reverse-domain identifier, unique to this product (`com.example.studio`). It also names
    /// the keychain entries, so changing it later signs every streamer out.
    #[schemars(regex(pattern = r"^[A-Za-z][A-Za-z0-9-]*(\.[A-Za-z][A-Za-z0-9-]*)+$"))]
    pub identifier: String,
    /// The executable's and the Linux package's name: lowercase letters, digits and hyphens.
    #[schemars(regex(pattern = r"^[a-z][a-z0-9-]{0,63}$"))]
    pub binary_name: String,
    /// Reverse-domain URL scheme the operator's pages return to (`com.example.studio`).
    #[schemars(regex(pattern = r"^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)+$"))]
    pub deep_link_scheme: String,
    /// A square PNG, at least 512×512, relative to the brand file; every icon size is made from it.
    pub icon: String,
    pub colors: Colors,
    pub service: Service,
    /// The platforms streamers can link, in the order they are listed.
    #[schemars(length(min = 1), extend("uniqueItems" = true))]
    pub platforms: Vec<Platform>,
    /// Hosts, besides the service's and the platforms' own, whose pages the studio may open in
    /// the system browser (help pages, the operator's dashboard).
    #[serde(default)]
    pub opener_hosts: Vec<String>,
    /// Whether streamers may connect with a publishable key (trusted setups only).
    #[serde(default)]
    pub allow_publishable_key: bool,
    /// Whether the bundled demo service is offered.
    #[serde(default = "yes")]
    pub demo_mode: bool,
    /// Settings that streamers cannot change: the brand's values always apply.
    #[serde(default)]
    #[schemars(extend("uniqueItems" = true))]
    pub locked: Vec<LockedSetting>,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Colors {
    /// `#rrggbb`: buttons and highlights. White text sits on it, so it needs a contrast of at
    /// least 4.5:1 with white (WCAG AA).
    #[schemars(regex(pattern = r"^#[0-9A-Fa-f]{6}$"))]
    pub accent: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Service {
    /// The Restream Service's address: https, or http on this computer for development.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_base: Option<String>,
    /// How streamers connect when they have not chosen otherwise.
    pub credential_mode: CredentialMode,
    /// Sign-in with the operator (token mode).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operator: Option<Operator>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum CredentialMode {
    /// The bundled demo service.
    Demo,
    /// Streamers sign in with the operator.
    Token,
    /// A publishable key and user id (needs `allowPublishableKey`).
    PublishableKey,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Operator {
    /// The studio's OAuth client id at the operator.
    pub client_id: String,
    /// Where the operator's endpoints live when not named one by one; defaults to `apiBase`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The sign-in page; defaults to `<url>/operator/authorize`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sign_in_url: Option<String>,
    /// The OAuth token endpoint; defaults to `<url>/operator/token`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_url: Option<String>,
    /// Mints Restream tokens (the SDK's `tokenEndpoint`); defaults to
    /// `<url>/operator/restream-token`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub restream_token_url: Option<String>,
    /// Revokes a refresh token at sign-out; defaults to `<url>/operator/revoke`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revoke_url: Option<String>,
}

/// A platform, by the contract's lowercase name. Its own type, not the client's: the app's build
/// script checks brands, and this crate stays small enough for that (the app converts by name).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Platform {
    Twitch,
    Kick,
    Youtube,
    Facebook,
    Instagram,
}

/// A setting a brand can lock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum LockedSetting {
    /// `service.apiBase`.
    ApiBase,
    /// `service.credentialMode`.
    CredentialMode,
    /// `service.operator`: the client id and the operator's addresses.
    Operator,
}

/// Why a brand file was refused: the field, and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrandError {
    /// The field's path in the file (`service.apiBase`), or the file itself.
    pub field: String,
    pub problem: String,
}

impl fmt::Display for BrandError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.problem)
    }
}

impl std::error::Error for BrandError {}

impl BrandError {
    pub(crate) fn new(field: &str, problem: impl Into<String>) -> BrandError {
        BrandError {
            field: field.to_owned(),
            problem: problem.into(),
        }
    }
}

impl Brand {
    /// The icon's path, given the brand file's.
    pub fn icon_path(&self, brand_file: &Path) -> PathBuf {
        brand_file
            .parent()
            .unwrap_or_else(|| Path::new("."))
            .join(&self.icon)
    }

    pub fn is_locked(&self, setting: LockedSetting) -> bool {
        self.locked.contains(&setting)
    }
}
