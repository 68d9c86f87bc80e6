// Administration → one user: name, phone and status; its roles; a new
// temporary password; disable/enable; delete with the email typed to confirm.
// Users carry no version (no ETag): the last save wins.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { ApiError, unwrap } from '../../api/errors';
import { api } from '../../auth';
import { Alert } from '../../components/Alert';
import { Button } from '../../components/Button';
import { Dialog } from '../../components/Dialog';
import { QueryState } from '../../components/QueryState';
import { TextField } from '../../components/TextField';
import { AdminError } from '../../features/admin/guards';
import { akeys, permissionsQuery, rolesQuery, userQuery, type User, type UserStatus } from '../../features/admin/queries';
import { RoleChoices } from '../../features/admin/RoleChoices';
import { needsPhone } from '../../features/admin/roles';
import { useAdminTitle } from '../../features/admin/sections';
import { TemporaryPassword } from '../../features/admin/TemporaryPassword';
import { StatusSelect, UserStatusBadges } from '../../features/admin/UserParts';
import { usePermissions } from '../../features/projects/queries';
import { fieldErrorMessage } from '../../i18n/errors';
import { useFormat } from '../../lib/useFormat';
import '../../styles/admin.css';

export function Component() {
  const { id = '' } = useParams();
  const user = useQuery(userQuery(id));
  return <QueryState query={user}>{(u) => <UserDetail key={u.id} user={u} />}</QueryState>;
}

function useUserSaved() {
  const qc = useQueryClient();
  return (u: User) => {
    qc.setQueryData(akeys.user(u.id), u);
    void qc.invalidateQueries({ queryKey: akeys.users });
    void qc.invalidateQueries({ queryKey: akeys.roles });
  };
}

function UserDetail({ user }: { user: User }) {
  const { t } = useTranslation();
  useAdminTitle(user.name);
  const fmt = useFormat();
  const { can, me } = usePermissions();
  const self = me?.id === user.id;
  const [deleting, setDeleting] = useState(false);
  const [resetting, setResetting] = useState(false);
  return (
    <section className="admin-section" aria-labelledby="user-heading">
      <p>
        <Link to="/admin/users">{t('users.back')}</Link>
      </p>
      <div className="section-header">
        <div>
          <h2 id="user-heading">{user.name}</h2>
          <p className="muted">
            {user.email} · {t('users.created')} <time dateTime={user.created_at}>{fmt.dateTime(user.created_at)}</time>
          </p>
          <UserStatusBadges user={user} />
        </div>
        <div className="page-actions">
          {can('users.manage') && !self && <Button onClick={() => setResetting(true)}>{t('users.reset')}</Button>}
          {can('users.delete') && !self && (
            <Button variant="danger" onClick={() => setDeleting(true)}>
              {t('users.delete')}
            </Button>
          )}
        </div>
      </div>
      {self && <Alert tone="info">{t('users.selfNote')}</Alert>}
      <div className="admin-grid">
        <ProfileCard user={user} editable={can('users.manage')} self={self} />
        <RolesCard user={user} editable={can('roles.manage')} />
      </div>
      {deleting && <DeleteDialog user={user} onClose={() => setDeleting(false)} />}
      {resetting && <ResetDialog user={user} onClose={() => setResetting(false)} />}
    </section>
  );
}

function ProfileCard({ user, editable, self }: { user: User; editable: boolean; self: boolean }) {
  const { t } = useTranslation();
  const saved = useUserSaved();
  const [name, setName] = useState(user.name);
  const [phone, setPhone] = useState(user.phone ?? '');
  const [status, setStatus] = useState<UserStatus>(user.status);
  const [done, setDone] = useState(false);
  const save = useMutation({
    mutationFn: async (body: { name?: string; phone?: string | null; status?: UserStatus }) =>
      unwrap(await api.PATCH('/api/v1/users/{id}', { params: { path: { id: user.id } }, body })),
    onSuccess: (u) => {
      setName(u.name);
      setPhone(u.phone ?? '');
      setStatus(u.status);
      setDone(true);
      saved(u);
    },
  });
  const fieldErrors = (field: string) => (save.error instanceof ApiError ? save.error.fieldErrors(field).map((e) => fieldErrorMessage(e)) : []);
  const anyFieldError = ['name', 'phone'].some((f) => fieldErrors(f).length > 0);

  function submit(e: FormEvent) {
    e.preventDefault();
    setDone(false);
    const body: { name?: string; phone?: string | null; status?: UserStatus } = {};
    if (name.trim() !== user.name) body.name = name.trim();
    if (phone.trim() !== (user.phone ?? '')) body.phone = phone.trim() || null;
    if (status !== user.status) body.status = status;
    save.mutate(body);
  }
  /** Disable or enable at once (the status alone). */
  function toggle() {
    setDone(false);
    save.mutate({ status: user.status === 'active' ? 'disabled' : 'active' });
  }

  return (
    <section className="card admin-card" aria-labelledby="profile-heading">
      <h3 id="profile-heading">{t('users.profile')}</h3>
      {done && <Alert tone="success">{t('users.saved')}</Alert>}
      {save.isError && !anyFieldError && <AdminError error={save.error} />}
      <form onSubmit={submit} className="form">
        <fieldset className="plain-fieldset" disabled={!editable}>
          <legend className="visually-hidden">{t('users.profile')}</legend>
          <TextField label={t('users.name')} value={name} onChange={(e) => setName(e.target.value)} required maxLength={200} error={fieldErrors('name')} />
          <TextField label={t('users.phone')} hint={t('users.phoneHint')} type="tel" value={phone} onChange={(e) => setPhone(e.target.value)} pattern="\+[1-9][0-9]{6,14}" error={fieldErrors('phone')} />
          <StatusSelect label={t('users.status')} value={status} onChange={setStatus} />
          {status === 'disabled' && user.status === 'active' && <p className="small muted">{t('users.disableNote')}</p>}
        </fieldset>
        {editable && (
          <div className="form-actions">
            {!self && (
              <Button onClick={toggle} busy={save.isPending} data-testid="toggle-status">
                {user.status === 'active' ? t('users.disable') : t('users.enable')}
              </Button>
            )}
            <Button variant="primary" type="submit" busy={save.isPending}>
              {t('common.save')}
            </Button>
          </div>
        )}
      </form>
    </section>
  );
}

