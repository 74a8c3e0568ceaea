//! Pages opened in the system browser that nothing answers: a browser that never came up, a page
//! closed. The studio lists each while it waits (to copy, open again or cancel), says when one has
//! waited long, lets other platforms connect meanwhile, and takes it off the list however it ends.

mod common;

use std::sync::Arc;
use std::time::Duration;

use common::{Browser, Decision, Service, wait_for};
use restream_client::{
    BrowserPage, BrowserWait, ConnectOutcome, Credential, MemorySecretStore, OperatorConfig, Platform,
    SignInError, SignInRoute, Studio, StudioEvent, UrlOpener,
};
use url::Url;

/// A studio whose hint comes after `hint_ms`.
fn studio_with_hint(service: &Service, browser: Arc<Browser>, hint_ms: u64) -> Studio {
    let mut config = service.config(service.publishable(), browser.clone());
    config.timing.browser_hint_after = Duration::from_millis(hint_ms);
    let studio = Studio::new(config).unwrap();
    browser.attach(&studio);
    studio
}

/// The next list of waits that `pick` accepts.
async fn waits_until(
    events: &mut tokio::sync::broadcast::Receiver<StudioEvent>,
    what: &str,
    mut pick: impl FnMut(&[BrowserWait]) -> bool,
) -> Vec<BrowserWait> {
    wait_for(events, what, |e| match e {
        StudioEvent::BrowserWaits(list) if pick(list) => Some(list.clone()),
        _ => None,
    })
    .await
}

/// The result of a spawned action, which must end within 15 s: a wait that never ends is a
/// failure here, not a hang.
async fn ended<T>(task: tokio::task::JoinHandle<T>) -> T {
    tokio::time::timeout(Duration::from_secs(15), task)
        .await
        .expect("the action did not end")
        .expect("the action panicked")
}

const TWITCH: BrowserPage = BrowserPage::Connect {
    platform: Platform::Twitch,
};

#[tokio::test]
async fn an_unanswered_page_is_listed_hinted_and_answered_when_opened_again() {
    let service = Service::start().await;
    let browser = Browser::new(Decision::Ignore);
    let studio = studio_with_hint(&service, browser.clone(), 300);
    let mut events = studio.subscribe();

    let twitch = tokio::spawn({
        let studio = studio.clone();
        async move { studio.connect(Platform::Twitch).await }
    });
    let listed = waits_until(&mut events, "the page listed", |l| !l.is_empty()).await;
    let opened = browser.opened.lock().unwrap().clone();
    assert_eq!(opened.len(), 1);
    assert_eq!(
        listed,
        vec![BrowserWait {
            page: TWITCH,
            url: opened[0].to_string(),
            slow: false,
            could_not_open: None,
        }]
    );
    assert_eq!(studio.snapshot().browser_waits, listed);

    // Nothing came back in time: the wait says so, and goes on.
    waits_until(&mut events, "the hint", |l| l.len() == 1 && l[0].slow).await;
    assert!(!twitch.is_finished(), "the connect gave up at the hint");

    // Another platform connects meanwhile.
    *browser.decision.lock().unwrap() = Decision::Approve;
    let kick = studio.connect(Platform::Kick).await.unwrap();
    assert_eq!(
        kick,
        ConnectOutcome::Connected {
            platform: Platform::Kick
        }
    );
    assert_eq!(studio.browser_waits().len(), 1, "Twitch still waits");

    // Opened again (now a browser answers): the same page, and the connect it belongs to ends.
    studio.reopen_browser_page(TWITCH).unwrap();
    assert_eq!(browser.opened.lock().unwrap()[2], opened[0]);
    let outcome = ended(twitch).await.unwrap();
    assert_eq!(
        outcome,
        ConnectOutcome::Connected {
            platform: Platform::Twitch
        }
    );
    assert!(studio.browser_waits().is_empty());
    let err = studio.reopen_browser_page(TWITCH).unwrap_err();
    assert!(err.contains("nothing is waiting"), "{err}");
}

#[tokio::test]
async fn cancel_ends_a_connect_and_a_newer_connect_replaces_the_older() {
    let service = Service::start().await;
    let browser = Browser::new(Decision::Ignore);
    let studio = studio_with_hint(&service, browser.clone(), 60_000);
    let mut events = studio.subscribe();
    let connect = |platform| {
        let studio = studio.clone();
        tokio::spawn(async move { studio.connect(platform).await })
    };

    let first = connect(Platform::Twitch);
    waits_until(&mut events, "the first page", |l| l.len() == 1).await;
    let second = connect(Platform::Twitch);
    assert_eq!(
        ended(first).await.unwrap(),
        ConnectOutcome::Cancelled {
            platform: Platform::Twitch
        },
        "the newer connect of the platform replaces the older"
    );
    let listed = waits_until(&mut events, "the second page alone", |l| {
        l.len() == 1 && browser.opened.lock().unwrap().len() == 2
    })
    .await;
    assert_eq!(listed[0].url, browser.opened.lock().unwrap()[1].to_string());

    assert!(studio.cancel_browser_wait(TWITCH));
    assert_eq!(
        ended(second).await.unwrap(),
        ConnectOutcome::Cancelled {
            platform: Platform::Twitch
        }
    );
    waits_until(&mut events, "nothing waiting", <[BrowserWait]>::is_empty).await;
    assert!(!studio.cancel_browser_wait(TWITCH), "nothing left to cancel");

    // A connect whose caller goes away takes its page off the list too.
    let dropped = connect(Platform::Youtube);
    waits_until(&mut events, "the YouTube page", |l| l.len() == 1).await;
    dropped.abort();
    waits_until(&mut events, "nothing waiting", <[BrowserWait]>::is_empty).await;
}

