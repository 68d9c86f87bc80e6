// What terminating the service means, in plain words: what is deleted (and
// where), what is kept (only a deletion certificate at the provider), when
// (by the deletion date, `grace_days` after the request, withdrawable until
// then), and that Crepo keeps no backup, so the data is exported first.
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { Alert } from '../../components/Alert';

const DELETED = ['projects', 'labels', 'files', 'users', 'settings', 'accessLog', 'exports'] as const;

export function ExportFirst() {
  const { t } = useTranslation();
  return (
    <Alert tone="warning" title={t('termination.exportFirst.title')}>
      <p className="alert-text">{t('termination.exportFirst.body')}</p>
      <p className="alert-text">
        <Link to="/admin/exports" className="termination-export-link" data-testid="export-first">
          {t('termination.exportFirst.link')}
        </Link>
      </p>
    </Alert>
  );
}

export function TerminationAbout({ graceDays }: { graceDays: number }) {
  const { t } = useTranslation();
  return (
    <div className="termination-about" data-testid="termination-about">
      <h3>{t('termination.deleted.title')}</h3>
      <p>{t('termination.deleted.intro')}</p>
      <ul className="termination-list">
        {DELETED.map((k) => (
          <li key={k}>{t(`termination.deleted.items.${k}`)}</li>
        ))}
      </ul>
      <h3>{t('termination.kept.title')}</h3>
      <p>{t('termination.kept.body')}</p>
      <h3>{t('termination.when.title')}</h3>
      <p>{t('termination.when.body', { days: graceDays })}</p>
    </div>
  );
}
