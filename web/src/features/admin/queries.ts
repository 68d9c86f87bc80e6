// Users, roles and the permission catalogue for the administration pages: one
// key and one fetcher each, so pages share the cache and mutations invalidate
// by key.
import { infiniteQueryOptions, queryOptions } from '@tanstack/react-query';
import { unwrap } from '../../api/errors';
import type { components } from '../../api/schema';
import { api } from '../../auth';
import { toUsersQuery, type UserFilters } from './userFilters';

export type User = components['schemas']['UserOut'];
export type UserStatus = components['schemas']['UserStatus'];
export type Role = components['schemas']['RoleOut'];
export type RoleIn = components['schemas']['RoleIn'];
export type Scope = components['schemas']['ScopeIn'];
export type ScopeKind = components['schemas']['ScopeKind'];
export type PermissionInfo = components['schemas']['PermissionOut'];

export const akeys = {
  users: ['users'] as const,
  userList: (f: UserFilters) => ['users', 'list', f] as const,
  user: (id: string) => ['users', 'one', id] as const,
  holders: (roleId: string) => ['users', 'holders', roleId] as const,
  roles: ['roles'] as const,
  permissions: ['permissions'] as const,
};

export const usersQuery = (f: UserFilters) =>
  infiniteQueryOptions({
    queryKey: akeys.userList(f),
    staleTime: 0,
    initialPageParam: null as string | null,
    queryFn: async ({ pageParam, signal }) => unwrap(await api.GET('/api/v1/users', { params: { query: toUsersQuery(f, pageParam) }, signal })),
    getNextPageParam: (page) => page.next_cursor ?? null,
  });

/** Who holds a role (GET /users?role_id=), a page at a time. */
export const holdersQuery = (roleId: string) =>
  infiniteQueryOptions({
    queryKey: akeys.holders(roleId),
    staleTime: 0,
    initialPageParam: null as string | null,
    queryFn: async ({ pageParam, signal }) =>
      unwrap(await api.GET('/api/v1/users', { params: { query: { role_id: roleId, limit: 50, ...(pageParam ? { cursor: pageParam } : {}) } }, signal })),
    getNextPageParam: (page) => page.next_cursor ?? null,
  });

export const userQuery = (id: string) =>
  queryOptions({
    queryKey: akeys.user(id),
    staleTime: 0,
    queryFn: async ({ signal }) => unwrap(await api.GET('/api/v1/users/{id}', { params: { path: { id } }, signal })),
  });

/** Every role, built-in first. */
export const rolesQuery = queryOptions({
  queryKey: akeys.roles,
  staleTime: 0,
  queryFn: async ({ signal }) => unwrap(await api.GET('/api/v1/roles', { signal })).items,
});

export const permissionsQuery = queryOptions({
  queryKey: akeys.permissions,
  staleTime: Infinity, // the catalogue changes only with the server
  queryFn: async ({ signal }) => unwrap(await api.GET('/api/v1/permissions', { signal })),
});
