import { describe, expect, it } from 'vitest';
import type { Notice } from '../api/queries';
import { bannerLead, bannerNotices, unreadCount } from './banners';
import { unreadFirst } from './notices';

const NOW = Date.parse('2026-12-01T00:00:00Z');
const base: Notice = {
  id: '01',
  kind: 'maintenance',
  severity: 'warning',
  title: { ja: '定期メンテナンス' },
  body: { ja: '本文' },
  emergency: false,
  status: 'scheduled',
  published_at: '2026-11-25T00:00:00Z',
  updated_at: '2026-11-25T00:00:00Z',
  updates: [],
  starts_at: '2026-12-02T15:00:00Z',
  ends_at: '2026-12-02T17:30:00Z',
  read: false,
};

describe('notices', () => {
  it('puts unread notices first and keeps the order within each group', () => {
    const a = { ...base, id: 'a', read: true };
    const b = { ...base, id: 'b', read: false };
    const c = { ...base, id: 'c', read: false };
    expect(unreadFirst([a, b, c]).map((n) => n.id)).toEqual(['b', 'c', 'a']);
    expect(unreadCount([a, b, c])).toBe(2);
  });

  it('bans maintenance within 7 days or in progress, and open incidents', () => {
    const soon = { ...base, id: 'soon' };
    const later = { ...base, id: 'later', starts_at: '2026-12-20T00:00:00Z', ends_at: '2026-12-20T02:00:00Z' };
    const now = { ...base, id: 'now', status: 'in_progress' as const };
    const done = { ...base, id: 'done', status: 'completed' as const };
    const incident = { ...base, id: 'inc', kind: 'incident' as const, status: 'investigating' as const, starts_at: null, ends_at: null };
    const resolved = { ...incident, id: 'res', status: 'resolved' as const };
    const release = { ...base, id: 'rel', kind: 'release' as const, status: 'published' as const, starts_at: null, ends_at: null };
    expect(bannerNotices([soon, later, now, done, incident, resolved, release], NOW).map((n) => n.id)).toEqual(['soon', 'now', 'inc']);
  });

  it('bans a release in the week before its change takes effect, not before nor after', () => {
    const release = { ...base, kind: 'release' as const, status: 'published' as const, ends_at: null };
    const inThreeDays = { ...release, id: 'soon', starts_at: '2026-12-04T00:00:00Z' };
    const inTenDays = { ...release, id: 'later', starts_at: '2026-12-11T00:00:00Z' };
    const taken = { ...release, id: 'past', starts_at: '2026-11-30T00:00:00Z' };
    const withdrawn = { ...inThreeDays, id: 'gone', status: 'cancelled' as const };
    expect(bannerNotices([inThreeDays, inTenDays, taken, withdrawn], NOW).map((n) => n.id)).toEqual(['soon']);
    expect(bannerLead(inThreeDays)).toEqual({ lead: 'changeSoon', tone: 'banner-warning' });
  });
});
