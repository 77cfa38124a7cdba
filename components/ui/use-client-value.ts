import { useSyncExternalStore } from "react";

const never = () => () => undefined;

/**
 * `server` on the server and during hydration, `client()` after: for what only the
 * browser knows (the clock, the page's origin, a cached balance), so the first client
 * render matches the server's HTML. `client` must return the same value each call.
 */
export const useClientValue = <T,>(client: () => T, server: T): T => useSyncExternalStore(never, client, () => server);

export const useHydrated = () => useClientValue(() => true, false);

/** The page's origin once in the browser; a variable in the server's HTML. */
export const useOrigin = () => useClientValue(() => window.location.origin, "$AGORA_URL");
