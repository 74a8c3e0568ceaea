//! Token mode against the sandbox's operator role: sign-in through a scripted browser, one mint
//! for any number of concurrent 401s, re-minting under an open chat stream, and the end of a
//! sign-in when the operator revokes it.

mod common;

use std::sync::Arc;

use common::{Browser, Decision, Service, go_live_on_twitch, wait_for};
use reqwest::Method;
use restream_client::{
    AuthStatus, ChatStatus, Credential, GoLiveParams, MemorySecretStore, OperatorConfig, Platform,
    REFRESH_TOKEN_SECRET, SecretStore, SignInError, SignInRoute, Studio, StudioEvent,
};
use serde_json::json;

fn token_studio(service: &Service, browser: Arc<Browser>, store: Arc<MemorySecretStore>) -> Studio {
    let operator = OperatorConfig::at(&service.api_base(), "demo").unwrap();
    let mut config = service.config(Credential::Operator(Box::new(operator)), browser.clone());
    config.secret_store = store;
    let studio = Studio::new(config).unwrap();
    browser.attach(&studio);
    studio
}

async fn mints(service: &Service) -> u64 {
    service.stats().await["tokenMints"].as_u64().unwrap()
}

#[tokio::test]
async fn sign_in_then_one_mint_for_200_concurrent_failures() {
    let service = Service::start().await;
    let store = Arc::new(MemorySecretStore::default());
    let studio = token_studio(&service, Browser::new(Decision::Approve), Arc::clone(&store));
    assert!(matches!(
        studio.snapshot().auth,
        AuthStatus::SignInRequired { .. }
    ));
    let refused = studio.start().await.unwrap_err();
    assert_eq!(refused.code, "sign_in_required");

    studio.sign_in(SignInRoute::DeepLink).await.unwrap();
    assert_eq!(studio.snapshot().auth, AuthStatus::SignedIn);
    assert!(
        store.load(REFRESH_TOKEN_SECRET).unwrap().is_some(),
        "the refresh token is kept"
    );
    studio.start().await.unwrap();
    assert_eq!(mints(&service).await, 1);

    // Every token expires; 200 requests at once hit 401 together: exactly one mint.
    service.admin(Method::POST, "/sandbox/tokens/expire", None).await;
    let calls = (0..200).map(|_| {
        let studio = studio.clone();
        tokio::spawn(async move { studio.list_connections().await })
    });
    for call in calls {
        call.await.unwrap().unwrap();
    }
    assert_eq!(mints(&service).await, 2, "one re-mint for 200 concurrent 401s");
    studio.shutdown();
}

#[tokio::test]
async fn the_chat_stream_reopens_with_a_fresh_token() {
    let service = Service::start().await;
    let browser = Browser::new(Decision::Approve);
    let studio = token_studio(&service, browser.clone(), Arc::new(MemorySecretStore::default()));
    studio.sign_in(SignInRoute::DeepLink).await.unwrap();
    let (mut events, job) = go_live_on_twitch(&studio).await;
    let before = mints(&service).await;

    // Tokens expire mid-stream and the stream drops: it reconnects with a re-minted token.
    service.admin(Method::POST, "/sandbox/tokens/expire", None).await;
    service.admin(Method::POST, "/sandbox/streams/drop", None).await;
    wait_for(&mut events, "live again", |e| {
        matches!(e, StudioEvent::Chat(ChatStatus::Live)).then_some(())
    })
    .await;
    let burst = service
        .admin(
            Method::POST,
            &format!("/sandbox/jobs/{}/comments", job.id),
            Some(json!({ "count": 3 })),
        )
        .await;
    let first = burst["ids"][0].as_str().unwrap().to_owned();
    wait_for(&mut events, "comments after the re-mint", |e| match e {
        StudioEvent::Comments { comments, .. } if comments[0].id == first => Some(()),
        _ => None,
    })
    .await;
    assert!(mints(&service).await > before);
    studio.shutdown();
}

