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
