//! The app's logs: structured (tracing) to stderr and to a daily file in the app's log folder,
//! keeping a week of files, with secrets and URL queries redacted from every line before it is
//! written anywhere. The last warnings and errors are also kept in memory for diagnostics.
//!
//! Redaction happens on the formatted line, not at each call site, so a secret that reaches a
//! log through an error message or a third-party crate is caught too.

use std::collections::VecDeque;
use std::io::Write;
use std::path::Path;
use std::sync::{Arc, LazyLock, Mutex};

use regex::Regex;
use tracing::{Event, Level, Subscriber};
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::layer::{Context, SubscriberExt};
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{EnvFilter, Layer};

/// Log files kept (one a day).
const FILES_KEPT: usize = 7;
/// Warnings and errors kept for diagnostics.
const RECENT_KEPT: usize = 20;
/// Characters kept of each recent problem: an error may carry a whole answer body, and the
/// diagnostics copy only needs to say what failed.
const LINE_KEPT: usize = 1_000;

static RULES: LazyLock<[(Regex, &'static str); 5]> = LazyLock::new(|| {
    let rule = |pattern: &str, replacement: &'static str| {
        (
            Regex::new(pattern).expect("the redaction patterns are valid"),
            replacement,
        )
    };
    [
        // A URL's query carries states, codes and session ids (deep links, callbacks): keep the
        // scheme, host and path.
        rule(
            r#"([a-zA-Z][a-zA-Z0-9+.-]*://[^\s?#"'<>]*)[?#][^\s"'<>]*"#,
            "$1?[redacted]",
        ),
        // The contract's keys: publishable and secret, test or live.
        // An ASCII boundary: a key glued to a non-ASCII letter (`épk_…`) is still a key.
        rule(r"(?-u:\b)(pk|sk)_[A-Za-z0-9_]{6,}", "${1}_[redacted]"),
        rule(r"(?i)\bbearer\s+[A-Za-z0-9._~+/=-]+", "Bearer [redacted]"),
        // `name=value` and `"name": "value"` for names that hold secrets.
        rule(
            r#"(?i)("?(?:access_token|refresh_token|id_token|token|code_verifier|client_secret|password|secret|state|publishable_key|api_key)"?\s*[:=]\s*"?)[^\s"&,;}]+"#,
            "$1[redacted]",
        ),
        // An authorization code travels in a query or a form (`&code=`); a bare `code=` is the
        // contract's error code, which the diagnostics are for.
        rule(r#"(?i)([?&]code=)[^\s"&,;}]+"#, "$1[redacted]"),
    ]
});

/// `line` with secrets and URL queries replaced by `[redacted]`.
pub fn redact(line: &str) -> String {
    RULES
        .iter()
        .fold(line.to_owned(), |text, (pattern, replacement)| {
            pattern.replace_all(&text, *replacement).into_owned()
        })
}

/// The last warnings and errors, redacted, newest last.
#[derive(Clone, Default)]
pub struct RecentProblems(Arc<Mutex<VecDeque<String>>>);

impl RecentProblems {
    pub fn lines(&self) -> Vec<String> {
        self.0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .iter()
            .cloned()
            .collect()
    }

    fn push(&self, line: String) {
        let mut lines = self.0.lock().unwrap_or_else(|p| p.into_inner());
        if lines.len() == RECENT_KEPT {
            lines.pop_front();
        }
        lines.push_back(line);
    }
}

/// Collects an event's message and fields as `message key=value …`.
#[derive(Default)]
struct Fields(String);

impl tracing::field::Visit for Fields {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        if field.name() == "message" {
            self.0.insert_str(0, &format!("{value:?}"));
        } else {
            self.0.push_str(&format!(" {}={value:?}", field.name()));
        }
    }
}

impl<S: Subscriber> Layer<S> for RecentProblems {
    fn on_event(&self, event: &Event<'_>, _ctx: Context<'_, S>) {
        let level = *event.metadata().level();
        if level > Level::WARN {
            return;
        }
        let mut fields = Fields::default();
        event.record(&mut fields);
        let at = httpdate::fmt_http_date(std::time::SystemTime::now());
        // Redacted whole, then cut: a cut first could leave half a secret the redaction misses.
        let line = redact(&format!(
            "{at} {level} {}: {}",
            event.metadata().target(),
            fields.0
        ));
        self.push(clipped(line));
    }
}

