import type { components } from '../api/schema';

type Text = components['schemas']['Text'] | components['schemas']['Title'];

/** A notice text in the user's language: English when asked and given, else Japanese. */
export function localText(text: Text, lang: string): string {
  return lang === 'en' && text.en ? text.en : text.ja;
}
