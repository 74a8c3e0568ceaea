import { type FormEvent, useEffect, useRef, useState } from "react";
import { bannerProblem } from "../bannerUrl";
import { type Connection, type GoLiveParams, ipc, type Platform } from "../ipc";

interface Props {
  connections: Connection[];
  /** Destinations chosen before (armed in Rust), kept across go-lives. */
  armed: Platform[];
  busy: boolean;
  onGoLive: (params: GoLiveParams) => Promise<boolean>;
}

/** Session id and destinations; the text typed stays when go-live fails. */
export function GoLivePanel({ connections, armed, busy, onGoLive }: Props) {
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
  const problem =
    trimmed === ""
      ? "Paste the publisher session id of your live stream."
      : destinations.length === 0
        ? "Choose at least one connected platform."
        : title.length > 140
          ? "Keep the title to 140 characters."
          : bannerProblems.html || bannerProblems.top || bannerProblems.bottom
            ? "Fix the banner address."
            : null;

  const toggle = (platform: Platform) => {
    const next = destinations.includes(platform)
      ? destinations.filter((p) => p !== platform)
      : [...destinations, platform];
    setChosen(next);
    // Armed in Rust, so the choice outlives this form (and is what go-live uses by default).
    ipc.armDestinations(next);
  };

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
    <form className="go-live" onSubmit={submit} aria-label="Go live">
      <label>
        Publisher session id
        <input
          ref={sessionField}
          data-testid="session-id"
          value={session}
          onChange={(e) => setSession(e.target.value)}
          placeholder="e.g. the Cloudflare Calls session id"
          autoComplete="off"
          spellCheck={false}
        />
      </label>
      <fieldset>
        <legend>Destinations</legend>
        {usable.length === 0 ? <p className="muted">Connect a platform first.</p> : null}
        {usable.map((c) => (
          <label key={c.platform} className="check">
            <input
              type="checkbox"
              checked={destinations.includes(c.platform)}
              onChange={() => toggle(c.platform)}
            />
            {c.platformUsername} on {c.platform}
          </label>
        ))}
      </fieldset>
      <label>
        Title (optional)
        <input data-testid="title" value={title} maxLength={200} onChange={(e) => setTitle(e.target.value)} />
      </label>
      <label className="check">
        <input
          type="checkbox"
          data-testid="video-only"
          checked={videoOnly}
          onChange={(e) => setVideoOnly(e.target.checked)}
        />
        Video only (my session has no audio track)
      </label>
      <label className="check">
        <input type="checkbox" checked={recording} onChange={(e) => setRecording(e.target.checked)} />
        Record the stream
      </label>
      <details data-testid="go-live-banners">
        <summary>Banners</summary>
        {(
          [
            [
              "HTML banner (set now, for the whole stream)",
              htmlBanner,
              setHtmlBanner,
              bannerProblems.html,
              "html-banner",
            ],
            ["Top PNG banner", topBanner, setTopBanner, bannerProblems.top, "top-banner"],
            ["Bottom PNG banner", bottomBanner, setBottomBanner, bannerProblems.bottom, "bottom-banner"],
          ] as const
        ).map(([label, value, setValue, fieldProblem, testid]) => (
          <label key={testid}>
            {label}
            <input
              data-testid={testid}
              value={value}
              onChange={(e) => setValue(e.target.value)}
              placeholder="https://"
            />
            {fieldProblem ? <span className="field-error">{fieldProblem}</span> : null}
          </label>
        ))}
      </details>
      {session !== "" && problem ? <p className="field-error">{problem}</p> : null}
      <button type="submit" data-testid="go-live" disabled={problem !== null || busy}>
        {busy ? "Starting…" : "Go live"}
      </button>
    </form>
  );
}
