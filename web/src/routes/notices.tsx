// Notices: what the operators announced to this tenant — maintenance,
// vulnerabilities, incidents, releases — unread first, each with "mark read"
// and a link to its detail page (/notices/:id, the full incident timeline).
import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate } from 'react-router';
import { noticesQuery, type Notice } from '../api/queries';
import { ErrorMessage } from '../components/Alert';
import { EmptyState, Page } from '../components/Page';
import { QueryState } from '../components/QueryState';
import { LatestUpdate, NoticeTags, NoticeWindow, ReadState, useMarkRead } from '../features/notices/NoticeParts';
import { unreadCount } from '../lib/banners';
import { unreadFirst } from '../lib/notices';
import { localText } from '../lib/text';
import { useFormat } from '../lib/useFormat';
import '../styles/pages.css';

export function Component() {
  const { t, i18n } = useTranslation();
  const notices = useQuery(noticesQuery);
  const [marked, setMarked] = useState<Notice | null>(null);
  const listRef = useRef<HTMLDivElement>(null);
  const location = useLocation();
  const navigate = useNavigate();
  // Back from a notice's page: focus returns to that notice.
  const pendingFocus = useRef<string | null>((location.state as { focusNotice?: string } | null)?.focusNotice ?? null);

  // A card marked read moves down to the read ones: focus follows it (its
  // title link), once — a later refetch does not pull focus back.
  useEffect(() => {
    const id = pendingFocus.current;
    if (!id) return;
    const link = listRef.current?.querySelector<HTMLElement>(`[data-notice-id="${id}"] .notice-title a`);
    if (link) {
      link.focus();
      pendingFocus.current = null;
      // Once: a reload keeps history state, and must not move focus again.
      if (location.state) navigate(location.pathname, { replace: true, state: null });
    }
  }, [marked, notices.data, location.state, location.pathname, navigate]);

  function onMarked(n: Notice) {
    pendingFocus.current = n.id;
    setMarked(n);
  }

  const count = notices.data ? unreadCount(notices.data) : 0;
  return (
    <Page title={t('notices.title')} description={notices.data ? t('notices.unreadCount', { count }) : undefined}>
      <p className="visually-hidden" role="status">
        {marked ? t('notices.markedRead', { title: localText(marked.title, i18n.language) }) : ''}
      </p>
      <QueryState query={notices}>
        {(items) => {
          if (items.length === 0) return <EmptyState title={t('notices.empty')}>{t('notices.emptyBody')}</EmptyState>;
          const sorted = unreadFirst(items);
          const unread = sorted.filter((n) => n.read === false);
          const read = sorted.filter((n) => n.read !== false);
          return (
            <div ref={listRef} className="notice-groups">
              {unread.length > 0 && (
                <NoticeGroup id="notices-unread" title={t('notices.unreadGroup', { count: unread.length })} items={unread} onMarked={onMarked} />
              )}
              {read.length > 0 && (
                <NoticeGroup
                  id="notices-read"
                  title={unread.length > 0 ? t('notices.readGroup') : t('notices.allRead')}
                  items={read}
                  onMarked={onMarked}
                />
              )}
            </div>
          );
        }}
      </QueryState>
    </Page>
  );
}

function NoticeGroup({ id, title, items, onMarked }: { id: string; title: string; items: Notice[]; onMarked: (n: Notice) => void }) {
  return (
    <section aria-labelledby={id} className="notice-group">
      <h2 id={id} className="group-title">
        {title}
      </h2>
      <ul className="notice-list">
        {items.map((n) => (
          <li key={n.id}>
            <NoticeCard notice={n} onMarked={onMarked} />
          </li>
        ))}
      </ul>
    </section>
  );
}

function NoticeCard({ notice, onMarked }: { notice: Notice; onMarked: (n: Notice) => void }) {
  const { t, i18n } = useTranslation();
  const fmt = useFormat();
  const markRead = useMarkRead(notice, () => onMarked(notice));
  const lang = i18n.language;
  return (
    <article
      className={`card notice notice-${notice.severity} notice-kind-${notice.kind}`}
      data-testid="notice"
      data-notice-id={notice.id}
      data-read={notice.read ? 'true' : 'false'}
      aria-labelledby={`notice-${notice.id}`}
    >
      <NoticeTags notice={notice} />
      <h3 id={`notice-${notice.id}`} className="notice-title">
        <Link to={`/notices/${notice.id}`}>{localText(notice.title, lang)}</Link>
      </h3>
      <NoticeWindow notice={notice} />
      {notice.emergency_reason && (
        <p>
          <span className="muted">{t('notices.reason')}: </span>
          {notice.emergency_reason}
        </p>
      )}
      <p className="notice-body notice-body-clamp">{localText(notice.body, lang)}</p>
      <LatestUpdate notice={notice} />
      <footer className="notice-footer">
        <span className="muted">
          {t('notices.published')} <time dateTime={notice.published_at}>{fmt.dateTime(notice.published_at)}</time>
          {notice.updates.length > 0 && (
            <>
              {' · '}
              {t('notices.updateCount', { count: notice.updates.length })}
            </>
          )}
        </span>
        <span className="notice-actions">
          <Link to={`/notices/${notice.id}`} className="small" aria-describedby={`notice-${notice.id}`}>
            {t('notices.details')}
          </Link>
          <ReadState notice={notice} busy={markRead.isPending} onMarkRead={() => markRead.mutate()} />
        </span>
      </footer>
      {markRead.isError && <ErrorMessage error={markRead.error} />}
    </article>
  );
}
