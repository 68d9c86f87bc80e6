// Customer data exports (issue 17): the list (newest first, polled every 2 s
// only while one is queued or running), starting one, and the download of a
// ready one with the Authorization header, saved under its `file_name`.
import { infiniteQueryOptions } from '@tanstack/react-query';
import { unwrap } from '../../api/errors';
import type { components } from '../../api/schema';
import { api } from '../../auth';
import { saveBlob } from '../../lib/download';

export type ExportOut = components['schemas']['ExportOut'];
export type ExportStatus = components['schemas']['ExportStatus'];

export const ekeys = {
  all: ['exports'] as const,
};

/** Whether the server is still working on it (the page polls meanwhile). */
export function isActive(x: Pick<ExportOut, 'status'>): boolean {
  return x.status === 'queued' || x.status === 'running';
}

/** Polling interval while an export is under way. */
export const POLL_MS = 2_000;

export const exportsQuery = infiniteQueryOptions({
  queryKey: ekeys.all,
  staleTime: 0,
  initialPageParam: null as string | null,
  queryFn: async ({ pageParam, signal }) =>
    unwrap(await api.GET('/api/v1/exports', { params: { query: { limit: 20, ...(pageParam ? { cursor: pageParam } : {}) } }, signal })),
  getNextPageParam: (p) => p.next_cursor ?? null,
  // Newest first: an export under way is on the first page.
  refetchInterval: (query) => (query.state.data?.pages[0]?.items.some(isActive) ? POLL_MS : false),
});

export async function startExport(): Promise<ExportOut> {
  return unwrap(await api.POST('/api/v1/exports', {}));
}

/** Fetches the ZIP (Authorization header, no token in a URL) and saves it under `file_name`. */
export async function downloadExport(x: Pick<ExportOut, 'id' | 'file_name'>): Promise<void> {
  const blob = unwrap(
    await api.GET('/api/v1/exports/{id}/download', { params: { path: { id: x.id } }, parseAs: 'blob' }),
  );
  saveBlob(blob, x.file_name);
}

/** "a1b2c3d4…9f0e" for a SHA-256 in a table cell. */
export function shortHash(hex: string): string {
  return hex.length > 16 ? `${hex.slice(0, 8)}…${hex.slice(-4)}` : hex;
}
