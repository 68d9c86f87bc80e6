// The operator console's shell: its own header and session. Reloading signs
// the operator out (no refresh token for operators).
import { useTranslation } from 'react-i18next';
import { Link, Navigate, NavLink, Outlet, useNavigate } from 'react-router';
import { opsSession, useOpsSession } from '../../auth';
import { Button } from '../../components/Button';
import { LanguageSwitch } from '../../components/LanguageSwitch';
import '../../styles/ops.css';

export function Component() {
  const { t } = useTranslation();
  const state = useOpsSession();
  const navigate = useNavigate();
  if (state.status === 'signed-out') return <Navigate to="/ops/sign-in" replace state={{ reason: state.reason }} />;
  return (
    <div className="shell shell-ops">
      <a href="#main" className="skip-link">
        {t('shell.skip')}
      </a>
      <header className="topbar topbar-ops">
        <div className="topbar-inner">
          <Link to="/ops" className="brand">
            {t('ops.brand')}
          </Link>
          <nav className="ops-nav" aria-label={t('opsTenants.common.nav')}>
            <NavLink to="/ops/tenants">{t('opsTenants.title')}</NavLink>
            <NavLink to="/ops/notices">{t('opsNotices.title')}</NavLink>
            <NavLink to="/ops/audit">{t('opsAudit.title')}</NavLink>
          </nav>
          <span className="topbar-spacer" />
          <LanguageSwitch />
          <Button
            variant="secondary"
            className="btn-small"
            onClick={() => {
              opsSession.signOut();
              navigate('/ops/sign-in', { replace: true });
            }}
          >
            {t('shell.signOut')}
          </Button>
        </div>
      </header>
      <main id="main" className="shell-main shell-main-full" tabIndex={-1}>
        <Outlet />
      </main>
    </div>
  );
}
