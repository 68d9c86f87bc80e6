// One project: name, description and status edited in place (If-Match with
// the ETag read; a 412 opens the conflict dialog), its labels, its members
// (and who can see it, features/projects/MembersSection),
// its design files, and delete with what it takes along.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { ApiError, unwrap } from '../api/errors';
import { api } from '../auth';
import { Alert, ErrorMessage } from '../components/Alert';
import { Button } from '../components/Button';
import { Dialog } from '../components/Dialog';
import { LabelChipList, LabelPicker } from '../components/LabelChips';
import { EmptyState, Page } from '../components/Page';
import { Spinner } from '../components/Spinner';
import { TextField } from '../components/TextField';
import { FilesSection } from '../features/files/FilesSection';
import { ConflictDialog, type ProjectChange } from '../features/projects/ConflictDialog';
import { MembersSection } from '../features/projects/MembersSection';
import { filesQuery, formatBytes, labelsQuery, pkeys, projectQuery, usePermissions, type Project } from '../features/projects/queries';
import { fieldErrorMessage } from '../i18n/errors';
import { useFormat } from '../lib/useFormat';
import { SelectField } from './projects';
import '../styles/projects.css';

export function Component() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const query = useQuery(projectQuery(id));
  const { can } = usePermissions();

  if (query.isPending) return <Spinner />;
  if (query.isError) {
    const status = query.error instanceof ApiError ? query.error.status : 0;
    if (status === 404 || status === 400 || status === 403) {
      return (
        <Page title={t(status === 403 ? 'projects.forbiddenTitle' : 'projects.notFoundTitle')}>
          <EmptyState title={t(status === 403 ? 'projects.forbiddenBody' : 'projects.notFoundBody')}>
            <Link to="/projects">{t('projects.backToList')}</Link>
          </EmptyState>
        </Page>
      );
    }
    return <ErrorMessage error={query.error} onRetry={() => void query.refetch()} />;
  }
  const { project, etag } = query.data;
  const canWrite = can('projects.write');
  return (
    <Page title={project.name} actions={<Link to="/projects">{t('projects.backToList')}</Link>}>
      <div className="detail-grid">
        <section className="card" aria-labelledby="about-title">
          <h2 id="about-title">{t('projects.about')}</h2>
          <ProjectFields project={project} etag={etag} canWrite={canWrite} />
        </section>
        <section className="card" aria-labelledby="labels-title">
          <h2 id="labels-title">{t('projects.labels')}</h2>
          <LabelsEditor project={project} canWrite={canWrite && can('labels.read')} />
        </section>
        <MembersSection projectId={project.id} canWrite={canWrite} canReadUsers={can('users.read')} />
      </div>
      {can('files.read') && (
        <p className="evaluation-link">
          <Link to={`/projects/${project.id}/evaluation`}>{t('projects.evaluationLink')}</Link>
        </p>
      )}
      {can('files.read') && <FilesSection projectId={project.id} canWrite={can('files.write')} />}
      {can('projects.delete') && <DeleteProject project={project} canCountFiles={can('files.read')} />}
    </Page>
  );
}

type Field = 'name' | 'description' | 'status';

