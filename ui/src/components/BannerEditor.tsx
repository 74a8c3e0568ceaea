import { useEffect, useState } from "react";
import { bannerProblem } from "../bannerUrl";
import { useImage } from "../hooks/useImage";
import { type MessageKey, useT } from "../i18n";
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
  const t = useT();
  const settled = useSettled(url.trim());
  const image = useImage(settled !== "" && bannerProblem(settled) === null ? settled : null, "banner");
  switch (image.state) {
    case "none":
      return null;
    case "loading":
      return <p className="muted">{t("banner.loadingPreview")}</p>;
    case "shown":
      return <img className="banner-preview" src={image.src} alt={t("banner.previewAlt", { label })} />;
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
  label: MessageKey;
  url: string;
  hidden: boolean;
  onUrl: (url: string) => void;
  onHidden: (hidden: boolean) => void;
}

function BannerField({ name, label, url, hidden, onUrl, onHidden }: BannerFieldProps) {
  const t = useT();
  const problem = bannerProblem(url);
  return (
    <div className="banner-field">
      <label>
        {t(label)}
        <input
          data-testid={`live-${name}-banner`}
          value={url}
          onChange={(e) => onUrl(e.target.value)}
          placeholder={t("banner.urlPlaceholder")}
          aria-invalid={problem !== null}
        />
      </label>
      {problem ? <p className="field-error">{t(problem)}</p> : null}
      <label className="check">
        <input
          type="checkbox"
          data-testid={`live-hide-${name}`}
          checked={hidden}
          disabled={url.trim() === ""}
          onChange={(e) => onHidden(e.target.checked)}
        />
        {t("banner.hide")}
      </label>
      <Preview url={url} label={t(label)} />
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
  const t = useT();
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
      <summary>{t("banner.heading")}</summary>
      {open ? (
        <>
          {job.overlay.htmlBanner ? (
            <p className="muted">
              {t("banner.html")} <code>{job.overlay.htmlBanner}</code>{" "}
              <button
                type="button"
                className="secondary"
                data-testid="preview-html-banner"
                onClick={async () => {
                  const result = await ipc.openHtmlBanner();
                  if (!result.ok) setError(result.error);
                }}
              >
                {t("banner.previewHtml")}
              </button>
            </p>
          ) : (
            <p className="muted">{t("banner.noHtml")}</p>
          )}
          <BannerField
            name="top"
            label="banner.top"
            url={draft.top}
            hidden={draft.hideTop}
            onUrl={(top) => setDraft({ ...draft, top })}
            onHidden={(hideTop) => setDraft({ ...draft, hideTop })}
          />
          <BannerField
            name="bottom"
            label="banner.bottom"
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
            {saving ? t("common.saving") : t("banner.update")}
          </button>
        </>
      ) : null}
    </details>
  );
}
