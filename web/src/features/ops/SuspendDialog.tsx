// Suspending or resuming a tenant: the dialog says what happens and asks for
// the reason (required, up to 500 characters, kept in the platform audit).
// Suspending ends every session of the tenant at once and keeps its users
// from signing in; its data stays. The list is invalidated on success.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessage } from '../../components/Alert';
import { Button } from '../../components/Button';
import { Dialog } from '../../components/Dialog';
import { TextField } from '../../components/TextField';
import { changeTenantStatus, okeys, REASON_MAX, type Tenant, type TenantAction } from './queries';

const EFFECTS = {
  suspend: ['opsTenants.suspendEffects.sessions', 'opsTenants.suspendEffects.signIn', 'opsTenants.suspendEffects.data'],
  resume: ['opsTenants.resumeEffects.signIn', 'opsTenants.resumeEffects.sessions'],
} as const;

export function SuspendDialog({ tenant, action, onClose, onDone }: { tenant: Tenant; action: TenantAction; onClose: () => void; onDone: (t: Tenant) => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const formId = useId();
  const [reason, setReason] = useState('');
  const [tried, setTried] = useState(false);
  const change = useMutation({
    mutationFn: () => changeTenantStatus(tenant.id, action, reason.trim()),
    onSuccess: async (out) => {
      await qc.invalidateQueries({ queryKey: okeys.tenants });
      onDone(out);
    },
  });
  const text = reason.trim();
  const problem = text.length === 0 ? t('opsTenants.reasonRequired') : text.length > REASON_MAX ? t('opsTenants.reasonTooLong') : null;

  function submit(e: FormEvent) {
    e.preventDefault();
    setTried(true);
    if (!problem) change.mutate();
  }

  const suspend = action === 'suspend';
  return (
    <Dialog
      open
      title={t(suspend ? 'opsTenants.suspendTitle' : 'opsTenants.resumeTitle', { name: tenant.name })}
      onClose={onClose}
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" form={formId} variant={suspend ? 'danger' : 'primary'} busy={change.isPending}>
            {t(suspend ? 'opsTenants.suspendConfirm' : 'opsTenants.resumeConfirm')}
          </Button>
        </>
      }
    >
      <ul data-testid="tenant-action-effects">
        {EFFECTS[action].map((k) => (
          <li key={k}>{t(k)}</li>
        ))}
      </ul>
      <form id={formId} noValidate onSubmit={submit}>
        <TextField
          label={t('opsTenants.reason')}
          hint={t('opsTenants.reasonHint')}
          name="reason"
          required
          autoFocus
          maxLength={REASON_MAX}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          error={tried ? problem : null}
        />
      </form>
      {change.isError && <ErrorMessage error={change.error} />}
    </Dialog>
  );
}
