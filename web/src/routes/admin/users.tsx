// Administration → users: search and status filter in the URL, keyset paging
// as "load more", and "Add user" (email, name, phone, roles) ending on the
// temporary password, shown once.
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useSearchParams } from 'react-router';
import { ApiError, unwrap } from '../../api/errors';
import { api } from '../../auth';
import { Alert, ErrorMessage } from '../../components/Alert';
import { Button } from '../../components/Button';
import { Dialog } from '../../components/Dialog';
import { EmptyState } from '../../components/Page';
import { Spinner } from '../../components/Spinner';
import { TextField } from '../../components/TextField';
import { AdminError, guardText } from '../../features/admin/guards';
import { akeys, permissionsQuery, rolesQuery, usersQuery, type User } from '../../features/admin/queries';
import { RoleChoices } from '../../features/admin/RoleChoices';
import { needsPhone, roleName } from '../../features/admin/roles';
import { useAdminTitle } from '../../features/admin/sections';
import { StatusSelect, UserStatusBadges } from '../../features/admin/UserParts';
import { isUserFiltered, parseUserFilters, userFiltersToParams, type UserFilters } from '../../features/admin/userFilters';
import { TemporaryPassword } from '../../features/admin/TemporaryPassword';
import { usePermissions } from '../../features/projects/queries';
import { fieldErrorMessage } from '../../i18n/errors';
import '../../styles/admin.css';

export function Component() {
  const { t } = useTranslation();
  useAdminTitle(t('admin.tab.users'));
  const [params, setParams] = useSearchParams();
  const filters = useMemo(() => parseUserFilters(params), [params]);
  const { can } = usePermissions();
  const [creating, setCreating] = useState(false);
  const deleted = (useLocation().state as { deleted?: string } | null)?.deleted;

  function update(patch: Partial<UserFilters>) {
    setParams(userFiltersToParams({ ...filters, ...patch }), { replace: true });
  }

  return (
    <section className="admin-section" aria-labelledby="users-heading">
      <div className="section-header">
        <h2 id="users-heading">{t('admin.tab.users')}</h2>
        {can('users.manage') && (
          <Button variant="primary" onClick={() => setCreating(true)}>
            {t('users.new')}
          </Button>
        )}
      </div>
      {deleted && <Alert tone="success">{t('users.deleted', { email: deleted })}</Alert>}
      <div className="card user-filters" role="search" aria-label={t('users.filters')}>
        <SearchBox value={filters.q} onChange={(q) => update({ q })} />
        <StatusSelect label={t('users.status')} allLabel={t('users.statusAll')} value={filters.status} onChange={(status) => update({ status })} />
        {isUserFiltered(filters) && (
          <Button variant="link" onClick={() => setParams(new URLSearchParams(), { replace: true })}>
            {t('users.clearFilters')}
          </Button>
        )}
      </div>
      <UserList filters={filters} />
      {creating && <CreateDialog onClose={() => setCreating(false)} />}
    </section>
  );
}

/** The search box: the URL (and the list) follow on Enter or "Search"; the
 * text is reset from the URL when that changes elsewhere (back, clear). */
function SearchBox({ value, onChange }: { value: string; onChange: (q: string) => void }) {
  const { t } = useTranslation();
  return (
    <form
      className="search-form"
      onSubmit={(e) => {
        e.preventDefault();
        onChange(String(new FormData(e.currentTarget).get('q') ?? ''));
      }}
    >
      <TextField key={value} name="q" label={t('users.search')} hint={t('users.searchHint')} type="search" defaultValue={value} maxLength={200} />
      <Button type="submit">{t('users.searchButton')}</Button>
    </form>
  );
}

