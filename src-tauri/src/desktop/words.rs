//! What Rust itself says to the streamer outside the window (the tray's menu, desktop
//! notifications), in the studio's two languages. The window's words live in `ui/src/i18n`.

use restream_client::Platform;

use crate::settings::preferences::Language;

/// `one` or `other` by `n`: English and Spanish both use the singular for exactly 1.
fn plural(n: usize, one: &str, other: &str) -> String {
    if n == 1 { one } else { other }.replace("{n}", &n.to_string())
}

/// The tray's status line.
pub fn tray_status(language: Language, status: &crate::desktop::live_watch::LiveStatus) -> String {
    use crate::desktop::live_watch::LiveStatus;
    match (language, status) {
        (Language::En, LiveStatus::Idle) => "Not live".into(),
        (Language::Es, LiveStatus::Idle) => "Sin emitir".into(),
        (Language::En, LiveStatus::Starting { platforms }) => plural(
            *platforms,
            "Starting on {n} platform",
            "Starting on {n} platforms",
        ),
        (Language::Es, LiveStatus::Starting { platforms }) => plural(
            *platforms,
            "Iniciando en {n} plataforma",
            "Iniciando en {n} plataformas",
        ),
        (Language::En, LiveStatus::Live { live, of }) if live == of => {
            plural(*live, "Live on {n} platform", "Live on {n} platforms")
        }
        (Language::Es, LiveStatus::Live { live, of }) if live == of => plural(
            *live,
            "En directo en {n} plataforma",
            "En directo en {n} plataformas",
        ),
        (Language::En, LiveStatus::Live { live, of }) => format!("Live on {live} of {of} platforms"),
        (Language::Es, LiveStatus::Live { live, of }) => {
            format!("En directo en {live} de {of} plataformas")
        }
        (Language::En, LiveStatus::Reconnecting) => "Live · reconnecting to the service…".into(),
        (Language::Es, LiveStatus::Reconnecting) => "En directo · reconectando con el servicio…".into(),
        (Language::En, LiveStatus::SignInRequired) => "Sign-in needed".into(),
        (Language::Es, LiveStatus::SignInRequired) => "Hay que iniciar sesión".into(),
    }
}

/// The tray menu's item labels.
pub struct MenuWords {
    pub go_live: String,
    pub stop: &'static str,
    pub show: &'static str,
    pub quit: &'static str,
}

pub fn menu(language: Language, armed: &[Platform]) -> MenuWords {
    let names = armed
        .iter()
        .map(|p| p.display_name())
        .collect::<Vec<_>>()
        .join(", ");
    match language {
        Language::En => MenuWords {
            go_live: if names.is_empty() {
                "Go live (choose destinations first)".into()
            } else {
                format!("Go live on {names}")
            },
            stop: "Stop the stream…",
            show: "Show the studio",
            quit: "Quit",
        },
        Language::Es => MenuWords {
            go_live: if names.is_empty() {
                "Emitir en directo (elige destinos antes)".into()
            } else {
                format!("Emitir en directo en {names}")
            },
            stop: "Detener la emisión…",
            show: "Mostrar el estudio",
            quit: "Salir",
        },
    }
}

/// A desktop notification's title and body.
pub fn notice(language: Language, notice: &crate::desktop::notices::Notice) -> (String, String) {
    use crate::desktop::notices::Notice;
    match (language, notice) {
        (Language::En, Notice::DestinationFailed { platform, reason }) => (
            format!("{} failed", platform.display_name()),
            reason
                .clone()
                .unwrap_or_else(|| "The stream to it stopped. Retry it from the studio.".into()),
        ),
        (Language::Es, Notice::DestinationFailed { platform, reason }) => (
            format!("Falló {}", platform.display_name()),
            reason
                .clone()
                .unwrap_or_else(|| "Su emisión se detuvo. Reinténtala desde el estudio.".into()),
        ),
        (Language::En, Notice::JobEnded { reason }) => (
            "The stream ended".into(),
            reason
                .clone()
                .unwrap_or_else(|| "Your stream is no longer live on any platform.".into()),
        ),
        (Language::Es, Notice::JobEnded { reason }) => (
            "La emisión terminó".into(),
            reason
                .clone()
                .unwrap_or_else(|| "Tu emisión ya no está en directo en ninguna plataforma.".into()),
        ),
        (Language::En, Notice::Superseded) => (
            "Another go-live took over".into(),
            "A newer go-live for your account is running now; this one stopped.".into(),
        ),
        (Language::Es, Notice::Superseded) => (
            "Otra emisión tomó el relevo".into(),
            "Hay una emisión más reciente de tu cuenta en marcha; esta se detuvo.".into(),
        ),
        (Language::En, Notice::SignInRequired { reason }) => (
            "Sign in to keep going".into(),
            format!("{reason} Open the studio to sign in."),
        ),
        (Language::Es, Notice::SignInRequired { reason }) => (
            "Inicia sesión para seguir".into(),
            format!("{reason} Abre el estudio para iniciar sesión."),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::desktop::live_watch::LiveStatus;

    #[test]
    fn counts_read_naturally_in_both_languages() {
        let live = |live, of| LiveStatus::Live { live, of };
        assert_eq!(tray_status(Language::En, &live(1, 1)), "Live on 1 platform");
        assert_eq!(tray_status(Language::En, &live(3, 3)), "Live on 3 platforms");
        assert_eq!(tray_status(Language::En, &live(2, 3)), "Live on 2 of 3 platforms");
        assert_eq!(
            tray_status(Language::Es, &live(3, 3)),
            "En directo en 3 plataformas"
        );
        assert_eq!(
            menu(Language::En, &[Platform::Twitch, Platform::Youtube]).go_live,
            "Go live on Twitch, YouTube"
        );
    }
}
