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
export type MySession = components['schemas']['SessionOut'];

/** My live sessions, the most recently used first (at most 100). */
export const sessionsQuery = queryOptions({
  queryKey: meKeys.sessions,
  queryFn: async ({ signal }) => unwrap(await api.GET('/api/v1/me/sessions', { signal })).items,
});

/** Ends one of my sessions (this one too: that is signing out). */
export async function endSession(id: string): Promise<void> {
  unwrap(await api.DELETE('/api/v1/me/sessions/{id}', { params: { path: { id } } }));
}

/** Ends all my other sessions; how many ended. */
export async function endOtherSessions(): Promise<number> {
  return unwrap(await api.DELETE('/api/v1/me/sessions')).ended;
}
