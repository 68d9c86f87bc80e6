// The signed-in shell: header (tenant, user, language, sign-out), navigation
// filtered by permission, the unread-notices count, maintenance/incident
// banners, and the page in <main>. Signed-out visitors go to /sign-in and
// come back afterwards (except to /support, open to all); a pending password
// change comes first.
import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, NavLink, Outlet, useLocation, useNavigate } from 'react-router';
import { meQuery, noticesQuery, type Notice } from '../api/queries';
import { session, useSession } from '../auth';
import { ErrorMessage } from '../components/Alert';
import { Button } from '../components/Button';
import { LanguageSwitch } from '../components/LanguageSwitch';
import { PageSpinner } from '../components/Spinner';
import { useNoticeWhen } from '../features/notices/NoticeParts';
import { SupportFooter } from '../features/support/support';
import { bannerLead, bannerNotices, unreadCount } from '../lib/banners';
import { signInPath } from '../lib/next';
import { localText } from '../lib/text';
import { visibleNav } from '../nav';

/** Pages under the shell that signed-out visitors may open too. */
const PUBLIC_PAGES: readonly string[] = ['/support'];

export function Component() {
  const state = useSession();
  const location = useLocation();
  const here = location.pathname + location.search;
  if (state.status === 'unknown') return <PageSpinner />;
  if (state.status === 'signed-out') {
    // The support page also serves those who cannot sign in (a suspended
    // organisation's users are sent there): it frames itself.
    if (PUBLIC_PAGES.includes(location.pathname)) return <Outlet />;
    return <Navigate to={signInPath(here)} replace state={{ reason: state.reason }} />;
  }
  if (state.passwordChangeRequired) {
    return <Navigate to={`/change-password?next=${encodeURIComponent(here)}`} replace />;
  }
  return <Shell />;
}

function Shell() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const me = useQuery(meQuery);
  const notices = useQuery(noticesQuery);
  const unread = notices.data ? unreadCount(notices.data) : null;
  const main = useRef<HTMLElement>(null);
  const section = useLocation().pathname.split('/')[1];
  const firstPage = useRef(true);
  // After moving to another section (/notices → /me), focus goes to its
  // content: screen readers announce the new page, keyboard users start
  // there. Moves within a section (/me → /me/password) are the page's own.
  useEffect(() => {
    if (firstPage.current) {
      firstPage.current = false;
      return;
    }
    main.current?.focus();
  }, [section]);

  async function signOut() {
    await session.signOut();
    navigate('/sign-in', { replace: true, state: { reason: 'signed-out' } });
  }

  return (
    <div className="shell">
      <a href="#main" className="skip-link">
        {t('shell.skip')}
      </a>
      <header className="topbar">
        <div className="topbar-inner">
          <Link to="/" className="brand">
            {t('app.name')}
          </Link>
          {me.data && (
            <span className="tenant-name" data-testid="tenant-name">
              {me.data.tenant.name}
            </span>
          )}
          <span className="topbar-spacer" />
          <LanguageSwitch />
          {me.data && (
            <span className="user-name" data-testid="user-name">
              <span className="visually-hidden">{t('shell.signedInAs')} </span>
              {me.data.name}
            </span>
          )}
          <Button variant="secondary" className="btn-small" onClick={() => void signOut()}>
            {t('shell.signOut')}
          </Button>
        </div>
      </header>
      <div className="shell-body">
        <nav className="sidenav" aria-label={t('shell.navigation')}>
          {me.data && (
            <ul>
              {visibleNav(me.data.permissions).map((item) => (
                <li key={item.to}>
                  <NavLink to={item.to} className="sidenav-link">
                    <span>{t(item.label)}</span>
                    {item.badge === 'unread-notices' && unread !== null && unread > 0 && (
                      <span className="badge" data-testid="unread-badge">
                        {unread}
                        <span className="visually-hidden"> {t('notices.unreadSuffix')}</span>
                      </span>
                    )}
                  </NavLink>
                </li>
              ))}
            </ul>
          )}
        </nav>
        <main id="main" className="shell-main" tabIndex={-1} ref={main}>
          {notices.data && <Banners notices={notices.data} />}
          {me.isError ? <ErrorMessage error={me.error} onRetry={() => void me.refetch()} /> : <Outlet />}
          <SupportFooter />
        </main>
      </div>
    </div>
  );
}

function Banners({ notices }: { notices: Notice[] }) {
  const { t, i18n } = useTranslation();
  const when = useNoticeWhen();
  const shown = bannerNotices(notices);
  if (shown.length === 0) return null;
  return (
    <div className="banners">
      {shown.map((n) => {
        const { lead: key, tone } = bannerLead(n);
        const lead = t(`banner.${key}`);
        const w = when(n);
        return (
          <section key={n.id} className={`banner ${tone}`} data-testid="banner" aria-label={lead}>
            <span className="banner-lead">{lead}</span>
            <span className="banner-title">{localText(n.title, i18n.language)}</span>
            {w && <span className="banner-window">{w.line}</span>}
            <Link to="/notices" className="banner-link">
              {t('banner.details')}
            </Link>
          </section>
        );
      })}
    </div>
  );
}
