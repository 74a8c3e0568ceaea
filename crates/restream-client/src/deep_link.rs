//! Deep links as the OS hands them over, before anything acts on them: checked for size and
//! scheme, and summarised without their query values (which may carry authorization codes); and
//! the session id a `golive` link may carry. Nothing here trusts a link. The app shell numbers,
//! keeps and routes what passes; the controller then checks a callback against what it started.

use url::Url;

use crate::connect::MAX_LINK_BYTES;

/// A link that passed: what of it may be shown and logged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeepLinkSummary {
    /// `scheme://host/path`, without query or fragment.
    pub link: String,
    /// The names of its query parameters, each once, in order (values withheld).
    pub parameters: Vec<String>,
}

/// Why a link was dropped. Logged by kind only: the link itself is untrusted text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum DeepLinkRejected {
    /// Over [`MAX_LINK_BYTES`]: refused unread.
    #[error("longer than {MAX_LINK_BYTES} bytes")]
    TooLong,
    /// Not a URL at all.
    #[error("not a URL")]
    NotAUrl,
    /// Another app's scheme.
    #[error("not this app's scheme")]
    ForeignScheme,
}

/// Summarises `raw` if it is a link of `scheme`: `scheme://host/path` and its parameter names.
pub fn summarize_deep_link(raw: &str, scheme: &str) -> Result<DeepLinkSummary, DeepLinkRejected> {
    if raw.len() > MAX_LINK_BYTES {
        return Err(DeepLinkRejected::TooLong);
    }
    let url = Url::parse(raw).map_err(|_| DeepLinkRejected::NotAUrl)?;
    if !url.scheme().eq_ignore_ascii_case(scheme) {
        return Err(DeepLinkRejected::ForeignScheme);
    }
    let mut parameters: Vec<String> = Vec::new();
    for (name, _) in url.query_pairs() {
        if !parameters.iter().any(|p| *p == name) {
            parameters.push(name.into_owned());
        }
    }
    Ok(DeepLinkSummary {
        link: format!(
            "{}://{}{}",
            url.scheme(),
            url.host_str().unwrap_or_default(),
            url.path()
        ),
        parameters,
    })
}

/// A publisher session id from a `golive` link: exactly one `sessionId`, of at most 256 characters
/// of `[A-Za-z0-9._~:-]`.
pub fn golive_session_id(url: &Url) -> Option<String> {
    let mut ids = url
        .query_pairs()
        .filter(|(k, _)| k == "sessionId")
        .map(|(_, v)| v.into_owned());
    let id = ids.next()?;
    let valid = ids.next().is_none()
        && (1..=256).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'~' | b':' | b'-'));
    valid.then_some(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SCHEME: &str = "dev.restreamstudio";

    #[test]
    fn keeps_scheme_host_path_and_parameter_names_only() {
        let link = summarize_deep_link(
            "dev.restreamstudio://connect/callback?state=abc&platform=twitch&result=connected&state=again",
            SCHEME,
        )
        .unwrap();
        assert_eq!(link.link, "dev.restreamstudio://connect/callback");
        assert_eq!(link.parameters, ["state", "platform", "result"]);
        assert!(!format!("{link:?}").contains("abc"));
    }

    #[test]
    fn refuses_foreign_oversize_and_garbage() {
        assert_eq!(
            summarize_deep_link("https://evil.example/x", SCHEME),
            Err(DeepLinkRejected::ForeignScheme)
        );
        assert_eq!(
            summarize_deep_link("not a url", SCHEME),
            Err(DeepLinkRejected::NotAUrl)
        );
        let long = format!(
            "dev.restreamstudio://connect/callback?x={}",
            "a".repeat(MAX_LINK_BYTES)
        );
        assert_eq!(summarize_deep_link(&long, SCHEME), Err(DeepLinkRejected::TooLong));
        let fits = format!("dev.restreamstudio://n/{}", "a".repeat(MAX_LINK_BYTES - 23));
        assert_eq!(fits.len(), MAX_LINK_BYTES);
        assert!(
            summarize_deep_link(&fits, SCHEME).is_ok(),
            "the limit itself passes"
        );
    }

    #[test]
    fn golive_links_only_carry_a_plain_session_id() {
        let id = |s: &str| golive_session_id(&Url::parse(s).unwrap());
        assert_eq!(
            id("dev.restreamstudio://golive?sessionId=sess_123-abc"),
            Some("sess_123-abc".to_owned())
        );
        assert_eq!(id("dev.restreamstudio://golive?sessionId=a&sessionId=b"), None);
        assert_eq!(id("dev.restreamstudio://golive?sessionId=%3Cscript%3E"), None);
        assert_eq!(id("dev.restreamstudio://golive"), None);
        assert_eq!(
            id(&format!(
                "dev.restreamstudio://golive?sessionId={}",
                "a".repeat(257)
            )),
            None
        );
    }
}
