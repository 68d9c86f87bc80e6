import { describe, expect, it } from 'vitest';
import type { Notice } from './api/client';
import { tokyoTime, unreadFirst, windowText } from './notices';

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
  it('shows times in Tokyo time', () => {
    expect(tokyoTime('2026-12-02T15:00:00Z')).toBe('2026-12-03 00:00 JST');
  });

  it('shows the maintenance window, and none for other kinds', () => {
    expect(windowText(base)).toBe('2026-12-03 00:00 JST 〜 2026-12-03 02:30 JST');
    expect(windowText({ ...base, kind: 'incident', starts_at: null, ends_at: null })).toBeNull();
  });

  it('puts unread notices first and keeps the order within each group', () => {
    const a = { ...base, id: 'a', read: true };
    const b = { ...base, id: 'b', read: false };
    const c = { ...base, id: 'c', read: false };
    expect(unreadFirst([a, b, c]).map((n) => n.id)).toEqual(['b', 'c', 'a']);
  });
});
