//! An operator's brand file: JSON written by hand, parsed field by field and then checked. What
//! passes must be what the checks promise (and the schema editors validate against), must read
//! back the same once written out, and its scheme must make deep links the studio accepts.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use restream_brand::{Brand, tauri_overlay};
use restream_client::summarize_deep_link;
use restream_fuzz::LimitedAllocator;

#[global_allocator]
static ALLOCATOR: LimitedAllocator = LimitedAllocator;

fuzz_target!(|data: &[u8]| {
    // The studio refuses a file that is not UTF-8 before parsing it; replacing the bad bytes
    // instead lets the fuzzer's every mutation reach the parser.
    let text = String::from_utf8_lossy(data);
    let text = text.as_ref();
    let brand = match Brand::parse(text) {
        Ok(brand) => brand,
        Err(refusal) => {
            assert!(
                !refusal.field.is_empty() && !refusal.problem.is_empty(),
                "{refusal:?}"
            );
            return;
        }
    };

    let name = brand.product_name.chars().count();
    assert!((1..=64).contains(&name), "a name of {name} characters");
    assert!(reverse_domain(&brand.identifier), "{:?}", brand.identifier);
    assert!(
        reverse_domain(&brand.deep_link_scheme)
            && !brand.deep_link_scheme.chars().any(|c| c.is_ascii_uppercase()),
        "{:?}",
        brand.deep_link_scheme
    );
    let binary = brand.binary_name.as_bytes();
    assert!(
        (1..=64).contains(&binary.len())
            && binary[0].is_ascii_lowercase()
            && binary
                .iter()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'-'),
        "{:?}",
        brand.binary_name
    );
    assert!(!brand.platforms.is_empty());

    let written = serde_json::to_string_pretty(&brand).expect("a brand is plain JSON");
    let again = Brand::parse(&written).expect("a brand that passed passes again");
    assert_eq!(again, brand, "{written}");

    let link = format!("{}://connect/callback?state=s", brand.deep_link_scheme);
    let summary = summarize_deep_link(&link, &brand.deep_link_scheme);
    assert!(summary.is_ok(), "the brand's own links are refused: {summary:?}");

    let overlay = tauri_overlay(&brand, Path::new("icons"));
    assert_eq!(overlay["identifier"], brand.identifier.as_str());
    assert_eq!(overlay["mainBinaryName"], brand.binary_name.as_str());
});

/// What the schema says of `identifier` and `deepLinkScheme`: two or more dot-separated labels
/// of letters, digits and hyphens, each starting with a letter.
fn reverse_domain(value: &str) -> bool {
    let labels: Vec<&str> = value.split('.').collect();
    labels.len() >= 2
        && labels.iter().all(|label| {
            label.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
}
