import { type FormEvent, useEffect, useRef, useState } from "react";
import { bannerProblem } from "../bannerUrl";
import { type MessageKey, useT } from "../i18n";
import { type Connection, type GoLiveParams, ipc, type Platform } from "../ipc";
import { useAction } from "../shortcuts";

/** The longest title the service takes. */
const MAX_TITLE = 140;

interface Props {
  connections: Connection[];
  /** Destinations chosen before (armed in Rust), kept across go-lives. */
  armed: Platform[];
  busy: boolean;
  onGoLive: (params: GoLiveParams) => Promise<boolean>;
}

/** Session id and destinations; the text typed stays when go-live fails. */
export function GoLivePanel({ connections, armed, busy, onGoLive }: Props) {
  const t = useT();
  const usable = connections.filter((c) => c.status === "ok");
  const [session, setSession] = useState("");
  const [chosen, setChosen] = useState<Platform[] | null>(null);
  const [title, setTitle] = useState("");
  const [videoOnly, setVideoOnly] = useState(false);
  const [recording, setRecording] = useState(false);
  const [htmlBanner, setHtmlBanner] = useState("");
  const [topBanner, setTopBanner] = useState("");
  const [bottomBanner, setBottomBanner] = useState("");
  const sessionField = useRef<HTMLInputElement>(null);
  const form = useRef<HTMLFormElement>(null);
  // Set when a shortcut asked to go live: the reason it cannot is then shown even before typing.
  const [asked, setAsked] = useState(false);

  // An operator's integration may fill in the session id by a deep link; it never goes live.
  useEffect(
    () =>
      ipc.onGoLivePrefilled((sessionId) => {
        setSession(sessionId);
        sessionField.current?.focus();
      }),
    [],
  );
  const linked = usable.map((c) => c.platform);
  const remembered = armed.filter((p) => linked.includes(p));
  const destinations = chosen ?? (remembered.length > 0 ? remembered : linked);
  const trimmed = session.trim();
  const bannerProblems = {
    html: bannerProblem(htmlBanner),
    top: bannerProblem(topBanner),
    bottom: bannerProblem(bottomBanner),
  };
  const problem: MessageKey | null =
    trimmed === ""
      ? "golive.problem.session"
      : destinations.length === 0
        ? "golive.problem.destinations"
        : title.length > MAX_TITLE
          ? "golive.problem.title"
          : bannerProblems.html || bannerProblems.top || bannerProblems.bottom
            ? "golive.problem.banner"
            : null;

  const toggle = (platform: Platform) => {
    const next = destinations.includes(platform)
      ? destinations.filter((p) => p !== platform)
      : [...destinations, platform];
    setChosen(next);
    // Armed in Rust, so the choice outlives this form (and is what go-live uses by default).
    ipc.armDestinations(next);
  };

  // A shortcut (in the window, global, or the tray) goes live as the button would.
  useAction("goLive", () => {
    setAsked(true);
    if (problem) sessionField.current?.focus();
    else form.current?.requestSubmit();
  });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (problem || busy) return;
    const banner = (url: string) => (url.trim() === "" ? null : url.trim());
    const overlay =
      htmlBanner || topBanner || bottomBanner
        ? { htmlBanner: banner(htmlBanner), topBanner: banner(topBanner), bottomBanner: banner(bottomBanner) }
        : null;
    await onGoLive({
      publisherSessionId: trimmed,
      destinations,
      title: title.trim() === "" ? null : title.trim(),
      recording,
      trackNames: videoOnly ? ["video"] : null,
      overlay,
    });
  };

  return (
    <form className="go-live" ref={form} onSubmit={submit} aria-label={t("golive.goLive")}>
      <label>
        {t("golive.session")}
        <input
          ref={sessionField}
          data-testid="session-id"
          value={session}
          onChange={(e) => setSession(e.target.value)}
          placeholder={t("golive.sessionPlaceholder")}
          autoComplete="off"
          spellCheck={false}
        />
      </label>
      <fieldset>
        <legend>{t("golive.destinations")}</legend>
        {usable.length === 0 ? <p className="muted">{t("golive.connectFirst")}</p> : null}
        {usable.map((c) => (
          <label key={c.platform} className="check">
            <input
              type="checkbox"
              checked={destinations.includes(c.platform)}
              onChange={() => toggle(c.platform)}
            />
            {t("golive.destination", { user: c.platformUsername, platform: c.platform })}
          </label>
        ))}
      </fieldset>
      <label>
        {t("golive.title")}
        <input data-testid="title" value={title} maxLength={200} onChange={(e) => setTitle(e.target.value)} />
      </label>
      <label className="check">
        <input
          type="checkbox"
          data-testid="video-only"
          checked={videoOnly}
          onChange={(e) => setVideoOnly(e.target.checked)}
        />
        {t("golive.videoOnly")}
      </label>
      <label className="check">
        <input type="checkbox" checked={recording} onChange={(e) => setRecording(e.target.checked)} />
        {t("golive.record")}
      </label>
      <details data-testid="go-live-banners">
        <summary>{t("banner.heading")}</summary>
        {(
          [
            ["golive.htmlBanner", htmlBanner, setHtmlBanner, bannerProblems.html, "html-banner"],
            ["banner.top", topBanner, setTopBanner, bannerProblems.top, "top-banner"],
            ["banner.bottom", bottomBanner, setBottomBanner, bannerProblems.bottom, "bottom-banner"],
          ] as const
        ).map(([label, value, setValue, fieldProblem, testid]) => (
          <label key={testid}>
            {t(label)}
            <input
              data-testid={testid}
              value={value}
              onChange={(e) => setValue(e.target.value)}
              placeholder="https://"
            />
            {fieldProblem ? <span className="field-error">{t(fieldProblem)}</span> : null}
          </label>
        ))}
      </details>
      {(session !== "" || asked) && problem ? (
        <p className="field-error" role="alert" data-testid="go-live-problem">
          {t(problem, { max: MAX_TITLE })}
        </p>
      ) : null}
      <button type="submit" data-testid="go-live" disabled={problem !== null || busy}>
        {busy ? t("golive.starting") : t("golive.goLive")}
      </button>
    </form>
  );
}
