// Dates and times as the user reads them: in their time zone (default
// Asia/Tokyo), to the minute, with the zone named — "2026/12/02 14:00 (JST)".
import type { Lang } from './prefs';

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, options);
    formatters.set(key, f);
  }
  return f;
}

/** The zone's short name at `date`: "JST" rather than "GMT+9" when a locale knows one. */
export function zoneName(date: Date, timeZone: string): string {
  let fallback = '';
  for (const locale of ['en-US', 'ja-JP']) {
    const name = formatter(locale, { timeZone, timeZoneName: 'short' })
      .formatToParts(date)
      .find((p) => p.type === 'timeZoneName')?.value;
    if (name && !/^(GMT|UTC)/.test(name)) return name;
    fallback ||= name ?? '';
  }
  return fallback || timeZone;
}

function parts(date: Date, lang: Lang, timeZone: string) {
  const all = formatter(lang === 'ja' ? 'ja-JP' : 'en-GB', {
    timeZone,
    year: 'numeric',
    month: lang === 'ja' ? '2-digit' : 'short',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(date);
  const get = (type: Intl.DateTimeFormatPartTypes) => all.find((p) => p.type === type)?.value ?? '';
  return { year: get('year'), month: get('month'), day: get('day'), hour: get('hour'), minute: get('minute') };
}

/** "2026/12/02 14:00 (JST)" in Japanese, "02 Dec 2026 14:00 (JST)" in English. */
export function formatDateTime(iso: string, lang: Lang, timeZone: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const p = parts(date, lang, timeZone);
  const day = lang === 'ja' ? `${p.year}/${p.month}/${p.day}` : `${p.day} ${p.month} ${p.year}`;
  return `${day} ${p.hour}:${p.minute} (${zoneName(date, timeZone)})`;
}

/** A window "start – end"; the end without its date when both fall on the same day. */
export function formatRange(startIso: string, endIso: string, lang: Lang, timeZone: string): string {
  const start = new Date(startIso);
  const end = new Date(endIso);
  const a = parts(start, lang, timeZone);
  const b = parts(end, lang, timeZone);
  const sameDay = a.year === b.year && a.month === b.month && a.day === b.day;
  const endText = sameDay
    ? `${b.hour}:${b.minute} (${zoneName(end, timeZone)})`
    : formatDateTime(endIso, lang, timeZone);
  return `${formatDateTime(startIso, lang, timeZone).replace(/ \([^)]*\)$/, '')} – ${endText}`;
}
