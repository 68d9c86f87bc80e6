import type { components } from '../api/schema';

type Text = components['schemas']['Text'] | components['schemas']['Title'];

/** A notice text in the user's language: English when asked and given, else Japanese. */
export function localText(text: Text, lang: string): string {
  return lang === 'en' && text.en ? text.en : text.ja;
}

const fold = (s: string) => s.normalize('NFKC').toLowerCase();

/** Whether `q` occurs in one of `texts`, ignoring case and full/half width
 * (NFKC: ｺｰﾋｰ finds コーヒー, ＧＴ finds gt). An empty `q` matches. */
export function matchesText(q: string, ...texts: (string | null | undefined)[]): boolean {
  const n = fold(q.trim());
  return n === '' || texts.some((t) => t != null && fold(t).includes(n));
}