function RolesCard({ user, editable }: { user: User; editable: boolean }) {
  const { t } = useTranslation();
  const saved = useUserSaved();
  const roles = useQuery(rolesQuery);
  const catalogue = useQuery(permissionsQuery);
  const [chosen, setChosen] = useState(user.roles.map((r) => r.id));
  const [done, setDone] = useState(false);
  const save = useMutation({
    mutationFn: async () => unwrap(await api.PUT('/api/v1/users/{id}/roles', { params: { path: { id: user.id } }, body: { role_ids: chosen } })),
    onSuccess: (u) => {
      setChosen(u.roles.map((r) => r.id));
      setDone(true);
      saved(u);
    },
  });
  const phoneMissing = !user.phone && needsPhone(chosen, roles.data ?? [], catalogue.data ?? []);
  return (
    <section className="card admin-card" aria-labelledby="roles-heading">
      <h3 id="roles-heading">{t('users.roles')}</h3>
      {done && <Alert tone="success">{t('users.rolesSaved')}</Alert>}
      {save.isError && <AdminError error={save.error} />}
      {roles.data && catalogue.data && (
        <form
          className="form"
          onSubmit={(e) => {
            e.preventDefault();
            setDone(false);
            save.mutate();
          }}
        >
          <RoleChoices roles={roles.data} catalogue={catalogue.data} chosen={chosen} onChange={setChosen} disabled={!editable} />
          {phoneMissing && <p className="small warning-text">{t('users.guard.phone_required')}</p>}
          <p className="small muted">{t('users.rolesNote')}</p>
          {editable && (
            <div className="form-actions">
              <Button variant="primary" type="submit" busy={save.isPending}>
                {t('users.saveRoles')}
              </Button>
            </div>
          )}
        </form>
      )}
    </section>
  );
}

function ResetDialog({ user, onClose }: { user: User; onClose: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const reset = useMutation({
    mutationFn: async () => unwrap(await api.POST('/api/v1/users/{id}/password-reset', { params: { path: { id: user.id } } })),
    onSuccess: () => void qc.invalidateQueries({ queryKey: akeys.user(user.id) }),
  });
  return (
    <Dialog open title={t('users.reset')} onClose={onClose}>
      {reset.data ? (
        <TemporaryPassword password={reset.data.temporary_password} email={user.email} expiresAt={reset.data.expires_at} />
      ) : (
        <>
          <p>{t('users.resetBody', { name: user.name })}</p>
          {reset.isError && <AdminError error={reset.error} />}
        </>
      )}
      <div className="form-actions">
        {reset.data ? (
          <Button variant="primary" onClick={onClose}>
            {t('users.done')}
          </Button>
        ) : (
          <>
            <Button onClick={onClose}>{t('common.cancel')}</Button>
            <Button variant="danger" busy={reset.isPending} onClick={() => reset.mutate()}>
              {t('users.resetConfirm')}
            </Button>
          </>
        )}
      </div>
    </Dialog>
  );
}

function DeleteDialog({ user, onClose }: { user: User; onClose: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const [typed, setTyped] = useState('');
  const remove = useMutation({
    mutationFn: async () => unwrap(await api.DELETE('/api/v1/users/{id}', { params: { path: { id: user.id } } })),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: akeys.users });
      void qc.invalidateQueries({ queryKey: akeys.roles });
      navigate('/admin/users', { state: { deleted: user.email } });
    },
  });
  const matches = typed.trim().toLowerCase() === user.email.toLowerCase();
  return (
    <Dialog open title={t('users.deleteTitle', { name: user.name })} onClose={onClose}>
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          if (matches) remove.mutate();
        }}
      >
        <p>{t('users.deleteBody')}</p>
        <TextField label={t('users.deleteType', { email: user.email })} value={typed} onChange={(e) => setTyped(e.target.value)} autoFocus autoComplete="off" />
        {remove.isError && <AdminError error={remove.error} />}
        <div className="form-actions">
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button variant="danger" type="submit" disabled={!matches} busy={remove.isPending}>
            {t('users.deleteConfirm')}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
