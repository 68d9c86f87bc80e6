import { useEffect, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/** A page's heading and document title ("<title> — Crepo"). */
export function Page({ title, description, actions, children, narrow = false }: { title: string; description?: ReactNode; actions?: ReactNode; children: ReactNode; narrow?: boolean }) {
  usePageTitle(title);
  return (
    <div className={narrow ? 'page page-narrow' : 'page'}>
      <header className="page-header">
        <div>
          <h1>{title}</h1>
          {description && <p className="page-description">{description}</p>}
        </div>
        {actions && <div className="page-actions">{actions}</div>}
      </header>
      {children}
    </div>
  );
}

export function usePageTitle(title: string) {
  const { t } = useTranslation();
  useEffect(() => {
    document.title = `${title} — ${t('app.name')}`;
  }, [title, t]);
}

/** Nothing to show, said plainly. */
export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="empty">
      <p className="empty-title">{title}</p>
      {children && <div className="empty-body">{children}</div>}
    </div>
  );
}
