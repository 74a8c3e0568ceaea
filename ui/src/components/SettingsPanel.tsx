import { useEffect, useState } from "react";
import { useT } from "../i18n";
import { type AppError, type BrandView, ipc, type SettingsCheck, type SettingsDraft } from "../ipc";

const EMPTY: SettingsDraft = {
  mode: "demo",
  apiBase: "",
  userId: "",
  origin: "",
  publishableKey: "",
  operatorClientId: "",
  operatorUrl: "",
};

/**
 * "Copy diagnostics": Rust gathers the text (with no secret in it); it is shown as well as copied,
 * so it can be read first or copied by hand where the clipboard is not available.
 */
function Diagnostics() {
  const t = useT();
  const [text, setText] = useState<string | null>(null);
  const [copied, setCopied] = useState<boolean | null>(null);
  const gather = async () => {
    const gathered = await ipc.diagnostics();
    setText(gathered);
    try {
      await navigator.clipboard.writeText(gathered);
      setCopied(true);
    } catch {
      setCopied(false);
    }
  };
  return (
    <div className="diagnostics">
      <button type="button" className="secondary" data-testid="copy-diagnostics" onClick={gather}>
        {t("settings.copyDiagnostics")}
      </button>
      {copied === true ? <span className="muted"> {t("settings.copied")}</span> : null}
      {copied === false ? <span className="muted"> {t("settings.copyByHand")}</span> : null}
      {text !== null ? (
        <textarea
          readOnly
          aria-label={t("settings.diagnostics")}
          data-testid="diagnostics-text"
          value={text}
          rows={8}
          onFocus={(event) => event.currentTarget.select()}
        />
      ) : null}
    </div>
  );
}

const NOTHING_LOCKED: BrandView["locked"] = { apiBase: false, credentialMode: false, operator: false };

/**
 * Which service the studio talks to, checked by Rust's own rules as it is typed. The brand decides
 * which choices are offered and which fields are fixed.
 */
