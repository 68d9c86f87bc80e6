import { describe, expect, it, vi } from 'vitest';
import { authFetch, makeClient, withClientHeader, type TokenSource } from './client';
import { ApiError, NetworkError, unwrap } from './errors';

const ORIGIN = 'http://crepo.test';

function problem(status: number, code: string, headers: Record<string, string> = {}) {
  return new Response(JSON.stringify({ type: `urn:crepo:problem:${code}`, title: 't', status, detail: `detail of ${code}`, code }), {
    status,
    headers: { 'content-type': 'application/problem+json', 'x-request-id': 'req-123', ...headers },
  });
}

function ok(body: unknown) {
  return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
}

function source(initial: string | null, refreshed: string | null): TokenSource & { refreshes: number; expired: number; reasons: (string | undefined)[] } {
  let token = initial;
  const s = {
    refreshes: 0,
    expired: 0,
    accessToken: () => token,
    refresh: async () => {
      s.refreshes++;
      token = refreshed;
      return refreshed;
    },
    reasons: [] as (string | undefined)[],
    expire: (reason?: string) => {
      s.expired++;
      s.reasons.push(reason);
    },
  };
  return s;
}

describe('unwrap and ApiError', () => {
  it('turns a problem into an ApiError with its code, request id and Retry-After', async () => {
    const response = problem(429, 'rate_limited', { 'retry-after': '17' });
    const err = (() => {
      try {
        return unwrap({ error: { type: 'x', title: 't', status: 429, detail: 'slow down', code: 'rate_limited' }, response });
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(ApiError);
    const e = err as ApiError;
    expect(e.code).toBe('rate_limited');
    expect(e.requestId).toBe('req-123');
    expect(e.retryAfter).toBe(17);
  });

  it('returns the data of a success', () => {
    expect(unwrap({ data: { a: 1 }, response: ok({ a: 1 }) })).toEqual({ a: 1 });
  });
});

describe('the client header', () => {
  it('is added on the auth endpoints only', () => {
    expect(withClientHeader(new Request(`${ORIGIN}/api/v1/auth/refresh`, { method: 'POST' })).headers.get('x-crepo-client')).toBe('browser');
    expect(withClientHeader(new Request(`${ORIGIN}/api/v1/auth/login`, { method: 'POST' })).headers.get('x-crepo-client')).toBe('browser');
    expect(withClientHeader(new Request(`${ORIGIN}/api/v1/me`)).headers.get('x-crepo-client')).toBeNull();
    expect(withClientHeader(new Request(`${ORIGIN}/api/v1/ops/auth/login`)).headers.get('x-crepo-client')).toBeNull();
  });
});

describe('authFetch', () => {
  it('sends the bearer token', async () => {
    const base = vi.fn(async (r: Request) => ok({ auth: r.headers.get('authorization') }));
    const api = makeClient(authFetch(source('t1', null), base as unknown as typeof fetch), ORIGIN);
    const { data } = await api.GET('/api/v1/me');
    expect(data).toEqual({ auth: 'Bearer t1' });
  });

  it('retries once after a refresh when the token expired, with the body intact', async () => {
    const s = source('old', 'new');
    const seen: { auth: string | null; body: string }[] = [];
    const base = vi.fn(async (r: Request) => {
      seen.push({ auth: r.headers.get('authorization'), body: await r.text() });
      return r.headers.get('authorization') === 'Bearer old' ? problem(401, 'token_expired') : new Response(null, { status: 204 });
    });
    const api = makeClient(authFetch(s, base as unknown as typeof fetch), ORIGIN);
    const res = await api.PUT('/api/v1/me/password', { body: { current_password: 'a', new_password: 'b'.repeat(12) } });
    expect(res.response.status).toBe(204);
    expect(s.refreshes).toBe(1);
    expect(seen.map((x) => x.auth)).toEqual(['Bearer old', 'Bearer new']);
    expect(seen[1].body).toBe(seen[0].body);
    expect(JSON.parse(seen[1].body)).toEqual({ current_password: 'a', new_password: 'b'.repeat(12) });
  });

  it('ends the session on any other 401, without a refresh', async () => {
    const s = source('t', 'never');
    const api = makeClient(authFetch(s, (async () => problem(401, 'session_expired')) as unknown as typeof fetch), ORIGIN);
    const res = await api.GET('/api/v1/me');
    expect(res.response.status).toBe(401);
    expect(s.refreshes).toBe(0);
    expect(s.expired).toBe(1);
  });

  it('keeps the session on a 401 about a texted code (confirming a phone or a termination)', async () => {
    const s = source('t', 'never');
    let code = 'invalid_code';
    const api = makeClient(authFetch(s, (async () => problem(401, code)) as unknown as typeof fetch), ORIGIN);
    for (code of ['invalid_code', 'code_expired', 'code_used', 'code_locked']) {
      const res = await api.POST('/api/v1/me/phone/confirm', { body: { phone_token: 'p', code: '123456' } });
      expect(res.response.status).toBe(401);
    }
    expect(s.refreshes).toBe(0);
    expect(s.expired).toBe(0);
  });

  it('ends the session as suspended on a 403 tenant_suspended, not on another 403', async () => {
    const s = source('t', 'never');
    let code = 'permission_denied';
    const api = makeClient(authFetch(s, (async () => problem(403, code)) as unknown as typeof fetch), ORIGIN);
    expect((await api.GET('/api/v1/me')).response.status).toBe(403);
    expect(s.expired).toBe(0);
    code = 'tenant_suspended';
    const res = await api.GET('/api/v1/me');
    expect(res.response.status).toBe(403);
    expect(unwrap.bind(null, res)).toThrow(ApiError);
    expect(s.refreshes).toBe(0);
    expect(s.reasons).toEqual(['suspended']);
  });

  it('gives up when the refresh finds the session over', async () => {
    const s = source('old', null);
    const base = vi.fn(async () => problem(401, 'token_expired'));
    const api = makeClient(authFetch(s, base as unknown as typeof fetch), ORIGIN);
    const res = await api.GET('/api/v1/me');
    expect(res.response.status).toBe(401);
    expect(base).toHaveBeenCalledTimes(1);
  });

  it('reports an unreachable server as a NetworkError', async () => {
    const api = makeClient(authFetch(source('t', null), (async () => {
      throw new TypeError('Failed to fetch');
    }) as unknown as typeof fetch), ORIGIN);
    await expect(api.GET('/api/v1/me')).rejects.toBeInstanceOf(NetworkError);
  });
});
