// The shell's navigation. An item with `permission` shows only to users who
// hold it, or any of them when it lists several (GET /me `permissions`).
// Add an item here when its page exists.
import type { Permission } from './api/queries';
import { ADMIN_PERMISSIONS } from './features/admin/sections';

export interface NavItem {
  to: string;
  /** Catalogue key of the label. */
  label: 'nav.notices' | 'nav.me' | 'nav.projects' | 'nav.labels' | 'admin.nav';
  permission?: Permission | readonly Permission[];
  /** Shows the unread-notices count beside the label. */
  badge?: 'unread-notices';
}

export const NAV: NavItem[] = [
  { to: '/projects', label: 'nav.projects', permission: 'projects.read' },
  { to: '/labels', label: 'nav.labels', permission: 'labels.read' },
  { to: '/notices', label: 'nav.notices', badge: 'unread-notices' },
  { to: '/admin', label: 'admin.nav', permission: ADMIN_PERMISSIONS },
  { to: '/me', label: 'nav.me' },
];

export function visibleNav(permissions: readonly Permission[], items: NavItem[] = NAV): NavItem[] {
  return items.filter((i) => {
    if (!i.permission) return true;
    const needed: readonly Permission[] = typeof i.permission === 'string' ? [i.permission] : i.permission;
    return needed.some((p) => permissions.includes(p));
  });
}
