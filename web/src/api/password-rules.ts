// The password rules for the live checklist: the tenant's while a change is
// pending (GET /me/password-rules), the platform defaults for sign-up
// (GET /signup/password-rules).
import { queryOptions } from '@tanstack/react-query';
import { api } from '../auth';
import type { PasswordRules } from '../components/PasswordChecklist';
import { publicApi } from './client';
import { unwrap } from './errors';

// Until openapi.yaml lists these two operations the paths are typed loosely here.
type Loose = { GET: (path: string, init?: { signal?: AbortSignal }) => Promise<{ data?: unknown; error?: unknown; response: Response }> };

export const myPasswordRulesQuery = queryOptions({
  queryKey: ['me', 'password-rules'],
  queryFn: async ({ signal }) =>
    unwrap(await (api as unknown as Loose).GET('/api/v1/me/password-rules', { signal })) as PasswordRules,
  staleTime: Infinity,
});

export const signupPasswordRulesQuery = queryOptions({
  queryKey: ['signup', 'password-rules'],
  queryFn: async ({ signal }) =>
    unwrap(await (publicApi as unknown as Loose).GET('/api/v1/signup/password-rules', { signal })) as PasswordRules,
  staleTime: Infinity,
});
