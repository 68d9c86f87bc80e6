// Tenant termination (ISO/IEC 27017 CLD.8.1.5): the tenant administrator's
// request (current password and the organisation's slug, then a code texted
// to their phone), its withdrawal, and the operator's deletion of a tenant,
// which answers with the deletion certificate kept in the platform audit.
import { queryOptions } from '@tanstack/react-query';
import type { Client } from 'openapi-fetch';
import { unwrap } from '../../api/errors';
import type { components, paths } from '../../api/schema';
import { api, opsApi } from '../../auth';

// TEMPORARY: the termination API is not in schema.d.ts yet. Remove this block
// (and use `api`/`opsApi` and the generated schemas directly) once
// `npm run gen:api` brings the paths in.
export interface TerminationOut {
  status: 'none' | 'requested';
  requested_at: string | null;
  requested_by_email: string | null;
  deletion_due_at: string | null;
  grace_days: number;
  slug: string;
}
export interface TerminationChallengeOut {
  challenge_token: string;
  phone_masked: string;
  code_expires_in: number;
}
export interface DeletionCertificateOut {
  tenant_id: string;
  slug: string;
  requested_at: string | null;
  completed_at: string;
  operator_email: string | null;
  rows_removed: number;
  objects_removed: number;
  last_checkpoint_sha256: string | null;
}
type Json<T> = { headers: Record<string, unknown>; content: { 'application/json': T } };
type NoParams = { query?: never; header?: never; path?: never; cookie?: never };
type IdParams = { query?: never; header?: never; path: { id: string }; cookie?: never };
type Body<T> = { content: { 'application/json': T } };
interface TerminationPaths {
  '/api/v1/termination': {
    parameters: NoParams;
    get: { parameters: NoParams; requestBody?: never; responses: { 200: Json<TerminationOut> } };
    post: { parameters: NoParams; requestBody: Body<{ challenge_token: string; code: string }>; responses: { 202: Json<TerminationOut>; 401: Json<unknown> } };
    delete: { parameters: NoParams; requestBody?: never; responses: { 200: Json<TerminationOut>; 409: Json<unknown> } };
  };
  '/api/v1/termination/challenge': {
    parameters: NoParams;
    post: { parameters: NoParams; requestBody: Body<{ current_password: string; confirm_slug: string }>; responses: { 202: Json<TerminationChallengeOut>; 422: Json<unknown> } };
  };
}
interface OpsTerminationPaths {
  '/api/v1/ops/tenants/{id}': {
    parameters: NoParams;
    delete: { parameters: IdParams; requestBody?: never; responses: { 200: Json<DeletionCertificateOut>; 404: Json<unknown> } };
  };
}
const terminationApi = api as unknown as Client<paths & TerminationPaths>;
const opsTerminationApi = opsApi as unknown as Client<paths & OpsTerminationPaths>;
/** The tenant as the operator console lists it, with its termination request. */
export type TenantWithTermination = components['schemas']['TenantOut'] & {
  termination_requested_at?: string | null;
  termination_due_at?: string | null;
};
// END TEMPORARY

export const tkeys = {
  termination: ['termination'] as const,
};

export const terminationQuery = queryOptions({
  queryKey: tkeys.termination,
  staleTime: 0,
  queryFn: async ({ signal }) => unwrap(await terminationApi.GET('/api/v1/termination', { signal })),
});

/** Step one: checks the password and the typed slug, texts a code. */
export async function requestChallenge(body: { current_password: string; confirm_slug: string }): Promise<TerminationChallengeOut> {
  return unwrap(await terminationApi.POST('/api/v1/termination/challenge', { body }));
}

/** Step two: the texted code makes the request. */
export async function requestTermination(body: { challenge_token: string; code: string }): Promise<TerminationOut> {
  return unwrap(await terminationApi.POST('/api/v1/termination', { body }));
}

export async function withdrawTermination(): Promise<TerminationOut> {
  return unwrap(await terminationApi.DELETE('/api/v1/termination', {}));
}

/** Deletes the tenant and everything about it (idempotent: run it again after an interruption). */
export async function deleteTenant(id: string): Promise<DeletionCertificateOut> {
  return unwrap(await opsTerminationApi.DELETE('/api/v1/ops/tenants/{id}', { params: { path: { id } } }));
}

export function terminationRequested(tenant: TenantWithTermination): boolean {
  return Boolean(tenant.termination_requested_at);
}

/** When the deletion would fall if the request were made now (the server fixes the real date). */
export function dueIfRequestedNow(graceDays: number, now: number = Date.now()): string {
  return new Date(now + graceDays * 86_400_000).toISOString();
}
