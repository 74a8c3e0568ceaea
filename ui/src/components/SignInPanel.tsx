import type { AuthState } from "../hooks/useAuth";
import { useT } from "../i18n";
import type { BrowserWait } from "../ipc";
import { BrowserWaitNote } from "./BrowserWaitNote";
import { ErrorNotice } from "./ErrorNotice";

interface Props {
  state: AuthState;
  /** The sign-in page Rust waits on in the system browser, once it is open. */
  wait: BrowserWait | null;
  onReopen: () => void;
  onCancel: () => void;
  onSignedIn: () => void;
}

/** Shown in token mode when there is no usable sign-in. */
export function SignInPanel({ state, wait, onReopen, onCancel, onSignedIn }: Props) {
  const t = useT();
  const reason = state.auth?.state === "signInRequired" ? state.auth.reason : "";
  const signIn = async (route: "deepLink" | "loopback") => {
    if (await state.signIn(route)) onSignedIn();
  };
  return (
    <section className="card" aria-labelledby="sign-in-heading" data-testid="sign-in-panel">
      <h2 id="sign-in-heading">{t("signin.heading")}</h2>
      <p>{reason || t("signin.prompt")}</p>
      {state.error ? <ErrorNotice error={state.error} /> : null}
      {state.signingIn === null ? (
        <button type="button" data-testid="sign-in" onClick={() => signIn("deepLink")}>
          {t("signin.button")}
        </button>
      ) : (
        <>
          <p className="muted" role="status" data-testid="sign-in-waiting">
            {t("signin.waiting")}
          </p>
          {state.signingIn === "deepLink" ? (
            <p className="muted">
              {t("signin.notBack")}{" "}
              <button
                type="button"
                className="secondary"
                data-testid="sign-in-loopback"
                onClick={() => signIn("loopback")}
              >
                {t("signin.loopback")}
              </button>
            </p>
          ) : null}
          {/* Last, so that appearing it moves nothing the streamer may be about to click. */}
          {wait ? (
            <BrowserWaitNote wait={wait} testId="sign-in-page" onReopen={onReopen} onCancel={onCancel} />
          ) : null}
        </>
      )}
    </section>
  );
}
