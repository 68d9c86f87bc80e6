// Deleting a tenant for good (the end of a termination): the dialog says
// exactly what goes (its database, every stored object, its exports, every
// platform record about it), that only a deletion certificate stays and that
// nothing can bring it back; the tenant's slug must be typed. Then it shows
// the certificate the server returns. Deleting again after an interruption
// finishes the job. The tenants list is invalidated.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Alert, ErrorMessage } from '../../components/Alert';
import { Button } from '../../components/Button';
import { Dialog } from '../../components/Dialog';
import { useFormat } from '../../lib/useFormat';
import { deleteTenant, terminationRequested, type DeletionCertificateOut } from '../termination/queries';
import { SlugConfirmField } from '../termination/SlugConfirmField';
import { okeys, type Tenant } from './queries';
import '../../styles/termination.css';

const EFFECTS = ['database', 'objects', 'exports', 'platform'] as const;

export function DeleteTenantDialog({ tenant, onClose }: { tenant: Tenant; onClose: () => void }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const qc = useQueryClient();
  const formId = useId();
  const [typed, setTyped] = useState('');
  const remove = useMutation({
    mutationFn: () => deleteTenant(tenant.id),
    onSuccess: () => qc.invalidateQueries({ queryKey: okeys.tenants }),
  });
  const matches = typed === tenant.slug;

  function submit(e: FormEvent) {
    e.preventDefault();
    if (matches) remove.mutate();
  }

  if (remove.data) {
    return (
      <Dialog
        open
        title={t('opsTermination.done', { slug: remove.data.slug })}
        onClose={onClose}
        footer={
          <Button variant="primary" autoFocus onClick={onClose}>
            {t('common.close')}
          </Button>
        }
      >
        <Certificate cert={remove.data} />
      </Dialog>
    );
  }

  return (
    <Dialog
      open
      title={t('opsTermination.title', { name: tenant.name })}
      onClose={onClose}
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" form={formId} variant="danger" disabled={!matches} busy={remove.isPending}>
            {t('opsTermination.confirm')}
          </Button>
        </>
      }
    >
      <div className="delete-state">
        {tenant.status === 'deleting' && <Alert tone="warning">{t('opsTermination.interrupted')}</Alert>}
        {terminationRequested(tenant) ? (
          <p data-testid="delete-request">
            {t('opsTermination.requestedInfo', {
              at: fmt.dateTime(tenant.termination_requested_at!),
              due: tenant.termination_due_at ? fmt.dateTime(tenant.termination_due_at) : '—',
            })}
          </p>
        ) : (
          <Alert tone="warning">{t('opsTermination.notRequested')}</Alert>
        )}
      </div>
      <p>{t('opsTermination.effectsIntro')}</p>
      <ul className="delete-effects" data-testid="delete-effects">
        {EFFECTS.map((k) => (
          <li key={k}>{t(`opsTermination.effects.${k}`)}</li>
        ))}
      </ul>
      <p>{t('opsTermination.kept')}</p>
      <p className="delete-irreversible">{t('opsTermination.irreversible')}</p>
      <form id={formId} noValidate onSubmit={submit}>
        <SlugConfirmField label={t('opsTermination.slug')} slug={tenant.slug} value={typed} onChange={setTyped} autoFocus />
      </form>
      <p className="muted small">{t('opsTermination.resume')}</p>
      {remove.isError && <ErrorMessage error={remove.error} />}
    </Dialog>
  );
}

function Certificate({ cert }: { cert: DeletionCertificateOut }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const none = <span className="muted">{t('opsTermination.cert.none')}</span>;
  return (
    <>
      <p>{t('opsTermination.certificateNote')}</p>
      <dl className="certificate" data-testid="deletion-certificate">
        <dt>{t('opsTermination.cert.slug')}</dt>
        <dd>
          <code>{cert.slug}</code>
        </dd>
        <dt>{t('opsTermination.cert.tenantId')}</dt>
        <dd>
          <code>{cert.tenant_id}</code>
        </dd>
        <dt>{t('opsTermination.cert.requestedAt')}</dt>
        <dd>{cert.requested_at ? <time dateTime={cert.requested_at}>{fmt.dateTime(cert.requested_at)}</time> : none}</dd>
        <dt>{t('opsTermination.cert.completedAt')}</dt>
        <dd data-testid="cert-completed">
          <time dateTime={cert.completed_at}>{fmt.dateTime(cert.completed_at)}</time>
        </dd>
        <dt>{t('opsTermination.cert.operator')}</dt>
        <dd>{cert.operator_email ?? none}</dd>
        <dt>{t('opsTermination.cert.rows')}</dt>
        <dd data-testid="cert-rows">{cert.rows_removed}</dd>
        <dt>{t('opsTermination.cert.objects')}</dt>
        <dd data-testid="cert-objects">{cert.objects_removed}</dd>
        <dt>{t('opsTermination.cert.checkpoint')}</dt>
        <dd data-testid="cert-checkpoint">{cert.last_checkpoint_sha256 ? <code>{cert.last_checkpoint_sha256}</code> : none}</dd>
      </dl>
    </>
  );
}
