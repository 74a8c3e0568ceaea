//! Images the window shows (chat avatars, banner previews), fetched here and handed over as
//! `data:` URLs, so the webview never makes a remote request: its CSP allows `'self'` and `data:`
//! images only. Chat is hostile input, so an avatar URL is only fetched from the service itself or
//! a platform's image host; a banner the streamer typed may live on any public https host.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use futures_util::StreamExt;
use serde::Deserialize;
use specta::Type;
use url::Url;

/// The largest image fetched; anything bigger is refused, not truncated.
pub const MAX_IMAGE_BYTES: usize = 256 * 1024;
const FETCH_TIMEOUT: Duration = Duration::from_secs(10);
const MAX_REDIRECTS: usize = 3;
/// Bounds on what is remembered: every chat author's avatar is asked for again and again.
const CACHE_ENTRIES: usize = 512;
const CACHE_BYTES: usize = 16 * 1024 * 1024;
/// At most this many fetches at once, so a chat burst of new authors cannot flood the network.
const CONCURRENT_FETCHES: usize = 6;

/// What the image is for, which decides where it may come from and what it may be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum ImagePurpose {
    /// A chat author's avatar: from the service or a platform's image host; PNG, JPEG, GIF or WebP.
    Avatar,
    /// A top or bottom banner: any public https host (the streamer chose it); PNG, as the service
    /// requires.
    Banner,
}

/// Where platforms serve avatars from. A leading dot allows any subdomain.
const AVATAR_HOSTS: &[&str] = &[
    "static-cdn.jtvnw.net",
    "files.kick.com",
    ".ggpht.com",
    ".googleusercontent.com",
    ".fbcdn.net",
    ".cdninstagram.com",
];

fn host_listed(host: &str, list: &[&str]) -> bool {
    list.iter().any(|entry| match entry.strip_prefix('.') {
        Some(domain) => (host.len() > domain.len() && host.ends_with(entry)) || host == domain,
        None => host == *entry,
    })
}

/// Whether `url` may be fetched for `purpose` while talking to the service at `service`. Says
/// why not in words for the streamer.
pub fn check_url(url: &Url, purpose: ImagePurpose, service: &Url) -> Result<(), String> {
    if !url.username().is_empty() || url.password().is_some() {
        return Err("the image's address carries a user name or password".to_owned());
    }
    let same_service = url.origin() == service.origin();
    match url.scheme() {
        "https" => {}
        // Only the loopback sandbox serves plain http.
        "http" if same_service && is_loopback(service) => return Ok(()),
        other => return Err(format!("images must be https, not {other}")),
    }
    let host = match url.host() {
        Some(url::Host::Domain(host)) => host.to_ascii_lowercase(),
        // An address literal could point anywhere on the local network.
        Some(_) if same_service => return Ok(()),
        _ => return Err("the image's address must name a host, not a numeric address".to_owned()),
    };
    if same_service || url.host_str() == service.host_str() {
        return Ok(());
    }
    match purpose {
        ImagePurpose::Avatar if host_listed(&host, AVATAR_HOSTS) => Ok(()),
        ImagePurpose::Avatar => Err(format!("avatars are not fetched from {host}")),
        ImagePurpose::Banner if host == "localhost" || host.ends_with(".localhost") => {
            Err("a banner must be on a public host".to_owned())
        }
        ImagePurpose::Banner => Ok(()),
    }
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(name)) => name == "localhost",
        None => false,
    }
}

/// The image type the bytes really are (the header is only a claim).
fn sniff(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        Some("image/gif")
    } else if bytes.len() >= 12 && &bytes[0..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some("image/webp")
    } else {
        None
    }
}

type Cached = Result<Arc<str>, String>;

/// How long a refusal or failure is remembered: long enough that a hostile avatar is not asked for
/// once per message, short enough that a network blip does not hide an avatar for the session.
const FAILURE_KEPT: Duration = Duration::from_secs(60);

#[derive(Default)]
struct Cache {
    entries: HashMap<(String, ImagePurpose), (Cached, Instant)>,
    order: VecDeque<(String, ImagePurpose)>,
    bytes: usize,
}

