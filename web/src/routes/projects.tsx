// Projects: label filter chips (a project must carry every chosen label),
// text search, status and sort — all in the URL, so a view can be bookmarked —
// and keyset paging as "load more". "New project" for those who may create.
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate, useSearchParams } from 'react-router';
import { unwrap } from '../api/errors';
import { api } from '../auth';
import { Alert, ErrorMessage } from '../components/Alert';
import { Button } from '../components/Button';
import { Dialog } from '../components/Dialog';
import { LabelChip, LabelChipList, LabelPicker, type ChipLabel } from '../components/LabelChips';
import { EmptyState, Page } from '../components/Page';
import { Spinner } from '../components/Spinner';
import { TextField } from '../components/TextField';
import { filtersToParams, isFiltered, parseFilters, type Filters, type Status } from '../features/projects/filters';
import { labelsQuery, pkeys, projectsQuery, usePermissions, type Label, type Project } from '../features/projects/queries';
import { fieldErrorMessage } from '../i18n/errors';
import { ApiError } from '../api/errors';
import { useFormat } from '../lib/useFormat';
import '../styles/projects.css';

export function Component() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const filters = useMemo(() => parseFilters(params), [params]);
  const { can } = usePermissions();
  const labels = useQuery({ ...labelsQuery, enabled: can('labels.read') });
  const [creating, setCreating] = useState(false);
  const deleted = (useLocation().state as { deleted?: string } | null)?.deleted;

  function update(patch: Partial<Filters>) {
    setParams(filtersToParams({ ...filters, ...patch }), { replace: true });
  }

  const byCode = useMemo(() => new Map((labels.data ?? []).map((l) => [l.code.toLowerCase(), l])), [labels.data]);
  const chips: ChipLabel[] = filters.labels.map((c) => byCode.get(c.toLowerCase()) ?? { code: c });

  return (
    <Page
      title={t('projects.title')}
      actions={
        can('projects.write') && (
          <Button variant="primary" onClick={() => setCreating(true)}>
            {t('projects.new')}
          </Button>
        )
      }
    >
      {deleted && <Alert tone="success">{t('projects.deleted', { name: deleted })}</Alert>}
      <section className="filters card" aria-label={t('projects.filters')}>
        <SearchBox value={filters.q} onChange={(q) => update({ q })} />
        <div className="filters-row">
          {can('labels.read') && (
            <LabelPicker
              label={t('projects.filterLabels')}
              options={labels.data ?? []}
              chosen={filters.labels}
              onPick={(l) => update({ labels: [...filters.labels, l.code] })}
            />
          )}
          <SelectField
            label={t('projects.status')}
            value={filters.status ?? ''}
            onChange={(v) => update({ status: (v || null) as Status | null })}
            options={[
              ['', t('projects.statusAll')],
              ['active', t('projects.statusName.active')],
              ['archived', t('projects.statusName.archived')],
            ]}
          />
          <SelectField
            label={t('projects.sort')}
            value={filters.sort}
            onChange={(v) => update({ sort: v === 'name' ? 'name' : 'updated' })}
            options={[
              ['updated', t('projects.sortUpdated')],
              ['name', t('projects.sortName')],
            ]}
          />
        </div>
        {chips.length > 0 && (
          <div className="filters-chips">
            <LabelChipList
              label={t('projects.activeLabels')}
              labels={chips}
              onRemove={(l) => update({ labels: filters.labels.filter((c) => c !== l.code) })}
            />
            <span className="muted small">{t('projects.allLabelsHint')}</span>
          </div>
        )}
        {isFiltered(filters) && (
          <Button variant="link" onClick={() => setParams(new URLSearchParams(filters.sort === 'name' ? 'sort=name' : ''), { replace: true })}>
            {t('projects.clearFilters')}
          </Button>
        )}
      </section>
      <ProjectList filters={filters} canCreate={can('projects.write')} onCreate={() => setCreating(true)} />
      {creating && <CreateDialog labels={labels.data ?? []} showLabels={can('labels.read')} onClose={() => setCreating(false)} />}
    </Page>
  );
}

/** The search box: the URL follows 300 ms after the last keystroke. */
function SearchBox({ value, onChange }: { value: string; onChange: (q: string) => void }) {
  const { t } = useTranslation();
  const [text, setText] = useState(value);
  const [seen, setSeen] = useState(value);
  if (value !== seen) {
    // The URL changed from elsewhere (back button, clear filters).
    setSeen(value);
    setText(value);
  }
  useEffect(() => {
    if (text.trim() === value.trim()) return;
    const timer = setTimeout(() => onChange(text), 300);
    return () => clearTimeout(timer);
  }, [text, value, onChange]);
  return (
    <TextField
      label={t('projects.search')}
      hint={t('projects.searchHint')}
      type="search"
      value={text}
      maxLength={200}
      onChange={(e) => setText(e.target.value)}
    />
  );
}

export function SelectField({ label, value, onChange, options }: { label: string; value: string; onChange: (v: string) => void; options: [string, string][] }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id} className="field-label">
        {label}
      </label>
      <select id={id} className="select" value={value} onChange={(e) => onChange(e.target.value)}>
        {options.map(([v, text]) => (
          <option key={v} value={v}>
            {text}
          </option>
        ))}
      </select>
    </div>
  );
}

