// Administration → one role (or a new one at /admin/roles/new): name and
// description, the permission matrix grouped by area (privileged ones marked:
// their holders need an SMS code at sign-in), the reference scope, and what
// the role allows said in words as it is edited. Built-in roles are shown
// read-only; a custom role can be deleted (its holders lose it at once).
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import type { Permission } from '../../api/queries';
import { ApiError, unwrap } from '../../api/errors';
import { api } from '../../auth';
import { Alert } from '../../components/Alert';
import { Button } from '../../components/Button';
import { Dialog } from '../../components/Dialog';
import { LabelChipList, LabelPicker } from '../../components/LabelChips';
import { QueryState } from '../../components/QueryState';
import { TextField } from '../../components/TextField';
import { AdminError } from '../../features/admin/guards';
import { Holders } from '../../features/admin/Holders';
import { akeys, permissionsQuery, rolesQuery, type PermissionInfo, type Role, type ScopeKind } from '../../features/admin/queries';
import { groupByArea, roleName } from '../../features/admin/roles';
import { useAdminTitle } from '../../features/admin/sections';
import { localDescription } from '../../features/admin/roleSentence';
import { useRoleSentence } from '../../features/admin/useRoleSentence';
import { labelsQuery } from '../../features/projects/queries';
import { fieldErrorMessage } from '../../i18n/errors';
import '../../styles/projects.css';
import '../../styles/admin.css';

export function Component() {
  const { id = 'new' } = useParams();
  const roles = useQuery(rolesQuery);
  const catalogue = useQuery(permissionsQuery);
  return (
    <QueryState query={roles}>
      {(items) => (
        <QueryState query={catalogue}>
          {(perms) => {
            const role = id === 'new' ? null : (items.find((r) => r.id === id) ?? null);
            if (id !== 'new' && !role) return (
                <Alert tone="error">
                  <NotFound />
                </Alert>
              );
            return <RoleEditor key={role?.id ?? 'new'} role={role} catalogue={perms} />;
          }}
        </QueryState>
      )}
    </QueryState>
  );
}

function NotFound() {
  const { t } = useTranslation();
  return (
    <>
      {t('roles.notFound')} <Link to="/admin/roles">{t('roles.back')}</Link>
    </>
  );
}

function RoleEditor({ role, catalogue }: { role: Role | null; catalogue: PermissionInfo[] }) {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const readOnly = role?.builtin ?? false;
  const title = role ? roleName(role, t) : t('roles.new');
  useAdminTitle(title);
  const [name, setName] = useState(role?.name ?? '');
  const [description, setDescription] = useState(role ? (role.builtin ? localDescription(role.description, i18n.language) : role.description) : '');
  const [permissions, setPermissions] = useState<Permission[]>(role?.permissions ?? ['projects.read']);
  const [kind, setKind] = useState<ScopeKind>(role?.scope.kind ?? 'all');
  const [labelIds, setLabelIds] = useState<string[]>(role?.scope.label_ids ?? []);
  const [deleting, setDeleting] = useState(false);
  // A new role is saved, then opened at its own address (state.saved).
  const [saved, setSaved] = useState((useLocation().state as { saved?: boolean } | null)?.saved === true);
  const labels = useQuery(labelsQuery);
  const sentence = useRoleSentence({ permissions, scope: { kind, label_ids: labelIds } }, catalogue);
  const descId = useId();

  const save = useMutation({
    mutationFn: async () => {
      const body = { name: name.trim(), description: description.trim() || null, permissions, scope: { kind, label_ids: kind === 'labels' ? labelIds : [] } };
      if (role) return unwrap(await api.PATCH('/api/v1/roles/{id}', { params: { path: { id: role.id } }, body }));
      return unwrap(await api.POST('/api/v1/roles', { body }));
    },
    onSuccess: async (r) => {
      await qc.invalidateQueries({ queryKey: akeys.roles });
      void qc.invalidateQueries({ queryKey: akeys.users });
      setSaved(true);
      if (!role) navigate(`/admin/roles/${r.id}`, { replace: true, state: { saved: true } });
    },
  });
  const nameErrors = save.error instanceof ApiError ? save.error.fieldErrors('name').map((e) => fieldErrorMessage(e)) : [];

  function toggle(p: Permission, on: boolean) {
    setPermissions(on ? [...permissions, p] : permissions.filter((x) => x !== p));
  }
  function submit(e: FormEvent) {
    e.preventDefault();
    setSaved(false);
    save.mutate();
  }
  const chosenLabels = labelIds.map((id) => labels.data?.find((l) => l.id === id) ?? { id, code: '…' });

  return (
    <section className="admin-section" aria-labelledby="role-heading">
      <p>
        <Link to="/admin/roles">{t('roles.back')}</Link>
      </p>
      <div className="section-header">
        <h2 id="role-heading">
          {title}
          {readOnly && <span className="tag">{t('roles.builtin')}</span>}
        </h2>
        {role && !readOnly && (
          <Button variant="danger" onClick={() => setDeleting(true)}>
            {t('roles.delete')}
          </Button>
        )}
      </div>
      {readOnly && <Alert tone="info">{t('roles.builtinWhy')}</Alert>}
      {saved && <Alert tone="success">{t('roles.saved')}</Alert>}
      <form onSubmit={submit} className="form role-form">
        <fieldset className="plain-fieldset" disabled={readOnly}>
          <legend className="visually-hidden">{title}</legend>
          <TextField label={t('roles.name')} value={name} onChange={(e) => setName(e.target.value)} required maxLength={100} error={nameErrors} />
          <div className="field">
            <label htmlFor={descId} className="field-label">
              {t('roles.description')}
            </label>
            <textarea id={descId} className="input textarea" rows={2} maxLength={1000} value={description} onChange={(e) => setDescription(e.target.value)} />
          </div>
          <PermissionMatrix catalogue={catalogue} chosen={permissions} onToggle={toggle} />
          <fieldset className="fieldset scope-field">
            <legend>{t('roles.scope')}</legend>
            <p className="field-hint">{t('roles.scopeHint')}</p>
            {(['all', 'labels', 'assigned'] as const).map((k) => (
              <label key={k} className="check">
                <input type="radio" name="scope" value={k} checked={kind === k} onChange={() => setKind(k)} />
                <span>{t(`roles.scopeKind.${k}`)}</span>
              </label>
            ))}
            {kind === 'labels' && (
              <div className="scope-labels">
                {!readOnly && (
                  <LabelPicker
                    label={t('roles.pickLabel')}
                    options={labels.data ?? []}
                    chosen={chosenLabels.map((l) => l.code)}
                    onPick={(l) => {
                      if (l.id) setLabelIds([...labelIds, l.id]);
                    }}
                  />
                )}
                <LabelChipList label={t('roles.chosenLabels')} labels={chosenLabels} onRemove={readOnly ? undefined : (l) => setLabelIds(labelIds.filter((id) => id !== l.id))} />
              </div>
            )}
          </fieldset>
        </fieldset>
        <section className="card role-summary" aria-labelledby="sentence-heading">
          <h3 id="sentence-heading">{t('roles.sentenceTitle')}</h3>
          <p aria-live="polite" data-testid="role-sentence">
            {sentence}
          </p>
        </section>
        {save.isError && nameErrors.length === 0 && <AdminError error={save.error} />}
        {!readOnly && (
          <div className="form-actions">
            <Button variant="primary" type="submit" busy={save.isPending}>
              {role ? t('common.save') : t('roles.create')}
            </Button>
          </div>
        )}
      </form>
      {role && (
        <section className="card admin-card" aria-labelledby="holders-heading">
          <h3 id="holders-heading">{t('roles.holders', { count: role.user_count })}</h3>
          <Holders roleId={role.id} />
        </section>
      )}
      {deleting && role && <DeleteDialog role={role} onClose={() => setDeleting(false)} />}
    </section>
  );
}

