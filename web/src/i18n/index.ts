// i18next with the two catalogues bundled (they are small): Japanese by
// default, English by the switch, the choice remembered in localStorage.
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { storeLang, storedLang, type Lang } from '../lib/prefs';
import en from './en.json';
import ja from './ja.json';

export const resources = { ja: { translation: ja }, en: { translation: en } } as const;

void i18next.use(initReactI18next).init({
  resources,
  lng: storedLang(),
  fallbackLng: 'ja',
  supportedLngs: ['ja', 'en'],
  interpolation: { escapeValue: false }, // React escapes
  returnNull: false,
  initAsync: false,
});

function applyLang(lang: string) {
  if (typeof document !== 'undefined') document.documentElement.lang = lang;
}
applyLang(i18next.language);
i18next.on('languageChanged', applyLang);

export function setLang(lang: Lang): void {
  storeLang(lang);
  void i18next.changeLanguage(lang);
}

export function currentLang(): Lang {
  return i18next.language === 'en' ? 'en' : 'ja';
}

export default i18next;
