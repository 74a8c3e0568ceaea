//! Which images may be fetched and what they really are: chat is hostile input, so an avatar
//! URL is only fetched from the service itself or a platform's image host; a banner the streamer
//! typed may live on any public https host. The bytes, not the header, decide the type.

use restream_client::is_loopback;
use serde::Deserialize;
use specta::Type;
use url::Url;

/// The largest image fetched; anything bigger is refused, not truncated.
pub const MAX_IMAGE_BYTES: usize = 256 * 1024;

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

/// The image type the bytes really are (the header is only a claim).
pub fn sniff(bytes: &[u8]) -> Option<&'static str> {
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
}
