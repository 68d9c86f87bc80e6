// Typed keys: t('…') accepts only keys of the Japanese catalogue.
import 'i18next';
import type ja from './ja.json';

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: typeof ja };
    returnNull: false;
  }
}
