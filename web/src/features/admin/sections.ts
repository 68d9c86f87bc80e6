// The administration area's sections (child routes of /admin): one list that
// the side menu, the shell's navigation item and the /admin index all read.
// Add a section here when its page exists; it shows to users holding
// `permission`.
import type { ParseKeys } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { Permission } from '../../api/queries';
import { usePageTitle } from '../../components/Page';

export interface AdminSection {
  to: string;
  /** Catalogue key of the menu label (and the section's title). */
  label: ParseKeys;
  permission: Permission;
}

export const ADMIN_SECTIONS: AdminSection[] = [
  // users.read alone (viewers, editors) is for seeing who is who elsewhere;
  // the page is for those who manage users.
  { to: '/admin/users', label: 'admin.tab.users', permission: 'users.manage' },
  { to: '/admin/roles', label: 'admin.tab.roles', permission: 'roles.manage' },
  { to: '/admin/access-log', label: 'accessLog.title', permission: 'access_logs.read_all' },
  { to: '/admin/settings', label: 'settings.title', permission: 'settings.manage' },
  { to: '/admin/security-contacts', label: 'securityContacts.title', permission: 'settings.manage' },
  { to: '/admin/exports', label: 'exports.title', permission: 'exports.create' },
  // Last: ending the service is the rarest and gravest thing done here.
  { to: '/admin/termination', label: 'termination.title', permission: 'settings.manage' },
];

/** The sections this user may open (by GET /me `permissions`). */
export function visibleSections(permissions: readonly Permission[], sections: AdminSection[] = ADMIN_SECTIONS): AdminSection[] {
  return sections.filter((s) => permissions.includes(s.permission));
}

/** Holding any of these shows "Administration" in the shell's navigation. */
export const ADMIN_PERMISSIONS: Permission[] = ADMIN_SECTIONS.map((s) => s.permission);

/** The document title "<section> | Administration — Crepo". */
export function useAdminTitle(section: string) {
  const { t } = useTranslation();
  usePageTitle(t('admin.pageTitle', { section }));
}
