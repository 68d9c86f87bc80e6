// The tenant's access log (administrators): the same filters as My Page's
// log (features/me/logFilters), read from GET /access-logs with keyset paging,
// and the chain verification.
import { infiniteQueryOptions, queryOptions } from '@tanstack/react-query';
import { unwrap } from '../../api/errors';
import { api } from '../../auth';
import { saveBlob } from '../../lib/download';
import { filtersFromParams, logQuery, paramsFromFilters, type LogFilters } from '../me/logFilters';
import { LOG_PAGE_SIZE } from '../me/queries';

/** My Page's filters plus the administrator's: user, HTTP status, address. */
export interface AdminLogFilters extends LogFilters {
  user_id: string;
  /** An HTTP status (100–599) as typed; '' for none. */
  status: string;
  ip: string;
}

export const EMPTY_ADMIN_FILTERS: AdminLogFilters = { event: '', from: '', to: '', user_id: '', status: '', ip: '' };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function validUserId(v: string): boolean {
  return v === '' || UUID.test(v);
}

export function validStatus(v: string): boolean {
  return v === '' || (/^\d{3}$/.test(v) && +v >= 100 && +v <= 599);
}

export function validIp(v: string): boolean {
  return v === '' || (v.length <= 64 && /^[0-9A-Fa-f.:]+$/.test(v));
}

/** The URL's filters; anything malformed is ignored, not sent. */
export function adminFiltersFromParams(params: URLSearchParams): AdminLogFilters {
  const get = (k: string) => (params.get(k) ?? '').trim();
  return {
    ...filtersFromParams(params),
    user_id: validUserId(get('user_id')) ? get('user_id').toLowerCase() : '',
    status: validStatus(get('status')) ? get('status') : '',
    ip: validIp(get('ip')) ? get('ip') : '',
  };
}

export function paramsFromAdminFilters(f: AdminLogFilters, base?: URLSearchParams): URLSearchParams {
  const next = paramsFromFilters(f, base);
  for (const key of ['user_id', 'status', 'ip'] as const) {
    if (f[key]) next.set(key, f[key]);
    else next.delete(key);
  }
  return next;
}

export function hasAdminFilters(f: AdminLogFilters): boolean {
  return Object.values(f).some(Boolean);
}

/** The API query for the filters that are set. */
export function adminLogQuery(f: AdminLogFilters) {
  return {
    ...logQuery(f),
    ...(f.user_id ? { user_id: f.user_id } : {}),
    ...(f.status ? { status: Number(f.status) } : {}),
    ...(f.ip ? { ip: f.ip } : {}),
  };
}

export function tenantLogQuery(filters: AdminLogFilters) {
  return infiniteQueryOptions({
    queryKey: ['admin', 'access-log', filters] as const,
    initialPageParam: null as string | null,
    queryFn: async ({ pageParam, signal }) =>
      unwrap(
        await api.GET('/api/v1/access-logs', {
          params: { query: { ...adminLogQuery(filters), limit: LOG_PAGE_SIZE, ...(pageParam ? { cursor: pageParam } : {}) } },
          signal,
        }),
      ),
    getNextPageParam: (last) => last.next_cursor ?? null,
    refetchOnWindowFocus: false,
    staleTime: 60_000,
  });
}

export const verifyQuery = queryOptions({
  queryKey: ['admin', 'access-log', 'verify'] as const,
  queryFn: async ({ signal }) => unwrap(await api.GET('/api/v1/access-logs/verify', { signal })),
  refetchOnWindowFocus: false,
});

export type ExportFormat = 'csv' | 'jsonl';

/** "access-log_auth._2026-12-01_2026-12-05.csv": the filter in the file name
 * (the event as typed, so a prefix keeps its dot; dates in UTC, the end being
 * the export's day when the filter has none). */
export function exportFileName(filters: AdminLogFilters, format: ExportFormat, now: Date = new Date()): string {
  const parts = ['access-log'];
  if (filters.event) parts.push(filters.event.replace(/[^A-Za-z0-9_.-]/g, '_'));
  if (filters.from) parts.push(filters.from.slice(0, 10));
  parts.push((filters.to || now.toISOString()).slice(0, 10));
  if (filters.user_id) parts.push(`user-${filters.user_id.slice(0, 8)}`);
  if (filters.status) parts.push(`status-${filters.status}`);
  if (filters.ip) parts.push(`ip-${filters.ip.replace(/[^0-9A-Fa-f.]/g, '_')}`);
  return `${parts.join('_')}.${format}`;
}

/** Fetch the export with the Authorization header and hand it to the browser
 * as a download (no token in a URL). */
export async function downloadExport(filters: AdminLogFilters, format: ExportFormat): Promise<void> {
  const blob = unwrap(
    await api.GET('/api/v1/access-logs/export', {
      params: { query: { ...adminLogQuery(filters), format } },
      parseAs: 'blob',
    }),
  );
  saveBlob(blob, exportFileName(filters, format));
}

export type BrokenReason =
  | 'altered'
  | 'signature'
  | 'checkpointRemoved'
  | 'anchor'
  | 'truncated'
  | 'deleted'
  | 'rewritten'
  | 'unsigned';

const REASONS: [RegExp, BrokenReason][] = [
  [/^the entry was altered/, 'altered'],
  [/invalid signature/, 'signature'],
  [/a checkpoint was removed/, 'checkpointRemoved'],
  [/anchored head disagrees/, 'anchor'],
  [/missing \(truncated\)/, 'truncated'],
  [/missing \(deleted\)/, 'deleted'],
  [/chain was rewritten/, 'rewritten'],
  [/had no checkpoint since/, 'unsigned'],
];

/** The kind of the API's (English) reason for a broken chain, to say it in
 * the user's language; null for a reason this client does not know. */
export function brokenReason(reason: string | null | undefined): BrokenReason | null {
  return REASONS.find(([re]) => re.test(reason ?? ''))?.[1] ?? null;
}
