import type { Notice } from '../api/queries';

/** Unread first (newest first within each group, as the API orders by time). */
export function unreadFirst(items: Notice[]): Notice[] {
  return [...items.filter((n) => n.read === false), ...items.filter((n) => n.read !== false)];
}