/// `line` cut to `LINE_KEPT` characters (on a character boundary), marked where it was cut.
fn clipped(mut line: String) -> String {
    if let Some((at, _)) = line.char_indices().nth(LINE_KEPT) {
        line.truncate(at);
        line.push('…');
    }
    line
}

/// A writer that redacts each formatted event before passing it on.
struct Redacting<W>(W);

impl<W: Write> Write for Redacting<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0
            .write_all(redact(&String::from_utf8_lossy(buf)).as_bytes())?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.0.flush()
    }
}

struct RedactingMaker<M>(M);

impl<'a, M: MakeWriter<'a>> MakeWriter<'a> for RedactingMaker<M> {
    type Writer = Redacting<M::Writer>;

    fn make_writer(&'a self) -> Self::Writer {
        Redacting(self.0.make_writer())
    }
}

fn filter() -> EnvFilter {
    EnvFilter::try_from_env("RESTREAM_STUDIO_LOG").unwrap_or_else(|_| EnvFilter::new("info"))
}

/// Lines waiting for the log file's writer thread; far more than a burst of warnings needs.
const LOG_QUEUE_LINES: usize = 4_096;

/// Starts logging to stderr and, when there is one, to `log_dir`. Keep the returned guard for
/// the app's life: dropping it flushes the file.
pub fn init(
    log_dir: Option<&Path>,
    recent: RecentProblems,
) -> Option<tracing_appender::non_blocking::WorkerGuard> {
    let stderr = tracing_subscriber::fmt::layer()
        .with_writer(RedactingMaker(std::io::stderr))
        .with_filter(filter());
    let (file, guard) = match log_dir.map(open_rolling) {
        Some(Ok(appender)) => {
            // The default queue holds 128,000 lines and its channel writes every slot up front:
            // 4 MiB resident for a log that writes a few lines a minute. A full queue drops
            // lines rather than block the app.
            let (writer, guard) = tracing_appender::non_blocking::NonBlockingBuilder::default()
                .buffered_lines_limit(LOG_QUEUE_LINES)
                .lossy(true)
                .finish(appender);
            let layer = tracing_subscriber::fmt::layer()
                .with_ansi(false)
                .with_writer(RedactingMaker(writer))
                .with_filter(filter());
            (Some(layer), Some(guard))
        }
        Some(Err(e)) => {
            eprintln!("logs stay on stderr only: {e}");
            (None, None)
        }
        None => (None, None),
    };
    let _ = tracing_subscriber::registry()
        .with(stderr)
        .with(file)
        .with(recent.with_filter(tracing_subscriber::filter::LevelFilter::WARN))
        .try_init();
    guard
}