impl Cache {
    fn insert(&mut self, key: (String, ImagePurpose), value: Cached, now: Instant) {
        self.bytes += value.as_ref().map_or(0, |data| data.len());
        match self.entries.insert(key.clone(), (value, now)) {
            Some((Ok(old), _)) => self.bytes -= old.len(),
            Some((Err(_), _)) => {}
            None => self.order.push_back(key),
        }
        while self.order.len() > CACHE_ENTRIES || self.bytes > CACHE_BYTES {
            let Some(oldest) = self.order.pop_front() else {
                break;
            };
            if let Some((Ok(data), _)) = self.entries.remove(&oldest) {
                self.bytes -= data.len();
            }
        }
    }

    /// What is remembered for `key`; a failure only for `FAILURE_KEPT`.
    fn get(&self, key: &(String, ImagePurpose), now: Instant) -> Option<Cached> {
        match self.entries.get(key)? {
            (Err(_), at) if now.duration_since(*at) >= FAILURE_KEPT => None,
            (value, _) => Some(value.clone()),
        }
    }
}

/// Fetches and remembers images. Failures are remembered too: a broken or hostile avatar is
/// asked for once, not once per message.
pub struct ImageFetcher {
    http: reqwest::Client,
    cache: Mutex<Cache>,
    permits: tokio::sync::Semaphore,
}

impl ImageFetcher {
    pub fn new() -> Self {
        let http = reqwest::Client::builder()
            // Each hop is checked here, not followed blindly.
            .redirect(reqwest::redirect::Policy::none())
            .timeout(FETCH_TIMEOUT)
            .build()
            .unwrap_or_default();
        ImageFetcher {
            http,
            cache: Mutex::new(Cache::default()),
            permits: tokio::sync::Semaphore::new(CONCURRENT_FETCHES),
        }
    }

    fn cached(&self, key: &(String, ImagePurpose)) -> Option<Cached> {
        self.cache
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(key, Instant::now())
    }

    /// The image at `raw` as a `data:` URL, or why it is not shown.
    pub async fn fetch(&self, raw: &str, purpose: ImagePurpose, service: &Url) -> Cached {
        let key = (raw.to_owned(), purpose);
        if let Some(hit) = self.cached(&key) {
            return hit;
        }
        let _permit = self
            .permits
            .acquire()
            .await
            .map_err(|_| "shutting down".to_owned())?;
        // Another caller may have fetched it while this one waited.
        if let Some(hit) = self.cached(&key) {
            return hit;
        }
        let result = self.fetch_uncached(raw, purpose, service).await.map(Arc::from);
        if let Err(why) = &result {
            tracing::debug!(%why, ?purpose, "image not shown");
        }
        self.cache
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(key, result.clone(), Instant::now());
        result
    }

    async fn fetch_uncached(
        &self,
        raw: &str,
        purpose: ImagePurpose,
        service: &Url,
    ) -> Result<String, String> {
        let mut url = Url::parse(raw).map_err(|e| format!("not an address: {e}"))?;
        for _ in 0..=MAX_REDIRECTS {
            check_url(&url, purpose, service)?;
            let response = self
                .http
                .get(url.clone())
                .header(
                    reqwest::header::ACCEPT,
                    "image/png,image/jpeg,image/gif,image/webp",
                )
                .send()
                .await
                .map_err(|e| format!("could not load the image: {}", without_url(&e)))?;
            if response.status().is_redirection() {
                let location = response
                    .headers()
                    .get(reqwest::header::LOCATION)
                    .and_then(|l| l.to_str().ok())
                    .ok_or("a redirect without a location")?;
                url = url
                    .join(location)
                    .map_err(|e| format!("a redirect to no address: {e}"))?;
                continue;
            }
            return read_image(response, purpose).await;
        }
        Err(format!("more than {MAX_REDIRECTS} redirects"))
    }
}

