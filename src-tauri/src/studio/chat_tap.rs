//! Where the studio's chat goes in the app: the overlay's hub and the window's inbox, each batch
//! and each moderation in the stream's order, straight from the chat loop. Not through the
//! studio's events: a reader of those that falls behind misses the oldest, and a comment or a
//! deletion missed here would be a line lost in the window or a removal that never reaches the
//! overlay. Both hand-overs are a lock and a push, so the chat loop never waits on them.

use std::sync::Arc;

use restream_client::{ChatTap, Comment, ModerationEvent};
use tauri::{AppHandle, Manager};

use crate::events::CommentsReceived;
use crate::overlay::owner::OverlayOwner;
use crate::studio::chat_inbox::ChatInbox;

pub struct AppChatTap {
    pub app: AppHandle,
}

impl AppChatTap {
    fn to_window(&self, received: CommentsReceived) {
        self.app.state::<Arc<ChatInbox>>().push(received);
    }
}

impl ChatTap for AppChatTap {
    fn comments(&self, comments: &Arc<[Comment]>, backfill: bool) {
        self.app
            .state::<OverlayOwner>()
            .hub()
            .comments(comments, backfill);
        self.to_window(CommentsReceived {
            comments: comments.to_vec(),
            backfill,
            skipped: 0,
            moderation: None,
        });
    }

    fn skipped(&self, count: u32) {
        self.to_window(CommentsReceived {
            comments: Vec::new(),
            backfill: false,
            skipped: count,
            moderation: None,
        });
    }

    // The overlay and the window learn of it after the comments before it: a removal never
    // overtakes the comment it removes.
    fn moderation(&self, event: &ModerationEvent) {
        self.app.state::<OverlayOwner>().hub().moderation(event);
        self.to_window(CommentsReceived {
            comments: Vec::new(),
            backfill: false,
            skipped: 0,
            moderation: Some(event.clone()),
        });
    }
}
