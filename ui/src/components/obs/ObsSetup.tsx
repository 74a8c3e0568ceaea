import { useEffect, useState } from "react";
import { useT } from "../../i18n";
import { type AppError, ipc, type SetupPreview, type StreamTarget } from "../../ipc";
import { ErrorNotice } from "../ErrorNotice";

function Target({ heading, target }: { heading: string; target: StreamTarget }) {
  const t = useT();
  return (
    <div>
      <h3>{heading}</h3>
      <dl>
        <dt>{t("obs.setup.server")}</dt>
        <dd>
          <bdi>{target.server ?? t("obs.setup.none")}</bdi>
        </dd>
        <dt>{t("obs.setup.key")}</dt>
        <dd>
          <bdi>{target.keyMasked ?? t("obs.setup.none")}</bdi>
        </dd>
      </dl>
    </div>
  );
}

/**
 * "Set up OBS": where OBS streams now and where it will (keys masked by Rust, which alone sees
 * them), written into OBS on confirm.
 */
export function ObsSetup({ onClose }: { onClose: () => void }) {
  const t = useT();
  const [preview, setPreview] = useState<SetupPreview | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    let current = true;
    ipc.obsSetupPreview().then((result) => {
      if (!current) return;
      if (result.ok) setPreview(result.data);
      else setError(result.error);
    });
    return () => {
      current = false;
    };
  }, []);
  const apply = async () => {
    setBusy(true);
    const result = await ipc.obsSetupApply();
    setBusy(false);
    setError(result.ok ? null : result.error);
    setDone(result.ok);
  };
  return (
    <div className="obs-setup" data-testid="obs-setup">
      {error ? <ErrorNotice error={error} testId="obs-setup-error" /> : null}
      {!preview && !error ? <p className="muted">{t("obs.setup.reading")}</p> : null}
      {preview && !done ? (
        <>
          <Target heading={t("obs.setup.now")} target={preview.now} />
          <Target heading={t("obs.setup.next")} target={preview.next} />
          {preview.alreadySet ? <p className="muted">{t("obs.setup.alreadySet")}</p> : null}
          {preview.streaming ? <p className="notice">{t("obs.setup.streaming")}</p> : null}
        </>
      ) : null}
      {done ? (
        <p role="status" data-testid="obs-setup-done">
          {t("obs.setup.done")}
        </p>
      ) : null}
      <div className="dialog-actions">
        {preview && !done && !preview.alreadySet ? (
          <button
            type="button"
            data-testid="obs-setup-confirm"
            disabled={busy || preview.streaming}
            onClick={apply}
          >
            {t("obs.setup.confirm")}
          </button>
        ) : null}
        <button type="button" className="secondary" data-testid="obs-setup-close" onClick={onClose}>
          {done ? t("common.close") : t("obs.setup.cancel")}
        </button>
      </div>
    </div>
  );
}
