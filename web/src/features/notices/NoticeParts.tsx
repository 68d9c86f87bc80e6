// Pieces of a notice shared by the list and the detail page: the tags (kind,
// severity, status — each icon + text, coloured too), the maintenance
// window or the date a release takes effect, the incident timeline and the
// "mark read" action.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { unwrap } from '../../api/errors';
import { keys, type Notice } from '../../api/queries';
import { api } from '../../auth';
import { Button } from '../../components/Button';
import { localText } from '../../lib/text';
import { useFormat } from '../../lib/useFormat';
import { KindIcon, SeverityIcon } from './icons';

export function NoticeTags({ notice }: { notice: Notice }) {
  const { t } = useTranslation();
  return (
    <div className="notice-header">
      <span className={`tag tag-kind tag-kind-${notice.kind}`}>
        <KindIcon kind={notice.kind} />
        <span className="visually-hidden">{t('notices.kindLabel')}: </span>
        {t(`notices.kind.${notice.kind}`)}
      </span>
      <span className={`tag tag-with-icon tag-severity-${notice.severity}`}>
        <SeverityIcon severity={notice.severity} />
        <span className="visually-hidden">{t('notices.severityLabel')}: </span>
        {t(`notices.severity.${notice.severity}`)}
      </span>
      <span className="tag tag-status">
        <span className="visually-hidden">{t('notices.statusLabel')}: </span>
        {t(`notices.status.${notice.status}`)}
      </span>
      {notice.emergency && <span className="tag tag-emergency">{t('notices.emergency')}</span>}
      {notice.read === false && <span className="tag tag-unread">{t('notices.unread')}</span>}
    </div>
  );
}

export interface NoticeWhen {
  /** "When" / "Takes effect", for a label or a term. */
  label: string;
  /** The window "2026/12/02 14:00 – 16:00 (JST)", or the release's instant. */
  value: string;
  /** On one line: the window, or "Takes effect on 2026/12/15 09:00 (JST)". */
  line: string;
  /** The instant it starts or takes effect (for <time dateTime>). */
  at: string;
}

/** A maintenance window, or the date a release's change takes effect, in the
 * user's zone; null when the notice has neither. */
type Dated = Pick<Notice, 'kind' | 'starts_at' | 'ends_at'>;

export function useNoticeWhen(): (n: Dated) => NoticeWhen | null {
  const { t } = useTranslation();
  const fmt = useFormat();
  return (n) => {
    if (!n.starts_at) return null;
    if (n.kind === 'release' && !n.ends_at) {
      const value = fmt.dateTime(n.starts_at);
      return { label: t('notices.takesEffect'), value, line: t('notices.takesEffectOn', { date: value }), at: n.starts_at };
    }
    if (!n.ends_at) return null;
    const value = fmt.range(n.starts_at, n.ends_at);
    return { label: t('notices.window'), value, line: value, at: n.starts_at };
  };
}

/** The maintenance window or a release's date, labelled: "When: 2026/12/02 14:00 – 16:00 (JST)". */
export function NoticeWindow({ notice }: { notice: Notice }) {
  const when = useNoticeWhen()(notice);
  if (!when) return null;
  return (
    <p className="notice-window">
      <span className="muted">{when.label}: </span>
      <time dateTime={when.at}>{when.value}</time>
    </p>
  );
}

/** The same as a term and its description, for a notice's facts (<dl>). */
export function NoticeWhenFact({ notice }: { notice: Dated }) {
  const when = useNoticeWhen()(notice);
  if (!when) return null;
  return (
    <>
      <dt>{when.label}</dt>
      <dd className="notice-window">
        <time dateTime={when.at}>{when.value}</time>
      </dd>
    </>
  );
}

/** On one short line, for a list row. */
export function WhenLine({ notice }: { notice: Dated }) {
  const when = useNoticeWhen()(notice);
  return when ? <div className="muted small">{when.line}</div> : null;
}

/** The incident's stages, oldest first (publication, then each update): the newest is last. */
export function Timeline({ notice, level = 3 }: { notice: Notice; level?: 2 | 3 }) {
  const { t, i18n } = useTranslation();
  const fmt = useFormat();
  const lang = i18n.language;
  const Heading = level === 2 ? 'h2' : 'h3';
  return (
    <section className="timeline" aria-labelledby={`timeline-${notice.id}`}>
      <Heading id={`timeline-${notice.id}`}>
        {t('notices.updates')} <span className="muted small">{t('notices.timelineOrder')}</span>
      </Heading>
      <ol>
        <li className="timeline-item">
          <time dateTime={notice.published_at}>{fmt.dateTime(notice.published_at)}</time>
          <span className="tag tag-status">{t('notices.timelinePublished')}</span>
          <span className="timeline-text">{localText(notice.title, lang)}</span>
        </li>
        {notice.updates.map((u, i) => (
          <li key={`${u.at}-${i}`} className={`timeline-item timeline-${u.status}`} data-testid="timeline-item">
            <time dateTime={u.at}>{fmt.dateTime(u.at)}</time>
            <span className="tag tag-status">{t(`notices.status.${u.status}`)}</span>
            <span className="timeline-text">{localText(u.body, lang)}</span>
          </li>
        ))}
      </ol>
    </section>
  );
}

/** The latest incident update, for the list. */
export function LatestUpdate({ notice }: { notice: Notice }) {
  const { t, i18n } = useTranslation();
  const fmt = useFormat();
  const last = notice.updates[notice.updates.length - 1];
  if (!last) return null;
  return (
    <p className="notice-latest">
      <span className="muted">{t('notices.latestUpdate')}: </span>
      <time dateTime={last.at}>{fmt.dateTime(last.at)}</time> <span className="tag tag-status">{t(`notices.status.${last.status}`)}</span>{' '}
      {localText(last.body, i18n.language)}
    </p>
  );
}

/** "Mark as read"; the shell's unread count follows through the shared query. */
export function useMarkRead(notice: Notice, onDone?: () => void) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async () => unwrap(await api.POST('/api/v1/notices/{id}/read', { params: { path: { id: notice.id } } })),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: keys.notices });
      onDone?.();
    },
  });
}

export function ReadState({ notice, busy, onMarkRead }: { notice: Notice; busy: boolean; onMarkRead: () => void }) {
  const { t } = useTranslation();
  return notice.read === false ? (
    <Button
      className="btn-small"
      busy={busy}
      onClick={onMarkRead}
      aria-describedby={`notice-${notice.id}`}
    >
      {t('notices.markRead')}
    </Button>
  ) : (
    <span className="muted read-mark">
      <span aria-hidden="true">✓ </span>
      <span>{t('notices.read')}</span>
    </span>
  );
}
