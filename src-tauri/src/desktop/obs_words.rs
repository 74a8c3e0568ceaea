//! What the tray and the notifications say about OBS, in the streamer's language.

use crate::obs::view::{ObsLinkView, ObsNews, ObsOutput, ObsView};
use crate::settings::preferences::Language;

/// The tray's OBS line.
pub fn tray_line(language: Language, view: &ObsView) -> String {
    let es = language == Language::Es;
    match (&view.link, view.output) {
        (ObsLinkView::Off, _) => if es {
            "OBS: enlace apagado (Ajustes)"
        } else {
            "OBS: link off (Settings)"
        }
        .to_owned(),
        // No bitrate here: it changes with every answer, and each change of the menu is a
        // signal to the desktop's panel that nobody may be looking at.
        (ObsLinkView::Connected { .. }, ObsOutput::Streaming) => {
            if es { "OBS: emitiendo" } else { "OBS: streaming" }.to_owned()
        }
        (ObsLinkView::Connected { .. }, ObsOutput::Reconnecting) => if es {
            "OBS: reconectando…"
        } else {
            "OBS: reconnecting…"
        }
        .to_owned(),
        (ObsLinkView::Connected { .. }, _) => if es { "OBS: enlazado" } else { "OBS: linked" }.to_owned(),
        (ObsLinkView::Connecting | ObsLinkView::NotListening { .. }, _) => if es {
            "OBS: sin enlazar (esperando a OBS)"
        } else {
            "OBS: not linked (waiting for OBS)"
        }
        .to_owned(),
        (ObsLinkView::WrongPassword { .. }, _) => if es {
            "OBS: contraseña incorrecta"
        } else {
            "OBS: wrong password"
        }
        .to_owned(),
        (ObsLinkView::TooOld { .. }, _) => if es {
            "OBS: obs-websocket demasiado antiguo"
        } else {
            "OBS: obs-websocket too old"
        }
        .to_owned(),
        (ObsLinkView::Failed { .. }, _) => if es { "OBS: sin enlazar" } else { "OBS: not linked" }.to_owned(),
    }
}

/// The tray's two switches.
pub fn switches(language: Language) -> (&'static str, &'static str) {
    match language {
        Language::En => (
            "Go live everywhere when OBS starts streaming",
            "Stop when OBS stops",
        ),
        Language::Es => (
            "Emitir en todas partes cuando OBS empiece a emitir",
            "Detener cuando OBS se detenga",
        ),
    }
}

