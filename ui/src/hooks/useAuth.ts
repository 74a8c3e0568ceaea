import { useCallback, useEffect, useRef, useState } from "react";
import {
  type AppError,
  type AuthStatus,
  ipc,
  type SecretStorage,
  type ServiceStatus,
  type SignInRoute,
} from "../ipc";

export interface AuthState {
  auth: AuthStatus | null;
  /** Where the sign-in is kept; `sessionOnly` says why it will not outlast the app. */
  storage: SecretStorage | null;
  /** The route of the sign-in waiting for the browser, if one is. */
  signingIn: SignInRoute | null;
  error: AppError | null;
  /** Starts a sign-in; a second call (say, over the loopback route) replaces a waiting one. */
  signIn: (route?: SignInRoute) => Promise<boolean>;
  signOut: () => Promise<void>;
}

/** Token mode's sign-in state (owned by Rust) and the sign-in and sign-out actions. */
export function useAuth(status: ServiceStatus | null): AuthState {
  const [auth, setAuth] = useState<AuthStatus | null>(null);
  const [signingIn, setSigningIn] = useState<SignInRoute | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [storage, setStorage] = useState<SecretStorage | null>(null);
  // Only the latest sign-in's answer is shown: the one it replaced ends as `sign_in_replaced`.
  const latest = useRef(0);
  const up = status?.state === "up";

  useEffect(() => {
    if (!up) return;
    let eventSeen = false;
    const off = ipc.onAuthChanged((next) => {
      eventSeen = true;
      setAuth(next);
    });
    ipc.studioSnapshot().then((result) => {
      if (result.ok && !eventSeen) setAuth(result.data.auth);
    });
    ipc.secretStorage().then(setStorage, (reason) => console.error("secret storage", reason));
    return off;
  }, [up]);

  const signIn = useCallback(async (route: SignInRoute = "deepLink") => {
    const attempt = ++latest.current;
    setSigningIn(route);
    setError(null);
    const result = await ipc.signIn(route);
    if (attempt !== latest.current) return false;
    setSigningIn(null);
    // Cancelled here, by the streamer: nothing to tell them.
    if (!result.ok && result.error.code !== "sign_in_cancelled") setError(result.error);
    return result.ok;
  }, []);

  const signOut = useCallback(async () => {
    const result = await ipc.signOut();
    if (!result.ok) setError(result.error);
  }, []);

  return { auth, storage, signingIn, error, signIn, signOut };
}
