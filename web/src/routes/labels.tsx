// Labels (product codes): the list with how many projects carry each;
// create and edit (the code's format, and for JAN/EAN its check digit, checked
// while typing — the server still has the last word); delete, which for a
// label in use says how many projects lose it.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ApiError, unwrap } from '../api/errors';
import { api } from '../auth';
import { Alert, ErrorMessage } from '../components/Alert';
import { Button } from '../components/Button';
import { Dialog } from '../components/Dialog';
import { EmptyState, Page } from '../components/Page';
import { QueryState } from '../components/QueryState';
import { TextField } from '../components/TextField';
import { matchLabel } from '../components/LabelChips';
import { checkLabelCode, janCheckDigit } from '../features/labels/jan';
import { labelsQuery, pkeys, usePermissions, type Label } from '../features/projects/queries';
import { fieldErrorMessage } from '../i18n/errors';
import '../styles/pages.css';
import '../styles/projects.css';

export function Component() {
  const { t } = useTranslation();
  const labels = useQuery(labelsQuery);
  const { can } = usePermissions();
  const manage = can('labels.manage');
  const [editing, setEditing] = useState<Label | 'new' | null>(null);
  const [deleting, setDeleting] = useState<Label | null>(null);
  const [q, setQ] = useState('');
  const shown = useMemo(() => (labels.data ?? []).filter((l) => matchLabel(l, q)), [labels.data, q]);

  return (
    <Page
      title={t('labels.title')}
      description={t('labels.description')}
      actions={
        manage && (
          <Button variant="primary" onClick={() => setEditing('new')}>
            {t('labels.new')}
          </Button>
        )
      }
    >
      <QueryState query={labels}>
        {(all) =>
          all.length === 0 ? (
            <EmptyState title={t('labels.empty')}>{manage ? t('labels.emptyCreate') : t('labels.emptyAsk')}</EmptyState>
          ) : (
            <>
              <div className="filters card">
                <TextField label={t('labels.search')} type="search" value={q} onChange={(e) => setQ(e.target.value)} />
              </div>
              <p className="muted" role="status">
                {t('labels.count', { count: shown.length })}
              </p>
              <table className="table labels-table">
                <thead>
                  <tr>
                    <th scope="col">{t('labels.code')}</th>
                    <th scope="col">{t('labels.name')}</th>
                    <th scope="col">{t('labels.kind')}</th>
                    <th scope="col" className="num">
                      {t('labels.projects')}
                    </th>
                    {manage && (
                      <th scope="col">
                        <span className="visually-hidden">{t('labels.actions')}</span>
                      </th>
                    )}
                  </tr>
                </thead>
                <tbody>
                  {shown.map((l) => (
                    <tr key={l.id} data-testid="label-row" data-code={l.code}>
                      <td>
                        <code>{l.code}</code>
                      </td>
                      <td>{l.name}</td>
                      <td>{l.kind === 'jan' ? t('labels.kindJan') : t('labels.kindFree')}</td>
                      <td className="num">
                        {l.project_count > 0 ? (
                          <Link to={`/projects?label=${encodeURIComponent(l.code)}`}>{t('labels.projectCount', { count: l.project_count })}</Link>
                        ) : (
                          t('labels.projectCount', { count: 0 })
                        )}
                      </td>
                      {manage && (
                        <td className="row-actions">
                          <Button className="btn-small" onClick={() => setEditing(l)} aria-label={t('labels.editOf', { code: l.code })}>
                            {t('labels.edit')}
                          </Button>
                          <Button className="btn-small" variant="danger" onClick={() => setDeleting(l)} aria-label={t('labels.deleteOf', { code: l.code })}>
                            {t('labels.delete')}
                          </Button>
                        </td>
                      )}
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )
        }
      </QueryState>
      {editing && <LabelDialog label={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
      {deleting && <DeleteLabel label={deleting} onClose={() => setDeleting(null)} />}
    </Page>
  );
}

function LabelDialog({ label, onClose }: { label: Label | null; onClose: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [code, setCode] = useState(label?.code ?? '');
  const [name, setName] = useState(label?.name ?? '');
  const [jan, setJan] = useState(label ? label.kind === 'jan' : true);
  const [touched, setTouched] = useState(false);
  const check = checkLabelCode(code.trim(), jan);
  const save = useMutation({
    mutationFn: async () => {
      const body = { code: code.trim(), name, kind: jan ? ('jan' as const) : null };
      return label
        ? unwrap(await api.PATCH('/api/v1/labels/{id}', { params: { path: { id: label.id } }, body }))
        : unwrap(await api.POST('/api/v1/labels', { body }));
    },
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: pkeys.labels });
      void qc.invalidateQueries({ queryKey: pkeys.projects });
      onClose();
    },
  });
  const server = save.error instanceof ApiError ? save.error : null;
  const codeErrors = [
    ...(touched && check !== 'ok' && check !== 'empty' ? [t(`labels.check.${check}`)] : []),
    ...(touched && check === 'invalid_check_digit' ? [t('labels.check.expected', { digit: janCheckDigit(code.trim().slice(0, -1)) })] : []),
    // The server's verdict stays visible beside the live check.
    ...(server?.fieldErrors('code').map((e) =>
      t('labels.serverCheck', {
        message: e.code === 'invalid_check_digit' || e.code === 'invalid_jan' || e.code === 'invalid_format' ? t(`labels.check.${e.code}`) : fieldErrorMessage(e),
      }),
    ) ?? []),
  ];
  const nameErrors = server?.fieldErrors('name').map((e) => fieldErrorMessage(e)) ?? [];
  const hasFieldErrors = (server?.fieldErrors().length ?? 0) > 0;
  function submit(e: FormEvent) {
    e.preventDefault();
    setTouched(true);
    save.mutate();
  }
  return (
    <Dialog open title={label ? t('labels.editTitle', { code: label.code }) : t('labels.new')} onClose={onClose}>
      <form className="form" onSubmit={submit} noValidate>
        <div className="field field-check">
          <label>
            <input type="checkbox" checked={jan} onChange={(e) => setJan(e.target.checked)} /> {t('labels.isJan')}
          </label>
        </div>
        <TextField
          label={t('labels.code')}
          hint={jan ? t('labels.codeHintJan') : t('labels.codeHint')}
          value={code}
          required
          maxLength={64}
          autoComplete="off"
          inputMode={jan ? 'numeric' : undefined}
          onChange={(e) => {
            setCode(e.target.value);
            setTouched(true);
            if (save.isError) save.reset();
          }}
          error={codeErrors}
          after={
            jan && check === 'ok' ? (
              <span className="ok-text" data-testid="jan-ok">
                {t('labels.check.ok')}
              </span>
            ) : undefined
          }
        />
        <TextField label={t('labels.name')} value={name} required maxLength={200} onChange={(e) => setName(e.target.value)} error={nameErrors} />
        {save.isError && !hasFieldErrors && <ErrorMessage error={save.error} />}
        <div className="form-actions">
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button variant="primary" type="submit" busy={save.isPending}>
            {label ? t('common.save') : t('labels.create')}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}

function DeleteLabel({ label, onClose }: { label: Label; onClose: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [inUse, setInUse] = useState(label.project_count);
  const del = useMutation({
    mutationFn: async () =>
      unwrap(await api.DELETE('/api/v1/labels/{id}', { params: { path: { id: label.id }, query: inUse > 0 ? { force: true } : {} } })),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: pkeys.labels });
      void qc.invalidateQueries({ queryKey: pkeys.projects });
      onClose();
    },
    onError: async (e) => {
      // Projects took the label meanwhile: ask again with the new count.
      if (e instanceof ApiError && e.code === 'label_in_use') {
        const fresh = unwrap(await api.GET('/api/v1/labels/{id}', { params: { path: { id: label.id } } }));
        setInUse(fresh.project_count);
      }
    },
  });
  return (
    <Dialog
      open
      title={t('labels.deleteTitle', { code: label.code })}
      onClose={onClose}
      footer={
        <>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button variant="danger" busy={del.isPending} onClick={() => del.mutate()}>
            {inUse > 0 ? t('labels.deleteForce', { count: inUse }) : t('labels.deleteConfirm')}
          </Button>
        </>
      }
    >
      {inUse > 0 ? (
        <Alert tone="warning">
          <p data-testid="label-in-use">{t('labels.deleteInUse', { code: label.code, name: label.name, count: inUse })}</p>
        </Alert>
      ) : (
        <p>{t('labels.deleteBody', { code: label.code, name: label.name })}</p>
      )}
      {del.isError && !(del.error instanceof ApiError && del.error.code === 'label_in_use') && <ErrorMessage error={del.error} />}
    </Dialog>
  );
}
