// My Page: the frame (heading and section navigation) of the signed-in
// user's own pages — profile, password, access log, sessions — each a child
// route under /me (routes/me/*.tsx).
import { useTranslation } from 'react-i18next';
import { NavLink, Outlet } from 'react-router';
import { ME_SECTIONS } from '../features/me/sections';
import '../styles/pages.css';

export function Component() {
  const { t } = useTranslation();
  return (
    <div className="page">
      <header className="page-header">
        <div>
          <h1>{t('me.title')}</h1>
        </div>
      </header>
      <nav className="subnav" aria-label={t('me.sectionsLabel')}>
        <ul>
          {ME_SECTIONS.map((s) => (
            <li key={s.to}>
              <NavLink to={s.to} end className="subnav-link" state={{ focusSection: true }}>
                {t(s.label)}
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <Outlet />
    </div>
  );
}
