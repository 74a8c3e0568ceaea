//! The messages the streamer hid from the chat overlay by hand, by id, kept between runs in
//! `overlay-hidden.json`: the studio reads its chat again from the service when it starts, and a
//! message hidden from the stream must not come back on it. The newest [`HIDDEN_IDS_KEPT`] are
//! kept; by then the oldest are far beyond what the service replays.

use serde::{Deserialize, Serialize};

const HIDDEN_FILE: &str = "overlay-hidden.json";

/// Ids kept, oldest forgotten first.
pub const HIDDEN_IDS_KEPT: usize = 2_000;
/// The longest comment id taken from the window.
pub const MAX_COMMENT_ID_CHARS: usize = 256;

/// The hidden ids, oldest first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct HiddenFromOverlay {
    pub ids: Vec<String>,
}

/// The hidden ids in force, and where they are saved.
pub type HiddenState = crate::saved::Saved<HiddenFromOverlay>;

impl crate::saved::SavedSettings for HiddenFromOverlay {
    const FILE: &'static str = HIDDEN_FILE;

    fn check(&self) -> Result<(), String> {
        if self.ids.len() > HIDDEN_IDS_KEPT {
            return Err(format!("at most {HIDDEN_IDS_KEPT} hidden messages are kept"));
        }
        if self
            .ids
            .iter()
            .any(|id| id.is_empty() || id.chars().count() > MAX_COMMENT_ID_CHARS)
        {
            return Err(format!(
                "each hidden message's id is 1 to {MAX_COMMENT_ID_CHARS} characters"
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::saved::SavedSettings;

    #[test]
    fn kept_between_runs_and_a_file_past_the_bounds_counts_as_unreadable() {
        let dir = tempfile::tempdir().unwrap();
        let first = HiddenState::load(Some(dir.path().to_owned()));
        assert!(first.get().ids.is_empty());
        let hidden = HiddenFromOverlay {
            ids: vec!["cmt_1".into(), "cmt_2".into()],
        };
        first.save(hidden.clone()).unwrap();
        assert_eq!(HiddenState::load(Some(dir.path().to_owned())).get(), hidden);

        let at_bound = HiddenFromOverlay {
            ids: (0..HIDDEN_IDS_KEPT).map(|n| format!("c{n}")).collect(),
        };
        assert!(at_bound.check().is_ok());
        let mut over = at_bound.clone();
        over.ids.push("one more".into());
        assert!(over.check().is_err());
        assert!(first.save(over).is_err(), "refused before it is written");
        let longest = "x".repeat(MAX_COMMENT_ID_CHARS);
        assert!(
            HiddenFromOverlay {
                ids: vec![longest.clone()]
            }
            .check()
            .is_ok()
        );
        for bad in [String::new(), format!("{longest}x")] {
            assert!(HiddenFromOverlay { ids: vec![bad] }.check().is_err());
        }
        std::fs::write(dir.path().join(HIDDEN_FILE), r#"{"ids": [""]}"#).unwrap();
        assert!(
            HiddenState::load(Some(dir.path().to_owned()))
                .get()
                .ids
                .is_empty(),
            "a hand-edited file that breaks the rules is read as empty"
        );
    }
}
