import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { storedTimeZone, type Lang } from './prefs';
import { formatDateTime, formatRange } from './time';

/** Date formatting in the current language and the user's time zone. */
export function useFormat() {
  const { i18n } = useTranslation();
  const lang: Lang = i18n.language === 'en' ? 'en' : 'ja';
  const zone = storedTimeZone();
  return {
    dateTime: useCallback((iso: string) => formatDateTime(iso, lang, zone), [lang, zone]),
    range: useCallback((a: string, b: string) => formatRange(a, b, lang, zone), [lang, zone]),
  };
}