/// reqwest's errors name the URL; the streamer's message need not repeat it.
fn without_url(error: &reqwest::Error) -> String {
    if error.is_timeout() {
        "it took too long".to_owned()
    } else if error.is_connect() {
        "the host did not answer".to_owned()
    } else {
        "the request failed".to_owned()
    }
}

async fn read_image(response: reqwest::Response, purpose: ImagePurpose) -> Result<String, String> {
    if !response.status().is_success() {
        return Err(format!("the host answered {}", response.status().as_u16()));
    }
    let claimed = response
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|c| c.to_str().ok())
        .unwrap_or_default()
        .to_ascii_lowercase();
    if !claimed.starts_with("image/") {
        return Err("the address is not an image".to_owned());
    }
    if response
        .content_length()
        .is_some_and(|n| n > MAX_IMAGE_BYTES as u64)
    {
        return Err(too_big());
    }
    let mut body = Vec::new();
    let mut chunks = response.bytes_stream();
    while let Some(chunk) = chunks.next().await {
        let chunk = chunk.map_err(|e| format!("the image did not finish loading: {}", without_url(&e)))?;
        if body.len() + chunk.len() > MAX_IMAGE_BYTES {
            return Err(too_big());
        }
        body.extend_from_slice(&chunk);
    }
    let kind = sniff(&body).ok_or("the file is not a PNG, JPEG, GIF or WebP image")?;
    if purpose == ImagePurpose::Banner && kind != "image/png" {
        return Err("a banner must be a PNG image".to_owned());
    }
    Ok(format!("data:{kind};base64,{}", STANDARD.encode(&body)))
}

