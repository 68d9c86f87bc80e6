// "Who can see this project, and why": every active user who can read the
// project, with each role that lets them, in words (all projects, one of its
// labels, or membership). Only for those holding `users.read`; a 403 or 404
// (rights changed meanwhile, project gone) leaves the panel out quietly.
import { useQuery } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/errors';
import { ErrorMessage } from '../../components/Alert';
import { Spinner } from '../../components/Spinner';
import { accessQuery, labelsQuery, usePermissions, type AccessReason, type Label } from './queries';

const quiet = (e: unknown) => e instanceof ApiError && (e.status === 403 || e.status === 404);

/** The access answer, or null while loading, when not allowed or on an error. */
export function useAccess(projectId: string, enabled: boolean) {
  const access = useQuery({ ...accessQuery(projectId), enabled });
  return access.data ?? null;
}

/** One reason in words: "label 4901234567894 緑茶 500ml (role 緑茶チーム)". */
export function reasonText(r: AccessReason, labels: ReadonlyMap<string, Label>, t: TFunction, lang: string): string {
  switch (r.kind) {
    case 'all':
      return t('projects.access.reason.all', { role: r.role_name });
    case 'member':
      return t('projects.access.reason.member', { role: r.role_name });
    case 'labels': {
      const names = r.label_ids.map((id) => {
        const l = labels.get(id);
        return l ? `${l.code} ${l.name}`.trim() : t('projects.access.labelUnknown', { id: id.slice(0, 8) });
      });
      const list = new Intl.ListFormat(lang, { type: 'conjunction' }).format(names);
      return t('projects.access.reason.labels', { count: names.length, labels: list, role: r.role_name });
    }
  }
}

export function AccessPanel({ projectId }: { projectId: string }) {
  const { t, i18n } = useTranslation();
  const { can } = usePermissions();
  const access = useQuery(accessQuery(projectId));
  const labels = useQuery({ ...labelsQuery, enabled: can('labels.read') });
  if (access.isError && quiet(access.error)) return null;
  const byId = new Map((labels.data ?? []).map((l) => [l.id, l]));
  const items = access.data?.items ?? [];
  return (
    <details className="access-panel" data-testid="access-panel">
      <summary>
        <span className="access-title">{t('projects.access.title')}</span>{' '}
        {access.data && (
          <span className="access-count muted small" data-testid="access-count">
            {t('projects.access.count', { count: items.length })}
          </span>
        )}
      </summary>
      <p className="muted small">{t('projects.access.hint')}</p>
      {access.isPending ? (
        <Spinner />
      ) : access.isError ? (
        <ErrorMessage error={access.error} onRetry={() => void access.refetch()} />
      ) : items.length === 0 ? (
        <p className="muted">{t('projects.access.noOne')}</p>
      ) : (
        <ul className="access-list">
          {items.map((u) => (
            <li key={u.user_id} data-testid="access-entry" data-email={u.email}>
              <p className="access-who">
                <span className="access-name">{u.name}</span> <span className="muted small">{u.email}</span>
              </p>
              <ul className="access-reasons" aria-label={t('projects.access.reasonsOf', { name: u.name })}>
                {u.reasons.map((r) => (
                  <li key={`${r.kind}-${r.role_id}`} data-testid="access-reason" data-kind={r.kind}>
                    {reasonText(r, byId, t, i18n.language)}
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ul>
      )}
    </details>
  );
}
