// Operator console → tenants: every tenant with its user count, last activity
// and access-log state (an alert marked in words and colour), a page at a
// time. Extracting a tenant's access log asks first: the extraction is
// written to that tenant's own log (the customer sees it) and the platform audit.
// A tenant can be suspended (with a reason; its sessions end, its users cannot
// sign in, its data stays) and resumed. A termination request shows as a
// badge with its dates (the list can show only those), and a tenant can be
// deleted for good from a dialog that asks for its slug (DeleteTenantDialog).
import { useInfiniteQuery } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Alert } from '../../components/Alert';
import { Button } from '../../components/Button';
import { Dialog } from '../../components/Dialog';
import { Page } from '../../components/Page';
import { TextField } from '../../components/TextField';
import { Details, Paged } from '../../features/ops/OpsParts';
import { accessLogsQuery, flatItems, tenantsQuery, type AccessFilters, type Tenant, type TenantAction } from '../../features/ops/queries';
import { SuspendDialog } from '../../features/ops/SuspendDialog';
import { DeleteTenantDialog } from '../../features/ops/DeleteTenantDialog';
import { TerminationBadge, TerminationFilter, filterTerminating } from '../../features/ops/TenantTermination';
import { useFormat } from '../../lib/useFormat';
import '../../styles/admin.css';
import '../../styles/ops.css';
import '../../styles/pages.css';