/// A browser that cannot be started, or that refuses one kind of page outright.
struct BrokenBrowser;

impl UrlOpener for BrokenBrowser {
    fn check(&self, url: &Url) -> Result<(), String> {
        if url.path().contains("/consent/") {
            Ok(())
        } else {
            Err("refusing that page".to_owned())
        }
    }

    fn open(&self, _url: &Url) -> Result<(), String> {
        Err("the system browser could not be started".to_owned())
    }
}

#[tokio::test]
async fn a_browser_that_cannot_start_leaves_the_link_to_open_by_hand() {
    let service = Service::start().await;
    let mut config = service.config(service.publishable(), Browser::new(Decision::Ignore));
    config.url_opener = Arc::new(BrokenBrowser);
    let studio = Studio::new(config).unwrap();
    let mut events = studio.subscribe();

    let connect = tokio::spawn({
        let studio = studio.clone();
        async move { studio.connect(Platform::Kick).await }
    });
    let listed = waits_until(&mut events, "the page listed", |l| !l.is_empty()).await;
    assert_eq!(
        listed[0].could_not_open.as_deref(),
        Some("the system browser could not be started")
    );
    assert!(
        listed[0].url.starts_with(&service.url("/hosted/consent/")),
        "{}",
        listed[0].url
    );
    let page = BrowserPage::Connect {
        platform: Platform::Kick,
    };
    assert!(studio.reopen_browser_page(page).is_err());
    assert!(studio.cancel_browser_wait(page));
    assert_eq!(
        ended(connect).await.unwrap(),
        ConnectOutcome::Cancelled {
            platform: Platform::Kick
        }
    );

    // The operator's sign-in page is refused by this opener: the sign-in fails and lists nothing.
    let operator = OperatorConfig::at(&service.api_base(), "demo").unwrap();
    let mut config = service.config(
        Credential::Operator(Box::new(operator)),
        Browser::new(Decision::Ignore),
    );
    config.url_opener = Arc::new(BrokenBrowser);
    config.secret_store = Arc::new(MemorySecretStore::default());
    let studio = Studio::new(config).unwrap();
    let err = studio.sign_in(SignInRoute::DeepLink).await.unwrap_err();
    assert!(
        matches!(&err, SignInError::Refused(why) if why.contains("refusing that page")),
        "{err:?}"
    );
    assert!(studio.browser_waits().is_empty());
}

#[tokio::test]
async fn a_sign_in_waits_the_same_way_and_cancels_or_is_replaced() {
    let service = Service::start().await;
    let browser = Browser::new(Decision::Ignore);
    let operator = OperatorConfig::at(&service.api_base(), "demo").unwrap();
    let mut config = service.config(Credential::Operator(Box::new(operator)), browser.clone());
    config.secret_store = Arc::new(MemorySecretStore::default());
    config.timing.browser_hint_after = Duration::from_millis(300);
    let studio = Studio::new(config).unwrap();
    browser.attach(&studio);
    let mut events = studio.subscribe();
    let sign_in = || {
        let studio = studio.clone();
        tokio::spawn(async move { studio.sign_in(SignInRoute::DeepLink).await })
    };

    let first = sign_in();
    let listed = waits_until(&mut events, "the sign-in page", |l| !l.is_empty()).await;
    assert_eq!(listed[0].page, BrowserPage::SignIn);
    assert!(
        listed[0].url.contains("/operator/authorize?"),
        "{}",
        listed[0].url
    );
    waits_until(&mut events, "the hint", |l| l.len() == 1 && l[0].slow).await;

    // A second sign-in replaces the first, which says so rather than "cancelled".
    let second = sign_in();
    assert_eq!(ended(first).await, Err(SignInError::Replaced));
    waits_until(&mut events, "the second page, not yet slow", |l| {
        l.len() == 1 && !l[0].slow
    })
    .await;
    assert!(studio.cancel_browser_wait(BrowserPage::SignIn));
    assert_eq!(ended(second).await, Err(SignInError::Cancelled));
    assert!(studio.browser_waits().is_empty());

    // Cancelled means gone: a late answer to it is not this studio's sign-in any more.
    let url = browser.opened.lock().unwrap()[1].clone();
    let state = url
        .query_pairs()
        .find(|(k, _)| k == "state")
        .unwrap()
        .1
        .into_owned();
    let late = format!("dev.restreamstudio://signin/callback?code=x&state={state}");
    assert!(matches!(
        studio.complete_sign_in(&late),
        restream_client::LinkVerdict::Rejected { .. }
    ));
}
