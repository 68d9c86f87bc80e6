// The app's session singletons and their hooks. Components use
// `useSession()`; data goes through `api` (tenant) or `opsApi` (operator).
import { useSyncExternalStore } from 'react';
import { authFetch, makeClient, publicApi } from '../api/client';
import { ApiError, unwrap } from '../api/errors';
import { OpsSessionStore } from './ops-session';
import { markRefreshEnd, markRefreshStart, waitBeforeFirstRefresh } from './refresh-marker';
import { SessionStore, type SessionState } from './session';

let firstRefresh = true;

export const session = new SessionStore({
  async refresh() {
    if (firstRefresh) {
      firstRefresh = false;
      const wait = waitBeforeFirstRefresh();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
    markRefreshStart();
    try {
      // Browser mode: no body field; the HttpOnly cookie carries the refresh
      // token. keepalive: the browser finishes it (and stores the rotated
      // cookie) even if the page unloads meanwhile.
      const result = await publicApi.POST('/api/v1/auth/refresh', { body: {}, keepalive: true });
      if (result.response.status === 401) return null;
      // The provider suspended the tenant: the session is over, and says why.
      if (result.error?.code === 'tenant_suspended') {
        session.expire('suspended');
        return null;
      }
      return unwrap(result);
    } finally {
      markRefreshEnd();
    }
  },
  async logout(token) {
    await publicApi.POST('/api/v1/auth/logout', { headers: { authorization: `Bearer ${token}` } });
  },
});

/** Tenant endpoints, signed in as the current user. */
export const api = makeClient(authFetch(session));

export const opsSession = new OpsSessionStore();

/** Operator endpoints, with the operator's token only. */
export const opsApi = makeClient(authFetch(opsSession));

export function useSession(): SessionState {
  return useSyncExternalStore(session.subscribe, session.getSnapshot);
}

export function useOpsSession() {
  return useSyncExternalStore(opsSession.subscribe, opsSession.getSnapshot);
}

export { ApiError };