fn too_big() -> String {
    format!("the image is larger than {} KiB", MAX_IMAGE_BYTES / 1024)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    #[test]
    fn avatars_come_only_from_the_service_or_platform_image_hosts() {
        let service = url("https://api.example.com");
        let ok = |u: &str| check_url(&url(u), ImagePurpose::Avatar, &service);
        assert!(ok("https://static-cdn.jtvnw.net/a.png").is_ok());
        assert!(ok("https://yt3.ggpht.com/a").is_ok());
        assert!(ok("https://scontent-ams2-1.xx.fbcdn.net/a.jpg").is_ok());
        assert!(ok("https://api.example.com/avatars/1.png").is_ok());
        assert!(ok("https://evil.example/a.png").is_err());
        assert!(ok("https://fbcdn.net.evil.example/a.png").is_err());
        assert!(ok("https://notggpht.com/a.png").is_err());
        assert!(ok("http://static-cdn.jtvnw.net/a.png").is_err());
        assert!(ok("https://user:pw@static-cdn.jtvnw.net/a.png").is_err());
        assert!(ok("https://10.0.0.1/a.png").is_err());
        assert!(ok("data:image/png;base64,AAAA").is_err());
        assert!(ok("file:///etc/passwd").is_err());
    }

    #[test]
    fn plain_http_only_from_the_loopback_sandbox() {
        let sandbox = url("http://127.0.0.1:4000");
        let avatar = |u: &str| check_url(&url(u), ImagePurpose::Avatar, &sandbox);
        assert!(avatar("http://127.0.0.1:4000/assets/avatars/1.png").is_ok());
        assert!(avatar("http://127.0.0.1:4001/assets/avatars/1.png").is_err());
        assert!(avatar("http://192.168.1.2:4000/a.png").is_err());
        let remote = url("http://api.example.com");
        assert!(
            check_url(
                &url("http://api.example.com/a.png"),
                ImagePurpose::Avatar,
                &remote
            )
            .is_err()
        );
    }

    #[test]
    fn banners_may_live_on_any_public_https_host() {
        let service = url("https://api.example.com");
        let banner = |u: &str| check_url(&url(u), ImagePurpose::Banner, &service);
        assert!(banner("https://cdn.streamer.example/top.png").is_ok());
        assert!(banner("https://localhost/top.png").is_err());
        assert!(banner("https://192.168.0.10/top.png").is_err());
        assert!(banner("http://cdn.streamer.example/top.png").is_err());
    }

    #[test]
    fn the_bytes_decide_the_type() {
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\nrest"), Some("image/png"));
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0]), Some("image/jpeg"));
        assert_eq!(sniff(b"RIFF\0\0\0\0WEBPVP8 "), Some("image/webp"));
        assert_eq!(sniff(b"<svg onload=alert(1)>"), None);
        assert_eq!(sniff(b"<html>"), None);
    }

    #[tokio::test]
    async fn fetches_from_the_sandbox_as_data_urls_and_refuses_what_is_not_an_image() {
        let dir = tempfile::tempdir().unwrap();
        let mut config = restream_sandbox::SandboxConfig::new(dir.path().join("sandbox.db"));
        config.seed_demo = true;
        let sandbox = restream_sandbox::Sandbox::start(config).await.unwrap();
        let base = url(&sandbox.ready().base_url);
        let images = ImageFetcher::new();

        let avatar = format!("{base}assets/avatars/3.png");
        let data = images.fetch(&avatar, ImagePurpose::Avatar, &base).await.unwrap();
        assert!(data.starts_with("data:image/png;base64,"), "{}", &data[..40]);
        let again = images.fetch(&avatar, ImagePurpose::Avatar, &base).await.unwrap();
        assert!(
            Arc::ptr_eq(&data, &again),
            "the second ask is answered from the cache"
        );

        let banner = format!("{base}assets/banners/top.png");
        let preview = images.fetch(&banner, ImagePurpose::Banner, &base).await.unwrap();
        assert!(preview.starts_with("data:image/png;base64,"));

        let page = format!("{base}assets/overlay.html");
        let refused = images
            .fetch(&page, ImagePurpose::Avatar, &base)
            .await
            .unwrap_err();
        assert!(refused.contains("not an image"), "{refused}");
        let missing = format!("{base}assets/avatars/99.png");
        let refused = images
            .fetch(&missing, ImagePurpose::Avatar, &base)
            .await
            .unwrap_err();
        assert!(refused.contains("404"), "{refused}");
        sandbox.shutdown().await.unwrap();
    }

    #[test]
    fn the_cache_stays_within_its_bounds() {
        let mut cache = Cache::default();
        for i in 0..CACHE_ENTRIES + 10 {
            cache.insert(
                (format!("u{i}"), ImagePurpose::Avatar),
                Err("no".into()),
                Instant::now(),
            );
        }
        assert_eq!(cache.entries.len(), CACHE_ENTRIES);
        assert!(
            !cache
                .entries
                .contains_key(&("u0".to_owned(), ImagePurpose::Avatar))
        );
        let big: Arc<str> = Arc::from("x".repeat(CACHE_BYTES / 3 + 1));
        for i in 0..4 {
            cache.insert(
                (format!("big{i}"), ImagePurpose::Banner),
                Ok(big.clone()),
                Instant::now(),
            );
        }
        assert!(cache.bytes <= CACHE_BYTES);
        // Replacing an entry does not count its bytes twice.
        let key = ("big3".to_owned(), ImagePurpose::Banner);
        let before = cache.bytes;
        cache.insert(key, Ok(big.clone()), Instant::now());
        assert_eq!(cache.bytes, before);
    }

    #[test]
    fn a_failure_is_remembered_for_a_minute_and_an_image_until_evicted() {
        let mut cache = Cache::default();
        let at = Instant::now();
        let failed = (
            "https://static-cdn.jtvnw.net/a.png".to_owned(),
            ImagePurpose::Avatar,
        );
        let shown = (
            "https://static-cdn.jtvnw.net/b.png".to_owned(),
            ImagePurpose::Avatar,
        );
        cache.insert(failed.clone(), Err("the host did not answer".into()), at);
        cache.insert(shown.clone(), Ok(Arc::from("data:image/png;base64,AA")), at);
        assert!(matches!(
            cache.get(&failed, at + Duration::from_secs(59)),
            Some(Err(_))
        ));
        assert!(
            cache.get(&failed, at + FAILURE_KEPT).is_none(),
            "asked again after a minute"
        );
        assert!(matches!(
            cache.get(&shown, at + Duration::from_secs(3600)),
            Some(Ok(_))
        ));
    }
}
