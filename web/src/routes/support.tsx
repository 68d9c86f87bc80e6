// /support: how to reach the service's support. Signed in, a page of the
// shell; signed out (e.g. a suspended organisation's users, sent here from
// the sign-in page), on its own with a way back to sign-in.
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useSession } from '../auth';
import { AuthLayout } from '../components/AuthLayout';
import { usePageTitle } from '../components/Page';
import { SupportDetails } from '../features/support/support';
import '../styles/pages.css';

export function Component() {
  const state = useSession();
  return state.status === 'signed-in' ? <SupportPage /> : <PublicSupport />;
}

function SupportPage() {
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

function PublicSupport() {
  const { t } = useTranslation();
  return (
    <AuthLayout title={t('support.title')} subtitle={t('support.intro')} footer={<Link to="/sign-in">{t('support.toSignIn')}</Link>}>
      <SupportDetails />
    </AuthLayout>
  );
}
