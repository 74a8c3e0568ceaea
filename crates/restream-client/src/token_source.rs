//! The restream token: minted ahead of expiry, re-minted once on a 401, with any number of
//! concurrent failures causing exactly one mint (single flight; only the generation that failed is
//! invalidated).

use std::future::Future;
use std::pin::Pin;
use std::sync::Mutex;
use std::time::{Duration, SystemTime};

use secrecy::SecretString;
use tokio::time::Instant;

use crate::error::ApiError;

/// A freshly minted token and how long the service says it lives.
pub struct Minted {
    pub token: SecretString,
    pub expires_in: Duration,
    /// The answer's `Date`, when it had one: a token that spent time in transit expires sooner.
    pub date: Option<SystemTime>,
}

/// Why no token could be had.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MintError {
    /// The operator refused the sign-in (revoked, expired refresh token): sign in again.
    #[error("sign-in required: {0}")]
    SignInRequired(String),
    #[error(transparent)]
    Api(#[from] ApiError),
}

pub type MintFuture<'a> = Pin<Box<dyn Future<Output = Result<Minted, MintError>> + Send + 'a>>;

/// Something that can mint restream tokens (the operator's token endpoint, in token mode).
pub trait TokenMinter: Send + Sync {
    fn mint(&self) -> MintFuture<'_>;
}

/// A token and the generation it belongs to; a 401 invalidates only its own generation.
#[derive(Clone)]
pub struct Issued {
    pub token: SecretString,
    pub generation: u64,
}

struct Current {
    token: SecretString,
    generation: u64,
    /// Refresh after this (monotonic; does not count suspend).
    refresh_at: Instant,
    /// …or after this wall-clock time, whichever comes first (counts suspend).
    refresh_at_wall: SystemTime,
}

/// How early to refresh: a fifth of the lifetime, at most a minute.
pub fn refresh_margin(lifetime: Duration) -> Duration {
    (lifetime / 5).min(Duration::from_secs(60))
}

pub struct TokenSource {
    minter: Box<dyn TokenMinter>,
    current: Mutex<Option<Current>>,
    last_generation: Mutex<u64>,
    /// Held while minting, so concurrent callers wait for one mint instead of starting their own.
    minting: tokio::sync::Mutex<()>,
}

impl TokenSource {
    pub fn new(minter: Box<dyn TokenMinter>) -> Self {
        TokenSource {
            minter,
            current: Mutex::new(None),
            last_generation: Mutex::new(0),
            minting: tokio::sync::Mutex::new(()),
        }
    }

    fn fresh(&self) -> Option<Issued> {
        let current = self.current.lock().unwrap_or_else(|p| p.into_inner());
        let c = current.as_ref()?;
        (Instant::now() < c.refresh_at && SystemTime::now() < c.refresh_at_wall).then(|| Issued {
            token: c.token.clone(),
            generation: c.generation,
        })
    }

    /// A token that is not about to expire, minting one if needed.
    pub async fn token(&self) -> Result<Issued, MintError> {
        if let Some(issued) = self.fresh() {
            return Ok(issued);
        }
        let _minting = self.minting.lock().await;
        // Whoever held the lock before us may have minted already.
        if let Some(issued) = self.fresh() {
            return Ok(issued);
        }
        let minted = self.minter.mint().await?;
        let received = SystemTime::now();
        // Time the answer spent in transit (per its Date) shortens the token's life here.
        let transit = minted
            .date
            .and_then(|d| received.duration_since(d).ok())
            .filter(|t| *t < minted.expires_in)
            .unwrap_or_default();
        let lifetime = minted.expires_in.saturating_sub(transit);
        let margin = refresh_margin(lifetime);
        let generation = {
            let mut last = self.last_generation.lock().unwrap_or_else(|p| p.into_inner());
            *last += 1;
            *last
        };
        let issued = Issued {
            token: minted.token.clone(),
            generation,
        };
        *self.current.lock().unwrap_or_else(|p| p.into_inner()) = Some(Current {
            token: minted.token,
            generation,
            refresh_at: Instant::now() + lifetime.saturating_sub(margin),
            refresh_at_wall: received + lifetime.saturating_sub(margin),
        });
        Ok(issued)
    }

    /// The service refused a token of `generation`: forget it, unless a newer one replaced it.
    pub fn invalidate(&self, generation: u64) {
        let mut current = self.current.lock().unwrap_or_else(|p| p.into_inner());
        if current.as_ref().is_some_and(|c| c.generation == generation) {
            *current = None;
        }
    }

    /// Forgets any token (sign-out).
    pub fn clear(&self) {
        *self.current.lock().unwrap_or_else(|p| p.into_inner()) = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicU32, Ordering};

    struct Counting {
        mints: Arc<AtomicU32>,
        lifetime: Duration,
        date: Option<SystemTime>,
    }

