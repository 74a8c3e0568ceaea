//! The gate's one owner, and the news every open page follows. Chat and moderation come in as
//! the studio reads them; what the gate releases goes out to the pages at once, and a timer
//! releases what waits out the hold.

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use restream_client::{Comment, ModerationEvent};
use restream_settings::overlay::OverlaySettings;
use tokio::sync::{Notify, broadcast};
use tokio::time::Instant;

use crate::gate::{Gate, Rules};
use crate::look::{Look, PageComment};

/// News for many pages at once: a page that falls this far behind is sent the screen afresh.
const NEWS_KEPT: usize = 1_024;

/// Where the hub gets authors' pictures: from the studio's image cache, as `data:` URLs.
pub trait Avatars: Send + Sync {
    /// The picture at `url` if it is already fetched.
    fn cached(&self, url: &str) -> Option<String>;
    /// Fetch the picture at `url` (in the background) so a later message shows it.
    fn want(&self, url: &str);
}

/// No pictures: each author shows by name alone.
pub struct NoAvatars;

impl Avatars for NoAvatars {
    fn cached(&self, _: &str) -> Option<String> {
        None
    }

    fn want(&self, _: &str) {}
}

/// What a page is told after it has the screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PageNews {
    Show(PageComment),
    Remove(Vec<String>),
    Look(Look),
    /// The screen is now what it should be (the studio's first catch-up is through): a page
    /// that kept its lines while the studio started is sent the screen afresh.
    Settled,
}

/// What a page is told when it connects, or again after it fell behind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Screen {
    pub look: Look,
    pub shown: Vec<PageComment>,
    /// See [`Gate::settled`]: an unsettled, empty screen tells a page to keep what it shows.
    pub settled: bool,
}

struct Owned {
    gate: Gate,
    look: Look,
    /// Whether pages were told the screen settled.
    told_settled: bool,
}

pub struct OverlayHub {
    owned: Mutex<Owned>,
    news: broadcast::Sender<PageNews>,
    /// Wakes the release timer when what is held changes.
    held_changed: Notify,
    avatars: Arc<dyn Avatars>,
}

fn wall_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

impl OverlayHub {
    pub fn new(settings: &OverlaySettings, avatars: Arc<dyn Avatars>) -> Arc<OverlayHub> {
        Arc::new(OverlayHub {
            owned: Mutex::new(Owned {
                gate: Gate::new(Rules::from(settings)),
                look: Look::from(settings),
                told_settled: false,
            }),
            news: broadcast::channel(NEWS_KEPT).0,
            held_changed: Notify::new(),
            avatars,
        })
    }

    fn owned(&self) -> MutexGuard<'_, Owned> {
        self.owned.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn page_comment(&self, comment: &Comment, shown: Duration) -> PageComment {
        let avatar = comment
            .author_avatar
            .as_deref()
            .and_then(|url| self.avatars.cached(url));
        PageComment::new(comment, avatar, shown)
    }

    /// Sends what the gate releases by `now`. Called with the gate locked, so news goes out in
    /// the order the gate decided it.
    fn release(&self, owned: &mut Owned, now: Instant) {
        for (comment, shown) in owned.gate.release(now) {
            let _ = self.news.send(PageNews::Show(self.page_comment(&comment, shown)));
        }
        if !owned.told_settled && owned.gate.settled() {
            owned.told_settled = true;
            let _ = self.news.send(PageNews::Settled);
        }
    }

    fn removed(&self, ids: Vec<String>) {
        if !ids.is_empty() {
            let _ = self.news.send(PageNews::Remove(ids));
        }
    }

    /// Chat as the studio read it; `catch_up` after a reconnect.
    pub fn comments(&self, comments: &[Comment], catch_up: bool) {
        for url in comments.iter().filter_map(|c| c.author_avatar.as_deref()) {
            if self.avatars.cached(url).is_none() {
                self.avatars.want(url);
            }
        }
        let now = Instant::now();
        let mut owned = self.owned();
        owned.gate.admit(comments, catch_up, now, wall_ms());
        self.release(&mut owned, now);
        drop(owned);
        self.held_changed.notify_one();
    }

    /// A moderation event, in order with the chat.
    pub fn moderation(&self, event: &ModerationEvent) {
        let removed = self.owned().gate.moderate(event);
        self.removed(removed);
        self.held_changed.notify_one();
    }

