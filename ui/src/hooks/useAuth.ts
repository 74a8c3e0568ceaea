import { useCallback, useEffect, useState } from "react";
import { type AppError, type AuthStatus, ipc, type SecretStorage, type ServiceStatus } from "../ipc";

export interface AuthState {
  auth: AuthStatus | null;
  /** Where the sign-in is kept; `sessionOnly` says why it will not outlast the app. */
  storage: SecretStorage | null;
  signingIn: boolean;
  error: AppError | null;
  signIn: () => Promise<boolean>;
  signOut: () => Promise<void>;
}

/** Token mode's sign-in state (owned by Rust) and the sign-in and sign-out actions. */
export function useAuth(status: ServiceStatus | null): AuthState {
  const [auth, setAuth] = useState<AuthStatus | null>(null);
  const [signingIn, setSigningIn] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const [storage, setStorage] = useState<SecretStorage | null>(null);
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

  const signIn = useCallback(async () => {
    setSigningIn(true);
    setError(null);
    const result = await ipc.signIn();
    setSigningIn(false);
    if (!result.ok) setError(result.error);
    return result.ok;
  }, []);

  const signOut = useCallback(async () => {
    const result = await ipc.signOut();
    if (!result.ok) setError(result.error);
  }, []);

  return { auth, storage, signingIn, error, signIn, signOut };
}
