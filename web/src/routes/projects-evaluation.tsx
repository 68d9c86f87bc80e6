// A project's candidate designs compared: each design with its predicted-
// attention heatmap (toggle and opacity) and its areas of interest, the
// status in words while it is evaluated (polled every 2 s), and a metrics
// table with the best value per row marked; candidates ordered by a metric.
// Prints as a plain report (styles/evaluation.css).
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { Link, useParams } from 'react-router';
import { ApiError, unwrap } from '../api/errors';
import { api } from '../auth';
import { ErrorMessage } from '../components/Alert';
import { Button } from '../components/Button';
import { EmptyState, Page } from '../components/Page';
import { Spinner } from '../components/Spinner';
import {
  bestIndices,
  formatMetric,
  METRICS,
  metricRows,
  sortCandidates,
  type EvaluationItem,
  type MetricRow,
} from '../features/evaluations/compare';
import { AreasEditor } from '../features/evaluations/AreasEditor';
import { evaluationsQuery, ekeys, useHeatmapUrl } from '../features/evaluations/queries';
import { useFileBlobUrl } from '../features/files/useFileBlob';
import { projectQuery, usePermissions } from '../features/projects/queries';
import { SelectField } from './projects';
import '../styles/projects.css';
import '../styles/pages.css';
import '../styles/evaluation.css';

const IMAGE_TYPES = new Set(['png', 'jpeg', 'webp', 'gif', 'svg']);

export function Component() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const project = useQuery(projectQuery(id));
  const list = useQuery(evaluationsQuery(id));
  const { can } = usePermissions();
  const [sortKey, setSortKey] = useState('');

  const title = project.data ? t('evaluation.title', { name: project.data.project.name }) : t('evaluation.titlePlain');
  const back = <Link to={`/projects/${id}`}>{t('evaluation.backToProject')}</Link>;
  if (list.isPending) return <Spinner />;
  if (list.isError) {
    const status = list.error instanceof ApiError ? list.error.status : 0;
    if (status === 404 || status === 400 || status === 403) {
      return (
        <Page title={t(status === 403 ? 'projects.forbiddenTitle' : 'projects.notFoundTitle')}>
          <EmptyState title={t(status === 403 ? 'projects.forbiddenBody' : 'projects.notFoundBody')}>
            <Link to="/projects">{t('projects.backToList')}</Link>
          </EmptyState>
        </Page>
      );
    }
    return <ErrorMessage error={list.error} onRetry={() => void list.refetch()} />;
  }
  return (
    <Page title={title} actions={back}>
      <Explanation />
      {list.data.length === 0 ? (
        <EmptyState title={t('evaluation.empty')}>{t('evaluation.emptyBody')}</EmptyState>
      ) : (
        <Comparison projectId={id} items={list.data} sortKey={sortKey} onSort={setSortKey} canWrite={can('files.write')} />
      )}
    </Page>
  );
}

function Explanation() {
  const { t } = useTranslation();
  return (
    <section className="eval-explain" aria-labelledby="eval-explain-title">
      <h2 id="eval-explain-title">{t('evaluation.explainTitle')}</h2>
      <p>{t('evaluation.explain')}</p>
      <p>{t('evaluation.explainNot')}</p>
    </section>
  );
}

