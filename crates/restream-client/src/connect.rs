//! Linking a platform: the authorization state, the hosted page opened in the system browser, and
//! completion by whichever comes first — the deep link (untrusted: parsed strictly and matched in
//! constant time) or polling the authorization's status.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use tokio::sync::oneshot;
use tokio::time::Instant;
use url::Url;

use crate::platforms::Platform;
use crate::url_token::same_secret;

/// Longest deep link read at all.
pub const MAX_LINK_BYTES: usize = 2048;
/// A pending connect expires after this (the service's default authorization lifetime).
pub const CONNECT_LIFETIME: Duration = Duration::from_secs(600);
/// Connects waiting for their link at once, at most: one per platform and a few to spare. Each
/// opens a browser page, so more is a runaway window, not a streamer.
pub const PENDING_KEPT: usize = 8;

/// How a connect ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "outcome", rename_all = "camelCase")]
pub enum ConnectOutcome {
    /// The platform is linked; the connection list is reloaded.
    Connected {
        /// The platform being linked.
        platform: Platform,
    },
    /// The streamer refused on the platform's page.
    Denied {
        /// The platform being linked.
        platform: Platform,
    },
    /// The authorization expired before an answer.
    Expired {
        /// The platform being linked.
        platform: Platform,
    },
    /// Cancelled in the studio (or by a newer connect of the same platform).
    Cancelled {
        /// The platform being linked.
        platform: Platform,
    },
    /// Neither the link nor the service gave an answer in time.
    TimedOut {
        /// The platform being linked.
        platform: Platform,
    },
    /// The platform's page answered with another error.
    Failed {
        /// The platform being linked.
        platform: Platform,
        /// The error the page reported.
        error: String,
    },
}

/// What the studio made of a deep link handed to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "verdict", rename_all = "camelCase")]
pub enum LinkVerdict {
    /// It matched a pending connect (of `platform`) or sign-in; the service confirms the outcome.
    Accepted {
        /// The pending connect's platform; `None` for a sign-in link.
        platform: Option<Platform>,
    },
    /// Ignored, and why (never acted on).
    Rejected {
        /// What was wrong with the link.
        reason: String,
    },
}

/// A connect link's parameters once its shape is checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectLink {
    /// The client's own state, echoed back: matched against a pending connect.
    pub state: String,
    /// The platform the link claims to be about.
    pub platform: Platform,
    /// `connected` or `error`.
    pub result: String,
    /// With `result=error`: why (`access_denied`, …).
    pub error: Option<String>,
}

/// Parses `raw` as a connect callback for `redirect_uri`: exact scheme, host and path; at most
/// 2 KiB; no parameter twice; unknown parameters ignored.
pub fn parse_connect_link(raw: &str, redirect_uri: &str) -> Result<ConnectLink, String> {
    if raw.len() > MAX_LINK_BYTES {
        return Err(format!("longer than {MAX_LINK_BYTES} bytes"));
    }
    let url = Url::parse(raw).map_err(|_| "not a URL".to_owned())?;
    let expected = Url::parse(redirect_uri).map_err(|_| "the redirect URI is not a URL".to_owned())?;
    if url.scheme() != expected.scheme()
        || url.host_str() != expected.host_str()
        || url.path() != expected.path()
    {
        return Err("not this studio's connect link".to_owned());
    }
    if url.username() != "" || url.password().is_some() || url.port() != expected.port() {
        return Err("not this studio's connect link".to_owned());
    }
    let mut params: HashMap<String, String> = HashMap::new();
    for (name, value) in url.query_pairs() {
        if params.insert(name.to_string(), value.to_string()).is_some() {
            return Err(format!("parameter `{name}` appears twice"));
        }
    }
    let take = |name: &str| {
        params
            .get(name)
            .cloned()
            .ok_or_else(|| format!("no `{name}` parameter"))
    };
    let platform = take("platform")?;
    Ok(ConnectLink {
        state: take("state")?,
        platform: Platform::parse(&platform).ok_or_else(|| "unknown platform".to_owned())?,
        result: take("result")?,
        error: params.get("error").cloned(),
    })
}

struct Pending {
    platform: Platform,
    expires_at: Instant,
    /// Wakes the waiting `connect` when a matching link arrives.
    link: Option<oneshot::Sender<()>>,
}

/// The connects in progress, by state. One owner; entries are one-shot.
#[derive(Default)]
pub struct PendingConnects {
    by_state: Mutex<Vec<(String, Pending)>>,
}

impl PendingConnects {
    /// Registers a new connect; returns the receiver woken by its link, or `None` when
    /// `PENDING_KEPT` connects are waiting already.
    pub fn add(&self, state: String, platform: Platform) -> Option<oneshot::Receiver<()>> {
        let (tx, rx) = oneshot::channel();
        let mut pending = self.lock();
        pending.retain(|(_, p)| p.expires_at > Instant::now());
        if pending.len() >= PENDING_KEPT {
            return None;
        }
        pending.push((
            state,
            Pending {
                platform,
                expires_at: Instant::now() + CONNECT_LIFETIME,
                link: Some(tx),
            },
        ));
        Some(rx)
    }

    pub fn remove(&self, state: &str) {
        self.lock().retain(|(s, _)| s != state);
    }

