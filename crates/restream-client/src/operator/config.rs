//! Where the operator's sign-in lives: the addresses a branded build bakes in, or the sandbox's
//! operator role. Plain data, apart from the client that uses it.

use url::Url;

use crate::api_base::ApiBase;

/// Where the operator's sign-in lives (a branded build bakes these in).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OperatorConfig {
    /// The sign-in page (`/operator/authorize` in the sandbox).
    pub sign_in_url: Url,
    /// The OAuth token endpoint (`operatorTokenUrl`).
    pub token_url: Url,
    /// Mints restream tokens with the operator access token (`tokenEndpoint`).
    pub restream_token_url: Url,
    /// Revokes a refresh token at sign-out, when the operator offers it.
    pub revoke_url: Option<Url>,
    /// The studio's OAuth client id at the operator.
    pub client_id: String,
}

impl OperatorConfig {
    /// The sandbox's operator role at `api_base` for `client_id`.
    pub fn at(api_base: &ApiBase, client_id: &str) -> Result<OperatorConfig, url::ParseError> {
        let root = |path: &str| Url::parse(&format!("{}{path}", api_base.as_str()));
        Ok(OperatorConfig {
            sign_in_url: root("/operator/authorize")?,
            token_url: root("/operator/token")?,
            restream_token_url: root("/operator/restream-token")?,
            revoke_url: Some(root("/operator/revoke")?),
            client_id: client_id.to_owned(),
        })
    }
}
