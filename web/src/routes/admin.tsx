// Administration: the frame (heading and section menu) of the tenant
// administrator's pages, each a child route under /admin. The menu is
// ADMIN_SECTIONS (features/admin/sections.ts) filtered by the user's
// permissions; /admin itself opens the first section the user may see.
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Navigate, NavLink, Outlet, useLocation } from 'react-router';
import { meQuery } from '../api/queries';
import { EmptyState } from '../components/Page';
import { QueryState } from '../components/QueryState';
import { visibleSections } from '../features/admin/sections';
import '../styles/pages.css';

export function Component() {
  const { t } = useTranslation();
  const me = useQuery(meQuery);
  const { pathname } = useLocation();
  return (
    <div className="page">
      <header className="page-header">
        <div>
          <h1>{t('admin.title')}</h1>
        </div>
      </header>
      <QueryState query={me}>
        {(data) => {
          const sections = visibleSections(data.permissions);
          if (pathname.replace(/\/$/, '') === '/admin') {
            return sections[0] ? <Navigate to={sections[0].to} replace /> : <EmptyState title={t('admin.none')} />;
          }
          return (
            <>
              <nav className="subnav" aria-label={t('admin.sectionsLabel')}>
                <ul>
                  {sections.map((s) => (
                    <li key={s.to}>
                      <NavLink to={s.to} className="subnav-link">
                        {t(s.label)}
                      </NavLink>
                    </li>
                  ))}
                </ul>
              </nav>
              <Outlet />
            </>
          );
        }}
      </QueryState>
    </div>
  );
}
