use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use super::*;
use crate::checks::contrast_ratio;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn sample() -> Value {
    let text = std::fs::read_to_string(workspace().join("brands/acme-live/brand.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// The sample brand with `change` applied, parsed.
fn with(change: impl FnOnce(&mut Value)) -> Result<Brand, BrandError> {
    let mut value = sample();
    change(&mut value);
    Brand::parse(&value.to_string())
}

fn refused(change: impl FnOnce(&mut Value)) -> BrandError {
    with(change).expect_err("the brand should be refused")
}

#[test]
fn the_shipped_brands_load() {
    let default = Brand::load(&workspace().join(DEFAULT_BRAND)).unwrap();
    assert_eq!(default.product_name, "Restream Studio");
    assert_eq!(default.service.credential_mode, CredentialMode::Demo);
    let sample = Brand::load(&workspace().join("brands/acme-live/brand.json")).unwrap();
    assert!(sample.is_locked(LockedSetting::ApiBase));
    assert!(!sample.demo_mode);
}

#[test]
fn the_committed_schema_is_up_to_date() {
    let path = workspace().join("brands/brand.schema.json");
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    if committed != schema_json() {
        if std::env::var_os("UPDATE_BRAND_SCHEMA").is_some() {
            std::fs::write(&path, schema_json()).unwrap();
        } else {
            panic!(
                "brands/brand.schema.json is stale: run `UPDATE_BRAND_SCHEMA=1 cargo test -p restream-brand`"
            );
        }
    }
}

/// Found by the `brand` fuzz target: a key named `""` was refused naming no field at all.
#[test]
fn an_empty_key_is_refused_naming_the_file() {
    let e = Brand::parse(std::str::from_utf8(b"{\"\"").unwrap()).unwrap_err();
    assert_eq!(e.field, "the brand file");
    assert!(e.problem.contains("unknown field ``"), "{e}");
    let e = Brand::parse(r#"{"service":{"":1}}"#).unwrap_err();
    assert!(!e.field.is_empty(), "{e}");
}

#[test]
fn a_wrong_shape_is_refused_naming_the_field() {
    let e = refused(|b| b["service"]["apiBase"] = json!(42));
    assert_eq!(e.field, "service.apiBase");
    assert!(e.problem.contains("expected a string"), "{e}");

    let e = refused(|b| b["colours"] = json!({}));
    assert_eq!(e.field, "colours");
    assert!(e.problem.contains("unknown field `colours`"), "{e}");

    let e = refused(|b| b["platforms"] = json!(["twitch", "myspace"]));
    assert_eq!(e.field, "platforms[1]");
    assert!(e.problem.contains("myspace"), "{e}");

    let e = refused(|b| {
        b.as_object_mut()
            .unwrap()
            .remove("productName")
            .map(drop)
            .unwrap()
    });
    assert_eq!(e.field, "the brand file");
    assert!(e.problem.contains("missing field `productName`"), "{e}");
}

#[test]
fn names_identifiers_and_schemes_are_checked() {
    assert_eq!(refused(|b| b["productName"] = json!("  ")).field, "productName");
    assert_eq!(refused(|b| b["productName"] = json!("a/b")).field, "productName");
    assert_eq!(refused(|b| b["identifier"] = json!("acme")).field, "identifier");
    assert_eq!(
        refused(|b| b["identifier"] = json!("com.1acme.x")).field,
        "identifier"
    );
    assert_eq!(
        refused(|b| b["binaryName"] = json!("Acme Live")).field,
        "binaryName"
    );
    let e = refused(|b| b["deepLinkScheme"] = json!("Com.Acme.Live"));
    assert_eq!(e.field, "deepLinkScheme");
    assert!(e.problem.contains("lowercase"), "{e}");
    assert_eq!(
        refused(|b| b["deepLinkScheme"] = json!("acme")).field,
        "deepLinkScheme"
    );
    assert_eq!(
        refused(|b| b["deepLinkScheme"] = json!("com.acme:x")).field,
        "deepLinkScheme"
    );
}

#[test]
fn the_accent_must_be_a_colour_white_text_can_be_read_on() {
    let e = refused(|b| b["colors"]["accent"] = json!("blue"));
    assert!(e.problem.contains("#rrggbb"), "{e}");
    let e = refused(|b| b["colors"]["accent"] = json!("#53fc18"));
    assert_eq!(e.field, "colors.accent");
    assert!(e.problem.contains("4.5:1"), "{e}");
    assert!(with(|b| b["colors"]["accent"] = json!("#0B5CAD")).is_ok());
    assert!((contrast_ratio([0, 0, 0], [255, 255, 255]) - 21.0).abs() < 1e-9);
    assert!((contrast_ratio([119, 119, 119], [255, 255, 255]) - 4.48).abs() < 0.01);
}

#[test]
fn service_addresses_and_modes_are_checked() {
    let e = refused(|b| b["service"]["apiBase"] = json!("http://restream.acme.example"));
    assert_eq!(e.field, "service.apiBase");
    assert!(e.problem.contains("https"), "{e}");
    assert!(with(|b| b["service"]["apiBase"] = json!("http://127.0.0.1:8787")).is_ok());
    let e = refused(|b| b["service"]["operator"]["tokenUrl"] = json!("ftp://x.example/t"));
    assert_eq!(e.field, "service.operator.tokenUrl");
    let e = refused(|b| b["service"]["operator"]["clientId"] = json!(""));
    assert_eq!(e.field, "service.operator.clientId");

    let e = refused(|b| b["service"]["credentialMode"] = json!("demo"));
    assert_eq!(e.field, "service.credentialMode");
    assert!(e.problem.contains("demoMode"), "{e}");
    let e = refused(|b| b["service"]["credentialMode"] = json!("publishableKey"));
    assert!(e.problem.contains("allowPublishableKey"), "{e}");
    let e = refused(|b| {
        b["locked"] = json!([]);
        b["service"].as_object_mut().unwrap().remove("operator");
    });
    assert_eq!(e.field, "service.operator");
}

#[test]
fn platforms_hosts_and_locks_are_checked() {
    assert_eq!(refused(|b| b["platforms"] = json!([])).field, "platforms");
    assert_eq!(
        refused(|b| b["platforms"] = json!(["kick", "kick"])).field,
        "platforms[1]"
    );
    for host in [
        "https://help.acme.example",
        "help.acme.example/faq",
        "help.acme.example:8443",
        "localhost",
    ] {
        let e = refused(|b| b["openerHosts"] = json!(["ok.acme.example", host]));
        assert_eq!(e.field, "openerHosts[1]", "{host}");
    }
    assert_eq!(
        refused(|b| b["locked"] = json!(["apiBase", "apiBase"])).field,
        "locked[1]"
    );
    let e = refused(|b| {
        b["service"] = json!({ "credentialMode": "token", "apiBase": "https://x.example" });
        b["locked"] = json!(["operator"]);
    });
    // Token mode without an operator is refused before the lock is looked at.
    assert_eq!(e.field, "service.operator");
    let e = refused(|b| {
        b["demoMode"] = json!(true);
        b["service"] = json!({ "credentialMode": "demo" });
        b["locked"] = json!(["apiBase"]);
    });
    assert_eq!(e.field, "locked[0]");
    assert!(e.problem.contains("service.apiBase"), "{e}");
}

#[test]
fn the_icon_must_be_a_large_square_png() {
    let dir = tempfile::tempdir().unwrap();
    let e = checks::check_icon(&dir.path().join("missing.png")).unwrap_err();
    assert!(e.problem.contains("cannot be read"), "{e}");
    std::fs::write(dir.path().join("not.png"), "GIF89a").unwrap();
    let e = checks::check_icon(&dir.path().join("not.png")).unwrap_err();
    assert!(e.problem.contains("not a PNG"), "{e}");
    let small = workspace().join("icons/128x128.png");
    let e = checks::check_icon(&small).unwrap_err();
    assert!(e.problem.contains("128×128"), "{e}");
    assert!(checks::check_icon(&workspace().join("icons/source.png")).is_ok());
}

#[test]
fn the_overlay_names_the_product_its_scheme_and_its_icons() {
    let brand = Brand::load(&workspace().join("brands/acme-live/brand.json")).unwrap();
    let overlay = tauri_overlay(&brand, Path::new("/out/icons"));
    assert_eq!(overlay["productName"], "Acme Live Studio");
    assert_eq!(overlay["mainBinaryName"], "acme-live-studio");
    assert_eq!(overlay["identifier"], "com.acme.livestudio");
    assert_eq!(
        overlay["plugins"]["deep-link"]["desktop"]["schemes"],
        json!(["com.acme.livestudio"])
    );
    assert_eq!(overlay["bundle"]["icon"][0], "/out/icons/32x32.png");
    assert_eq!(
        overlay["bundle"]["icon"].as_array().unwrap().len(),
        ICON_FILES.len()
    );
}
