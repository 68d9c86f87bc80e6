import type { components } from './schema';

export type Readiness = components['schemas']['Readiness'];
export type Problem = components['schemas']['Problem'];

/** An API error carrying its RFC 9457 problem document. */
export class ApiError extends Error {
  constructor(public readonly problem: Problem) {
    super(`${problem.title}: ${problem.detail}`);
  }
}

/** Parses a response: JSON on success, a thrown ApiError on a problem. */
export async function parse<T>(res: Response): Promise<T> {
  const type = res.headers.get('content-type') ?? '';
  if (!res.ok && type.startsWith('application/problem+json')) {
    throw new ApiError((await res.json()) as Problem);
  }
  if (!res.ok && res.status !== 503) {
    throw new Error(`HTTP ${res.status}`);
  }
  return (await res.json()) as T;
}

export async function getReadiness(fetcher: typeof fetch = fetch): Promise<Readiness> {
  return parse<Readiness>(await fetcher('/health/ready'));
}

export type LoginOut = components['schemas']['LoginOut'];
export type TokensOut = components['schemas']['TokensOut'];
export type Notice = components['schemas']['NoticeOut'];
export type NoticeList = components['schemas']['NoticeList'];

function json(body: unknown): RequestInit {
  return {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  };
}

function bearer(token: string, init: RequestInit = {}): RequestInit {
  return { ...init, headers: { ...init.headers, authorization: `Bearer ${token}` } };
}

/** Step one of signing in: tokens, or the request for the texted code. */
export async function login(
  tenant: string,
  email: string,
  password: string,
  fetcher: typeof fetch = fetch,
): Promise<LoginOut> {
  return parse<LoginOut>(await fetcher('/api/v1/auth/login', json({ tenant, email, password })));
}

/** Step two: the code from the text message. */
export async function verifyCode(
  mfaToken: string,
  code: string,
  fetcher: typeof fetch = fetch,
): Promise<TokensOut> {
  return parse<TokensOut>(
    await fetcher('/api/v1/auth/mfa', json({ mfa_token: mfaToken, code })),
  );
}

/** What concerns the signed-in user's tenant now, newest first. */
export async function listNotices(token: string, fetcher: typeof fetch = fetch): Promise<Notice[]> {
  const page = await parse<NoticeList>(await fetcher('/api/v1/notices', bearer(token)));
  return page.items;
}

export async function markNoticeRead(
  token: string,
  id: string,
  fetcher: typeof fetch = fetch,
): Promise<void> {
  const res = await fetcher(
    `/api/v1/notices/${encodeURIComponent(id)}/read`,
    bearer(token, { method: 'POST' }),
  );
  if (res.status !== 204) {
    await parse<unknown>(res);
  }
}

/** Ends the session on the server: its access and refresh tokens stop working. */
export async function logout(token: string, fetcher: typeof fetch = fetch): Promise<void> {
  await fetcher('/api/v1/auth/logout', bearer(token, { method: 'POST' }));
}

/** Replaces the password (the temporary one after an admin created the user). */
export async function changePassword(
  token: string,
  current: string,
  next: string,
  fetcher: typeof fetch = fetch,
): Promise<void> {
  const res = await fetcher(
    '/api/v1/me/password',
    bearer(token, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ current_password: current, new_password: next }),
    }),
  );
  if (res.status !== 204) {
    await parse<unknown>(res);
  }
}
