// Small role helpers shared by the users and roles pages.
import type { TFunction } from 'i18next';
import type { Permission } from '../../api/queries';
import type { PermissionInfo, Role } from './queries';

const BUILTIN = ['admin', 'editor', 'viewer'] as const;

/** A role's name for people: built-in roles in the user's language. */
export function roleName(role: { name: string; builtin?: boolean }, t: TFunction): string {
  if (role.builtin !== false && (BUILTIN as readonly string[]).includes(role.name)) {
    return t(`roles.builtinName.${role.name as (typeof BUILTIN)[number]}`);
  }
  return role.name;
}

/** Whether holding these permissions needs an SMS code at sign-in. */
export function isPrivileged(permissions: readonly Permission[], catalogue: readonly PermissionInfo[]): boolean {
  return catalogue.some((c) => c.privileged && permissions.includes(c.name));
}

/** The chosen roles make the user need a phone (an SMS code at sign-in). */
export function needsPhone(roleIds: readonly string[], roles: readonly Role[], catalogue: readonly PermissionInfo[]): boolean {
  return roles.some((r) => roleIds.includes(r.id) && isPrivileged(r.permissions, catalogue));
}

/** The permission catalogue grouped by area (the part before the dot), in catalogue order. */
export function groupByArea(catalogue: readonly PermissionInfo[]): [string, PermissionInfo[]][] {
  const groups = new Map<string, PermissionInfo[]>();
  for (const p of catalogue) {
    const area = p.name.split('.')[0];
    groups.set(area, [...(groups.get(area) ?? []), p]);
  }
  return [...groups];
}
