// What a role allows, said in words from its permissions and reference scope:
// 「緑茶 のラベルが付いた案件を閲覧・編集できます。削除はできません。」 /
// "Can read and edit projects labelled 緑茶; cannot delete them."
// Pure: the caller passes the label names, the permission catalogue and `t`.
import type { TFunction } from 'i18next';
import type { Permission } from '../../api/queries';
import type { PermissionInfo, ScopeKind } from './queries';

export interface RoleShape {
  permissions: readonly Permission[];
  scope: { kind: ScopeKind };
}

const PROJECT_VERBS = [
  ['projects.read', 'read'],
  ['projects.write', 'write'],
  ['projects.delete', 'delete'],
] as const;
/** Permissions the project and file sentences already say. */
const SAID: readonly Permission[] = [...PROJECT_VERBS.map(([p]) => p), 'files.read', 'files.write'];

/** A list in words. Japanese joins with the catalogue's separators (`・` for
 * "and", `、` for "or"); English says "a, b and c" / "a or b". */
export function joinWords(words: string[], lang: string, t: TFunction, type: 'conjunction' | 'disjunction' = 'conjunction'): string {
  if (lang === 'ja') return words.join(t(type === 'conjunction' ? 'roles.sentence.joinAnd' : 'roles.sentence.joinOr'));
  return new Intl.ListFormat('en', { type, style: 'long' }).format(words);
}

/** The sentences, in catalogue order; `labelNames` are the scope's labels (for `labels`). */
export function describeRole(role: RoleShape, labelNames: string[], catalogue: readonly PermissionInfo[], t: TFunction, lang: string): string {
  const has = (p: Permission) => role.permissions.includes(p);
  const sentences: string[] = [];
  if (!has('projects.read')) {
    sentences.push(t('roles.sentence.noProjects'));
  } else if (role.scope.kind === 'labels' && labelNames.length === 0) {
    sentences.push(t('roles.sentence.noLabels'));
  } else {
    const scope =
      role.scope.kind === 'labels'
        ? t('roles.sentence.scopeLabels', { labels: joinWords(labelNames, lang, t, 'disjunction') })
        : role.scope.kind === 'assigned'
          ? t('roles.sentence.scopeAssigned')
          : t('roles.sentence.scopeAll');
    const verbs = joinWords(PROJECT_VERBS.filter(([p]) => has(p)).map(([, v]) => t(`roles.sentence.verb.${v}`)), lang, t);
    const missing = PROJECT_VERBS.filter(([p]) => !has(p)).map(([, v]) => t(`roles.sentence.verb.${v}`));
    sentences.push(
      missing.length === 0
        ? t('roles.sentence.can', { scope, verbs })
        : t('roles.sentence.canBut', { scope, verbs, missing: joinWords(missing, lang, t, lang === 'ja' ? 'conjunction' : 'disjunction') }),
    );
    const files = has('files.read') && has('files.write') ? 'filesBoth' : has('files.read') ? 'filesRead' : has('files.write') ? 'filesWrite' : null;
    if (files) sentences.push(t(`roles.sentence.${files}`));
  }
  const others = catalogue.filter((c) => !SAID.includes(c.name) && has(c.name)).map((c) => (lang === 'ja' ? c.description.ja : lowerFirst(c.description.en)));
  if (others.length > 0) sentences.push(t('roles.sentence.others', { list: others.join(t('roles.sentence.joinList')) }));
  if (catalogue.some((c) => c.privileged && has(c.name))) sentences.push(t('roles.sentence.privileged'));
  return sentences.join(lang === 'ja' ? '' : ' ');
}

/** "Read users" → "read users", to stand inside an English sentence. */
function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

/** A built-in role's description comes as "日本語 / English": the part in the user's language. */
export function localDescription(description: string, lang: string): string {
  const parts = description.split(' / ');
  return parts.length === 2 ? parts[lang === 'ja' ? 0 : 1] : description;
}
