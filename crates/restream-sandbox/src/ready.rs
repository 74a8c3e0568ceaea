use serde::Serialize;

/// What a started sandbox tells its caller: printed as `READY {json}` by the binary.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Ready {
    /// `http://127.0.0.1:<port>`: the apiBase to give a client.
    pub base_url: String,
    /// The demo client's credentials; absent without `--seed-demo`.
    pub publishable_key: Option<String>,
    pub secret_key: Option<String>,
    pub user_id: Option<String>,
    /// The origin the studio sends with a publishable key.
    pub origin: String,
    /// A browser origin on the demo key's allowlist.
    pub browser_origin: String,
    /// Bearer token for `/sandbox/*`.
    pub admin_token: String,
    /// The studio's registered connect deep link.
    pub redirect_uri: String,
    /// v1.1, with the ingest on: the full URL (secret included) the RTMP server's `on_publish` and
    /// `on_publish_done` must call.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ingest_hook_url: Option<String>,
    /// v1.1, with the ingest on: the reconnect window after a lost publish, in milliseconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub publish_grace_ms: Option<u64>,
}
