// The one way to the API: openapi-fetch over the types generated from
// openapi.yaml (npm run gen:api). Three clients:
//   api     — tenant endpoints; bearer token from the session store, one retry
//             after a refresh when the token expired;
//   opsApi  — operator endpoints; the operator's own token, never the tenant's;
//   publicApi — no token (sign-up, login, refresh, health).
import createClient, { type Client } from 'openapi-fetch';
import { NetworkError } from './errors';
import type { paths } from './schema';

/** Sent on the auth endpoints: the server then keeps the refresh token in an
 * HttpOnly cookie instead of the JSON body. */
export const CLIENT_HEADER = 'X-Crepo-Client';
const BROWSER_AUTH = /^\/api\/v1\/auth\/(login|mfa|refresh|logout)$/;

/** Adds `X-Crepo-Client: browser` to the auth endpoints. */
export function withClientHeader(request: Request): Request {
  const path = new URL(request.url).pathname;
  if (!BROWSER_AUTH.test(path)) return request;
  const headers = new Headers(request.headers);
  headers.set(CLIENT_HEADER, 'browser');
  return new Request(request, { headers });
}

/** What the auth fetch needs from a token store. */
export interface TokenSource {
  accessToken(): string | null;
  /** Single-flight refresh: the new access token, or null when the session is over. */
  refresh(): Promise<string | null>;
  /** The session is over: a 401 that a refresh cannot mend (`expired`), or
   * the provider suspended the tenant (403 `tenant_suspended`). */
  expire(reason?: EndReason): void;
}

export type EndReason = 'expired' | 'suspended';

function withBearer(request: Request, token: string | null): Request {
  if (!token) return request;
  const headers = new Headers(request.headers);
  headers.set('authorization', `Bearer ${token}`);
  return new Request(request, { headers });
}

async function problemCode(response: Response): Promise<string | null> {
  if (!(response.headers.get('content-type') ?? '').includes('json')) return null;
  try {
    const body: unknown = await response.clone().json();
    return typeof body === 'object' && body && 'code' in body ? String(body.code) : null;
  } catch {
    return null;
  }
}

/** The 401s about a texted code rather than the session. */
const CODE_PROBLEMS = new Set(['invalid_code', 'code_expired', 'code_used', 'code_locked']);

/** fetch with the bearer token; a 401 `token_expired` is retried once after a
 * refresh (concurrent ones share the refresh); a 401 about a texted code
 * (`invalid_code`, `code_expired`, `code_used`, `code_locked`) is returned as
 * it is; any other 401 ends the session, and so does a 403 `tenant_suspended`
 * (the provider suspended the tenant). */
export function authFetch(source: TokenSource, base: typeof fetch = (r) => fetch(r)) {
  return async (input: Request): Promise<Response> => {
    const request = withClientHeader(input);
    const spare = request.clone(); // the body of `request` is spent once sent
    const send = async (r: Request) => {
      try {
        return await base(r);
      } catch (e) {
        throw new NetworkError(e);
      }
    };
    const suspended = async (r: Response) => {
      if (r.status === 403 && (await problemCode(r)) === 'tenant_suspended') source.expire('suspended');
      return r;
    };
    const used = source.accessToken();
    const response = await send(withBearer(request, used));
    if (response.status !== 401) return suspended(response);
    const code = await problemCode(response);
    // A wrong, expired, used or locked texted code (confirming a phone or a
    // termination) is about that code, not the session: it stays.
    if (code !== null && CODE_PROBLEMS.has(code)) return response;
    if (code === 'token_expired') {
      // Another request may have refreshed meanwhile: then use its token.
      const current = source.accessToken();
      const token = current && current !== used ? current : await source.refresh();
      if (token) {
        const again = await send(withBearer(spare, token));
        if (again.status === 401) source.expire();
        return suspended(again);
      }
      return response; // refresh() already ended the session
    }
    if (new URL(request.url).pathname !== '/api/v1/auth/logout') source.expire();
    return response;
  };
}

/** fetch without a token (X-Crepo-Client on the auth endpoints). */
export async function plainFetch(input: Request): Promise<Response> {
  try {
    return await fetch(withClientHeader(input));
  } catch (e) {
    throw new NetworkError(e);
  }
}

const baseUrl = typeof location !== 'undefined' ? location.origin : 'http://localhost';

export type ApiClient = Client<paths>;

export function makeClient(fetcher: (input: Request) => Promise<Response>, origin = baseUrl): ApiClient {
  return createClient<paths>({ baseUrl: origin, fetch: fetcher, credentials: 'same-origin' });
}

/** No token at all: sign-up, login, code, refresh, public rules. */
export const publicApi = makeClient(plainFetch);
