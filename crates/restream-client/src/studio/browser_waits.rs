//! The hosted pages the studio opened in the system browser and still waits on (a platform's
//! connect, the sign-in). Opening a page is no proof that a browser showed it: `xdg-open` reports
//! success when the browser it starts refuses to run, and a streamer may close the tab. So while
//! a page waits, the window can show its address to copy or open again and a Cancel, and once
//! nothing has come back for [`Timing::browser_hint_after`](super::Timing) it says what may be
//! wrong. The types the window sees are in `browser_page.rs`.

use tokio_util::sync::CancellationToken;
use url::Url;

use crate::browser_page::{BrowserPage, BrowserWait};
use crate::events::StudioEvent;

use super::handle::Studio;

/// A wait on a page, from the moment it is opened until the action that opened it ends in any way
/// (answered, timed out, cancelled, or its future dropped): dropping the guard takes the page off
/// the list and stops its hint.
pub(super) struct WaitGuard {
    studio: Studio,
    id: u64,
    cancel: CancellationToken,
}

impl WaitGuard {
    /// Resolves when the streamer cancels the wait, a newer wait on the same page replaces it, or
    /// the studio shuts down.
    pub(super) async fn cancelled(&self) {
        self.cancel.cancelled().await;
    }
}

impl Drop for WaitGuard {
    fn drop(&mut self) {
        self.cancel.cancel();
        if self.studio.inner.browser_waits.remove(self.id) {
            self.studio.emit_browser_waits();
        }
    }
}

impl Studio {
    /// Opens `url` in the system browser and lists it as waited on for `page`, replacing (and
    /// cancelling) an earlier wait on the same page, and starts the clock of its hint. A browser
    /// that cannot be asked is no reason to give up: the page is listed with why, to be opened
    /// by hand. `Err` (and nothing listed) when the opener refuses the page itself.
    pub(super) fn wait_in_browser(&self, page: BrowserPage, url: &Url) -> Result<WaitGuard, String> {
        let opener = &self.inner.config.url_opener;
        opener.check(url)?;
        let could_not_open = opener.open(url).err();
        if let Some(why) = &could_not_open {
            tracing::warn!(error = %why, "could not open the system browser");
        }
        let cancel = self.inner.root.child_token();
        let wait = BrowserWait {
            page,
            url: url.to_string(),
            slow: false,
            could_not_open,
        };
        let id = self.inner.browser_waits.add(wait, url.clone(), cancel.clone());
        self.emit_browser_waits();
        let studio = self.clone();
        let hint_after = self.inner.config.timing.browser_hint_after;
        let ended = cancel.clone();
        tokio::spawn(async move {
            tokio::select! {
                () = ended.cancelled() => {}
                () = tokio::time::sleep(hint_after) => {
                    if studio.inner.browser_waits.mark_slow(id) {
                        studio.emit_browser_waits();
                    }
                }
            }
        });
        Ok(WaitGuard {
            studio: self.clone(),
            id,
            cancel,
        })
    }

    /// The pages the studio waits on in the system browser.
    pub fn browser_waits(&self) -> Vec<BrowserWait> {
        self.inner.browser_waits.list()
    }

    /// Stops waiting on `page`: a connect ends as cancelled, a sign-in as cancelled. Returns
    /// whether one was waiting.
    pub fn cancel_browser_wait(&self, page: BrowserPage) -> bool {
        self.inner.browser_waits.cancel(page)
    }

    /// Opens the page waited on for `page` in the system browser again (the first one may never
    /// have come up, or was closed). The wait goes on as before.
    pub fn reopen_browser_page(&self, page: BrowserPage) -> Result<(), String> {
        let url = self
            .inner
            .browser_waits
            .url(page)
            .ok_or_else(|| "nothing is waiting for the browser there any more".to_owned())?;
        self.inner.config.url_opener.open(&url)
    }

    fn emit_browser_waits(&self) {
        self.inner
            .browser_waits
            .say(|list| self.emit(StudioEvent::BrowserWaits(list)));
    }
}
