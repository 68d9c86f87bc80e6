// User preferences kept in localStorage: the language and the time zone.
// Preferences only — never a token or anything secret.

export type Lang = 'ja' | 'en';
export const LANGS: readonly Lang[] = ['ja', 'en'];
export const DEFAULT_TIME_ZONE = 'Asia/Tokyo';

const LANG_KEY = 'crepo.lang';
const ZONE_KEY = 'crepo.timeZone';

function read(key: string): string | null {
  try {
    return globalThis.localStorage?.getItem(key) ?? null;
  } catch {
    return null; // storage disabled: fall back to the defaults
  }
}

function write(key: string, value: string): void {
  try {
    globalThis.localStorage?.setItem(key, value);
  } catch {
    // storage disabled: the choice lasts for this page only
  }
}

export function storedLang(): Lang {
  const v = read(LANG_KEY);
  return v === 'en' || v === 'ja' ? v : 'ja';
}

export function storeLang(lang: Lang): void {
  write(LANG_KEY, lang);
}

function validZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export function storedTimeZone(): string {
  const v = read(ZONE_KEY);
  return v && validZone(v) ? v : DEFAULT_TIME_ZONE;
}

export function storeTimeZone(zone: string): void {
  if (validZone(zone)) write(ZONE_KEY, zone);
}
