// The operator console's data, through the operator's own client (`opsApi`),
// a page at a time (keyset cursors, "load more").
import { infiniteQueryOptions, queryOptions } from '@tanstack/react-query';
import { unwrap } from '../../api/errors';
import type { components } from '../../api/schema';
import { opsApi } from '../../auth';
import { auditQueryParams, type AuditFilters } from './auditFilters';
import type { NoticeKind } from './noticeForm';

export type Tenant = components['schemas']['TenantOut'];

export type TenantAction = 'suspend' | 'resume';

/** Suspends (every session of the tenant ends, its users cannot sign in) or
 * resumes a tenant; the reason goes to the platform audit. */
export async function changeTenantStatus(id: string, action: TenantAction, reason: string): Promise<Tenant> {
  const path = action === 'suspend' ? '/api/v1/ops/tenants/{id}/suspend' : '/api/v1/ops/tenants/{id}/resume';
  return unwrap(await opsApi.POST(path, { params: { path: { id } }, body: { reason } }));
}

/** The reason's length limits (the API's). */
export const REASON_MAX = 500;
export type OpsNotice = components['schemas']['NoticeOut'];
export type AuditEntry = components['schemas']['AuditOut'];
export type LogEntry = components['schemas']['LogEntryOut'];
export type Delivery = components['schemas']['DeliveryOut'];

export type { AuditFilters };

export interface AccessFilters {
  event: string;
  status: string;
  /** `datetime-local` values */
  from: string;
  to: string;
}

export const okeys = {
  all: ['ops'] as const,
  tenants: ['ops', 'tenants'] as const,
  notices: ['ops', 'notices'] as const,
  noticeList: (kind: NoticeKind | null) => ['ops', 'notices', 'list', kind] as const,
  notice: (id: string) => ['ops', 'notices', 'one', id] as const,
  deliveries: (id: string) => ['ops', 'notices', 'deliveries', id] as const,
  audit: (f: AuditFilters) => ['ops', 'audit', f] as const,
  accessLogs: (tenant: string, f: AccessFilters) => ['ops', 'access', tenant, f] as const,
};

const page = (cursor: string | null) => ({ limit: 50, ...(cursor ? { cursor } : {}) });

export const tenantsQuery = infiniteQueryOptions({
  queryKey: okeys.tenants,
  staleTime: 0,
  initialPageParam: null as string | null,
  queryFn: async ({ pageParam, signal }) => unwrap(await opsApi.GET('/api/v1/ops/tenants', { params: { query: page(pageParam) }, signal })),
  getNextPageParam: (p) => p.next_cursor ?? null,
});

/** Every tenant (for the audience picker), following the cursors. */
export const allTenantsQuery = queryOptions({
  queryKey: [...okeys.tenants, 'all'] as const,
  queryFn: async ({ signal }) => {
    const items: Tenant[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < 50; i++) {
      const p: { items: Tenant[]; next_cursor?: string | null } = unwrap(await opsApi.GET('/api/v1/ops/tenants', { params: { query: { ...page(cursor), limit: 100 } }, signal }));
      items.push(...p.items);
      cursor = p.next_cursor ?? null;
      if (!cursor) break;
    }
    return items;
  },
});

export const noticesQuery = (kind: NoticeKind | null) =>
  infiniteQueryOptions({
    queryKey: okeys.noticeList(kind),
    staleTime: 0,
    initialPageParam: null as string | null,
    queryFn: async ({ pageParam, signal }) =>
      unwrap(await opsApi.GET('/api/v1/ops/notices', { params: { query: { ...page(pageParam), ...(kind ? { kind } : {}) } }, signal })),
    getNextPageParam: (p) => p.next_cursor ?? null,
  });

/** One notice: there is no single-notice endpoint, so the list is walked until it turns up. */
export const noticeQuery = (id: string) =>
  queryOptions({
    queryKey: okeys.notice(id),
    staleTime: 0,
    queryFn: async ({ signal }) => {
      let cursor: string | null = null;
      for (let i = 0; i < 100; i++) {
        const p: { items: OpsNotice[]; next_cursor?: string | null } = unwrap(await opsApi.GET('/api/v1/ops/notices', { params: { query: { ...page(cursor), limit: 100 } }, signal }));
        const found = p.items.find((n) => n.id === id);
        if (found) return found;
        cursor = p.next_cursor ?? null;
        if (!cursor) break;
      }
      return null;
    },
  });

export const deliveriesQuery = (id: string) =>
  queryOptions({
    queryKey: okeys.deliveries(id),
    staleTime: 0,
    queryFn: async ({ signal }) => unwrap(await opsApi.GET('/api/v1/ops/notices/{id}/deliveries', { params: { path: { id } }, signal })).items,
  });

export const auditQuery = (f: AuditFilters) =>
  infiniteQueryOptions({
    queryKey: okeys.audit(f),
    staleTime: 0,
    initialPageParam: null as string | null,
    queryFn: async ({ pageParam, signal }) =>
      unwrap(
        await opsApi.GET('/api/v1/ops/audit', {
          params: { query: { ...page(pageParam), ...auditQueryParams(f) } },
          signal,
        }),
      ),
    getNextPageParam: (p) => p.next_cursor ?? null,
  });

/** The access-log query: only the filters given; local times as RFC 3339. */
export function accessQuery(f: AccessFilters, cursor: string | null) {
  const iso = (v: string) => (v ? new Date(v).toISOString() : undefined);
  const status = Number.parseInt(f.status, 10);
  return {
    ...page(cursor),
    ...(f.event.trim() ? { event: f.event.trim() } : {}),
    ...(Number.isFinite(status) ? { status } : {}),
    ...(f.from ? { from: iso(f.from) } : {}),
    ...(f.to ? { to: iso(f.to) } : {}),
  };
}

export const accessLogsQuery = (tenant: string, f: AccessFilters) =>
  infiniteQueryOptions({
    queryKey: okeys.accessLogs(tenant, f),
    staleTime: 0,
    initialPageParam: null as string | null,
    queryFn: async ({ pageParam, signal }) =>
      unwrap(await opsApi.GET('/api/v1/ops/tenants/{id}/access-logs', { params: { path: { id: tenant }, query: accessQuery(f, pageParam) }, signal })),
    getNextPageParam: (p) => p.next_cursor ?? null,
  });

/** The items of every page loaded, each once. */
export function flatItems<T>(pages: { items: T[] }[] | undefined, key: (x: T) => string | number): T[] {
  const seen = new Set<string | number>();
  return (pages ?? []).flatMap((p) => p.items).filter((x) => !seen.has(key(x)) && seen.add(key(x)));
}
