// The password rules for the live checklist: the tenant's while a change is
// pending (GET /me/password-rules), the platform defaults for sign-up
// (GET /signup/password-rules). And the terms of use a sign-up accepts
// (GET /signup/terms).
import { queryOptions } from '@tanstack/react-query';
import { api } from '../auth';
import { publicApi } from './client';
import { unwrap } from './errors';

export const myPasswordRulesQuery = queryOptions({
  queryKey: ['me', 'password-rules'],
  queryFn: async ({ signal }) => unwrap(await api.GET('/api/v1/me/password-rules', { signal })),
  staleTime: Infinity,
});

export const signupPasswordRulesQuery = queryOptions({
  queryKey: ['signup', 'password-rules'],
  queryFn: async ({ signal }) => unwrap(await publicApi.GET('/api/v1/signup/password-rules', { signal })),
  staleTime: Infinity,
});

export const signupTermsQuery = queryOptions({
  queryKey: ['signup', 'terms'],
  queryFn: async ({ signal }) => unwrap(await publicApi.GET('/api/v1/signup/terms', { signal })),
});
