import { useEffect, useState } from "react";
import { bannerProblem } from "../bannerUrl";
import { useImage } from "../hooks/useImage";
import { type AppError, ipc, type Job, type Overlay } from "../ipc";
import { ErrorNotice } from "./ErrorNotice";

/** Waits for the streamer to stop typing before fetching a preview. */
const PREVIEW_AFTER_MS = 400;

function useSettled(value: string): string {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), PREVIEW_AFTER_MS);
    return () => clearTimeout(timer);
  }, [value]);
  return settled;
}

function Preview({ url, label }: { url: string; label: string }) {
  const settled = useSettled(url.trim());
  const image = useImage(settled !== "" && bannerProblem(settled) === null ? settled : null, "banner");
  switch (image.state) {
    case "none":
      return null;
    case "loading":
      return <p className="muted">Loading the preview…</p>;
    case "shown":
      return <img className="banner-preview" src={image.src} alt={`${label} preview`} />;
    case "refused":
      return (
        <p className="field-error" data-testid="banner-preview-problem">
          {image.error.cause}
        </p>
      );
  }
}

interface BannerFieldProps {
  name: "top" | "bottom";
  label: string;
  url: string;
  hidden: boolean;
  onUrl: (url: string) => void;
  onHidden: (hidden: boolean) => void;
}

function BannerField({ name, label, url, hidden, onUrl, onHidden }: BannerFieldProps) {
  const problem = bannerProblem(url);
  return (
    <div className="banner-field">
      <label>
        {label}
        <input
          data-testid={`live-${name}-banner`}
          value={url}
          onChange={(e) => onUrl(e.target.value)}
          placeholder="https://…/banner.png (empty: none)"
          aria-invalid={problem !== null}
        />
      </label>
      {problem ? <p className="field-error">{problem}</p> : null}
      <label className="check">
        <input
          type="checkbox"
          data-testid={`live-hide-${name}`}
          checked={hidden}
          disabled={url.trim() === ""}
          onChange={(e) => onHidden(e.target.checked)}
        />
        Hide it for now
      </label>
      <Preview url={url} label={label} />
    </div>
  );
}

function draftOf(overlay: Overlay) {
  return {
    top: overlay.topBanner ?? "",
    bottom: overlay.bottomBanner ?? "",
    hideTop: overlay.hideTop,
    hideBottom: overlay.hideBottom,
  };
}

/** Changes, hides and shows the top and bottom banners while live, without a restart. */
export function BannerEditor({ job }: { job: Job }) {
  const [draft, setDraft] = useState(() => draftOf(job.overlay));
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  // Closed, it renders nothing inside, so no preview is fetched unasked.
  const [open, setOpen] = useState(false);
  const saved = draftOf(job.overlay);
  const changed = JSON.stringify(saved) !== JSON.stringify(draft);
  const problem = bannerProblem(draft.top) ?? bannerProblem(draft.bottom);

  const save = async () => {
    setSaving(true);
    setError(null);
    const result = await ipc.editBanners({
      topBanner: draft.top.trim() || null,
      bottomBanner: draft.bottom.trim() || null,
      hideTop: draft.top.trim() !== "" && draft.hideTop,
      hideBottom: draft.bottom.trim() !== "" && draft.hideBottom,
    });
    setSaving(false);
    if (result.ok) {
      // The job's change also reaches the rest of the window as an event.
      setDraft(draftOf(result.data.overlay));
    } else {
      setError(result.error);
    }
  };

  return (
    <details className="banners" data-testid="banner-editor" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>Banners</summary>
      {open ? (
        <>
          {job.overlay.htmlBanner ? (
            <p className="muted">
              HTML banner: <code>{job.overlay.htmlBanner}</code>{" "}
              <button
                type="button"
                className="secondary"
                data-testid="preview-html-banner"
                onClick={async () => {
                  const result = await ipc.openHtmlBanner();
                  if (!result.ok) setError(result.error);
                }}
              >
                Preview ↗
              </button>
            </p>
          ) : (
            <p className="muted">No HTML banner (it can only be set when going live).</p>
          )}
          <BannerField
            name="top"
            label="Top PNG banner"
            url={draft.top}
            hidden={draft.hideTop}
            onUrl={(top) => setDraft({ ...draft, top })}
            onHidden={(hideTop) => setDraft({ ...draft, hideTop })}
          />
          <BannerField
            name="bottom"
            label="Bottom PNG banner"
            url={draft.bottom}
            hidden={draft.hideBottom}
            onUrl={(bottom) => setDraft({ ...draft, bottom })}
            onHidden={(hideBottom) => setDraft({ ...draft, hideBottom })}
          />
          {error ? <ErrorNotice error={error} /> : null}
          <button
            type="button"
            data-testid="save-banners"
            disabled={!changed || problem !== null || saving}
            onClick={save}
          >
            {saving ? "Saving…" : "Update banners"}
          </button>
        </>
      ) : null}
    </details>
  );
}
