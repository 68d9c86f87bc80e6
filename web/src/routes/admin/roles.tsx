// Administration → roles: every role (built-in first) with what it allows in
// words, how many users hold it and who they are; "New role" opens the editor.
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router';
import { Alert } from '../../components/Alert';
import { QueryState } from '../../components/QueryState';
import { Holders } from '../../features/admin/Holders';
import { permissionsQuery, rolesQuery, type PermissionInfo, type Role } from '../../features/admin/queries';
import { localDescription } from '../../features/admin/roleSentence';
import { useRoleSentence } from '../../features/admin/useRoleSentence';
import { roleName } from '../../features/admin/roles';
import { useAdminTitle } from '../../features/admin/sections';
import '../../styles/admin.css';

export function Component() {
  const { t } = useTranslation();
  useAdminTitle(t('admin.tab.roles'));
  const roles = useQuery(rolesQuery);
  const catalogue = useQuery(permissionsQuery);
  const deleted = (useLocation().state as { deleted?: string } | null)?.deleted;
  return (
    <section className="admin-section" aria-labelledby="roles-heading">
      <div className="section-header">
        <h2 id="roles-heading">{t('admin.tab.roles')}</h2>
        <Link className="btn btn-primary" to="/admin/roles/new">
          {t('roles.new')}
        </Link>
      </div>
      <p className="muted">{t('roles.intro')}</p>
      {deleted && <Alert tone="success">{t('roles.deleted', { name: deleted })}</Alert>}
      <QueryState query={roles}>
        {(items) => (
          <ul className="role-list">
            {items.map((r) => (
              <li key={r.id}>
                <RoleCard role={r} catalogue={catalogue.data ?? []} />
              </li>
            ))}
          </ul>
        )}
      </QueryState>
    </section>
  );
}

function RoleCard({ role, catalogue }: { role: Role; catalogue: PermissionInfo[] }) {
  const { t, i18n } = useTranslation();
  const [open, setOpen] = useState(false);
  const sentence = useRoleSentence(role, catalogue);
  const panel = `holders-${role.id}`;
  return (
    <article className="card role-card" aria-labelledby={`role-${role.id}`} data-testid="role-card">
      <div className="section-header">
        <h3 id={`role-${role.id}`}>
          <Link to={`/admin/roles/${role.id}`}>{roleName(role, t)}</Link>
          {role.builtin && <span className="tag">{t('roles.builtin')}</span>}
        </h3>
        <button type="button" className="btn btn-link" aria-expanded={open} aria-controls={panel} onClick={() => setOpen(!open)}>
          {t('roles.holders', { count: role.user_count })}
        </button>
      </div>
      {role.description && <p className="muted small">{role.builtin ? localDescription(role.description, i18n.language) : role.description}</p>}
      <p className="role-sentence">{sentence}</p>
      <div id={panel} hidden={!open}>
        {open && <Holders roleId={role.id} />}
      </div>
    </article>
  );
}
