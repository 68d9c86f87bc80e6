// The access-log filters as URL search params (so a filtered view can be
// bookmarked, shared and restored with Back): `event`, `from`, `to`. Times in
// the URL are RFC 3339 in UTC; the form shows them in the user's zone.

export interface LogFilters {
  /** An event name (`auth.login.failed`) or a prefix ending in '.' (`auth.`). */
  event: string;
  /** RFC 3339 (UTC), inclusive; '' for none. */
  from: string;
  /** RFC 3339 (UTC), exclusive; '' for none. */
  to: string;
}

export const EMPTY_FILTERS: LogFilters = { event: '', from: '', to: '' };

/** The events a user meets in their own log, for the event picker. */
export const COMMON_EVENTS = [
  'auth.',
  'auth.login.',
  'auth.login.succeeded',
  'auth.login.failed',
  'auth.code.',
  'auth.password.',
  'auth.password.changed',
  'auth.session.ended',
  'auth.logout',
  'http.request',
] as const;

const EVENT = /^[a-z0-9_]+(?:\.[a-z0-9_]+)*\.?$/;

export function validEvent(event: string): boolean {
  return event === '' || (event.length <= 64 && EVENT.test(event));
}

function validInstant(v: string): boolean {
  return /^\d{4}-\d{2}-\d{2}T/.test(v) && !Number.isNaN(Date.parse(v));
}

/** The filters in the URL; anything malformed is ignored, not sent. */
export function filtersFromParams(params: URLSearchParams): LogFilters {
  const event = (params.get('event') ?? '').trim();
  const from = params.get('from') ?? '';
  const to = params.get('to') ?? '';
  return {
    event: validEvent(event) ? event : '',
    from: validInstant(from) ? new Date(from).toISOString() : '',
    to: validInstant(to) ? new Date(to).toISOString() : '',
  };
}

/** The URL params for `filters`, keeping unrelated params of `base`. */
export function paramsFromFilters(filters: LogFilters, base: URLSearchParams = new URLSearchParams()): URLSearchParams {
  const next = new URLSearchParams(base);
  for (const key of ['event', 'from', 'to'] as const) {
    const value = filters[key].trim();
    if (value) next.set(key, value);
    else next.delete(key);
  }
  return next;
}

/** The query for GET /me/access-logs: only the filters that are set. */
export function logQuery(filters: LogFilters): { event?: string; from?: string; to?: string } {
  return {
    ...(filters.event ? { event: filters.event } : {}),
    ...(filters.from ? { from: filters.from } : {}),
    ...(filters.to ? { to: filters.to } : {}),
  };
}

export function hasFilters(f: LogFilters): boolean {
  return Boolean(f.event || f.from || f.to);
}

// -- datetime-local <-> instants in a time zone ----------------------------------

function zoneOffsetMs(utcMs: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(utcMs));
  const n = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second'));
  return asUtc - Math.floor(utcMs / 1000) * 1000;
}

/** "2026-05-01T10:00" read in `timeZone` → "2026-05-01T01:00:00.000Z"; '' when empty or malformed. */
export function localInputToIso(local: string, timeZone: string): string {
  const m = local.match(/^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/);
  if (!m) return '';
  const wall = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5]);
  // The offset at the guessed instant, then again at the corrected one (DST edges).
  let utc = wall - zoneOffsetMs(wall, timeZone);
  utc = wall - zoneOffsetMs(utc, timeZone);
  return new Date(utc).toISOString();
}

/** An instant → "2026-05-01T10:00" in `timeZone`, for <input type="datetime-local">. */
export function isoToLocalInput(iso: string, timeZone: string): string {
  const ms = Date.parse(iso);
  if (!iso || Number.isNaN(ms)) return '';
  const local = new Date(ms + zoneOffsetMs(ms, timeZone));
  return local.toISOString().slice(0, 16);
}
