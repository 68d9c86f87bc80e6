// /support: how to reach the service's support (signed in).
import { useTranslation } from 'react-i18next';
import { usePageTitle } from '../components/Page';
import { SupportDetails } from '../features/support/support';
import '../styles/pages.css';

export function Component() {
  const { t } = useTranslation();
  usePageTitle(t('support.title'));
  return (
    <div className="page">
      <header className="page-header">
        <div>
          <h1>{t('support.title')}</h1>
          <p className="muted">{t('support.intro')}</p>
        </div>
      </header>
      <section className="card">
        <SupportDetails />
      </section>
    </div>
  );
}