#[tokio::test]
async fn a_revoked_sign_in_stops_everything_and_asks_to_sign_in() {
    let service = Service::start().await;
    let browser = Browser::new(Decision::Approve);
    let store = Arc::new(MemorySecretStore::default());
    let studio = token_studio(&service, browser.clone(), Arc::clone(&store));
    studio.sign_in(SignInRoute::DeepLink).await.unwrap();
    studio.connect(Platform::Twitch).await.unwrap();
    let mut events = studio.subscribe();
    studio
        .go_live(GoLiveParams {
            publisher_session_id: "s".into(),
            destinations: vec![Platform::Twitch],
            ..GoLiveParams::default()
        })
        .await
        .unwrap();
    wait_for(&mut events, "chat live", |e| {
        matches!(e, StudioEvent::Chat(ChatStatus::Live)).then_some(())
    })
    .await;

    service
        .admin(Method::POST, "/sandbox/operator/revoke", None)
        .await;
    service.admin(Method::POST, "/sandbox/tokens/expire", None).await;
    let reason = wait_for(&mut events, "sign-in required", |e| match e {
        StudioEvent::Auth(AuthStatus::SignInRequired { reason }) => Some(reason.clone()),
        _ => None,
    })
    .await;
    assert!(!reason.is_empty());
    assert!(
        store.load(REFRESH_TOKEN_SECRET).unwrap().is_none(),
        "a dead refresh token is not kept"
    );
    let err = studio.list_connections().await.unwrap_err();
    assert_eq!((err.status, err.code.as_str()), (401, "sign_in_required"));
    assert!(err.advice().fix.contains("Sign in"));
    studio.shutdown();
}

#[tokio::test]
async fn sign_out_revokes_and_wipes_the_keychain() {
    let service = Service::start().await;
    let store = Arc::new(MemorySecretStore::default());
    let studio = token_studio(&service, Browser::new(Decision::Approve), Arc::clone(&store));
    studio.sign_in(SignInRoute::DeepLink).await.unwrap();
    studio.start().await.unwrap();
    let refresh = store.load(REFRESH_TOKEN_SECRET).unwrap().unwrap();
    studio.sign_out().await.unwrap();
    assert!(store.load(REFRESH_TOKEN_SECRET).unwrap().is_none());
    assert!(matches!(
        studio.snapshot().auth,
        AuthStatus::SignInRequired { .. }
    ));
    // The operator no longer honours the old refresh token.
    let response = service
        .http
        .post(service.url("/operator/token"))
        .form(&[
            ("grant_type", "refresh_token"),
            ("refresh_token", secrecy::ExposeSecret::expose_secret(&refresh)),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);

    let denied = token_studio(
        &service,
        Browser::new(Decision::Deny),
        Arc::new(MemorySecretStore::default()),
    );
    assert!(denied.sign_in(SignInRoute::DeepLink).await.is_err());
}

#[tokio::test]
async fn when_the_deep_link_never_comes_the_loopback_route_signs_in() {
    let service = Service::start().await;
    let browser = Browser::new(Decision::Approve);
    *browser.deliver_link.lock().unwrap() = false;
    let studio = token_studio(&service, browser.clone(), Arc::new(MemorySecretStore::default()));

    let waiting = tokio::spawn({
        let studio = studio.clone();
        async move { studio.sign_in(SignInRoute::DeepLink).await }
    });
    browser.until_opened("the sign-in page").await;
    studio.sign_in(SignInRoute::Loopback).await.unwrap();
    assert_eq!(studio.snapshot().auth, AuthStatus::SignedIn);
    assert_eq!(waiting.await.unwrap(), Err(SignInError::Replaced));

    let opened = browser.opened.lock().unwrap().clone();
    let redirect = opened[1]
        .query_pairs()
        .find(|(k, _)| k == "redirect_uri")
        .map(|(_, v)| v.into_owned())
        .unwrap();
    assert!(
        redirect.starts_with("http://127.0.0.1:") && redirect.ends_with("/signin/callback"),
        "{redirect}"
    );
    // The listener is gone once the sign-in is over: the code cannot be delivered twice.
    assert!(
        reqwest::get(&redirect).await.is_err(),
        "the loopback port is closed"
    );
    studio.start().await.unwrap();
    studio.shutdown();
}