    /// Hides one comment from the overlay only; answers every id hidden by hand, oldest first,
    /// for keeping between runs.
    pub fn hide(&self, comment_id: &str) -> Vec<String> {
        let mut owned = self.owned();
        let removed = owned.gate.hide(comment_id);
        let hidden = owned.gate.hidden();
        drop(owned);
        self.removed(removed);
        self.held_changed.notify_one();
        hidden
    }

    /// New settings: the pages restyle, and the rules apply to what is held and shown.
    pub fn settings(&self, settings: &OverlaySettings) {
        let mut owned = self.owned();
        let look = Look::from(settings);
        if look != owned.look {
            owned.look = look.clone();
            let _ = self.news.send(PageNews::Look(look));
        }
        let removed = owned.gate.set_rules(Rules::from(settings));
        self.removed(removed);
        self.release(&mut owned, Instant::now());
        drop(owned);
        self.held_changed.notify_one();
    }

    /// The screen as it is, and the news after it: taken together, so nothing falls between.
    pub fn join(&self) -> (Screen, broadcast::Receiver<PageNews>) {
        let owned = self.owned();
        let news = self.news.subscribe();
        (self.screen_of(&owned), news)
    }

    /// The screen as it is now.
    pub fn screen(&self) -> Screen {
        self.screen_of(&self.owned())
    }

    fn screen_of(&self, owned: &Owned) -> Screen {
        Screen {
            look: owned.look.clone(),
            shown: owned
                .gate
                .shown(Instant::now())
                .map(|(c, shown)| self.page_comment(c, shown))
                .collect(),
            settled: owned.gate.settled(),
        }
    }

