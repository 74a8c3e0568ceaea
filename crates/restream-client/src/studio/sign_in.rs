//! Token mode's sign-in and sign-out as studio actions: opening the operator's page, waiting for
//! its answer by deep link or on the loopback listener (the latest ask wins), and clearing every
//! task and all state at sign-out.

use std::sync::Arc;

use tokio::sync::oneshot;

use crate::browser_page::BrowserPage;
use crate::connect::LinkVerdict;
use crate::error::Concern;
use crate::events::{AuthStatus, StudioEvent};
use crate::loopback::LoopbackListener;
use crate::operator::{SignInError, SignInRoute};

use super::handle::Studio;
use super::state::{SignInSlot, lock};

impl Studio {
    /// Starts a sign-in with the operator (token mode): opens the sign-in page in the system
    /// browser and returns once the answer came back, by deep link
    /// ([`complete_sign_in`](Self::complete_sign_in)) or on the loopback listener, per `route`.
    /// A newer sign-in replaces one still waiting, which then ends with [`SignInError::Replaced`].
    pub async fn sign_in(&self, route: SignInRoute) -> Result<(), SignInError> {
        // Taken before anything is awaited: the order of asking decides which sign-in stands.
        let asked = self
            .inner
            .sign_in_asked
            .fetch_add(1, std::sync::atomic::Ordering::SeqCst)
            + 1;
        let Some(operator) = self.inner.operator.clone() else {
            return Err(SignInError::Refused(
                "this studio does not use token mode".to_owned(),
            ));
        };
        // Whatever serves this sign-in stops with it, however it ends (even if the caller drops it).
        let stop = self.inner.root.child_token();
        let _stop_on_exit = stop.clone().drop_guard();
        let redirect_uri = match route {
            SignInRoute::DeepLink => self.inner.config.sign_in_redirect_uri.clone(),
            SignInRoute::Loopback => {
                let listener = LoopbackListener::bind().await.map_err(|e| {
                    SignInError::Refused(format!("could not listen on 127.0.0.1 for the sign-in: {e}"))
                })?;
                let redirect_uri = listener.redirect_uri();
                let studio = self.clone();
                let answered =
                    move |url: &str| matches!(studio.complete_sign_in(url), LinkVerdict::Accepted { .. });
                tokio::spawn(listener.serve(answered, stop.clone()));
                redirect_uri
            }
        };
        let pending = Arc::new(operator.begin_sign_in(&redirect_uri));
        let url = pending.url.clone();
        let (tx, rx) = oneshot::channel();
        {
            let mut slot = lock(&self.inner.sign_in);
            // A sign-in asked for later got here first (its route had less to set up).
            if slot.as_ref().is_some_and(|s| s.asked > asked) {
                return Err(SignInError::Replaced);
            }
            *slot = Some(SignInSlot {
                asked,
                pending: Arc::clone(&pending),
                wake: Some(tx),
            });
        }
        let wait = match self.wait_in_browser(BrowserPage::SignIn, &url) {
            Ok(wait) => wait,
            Err(why) => {
                lock(&self.inner.sign_in).take();
                return Err(SignInError::Refused(format!("its page was not opened: {why}")));
            }
        };
        let callback = tokio::select! {
            // In this order: a newer sign-in cancels this one's wait as it takes the slot, and
            // this one ends as replaced, not cancelled.
            biased;
            // The sender goes only when a newer sign-in takes the slot.
            answer = rx => answer.map_err(|_| SignInError::Replaced)?,
            // The streamer's Cancel, or the studio's end.
            () = wait.cancelled() => {
                let mut slot = lock(&self.inner.sign_in);
                if slot.as_ref().is_some_and(|s| Arc::ptr_eq(&s.pending, &pending)) {
                    slot.take();
                }
                return Err(SignInError::Cancelled);
            }
        };
        drop(wait);
        {
            let mut slot = lock(&self.inner.sign_in);
            if slot.as_ref().is_some_and(|s| Arc::ptr_eq(&s.pending, &pending)) {
                slot.take();
            }
        }
        operator.finish_sign_in(&pending, &callback).await?;
        self.signed_in();
        Ok(())
    }

    /// Hands the studio the deep link a sign-in came back on. Untrusted: a link whose state does
    /// not match the pending sign-in is ignored.
    pub fn complete_sign_in(&self, url: &str) -> LinkVerdict {
        let mut slot = lock(&self.inner.sign_in);
        let Some(sign_in) = slot.as_mut() else {
            return LinkVerdict::Rejected {
                reason: "no sign-in is in progress".to_owned(),
            };
        };
        if !sign_in.pending.matches(url) {
            return LinkVerdict::Rejected {
                reason: "not this sign-in's link".to_owned(),
            };
        }
        match sign_in.wake.take() {
            Some(wake) => {
                let _ = wake.send(url.to_owned());
                LinkVerdict::Accepted { platform: None }
            }
            None => LinkVerdict::Rejected {
                reason: "already answered".to_owned(),
            },
        }
    }

    fn signed_in(&self) {
        if let Some(tokens) = &self.inner.tokens {
            tokens.clear();
        }
        lock(&self.inner.state).auth = AuthStatus::SignedIn;
        self.emit(StudioEvent::Auth(AuthStatus::SignedIn));
        self.recovered(Concern::SignIn);
    }

    /// Signs out (token mode): revokes the sign-in at the operator, wipes it from the secret
    /// store, stops every task and clears the state.
    pub async fn sign_out(&self) -> Result<(), SignInError> {
        self.stop_followers();
        if let Some(tokens) = &self.inner.tokens {
            tokens.clear();
        }
        let result = match &self.inner.operator {
            Some(operator) => operator.sign_out().await,
            None => Ok(()),
        };
        {
            let mut state = lock(&self.inner.state);
            state.connections.clear();
            state.job = None;
            state.viewers = None;
            state.intent = None;
            state.auth = AuthStatus::SignInRequired {
                reason: "Signed out.".to_owned(),
            };
        }
        lock(&self.inner.feed).clear();
        self.forget_sessions();
        lock(&self.inner.state).platforms = None;
        // Nothing is tried as nobody, so no error stays true.
        let concerns: Vec<Concern> = lock(&self.inner.state)
            .errors
            .iter()
            .map(|(c, _, _)| *c)
            .collect();
        for concern in concerns {
            self.recovered(concern);
        }
        self.emit(StudioEvent::Connections(Vec::new()));
        self.emit(StudioEvent::Job(None));
        self.emit(StudioEvent::Viewers(None));
        self.emit(StudioEvent::Auth(AuthStatus::SignInRequired {
            reason: "Signed out.".to_owned(),
        }));
        result
    }
}