function Comparison({
  projectId,
  items,
  sortKey,
  onSort,
  canWrite,
}: {
  projectId: string;
  items: EvaluationItem[];
  sortKey: string;
  onSort: (k: string) => void;
  canWrite: boolean;
}) {
  const { t } = useTranslation();
  const rows = useMemo(() => metricRows(items), [items]);
  const sortRow = rows.find((r) => r.key === sortKey) ?? null;
  const sorted = useMemo(() => sortCandidates(items, sortRow), [items, sortRow]);
  const [editing, setEditing] = useState<EvaluationItem | null>(null);
  const options: [string, string][] = [['', t('evaluation.sortUpload')], ...rows.map((r): [string, string] => [r.key, rowLabel(r, t)])];
  return (
    <>
      <div className="eval-toolbar no-print">
        <SelectField label={t('evaluation.sortBy')} value={sortRow ? sortKey : ''} onChange={onSort} options={options} />
      </div>
      {sortRow && (
        <p className="muted small print-only" data-testid="sorted-by">
          {t('evaluation.sortedBy', { metric: rowLabel(sortRow, t) })}
        </p>
      )}
      <ul className="eval-grid" aria-label={t('evaluation.candidates')}>
        {sorted.map((item) => (
          <li key={item.file_id}>
            <CandidateCard projectId={projectId} item={item} canWrite={canWrite} onEditAreas={() => setEditing(item)} />
          </li>
        ))}
      </ul>
      <MetricsTable items={sorted} rows={rows} />
      {editing && <AreasEditor projectId={projectId} item={editing} onClose={() => setEditing(null)} />}
    </>
  );
}

export function rowLabel(row: MetricRow, t: TFunction): string {
  return t(row.labelKey, { name: row.area ?? '' });
}

function statusText(item: EvaluationItem, t: TFunction): string {
  const e = item.evaluation;
  if (!e) return t('evaluation.status.none');
  const reason = e.reason ? t(`evaluation.reason.${e.reason}`, { defaultValue: e.reason }) : t('evaluation.reason.unknown');
  switch (e.status) {
    case 'pending':
      return t('evaluation.status.pending');
    case 'running':
      return t('evaluation.status.running');
    case 'done':
      return t('evaluation.status.done');
    case 'failed':
      return t('evaluation.status.failed', { reason });
    case 'skipped':
      return t('evaluation.status.skipped', { reason });
  }
}

function CandidateCard({ projectId, item, canWrite, onEditAreas }: { projectId: string; item: EvaluationItem; canWrite: boolean; onEditAreas: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const id = useId();
  const e = item.evaluation;
  const status = e?.status ?? 'none';
  const [showHeat, setShowHeat] = useState(true);
  const [opacity, setOpacity] = useState(60);
  const image = IMAGE_TYPES.has(item.sniffed_type);
  const design = useFileBlobUrl(projectId, image ? item.file_id : null, 0);
  const heat = useHeatmapUrl(projectId, item.file_id, status === 'done' ? (e?.finished_at ?? e?.updated_at ?? null) : null);
  const rerun = useMutation({
    mutationFn: async () =>
      unwrap(await api.POST('/api/v1/projects/{id}/files/{file_id}/evaluation', { params: { path: { id: projectId, file_id: item.file_id } } })),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ekeys.list(projectId) }),
  });
  const busy = status === 'pending' || status === 'running';
  return (
    <article className="card eval-card" data-testid="eval-card" data-status={status} aria-labelledby={`${id}-name`}>
      <h3 id={`${id}-name`} className="eval-name" title={item.filename}>
        {item.filename}
      </h3>
      <figure className="eval-figure">
        <div className="eval-stage">
          {design.url ? (
            <img src={design.url} alt={t('evaluation.designAlt', { name: item.filename })} className="eval-design" />
          ) : design.error || !image ? (
            <span className="eval-noimage">{t('evaluation.noPreview')}</span>
          ) : (
            <Spinner size="small" />
          )}
          {showHeat && heat.url && design.url && (
            <img
              src={heat.url}
              alt={t('evaluation.heatmapAlt', { name: item.filename })}
              className="eval-heat"
              data-testid="heatmap"
              style={{ opacity: opacity / 100 }}
            />
          )}
          {design.url &&
            (e?.areas ?? []).map((a, i) => (
              <span
                key={i}
                className="eval-area"
                data-testid="area"
                style={{ left: `${a.x * 100}%`, top: `${a.y * 100}%`, width: `${a.w * 100}%`, height: `${a.h * 100}%` }}
              >
                <span className="eval-area-label">{a.name}</span>
              </span>
            ))}
        </div>
        <figcaption className={`eval-status eval-status-${status}`} role="status" data-testid="eval-status">
          {busy && <Spinner size="small" decorative />}
          {statusText(item, t)}
        </figcaption>
      </figure>
      {status === 'done' && (
        <div className="eval-controls no-print">
          <label className="checkbox">
            <input type="checkbox" checked={showHeat} onChange={(ev) => setShowHeat(ev.target.checked)} />
            {t('evaluation.showHeatmap')}
          </label>
          <label className="eval-opacity" htmlFor={`${id}-opacity`}>
            {t('evaluation.opacity')}
          </label>
          <input
            id={`${id}-opacity`}
            type="range"
            min={0}
            max={100}
            step={5}
            value={opacity}
            disabled={!showHeat}
            aria-valuetext={`${opacity}%`}
            onChange={(ev) => setOpacity(Number(ev.target.value))}
          />
          <span className="small muted" aria-hidden="true">
            {opacity}%
          </span>
        </div>
      )}
      {heat.error !== null && <ErrorMessage error={heat.error} />}
      {e && status === 'done' && (
        <p className="muted small">{t('evaluation.algorithm', { algorithm: e.algorithm ?? '?', version: e.algorithm_version ?? '?' })}</p>
      )}
      {canWrite && e && (
        <div className="eval-actions no-print">
          {image && (
            <Button className="btn-small" onClick={onEditAreas} aria-label={t('evaluation.editAreasOf', { name: item.filename })}>
              {t('evaluation.editAreas')}
            </Button>
          )}
          {!busy && status !== 'skipped' && (
            <Button className="btn-small" busy={rerun.isPending} onClick={() => rerun.mutate()} aria-label={t('evaluation.rerunOf', { name: item.filename })}>
              {t('evaluation.rerun')}
            </Button>
          )}
        </div>
      )}
      {rerun.isError && <ErrorMessage error={rerun.error} />}
    </article>
  );
}