function ProjectFields({ project, etag, canWrite }: { project: Project; etag: string; canWrite: boolean }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const qc = useQueryClient();
  const [editing, setEditing] = useState<Field | null>(null);
  const [conflict, setConflict] = useState<{ theirs: Project; etag: string; change: ProjectChange } | null>(null);
  const [saved, setSaved] = useState(false);

  const save = useMutation({
    mutationFn: async ({ change, ifMatch }: { change: ProjectChange; ifMatch: string }) => {
      const result = await api.PATCH('/api/v1/projects/{id}', {
        params: { path: { id: project.id }, header: { 'If-Match': ifMatch } },
        body: change,
      });
      const p = unwrap(result);
      return { project: p, etag: result.response.headers.get('etag') ?? `"${p.version}"` };
    },
    onSuccess: (data) => {
      qc.setQueryData(pkeys.project(project.id), data);
      void qc.invalidateQueries({ queryKey: ['projects', 'list'] });
      setEditing(null);
      setConflict(null);
      setSaved(true);
    },
    onError: async (error, { change }) => {
      if (error instanceof ApiError && error.status === 412) {
        const latest = await qc.fetchQuery({ ...projectQuery(project.id), staleTime: 0 });
        setConflict({ theirs: latest.project, etag: latest.etag, change });
      }
    },
  });

  function submit(change: ProjectChange) {
    setSaved(false);
    save.mutate({ change, ifMatch: etag });
  }

  const rows: { field: Field; label: string; value: string }[] = [
    { field: 'name', label: t('projects.name'), value: project.name },
    { field: 'description', label: t('projects.description'), value: project.description },
    { field: 'status', label: t('projects.status'), value: t(`projects.statusName.${project.status}`) },
  ];
  const is412 = save.error instanceof ApiError && save.error.status === 412;

  return (
    <>
      <dl className="fields">
        {rows.map((r) => (
          <div key={r.field} className="fields-row">
            <dt>{r.label}</dt>
            <dd>
              {editing === r.field ? (
                <FieldEditor
                  field={r.field}
                  project={project}
                  busy={save.isPending}
                  error={save.error && !is412 ? save.error : null}
                  onCancel={() => {
                    setEditing(null);
                    save.reset();
                  }}
                  onSave={submit}
                />
              ) : (
                <div className="field-view">
                  <span className={r.field === 'description' ? 'pre-wrap' : undefined} data-testid={`project-${r.field}`}>
                    {r.value || <span className="muted">{t('projects.noDescription')}</span>}
                  </span>
                  {canWrite && (
                    <Button
                      variant="link"
                      className="btn-small"
                      aria-label={t('projects.editField', { field: r.label })}
                      onClick={() => {
                        save.reset();
                        setSaved(false);
                        setEditing(r.field);
                      }}
                    >
                      {t('projects.edit')}
                    </Button>
                  )}
                </div>
              )}
            </dd>
          </div>
        ))}
        <div className="fields-row">
          <dt>{t('projects.updated')}</dt>
          <dd>
            <time dateTime={project.updated_at}>{fmt.dateTime(project.updated_at)}</time>{' '}
            <span className="muted small">{t('projects.version', { version: project.version })}</span>
          </dd>
        </div>
      </dl>
      <p role="status" className="visually-hidden">
        {saved ? t('projects.saved') : ''}
      </p>
      {conflict && (
        <ConflictDialog
          theirs={conflict.theirs}
          mine={conflict.change}
          busy={save.isPending}
          onReload={() => {
            qc.setQueryData(pkeys.project(project.id), { project: conflict.theirs, etag: conflict.etag });
            setConflict(null);
            setEditing(null);
            save.reset();
          }}
          onOverwrite={() => save.mutate({ change: conflict.change, ifMatch: conflict.etag })}
          onClose={() => setConflict(null)}
        />
      )}
    </>
  );
}

