import type { AuthState } from "../hooks/useAuth";
import { ErrorNotice } from "./ErrorNotice";

/** Shown in token mode when there is no usable sign-in. */
export function SignInPanel({ state, onSignedIn }: { state: AuthState; onSignedIn: () => void }) {
  const reason = state.auth?.state === "signInRequired" ? state.auth.reason : "";
  return (
    <section className="card" aria-labelledby="sign-in-heading" data-testid="sign-in-panel">
      <h2 id="sign-in-heading">Sign in</h2>
      <p>{reason || "Sign in to your streaming account."}</p>
      {state.error ? <ErrorNotice error={state.error} /> : null}
      {state.signingIn ? (
        <p className="muted" role="status">
          Finish signing in in your browser…
        </p>
      ) : (
        <button
          type="button"
          data-testid="sign-in"
          onClick={async () => {
            if (await state.signIn()) onSignedIn();
          }}
        >
          Sign in
        </button>
      )}
    </section>
  );
}