function MetricsTable({ items, rows }: { items: EvaluationItem[]; rows: MetricRow[] }) {
  const { t, i18n } = useTranslation();
  return (
    <section className="card eval-metrics" aria-labelledby="eval-metrics-title">
      <h2 id="eval-metrics-title">{t('evaluation.metricsTitle')}</h2>
      <div className="table-wrap" tabIndex={0} role="region" aria-labelledby="eval-metrics-title">
        <table className="table eval-table" data-testid="metrics-table">
          <thead>
            <tr>
              <th scope="col">{t('evaluation.metricColumn')}</th>
              {items.map((item) => (
                <th scope="col" key={item.file_id} title={item.filename}>
                  {item.filename}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => {
              const values = items.map((i) => row.value(i));
              const best = bestIndices(values, row.higherBetter);
              return (
                <tr key={row.key} data-metric={row.key}>
                  <th scope="row">
                    {rowLabel(row, t)}
                    <span className="eval-direction small muted">{row.higherBetter ? t('evaluation.higherBetter') : t('evaluation.lowerBetter')}</span>
                  </th>
                  {values.map((v, i) => (
                    <td key={items[i].file_id} className={best.includes(i) ? 'eval-best' : undefined} data-best={best.includes(i) || undefined}>
                      {v === null ? (
                        <span className="muted" aria-label={t('evaluation.noValue')}>
                          –
                        </span>
                      ) : (
                        formatMetric(v, row.format, i18n.language)
                      )}
                      {best.includes(i) && (
                        <span className="eval-best-mark">
                          <span aria-hidden="true"> ★</span> {t('evaluation.best')}
                        </span>
                      )}
                    </td>
                  ))}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <dl className="eval-notes small">
        <dt>{t('evaluation.bestNoteTerm')}</dt>
        <dd>{t('evaluation.bestNote')}</dd>
        {[...METRICS, 'area' as const].map((k) => (
          <div key={k} className="eval-note">
            <dt>{t(`evaluation.metric.${k}`, { name: t('evaluation.areaGeneric') })}</dt>
            <dd>{t(`evaluation.note.${k}`)}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
