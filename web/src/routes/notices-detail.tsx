// One notice: everything the list shows, the whole body, and an incident's
// full timeline (oldest first, the newest last). Tenants have no single-notice
// endpoint: it is found in the (cached) list, which holds every notice that
// concerns them now.
import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useParams } from 'react-router';
import { noticesQuery } from '../api/queries';
import { ErrorMessage } from '../components/Alert';
import { EmptyState, Page } from '../components/Page';
import { QueryState } from '../components/QueryState';
import { NoticeTags, NoticeWhenFact, ReadState, Timeline, useMarkRead } from '../features/notices/NoticeParts';
import type { Notice } from '../api/queries';
import { localText } from '../lib/text';
import { useFormat } from '../lib/useFormat';
import '../styles/pages.css';

export function Component() {
  const { t } = useTranslation();
  const { id } = useParams();
  const notices = useQuery(noticesQuery);
  return (
    <QueryState query={notices}>
      {(items) => {
        const notice = items.find((n) => n.id === id);
        return notice ? (
          <Detail notice={notice} />
        ) : (
          <Page title={t('notices.notFoundTitle')}>
            <EmptyState title={t('notices.notFound')}>
              <Link to="/notices">{t('notices.back')}</Link>
            </EmptyState>
          </Page>
        );
      }}
    </QueryState>
  );
}

function Detail({ notice }: { notice: Notice }) {
  const { t, i18n } = useTranslation();
  const fmt = useFormat();
  const lang = i18n.language;
  const readRef = useRef<HTMLDivElement>(null);
  const markRead = useMarkRead(notice);
  const justRead = markRead.isSuccess;
  const articleRef = useRef<HTMLElement>(null);
  const location = useLocation();
  // Opened from inside the app (the list, a banner): the notice gets focus,
  // since the link that was clicked is gone. A fresh load starts at the top.
  const arrivedInApp = location.key !== 'default';
  useEffect(() => {
    if (arrivedInApp) articleRef.current?.focus();
  }, [arrivedInApp, notice.id]);
  useEffect(() => {
    if (justRead) readRef.current?.focus();
  }, [justRead]);

  return (
    <Page
      title={localText(notice.title, lang)}
      actions={
        <Link to="/notices" state={{ focusNotice: notice.id }} className="btn btn-secondary btn-small">
          <span aria-hidden="true">← </span>
          {t('notices.back')}
        </Link>
      }
    >
      <article
        ref={articleRef}
        tabIndex={-1}
        className={`card notice notice-detail notice-${notice.severity} notice-kind-${notice.kind}`}
        data-testid="notice-detail"
        data-notice-id={notice.id}
        data-read={notice.read ? 'true' : 'false'}
        aria-label={localText(notice.title, lang)}
      >
        <NoticeTags notice={notice} />
        <dl className="dl notice-facts">
          <dt>{t('notices.published')}</dt>
          <dd>
            <time dateTime={notice.published_at}>{fmt.dateTime(notice.published_at)}</time>
          </dd>
          <NoticeWhenFact notice={notice} />
          {notice.resolved_at && (
            <>
              <dt>{t('notices.resolvedAt')}</dt>
              <dd>
                <time dateTime={notice.resolved_at}>{fmt.dateTime(notice.resolved_at)}</time>
              </dd>
            </>
          )}
          {notice.emergency_reason && (
            <>
              <dt>{t('notices.reason')}</dt>
              <dd>{notice.emergency_reason}</dd>
            </>
          )}
        </dl>
        <div className="notice-body">{localText(notice.body, lang)}</div>
        {(notice.kind === 'incident' || notice.kind === 'vulnerability' || notice.updates.length > 0) && <Timeline notice={notice} level={2} />}
        <footer className="notice-footer">
          <span id={`notice-${notice.id}`} className="visually-hidden">
            {localText(notice.title, lang)}
          </span>
          <div ref={readRef} tabIndex={-1} className="focus-target">
            <ReadState notice={notice} busy={markRead.isPending} onMarkRead={() => markRead.mutate()} />
          </div>
        </footer>
        {markRead.isError && <ErrorMessage error={markRead.error} />}
      </article>
    </Page>
  );
}
