// A tenant's termination request in the operator console's tenants list: a
// badge with the request and due dates (the due date marked once passed),
// and the filter that lists only the tenants that requested termination.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../../lib/useFormat';
import { terminationRequested } from '../termination/queries';
import type { Tenant } from './queries';
import '../../styles/termination.css';

export function TerminationBadge({ tenant }: { tenant: Tenant }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const [now] = useState(() => Date.now());
  if (!terminationRequested(tenant)) return null;
  const due = tenant.termination_due_at ?? null;
  const overdue = due !== null && Date.parse(due) <= now;
  return (
    <div data-testid="termination-badge">
      <span className="tag tag-termination">
        <span aria-hidden="true">⚑ </span>
        {t('opsTermination.requested')}
      </span>
      <dl className="tenant-suspension small">
        <dt>{t('opsTermination.requestedAt')}</dt>
        <dd>
          <time dateTime={tenant.termination_requested_at!}>{fmt.dateTime(tenant.termination_requested_at!)}</time>
        </dd>
        {due && (
          <>
            <dt>{t('opsTermination.dueAt')}</dt>
            <dd className={overdue ? 'termination-overdue' : undefined} data-testid="termination-due">
              <time dateTime={due}>{fmt.dateTime(due)}</time>
              {overdue && ` ${t('opsTermination.overdue')}`}
            </dd>
          </>
        )}
      </dl>
    </div>
  );
}

export function TerminationFilter({ checked, onChange }: { checked: boolean; onChange: (v: boolean) => void }) {
  const { t } = useTranslation();
  return (
    <p className="termination-filter">
      <label className="checkbox">
        <input type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} data-testid="only-terminating" />{' '}
        {t('opsTermination.onlyRequested')}
      </label>
    </p>
  );
}

/** The tenants shown: all, or only those with a termination request. */
export function filterTerminating<T extends Tenant>(items: T[], only: boolean): T[] {
  return only ? items.filter(terminationRequested) : items;
}
