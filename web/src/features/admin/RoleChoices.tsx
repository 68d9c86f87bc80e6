// The roles to give a user: one checkbox per role, privileged ones marked.
import { useTranslation } from 'react-i18next';
import type { PermissionInfo, Role } from './queries';
import { isPrivileged, roleName } from './roles';

export function RoleChoices({ roles, catalogue, chosen, onChange, disabled }: { roles: Role[]; catalogue: PermissionInfo[]; chosen: string[]; onChange: (ids: string[]) => void; disabled?: boolean }) {
  const { t } = useTranslation();
  return (
    <fieldset className="field role-choices" disabled={disabled}>
      <legend className="field-label">{t('users.roles')}</legend>
      <ul className="check-list">
        {roles.map((r) => (
          <li key={r.id}>
            <label className="check">
              <input
                type="checkbox"
                checked={chosen.includes(r.id)}
                onChange={(e) => onChange(e.target.checked ? [...chosen, r.id] : chosen.filter((id) => id !== r.id))}
              />
              <span>
                {roleName(r, t)}
                {isPrivileged(r.permissions, catalogue) && <span className="tag tag-privileged">{t('roles.privilegedMark')}</span>}
              </span>
            </label>
          </li>
        ))}
      </ul>
    </fieldset>
  );
}
