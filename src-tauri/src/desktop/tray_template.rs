//! The menu-bar icon macOS expects: a template image, drawn by the system in the menu bar's own
//! colour (dark on a light bar, light on a dark one), not the app's coloured icon. It is made
//! from the brand's icon, so every brand gets its own: the icon's light glyph (the studio's
//! fan-out mark is white on a coloured square, as most app icons are) becomes the template's
//! opaque part, the coloured ground becomes transparent.

/// Below this, a pixel's lightest channel counts as ground: every saturated or dark colour.
const GROUND: u8 = 160;
/// A glyph covers some of the icon but not most of it; outside these shares of the pixels the
/// icon has no light glyph on a ground, and the coloured icon is kept instead.
const COVER: std::ops::RangeInclusive<f64> = 0.02..=0.6;

/// The template image (RGBA, black with the glyph's coverage as alpha) of an RGBA icon, or
/// `None` when the icon has no light glyph on a coloured ground.
pub fn template_of(rgba: &[u8]) -> Option<Vec<u8>> {
    let mut template = Vec::with_capacity(rgba.len());
    let (mut covered, mut pixels) = (0usize, 0usize);
    for pixel in rgba.chunks_exact(4) {
        let lightest = pixel[0].min(pixel[1]).min(pixel[2]);
        // How far above the ground this pixel is, scaled to the icon's own alpha: antialiased
        // edges stay smooth.
        let glyph = u16::from(lightest.saturating_sub(GROUND)) * 255 / u16::from(255 - GROUND);
        let alpha = (glyph * u16::from(pixel[3]) / 255) as u8;
        if alpha > 127 {
            covered += 1;
        }
        pixels += 1;
        template.extend_from_slice(&[0, 0, 0, alpha]);
    }
    let share = covered as f64 / pixels.max(1) as f64;
    COVER.contains(&share).then_some(template)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn icon(bytes: &[u8]) -> tauri::image::Image<'static> {
        tauri::image::Image::from_bytes(bytes).unwrap().to_owned()
    }

    #[test]
    fn the_studio_mark_becomes_a_glyph_on_nothing() {
        let icon = icon(include_bytes!("../../../icons/32x32.png"));
        let template = template_of(icon.rgba()).expect("the mark is a light glyph");
        let alphas: Vec<u8> = template.chunks_exact(4).map(|p| p[3]).collect();
        let width = icon.width() as usize;
        // The corners (outside the rounded square) and the coloured ground are clear...
        assert_eq!(alphas[0], 0);
        assert_eq!(alphas[width * 4 + 4], 0, "the ground near a corner");
        // ...and the fan-out's hub (a white disc left of the centre) is opaque.
        let hub = (icon.height() as usize / 2) * width + width * 3 / 8;
        assert!(alphas[hub] > 200, "the hub: {}", alphas[hub]);
        assert!(template.chunks_exact(4).all(|p| p[..3] == [0, 0, 0]));
    }

    #[test]
    fn an_icon_without_a_light_glyph_keeps_its_colours() {
        // All ground (a dark square), all light (a white square), all clear.
        let square = |rgba: [u8; 4]| rgba.repeat(32 * 32);
        assert!(template_of(&square([40, 20, 120, 255])).is_none());
        assert!(template_of(&square([255, 255, 255, 255])).is_none());
        assert!(template_of(&square([255, 255, 255, 0])).is_none());
    }
}