function ProjectList({ filters, canCreate, onCreate }: { filters: Filters; canCreate: boolean; onCreate: () => void }) {
  const { t } = useTranslation();
  const query = useInfiniteQuery(projectsQuery(filters));
  // Keyset pages never overlap, but a project edited between two pages could
  // show twice: keep the first.
  const items = useMemo(() => {
    const seen = new Set<string>();
    const out: Project[] = [];
    for (const p of query.data?.pages.flatMap((pg) => pg.items) ?? []) {
      if (!seen.has(p.id)) {
        seen.add(p.id);
        out.push(p);
      }
    }
    return out;
  }, [query.data]);

  if (query.isPending) return <Spinner />;
  if (query.isError) return <ErrorMessage error={query.error} onRetry={() => void query.refetch()} />;
  if (items.length === 0) {
    return isFiltered(filters) ? (
      <EmptyState title={t('projects.noneMatch')}>{t('projects.noneMatchBody')}</EmptyState>
    ) : (
      <EmptyState title={t('projects.empty')}>
        {canCreate ? (
          <Button variant="primary" onClick={onCreate}>
            {t('projects.emptyCreate')}
          </Button>
        ) : (
          t('projects.emptyAsk')
        )}
      </EmptyState>
    );
  }
  return (
    <section aria-labelledby="projects-count">
      <p id="projects-count" className="muted" role="status" data-testid="projects-count">
        {query.hasNextPage ? t('projects.countMore', { count: items.length }) : t('projects.count', { count: items.length })}
      </p>
      <ul className="project-list">
        {items.map((p) => (
          <li key={p.id}>
            <ProjectCard project={p} />
          </li>
        ))}
      </ul>
      {query.hasNextPage && (
        <div className="load-more">
          <Button busy={query.isFetchingNextPage} onClick={() => void query.fetchNextPage()}>
            {t('projects.loadMore')}
          </Button>
        </div>
      )}
    </section>
  );
}

function ProjectCard({ project }: { project: Project }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  return (
    <article className="card project-card" data-testid="project-card" aria-labelledby={`p-${project.id}`}>
      <h2 id={`p-${project.id}`} className="project-title">
        <Link to={`/projects/${project.id}`}>{project.name}</Link>
      </h2>
      <p className={`status status-${project.status}`}>{t(`projects.statusName.${project.status}`)}</p>
      {project.description && <p className="project-desc">{project.description}</p>}
      {project.labels.length > 0 && (
        <ul className="chip-list" aria-label={t('projects.labels')}>
          {project.labels.map((l) => (
            <li key={l.id}>
              <LabelChip label={l} />
            </li>
          ))}
        </ul>
      )}
      <p className="muted small">
        {t('projects.updated')} <time dateTime={project.updated_at}>{fmt.dateTime(project.updated_at)}</time>
      </p>
    </article>
  );
}

function CreateDialog({ labels, showLabels, onClose }: { labels: Label[]; showLabels: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [status, setStatus] = useState<Status>('active');
  const [chosen, setChosen] = useState<Label[]>([]);
  const descId = useId();
  const create = useMutation({
    mutationFn: async () => {
      // One request: the project and its labels are created together or not at all.
      return unwrap(
        await api.POST('/api/v1/projects', {
          body: { name, description: description || null, status, label_ids: chosen.map((l) => l.id) },
        }),
      );
    },
    onSuccess: (p) => {
      void qc.invalidateQueries({ queryKey: pkeys.projects });
      void qc.invalidateQueries({ queryKey: pkeys.labels });
      navigate(`/projects/${p.id}`);
    },
  });
  const nameErrors = create.error instanceof ApiError ? create.error.fieldErrors('name').map((e) => fieldErrorMessage(e)) : [];
  function submit(e: FormEvent) {
    e.preventDefault();
    create.mutate();
  }
  return (
    <Dialog open title={t('projects.new')} onClose={onClose}>
      <form onSubmit={submit} className="form">
        <TextField label={t('projects.name')} value={name} onChange={(e) => setName(e.target.value)} required maxLength={200} autoFocus error={nameErrors} />
        <div className="field">
          <label htmlFor={descId} className="field-label">
            {t('projects.description')}
          </label>
          <textarea id={descId} className="input textarea" rows={3} maxLength={10000} value={description} onChange={(e) => setDescription(e.target.value)} />
        </div>
        <SelectField
          label={t('projects.status')}
          value={status}
          onChange={(v) => setStatus(v === 'archived' ? 'archived' : 'active')}
          options={[
            ['active', t('projects.statusName.active')],
            ['archived', t('projects.statusName.archived')],
          ]}
        />
        {showLabels && (
          <>
            <LabelPicker
              label={t('projects.addLabel')}
              options={labels}
              chosen={chosen.map((l) => l.code)}
              onPick={(l) => {
                const full = labels.find((x) => x.code === l.code);
                if (full) setChosen([...chosen, full]);
              }}
            />
            <LabelChipList label={t('projects.labels')} labels={chosen} onRemove={(l) => setChosen(chosen.filter((c) => c.code !== l.code))} />
          </>
        )}
        {create.isError && nameErrors.length === 0 && <ErrorMessage error={create.error} />}
        <div className="form-actions">
          <Button variant="secondary" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button variant="primary" type="submit" busy={create.isPending}>
            {t('projects.create')}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
