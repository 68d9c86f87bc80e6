// The field where a slug is typed to confirm a destructive act (requesting
// termination, deleting a tenant): the expected slug is shown in the hint,
// and until the text matches exactly the field says so.
import { useTranslation } from 'react-i18next';
import { TextField } from '../../components/TextField';

export function SlugConfirmField({ label, slug, value, onChange, error, autoFocus }: { label: string; slug: string; value: string; onChange: (v: string) => void; error?: string[]; autoFocus?: boolean }) {
  const { t } = useTranslation();
  return (
    <TextField
      label={label}
      hint={
        <>
          {t('termination.slugHint')} <code className="termination-slug" data-testid="expected-slug">{slug}</code>
        </>
      }
      name="confirm-slug"
      autoComplete="off"
      spellCheck={false}
      autoCapitalize="none"
      required
      autoFocus={autoFocus}
      value={value}
      onChange={(e) => onChange(e.target.value)}
      error={error}
      after={value && value !== slug ? <span className="muted small">{t('termination.slugNotYet')}</span> : null}
    />
  );
}