function PermissionMatrix({ catalogue, chosen, onToggle }: { catalogue: PermissionInfo[]; chosen: Permission[]; onToggle: (p: Permission, on: boolean) => void }) {
  const { t, i18n } = useTranslation();
  const ja = i18n.language === 'ja';
  return (
    <fieldset className="fieldset">
      <legend>{t('roles.permissions')}</legend>
      <p className="field-hint">
        <span className="tag tag-privileged">{t('roles.privilegedMark')}</span> {t('roles.privilegedHint')}
      </p>
      <div className="permission-matrix">
        {groupByArea(catalogue).map(([area, perms]) => (
          <fieldset key={area} className="permission-group">
            <legend>{t(`roles.area.${area}` as 'roles.area.projects', { defaultValue: area })}</legend>
            <ul className="check-list">
              {perms.map((p) => (
                <li key={p.name}>
                  <label className="check">
                    <input type="checkbox" checked={chosen.includes(p.name)} onChange={(e) => onToggle(p.name, e.target.checked)} data-permission={p.name} />
                    <span>
                      {ja ? p.description.ja : p.description.en}
                      {p.privileged && <span className="tag tag-privileged">{t('roles.privilegedMark')}</span>}
                    </span>
                  </label>
                </li>
              ))}
            </ul>
          </fieldset>
        ))}
      </div>
    </fieldset>
  );
}

function DeleteDialog({ role, onClose }: { role: Role; onClose: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const remove = useMutation({
    mutationFn: async () => unwrap(await api.DELETE('/api/v1/roles/{id}', { params: { path: { id: role.id } } })),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: akeys.roles });
      void qc.invalidateQueries({ queryKey: akeys.users });
      navigate('/admin/roles', { state: { deleted: role.name } });
    },
  });
  return (
    <Dialog open title={t('roles.deleteTitle', { name: role.name })} onClose={onClose}>
      <p>{role.user_count > 0 ? t('roles.deleteHeld', { count: role.user_count }) : t('roles.deleteUnheld')}</p>
      {remove.isError && <AdminError error={remove.error} />}
      <div className="form-actions">
        <Button onClick={onClose}>{t('common.cancel')}</Button>
        <Button variant="danger" busy={remove.isPending} onClick={() => remove.mutate()}>
          {t('roles.deleteConfirm')}
        </Button>
      </div>
    </Dialog>
  );
}
