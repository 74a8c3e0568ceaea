//! What the simulated platforms serve themselves, so nothing points at the internet: avatars,
//! sample banners, a sample HTML overlay and watch pages.

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};

use crate::api_error::ApiError;
use crate::corpus::AVATAR_COUNT;
use crate::platform::Platform;
use crate::routes::html::{escape, page};
use crate::routes::params::Params;
use crate::state::AppState;

/// Encodes an RGBA image as PNG.
fn png(width: u32, height: u32, pixel: impl Fn(u32, u32) -> [u8; 4]) -> Result<Vec<u8>, png::EncodingError> {
    let mut data = Vec::with_capacity((width * height * 4) as usize);
    for y in 0..height {
        for x in 0..width {
            data.extend_from_slice(&pixel(x, y));
        }
    }
    let mut out = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut out, width, height);
        encoder.set_color(png::ColorType::Rgba);
        encoder.set_depth(png::BitDepth::Eight);
        encoder.write_header()?.write_image_data(&data)?;
    }
    Ok(out)
}

fn png_response(bytes: Result<Vec<u8>, png::EncodingError>) -> Response {
    match bytes {
        Ok(bytes) => (
            [
                (header::CONTENT_TYPE, "image/png"),
                (header::CACHE_CONTROL, "public, max-age=86400"),
            ],
            bytes,
        )
            .into_response(),
        Err(e) => ApiError::internal(e).into_response(),
    }
}

/// A hue from 0..360 as RGB.
fn hue(h: f64) -> [u8; 3] {
    let x = 1.0 - ((h / 60.0) % 2.0 - 1.0).abs();
    let (r, g, b) = match (h / 60.0) as u32 {
        0 => (1.0, x, 0.0),
        1 => (x, 1.0, 0.0),
        2 => (0.0, 1.0, x),
        3 => (0.0, x, 1.0),
        4 => (x, 0.0, 1.0),
        _ => (1.0, 0.0, x),
    };
    [
        (r * 200.0) as u8 + 30,
        (g * 200.0) as u8 + 30,
        (b * 200.0) as u8 + 30,
    ]
}

/// `GET /assets/avatars/{file}`: `0.png` … `15.png`, a coloured disc each.
pub async fn avatar(Params(file): Params<String>) -> Response {
    let index = file.strip_suffix(".png").and_then(|n| n.parse::<usize>().ok());
    let Some(index) = index.filter(|n| *n < AVATAR_COUNT) else {
        return ApiError::not_found_what("avatar").into_response();
    };
    let [r, g, b] = hue(index as f64 * 360.0 / AVATAR_COUNT as f64);
    png_response(png(64, 64, |x, y| {
        let (dx, dy) = (x as i32 - 32, y as i32 - 32);
        if dx * dx + dy * dy <= 30 * 30 {
            [r, g, b, 255]
        } else {
            [0, 0, 0, 0]
        }
    }))
}

/// `GET /assets/banners/{file}`: `top.png` and `bottom.png`, translucent bars for overlays.
pub async fn banner(Params(file): Params<String>) -> Response {
    let base = match file.as_str() {
        "top.png" => 270.0,
        "bottom.png" => 190.0,
        _ => return ApiError::not_found_what("banner").into_response(),
    };
    png_response(png(1280, 96, |x, _| {
        let [r, g, b] = hue((base + f64::from(x) / 1280.0 * 60.0) % 360.0);
        [r, g, b, 200]
    }))
}

/// `GET /assets/overlay.html`: a sample HTML banner (a transparent page with a ticker).
pub async fn overlay_page() -> Response {
    let html = r#"<!doctype html><html><head><meta charset="utf-8"><title>Sample overlay</title>
<style>html,body{margin:0;background:transparent;font:600 28px system-ui,sans-serif;color:#fff}
.ticker{position:fixed;bottom:0;left:0;right:0;padding:12px 24px;background:rgba(124,58,237,.8)}</style>
</head><body><div class="ticker">Live on every platform · Sample overlay from the Restream sandbox</div></body></html>"#;
    ([(header::CACHE_CONTROL, "no-store")], Html(html)).into_response()
}

/// `GET /watch/{platform}/{broadcastId}`: where a "Watch on …" link lands.
pub async fn watch(
    State(_state): State<AppState>,
    Params((name, broadcast)): Params<(String, String)>,
) -> Response {
    let Some(platform) = Platform::parse(&name) else {
        return (
            StatusCode::NOT_FOUND,
            Html(page("Not found", "<h1>No such platform</h1>")),
        )
            .into_response();
    };
    let body = format!(
        "<h1>{} · sandbox broadcast</h1><p>Broadcast <code>{}</code> would play here on the real platform.</p>",
        escape(platform.display_name()),
        escape(&broadcast),
    );
    Html(page(&format!("Watch on {}", platform.display_name()), &body)).into_response()
}
