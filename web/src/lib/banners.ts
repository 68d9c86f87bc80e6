import type { Notice } from '../api/queries';

const WEEK_MS = 7 * 24 * 3600 * 1000;

/** Notices the shell puts in a banner: maintenance in progress or starting
 * within 7 days, releases taking effect within 7 days, and incidents not yet
 * resolved. */
export function bannerNotices(notices: Notice[], now: number = Date.now()): Notice[] {
  return notices.filter((n) => {
    if (n.kind === 'maintenance') {
      if (n.status === 'in_progress') return true;
      if (n.status !== 'scheduled' || !n.starts_at) return false;
      const start = Date.parse(n.starts_at);
      return start - now <= WEEK_MS;
    }
    if (n.kind === 'release') {
      if (n.status !== 'published' || !n.starts_at) return false;
      const effective = Date.parse(n.starts_at);
      return effective > now && effective - now <= WEEK_MS;
    }
    return n.kind === 'incident' && n.status !== 'resolved';
  });
}

/** Catalogue keys under `banner.`. */
export type BannerLead = 'incident' | 'maintenanceNow' | 'maintenanceSoon' | 'changeSoon';

/** What a banner says first, and its tone (critical for what is happening now). */
export function bannerLead(n: Notice): { lead: BannerLead; tone: 'banner-critical' | 'banner-warning' } {
  if (n.kind === 'incident') return { lead: 'incident', tone: 'banner-critical' };
  if (n.kind === 'release') return { lead: 'changeSoon', tone: 'banner-warning' };
  return n.status === 'in_progress' ? { lead: 'maintenanceNow', tone: 'banner-critical' } : { lead: 'maintenanceSoon', tone: 'banner-warning' };
}

export function unreadCount(notices: Notice[]): number {
  return notices.filter((n) => n.read === false).length;
}