/// A notification's title and body; `None` for news the window alone shows.
pub fn notice(language: Language, news: &ObsNews) -> Option<(String, String)> {
    let es = language == Language::Es;
    let pick = |en: String, es_text: String| if es { es_text } else { en };
    let (title, body) = match news {
        ObsNews::WaitingForSession { .. } | ObsNews::StopCancelled => return None,
        ObsNews::GoingLive { .. } => (
            pick("Going live everywhere".into(), "Emitiendo en todas partes".into()),
            pick(
                "OBS started streaming: going live on your armed destinations.".into(),
                "OBS empezó a emitir: emitiendo en tus destinos preparados.".into(),
            ),
        ),
        ObsNews::GoingLiveWithForm => (
            pick("Going live everywhere".into(), "Emitiendo en todas partes".into()),
            pick(
                "OBS started streaming: going live with the session id in the form.".into(),
                "OBS empezó a emitir: emitiendo con el id de sesión del formulario.".into(),
            ),
        ),
        ObsNews::NoSessionFromIngest { seconds } => (
            pick("Not live yet".into(), "Aún sin emitir".into()),
            pick(
                format!(
                    "OBS is streaming, but the service saw no stream from its ingest in {seconds} s. Check OBS streams to the ingest (Set up OBS)."
                ),
                format!(
                    "OBS emite, pero el servicio no vio ninguna emisión en su ingesta en {seconds} s. Comprueba que OBS emite a la ingesta (Configurar OBS)."
                ),
            ),
        ),
        ObsNews::StoppingSoon { seconds } => (
            pick("OBS stopped".into(), "OBS se detuvo".into()),
            pick(
                format!("The stream stops in {seconds} s unless OBS starts again."),
                format!("La emisión se detiene en {seconds} s si OBS no vuelve a emitir."),
            ),
        ),
        ObsNews::Stopping => (
            pick("Stopping the stream".into(), "Deteniendo la emisión".into()),
            pick(
                "OBS stayed stopped, so the stream stops everywhere.".into(),
                "OBS siguió detenido, así que la emisión se detiene en todas partes.".into(),
            ),
        ),
        ObsNews::EndsWithIngestWindow => (
            pick("OBS stopped".into(), "OBS se detuvo".into()),
            pick(
                "If OBS does not come back within the service's reconnect window, the stream ends everywhere.".into(),
                "Si OBS no vuelve dentro del margen de reconexión del servicio, la emisión termina en todas partes.".into(),
            ),
        ),
        ObsNews::GoLiveFailed { cause, fix } => (
            pick("Could not go live".into(), "No se pudo emitir".into()),
            format!("{cause} {fix}"),
        ),
        ObsNews::StopFailed { cause, fix } => (
            pick("Could not stop".into(), "No se pudo detener".into()),
            format!("{cause} {fix}"),
        ),
        ObsNews::DroppingFrames { percent } => (
            pick("OBS is dropping frames".into(), "OBS está perdiendo fotogramas".into()),
            pick(
                format!("{percent} % of frames were skipped for 30 s: lower the bitrate or check the network."),
                format!("Se omitió el {percent} % de los fotogramas durante 30 s: baja la tasa de bits o revisa la red."),
            ),
        ),
        ObsNews::ObsReconnecting => (
            pick("OBS is reconnecting".into(), "OBS se está reconectando".into()),
            pick(
                "OBS lost its connection to the ingest and is trying again.".into(),
                "OBS perdió la conexión con la ingesta y lo está intentando de nuevo.".into(),
            ),
        ),
    };
    Some((title, body))
}

#[cfg(test)]
mod tests {
    use super::*;
    use restream_settings::obs_link::ObsLinkSettings;

    #[test]
    fn the_tray_line_says_where_to_turn_the_link_on_and_not_the_changing_rate() {
        let mut view = ObsView::new(ObsLinkSettings::default(), false);
        assert_eq!(tray_line(Language::En, &view), "OBS: link off (Settings)");
        view.link = ObsLinkView::Connected {
            obs_version: "29.0.2".into(),
            websocket_version: "5.1.0".into(),
        };
        view.output = ObsOutput::Streaming;
        assert_eq!(tray_line(Language::En, &view), "OBS: streaming");
        view.health = Some(crate::obs::view::ObsHealthView {
            bitrate_kbps: Some(2500),
            skipped_frames: 0,
            total_frames: 0,
            dropped_percent: 0.0,
            congestion: None,
            reconnecting: false,
        });
        assert_eq!(tray_line(Language::Es, &view), "OBS: emitiendo");
    }

    #[test]
    fn the_tray_names_both_switches_as_the_window_does() {
        assert_eq!(
            switches(Language::En),
            (
                "Go live everywhere when OBS starts streaming",
                "Stop when OBS stops"
            )
        );
        assert_eq!(switches(Language::Es).1, "Detener cuando OBS se detenga");
        assert!(switches(Language::Es).0.starts_with("Emitir en todas partes"));
    }

    #[test]
    fn automatic_actions_are_notified_and_waiting_is_not() {
        assert!(notice(Language::En, &ObsNews::WaitingForSession { seconds: 30 }).is_none());
        let (title, body) = notice(Language::Es, &ObsNews::StoppingSoon { seconds: 10 }).unwrap();
        assert_eq!(title, "OBS se detuvo");
        assert!(body.contains("10 s"));
        assert!(notice(Language::En, &ObsNews::Stopping).is_some());
    }
}
