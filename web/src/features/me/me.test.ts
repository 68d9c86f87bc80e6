import { describe, expect, it } from 'vitest';
import {
  EMPTY_FILTERS,
  filtersFromParams,
  hasFilters,
  isoToLocalInput,
  localInputToIso,
  logQuery,
  paramsFromFilters,
  validEvent,
} from './logFilters';
import { maskPhone } from './phone';
import { summarizeUserAgent } from './userAgent';

describe('maskPhone', () => {
  it('groups Japanese numbers and hides the middle', () => {
    expect(maskPhone('+819012345678')).toBe('+81 90-****-5678');
    expect(maskPhone('+818098765432')).toBe('+81 80-****-5432');
    expect(maskPhone('+81312345678')).toBe('+81 3-****-5678');
    expect(maskPhone('+81 90 1234 5678')).toBe('+81 90-****-5678');
    expect(maskPhone('09012345678')).toBe('+81 90-****-5678');
  });

  it('keeps only the country code and the last four elsewhere', () => {
    expect(maskPhone('+14155550123')).toBe('+1 ***-***-0123');
    expect(maskPhone('+447911123456')).toBe('+44 ******3456');
  });

  it('never shows a short number whole', () => {
    expect(maskPhone('12345')).toBe('***45');
    expect(maskPhone('+819012345678')).not.toContain('1234');
  });
});

describe('summarizeUserAgent', () => {
  const s = (ua: string | null) => summarizeUserAgent(ua);
  it('names the browser and the system', () => {
    expect(s('Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36')).toEqual({ browser: 'Chrome', os: 'Linux' });
    expect(s('Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/139.0.0.0 Safari/537.36')).toEqual({ browser: 'Chrome', os: 'Linux' });
    expect(s('Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0')).toEqual({ browser: 'Edge', os: 'Windows' });
    expect(s('Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15')).toEqual({ browser: 'Safari', os: 'macOS' });
    expect(s('Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1')).toEqual({ browser: 'Safari', os: 'iOS' });
    expect(s('Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/126.0 Mobile/15E148 Safari/604.1')).toEqual({ browser: 'Chrome', os: 'iOS' });
    expect(s('Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36')).toEqual({ browser: 'Chrome', os: 'Android' });
    expect(s('Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0')).toEqual({ browser: 'Firefox', os: 'Linux' });
    expect(s('Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 OPR/111.0.0.0')).toEqual({ browser: 'Opera', os: 'Windows' });
  });

  it('names API clients and unknown products', () => {
    expect(s('curl/8.5.0')).toEqual({ browser: 'curl', os: null });
    expect(s('python-requests/2.32.3')).toEqual({ browser: 'Python', os: null });
    expect(s('MyUploader/1.2')).toEqual({ browser: 'MyUploader', os: null });
    expect(s(null)).toEqual({ browser: null, os: null });
    expect(s('   ')).toEqual({ browser: null, os: null });
    expect(s('???')).toEqual({ browser: null, os: null });
  });
});

describe('access-log filters in the URL', () => {
  it('round-trips through the search params, keeping other params', () => {
    const f = { event: 'auth.', from: '2026-05-01T01:00:00.000Z', to: '' };
    const p = paramsFromFilters(f, new URLSearchParams('tab=x&to=old'));
    expect(p.toString()).toBe('tab=x&event=auth.&from=2026-05-01T01%3A00%3A00.000Z');
    expect(filtersFromParams(p)).toEqual(f);
    expect(filtersFromParams(new URLSearchParams())).toEqual(EMPTY_FILTERS);
  });

  it('drops malformed values instead of sending them', () => {
    expect(filtersFromParams(new URLSearchParams('event=AUTH LOGIN&from=yesterday&to=2026-13-01T00:00:00Z'))).toEqual(EMPTY_FILTERS);
    expect(filtersFromParams(new URLSearchParams('from=2026-05-01T10:00:00%2B09:00')).from).toBe('2026-05-01T01:00:00.000Z');
  });

  it('accepts event names and prefixes ending in a dot', () => {
    expect(validEvent('auth.login.failed')).toBe(true);
    expect(validEvent('auth.')).toBe(true);
    expect(validEvent('http.request')).toBe(true);
    expect(validEvent('')).toBe(true);
    expect(validEvent('.auth')).toBe(false);
    expect(validEvent('auth..x')).toBe(false);
    expect(validEvent('a'.repeat(65))).toBe(false);
  });

  it('sends only what is set', () => {
    expect(logQuery(EMPTY_FILTERS)).toEqual({});
    expect(logQuery({ event: 'auth.', from: '', to: '2026-01-01T00:00:00.000Z' })).toEqual({ event: 'auth.', to: '2026-01-01T00:00:00.000Z' });
    expect(hasFilters(EMPTY_FILTERS)).toBe(false);
    expect(hasFilters({ ...EMPTY_FILTERS, to: 'x' })).toBe(true);
  });

  it('reads the form’s local times in the user’s zone', () => {
    expect(localInputToIso('2026-05-01T10:00', 'Asia/Tokyo')).toBe('2026-05-01T01:00:00.000Z');
    expect(isoToLocalInput('2026-05-01T01:00:00.000Z', 'Asia/Tokyo')).toBe('2026-05-01T10:00');
    // Daylight saving: London is UTC+1 in July, UTC+0 in January.
    expect(localInputToIso('2026-07-01T10:00', 'Europe/London')).toBe('2026-07-01T09:00:00.000Z');
    expect(localInputToIso('2026-01-01T10:00', 'Europe/London')).toBe('2026-01-01T10:00:00.000Z');
    expect(isoToLocalInput('2026-07-01T09:00:00Z', 'Europe/London')).toBe('2026-07-01T10:00');
    expect(localInputToIso('', 'Asia/Tokyo')).toBe('');
    expect(localInputToIso('2026-05-01', 'Asia/Tokyo')).toBe('');
    expect(isoToLocalInput('', 'Asia/Tokyo')).toBe('');
  });
});

describe('toE164', () => {
  it('writes Japanese numbers as typed in E.164 and leaves the rest to the server', async () => {
    const { toE164 } = await import('./PhoneChange');
    expect(toE164('090-1234-5678')).toBe('+819012345678');
    expect(toE164('+81 90 1234 5678')).toBe('+819012345678');
    expect(toE164('03-1234-5678')).toBe('+81312345678');
    expect(toE164('+1 (415) 555-0100')).toBe('+14155550100');
    expect(toE164('not a number')).toBe('notanumber');
  });
});
