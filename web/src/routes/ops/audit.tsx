// Operator console → audit: the platform audit log, newest first, filtered by
// operator, by action (exact, or a prefix ending in ".") and by time (entered
// in the operator's zone, RFC 3339 in the URL), a page at a time; each entry's
// details open on demand. The same filters export as CSV or JSON Lines.
import { useInfiniteQuery } from '@tanstack/react-query';
import { useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { Button } from '../../components/Button';
import { ExportButtons } from '../../components/ExportButtons';
import { Page } from '../../components/Page';
import { TextField } from '../../components/TextField';
import { TimeRangeFields, useTimeRange } from '../../components/TimeRangeFields';
import { auditFiltersFromParams, downloadAudit, paramsFromAuditFilters } from '../../features/ops/auditFilters';
import { Details, Paged } from '../../features/ops/OpsParts';
import { auditQuery, flatItems, type AuditFilters } from '../../features/ops/queries';
import { useFormat } from '../../lib/useFormat';
import '../../styles/admin.css';
import '../../styles/ops.css';
import '../../styles/pages.css';

export function Component() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const filters = useMemo(() => auditFiltersFromParams(params), [params]);

  return (
    <Page title={t('opsAudit.title')} description={t('opsAudit.description')}>
      <AuditFilterForm key={params.toString()} filters={filters} onApply={(f) => setParams(paramsFromAuditFilters(f), { replace: true })} />
      <section className="ops-export" aria-label={t('opsAudit.export')}>
        <p className="small muted">{t('opsAudit.exportHint')}</p>
        <ExportButtons
          download={(format) => downloadAudit(filters, format)}
          labels={{ csv: t('accessLog.exportCsv'), jsonl: t('accessLog.exportJsonl') }}
        />
      </section>
      <AuditList filters={filters} />
    </Page>
  );
}

function AuditFilterForm({ filters, onApply }: { filters: AuditFilters; onApply: (f: AuditFilters) => void }) {
  const { t } = useTranslation();
  const range = useTimeRange(filters.from, filters.to);
  const [touched, setTouched] = useState(false);

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setTouched(true);
    if (!range.ok) return;
    const data = new FormData(e.currentTarget);
    const text = (key: string) => String(data.get(key) ?? '').trim();
    onApply({ actorId: text('actor_id'), action: text('action'), from: range.fromIso, to: range.toIso });
  }

  return (
    <form className="card ops-filters" role="search" aria-label={t('opsAudit.filters')} onSubmit={submit} noValidate>
      <TextField name="actor_id" label={t('opsAudit.actorId')} hint={t('opsAudit.actorIdHint')} defaultValue={filters.actorId} maxLength={36} />
      <TextField name="action" label={t('opsAudit.action')} hint={t('opsAudit.actionHint')} defaultValue={filters.action} maxLength={64} />
      <TimeRangeFields range={range} showError={touched} />
      <Button type="submit">{t('opsTenants.common.apply')}</Button>
    </form>
  );
}

function AuditList({ filters }: { filters: AuditFilters }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const query = useInfiniteQuery(auditQuery(filters));
  const items = flatItems(query.data?.pages, (x) => x.id);
  return (
    <Paged query={query} count={items.length} empty={t('opsAudit.empty')}>
      <table className="table table-compact" data-testid="audit-table">
        <caption className="visually-hidden">{t('opsAudit.title')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('opsTenants.common.time')}</th>
            <th scope="col">{t('opsAudit.actor')}</th>
            <th scope="col">{t('opsAudit.action')}</th>
            <th scope="col">{t('opsAudit.target')}</th>
            <th scope="col">{t('opsTenants.common.ip')}</th>
            <th scope="col">{t('opsAudit.requestId')}</th>
            <th scope="col">{t('opsTenants.common.details')}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((x) => (
            <tr key={x.id} data-testid="audit-row">
              <td><time dateTime={x.at}>{fmt.dateTime(x.at)}</time></td>
              <td>
                {x.actor_email ?? x.actor_id ?? '—'}
                <div className="muted small">{x.actor_kind}</div>
              </td>
              <td><code className="nowrap" data-testid="audit-action">{x.action}</code></td>
              <td>{x.target_kind ? <><span>{x.target_kind}</span> <code className="small">{x.target_id}</code></> : '—'}</td>
              <td>{x.ip ?? '—'}</td>
              <td>{x.request_id ? <code className="small">{x.request_id}</code> : '—'}</td>
              <td><Details value={x.details} /></td>
            </tr>
          ))}
        </tbody>
      </table>
    </Paged>
  );
}