function UserList({ filters }: { filters: UserFilters }) {
  const { t } = useTranslation();
  const query = useInfiniteQuery(usersQuery(filters));
  const roles = useQuery(rolesQuery);
  const items = useMemo(() => {
    const seen = new Set<string>();
    return (query.data?.pages.flatMap((p) => p.items) ?? []).filter((u) => !seen.has(u.id) && seen.add(u.id));
  }, [query.data]);
  const builtin = new Set((roles.data ?? []).filter((r) => r.builtin).map((r) => r.id));

  if (query.isPending) return <Spinner />;
  if (query.isError) return <ErrorMessage error={query.error} onRetry={() => void query.refetch()} />;
  if (items.length === 0) return <EmptyState title={isUserFiltered(filters) ? t('users.noneMatch') : t('users.empty')} />;
  return (
    <>
      <p className="muted" role="status" data-testid="users-count">
        {query.hasNextPage ? t('users.countMore', { count: items.length }) : t('users.count', { count: items.length })}
      </p>
      <div className="table-wrap">
        <table className="table" data-testid="users-table">
          <caption className="visually-hidden">{t('admin.tab.users')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('users.name')}</th>
              <th scope="col">{t('users.email')}</th>
              <th scope="col">{t('users.roles')}</th>
              <th scope="col">{t('users.status')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((u: User) => (
              <tr key={u.id}>
                <td>
                  <Link to={`/admin/users/${u.id}`}>{u.name}</Link>
                </td>
                <td>{u.email}</td>
                <td>{u.roles.map((r) => roleName({ ...r, builtin: builtin.has(r.id) }, t)).join('、') || <span className="muted">{t('users.noRoles')}</span>}</td>
                <td>
                  <UserStatusBadges user={u} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {query.hasNextPage && (
        <div className="load-more">
          <Button busy={query.isFetchingNextPage} onClick={() => void query.fetchNextPage()}>
            {t('users.loadMore')}
          </Button>
        </div>
      )}
    </>
  );
}

function CreateDialog({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const roles = useQuery(rolesQuery);
  const catalogue = useQuery(permissionsQuery);
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [phone, setPhone] = useState('');
  const [roleIds, setRoleIds] = useState<string[]>([]);
  const create = useMutation({
    mutationFn: async () =>
      unwrap(await api.POST('/api/v1/users', { body: { email: email.trim(), name: name.trim(), phone: phone.trim() || null, role_ids: roleIds } })),
    onSuccess: () => void qc.invalidateQueries({ queryKey: akeys.users }),
  });
  const phoneNeeded = needsPhone(roleIds, roles.data ?? [], catalogue.data ?? []);
  const fieldErrors = (field: string) =>
    create.error instanceof ApiError ? create.error.fieldErrors(field).map((e) => (e.code === 'phone_required' ? (guardText(create.error, t) ?? '') : fieldErrorMessage(e))) : [];
  const anyFieldError = ['email', 'name', 'phone'].some((f) => fieldErrors(f).length > 0);

  function submit(e: FormEvent) {
    e.preventDefault();
    create.mutate();
  }

  if (create.data) {
    return (
      <Dialog open title={t('users.createdTitle', { name: create.data.user.name })} onClose={onClose}>
        <TemporaryPassword password={create.data.temporary_password} email={create.data.user.email} expiresAt={create.data.expires_at} />
        <div className="form-actions">
          <Button variant="primary" onClick={onClose}>
            {t('users.done')}
          </Button>
        </div>
      </Dialog>
    );
  }
  return (
    <Dialog open title={t('users.new')} onClose={onClose}>
      <form onSubmit={submit} className="form">
        <TextField label={t('users.email')} type="email" value={email} onChange={(e) => setEmail(e.target.value)} required maxLength={254} autoFocus autoComplete="off" error={fieldErrors('email')} />
        <TextField label={t('users.name')} value={name} onChange={(e) => setName(e.target.value)} required maxLength={200} autoComplete="off" error={fieldErrors('name')} />
        <TextField
          label={phoneNeeded ? t('users.phoneRequired') : t('users.phone')}
          hint={phoneNeeded ? t('users.phoneNeededHint') : t('users.phoneHint')}
          type="tel"
          value={phone}
          onChange={(e) => setPhone(e.target.value)}
          required={phoneNeeded}
          pattern="\+[1-9][0-9]{6,14}"
          autoComplete="off"
          error={fieldErrors('phone')}
        />
        {roles.data && catalogue.data && <RoleChoices roles={roles.data} catalogue={catalogue.data} chosen={roleIds} onChange={setRoleIds} />}
        {create.isError && !anyFieldError && <AdminError error={create.error} />}
        <div className="form-actions">
          <Button variant="secondary" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button variant="primary" type="submit" busy={create.isPending}>
            {t('users.create')}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