fn open_rolling(dir: &Path) -> Result<tracing_appender::rolling::RollingFileAppender, String> {
    // The appender prunes old files as it is built, before it would create the folder: on a
    // first launch it read a folder that is not there yet and said so on stderr.
    std::fs::create_dir_all(dir)
        .map_err(|e| format!("the log folder {} cannot be created ({e})", dir.display()))?;
    tracing_appender::rolling::Builder::new()
        .rotation(tracing_appender::rolling::Rotation::DAILY)
        .filename_prefix("studio")
        .filename_suffix("log")
        .max_log_files(FILES_KEPT)
        .build(dir)
        .map_err(|e| format!("the log folder {} cannot be used ({e})", dir.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_first_launch_makes_the_log_folder_before_the_appender_looks_in_it() {
        let home = tempfile::tempdir().unwrap();
        let dir = home.path().join("not").join("there").join("logs");
        open_rolling(&dir).unwrap();
        assert!(dir.is_dir());
        let file = home.path().join("a-file");
        std::fs::write(&file, "").unwrap();
        let refused = open_rolling(&file.join("logs")).err().unwrap_or_default();
        assert!(refused.contains("cannot be created"), "{refused}");
    }

    #[test]
    fn queries_keys_tokens_and_named_secrets_are_redacted() {
        let cases = [
            (
                "deep link com.acme.live://connect/callback?state=abc&code=xyz received",
                "deep link com.acme.live://connect/callback?[redacted] received",
            ),
            (
                "GET https://api.example.com/v1/chat?access_token=eyJ.a.b failed",
                "GET https://api.example.com/v1/chat?[redacted] failed",
            ),
            ("invalid key pk_test_AbC123xyz789", "invalid key pk_[redacted]"),
            ("clé:épk_test_AbC123xyz789", "clé:épk_[redacted]"),
            ("sk_live_EXAMPLEnotAkey00 leaked", "sk_[redacted] leaked"),
            (
                "header Authorization: Bearer eyJhbGciOi.x.y",
                "header Authorization: Bearer [redacted]",
            ),
            (
                r#"{"refresh_token": "rt-123", "ok": true}"#,
                r#"{"refresh_token": "[redacted]", "ok": true}"#,
            ),
            (
                "token=abc123 code_verifier=zz",
                "token=[redacted] code_verifier=[redacted]",
            ),
        ];
        for (line, expected) in cases {
            assert_eq!(redact(line), expected, "{line}");
        }
        let plain = "chat stream stalled; reconnecting in 2 s (platform=twitch)";
        assert_eq!(redact(plain), plain);
        // The contract's error codes are what the diagnostics are for; authorization codes are not.
        let failed = r#"loading the studio's first state code="unavailable" status=503"#;
        assert_eq!(redact(failed), failed);
        assert_eq!(
            redact("body grant_type=authorization_code&code=abc123&redirect_uri=x"),
            "body grant_type=authorization_code&code=[redacted]&redirect_uri=x"
        );
    }

    #[test]
    fn recent_problems_keep_the_last_warnings_redacted() {
        let recent = RecentProblems::default();
        let subscriber = tracing_subscriber::registry().with(recent.clone());
        tracing::subscriber::with_default(subscriber, || {
            tracing::info!("not kept");
            for i in 0..RECENT_KEPT + 3 {
                tracing::warn!(attempt = i, "refused with pk_test_canary{i:03}xyz");
            }
            tracing::error!(
                url = "dev.restreamstudio://signin/callback?code=secret",
                "sign-in failed"
            );
        });
        let lines = recent.lines();
        assert_eq!(lines.len(), RECENT_KEPT);
        assert!(
            lines
                .iter()
                .all(|l| !l.contains("canary") && !l.contains("code=secret")),
            "{lines:#?}"
        );
        let last = lines.last().unwrap();
        assert!(
            last.contains("ERROR") && last.contains("sign-in failed"),
            "{last}"
        );
        assert!(last.contains("signin/callback?[redacted]"), "{last}");
    }

    #[test]
    fn a_recent_problem_is_cut_to_a_line_after_its_secrets_are_redacted() {
        let recent = RecentProblems::default();
        let subscriber = tracing_subscriber::registry().with(recent.clone());
        let line = tracing::subscriber::with_default(subscriber, || {
            let warn = |body: String| {
                tracing::warn!(%body, "refused");
                recent.lines().pop().unwrap()
            };
            // Where the body starts in a line, from a short one.
            let body_at = warn("B".into()).chars().position(|c| c == 'B').unwrap();
            // A key that starts 8 characters before the cut, in a body far longer than a line.
            let padding = LINE_KEPT - 8 - body_at - 1;
            warn(format!(
                "{} pk_test_canary123 {}",
                "é".repeat(padding),
                "x".repeat(70_000)
            ))
        });
        assert!(line.ends_with('…'));
        assert!(!line.contains("pk_test"), "the key's start survived: {line}");
        // Redacted first, then cut: exactly a line, ending in the redaction marker's start.
        assert_eq!(line.chars().count(), LINE_KEPT + 1, "{line}");
        assert!(line.ends_with("pk_[reda…"), "{line}");
    }

    #[test]
    fn the_file_gets_redacted_lines() {
        let dir = tempfile::tempdir().unwrap();
        let appender = open_rolling(dir.path()).unwrap();
        let layer = tracing_subscriber::fmt::layer()
            .with_ansi(false)
            .with_writer(RedactingMaker(Mutex::new(appender)));
        tracing::subscriber::with_default(tracing_subscriber::registry().with(layer), || {
            tracing::warn!(key = "pk_test_canary123456", "the service refused the key");
        });
        let file = std::fs::read_dir(dir.path())
            .unwrap()
            .next()
            .unwrap()
            .unwrap()
            .path();
        let text = std::fs::read_to_string(file).unwrap();
        assert!(text.contains("the service refused the key"), "{text}");
        assert!(!text.contains("canary"), "{text}");
    }
}