    /// Matches a link's state against every pending connect in constant time per entry, so no
    /// timing tells a forger how close a guess was.
    pub fn accept(&self, link: &ConnectLink) -> Result<Platform, String> {
        let mut pending = self.lock();
        let mut found = None;
        for (i, (state, _)) in pending.iter().enumerate() {
            if same_secret(state, &link.state) {
                found = Some(i);
            }
        }
        let Some(i) = found else {
            return Err("unknown or already used state".to_owned());
        };
        let entry = &mut pending[i].1;
        if entry.expires_at <= Instant::now() {
            pending.remove(i);
            return Err("expired state".to_owned());
        }
        if entry.platform != link.platform {
            return Err("the link is for another platform".to_owned());
        }
        let Some(wake) = entry.link.take() else {
            return Err("already used state".to_owned());
        };
        let _ = wake.send(());
        Ok(entry.platform)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<(String, Pending)>> {
        self.by_state.lock().unwrap_or_else(|p| p.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const REDIRECT: &str = "dev.restreamstudio://connect/callback";
    const STATE: &str = "Zm9yZ2VkLXN0YXRlLWZvci10ZXN0cy0xMjM0NTY3ODkw";

    fn link(query: &str) -> String {
        format!("{REDIRECT}?{query}")
    }

    #[test]
    fn accepts_the_contract_shape_and_ignores_unknown_parameters() {
        let parsed = parse_connect_link(
            &link(&format!("state={STATE}&platform=twitch&result=connected&utm=x")),
            REDIRECT,
        )
        .unwrap();
        assert_eq!(parsed.platform, Platform::Twitch);
        assert_eq!(parsed.result, "connected");
    }

    #[test]
    fn hostile_links_are_refused() {
        let good = format!("state={STATE}&platform=twitch&result=connected");
        for bad in [
            format!("https://connect/callback?{good}"),
            format!("dev.restreamstudio://evil/callback?{good}"),
            format!("dev.restreamstudio://connect/other?{good}"),
            format!("dev.restreamstudio://user@connect/callback?{good}"),
            format!("dev.restreamstudio://connect:99/callback?{good}"),
            link(&format!("{good}&state=another")),
            link(&format!("state={STATE}&platform=myspace&result=connected")),
            link("platform=twitch&result=connected"),
            link(&format!("{good}&x={}", "a".repeat(MAX_LINK_BYTES))),
            "not a url".to_owned(),
        ] {
            assert!(parse_connect_link(&bad, REDIRECT).is_err(), "accepted {bad}");
        }
    }

    #[test]
    fn a_link_of_the_longest_length_is_read_and_one_byte_more_is_not() {
        let start = link(&format!("state={STATE}&platform=twitch&result=connected&pad="));
        let longest = format!("{start}{}", "a".repeat(MAX_LINK_BYTES - start.len()));
        assert_eq!(longest.len(), MAX_LINK_BYTES);
        assert!(parse_connect_link(&longest, REDIRECT).is_ok());
        assert_eq!(
            parse_connect_link(&format!("{longest}a"), REDIRECT),
            Err(format!("longer than {MAX_LINK_BYTES} bytes"))
        );
    }

    #[tokio::test(start_paused = true)]
    async fn a_connect_is_over_when_its_lifetime_is() {
        let full = PendingConnects::default();
        for n in 0..PENDING_KEPT {
            full.add(format!("state-{n}"), Platform::Twitch).unwrap();
        }
        let one = PendingConnects::default();
        one.add("state-0".into(), Platform::Twitch).unwrap();
        let as_link =
            parse_connect_link(&link("state=state-0&platform=twitch&result=connected"), REDIRECT).unwrap();
        tokio::time::advance(CONNECT_LIFETIME).await;
        // At that instant the waiting connects' places are free for others, and a link is refused.
        assert!(full.add("after".into(), Platform::Kick).is_some());
        assert_eq!(one.accept(&as_link), Err("expired state".to_owned()));
    }

    #[tokio::test(start_paused = true)]
    async fn states_are_one_shot_expire_and_belong_to_one_platform() {
        let pending = PendingConnects::default();
        let mut woken = pending.add(STATE.to_owned(), Platform::Kick).unwrap();
        let mut as_link = parse_connect_link(
            &link(&format!("state={STATE}&platform=kick&result=connected")),
            REDIRECT,
        )
        .unwrap();

        let mut other = as_link.clone();
        other.platform = Platform::Twitch;
        assert!(pending.accept(&other).is_err(), "another platform's link");
        let mut forged = as_link.clone();
        forged.state = "x".repeat(STATE.len());
        assert!(pending.accept(&forged).is_err(), "a forged state");
        assert!(woken.try_recv().is_err(), "nothing woke the connect");

        assert_eq!(pending.accept(&as_link), Ok(Platform::Kick));
        assert!(woken.try_recv().is_ok());
        assert!(pending.accept(&as_link).is_err(), "replayed");

        as_link.state = "ZXhwaXJpbmctc3RhdGUtZm9yLXRlc3RzLTEyMzQ1Njc4".to_owned();
        let _rx = pending.add(as_link.state.clone(), Platform::Kick);
        tokio::time::advance(CONNECT_LIFETIME + Duration::from_secs(1)).await;
        assert_eq!(pending.accept(&as_link), Err("expired state".to_owned()));
    }

    #[tokio::test(start_paused = true)]
    async fn at_most_a_few_connects_wait_at_once() {
        let pending = PendingConnects::default();
        let waiting: Vec<_> = (0..PENDING_KEPT)
            .map(|n| pending.add(format!("state-{n}"), Platform::Twitch))
            .collect();
        assert!(waiting.iter().all(Option::is_some));
        assert!(pending.add("one-more".into(), Platform::Kick).is_none());
        // One finished (or cancelled): room for another.
        pending.remove("state-0");
        assert!(pending.add("one-more".into(), Platform::Kick).is_some());
        assert!(pending.add("and-another".into(), Platform::Kick).is_none());
        // Expired ones make room too.
        tokio::time::advance(CONNECT_LIFETIME + Duration::from_secs(1)).await;
        assert!(pending.add("after-expiry".into(), Platform::Kick).is_some());
    }
}
