// Customer data exports (issue 17): the list (newest first, polled every 2 s
// only while one is queued or running), starting one, and the download of a
// ready one with the Authorization header, saved under its `file_name`.
import { infiniteQueryOptions } from '@tanstack/react-query';
import type { Client } from 'openapi-fetch';
import { unwrap } from '../../api/errors';
import type { paths } from '../../api/schema';
import { api } from '../../auth';
import { saveBlob } from '../../lib/download';

// TEMPORARY: the exports API is not in schema.d.ts yet. Remove this block
// (and use `api` directly) once `npm run gen:api` brings the paths in.
export interface ExportOut {
  id: string;
  status: ExportStatus;
  requested_by: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  items_done: number;
  items_total: number;
  size: number | null;
  sha256: string | null;
  expires_at: string | null;
  error: string | null;
  file_name: string;
}
export type ExportStatus = 'queued' | 'running' | 'ready' | 'failed' | 'expired';
type Json<T> = { headers: Record<string, unknown>; content: { 'application/json': T } };
type NoParams = { query?: never; header?: never; path?: never; cookie?: never };
type IdParams = { query?: never; header?: never; path: { id: string }; cookie?: never };
interface ExportPaths {
  '/api/v1/exports': {
    parameters: NoParams;
    get: { parameters: { query?: { limit?: number; cursor?: string }; header?: never; path?: never; cookie?: never }; requestBody?: never; responses: { 200: Json<{ items: ExportOut[]; next_cursor?: string | null }> } };
    post: { parameters: NoParams; requestBody?: never; responses: { 202: Json<ExportOut>; 409: Json<unknown> } };
  };
  '/api/v1/exports/{id}/download': {
    parameters: NoParams;
    get: { parameters: IdParams; requestBody?: never; responses: { 200: { headers: Record<string, unknown>; content: { 'application/zip': Blob } } } };
  };
}
const exportsApi = api as unknown as Client<paths & ExportPaths>;
// END TEMPORARY

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
    unwrap(await exportsApi.GET('/api/v1/exports', { params: { query: { limit: 20, ...(pageParam ? { cursor: pageParam } : {}) } }, signal })),
  getNextPageParam: (p) => p.next_cursor ?? null,
  // Newest first: an export under way is on the first page.
  refetchInterval: (query) => (query.state.data?.pages[0]?.items.some(isActive) ? POLL_MS : false),
});

export async function startExport(): Promise<ExportOut> {
  return unwrap(await exportsApi.POST('/api/v1/exports', {}));
}

/** Fetches the ZIP (Authorization header, no token in a URL) and saves it under `file_name`. */
export async function downloadExport(x: Pick<ExportOut, 'id' | 'file_name'>): Promise<void> {
  const blob = unwrap(
    await exportsApi.GET('/api/v1/exports/{id}/download', { params: { path: { id: x.id } }, parseAs: 'blob' }),
  );
  saveBlob(blob, x.file_name);
}

/** "a1b2c3d4…9f0e" for a SHA-256 in a table cell. */
export function shortHash(hex: string): string {
  return hex.length > 16 ? `${hex.slice(0, 8)}…${hex.slice(-4)}` : hex;
}
