import { type FormEvent, useState } from "react";
import type { Connection, GoLiveParams, Platform } from "../ipc";

interface Props {
  connections: Connection[];
  busy: boolean;
  onGoLive: (params: GoLiveParams) => Promise<boolean>;
}

/** Session id and destinations; the text typed stays when go-live fails. */
export function GoLivePanel({ connections, busy, onGoLive }: Props) {
  const usable = connections.filter((c) => c.status === "ok");
  const [session, setSession] = useState("");
  const [chosen, setChosen] = useState<Platform[] | null>(null);
  const destinations = chosen ?? usable.map((c) => c.platform);
  const trimmed = session.trim();
  const problem =
    trimmed === ""
      ? "Paste the publisher session id of your live stream."
      : destinations.length === 0
        ? "Choose at least one connected platform."
        : null;

  const toggle = (platform: Platform) =>
    setChosen(
      destinations.includes(platform)
        ? destinations.filter((p) => p !== platform)
        : [...destinations, platform],
    );

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (problem || busy) return;
    await onGoLive({ publisherSessionId: trimmed, destinations });
  };

  return (
    <form className="go-live" onSubmit={submit} aria-label="Go live">
      <label>
        Publisher session id
        <input
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
      {session !== "" && problem ? <p className="field-error">{problem}</p> : null}
      <button type="submit" data-testid="go-live" disabled={problem !== null || busy}>
        {busy ? "Starting…" : "Go live"}
      </button>
    </form>
  );
}
