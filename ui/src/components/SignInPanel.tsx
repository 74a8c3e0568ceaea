import type { AuthState } from "../hooks/useAuth";
import { ErrorNotice } from "./ErrorNotice";

/** Shown in token mode when there is no usable sign-in. */
export function SignInPanel({ state, onSignedIn }: { state: AuthState; onSignedIn: () => void }) {
  const reason = state.auth?.state === "signInRequired" ? state.auth.reason : "";
  const signIn = async (route: "deepLink" | "loopback") => {
    if (await state.signIn(route)) onSignedIn();
  };
  return (
    <section className="card" aria-labelledby="sign-in-heading" data-testid="sign-in-panel">
      <h2 id="sign-in-heading">Sign in</h2>
      <p>{reason || "Sign in to your streaming account."}</p>
      {state.error ? <ErrorNotice error={state.error} /> : null}
      {state.signingIn === null ? (
        <button type="button" data-testid="sign-in" onClick={() => signIn("deepLink")}>
          Sign in
        </button>
      ) : (
        <>
          <p className="muted" role="status" data-testid="sign-in-waiting">
            Finish signing in in your browser…
          </p>
          {state.signingIn === "deepLink" ? (
            <p className="muted">
              Signed in, but the browser did not bring you back here?{" "}
              <button
                type="button"
                className="secondary"
                data-testid="sign-in-loopback"
                onClick={() => signIn("loopback")}
              >
                Sign in through this computer instead
              </button>
            </p>
          ) : null}
        </>
      )}
    </section>
  );
}
