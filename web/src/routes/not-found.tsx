import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { Page } from '../components/Page';

export function Component() {
  const { t } = useTranslation();
  return (
    <main className="standalone">
      <Page title={t('notFound.title')} narrow>
        <p>{t('notFound.body')}</p>
        <p>
          <Link to="/">{t('notFound.home')}</Link>
        </p>
      </Page>
    </main>
  );
}