    /// Releases held messages as their hold ends, for as long as the hub lives.
    pub async fn run_timer(self: Arc<Self>) {
        loop {
            let woken = self.held_changed.notified();
            tokio::pin!(woken);
            woken.as_mut().enable();
            let due = self.owned().gate.next_due();
            match due {
                Some(due) => {
                    tokio::select! {
                        () = tokio::time::sleep_until(due) => {}
                        () = &mut woken => {}
                    }
                }
                None => woken.await,
            }
            let mut owned = self.owned();
            self.release(&mut owned, Instant::now());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn comment(id: &str) -> Comment {
        Comment {
            id: id.to_owned(),
            platform: restream_client::Platform::Kick,
            author: "viewer".into(),
            author_id: Some("k-1".into()),
            author_avatar: Some("https://img.example/k-1.png".into()),
            message: "hi".into(),
            timestamp: 0,
            own: false,
        }
    }

    /// The next news, or a failure after a minute (of paused time: at once) when none comes.
    async fn next(news: &mut broadcast::Receiver<PageNews>) -> PageNews {
        tokio::time::timeout(Duration::from_secs(60), news.recv())
            .await
            .expect("news within a minute")
            .expect("the hub is alive")
    }

    struct OneAvatar;

    impl Avatars for OneAvatar {
        fn cached(&self, url: &str) -> Option<String> {
            (url == "https://img.example/k-1.png").then(|| "data:image/png;base64,AA".to_owned())
        }

        fn want(&self, _: &str) {}
    }

    fn held_for(seconds: u8) -> OverlaySettings {
        OverlaySettings {
            hold_seconds: seconds,
            ..OverlaySettings::default()
        }
    }

    #[tokio::test(start_paused = true)]
    async fn the_timer_releases_a_held_message_when_its_hold_ends_and_not_before() {
        let hub = OverlayHub::new(&held_for(2), Arc::new(OneAvatar));
        tokio::spawn(Arc::clone(&hub).run_timer());
        let (screen, mut news) = hub.join();
        assert!(screen.shown.is_empty() && !screen.settled);
        let start = Instant::now();
        hub.comments(&[comment("a")], false);
        assert_eq!(
            next(&mut news).await,
            PageNews::Settled,
            "live chat settles at once"
        );
        let PageNews::Show(shown) = next(&mut news).await else {
            panic!("a message shows")
        };
        assert_eq!(start.elapsed(), Duration::from_secs(2));
        assert_eq!(shown.avatar.as_deref(), Some("data:image/png;base64,AA"));
        assert!(hub.screen().settled);
    }

    #[tokio::test(start_paused = true)]
    async fn pages_are_told_once_when_the_first_catch_up_is_through() {
        let hub = OverlayHub::new(&held_for(2), Arc::new(NoAvatars));
        tokio::spawn(Arc::clone(&hub).run_timer());
        let (_, mut news) = hub.join();
        let start = Instant::now();
        hub.comments(&[comment("old")], true);
        assert!(!hub.screen().settled);
        assert!(matches!(next(&mut news).await, PageNews::Show(c) if c.id == "old"));
        assert_eq!(
            start.elapsed(),
            Duration::from_secs(1),
            "said long ago (by this computer's clock), it waits only for the rest of its catch-up"
        );
        assert_eq!(next(&mut news).await, PageNews::Settled);
        hub.comments(&[comment("new")], false);
        assert!(matches!(next(&mut news).await, PageNews::Show(c) if c.id == "new"));
        assert!(news.try_recv().is_err(), "told once");
    }

    #[tokio::test(start_paused = true)]
    async fn with_no_hold_a_message_goes_out_before_comments_returns() {
        let hub = OverlayHub::new(&held_for(0), Arc::new(NoAvatars));
        let (_, mut news) = hub.join();
        hub.comments(&[comment("a")], false);
        assert!(matches!(news.try_recv(), Ok(PageNews::Show(c)) if c.id == "a" && c.avatar.is_none()));
        assert_eq!(news.try_recv(), Ok(PageNews::Settled));
    }

    #[tokio::test(start_paused = true)]
    async fn a_deleted_held_message_never_goes_out_and_a_shown_one_is_removed() {
        let hub = OverlayHub::new(&held_for(2), Arc::new(NoAvatars));
        tokio::spawn(Arc::clone(&hub).run_timer());
        let (_, mut news) = hub.join();
        hub.comments(&[comment("gone"), comment("stays")], false);
        hub.hide("gone");
        assert_eq!(next(&mut news).await, PageNews::Settled);
        let PageNews::Show(first) = next(&mut news).await else {
            panic!()
        };
        assert_eq!(first.id, "stays");
        hub.hide("stays");
        assert_eq!(next(&mut news).await, PageNews::Remove(vec!["stays".into()]));
        assert!(hub.screen().shown.is_empty());
    }

    #[tokio::test(start_paused = true)]
    async fn a_page_that_connects_again_gets_the_lines_still_fading_with_their_age_and_not_the_faded() {
        let hub = OverlayHub::new(
            &OverlaySettings {
                fade_seconds: 10,
                ..held_for(0)
            },
            Arc::new(NoAvatars),
        );
        hub.comments(&[comment("first")], false);
        tokio::time::advance(Duration::from_secs(6)).await;
        hub.comments(&[comment("second")], false);
        tokio::time::advance(Duration::from_secs(3)).await;
        let ages = |screen: Screen| -> Vec<(String, u64)> {
            screen.shown.into_iter().map(|c| (c.id, c.shown_ms)).collect()
        };
        assert_eq!(
            ages(hub.join().0),
            [("first".to_owned(), 9_000), ("second".to_owned(), 3_000)]
        );
        tokio::time::advance(Duration::from_secs(1)).await;
        assert_eq!(
            ages(hub.join().0),
            [("second".to_owned(), 4_000)],
            "the first faded on every page: a page that connects now never shows it"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn new_settings_restyle_the_pages_and_a_shorter_hold_releases_at_once() {
        let hub = OverlayHub::new(&held_for(30), Arc::new(NoAvatars));
        let (_, mut news) = hub.join();
        hub.comments(&[comment("a")], false);
        assert_eq!(news.try_recv(), Ok(PageNews::Settled));
        hub.settings(&OverlaySettings {
            font_size: 40,
            ..held_for(0)
        });
        assert!(matches!(news.try_recv(), Ok(PageNews::Look(look)) if look.font_size == 40));
        assert!(matches!(news.try_recv(), Ok(PageNews::Show(c)) if c.id == "a"));
        hub.settings(&OverlaySettings {
            font_size: 40,
            ..held_for(0)
        });
        assert!(news.try_recv().is_err(), "the same look is not sent again");
    }
}
