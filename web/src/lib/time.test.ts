import { describe, expect, it } from 'vitest';
import { formatDateTime, formatRange, zoneName } from './time';

describe('dates and times', () => {
  it('shows Tokyo time with the zone named', () => {
    expect(formatDateTime('2026-12-02T05:00:00Z', 'ja', 'Asia/Tokyo')).toBe('2026/12/02 14:00 (JST)');
    expect(formatDateTime('2026-12-02T15:00:00Z', 'en', 'Asia/Tokyo')).toBe('03 Dec 2026 00:00 (JST)');
  });

  it('follows the user’s time zone, daylight saving included', () => {
    expect(formatDateTime('2026-07-01T12:00:00Z', 'en', 'Europe/London')).toBe('01 Jul 2026 13:00 (GMT+1)');
    expect(formatDateTime('2026-01-01T12:00:00Z', 'en', 'America/New_York')).toBe('01 Jan 2026 07:00 (EST)');
    expect(zoneName(new Date('2026-01-01T00:00:00Z'), 'UTC')).toBe('UTC');
  });

  it('shortens a window within one day', () => {
    expect(formatRange('2030-01-09T16:00:00Z', '2030-01-09T18:00:00Z', 'ja', 'Asia/Tokyo')).toBe('2030/01/10 01:00 – 03:00 (JST)');
    expect(formatRange('2030-01-09T14:00:00Z', '2030-01-09T16:00:00Z', 'ja', 'Asia/Tokyo')).toBe('2030/01/09 23:00 – 2030/01/10 01:00 (JST)');
  });
});
