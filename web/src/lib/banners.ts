import type { Notice } from '../api/queries';

const WEEK_MS = 7 * 24 * 3600 * 1000;

/** Notices the shell puts in a banner: maintenance in progress or starting
 * within 7 days, and incidents not yet resolved. */
export function bannerNotices(notices: Notice[], now: number = Date.now()): Notice[] {
  return notices.filter((n) => {
    if (n.kind === 'maintenance') {
      if (n.status === 'in_progress') return true;
      if (n.status !== 'scheduled' || !n.starts_at) return false;
      const start = Date.parse(n.starts_at);
      return start - now <= WEEK_MS;
    }
    return n.kind === 'incident' && n.status !== 'resolved';
  });
}

export function unreadCount(notices: Notice[]): number {
  return notices.filter((n) => n.read === false).length;
}