    impl TokenMinter for Counting {
        fn mint(&self) -> MintFuture<'_> {
            Box::pin(async move {
                let n = self.mints.fetch_add(1, Ordering::SeqCst) + 1;
                // A mint takes a while, so concurrent callers overlap it.
                tokio::time::sleep(Duration::from_millis(50)).await;
                Ok(Minted {
                    token: SecretString::from(format!("token-{n}")),
                    expires_in: self.lifetime,
                    date: self.date,
                })
            })
        }
    }

    fn source(lifetime: Duration, date: Option<SystemTime>) -> (Arc<TokenSource>, Arc<AtomicU32>) {
        let mints = Arc::new(AtomicU32::new(0));
        let minter = Counting {
            mints: Arc::clone(&mints),
            lifetime,
            date,
        };
        (Arc::new(TokenSource::new(Box::new(minter))), mints)
    }

    #[tokio::test(start_paused = true)]
    async fn concurrent_callers_share_one_mint() {
        let (source, mints) = source(Duration::from_secs(900), None);
        let tasks: Vec<_> = (0..200)
            .map(|_| {
                let s = Arc::clone(&source);
                tokio::spawn(async move { s.token().await.unwrap().generation })
            })
            .collect();
        for t in tasks {
            assert_eq!(t.await.unwrap(), 1);
        }
        assert_eq!(mints.load(Ordering::SeqCst), 1);
    }

    #[tokio::test(start_paused = true)]
    async fn a_failed_generation_is_replaced_once() {
        let (source, mints) = source(Duration::from_secs(900), None);
        let first = source.token().await.unwrap();
        // 200 requests fail with generation 1 at once: one re-mint.
        for _ in 0..200 {
            source.invalidate(first.generation);
        }
        let tasks: Vec<_> = (0..200)
            .map(|_| {
                let s = Arc::clone(&source);
                tokio::spawn(async move { s.token().await.unwrap().generation })
            })
            .collect();
        for t in tasks {
            assert_eq!(t.await.unwrap(), 2);
        }
        // A late failure report about generation 1 does not throw away generation 2.
        source.invalidate(first.generation);
        assert_eq!(source.token().await.unwrap().generation, 2);
        assert_eq!(mints.load(Ordering::SeqCst), 2);
    }

    #[tokio::test(start_paused = true)]
    async fn refreshes_ahead_of_expiry() {
        let (source, mints) = source(Duration::from_secs(900), None);
        source.token().await.unwrap();
        // 900 s lifetime, 60 s margin: still fresh at 839 s, refreshed at 841 s.
        tokio::time::advance(Duration::from_secs(839)).await;
        assert_eq!(source.token().await.unwrap().generation, 1);
        tokio::time::advance(Duration::from_secs(2)).await;
        assert_eq!(source.token().await.unwrap().generation, 2);
        assert_eq!(mints.load(Ordering::SeqCst), 2);
    }

    #[tokio::test(start_paused = true)]
    async fn at_its_refresh_time_a_token_is_minted_anew() {
        let (source, mints) = source(Duration::from_secs(900), None);
        source.token().await.unwrap();
        // Refresh is due 840 s after the mint: at that instant the old token is not handed out.
        tokio::time::advance(Duration::from_secs(840)).await;
        assert_eq!(source.token().await.unwrap().generation, 2);
        assert_eq!(mints.load(Ordering::SeqCst), 2);
    }

    #[tokio::test(start_paused = true)]
    async fn sign_out_forgets_the_token() {
        let (source, mints) = source(Duration::from_secs(900), None);
        assert_eq!(source.token().await.unwrap().generation, 1);
        source.clear();
        // The next sign-in's first request mints its own token, not the signed-out one's.
        assert_eq!(source.token().await.unwrap().generation, 2);
        assert_eq!(mints.load(Ordering::SeqCst), 2);
    }

    #[tokio::test(start_paused = true)]
    async fn time_in_transit_shortens_the_lifetime() {
        // The service dated its answer 100 s ago (a slow path, or a clock behind ours).
        let date = SystemTime::now() - Duration::from_secs(100);
        let (source, _) = source(Duration::from_secs(300), Some(date));
        source.token().await.unwrap();
        // Lifetime here: 200 s, margin 40 s → refresh after 160 s.
        tokio::time::advance(Duration::from_secs(159)).await;
        assert_eq!(source.token().await.unwrap().generation, 1);
        tokio::time::advance(Duration::from_secs(2)).await;
        assert_eq!(source.token().await.unwrap().generation, 2);
    }

    #[test]
    fn margins() {
        assert_eq!(refresh_margin(Duration::from_secs(900)), Duration::from_secs(60));
        assert_eq!(refresh_margin(Duration::from_secs(10)), Duration::from_secs(2));
    }
}
