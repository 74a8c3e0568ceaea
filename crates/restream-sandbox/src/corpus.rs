//! Made-up chat: authors and messages of every shape a real chat has (short, long, unicode,
//! emoji, right-to-left, and text that looks like markup).

use rand::Rng;
use rand::seq::IndexedRandom;

pub const AUTHORS: &[&str] = &[
    "pixelpirate",
    "NightOwl_42",
    "gg_wp_gary",
    "Zoë",
    "李小龙迷",
    "ahmed.dev",
    "Łukasz",
    "x__sniper__x",
    "mod_marta",
    "CozyBean",
    "田中さん",
    "DJ Kettle",
    "Renée",
    "Σωκράτης",
    "captain_caps",
    "ByteSizedBen",
];

pub const MESSAGES: &[&str] = &[
    "gg",
    "LET'S GO 🔥🔥🔥",
    "hi from Brazil 🇧🇷",
    "what keyboard is that?",
    "lol",
    "that play was insane, how did you even see him coming from that angle",
    "first time catching the stream live, love the vibes here ❤️",
    "привет всем!",
    "こんにちは！",
    "مرحبا بالجميع",
    "W",
    "can you do a giveaway at 1k? 👀",
    "<b>not bold</b> & <i>not italic</i>",
    "👨‍👩‍👧‍👦 family emoji test 🏳️‍🌈",
    "POG",
    "brb getting snacks 🍕",
    "the audio is a bit quiet on my end",
    "Ω≈ç√∫˜µ≤≥÷ zalgo-free, promise",
    "this song slaps — what is it?",
    "🎉",
];

/// 0–15, the avatar images the sandbox serves.
pub const AVATAR_COUNT: usize = 16;

/// FNV-1a of a name, so what is made from it does not change between builds.
fn name_hash(author: &str) -> u64 {
    author.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// A simulated author's id on `platform`: stable for a name, different per platform, as a
/// platform's user ids are.
pub fn author_id(platform: crate::platform::Platform, author: &str) -> String {
    format!("{}-{:012x}", platform.as_str(), name_hash(author) >> 16)
}

/// The picture of an author named by a test: one for each name, on every platform, as an
/// author keeps theirs from one message to the next.
pub fn avatar_of(author: &str) -> usize {
    (name_hash(author) % AVATAR_COUNT as u64) as usize
}

/// Where the sandbox serves avatar `index`.
pub fn avatar_url(base_url: &str, index: usize) -> String {
    format!("{base_url}/assets/avatars/{index}.png")
}

pub struct Line {
    pub author: &'static str,
    pub avatar: Option<usize>,
    pub message: String,
}

pub fn random_line() -> Line {
    let mut rng = rand::rng();
    let author_index = rng.random_range(0..AUTHORS.len());
    let message = if rng.random_bool(0.05) {
        // Now and then, the longest message a platform allows.
        "a very long message ".repeat(25).trim_end().to_owned()
    } else {
        MESSAGES.choose(&mut rng).copied().unwrap_or("gg").to_owned()
    };
    Line {
        author: AUTHORS[author_index],
        // One author in ten has no avatar.
        avatar: (author_index % 10 != 9).then_some(author_index % AVATAR_COUNT),
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::platform::Platform;

    #[test]
    fn an_author_keeps_one_id_per_platform_and_authors_do_not_share_one() {
        let id = author_id(Platform::Twitch, "pixelpirate");
        assert_eq!(id, author_id(Platform::Twitch, "pixelpirate"));
        assert!(id.starts_with("twitch-"), "{id}");
        assert_ne!(id, author_id(Platform::Kick, "pixelpirate"));
        let ids: std::collections::HashSet<_> =
            AUTHORS.iter().map(|a| author_id(Platform::Twitch, a)).collect();
        assert_eq!(ids.len(), AUTHORS.len());
    }
}
