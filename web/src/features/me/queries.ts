// My Page's server state: my access log (cursor pages) and my sessions.
import { infiniteQueryOptions, queryOptions } from '@tanstack/react-query';
import { unwrap } from '../../api/errors';
import type { components } from '../../api/schema';
import { api } from '../../auth';
import { logQuery, type LogFilters } from './logFilters';

export type LogEntry = components['schemas']['LogEntryOut'];

export const meKeys = {
  accessLog: (filters: LogFilters) => ['me', 'access-logs', filters] as const,
  accessLogs: ['me', 'access-logs'] as const,
  sessions: ['me', 'sessions'] as const,
};

/** Entries per page of the access log. */
export const LOG_PAGE_SIZE = 50;

/** My access log, newest first, one page per `next_cursor`: the cursor marks
 * where the last page ended, so new entries arriving meanwhile (at the top)
 * neither repeat nor push entries out of the pages still to load. */
export function accessLogQuery(filters: LogFilters) {
  return infiniteQueryOptions({
    queryKey: meKeys.accessLog(filters),
    initialPageParam: null as string | null,
    queryFn: async ({ pageParam, signal }) =>
      unwrap(
        await api.GET('/api/v1/me/access-logs', {
          params: { query: { ...logQuery(filters), limit: LOG_PAGE_SIZE, ...(pageParam ? { cursor: pageParam } : {}) } },
          signal,
        }),
      ),
    getNextPageParam: (last) => last.next_cursor ?? null,
    // A log is append-only: refetching every loaded page on focus would only cost.
    refetchOnWindowFocus: false,
    staleTime: 60_000,
  });
}

// -- sessions ---------------------------------------------------------------------
// Until openapi.yaml lists /me/sessions (the API side is in progress), the
// calls are typed loosely here; swap for api.GET/DELETE once `npm run gen:api`
// has the operations.
export interface MySession {
  id: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  ip: string | null;
  user_agent: string | null;
  current: boolean;
}

type LooseResult = { data?: unknown; error?: unknown; response: Response };
type Loose = {
  GET: (path: string, init?: { signal?: AbortSignal }) => Promise<LooseResult>;
  DELETE: (path: string, init?: object) => Promise<LooseResult>;
};
const loose = api as unknown as Loose;

export const sessionsQuery = queryOptions({
  queryKey: meKeys.sessions,
  queryFn: async ({ signal }) => (unwrap(await loose.GET('/api/v1/me/sessions', { signal })) as { items: MySession[] }).items,
});

export async function endSession(id: string): Promise<void> {
  unwrap(await loose.DELETE(`/api/v1/me/sessions/${encodeURIComponent(id)}`));
}

export async function endOtherSessions(): Promise<number> {
  return (unwrap(await loose.DELETE('/api/v1/me/sessions')) as { ended: number }).ended;
}
