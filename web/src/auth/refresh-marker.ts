// A reload can cut off a refresh in flight: the server has already rotated
// the refresh token, but the page that would have stored the new cookie is
// gone, and the next page's refresh then presents the old token — which the
// server takes for theft and ends the session. Two defences: the refresh is
// sent with `keepalive` (the browser completes it, and stores its cookie,
// after the page unloads), and the next page waits a moment before its own
// refresh when the previous one started a refresh just before it unloaded.
// Only a timestamp is kept (sessionStorage, this tab only) — never a token.

const KEY = 'crepo.refreshStartedAt';
/** How long a refresh cut off by an unload may still be on its way. */
const IN_FLIGHT_MS = 3_000;

function storage(): Storage | null {
  try {
    return globalThis.sessionStorage ?? null;
  } catch {
    return null;
  }
}

export function markRefreshStart(now = Date.now()): void {
  storage()?.setItem(KEY, String(now));
}

export function markRefreshEnd(): void {
  storage()?.removeItem(KEY);
}

/** Milliseconds to wait before the first refresh of this page (0 usually). */
export function waitBeforeFirstRefresh(now = Date.now()): number {
  const started = Number(storage()?.getItem(KEY));
  if (!started) return 0;
  const age = now - started;
  return age >= 0 && age < IN_FLIGHT_MS ? IN_FLIGHT_MS - age : 0;
}
