// Operator console → notices: every notice (past ones too), newest first,
// filtered by kind in the URL, a page at a time; "New notice" opens the form.
import { useInfiniteQuery } from '@tanstack/react-query';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { Page } from '../../components/Page';
import { NoticeTags, WhenLine } from '../../features/notices/NoticeParts';
import { NOTICE_KINDS, type NoticeKind } from '../../features/ops/noticeForm';
import { Paged } from '../../features/ops/OpsParts';
import { flatItems, noticesQuery } from '../../features/ops/queries';
import { localText } from '../../lib/text';
import { useFormat } from '../../lib/useFormat';
import '../../styles/admin.css';
import '../../styles/ops.css';
import '../../styles/pages.css';

export function Component() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const raw = params.get('kind');
  const kind = NOTICE_KINDS.includes(raw as NoticeKind) ? (raw as NoticeKind) : null;
  const id = useId();
  return (
    <Page
      title={t('opsNotices.title')}
      description={t('opsNotices.description')}
      actions={
        <Link to="/ops/notices/new" className="btn btn-primary">
          {t('opsNotices.new')}
        </Link>
      }
    >
      <div className="card ops-filters" role="search" aria-label={t('opsNotices.filters')}>
        <div className="field">
          <label htmlFor={id} className="field-label">
            {t('opsNotices.kind')}
          </label>
          <select id={id} className="select" value={kind ?? ''} onChange={(e) => setParams(e.target.value ? { kind: e.target.value } : {}, { replace: true })}>
            <option value="">{t('opsNotices.kindAll')}</option>
            {NOTICE_KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`notices.kind.${k}`)}
              </option>
            ))}
          </select>
        </div>
      </div>
      <NoticeList kind={kind} />
    </Page>
  );
}

function NoticeList({ kind }: { kind: NoticeKind | null }) {
  const { t, i18n } = useTranslation();
  const fmt = useFormat();
  const query = useInfiniteQuery(noticesQuery(kind));
  const items = flatItems(query.data?.pages, (x) => x.id);
  return (
    <Paged query={query} count={items.length} empty={t('opsNotices.empty')}>
      <table className="table" data-testid="ops-notices-table">
        <caption className="visually-hidden">{t('opsNotices.title')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('opsNotices.titleCol')}</th>
            <th scope="col">{t('opsNotices.tags')}</th>
            <th scope="col">{t('opsNotices.audience')}</th>
            <th scope="col">{t('opsNotices.published')}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((n) => (
            <tr key={n.id} data-testid="ops-notice-row">
              <th scope="row">
                <Link to={`/ops/notices/${n.id}`}>{localText(n.title, i18n.language)}</Link>
                <WhenLine notice={n} />
              </th>
              <td>
                <NoticeTags notice={n} />
              </td>
              <td>{n.tenant_ids?.length ? t('opsNotices.audienceCount', { count: n.tenant_ids.length }) : t('opsNotices.audienceAll')}</td>
              <td>
                <time dateTime={n.published_at}>{fmt.dateTime(n.published_at)}</time>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Paged>
  );
}