export function Component() {
  const { t } = useTranslation();
  const query = useInfiniteQuery(tenantsQuery);
  const fmt = useFormat();
  const [asking, setAsking] = useState<Tenant | null>(null);
  const [extracting, setExtracting] = useState<Tenant | null>(null);
  const [changing, setChanging] = useState<{ tenant: Tenant; action: TenantAction } | null>(null);
  const [changed, setChanged] = useState<{ action: TenantAction; name: string } | null>(null);
  const [deleting, setDeleting] = useState<Tenant | null>(null);
  const [onlyTerminating, setOnlyTerminating] = useState(false);
  const items = filterTerminating(flatItems(query.data?.pages, (x) => x.id), onlyTerminating);
  const change = (c: { tenant: Tenant; action: TenantAction }) => {
    setChanged(null);
    setChanging(c);
  };

  return (
    <Page title={t('opsTenants.title')} description={t('opsTenants.description')}>
      {changed && <Alert tone="success">{t(changed.action === 'suspend' ? 'opsTenants.suspendedDone' : 'opsTenants.resumedDone', { name: changed.name })}</Alert>}
      <TerminationFilter checked={onlyTerminating} onChange={setOnlyTerminating} />
      <Paged query={query} count={items.length} empty={t(onlyTerminating ? 'opsTermination.noneRequested' : 'opsTenants.empty')}>
        <table className="table" data-testid="tenants-table">
          <caption className="visually-hidden">{t('opsTenants.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('opsTenants.name')}</th>
              <th scope="col">{t('opsTenants.slug')}</th>
              <th scope="col">{t('opsTenants.status')}</th>
              <th scope="col">{t('opsTenants.created')}</th>
              <th scope="col" className="num">{t('opsTenants.users')}</th>
              <th scope="col">{t('opsTenants.lastActivity')}</th>
              <th scope="col">{t('opsTenants.logState')}</th>
              <th scope="col"><span className="visually-hidden">{t('opsTenants.actions')}</span></th>
            </tr>
          </thead>
          <tbody>
            {items.map((x) => (
              <tr key={x.id} data-testid="tenant-row" data-slug={x.slug}>
                <th scope="row">{x.name}</th>
                <td><code>{x.slug}</code></td>
                <td><TenantStatus tenant={x} /><TerminationBadge tenant={x} /></td>
                <td><time dateTime={x.created_at}>{fmt.dateTime(x.created_at)}</time></td>
                <td className="num" data-testid="user-count">{x.user_count}</td>
                <td>{x.last_activity_at ? <time dateTime={x.last_activity_at}>{fmt.dateTime(x.last_activity_at)}</time> : <span className="muted">{t('opsTenants.never')}</span>}</td>
                <td>
                  {x.log_state === 'alert' ? (
                    <span className="tag tag-alert" data-testid="log-alert">
                      <span aria-hidden="true">⚠ </span>
                      {t('opsTenants.logAlert')}
                    </span>
                  ) : (
                    <span className="tag tag-intact">{t('opsTenants.logIntact')}</span>
                  )}
                </td>
                <td>
                  <div className="tenant-actions">
                    <Button className="btn-small" onClick={() => setAsking(x)} aria-label={t('opsTenants.extractFor', { name: x.name })}>
                      {t('opsTenants.extract')}
                    </Button>
                    {x.status === 'active' && (
                      <Button className="btn-small" variant="danger" onClick={() => change({ tenant: x, action: 'suspend' })} aria-label={t('opsTenants.suspendFor', { name: x.name })}>
                        {t('opsTenants.suspend')}
                      </Button>
                    )}
                    {x.status === 'suspended' && (
                      <Button className="btn-small" onClick={() => change({ tenant: x, action: 'resume' })} aria-label={t('opsTenants.resumeFor', { name: x.name })}>
                        {t('opsTenants.resume')}
                      </Button>
                    )}
                    <Button className="btn-small" variant="danger" onClick={() => setDeleting(x)} aria-label={t('opsTermination.deleteFor', { name: x.name })}>
                      {t('opsTermination.delete')}
                    </Button>
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </Paged>
      {asking && (
        <Dialog
          open
          title={t('opsTenants.confirmTitle', { name: asking.name })}
          onClose={() => setAsking(null)}
          footer={
            <>
              <Button variant="secondary" onClick={() => setAsking(null)}>
                {t('common.cancel')}
              </Button>
              <Button
                variant="primary"
                onClick={() => {
                  setExtracting(asking);
                  setAsking(null);
                }}
              >
                {t('opsTenants.confirm')}
              </Button>
            </>
          }
        >
          <p>{t('opsTenants.confirmText', { name: asking.name })}</p>
        </Dialog>
      )}
      {extracting && <AccessLogs tenant={extracting} onClose={() => setExtracting(null)} />}
      {changing && (
        <SuspendDialog
          tenant={changing.tenant}
          action={changing.action}
          onClose={() => setChanging(null)}
          onDone={(out) => {
            setChanging(null);
            setChanged({ action: changing.action, name: out.name });
          }}
        />
      )}
      {deleting && <DeleteTenantDialog tenant={deleting} onClose={() => setDeleting(null)} />}
    </Page>
  );
}

const STATUS_ICON: Record<Tenant['status'], string> = { provisioning: '◷', active: '●', suspended: '⊘', deleting: '✕' };

/** The status in words and an icon; a suspended tenant's reason and time beneath. */
function TenantStatus({ tenant }: { tenant: Tenant }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  return (
    <>
      <span className={`tag tag-tenant-${tenant.status}`} data-testid="tenant-status" data-status={tenant.status}>
        <span aria-hidden="true">{STATUS_ICON[tenant.status]} </span>
        {t(`opsTenants.statusName.${tenant.status}`)}
      </span>
      {tenant.status === 'suspended' && (
        <dl className="tenant-suspension small">
          {tenant.suspended_at && (
            <>
              <dt>{t('opsTenants.suspendedAt')}</dt>
              <dd className="nowrap"><time dateTime={tenant.suspended_at}>{fmt.dateTime(tenant.suspended_at)}</time></dd>
            </>
          )}
          {tenant.suspended_reason && (
            <>
              <dt>{t('opsTenants.reason')}</dt>
              <dd data-testid="suspended-reason">{tenant.suspended_reason}</dd>
            </>
          )}
        </dl>
      )}
    </>
  );
}

const noFilters: AccessFilters = { event: '', status: '', from: '', to: '' };

function AccessLogs({ tenant, onClose }: { tenant: Tenant; onClose: () => void }) {
  const { t } = useTranslation();
  const [filters, setFilters] = useState<AccessFilters>(noFilters);
  const [draft, setDraft] = useState<AccessFilters>(noFilters);
  const headingId = useId();
  function submit(e: FormEvent) {
    e.preventDefault();
    setFilters(draft);
  }
  return (
    <section className="card ops-access" aria-labelledby={headingId} data-testid="access-logs">
      <div className="section-header">
        <h2 id={headingId}>{t('opsTenants.accessTitle', { name: tenant.name })}</h2>
        <Button variant="secondary" className="btn-small" onClick={onClose}>
          {t('opsTenants.common.close')}
        </Button>
      </div>
      <form className="ops-filters" role="search" aria-label={t('opsTenants.accessFilters')} onSubmit={submit}>
        <TextField label={t('opsTenants.event')} hint={t('opsTenants.eventHint')} value={draft.event} maxLength={64} onChange={(e) => setDraft({ ...draft, event: e.target.value })} />
        <TextField label={t('opsTenants.httpStatus')} inputMode="numeric" value={draft.status} maxLength={3} onChange={(e) => setDraft({ ...draft, status: e.target.value.replace(/\D/g, '') })} />
        <TextField label={t('opsTenants.from')} type="datetime-local" value={draft.from} onChange={(e) => setDraft({ ...draft, from: e.target.value })} />
        <TextField label={t('opsTenants.to')} type="datetime-local" value={draft.to} onChange={(e) => setDraft({ ...draft, to: e.target.value })} />
        <Button type="submit">{t('opsTenants.common.apply')}</Button>
      </form>
      <AccessList tenant={tenant.id} filters={filters} />
    </section>
  );
}

function AccessList({ tenant, filters }: { tenant: string; filters: AccessFilters }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const query = useInfiniteQuery(accessLogsQuery(tenant, filters));
  const items = flatItems(query.data?.pages, (x) => x.seq);
  return (
    <Paged query={query} count={items.length} empty={t('opsTenants.accessEmpty')}>
      <table className="table table-compact">
        <caption className="visually-hidden">{t('opsTenants.accessCaption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('opsTenants.common.time')}</th>
            <th scope="col">{t('opsTenants.event')}</th>
            <th scope="col">{t('opsTenants.request')}</th>
            <th scope="col">{t('opsTenants.httpStatus')}</th>
            <th scope="col">{t('opsTenants.user')}</th>
            <th scope="col">{t('opsTenants.common.ip')}</th>
            <th scope="col">{t('opsTenants.common.details')}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((x) => (
            <tr key={x.seq}>
              <td><time dateTime={x.at}>{fmt.dateTime(x.at)}</time></td>
              <td><code className="nowrap">{x.event}</code></td>
              <td>{x.method ? <code>{`${x.method} ${x.path ?? ''}`}</code> : '—'}</td>
              <td>{x.status ?? '—'}</td>
              <td>{x.user_email ?? '—'}</td>
              <td>{x.ip ?? '—'}</td>
              <td><Details value={x.details} /></td>
            </tr>
          ))}
        </tbody>
      </table>
    </Paged>
  );
}