function FieldEditor({
  field,
  project,
  busy,
  error,
  onSave,
  onCancel,
}: {
  field: Field;
  project: Project;
  busy: boolean;
  error: unknown;
  onSave: (c: ProjectChange) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const [value, setValue] = useState<string>(project[field]);
  const id = useId();
  const fieldErrors = error instanceof ApiError ? error.fieldErrors(field).map((e) => fieldErrorMessage(e)) : [];
  function submit(e: FormEvent) {
    e.preventDefault();
    if (field === 'status') onSave({ status: value === 'archived' ? 'archived' : 'active' });
    else onSave({ [field]: value });
  }
  return (
    <form className="inline-edit" onSubmit={submit} onKeyDown={(e) => e.key === 'Escape' && onCancel()}>
      {field === 'name' ? (
        <TextField label={t('projects.name')} value={value} onChange={(e) => setValue(e.target.value)} required maxLength={200} autoFocus error={fieldErrors} />
      ) : field === 'description' ? (
        <div className="field">
          <label htmlFor={id} className="field-label">
            {t('projects.description')}
          </label>
          <textarea id={id} className="input textarea" rows={4} maxLength={10000} value={value} autoFocus onChange={(e) => setValue(e.target.value)} />
        </div>
      ) : (
        <SelectField
          label={t('projects.status')}
          value={value}
          onChange={setValue}
          options={[
            ['active', t('projects.statusName.active')],
            ['archived', t('projects.statusName.archived')],
          ]}
        />
      )}
      {error !== null && fieldErrors.length === 0 && <ErrorMessage error={error} />}
      <div className="form-actions">
        <Button onClick={onCancel}>{t('common.cancel')}</Button>
        <Button variant="primary" type="submit" busy={busy}>
          {t('common.save')}
        </Button>
      </div>
    </form>
  );
}

function LabelsEditor({ project, canWrite }: { project: Project; canWrite: boolean }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const labels = useQuery({ ...labelsQuery, enabled: canWrite });
  const set = useMutation({
    mutationFn: async (ids: string[]) => {
      const result = await api.PUT('/api/v1/projects/{id}/labels', { params: { path: { id: project.id } }, body: { label_ids: ids } });
      const p = unwrap(result);
      return { project: p, etag: result.response.headers.get('etag') ?? `"${p.version}"` };
    },
    onSuccess: (data) => {
      qc.setQueryData(pkeys.project(project.id), data);
      void qc.invalidateQueries({ queryKey: ['projects', 'list'] });
      void qc.invalidateQueries({ queryKey: pkeys.labels });
      void qc.invalidateQueries({ queryKey: pkeys.access(project.id) });
    },
  });
  const ids = project.labels.map((l) => l.id);
  return (
    <>
      {project.labels.length === 0 && <p className="muted">{t('projects.noLabels')}</p>}
      <LabelChipList
        label={t('projects.labels')}
        labels={project.labels}
        onRemove={canWrite ? (l) => set.mutate(ids.filter((i) => i !== l.id)) : undefined}
      />
      {canWrite && (
        <LabelPicker
          label={t('projects.addLabel')}
          options={labels.data ?? []}
          chosen={project.labels.map((l) => l.code)}
          onPick={(l) => l.id && set.mutate([...ids, l.id])}
        />
      )}
      {set.isError && <ErrorMessage error={set.error} />}
    </>
  );
}

function DeleteProject({ project, canCountFiles }: { project: Project; canCountFiles: boolean }) {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const [open, setOpen] = useState(false);
  const files = useQuery({ ...filesQuery(project.id), enabled: open && canCountFiles });
  const del = useMutation({
    mutationFn: async () => unwrap(await api.DELETE('/api/v1/projects/{id}', { params: { path: { id: project.id } } })),
    onSuccess: () => {
      qc.removeQueries({ queryKey: pkeys.project(project.id) });
      void qc.invalidateQueries({ queryKey: pkeys.projects });
      void qc.invalidateQueries({ queryKey: pkeys.labels });
      navigate('/projects', { replace: true, state: { deleted: project.name } });
    },
  });
  const count = files.data?.length ?? 0;
  const size = files.data?.reduce((s, f) => s + f.size, 0) ?? 0;
  return (
    <section className="card danger-zone" aria-labelledby="danger-title">
      <h2 id="danger-title">{t('projects.dangerZone')}</h2>
      <Button variant="danger" onClick={() => setOpen(true)}>
        {t('projects.delete')}
      </Button>
      {open && (
        <Dialog
          open
          title={t('projects.deleteTitle', { name: project.name })}
          onClose={() => setOpen(false)}
          footer={
            <>
              <Button onClick={() => setOpen(false)}>{t('common.cancel')}</Button>
              <Button variant="danger" busy={del.isPending} disabled={canCountFiles && files.isPending} onClick={() => del.mutate()}>
                {t('projects.deleteConfirm')}
              </Button>
            </>
          }
        >
          {canCountFiles ? (
            files.isPending ? (
              <Spinner />
            ) : (
              <Alert tone="warning">
                <p data-testid="delete-summary">{t('projects.deleteBody', { count, size: formatBytes(size, i18n.language) })}</p>
              </Alert>
            )
          ) : (
            <Alert tone="warning">
              <p>{t('projects.deleteBodyNoFiles')}</p>
            </Alert>
          )}
          {del.isError && <ErrorMessage error={del.error} />}
        </Dialog>
      )}
    </section>
  );
}
