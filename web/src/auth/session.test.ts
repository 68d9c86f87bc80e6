import { describe, expect, it, vi } from 'vitest';
import { authFetch, makeClient } from '../api/client';
import { refreshDelayMs, SessionStore, type TokensOut } from './session';

const tokens = (access: string, expiresIn = 900, change = false): TokensOut => ({
  access_token: access,
  token_type: 'Bearer',
  expires_in: expiresIn,
  password_change_required: change,
});

function deferred<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

function store(refresh: () => Promise<TokensOut | null>, extra: Partial<ConstructorParameters<typeof SessionStore>[0]> = {}) {
  return new SessionStore({ refresh, logout: async () => undefined, withLock: (fn) => fn(), ...extra });
}

describe('SessionStore', () => {
  it('is signed out after load when the refresh cookie holds no session', async () => {
    const s = store(async () => null);
    await s.bootstrap();
    expect(s.getSnapshot()).toEqual({ status: 'signed-out', reason: 'none' });
  });

  it('is signed in after load when the cookie still holds a session', async () => {
    const s = store(async () => tokens('a1'));
    await s.bootstrap();
    expect(s.getSnapshot()).toEqual({ status: 'signed-in', passwordChangeRequired: false });
    expect(s.accessToken()).toBe('a1');
  });

  it('shares one refresh between concurrent callers (single flight)', async () => {
    const pending = deferred<TokensOut | null>();
    const refresh = vi.fn(() => pending.promise);
    const s = store(refresh);
    s.signIn(tokens('old'));
    const all = Promise.all([s.refresh(), s.refresh(), s.refresh()]);
    pending.resolve(tokens('new'));
    expect(await all).toEqual(['new', 'new', 'new']);
    expect(refresh).toHaveBeenCalledTimes(1);
    // A later refresh is a new one.
    refresh.mockResolvedValueOnce(tokens('newer'));
    await s.refresh();
    expect(refresh).toHaveBeenCalledTimes(2);
  });

  it('concurrent token_expired 401s cause one refresh and every request is retried', async () => {
    const refresh = vi.fn(async () => {
      await new Promise((r) => setTimeout(r, 10));
      return tokens('fresh');
    });
    const s = store(refresh);
    s.signIn(tokens('stale'));
    const base = async (r: Request) =>
      r.headers.get('authorization') === 'Bearer fresh'
        ? new Response('{"ok":true}', { status: 200, headers: { 'content-type': 'application/json' } })
        : new Response(JSON.stringify({ type: 'x', title: 't', status: 401, detail: 'd', code: 'token_expired' }), {
            status: 401,
            headers: { 'content-type': 'application/problem+json' },
          });
    const api = makeClient(authFetch(s, base as unknown as typeof fetch), 'http://crepo.test');
    const results = await Promise.all([api.GET('/api/v1/me'), api.GET('/api/v1/notices'), api.GET('/api/v1/me/access-logs')]);
    expect(results.map((r) => r.response.status)).toEqual([200, 200, 200]);
    expect(refresh).toHaveBeenCalledTimes(1);
  });

  it('refreshes silently about a minute before the token expires', async () => {
    vi.useFakeTimers();
    try {
      const refresh = vi.fn(async () => tokens('second'));
      const s = new SessionStore({ refresh, logout: async () => undefined, withLock: (fn) => fn() });
      s.signIn(tokens('first', 900));
      await vi.advanceTimersByTimeAsync(839_000);
      expect(refresh).not.toHaveBeenCalled();
      await vi.advanceTimersByTimeAsync(2_000);
      expect(refresh).toHaveBeenCalledTimes(1);
      expect(s.accessToken()).toBe('second');
    } finally {
      vi.useRealTimers();
    }
  });

  it('a refresh refused with 401 ends the session as expired', async () => {
    const s = store(async () => null);
    s.signIn(tokens('a'));
    await s.refresh();
    expect(s.getSnapshot()).toEqual({ status: 'signed-out', reason: 'expired' });
    expect(s.accessToken()).toBeNull();
  });

  it('a suspended tenant ends the session with that reason', () => {
    const s = store(async () => null);
    s.signIn(tokens('a'));
    s.expire('suspended');
    expect(s.getSnapshot()).toEqual({ status: 'signed-out', reason: 'suspended' });
    expect(s.accessToken()).toBeNull();
  });

  it('signing out forgets the token and tells the server', async () => {
    const logout = vi.fn(async () => undefined);
    const s = new SessionStore({ refresh: async () => null, logout, withLock: (fn) => fn() });
    s.signIn(tokens('a'));
    await s.signOut();
    expect(logout).toHaveBeenCalledWith('a');
    expect(s.accessToken()).toBeNull();
    expect(s.getSnapshot()).toEqual({ status: 'signed-out', reason: 'signed-out' });
  });

  it('carries the pending password change', () => {
    const s = store(async () => null);
    s.signIn(tokens('a', 900, true));
    expect(s.getSnapshot()).toEqual({ status: 'signed-in', passwordChangeRequired: true });
    s.passwordChanged();
    expect(s.getSnapshot()).toEqual({ status: 'signed-in', passwordChangeRequired: false });
  });

  it('never writes the token to web storage', async () => {
    const s = store(async () => tokens('secret-token'));
    await s.bootstrap();
    const stored = [...Object.values(localStorage), ...Object.values(sessionStorage)].join(' ');
    expect(stored).not.toContain('secret-token');
  });

  it('catches up when a background tab comes back with the token nearly due', async () => {
    let now = 0;
    const refresh = vi.fn(async () => tokens('later'));
    const s = new SessionStore({ refresh, logout: async () => undefined, withLock: (fn) => fn(), now: () => now, setTimeout: () => 0, clearTimeout: () => undefined });
    s.signIn(tokens('first', 900));
    now = 600_000; // 5 minutes left: nothing to do
    s.refreshIfDue();
    expect(refresh).not.toHaveBeenCalled();
    now = 870_000; // the timer was throttled: 30 s left
    s.refreshIfDue();
    await vi.waitFor(() => expect(s.accessToken()).toBe('later'));
    expect(refresh).toHaveBeenCalledTimes(1);
  });

  it('schedules short-lived tokens at half their life', () => {
    expect(refreshDelayMs(900)).toBe(840_000);
    expect(refreshDelayMs(5)).toBe(2_500);
  });
});

describe('refresh marker', () => {
  it('makes the next page wait only right after a refresh was cut off', async () => {
    const { markRefreshEnd, markRefreshStart, waitBeforeFirstRefresh } = await import('./refresh-marker');
    expect(waitBeforeFirstRefresh(10_000)).toBe(0);
    markRefreshStart(10_000);
    expect(waitBeforeFirstRefresh(10_500)).toBe(2_500);
    expect(waitBeforeFirstRefresh(20_000)).toBe(0);
    markRefreshEnd();
    expect(waitBeforeFirstRefresh(10_500)).toBe(0);
    expect(Object.values(sessionStorage).join()).not.toMatch(/eyJ|crt_/);
  });
});
