use std::fmt;

use url::Url;

/// A validated `apiBase`: scheme + host + port, no path, no query, no credentials, no trailing
/// slash. Requests go to `{apiBase}/api/v1/...`.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiBase(String);

/// Why a string is not a usable `apiBase`; each names the fix.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApiBaseError {
    /// Not parseable as an absolute URL with a host; carries the input as given.
    #[error("“{0}” is not a URL. Enter the service address, e.g. https://restream.example.com")]
    NotAUrl(String),
    /// Neither `https`, nor `http` to a loopback host.
    #[error("The API base must start with https:// (or http:// for a service on this computer)")]
    Scheme,
    /// The URL carries a user name or password.
    #[error("The API base must not contain a user name or password")]
    Userinfo,
    /// The URL has a path, query or fragment; carries the input as given.
    #[error("The API base is the address alone: remove the path, query or fragment (“{0}”)")]
    HasPath(String),
}

impl ApiBase {
    /// Parses and validates `input`, tolerating surrounding whitespace and one trailing slash.
    pub fn parse(input: &str) -> Result<ApiBase, ApiBaseError> {
        let trimmed = input.trim();
        let url = Url::parse(trimmed).map_err(|_| ApiBaseError::NotAUrl(trimmed.to_owned()))?;
        if url.host().is_none() {
            return Err(ApiBaseError::NotAUrl(trimmed.to_owned()));
        }
        let loopback = is_loopback(&url);
        match url.scheme() {
            "https" => {}
            "http" if loopback => {}
            _ => return Err(ApiBaseError::Scheme),
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(ApiBaseError::Userinfo);
        }
        if url.path() != "/" || url.query().is_some() || url.fragment().is_some() {
            return Err(ApiBaseError::HasPath(trimmed.to_owned()));
        }
        // `Url` renders an origin as `scheme://host[:port]/`; the contract's form has no slash.
        let origin = url.as_str().trim_end_matches('/').to_owned();
        Ok(ApiBase(origin))
    }

    /// The base as the contract writes it, e.g. `http://127.0.0.1:41234`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether the service runs on this computer (the sandbox, a local service).
    pub fn is_loopback(&self) -> bool {
        Url::parse(&self.0).is_ok_and(|url| is_loopback(&url))
    }

    /// `{apiBase}/api/v1{path}`; `path` starts with `/`.
    pub fn endpoint(&self, path: &str) -> String {
        format!("{}/api/v1{path}", self.0)
    }
}

/// Whether `url` points at this computer: a loopback address or `localhost`.
pub fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

/// A client that honours the OS's proxy settings (reqwest's `system-proxy`: Windows' Internet
/// settings, macOS' network settings), except for this computer: those settings do not exempt
/// loopback on every OS, and a request to a local service must never reach a proxy, credential
/// and all.
pub fn proxied_unless_loopback(builder: reqwest::ClientBuilder, loopback: bool) -> reqwest::ClientBuilder {
    if loopback { builder.no_proxy() } else { builder }
}

impl fmt::Display for ApiBase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for ApiBase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ApiBase({})", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_is_this_computer_by_address_or_name() {
        for local in [
            "http://127.0.0.1:41234",
            "http://[::1]:8080",
            "http://LOCALHOST:9",
        ] {
            assert!(ApiBase::parse(local).unwrap().is_loopback(), "{local}");
        }
        for remote in [
            "https://restream.example.com",
            "https://10.0.0.2",
            "https://localhost.example",
        ] {
            assert!(!ApiBase::parse(remote).unwrap().is_loopback(), "{remote}");
        }
    }

    #[test]
    fn accepts_origins() {
        assert_eq!(
            ApiBase::parse(" https://api.example.com/ ").unwrap().as_str(),
            "https://api.example.com"
        );
        assert_eq!(
            ApiBase::parse("http://127.0.0.1:41234").unwrap().as_str(),
            "http://127.0.0.1:41234"
        );
        assert_eq!(
            ApiBase::parse("http://127.0.0.1:41234")
                .unwrap()
                .endpoint("/platforms"),
            "http://127.0.0.1:41234/api/v1/platforms"
        );
    }

    #[test]
    fn refuses_what_the_contract_does_not_allow() {
        assert_eq!(
            ApiBase::parse("http://api.example.com"),
            Err(ApiBaseError::Scheme)
        );
        assert_eq!(ApiBase::parse("ftp://127.0.0.1"), Err(ApiBaseError::Scheme));
        assert_eq!(
            ApiBase::parse("https://u:p@api.example.com"),
            Err(ApiBaseError::Userinfo)
        );
        assert!(matches!(
            ApiBase::parse("https://api.example.com/api/v1"),
            Err(ApiBaseError::HasPath(_))
        ));
        assert!(matches!(
            ApiBase::parse("api.example.com"),
            Err(ApiBaseError::NotAUrl(_))
        ));
        assert!(matches!(ApiBase::parse(""), Err(ApiBaseError::NotAUrl(_))));
    }
}
