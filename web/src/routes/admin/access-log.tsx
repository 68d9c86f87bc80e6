// Administration → access log: the tenant's entries, newest first, filtered
// by the URL's event/from/to (My Page's form) plus user, status and address,
// "load more" by keyset cursor, a row's every field in a dialog, CSV/JSONL
// export, and the chain verification badge with "verify again".
import { useInfiniteQuery, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { FilterForm } from '../me/access-log';
import { ErrorMessage } from '../../components/Alert';
import { Button } from '../../components/Button';
import { ExportButtons } from '../../components/ExportButtons';
import { EmptyState } from '../../components/Page';
import { Dialog } from '../../components/Dialog';
import { Spinner } from '../../components/Spinner';
import { TextField } from '../../components/TextField';
import {
  EMPTY_ADMIN_FILTERS,
  adminFiltersFromParams,
  brokenReason,
  downloadExport,
  hasAdminFilters,
  paramsFromAdminFilters,
  tenantLogQuery,
  validIp,
  validStatus,
  validUserId,
  verifyQuery,
  type AdminLogFilters,
} from '../../features/admin/accessLog';
import { useAdminTitle } from '../../features/admin/sections';
import type { components } from '../../api/schema';
import { useFormat } from '../../lib/useFormat';
import '../../styles/admin-log.css';

export function Component() {
  const { t } = useTranslation();
  useAdminTitle(t('accessLog.title'));
  const [params, setParams] = useSearchParams();
  const filters = useMemo(() => adminFiltersFromParams(params), [params]);
  const fmt = useFormat();
  const log = useInfiniteQuery(tenantLogQuery(filters));
  const rows = useMemo(() => log.data?.pages.flatMap((p) => p.items) ?? [], [log.data]);
  const [open, setOpen] = useState<Entry | null>(null);

  return (
    <section className="card" aria-labelledby="admin-log">
      <h2 id="admin-log">{t('accessLog.title')}</h2>
      <VerifyBadge />
      <AdminFilterForm
        key={params.toString()}
        filters={filters}
        onApply={(next) => setParams(paramsFromAdminFilters(next, params))}
      />
      <ExportButtons
        download={(format) => downloadExport(filters, format)}
        labels={{ csv: t('accessLog.exportCsv'), jsonl: t('accessLog.exportJsonl') }}
      />
      {log.isPending ? (
        <Spinner />
      ) : log.isError && rows.length === 0 ? (
        <ErrorMessage error={log.error} onRetry={() => void log.refetch()} />
      ) : rows.length === 0 ? (
        <EmptyState title={hasAdminFilters(filters) ? t('accessLog.emptyFiltered') : t('accessLog.empty')} />
      ) : (
        <>
          <div className="table-wrap" tabIndex={0} role="region" aria-label={t('accessLog.caption')}>
            <table className="table" data-testid="admin-access-log">
              <caption>{t('accessLog.caption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('accessLog.seq')}</th>
                  <th scope="col">{t('accessLog.time')}</th>
                  <th scope="col">{t('accessLog.user')}</th>
                  <th scope="col">{t('accessLog.event')}</th>
                  <th scope="col">{t('accessLog.status')}</th>
                  <th scope="col">{t('accessLog.address')}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((e) => (
                  <tr key={e.seq} data-seq={e.seq} data-event={e.event}>
                    <td>
                      <Button
                        variant="link"
                        aria-label={t('accessLog.openEntry', { seq: e.seq })}
                        onClick={() => setOpen(e)}
                      >
                        {e.seq}
                      </Button>
                    </td>
                    <td className="nowrap">
                      <time dateTime={e.at}>{fmt.dateTime(e.at)}</time>
                    </td>
                    <td>{e.user_email ?? e.user_id ?? t('accessLog.none')}</td>
                    <td>
                      <code>{e.event}</code>
                    </td>
                    <td>{e.status ?? t('accessLog.none')}</td>
                    <td>{e.ip ?? t('accessLog.none')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {log.isFetchNextPageError && <ErrorMessage error={log.error} onRetry={() => void log.fetchNextPage()} />}
          <div className="load-more">
            {log.hasNextPage ? (
              <Button busy={log.isFetchingNextPage} onClick={() => void log.fetchNextPage()}>
                {t('accessLog.loadMore')}
              </Button>
            ) : (
              <p className="muted small">{t('accessLog.end')}</p>
            )}
          </div>
        </>
      )}
      <EntryDialog
        entry={open}
        onClose={() => setOpen(null)}
        onUser={(user_id) => {
          setOpen(null);
          setParams(paramsFromAdminFilters({ ...filters, user_id }, params));
        }}
      />
    </section>
  );
}

type Entry = components['schemas']['LogEntryOut'];

const ENTRY_FIELDS = [
  'seq',
  'at',
  'event',
  'user_id',
  'user_email',
  'method',
  'route',
  'path',
  'status',
  'latency_ms',
  'ip',
  'user_agent',
  'request_id',
  'prev_hash',
  'hash',
] as const satisfies readonly (keyof Entry)[];

/** The API's field name, shown as is (like the others). */
const DETAILS = 'details';

/** Every field of one entry, its details as JSON. */
function EntryDialog({
  entry,
  onClose,
  onUser,
}: {
  entry: Entry | null;
  onClose: () => void;
  /** Filter the log by this entry's user. */
  onUser: (userId: string) => void;
}) {
  const { t } = useTranslation();
  const fmt = useFormat();
  return (
    <Dialog
      className="log-entry-dialog"
      open={entry !== null}
      title={t('accessLog.entryTitle', { seq: entry?.seq ?? '' })}
      onClose={onClose}
      footer={
        entry?.user_id ? (
          <Button onClick={() => onUser(entry.user_id ?? '')}>{t('accessLog.userEntries')}</Button>
        ) : undefined
      }
    >
      {entry && (
        <dl className="log-entry" data-testid="log-entry">
          {ENTRY_FIELDS.map((f) => (
            <div key={f}>
              <dt>
                <code>{f}</code>
              </dt>
              <dd>
                {entry[f] == null || entry[f] === '' ? (
                  t('accessLog.none')
                ) : f === 'at' ? (
                  <>
                    <time dateTime={entry.at}>{fmt.dateTime(entry.at)}</time> <code className="muted small">{entry.at}</code>
                  </>
                ) : (
                  <code className="break">{String(entry[f])}</code>
                )}
              </dd>
            </div>
          ))}
          <div>
            <dt>
              <code>{DETAILS}</code>
            </dt>
            <dd>
              <pre className="log-details">{JSON.stringify(entry.details, null, 2)}</pre>
            </dd>
          </div>
        </dl>
      )}
    </Dialog>
  );
}

/** My Page's form (event, time range) with the administrator's user, status
 * and address fields, all applied together. */
function AdminFilterForm({ filters, onApply }: { filters: AdminLogFilters; onApply: (f: AdminLogFilters) => void }) {
  const { t } = useTranslation();
  const [userId, setUserId] = useState(filters.user_id);
  const [status, setStatus] = useState(filters.status);
  const [ip, setIp] = useState(filters.ip);
  const [touched, setTouched] = useState(false);
  const ok = { user: validUserId(userId.trim()), status: validStatus(status.trim()), ip: validIp(ip.trim()) };
  return (
    <FilterForm
      filters={filters}
      filtered={hasAdminFilters(filters)}
      extraValid={ok.user && ok.status && ok.ip}
      onTouched={() => setTouched(true)}
      onClear={() => onApply(EMPTY_ADMIN_FILTERS)}
      onApply={(f) => onApply({ ...f, user_id: userId.trim().toLowerCase(), status: status.trim(), ip: ip.trim() })}
      extra={
        <>
          <TextField
            label={t('accessLog.filterUser')}
            name="user_id"
            autoComplete="off"
            spellCheck={false}
            value={userId}
            onChange={(e) => setUserId(e.target.value)}
            error={touched && !ok.user ? t('accessLog.userInvalid') : null}
          />
          <TextField
            label={t('accessLog.status')}
            name="status"
            inputMode="numeric"
            autoComplete="off"
            value={status}
            onChange={(e) => setStatus(e.target.value)}
            error={touched && !ok.status ? t('accessLog.statusInvalid') : null}
          />
          <TextField
            label={t('accessLog.address')}
            name="ip"
            autoComplete="off"
            spellCheck={false}
            value={ip}
            onChange={(e) => setIp(e.target.value)}
            error={touched && !ok.ip ? t('accessLog.ipInvalid') : null}
          />
        </>
      }
    />
  );
}

function VerifyBadge() {
  const { t, i18n } = useTranslation();
  // The API says why in English (with details); other languages get its kind.
  const reasonText = (reason: string | null | undefined) => {
    const kind = brokenReason(reason);
    return kind && !i18n.language.startsWith('en') ? t(`accessLog.reasons.${kind}`) : (reason ?? '');
  };
  const fmt = useFormat();
  const verify = useQuery(verifyQuery);
  const qc = useQueryClient();
  return (
    <div
      className={verify.data?.status === 'intact' ? 'verify' : 'verify verify-broken'}
      data-testid="verify-badge"
      data-status={verify.data?.status}
      aria-live="polite"
    >
      {verify.isPending ? (
        <Spinner />
      ) : verify.isError ? (
        <ErrorMessage error={verify.error} onRetry={() => void verify.refetch()} />
      ) : (
        <p>
          <strong>
            {verify.data.status === 'intact'
              ? t('accessLog.verify.intact')
              : t('accessLog.verify.broken', { seq: verify.data.first_bad_seq ?? '?', reason: reasonText(verify.data.reason) })}
          </strong>{' '}
          <span className="muted small verify-detail">
            {t('accessLog.verify.counts', {
              entries: verify.data.entries_checked,
              checkpoints: verify.data.checkpoints_checked,
            })}
            {verify.data.last_checkpoint_at &&
              ` ${t('accessLog.verify.lastCheckpoint', { at: fmt.dateTime(verify.data.last_checkpoint_at) })}`}
          </span>
        </p>
      )}
      {/* Verifying again also reloads the entries, to show what was checked. */}
      <Button busy={verify.isFetching} onClick={() => void qc.invalidateQueries({ queryKey: ['admin', 'access-log'] })}>
        {t('accessLog.verify.again')}
      </Button>
    </div>
  );
}

