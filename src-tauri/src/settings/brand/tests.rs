use serde_json::{Value, json};

use super::*;

fn brand_from(value: Value) -> Brand {
    Brand::parse(&value.to_string()).expect("a valid brand")
}

fn sample_value() -> Value {
    serde_json::from_str(include_str!("../../../../brands/acme-live/brand.json")).unwrap()
}

fn sample() -> Brand {
    brand_from(sample_value())
}

/// The sample brand with nothing locked.
fn unlocked(change: impl FnOnce(&mut Value)) -> Brand {
    let mut value = sample_value();
    value["locked"] = json!([]);
    change(&mut value);
    brand_from(value)
}

fn vars(pairs: &[(&str, &str)]) -> HashMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn operator(choice: ServiceChoice) -> (String, OperatorConfig) {
    let ServiceChoice::Configured(config) = choice else {
        panic!("expected a configured service, got {choice:?}");
    };
    let Credential::Operator(operator) = &config.credential else {
        panic!("expected token mode");
    };
    (config.api_base.as_str().to_owned(), (**operator).clone())
}

#[test]
fn the_embedded_brand_is_the_default_one() {
    assert_eq!(brand().product_name, "Restream Studio");
    assert!(matches!(
        choose(brand(), SettingsSource::Settings, HashMap::new()),
        ServiceChoice::Demo
    ));
    assert_eq!(view(brand()).platforms, Platform::ALL.to_vec());
}

#[test]
fn with_nothing_saved_the_brand_defaults_choose_the_service() {
    let (api_base, operator) = operator(choose(&sample(), SettingsSource::Settings, HashMap::new()));
    assert!(
        api_base.starts_with("https://restream.acme.example"),
        "{api_base}"
    );
    assert_eq!(operator.client_id, "acme-live-desktop");
    assert_eq!(
        operator.sign_in_url.as_str(),
        "https://accounts.acme.example/operator/authorize"
    );
}

#[test]
fn locked_settings_win_over_saved_ones_and_the_environment() {
    let saved = vars(&[
        (ENV_API_BASE, "https://phish.example"),
        (ENV_PUBLISHABLE_KEY, "pk_x"),
        (ENV_USER_ID, "u"),
    ]);
    let (api_base, operator) = operator(choose(&sample(), SettingsSource::Settings, saved));
    assert!(
        api_base.starts_with("https://restream.acme.example"),
        "{api_base}"
    );
    assert_eq!(operator.client_id, "acme-live-desktop");
}

#[test]
fn unlocked_settings_replace_the_brand_defaults() {
    let brand = unlocked(|b| b["allowPublishableKey"] = json!(true));
    let saved = vars(&[
        (ENV_API_BASE, "http://127.0.0.1:8787"),
        (ENV_PUBLISHABLE_KEY, "pk_x"),
        (ENV_USER_ID, "u"),
    ]);
    let ServiceChoice::Configured(config) = choose(&brand, SettingsSource::Settings, saved) else {
        panic!("expected a configured service");
    };
    assert!(matches!(config.credential, Credential::PublishableKey { .. }));
}

#[test]
fn what_the_brand_does_not_allow_is_refused_with_the_reason() {
    // Demo saved, but this build offers none.
    let ServiceChoice::Invalid { cause, fix } =
        choose(&unlocked(|_| {}), SettingsSource::Settings, HashMap::new())
    else {
        panic!("a demo must be refused");
    };
    assert!(cause.contains("no demo mode"), "{cause}");
    assert!(fix.contains("Settings"), "{fix}");
    let saved = vars(&[
        (ENV_API_BASE, "https://restream.acme.example"),
        (ENV_PUBLISHABLE_KEY, "pk_x"),
        (ENV_USER_ID, "u"),
    ]);
    let ServiceChoice::Invalid { cause, .. } = choose(&unlocked(|_| {}), SettingsSource::Settings, saved)
    else {
        panic!("a publishable key must be refused");
    };
    assert!(cause.contains("publishable key"), "{cause}");
}

#[test]
fn the_operator_addresses_the_brand_names_are_used_for_its_own_client() {
    let brand = brand_from({
        let mut value = sample_value();
        value["service"]["operator"]["tokenUrl"] = json!("https://sso.acme.example/oauth/token");
        value
    });
    let (_, operator_config) = operator(choose(&brand, SettingsSource::Settings, HashMap::new()));
    assert_eq!(
        operator_config.token_url.as_str(),
        "https://sso.acme.example/oauth/token"
    );
    // Another client id (unlocked and saved by the streamer) keeps its own addresses.
    let brand = unlocked(|b| b["service"]["operator"]["tokenUrl"] = json!("https://sso.acme.example/t"));
    let saved = vars(&[
        (ENV_API_BASE, "https://restream.acme.example"),
        (ENV_OPERATOR_CLIENT_ID, "someone-else"),
    ]);
    let (_, operator_config) = operator(choose(&brand, SettingsSource::Settings, saved));
    assert!(operator_config.token_url.as_str().ends_with("/operator/token"));
}

#[test]
fn platforms_and_opener_hosts_follow_the_brand() {
    let brand = sample();
    assert_eq!(
        enabled_platforms(&brand),
        vec![Platform::Twitch, Platform::Youtube, Platform::Kick]
    );
    assert!(check_platforms(&brand, &[Platform::Twitch, Platform::Kick]).is_ok());
    let refused = check_platforms(&brand, &[Platform::Twitch, Platform::Facebook]).unwrap_err();
    assert_eq!(refused.code, "platform_not_enabled");
    assert!(refused.cause.contains("facebook"), "{}", refused.cause);
    assert!(opener_allows(&brand, "help.acme.example"));
    assert!(!opener_allows(&brand, "evil.example"));
    assert!(!opener_allows(&brand, "acme.example"));
    let view = view(&brand);
    assert!(view.locked.api_base && view.locked.operator && view.locked.credential_mode);
    assert!(!view.demo_offered && !view.allow_publishable_key);
}
