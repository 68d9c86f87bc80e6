import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { usePageTitle } from './Page';
import { LanguageSwitch } from './LanguageSwitch';
import { SupportFooter } from '../features/support/support';

/** The frame of the signed-out pages: brand, language switch, one card. */
export function AuthLayout({ title, subtitle, children, footer, wide = false, brand }: { title: string; subtitle?: ReactNode; children: ReactNode; footer?: ReactNode; wide?: boolean; brand?: string }) {
  const { t } = useTranslation();
  usePageTitle(title);
  return (
    <div className="auth">
      <header className="auth-top">
        <span className="auth-brand">
          <span className="brand">{brand ?? t('app.name')}</span>
          <span className="brand-tagline">{t('app.tagline')}</span>
        </span>
        <LanguageSwitch />
      </header>
      <main id="main" className={wide ? 'auth-card auth-card-wide' : 'auth-card'}>
        <h1>{title}</h1>
        {subtitle && <p className="auth-subtitle">{subtitle}</p>}
        {children}
      </main>
      {footer && <footer className="auth-footer">{footer}</footer>}
      {/* The operators' console (its own brand) is not the tenants' service. */}
      {!brand && <SupportFooter page={false} />}
    </div>
  );
}
