//! The merged chat as the seed's `comments`: de-duplicated by id across any number of replays,
//! newest last, capped at the latest 200.

use std::collections::{HashSet, VecDeque};

use crate::types::Comment;

/// The seed's cap on `comments`.
pub const COMMENTS_KEPT: usize = 200;
/// Ids remembered beyond the kept comments, so a replay of an evicted comment is still a repeat.
const IDS_REMEMBERED: usize = 4096;

/// The merged chat: the latest [`COMMENTS_KEPT`] comments, each id at most once.
#[derive(Debug, Default)]
pub struct CommentFeed {
    comments: VecDeque<Comment>,
    seen: HashSet<String>,
    seen_order: VecDeque<String>,
}

impl CommentFeed {
    /// Adds the comments not seen before, in order; returns those (the ones to show).
    pub fn apply(&mut self, batch: impl IntoIterator<Item = Comment>) -> Vec<Comment> {
        let mut added = Vec::new();
        for comment in batch {
            if !self.remember(&comment.id) {
                continue;
            }
            if self.comments.len() == COMMENTS_KEPT {
                self.comments.pop_front();
            }
            self.comments.push_back(comment.clone());
            added.push(comment);
        }
        added
    }

    /// Whether `id` is new (and now remembered).
    fn remember(&mut self, id: &str) -> bool {
        if self.seen.contains(id) {
            return false;
        }
        if self.seen_order.len() == IDS_REMEMBERED
            && let Some(oldest) = self.seen_order.pop_front()
        {
            self.seen.remove(&oldest);
        }
        self.seen.insert(id.to_owned());
        self.seen_order.push_back(id.to_owned());
        true
    }

    /// Takes comment `id` out (a moderator deleted it); answers whether it was kept. Its id stays
    /// remembered, so no replay brings it back.
    pub fn remove(&mut self, id: &str) -> bool {
        self.remember(id);
        match self.comments.iter().position(|c| c.id == id) {
            Some(at) => self.comments.remove(at).is_some(),
            None => false,
        }
    }

    /// The latest comments, oldest first.
    pub fn comments(&self) -> Vec<Comment> {
        self.comments.iter().cloned().collect()
    }

    /// How many comments are kept.
    pub fn len(&self) -> usize {
        self.comments.len()
    }

    /// Whether no comment is kept.
    pub fn is_empty(&self) -> bool {
        self.comments.is_empty()
    }

    /// Forgets everything (sign-out, a different user).
    pub fn clear(&mut self) {
        *self = CommentFeed::default();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::platforms::Platform;

    fn comment(n: usize) -> Comment {
        Comment {
            id: format!("c{n}"),
            platform: Platform::Twitch,
            author: "a".into(),
            author_id: None,
            author_avatar: None,
            message: format!("m{n}"),
            timestamp: n as i64,
            own: false,
        }
    }

    #[test]
    fn replays_add_nothing_twice_and_the_latest_200_stay() {
        let mut feed = CommentFeed::default();
        assert_eq!(feed.apply((0..150).map(comment)).len(), 150);
        // A reconnect replays 100 already seen and brings 100 new.
        let added = feed.apply((50..250).map(comment));
        assert_eq!(added.first().map(|c| c.id.as_str()), Some("c150"));
        assert_eq!(added.len(), 100);
        let ids: Vec<String> = feed.comments().into_iter().map(|c| c.id).collect();
        assert_eq!(ids.len(), COMMENTS_KEPT);
        assert_eq!(ids.first().map(String::as_str), Some("c50"));
        assert_eq!(ids.last().map(String::as_str), Some("c249"));
        // An evicted comment replayed again is still a repeat.
        assert!(feed.apply([comment(10)]).is_empty());
    }

    #[test]
    fn a_removed_comment_leaves_and_never_comes_back() {
        let mut feed = CommentFeed::default();
        feed.apply((0..3).map(comment));
        assert!(feed.remove("c1"));
        assert!(!feed.remove("c1"), "gone already");
        let ids: Vec<String> = feed.comments().into_iter().map(|c| c.id).collect();
        assert_eq!(ids, ["c0", "c2"]);
        assert!(
            feed.apply([comment(1)]).is_empty(),
            "a replay does not bring it back"
        );
        // Removing one never seen (deleted before it arrived) keeps it out when it does arrive.
        assert!(!feed.remove("c9"));
        assert!(feed.apply([comment(9)]).is_empty());
        assert_eq!(feed.len(), 2);
    }

    #[test]
    fn remembers_the_latest_4096_ids_and_no_more() {
        let mut feed = CommentFeed::default();
        let total = IDS_REMEMBERED + 10;
        assert_eq!(feed.apply((0..total).map(comment)).len(), total);
        assert_eq!(feed.seen.len(), IDS_REMEMBERED);
        assert_eq!(feed.seen_order.len(), IDS_REMEMBERED);
        // The oldest ten are forgotten; the rest are still repeats.
        assert!(feed.apply([comment(10)]).is_empty());
        assert!(feed.apply([comment(total - 1)]).is_empty());
        assert_eq!(feed.apply([comment(9)]).len(), 1);
        assert_eq!(feed.seen.len(), IDS_REMEMBERED);
    }
}
