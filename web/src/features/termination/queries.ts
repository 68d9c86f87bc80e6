// Tenant termination (ISO/IEC 27017 CLD.8.1.5): the tenant administrator's
// request (current password and the organisation's slug, then a code texted
// to their phone), its withdrawal, and the operator's deletion of a tenant,
// which answers with the deletion certificate kept in the platform audit.
import { queryOptions } from '@tanstack/react-query';
import { unwrap } from '../../api/errors';
import type { components } from '../../api/schema';
import { api, opsApi } from '../../auth';

export type TerminationOut = components['schemas']['TerminationOut'];
export type TerminationChallengeOut = components['schemas']['TerminationChallengeOut'];
export type DeletionCertificateOut = components['schemas']['DeletionCertificateOut'];
type Tenant = components['schemas']['TenantOut'];

export const tkeys = {
  termination: ['termination'] as const,
};

export const terminationQuery = queryOptions({
  queryKey: tkeys.termination,
  staleTime: 0,
  queryFn: async ({ signal }) => unwrap(await api.GET('/api/v1/termination', { signal })),
});

/** Step one: checks the password and the typed slug, texts a code. */
export async function requestChallenge(body: { current_password: string; confirm_slug: string }): Promise<TerminationChallengeOut> {
  return unwrap(await api.POST('/api/v1/termination/challenge', { body }));
}

/** Step two: the texted code makes the request. */
export async function requestTermination(body: { challenge_token: string; code: string }): Promise<TerminationOut> {
  return unwrap(await api.POST('/api/v1/termination', { body }));
}

export async function withdrawTermination(): Promise<TerminationOut> {
  return unwrap(await api.DELETE('/api/v1/termination', {}));
}

/** Deletes the tenant and everything about it (idempotent: run it again after an interruption). */
export async function deleteTenant(id: string): Promise<DeletionCertificateOut> {
  return unwrap(await opsApi.DELETE('/api/v1/ops/tenants/{id}', { params: { path: { id } } }));
}

export function terminationRequested(tenant: Pick<Tenant, 'termination_requested_at'>): boolean {
  return Boolean(tenant.termination_requested_at);
}

/** When the deletion would fall if the request were made now (the server fixes the real date). */
export function dueIfRequestedNow(graceDays: number, now: number = Date.now()): string {
  return new Date(now + graceDays * 86_400_000).toISOString();
}
