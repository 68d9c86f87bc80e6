// Small pieces of the users pages: the status select and a user's state badges.
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { User, UserStatus } from './queries';

/** Active/disabled; with `allLabel`, an empty choice for "any status". */
export function StatusSelect<T extends UserStatus | null>({ label, value, onChange, allLabel }: { label: string; value: T; onChange: (v: T) => void; allLabel?: string }) {
  const { t } = useTranslation();
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id} className="field-label">
        {label}
      </label>
      <select id={id} className="select" value={value ?? ''} onChange={(e) => onChange((e.target.value || null) as T)}>
        {allLabel !== undefined && <option value="">{allLabel}</option>}
        <option value="active">{t('users.statusName.active')}</option>
        <option value="disabled">{t('users.statusName.disabled')}</option>
      </select>
    </div>
  );
}

export function UserStatusBadges({ user }: { user: User }) {
  const { t } = useTranslation();
  return (
    <span className="inline-list">
      <span className={`tag tag-${user.status}`}>{t(`users.statusName.${user.status}`)}</span>
      {user.locked && <span className="tag tag-warning">{t('users.locked')}</span>}
      {user.password_change_required && <span className="tag">{t('users.mustChangePassword')}</span>}
    </span>
  );
}
