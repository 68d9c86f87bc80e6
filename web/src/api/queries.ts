// Shared queries: one key and one fetcher per resource, so pages and the
// shell share the cache and a mutation can invalidate by key.
import { queryOptions } from '@tanstack/react-query';
import { api } from '../auth';
import { unwrap } from './errors';
import type { components } from './schema';

export type Me = components['schemas']['MeOut'];
export type Permission = components['schemas']['Permission'];
export type Notice = components['schemas']['NoticeOut'];

export const keys = {
  me: ['me'] as const,
  notices: ['notices'] as const,
};

export const meQuery = queryOptions({
  queryKey: keys.me,
  queryFn: async ({ signal }) => unwrap(await api.GET('/api/v1/me', { signal })),
});

export const noticesQuery = queryOptions({
  queryKey: keys.notices,
  queryFn: async ({ signal }) => unwrap(await api.GET('/api/v1/notices', { signal })).items,
  refetchInterval: 5 * 60_000,
});