export function SettingsPanel({ brand, onClose }: { brand: BrandView | null; onClose: () => void }) {
  const t = useT();
  const locked = brand?.locked ?? NOTHING_LOCKED;
  const anyLocked = locked.apiBase || locked.credentialMode || locked.operator;
  const [draft, setDraft] = useState<SettingsDraft>(EMPTY);
  const [hasKey, setHasKey] = useState(false);
  const [fromEnvironment, setFromEnvironment] = useState(false);
  // With no keychain a saved key or sign-in lasts until quit: said before saving, not after.
  const [sessionOnly, setSessionOnly] = useState(false);
  const [check, setCheck] = useState<SettingsCheck>({ problem: null, warning: null });
  const [saving, setSaving] = useState(false);
  const [failure, setFailure] = useState<AppError | null>(null);
  // Signing in (token mode) is what a service off this computer should use, so it is what
  // choosing a service starts with; a publishable key is picked on purpose.
  const [serviceMode, setServiceMode] = useState<"token" | "publishableKey">("token");
  // Nothing is editable until the saved settings are read (the keychain may take a while to
  // answer): an edit made before would be overwritten by them, and saving would save the blank.
  const [read, setRead] = useState<"reading" | "read" | AppError>("reading");

  useEffect(() => {
    let current = true;
    ipc.settingsView().then((result) => {
      if (!current) return;
      if (!result.ok) {
        setRead(result.error);
        return;
      }
      setDraft(result.data.draft);
      const saved = result.data.draft.mode;
      if (saved === "token" || saved === "publishableKey") setServiceMode(saved);
      setHasKey(result.data.hasPublishableKey);
      setFromEnvironment(result.data.fromEnvironment);
      setSessionOnly(result.data.secrets.state === "sessionOnly");
      setRead("read");
    });
    return () => {
      current = false;
    };
  }, []);

  useEffect(() => {
    if (read !== "read") return;
    let current = true;
    // A saved key stands in for an empty key field.
    const judged =
      draft.mode === "publishableKey" && hasKey && draft.publishableKey === ""
        ? { ...draft, publishableKey: "saved" }
        : draft;
    ipc.checkSettings(judged).then((result) => {
      if (current) setCheck(result);
    });
    return () => {
      current = false;
    };
  }, [draft, hasKey, read]);

  const set = (field: keyof SettingsDraft) => (event: { target: { value: string } }) =>
    setDraft({ ...draft, [field]: event.target.value });

  const save = async () => {
    setSaving(true);
    setFailure(null);
    const result = await ipc.saveSettings(draft);
    setSaving(false);
    if (result.ok) onClose();
    else setFailure(result.error);
  };

  return (
    <section
      className="card"
      aria-labelledby="settings-heading"
      aria-busy={read === "reading"}
      data-testid="settings"
    >
      <h2 id="settings-heading">{t("settings.heading")}</h2>
      {read === "reading" ? (
        <p className="muted" role="status">
          {t("settings.reading")}
        </p>
      ) : read !== "read" ? (
        <p className="field-error" role="alert" data-testid="settings-unreadable">
          {read.cause} {read.fix}
        </p>
      ) : (
        <>
          {fromEnvironment ? <p className="notice">{t("settings.fromEnvironment")}</p> : null}
          {anyLocked ? (
            <p className="muted" data-testid="settings-locked">
              {t("settings.locked", { brand: brand?.productName ?? "" })}
            </p>
          ) : null}
          {brand?.demoOffered !== false || draft.mode === "demo" ? (
            <fieldset className="modes" disabled={locked.credentialMode}>
              <legend>{t("settings.connectTo")}</legend>
              <label className="check">
                <input
                  type="radio"
                  name="service"
                  data-testid="mode-demo"
                  checked={draft.mode === "demo"}
                  onChange={() => setDraft({ ...draft, mode: "demo" })}
                />
                {t("settings.demo")}
              </label>
              <label className="check">
                <input
                  type="radio"
                  name="service"
                  data-testid="mode-service"
                  checked={draft.mode !== "demo"}
                  onChange={() => setDraft({ ...draft, mode: serviceMode })}
                />
                {t("settings.operator")}
              </label>
            </fieldset>
          ) : null}
          {draft.mode !== "demo" &&
          (brand?.allowPublishableKey !== false || draft.mode === "publishableKey") ? (
            <fieldset className="modes" disabled={locked.credentialMode}>
              <legend>{t("settings.signInWith")}</legend>
              {(
                [
                  ["token", "settings.mode.token"],
                  ["publishableKey", "settings.mode.publishableKey"],
                ] as const
              ).map(([mode, label]) => (
                <label key={mode} className="check">
                  <input
                    type="radio"
                    name="credential"
                    data-testid={`mode-${mode}`}
                    checked={draft.mode === mode}
                    onChange={() => {
                      setServiceMode(mode);
                      setDraft({ ...draft, mode });
                    }}
                  />
                  {t(label)}
                </label>
              ))}
            </fieldset>
          ) : null}
          {draft.mode !== "demo" ? (
            <div className="go-live">
              <label>
                {t("settings.apiBase")}
                <input
                  data-testid="api-base"
                  disabled={locked.apiBase}
                  value={draft.apiBase ?? ""}
                  onChange={set("apiBase")}
                  placeholder="https://restream.example.com"
                />
              </label>
              {draft.mode === "publishableKey" ? (
                <>
                  <label>
                    {t("settings.publishableKey")}
                    <input
                      type="password"
                      data-testid="publishable-key"
                      value={draft.publishableKey ?? ""}
                      onChange={set("publishableKey")}
                      placeholder={hasKey ? t("settings.keySaved") : "pk_…"}
                      autoComplete="off"
                    />
                  </label>
                  {sessionOnly ? (
                    <p className="notice" role="note" data-testid="key-session-only">
                      {t("settings.keySessionOnly")}
                    </p>
                  ) : null}
                  <label>
                    {t("settings.userId")}
                    <input data-testid="user-id" value={draft.userId ?? ""} onChange={set("userId")} />
                  </label>
                  <label>
                    {t("settings.origin")}
                    <input
                      value={draft.origin ?? ""}
                      onChange={set("origin")}
                      placeholder="tauri://localhost"
                    />
                  </label>
                </>
              ) : (
                <>
                  <label>
                    {t("settings.operatorClientId")}
                    <input
                      data-testid="operator-client-id"
                      disabled={locked.operator}
                      value={draft.operatorClientId ?? ""}
                      onChange={set("operatorClientId")}
                    />
                  </label>
                  <label>
                    {t("settings.operatorUrl")}
                    <input
                      data-testid="operator-url"
                      disabled={locked.operator}
                      value={draft.operatorUrl ?? ""}
                      onChange={set("operatorUrl")}
                      placeholder={t("settings.operatorUrlPlaceholder")}
                    />
                  </label>
                </>
              )}
            </div>
          ) : null}
          {check.problem ? (
            <div className="field-error" data-testid="settings-problem">
              <p>{check.problem.cause}</p>
              <p>{check.problem.fix}</p>
            </div>
          ) : null}
          {check.warning ? (
            <p className="notice notice-error" data-testid="settings-warning">
              {check.warning}
            </p>
          ) : null}
          {failure ? (
            <p className="field-error" role="alert">
              {failure.cause} {failure.fix}
            </p>
          ) : null}
        </>
      )}
      {/* Outside the form's branch, so what it gathered stays while the settings are read. */}
      <Diagnostics />
      <div className="dialog-actions">
        {read === "read" ? (
          <button
            type="button"
            data-testid="save-settings"
            disabled={check.problem !== null || saving || fromEnvironment}
            onClick={save}
          >
            {saving ? t("common.saving") : t("settings.save")}
          </button>
        ) : null}
        <button type="button" className="secondary" onClick={onClose}>
          {t("common.close")}
        </button>
      </div>
    </section>
  );
}
