import { useTranslation } from 'react-i18next';
import type { components } from '../api/schema';

export type PasswordRules = Pick<
  components['schemas']['PasswordRulesOut'],
  'min_length' | 'require_uppercase' | 'require_lowercase' | 'require_digit' | 'require_symbol' | 'history_count'
> &
  Partial<Pick<components['schemas']['PasswordRulesOut'], 'max_length'>>;

export interface RuleCheck {
  id: 'length' | 'uppercase' | 'lowercase' | 'digit' | 'symbol';
  ok: boolean;
}

/** The rules a password can be checked against in the browser (history and the
 * common-password list only the server can check). Mirrors the server's tests. */
export function checkPassword(password: string, rules: PasswordRules): RuleCheck[] {
  const chars = [...password];
  const max = rules.max_length ?? 128;
  const checks: RuleCheck[] = [{ id: 'length', ok: chars.length >= rules.min_length && chars.length <= max }];
  if (rules.require_uppercase) checks.push({ id: 'uppercase', ok: chars.some((c) => c !== c.toLowerCase()) });
  if (rules.require_lowercase) checks.push({ id: 'lowercase', ok: chars.some((c) => c !== c.toUpperCase()) });
  if (rules.require_digit) checks.push({ id: 'digit', ok: chars.some((c) => c >= '0' && c <= '9') });
  if (rules.require_symbol) checks.push({ id: 'symbol', ok: chars.some((c) => !/[\p{L}\p{N}\s]/u.test(c)) });
  return checks;
}

/** A live checklist of the password rules, updated as the user types. */
export function PasswordChecklist({ password, rules }: { password: string; rules: PasswordRules }) {
  const { t } = useTranslation();
  const checks = checkPassword(password, rules);
  return (
    <div className="checklist">
      <p className="checklist-title">{t('password.rulesTitle')}</p>
      <ul>
        {checks.map((c) => (
          <li key={c.id} className={c.ok ? 'ok' : 'todo'}>
            <span className="checklist-mark" aria-hidden="true">
              {c.ok ? '✓' : '○'}
            </span>
            {t(`password.rule.${c.id}`, { min: rules.min_length, max: rules.max_length ?? 128 })}
            <span className="visually-hidden"> — {c.ok ? t('password.met') : t('password.notMet')}</span>
          </li>
        ))}
        <li className="info">
          <span className="checklist-mark" aria-hidden="true">
            ·
          </span>
          {t('password.rule.common')}
        </li>
        {rules.history_count > 0 && (
          <li className="info">
            <span className="checklist-mark" aria-hidden="true">
              ·
            </span>
            {t('password.rule.history', { count: rules.history_count })}
          </li>
        )}
      </ul>
    </div>
  );
}
