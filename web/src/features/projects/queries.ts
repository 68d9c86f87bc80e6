// Projects, labels, members and files: one key and one fetcher each, so pages
// share the cache and mutations invalidate by key.
import { infiniteQueryOptions, queryOptions, useQuery } from '@tanstack/react-query';
import { meQuery, type Permission } from '../../api/queries';
import { unwrap } from '../../api/errors';
import type { components } from '../../api/schema';
import { api } from '../../auth';
import { toQuery, type Filters } from './filters';

export type Project = components['schemas']['ProjectOut'];
export type Label = components['schemas']['LabelOut'];
export type LabelRef = components['schemas']['LabelRef'];
export type FileOut = components['schemas']['FileOut'];
export type User = components['schemas']['UserOut'];
export type ProjectAccess = components['schemas']['ProjectAccessOut'];
export type AccessReason = components['schemas']['AccessReason'];

export const pkeys = {
  projects: ['projects'] as const,
  list: (f: Filters) => ['projects', 'list', f] as const,
  project: (id: string) => ['projects', 'one', id] as const,
  members: (id: string) => ['projects', 'members', id] as const,
  access: (id: string) => ['projects', 'access', id] as const,
  files: (id: string) => ['projects', 'files', id] as const,
  labels: ['labels'] as const,
  users: (q: string) => ['users', 'search', q] as const,
};

export const projectsQuery = (f: Filters) =>
  infiniteQueryOptions({
    queryKey: pkeys.list(f),
    staleTime: 0, // others add and change projects: fresh on every visit
    initialPageParam: null as string | null,
    queryFn: async ({ pageParam, signal }) => unwrap(await api.GET('/api/v1/projects', { params: { query: toQuery(f, pageParam) }, signal })),
    getNextPageParam: (page) => page.next_cursor ?? null,
  });

/** A project and its version (the ETag to send back as If-Match). */
export const projectQuery = (id: string) =>
  queryOptions({
    queryKey: pkeys.project(id),
    staleTime: 0,
    queryFn: async ({ signal }) => {
      const result = await api.GET('/api/v1/projects/{id}', { params: { path: { id } }, signal });
      const project = unwrap(result);
      return { project, etag: result.response.headers.get('etag') ?? `"${project.version}"` };
    },
  });

export const membersQuery = (id: string) =>
  queryOptions({
    queryKey: pkeys.members(id),
    queryFn: async ({ signal }) => unwrap(await api.GET('/api/v1/projects/{id}/members', { params: { path: { id } }, signal })).user_ids,
  });

/** Who can read the project and through which role (needs `users.read`). */
export const accessQuery = (id: string) =>
  queryOptions({
    queryKey: pkeys.access(id),
    staleTime: 0,
    queryFn: async ({ signal }) => unwrap(await api.GET('/api/v1/projects/{id}/access', { params: { path: { id } }, signal })),
  });

/** Every file of the project (pages of 200 followed to the end). */
export const filesQuery = (id: string) =>
  queryOptions({
    queryKey: pkeys.files(id),
    staleTime: 0,
    queryFn: async ({ signal }) => {
      const all: FileOut[] = [];
      let cursor: string | null = null;
      do {
        const page: components['schemas']['Page_FileOut'] = unwrap(
          await api.GET('/api/v1/projects/{id}/files', { params: { path: { id }, query: { limit: 200, ...(cursor ? { cursor } : {}) } }, signal }),
        );
        all.push(...page.items);
        cursor = page.next_cursor ?? null;
      } while (cursor);
      return all;
    },
  });

/** Every label (pages of 200 followed to the end), ordered by code. */
export const labelsQuery = queryOptions({
  queryKey: pkeys.labels,
  staleTime: 0,
  queryFn: async ({ signal }) => {
    const all: Label[] = [];
    let cursor: string | null = null;
    do {
      const page: components['schemas']['Page_LabelOut'] = unwrap(await api.GET('/api/v1/labels', { params: { query: { limit: 200, ...(cursor ? { cursor } : {}) } }, signal }));
      all.push(...page.items);
      cursor = page.next_cursor ?? null;
    } while (cursor);
    return all;
  },
});

export const usersSearchQuery = (q: string) =>
  queryOptions({
    queryKey: pkeys.users(q),
    queryFn: async ({ signal }) => unwrap(await api.GET('/api/v1/users', { params: { query: { limit: 100, ...(q ? { q } : {}) } }, signal })).items,
  });

/** Whether the signed-in user holds `permission` (false until /me is known). */
export function usePermissions() {
  const me = useQuery(meQuery);
  const perms = me.data?.permissions ?? [];
  return { can: (p: Permission) => perms.includes(p), me: me.data ?? null };
}

/** "1.5 MB", in the user's locale. */
export function formatBytes(n: number, lang: string): string {
  const units = ['B', 'KB', 'MB', 'GB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${new Intl.NumberFormat(lang, { maximumFractionDigits: u === 0 ? 0 : 1 }).format(v)} ${units[u]}`;
}
