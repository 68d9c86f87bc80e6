// The shell's navigation. An item with `permission` shows only to users who
// hold it (GET /me `permissions`). Add an item here when its page exists.
import type { Permission } from './api/queries';

export interface NavItem {
  to: string;
  /** Catalogue key of the label. */
  label: 'nav.notices' | 'nav.me' | 'nav.projects' | 'nav.labels';
  permission?: Permission;
  /** Shows the unread-notices count beside the label. */
  badge?: 'unread-notices';
}

export const NAV: NavItem[] = [
  { to: '/projects', label: 'nav.projects', permission: 'projects.read' },
  { to: '/labels', label: 'nav.labels', permission: 'labels.read' },
  { to: '/notices', label: 'nav.notices', badge: 'unread-notices' },
  { to: '/me', label: 'nav.me' },
];

export function visibleNav(permissions: readonly Permission[], items: NavItem[] = NAV): NavItem[] {
  return items.filter((i) => !i.permission || permissions.includes(i.permission));
}
