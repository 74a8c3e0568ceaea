//! Fetches images over HTTP, each hop of a redirect checked against the policy, at most
//! `MAX_IMAGE_BYTES` read, a few at a time, and remembers what it got (or why not).

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use futures_util::StreamExt;
use url::Url;

use super::cache::{Cache, Cached};
use super::policy::{ImagePurpose, MAX_IMAGE_BYTES, check_url, sniff};

const FETCH_TIMEOUT: Duration = Duration::from_secs(10);
const MAX_REDIRECTS: usize = 3;
/// At most this many fetches at once, so a chat burst of new authors cannot flood the network.
const CONCURRENT_FETCHES: usize = 6;

/// Fetches and remembers images. Failures are remembered too: a broken or hostile avatar is
/// asked for once, not once per message.
pub struct ImageFetcher {
    /// Through the OS's proxy settings, for images elsewhere.
    http: reqwest::Client,
    /// Never through a proxy, for images on this computer (the sandbox's).
    direct: reqwest::Client,
    cache: Mutex<Cache>,
    permits: tokio::sync::Semaphore,
}

impl ImageFetcher {
    pub fn new() -> Self {
        let client = |loopback| {
            restream_client::proxied_unless_loopback(reqwest::Client::builder(), loopback)
                // Each hop is checked here, not followed blindly.
                .redirect(reqwest::redirect::Policy::none())
                .timeout(FETCH_TIMEOUT)
                .build()
                .unwrap_or_default()
        };
        ImageFetcher {
            http: client(false),
            direct: client(true),
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

    /// The image at `raw` as a `data:` URL if it was fetched already (nothing is fetched).
    pub fn peek(&self, raw: &str, purpose: ImagePurpose) -> Option<String> {
        self.cached(&(raw.to_owned(), purpose))?
            .ok()
            .map(|data| data.to_string())
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
            let http = if restream_client::is_loopback(&url) {
                &self.direct
            } else {
                &self.http
            };
            let response = http
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
}
