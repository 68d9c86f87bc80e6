// Notices: what the operators announced to this tenant — maintenance,
// vulnerabilities, incidents, releases — unread first, each with "mark read".
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { unwrap } from '../api/errors';
import { keys, noticesQuery, type Notice } from '../api/queries';
import { api } from '../auth';
import { ErrorMessage } from '../components/Alert';
import { Button } from '../components/Button';
import { EmptyState, Page } from '../components/Page';
import { QueryState } from '../components/QueryState';
import { unreadCount } from '../lib/banners';
import { unreadFirst } from '../lib/notices';
import { localText } from '../lib/text';
import { useFormat } from '../lib/useFormat';

export function Component() {
  const { t } = useTranslation();
  const notices = useQuery(noticesQuery);
  return (
    <Page
      title={t('notices.title')}
      description={notices.data ? t('notices.unreadCount', { count: unreadCount(notices.data) }) : undefined}
    >
      <QueryState query={notices}>
        {(items) =>
          items.length === 0 ? (
            <EmptyState title={t('notices.empty')} />
          ) : (
            <ul className="notice-list">
              {unreadFirst(items).map((n) => (
                <li key={n.id}>
                  <NoticeCard notice={n} />
                </li>
              ))}
            </ul>
          )
        }
      </QueryState>
    </Page>
  );
}

function NoticeCard({ notice }: { notice: Notice }) {
  const { t, i18n } = useTranslation();
  const fmt = useFormat();
  const queryClient = useQueryClient();
  const markRead = useMutation({
    mutationFn: async () =>
      unwrap(await api.POST('/api/v1/notices/{id}/read', { params: { path: { id: notice.id } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: keys.notices }),
  });
  const lang = i18n.language;
  return (
    <article
      className={`card notice notice-${notice.severity}`}
      data-testid="notice"
      data-notice-id={notice.id}
      data-read={notice.read ? 'true' : 'false'}
      aria-labelledby={`notice-${notice.id}`}
    >
      <header className="notice-header">
        <span className={`tag tag-${notice.kind}`}>
          {t(`notices.kind.${notice.kind}`)}
        </span>
        <span className={`tag tag-severity-${notice.severity}`}>{t(`notices.severity.${notice.severity}`)}</span>
        <span className="tag tag-status">{t(`notices.status.${notice.status}`)}</span>
        {notice.emergency && <span className="tag tag-emergency">{t('notices.emergency')}</span>}
        {notice.read === false && <span className="tag tag-unread">{t('notices.unread')}</span>}
      </header>
      <h2 id={`notice-${notice.id}`} className="notice-title">
        {localText(notice.title, lang)}
      </h2>
      {notice.starts_at && notice.ends_at && (
        <p className="notice-window">
          <span className="muted">{t('notices.window')}: </span>
          {fmt.range(notice.starts_at, notice.ends_at)}
        </p>
      )}
      {notice.emergency_reason && (
        <p>
          <span className="muted">{t('notices.reason')}: </span>
          {notice.emergency_reason}
        </p>
      )}
      <p className="notice-body">{localText(notice.body, lang)}</p>
      {notice.updates.length > 0 && (
        <section className="timeline" aria-label={t('notices.updates')}>
          <h3>{t('notices.updates')}</h3>
          <ol>
            {notice.updates.map((u) => (
              <li key={u.at + u.status}>
                <time dateTime={u.at}>{fmt.dateTime(u.at)}</time>{' '}
                <span className="tag tag-status">{t(`notices.status.${u.status}`)}</span> {localText(u.body, lang)}
              </li>
            ))}
          </ol>
        </section>
      )}
      <footer className="notice-footer">
        <span className="muted">
          {t('notices.published')} <time dateTime={notice.published_at}>{fmt.dateTime(notice.published_at)}</time>
        </span>
        {notice.read === false ? (
          <Button className="btn-small" busy={markRead.isPending} onClick={() => markRead.mutate()}>
            {t('notices.markRead')}
          </Button>
        ) : (
          <span className="muted">{t('notices.read')}</span>
        )}
      </footer>
      {markRead.isError && <ErrorMessage error={markRead.error} />}
    </article>
  );
}
