//! The studio's side of the chat stream: the transport that opens `/comments/stream` with the
//! current credential on every attempt, and the sink that takes what the stream loop
//! (`crate::chat`) hands back into the studio's state.

use std::sync::Arc;
use std::time::Duration;

use tokio_util::sync::CancellationToken;

use crate::chat::{self, ChatSink, ChatStatus, ChatTransport, Opened};
use crate::error::{ApiError, Concern};
use crate::events::StudioEvent;
use crate::http::transport_error;
use crate::ingest::SessionEvent;
use crate::moderation::{ModerationAction, ModerationEvent};
use crate::types::{Comment, Job};

use super::handle::Studio;
use super::state::lock;

impl Studio {
    /// Runs the chat stream over HTTP until it is cancelled or the service stops it.
    pub(super) async fn run_chat(&self, token: CancellationToken) {
        let transport = HttpChat { studio: self.clone() };
        let final_status = chat::run(
            &transport,
            self,
            self.inner.config.timing.chat,
            &self.inner.chat_wake,
            token,
        )
        .await;
        tracing::debug!(?final_status, "chat stream ended");
    }
}

impl ChatSink for Studio {
    fn status(&self, status: ChatStatus) {
        if status == ChatStatus::Live {
            // The stream opened: the service answers, whatever the pollers last heard.
            self.recovered(Concern::Service);
            // `session` events are not replayed: what changed while the stream was down is
            // read from the list.
            let studio = self.clone();
            tokio::spawn(async move { studio.refresh_live_sessions().await });
        }
        lock(&self.inner.state).chat = status.clone();
        self.emit(StudioEvent::Chat(status));
    }

    fn comments(&self, comments: Vec<Comment>, backfill: bool) {
        let added = lock(&self.inner.feed).apply(comments);
        if added.is_empty() {
            return;
        }
        let batch: Arc<[Comment]> = added.into();
        self.inner.config.chat_tap.comments(&batch, backfill);
        self.emit(StudioEvent::Comments {
            comments: Arc::clone(&batch),
            backfill,
        });
        for comment in batch.iter() {
            self.emit(StudioEvent::Comment(Arc::new(comment.clone())));
        }
    }

    fn skipped(&self, count: u32) {
        self.inner.config.chat_tap.skipped(count);
        self.emit(StudioEvent::Skipped { count });
    }

    fn job(&self, job: Job) {
        let newer = lock(&self.inner.state)
            .job
            .as_ref()
            .is_none_or(|current| current.id != job.id);
        if newer && job.status.is_active() {
            self.adopt(job);
        } else {
            self.apply_job(job);
        }
    }

    fn session(&self, event: SessionEvent) {
        self.session_changed(event);
    }

    fn moderation(&self, event: ModerationEvent) {
        let removed = match (event.outcome.action, &event.outcome.comment_id) {
            (ModerationAction::Delete, Some(id)) => lock(&self.inner.feed).remove(id),
            _ => false,
        };
        self.inner.config.chat_tap.moderation(&event);
        self.emit(StudioEvent::Moderation { event, removed });
    }

    fn server_now_ms(&self) -> i64 {
        self.inner.api.clock.server_now_ms()
    }
}

/// The chat stream over HTTP, with the current credential on every attempt.
struct HttpChat {
    studio: Studio,
}

impl ChatTransport for HttpChat {
    fn open(
        &self,
        last_event_id: Option<String>,
    ) -> futures_util::future::BoxFuture<'_, Result<Opened, ApiError>> {
        Box::pin(async move {
            let inner = &self.studio.inner;
            let mut request = inner
                .sse_http
                .get(inner.api.base.endpoint("/comments/stream"))
                .header(reqwest::header::ACCEPT, "text/event-stream");
            if let Some(id) = last_event_id {
                request = request.header("Last-Event-ID", id);
            }
            let (request, generation) = inner.api.authorize(request).await?;
            let response = request
                .send()
                .await
                .map_err(|e| transport_error(&e, inner.api.timeout_secs))?;
            let status = response.status().as_u16();
            let date = response
                .headers()
                .get(reqwest::header::DATE)
                .and_then(|v| v.to_str().ok());
            inner.api.clock.observe(date, std::time::SystemTime::now());
            if status == 200 {
                use futures_util::StreamExt;
                let body = response
                    .bytes_stream()
                    .map(|chunk| chunk.map_err(|e| e.to_string()));
                return Ok(Opened::Stream(Box::pin(body)));
            }
            // A 403 may be a credential minted before the streamer's grants changed: a new one
            // is worth one try, as for a 401.
            if status == 401 || status == 403 {
                inner.api.rejected(generation);
            }
            let retry_after = response
                .headers()
                .get(reqwest::header::RETRY_AFTER)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.trim().parse::<u64>().ok())
                .map(Duration::from_secs);
            let body = response.bytes().await.unwrap_or_default();
            Ok(Opened::Refused(
                crate::http::decode_error(status, &body).with_retry_after(retry_after),
            ))
        })
    }
}
