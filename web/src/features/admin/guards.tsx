// The API's guard rails on users and roles, explained in plain words where
// they happen (the generic problem sentence says only that it failed).
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/errors';
import { Alert, ErrorMessage } from '../../components/Alert';

const GUARDS = ['last_administrator', 'cannot_delete_self', 'cannot_disable_self', 'cannot_reset_self', 'builtin_role', 'email_taken', 'role_name_taken', 'scope_escalation'] as const;
type Guard = (typeof GUARDS)[number] | 'phone_required';

/** Which guard rail refused the request, if one did. */
export function guardOf(error: unknown): Guard | null {
  if (!(error instanceof ApiError)) return null;
  const code = error.code;
  if (code && (GUARDS as readonly string[]).includes(code)) return code as Guard;
  if (error.fieldErrors().some((e) => e.code === 'phone_required')) return 'phone_required';
  return null;
}

export function guardText(error: unknown, t: TFunction): string | null {
  const guard = guardOf(error);
  return guard ? t(`users.guard.${guard}`) : null;
}

/** The plain explanation of a guard rail, else the API's error as usual. */
export function AdminError({ error }: { error: unknown }) {
  const { t } = useTranslation();
  const text = guardText(error, t);
  if (!text) return <ErrorMessage error={error} />;
  return (
    <Alert tone="error" title={t('users.guard.title')}>
      <p className="alert-text" data-testid="guard-text">
        {text}
      </p>
    </Alert>
  );
}
