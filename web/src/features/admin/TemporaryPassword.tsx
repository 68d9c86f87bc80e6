// A temporary password, shown once (after creating a user or issuing a new
// one), with a copy button and what the user must do with it.
import { useTranslation } from 'react-i18next';
import { useQuery } from '@tanstack/react-query';
import { meQuery } from '../../api/queries';
import { Alert } from '../../components/Alert';
import { Button } from '../../components/Button';
import { useCopy } from '../../lib/useCopy';
import { useFormat } from '../../lib/useFormat';

export function TemporaryPassword({ password, email, expiresAt }: { password: string; email: string; expiresAt: string }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const me = useQuery(meQuery);
  const { copied, copy } = useCopy();

  return (
    <div className="temp-password">
      <Alert tone="warning" title={t('users.temp.once')}>
        <p className="alert-text">{t('users.temp.onceBody')}</p>
      </Alert>
      <p className="field-label" id="temp-password-label">
        {t('users.temp.label')}
      </p>
      <div className="temp-password-row">
        <code className="temp-password-value" aria-labelledby="temp-password-label" data-testid="temporary-password">
          {password}
        </code>
        <Button onClick={() => void copy(password)}>{t('users.temp.copy')}</Button>
      </div>
      <p role="status" className="small muted">
        {copied === true ? t('users.temp.copied') : copied === false ? t('users.temp.copyFailed') : ''}
      </p>
      <h3>{t('users.temp.nextTitle')}</h3>
      <ol className="temp-password-steps">
        <li>{t('users.temp.step1', { url: `${window.location.origin}/sign-in`, tenant: me.data?.tenant.slug ?? '', email })}</li>
        <li>{t('users.temp.step2')}</li>
        <li>
          {t('users.temp.step3')} <time dateTime={expiresAt}>{fmt.dateTime(expiresAt)}</time>
        </li>
      </ol>
    </div>
  );
}
