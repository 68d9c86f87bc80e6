// The tenant session in the browser. The access token lives only in this
// module's memory (never localStorage, sessionStorage or a URL); the refresh
// token lives in an HttpOnly cookie that JavaScript cannot read, sent by the
// browser only to /api/v1/auth. A refresh runs ~60 s before the access token
// expires, on page load, and when a request meets 401 `token_expired`;
// concurrent callers share one refresh, and tabs take turns (Web Locks) so
// two tabs never present the same rotating cookie.
import type { components } from '../api/schema';
import type { EndReason, TokenSource } from '../api/client';

export type TokensOut = components['schemas']['TokensOut'];

export type SessionState =
  | { status: 'unknown' }
  | { status: 'signed-out'; reason: 'none' | 'signed-out' | EndReason }
  | { status: 'signed-in'; passwordChangeRequired: boolean };

export interface SessionDeps {
  /** POST /auth/refresh in browser mode: tokens, null on 401 (session over); throws on other failures. */
  refresh(): Promise<TokensOut | null>;
  /** POST /auth/logout with the given token. */
  logout(token: string): Promise<void>;
  now?: () => number;
  setTimeout?: (fn: () => void, ms: number) => unknown;
  clearTimeout?: (handle: unknown) => void;
  /** Runs `fn` holding a lock shared by every tab of this origin. */
  withLock?: <T>(fn: () => Promise<T>) => Promise<T>;
}

/** Seconds before expiry at which the silent refresh runs. */
export const REFRESH_MARGIN_SECS = 60;
/** Retry delay of a refresh that failed for another reason than 401. */
const RETRY_MS = 10_000;

export function refreshDelayMs(expiresIn: number): number {
  // Short-lived tokens (tests) refresh at half their life.
  const secs = expiresIn > 2 * REFRESH_MARGIN_SECS ? expiresIn - REFRESH_MARGIN_SECS : expiresIn / 2;
  return Math.max(1, secs) * 1000;
}

export class SessionStore implements TokenSource {
  private state: SessionState = { status: 'unknown' };
  private token: string | null = null;
  private expiresAt = 0;
  private timer: unknown = null;
  private inflight: Promise<string | null> | null = null;
  private listeners = new Set<() => void>();
  private readonly deps: Required<SessionDeps>;

  constructor(deps: SessionDeps) {
    this.deps = {
      now: () => Date.now(),
      setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
      clearTimeout: (h) => globalThis.clearTimeout(h as ReturnType<typeof setTimeout>),
      withLock: webLock,
      ...deps,
    };
  }

  // -- useSyncExternalStore -------------------------------------------------
  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };
  getSnapshot = (): SessionState => this.state;

  private set(state: SessionState) {
    this.state = state;
    for (const l of this.listeners) l();
  }

  // -- TokenSource ------------------------------------------------------------
  accessToken(): string | null {
    return this.token;
  }

  /** New tokens from the cookie; null when the session is over. Concurrent
   * callers get the same promise. */
  refresh(): Promise<string | null> {
    this.inflight ??= this.runRefresh().finally(() => {
      this.inflight = null;
    });
    return this.inflight;
  }

  /** Ends the session in memory: `suspended` when the provider suspended the
   * tenant (the sign-in page then says so), else `expired`. */
  expire(reason: EndReason = 'expired'): void {
    if (this.state.status === 'signed-out') return;
    this.clear();
    this.set({ status: 'signed-out', reason });
  }

  // -- lifecycle --------------------------------------------------------------
  /** On page load: a refresh tells whether the cookie still holds a session. */
  async bootstrap(): Promise<void> {
    if (this.state.status !== 'unknown') return;
    try {
      await this.refresh();
    } catch {
      // network trouble on load: treat as signed out, the user can sign in
    }
    if (this.state.status === 'unknown') this.set({ status: 'signed-out', reason: 'none' });
  }

  /** After login, the code step or a refresh. */
  signIn(tokens: TokensOut): void {
    this.token = tokens.access_token;
    this.expiresAt = this.deps.now() + tokens.expires_in * 1000;
    this.schedule(refreshDelayMs(tokens.expires_in));
    const prev = this.state;
    const passwordChangeRequired = tokens.password_change_required;
    if (prev.status !== 'signed-in' || prev.passwordChangeRequired !== passwordChangeRequired) {
      this.set({ status: 'signed-in', passwordChangeRequired });
    }
  }

  passwordChanged(): void {
    if (this.state.status === 'signed-in') this.set({ status: 'signed-in', passwordChangeRequired: false });
  }

  /** Ends the session on the server (which also clears the cookie). */
  async signOut(): Promise<void> {
    const token = this.token;
    this.clear();
    this.set({ status: 'signed-out', reason: 'signed-out' });
    if (token) await this.deps.logout(token).catch(() => undefined);
  }

  /** When the page comes back to the foreground: background tabs run timers
   * late, so refresh now if the token is (nearly) due. */
  refreshIfDue(): void {
    if (this.state.status !== 'signed-in' || this.inflight) return;
    if (this.expiresAt - this.deps.now() < REFRESH_MARGIN_SECS * 1000) {
      this.refresh().catch(() => {
        if (this.token) this.schedule(RETRY_MS);
      });
    }
  }

  /** Milliseconds until the access token expires (for tests and diagnostics). */
  expiresInMs(): number {
    return Math.max(0, this.expiresAt - this.deps.now());
  }

  // -- internals ----------------------------------------------------------------
  private clear() {
    this.token = null;
    this.expiresAt = 0;
    if (this.timer !== null) this.deps.clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(ms: number) {
    if (this.timer !== null) this.deps.clearTimeout(this.timer);
    this.timer = this.deps.setTimeout(() => {
      this.timer = null;
      this.refresh().catch(() => {
        // network trouble: try again while the token may still be good
        if (this.token) this.schedule(RETRY_MS);
      });
    }, ms);
  }

  private async runRefresh(): Promise<string | null> {
    const tokens = await this.deps.withLock(() => this.deps.refresh());
    if (!tokens) {
      if (this.state.status === 'unknown') {
        this.set({ status: 'signed-out', reason: 'none' });
      } else {
        this.expire();
      }
      return null;
    }
    this.signIn(tokens);
    return tokens.access_token;
  }
}

/** Web Locks where the browser has them, so tabs refresh one after another. */
async function webLock<T>(fn: () => Promise<T>): Promise<T> {
  const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
  if (!locks) return fn();
  return locks.request('crepo-session-refresh', fn);
}
