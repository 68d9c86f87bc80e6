// The pieces of the export page: what an export holds and how to check it,
// the progress of the one under way, and the history table.
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/errors';
import { ErrorMessage } from '../../components/Alert';
import { Button } from '../../components/Button';
import { useCopy } from '../../lib/useCopy';
import { useFormat } from '../../lib/useFormat';
import { formatBytes } from '../projects/queries';
import { downloadExport, ekeys, shortHash, type ExportOut, type ExportStatus } from './queries';

const ICON: Record<ExportStatus, string> = { queued: '◷', running: '↻', ready: '✓', failed: '✕', expired: '◌' };

/** What an export contains, that it is the customer's own backup, how long
 * it stays and how to verify it. */
export function ExportAbout() {
  const { t } = useTranslation();
  return (
    <section className="card export-about" aria-labelledby="export-about">
      <h2 id="export-about">{t('exports.about.title')}</h2>
      <p>{t('exports.about.intro')}</p>
      <ul className="export-contents">
        {(['projects', 'files', 'labels', 'users', 'settings', 'accessLog', 'manifest'] as const).map((k) => (
          <li key={k}>{t(`exports.about.contents.${k}`)}</li>
        ))}
      </ul>
      <h3>{t('exports.about.backupTitle')}</h3>
      <p>{t('exports.about.backup')}</p>
      <h3>{t('exports.about.keepTitle')}</h3>
      <p>{t('exports.about.keep')}</p>
      <h3>{t('exports.about.verifyTitle')}</h3>
      <p>{t('exports.about.verify')}</p>
      <pre className="export-command">
        <code>{t('exports.about.verifyCommand')}</code>
      </pre>
      <p className="muted small">{t('exports.about.verifyKey')}</p>
    </section>
  );
}

export function StatusTag({ x }: { x: Pick<ExportOut, 'status'> }) {
  const { t } = useTranslation();
  return (
    <span className={`tag tag-export-${x.status}`} data-testid="export-status" data-status={x.status}>
      <span aria-hidden="true">{ICON[x.status]} </span>
      {t(`exports.status.${x.status}`)}
    </span>
  );
}

/** The export under way: a real <progress> (indeterminate until the server knows the total). */
export function ExportProgress({ x }: { x: ExportOut }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const known = x.items_total > 0;
  return (
    <div className="export-progress" data-testid="export-progress">
      <p>
        <StatusTag x={x} />{' '}
        {t('exports.requestedAt')} <time dateTime={x.created_at}>{fmt.dateTime(x.created_at)}</time>
      </p>
      <progress
        className="export-bar"
        aria-label={t('exports.progressLabel')}
        max={known ? x.items_total : undefined}
        value={known ? x.items_done : undefined}
      />
      <p className="small muted" aria-live="polite">
        {known ? t('exports.progress', { done: x.items_done, total: x.items_total }) : t('exports.waiting')}
      </p>
    </div>
  );
}

export function ExportHistory({ items }: { items: ExportOut[] }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  // Above the table: the row may change (expired) once the list is fetched again.
  const [failed, setFailed] = useState<unknown>(null);
  const onError = (e: unknown) => {
    setFailed(e);
    // 410: it expired meanwhile; 409: not ready after all. The list says so.
    if (e instanceof ApiError && (e.status === 410 || e.status === 409)) void qc.invalidateQueries({ queryKey: ekeys.all });
  };
  return (
    <>
      {failed !== null && <ErrorMessage error={failed} />}
      <div className="table-wrap">
        <table className="table" data-testid="exports-table">
          <caption className="visually-hidden">{t('exports.history')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('exports.col.status')}</th>
              <th scope="col">{t('exports.col.requested')}</th>
              <th scope="col">{t('exports.col.finished')}</th>
              <th scope="col" className="num">{t('exports.col.size')}</th>
              <th scope="col">{t('exports.col.sha256')}</th>
              <th scope="col">{t('exports.col.expires')}</th>
              <th scope="col"><span className="visually-hidden">{t('exports.col.actions')}</span></th>
            </tr>
          </thead>
          <tbody>
            {items.map((x) => (
              <ExportRow key={x.id} x={x} onError={onError} />
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

function When({ at }: { at?: string | null }) {
  const fmt = useFormat();
  return at ? <time dateTime={at}>{fmt.dateTime(at)}</time> : <span className="muted">—</span>;
}

function ExportRow({ x, onError }: { x: ExportOut; onError: (e: unknown) => void }) {
  const { t, i18n } = useTranslation();
  return (
    <tr data-testid="export-row" data-status={x.status}>
      <td>
        <StatusTag x={x} />
        {x.status === 'failed' && x.error && (
          <p className="small export-error" data-testid="export-error">
            {t('exports.failedWith', { error: x.error })}
          </p>
        )}
      </td>
      <td><When at={x.created_at} /></td>
      <td><When at={x.finished_at} /></td>
      <td className="num nowrap">{x.size == null ? <span className="muted">—</span> : formatBytes(x.size, i18n.language)}</td>
      <td>{x.sha256 ? <HashCell hash={x.sha256} /> : <span className="muted">—</span>}</td>
      <td><When at={x.expires_at} /></td>
      <td>{x.status === 'ready' && <DownloadButton x={x} onError={onError} />}</td>
    </tr>
  );
}

function HashCell({ hash }: { hash: string }) {
  const { t } = useTranslation();
  const { copied, copy } = useCopy();
  return (
    <span className="export-hash">
      <code title={hash} data-testid="export-sha256">
        {shortHash(hash)}
      </code>
      <Button variant="link" className="btn-small" onClick={() => void copy(hash)} aria-label={t('exports.copyHash')}>
        {t('exports.copy')}
      </Button>
      <span role="status" className="small muted">
        {copied === true ? t('exports.copied') : copied === false ? t('exports.copyFailed') : ''}
      </span>
    </span>
  );
}

function DownloadButton({ x, onError }: { x: ExportOut; onError: (e: unknown) => void }) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  return (
    <Button
      className="btn-small"
      busy={busy}
      aria-label={t('exports.downloadOf', { name: x.file_name })}
      onClick={() => {
        setBusy(true);
        onError(null);
        downloadExport(x)
          .catch(onError)
          .finally(() => setBusy(false));
      }}
    >
      {t('exports.download')}
    </Button>
  );
}
