import { useTranslation } from 'react-i18next';
import { isRouteErrorResponse, Link, useRouteError } from 'react-router';
import { ErrorMessage } from '../components/Alert';
import { Page } from '../components/Page';

/** What a route shows when it throws (or its module fails to load). */
export function RouteError() {
  const error = useRouteError();
  const { t } = useTranslation();
  const notFound = isRouteErrorResponse(error) && error.status === 404;
  return (
    <main className="standalone">
      <Page title={notFound ? t('notFound.title') : t('routeError.title')} narrow>
        {notFound ? <p>{t('notFound.body')}</p> : <ErrorMessage error={error} />}
        <p>
          <Link to="/">{t('notFound.home')}</Link>
        </p>
      </Page>
    </main>
  );
}
