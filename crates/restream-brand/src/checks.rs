//! What a brand file must satisfy beyond its shape. Each check names the field it refuses.

use std::collections::HashSet;
use std::path::Path;

use url::Url;

use crate::model::{Brand, BrandError, CredentialMode, LockedSetting};

pub fn check(brand: &Brand) -> Result<(), BrandError> {
    check_product_name(&brand.product_name)?;
    check_reverse_domain("identifier", &brand.identifier)?;
    check_binary_name(&brand.binary_name)?;
    check_scheme(&brand.deep_link_scheme)?;
    if brand.icon.trim().is_empty() {
        return Err(BrandError::new(
            "icon",
            "is empty; name a square PNG beside the brand file",
        ));
    }
    check_accent(&brand.colors.accent)?;
    check_service(brand)?;
    check_platforms(brand)?;
    for (i, host) in brand.opener_hosts.iter().enumerate() {
        check_host(&format!("openerHosts[{i}]"), host)?;
    }
    check_locked(brand)
}

fn check_product_name(name: &str) -> Result<(), BrandError> {
    let field = "productName";
    if name.trim().is_empty() {
        return Err(BrandError::new(
            field,
            "is empty; give the name streamers will see",
        ));
    }
    if name.chars().count() > 64 {
        return Err(BrandError::new(field, "is longer than 64 characters"));
    }
    if name.trim() != name || name.chars().any(|c| c.is_control() || c == '/' || c == '\\') {
        return Err(BrandError::new(
            field,
            "has surrounding spaces, a control character or a slash; use a plain name",
        ));
    }
    Ok(())
}

/// `com.example.studio`: two or more dot-separated labels of letters, digits and hyphens, each
/// starting with a letter (what Tauri, the keychain and the OSes' bundle ids all accept).
fn check_reverse_domain(field: &str, value: &str) -> Result<(), BrandError> {
    let labels: Vec<&str> = value.split('.').collect();
    let label_ok = |l: &&str| {
        l.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
            && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            && !l.ends_with('-')
    };
    if labels.len() < 2 || !labels.iter().all(label_ok) {
        return Err(BrandError::new(
            field,
            format!(
                "`{value}` is not a reverse-domain name; use one you own, like `com.example.studio` \
                 (letters, digits and hyphens between dots, each part starting with a letter)"
            ),
        ));
    }
    Ok(())
}

fn check_binary_name(name: &str) -> Result<(), BrandError> {
    let ok = name.len() <= 64
        && name.chars().next().is_some_and(|c| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if !ok {
        return Err(BrandError::new(
            "binaryName",
            format!(
                "`{name}` is not usable; use lowercase letters, digits and hyphens, starting with a letter"
            ),
        ));
    }
    Ok(())
}

fn check_scheme(scheme: &str) -> Result<(), BrandError> {
    let field = "deepLinkScheme";
    if scheme != scheme.to_ascii_lowercase() {
        return Err(BrandError::new(
            field,
            format!("`{scheme}` has capitals; URL schemes are lowercase"),
        ));
    }
    check_reverse_domain(field, scheme)
}

/// `#rrggbb` to its three channels.
pub(crate) fn parse_color(value: &str) -> Option<[u8; 3]> {
    let hex = value.strip_prefix('#')?;
    if hex.len() != 6 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    let channel = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
    Some([channel(0)?, channel(2)?, channel(4)?])
}

/// WCAG 2 relative luminance.
fn luminance([r, g, b]: [u8; 3]) -> f64 {
    let linear = |c: u8| {
        let c = f64::from(c) / 255.0;
        if c <= 0.04045 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)
}

/// WCAG 2 contrast ratio of two colours, from 1 to 21.
pub fn contrast_ratio(a: [u8; 3], b: [u8; 3]) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    let (light, dark) = if la > lb { (la, lb) } else { (lb, la) };
    (light + 0.05) / (dark + 0.05)
}

fn check_accent(accent: &str) -> Result<(), BrandError> {
    let field = "colors.accent";
    let rgb = parse_color(accent)
        .ok_or_else(|| BrandError::new(field, format!("`{accent}` is not a colour; write it as #rrggbb")))?;
    let ratio = contrast_ratio(rgb, [255, 255, 255]);
    if ratio < 4.5 {
        return Err(BrandError::new(
            field,
            format!(
                "white text on {accent} has a contrast of {ratio:.1}:1; WCAG AA needs 4.5:1, so pick a darker shade"
            ),
        ));
    }
    Ok(())
}

/// https anywhere, or http on this computer (a development service).
fn check_url(field: &str, value: &str) -> Result<Url, BrandError> {
    let url = Url::parse(value).map_err(|e| {
        BrandError::new(
            field,
            format!("`{value}` is not a URL ({e}); write it as https://host/path"),
        )
    })?;
    let loopback = matches!(url.host_str(), Some("127.0.0.1" | "localhost" | "[::1]"));
    let ok = match url.scheme() {
        "https" => url.host_str().is_some(),
        "http" => loopback,
        _ => false,
    };
    if !ok || !url.username().is_empty() || url.password().is_some() {
        return Err(BrandError::new(
            field,
            format!(
                "`{value}` must be an https address (http only on 127.0.0.1, for development), with no user name"
            ),
        ));
    }
    Ok(url)
}

