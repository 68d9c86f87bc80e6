// The tenant's security contacts: people the provider notifies of incidents
// (mail, and SMS when a phone is given) besides the administrators. Edited as
// rows and saved all at once (PUT replaces the list); the checks the API makes,
// done first; the API's field errors (`contacts[1].email`) put on their row.
import { queryOptions } from '@tanstack/react-query';
import { unwrap, type FieldError } from '../../api/errors';
import type { components } from '../../api/schema';
import { api } from '../../auth';

export type SecurityContact = components['schemas']['SecurityContactOut'];
export const MAX_CONTACTS = 10;
export const NAME_MAX = 200;

export type ContactField = 'name' | 'email' | 'phone';
export const CONTACT_FIELDS: readonly ContactField[] = ['name', 'email', 'phone'];

/** A row being edited; `key` tells rows apart while they move. */
export interface ContactRow {
  key: string;
  name: string;
  email: string;
  phone: string;
}

/** Catalogue keys under `securityContacts.issue`. */
export type ContactIssue = 'nameRequired' | 'nameTooLong' | 'emailInvalid' | 'phoneInvalid';

export const securityContactsQuery = queryOptions({
  queryKey: ['admin', 'security-contacts'] as const,
  queryFn: async ({ signal }) => unwrap(await api.GET('/api/v1/settings/security-contacts', { signal })).items,
});

export async function saveSecurityContacts(rows: readonly ContactRow[]): Promise<SecurityContact[]> {
  return unwrap(await api.PUT('/api/v1/settings/security-contacts', { body: { contacts: rows.map(toContactIn) } })).items;
}

let nextKey = 0;
export function newRow(c: Partial<Pick<SecurityContact, 'id' | 'name' | 'email' | 'phone'>> = {}): ContactRow {
  nextKey += 1;
  return { key: c.id ?? `new-${nextKey}`, name: c.name ?? '', email: c.email ?? '', phone: c.phone ?? '' };
}

export function rowsFrom(items: readonly SecurityContact[]): ContactRow[] {
  return items.map((c) => newRow(c));
}

export function toContactIn(r: ContactRow): components['schemas']['SecurityContactIn'] {
  const phone = r.phone.replace(/[\s-]/g, '');
  return { name: r.name.trim(), email: r.email.trim(), phone: phone || null };
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const E164 = /^\+[1-9][0-9]{6,14}$/;

/** What the API would refuse in a row, by field. */
export function rowIssues(r: ContactRow): Partial<Record<ContactField, ContactIssue>> {
  const c = toContactIn(r);
  const issues: Partial<Record<ContactField, ContactIssue>> = {};
  if (!c.name) issues.name = 'nameRequired';
  else if ([...c.name].length > NAME_MAX) issues.name = 'nameTooLong';
  if (!EMAIL.test(c.email) || c.email.length > 254) issues.email = 'emailInvalid';
  if (c.phone && !E164.test(c.phone)) issues.phone = 'phoneInvalid';
  return issues;
}

export function sameRows(a: readonly ContactRow[], b: readonly ContactRow[]): boolean {
  return a.length === b.length && a.every((r, i) => JSON.stringify(toContactIn(r)) === JSON.stringify(toContactIn(b[i])));
}

const FIELD = /^contacts\[(\d+)\]\.(name|email|phone)$/;

/** The API's field errors by row and field; the others (about the list) apart. */
export function errorsByRow(errors: readonly FieldError[]): { rows: Map<number, Partial<Record<ContactField, FieldError[]>>>; list: FieldError[] } {
  const rows = new Map<number, Partial<Record<ContactField, FieldError[]>>>();
  const list: FieldError[] = [];
  for (const e of errors) {
    const m = FIELD.exec(e.field ?? '');
    if (!m) {
      list.push(e);
      continue;
    }
    const row = rows.get(Number(m[1])) ?? {};
    const field = m[2] as ContactField;
    row[field] = [...(row[field] ?? []), e];
    rows.set(Number(m[1]), row);
  }
  return { rows, list };
}