fn check_service(brand: &Brand) -> Result<(), BrandError> {
    let service = &brand.service;
    if let Some(base) = &service.api_base {
        check_url("service.apiBase", base)?;
    }
    if let Some(operator) = &service.operator {
        if operator.client_id.trim().is_empty() {
            return Err(BrandError::new(
                "service.operator.clientId",
                "is empty; give the studio's OAuth client id at your sign-in service",
            ));
        }
        let urls = [
            ("url", &operator.url),
            ("signInUrl", &operator.sign_in_url),
            ("tokenUrl", &operator.token_url),
            ("restreamTokenUrl", &operator.restream_token_url),
            ("revokeUrl", &operator.revoke_url),
        ];
        for (name, value) in urls {
            if let Some(value) = value {
                check_url(&format!("service.operator.{name}"), value)?;
            }
        }
        if service.api_base.is_none() && operator.url.is_none() {
            let named_all = operator.sign_in_url.is_some()
                && operator.token_url.is_some()
                && operator.restream_token_url.is_some();
            if !named_all {
                return Err(BrandError::new(
                    "service.operator.url",
                    "is needed when there is no service.apiBase, unless signInUrl, tokenUrl and restreamTokenUrl are all given",
                ));
            }
        }
    }
    match service.credential_mode {
        CredentialMode::Demo if !brand.demo_mode => Err(BrandError::new(
            "service.credentialMode",
            "is `demo` but demoMode is false; choose `token` or `publishableKey`, or offer the demo",
        )),
        CredentialMode::Token if service.operator.is_none() => Err(BrandError::new(
            "service.operator",
            "is missing; token mode needs the operator's client id (and where to sign in)",
        )),
        CredentialMode::Token if service.api_base.is_none() => Err(BrandError::new(
            "service.apiBase",
            "is missing; token mode needs the Restream Service's address",
        )),
        CredentialMode::PublishableKey if !brand.allow_publishable_key => Err(BrandError::new(
            "service.credentialMode",
            "is `publishableKey` but allowPublishableKey is false; allow it, or use `token`",
        )),
        _ => Ok(()),
    }
}

fn check_platforms(brand: &Brand) -> Result<(), BrandError> {
    if brand.platforms.is_empty() {
        return Err(BrandError::new(
            "platforms",
            "is empty; enable at least one platform",
        ));
    }
    let mut seen = HashSet::new();
    for (i, platform) in brand.platforms.iter().enumerate() {
        if !seen.insert(platform) {
            return Err(BrandError::new(
                &format!("platforms[{i}]"),
                format!("`{platform:?}` is listed twice").to_lowercase(),
            ));
        }
    }
    Ok(())
}

/// A bare host name: `help.example.com`, no scheme, port or path.
fn check_host(field: &str, host: &str) -> Result<(), BrandError> {
    let parsed = Url::parse(&format!("https://{host}/")).ok();
    let bare = parsed.as_ref().is_some_and(|u| {
        u.host_str() == Some(host) && u.port().is_none() && u.path() == "/" && u.username().is_empty()
    }) && host.contains('.');
    if !bare {
        return Err(BrandError::new(
            field,
            format!("`{host}` is not a host name; write only the host, like `help.example.com`"),
        ));
    }
    Ok(())
}

fn check_locked(brand: &Brand) -> Result<(), BrandError> {
    let mut seen = HashSet::new();
    for (i, setting) in brand.locked.iter().enumerate() {
        let field = format!("locked[{i}]");
        if !seen.insert(setting) {
            return Err(BrandError::new(&field, "is listed twice"));
        }
        let missing = match setting {
            LockedSetting::ApiBase => brand.service.api_base.is_none().then_some("service.apiBase"),
            LockedSetting::Operator => brand.service.operator.is_none().then_some("service.operator"),
            LockedSetting::CredentialMode => None,
        };
        if let Some(missing) = missing {
            return Err(BrandError::new(
                &field,
                format!("locks {missing}, which the brand does not set; set it or unlock it"),
            ));
        }
    }
    Ok(())
}

/// The icon: a square PNG of at least 512×512.
pub fn check_icon(path: &Path) -> Result<(), BrandError> {
    let field = "icon";
    let bytes = std::fs::read(path)
        .map_err(|e| BrandError::new(field, format!("{} cannot be read: {e}", path.display())))?;
    // A PNG starts with its signature, then the IHDR chunk: width and height, big-endian.
    const SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";
    if bytes.len() < 24 || !bytes.starts_with(SIGNATURE) || &bytes[12..16] != b"IHDR" {
        return Err(BrandError::new(
            field,
            format!("{} is not a PNG image", path.display()),
        ));
    }
    let width = u32::from_be_bytes([bytes[16], bytes[17], bytes[18], bytes[19]]);
    let height = u32::from_be_bytes([bytes[20], bytes[21], bytes[22], bytes[23]]);
    if width != height || width < 512 {
        return Err(BrandError::new(
            field,
            format!(
                "{} is {width}×{height}; it must be square and at least 512×512 (1024×1024 is best)",
                path.display()
            ),
        ));
    }
    Ok(())
}
