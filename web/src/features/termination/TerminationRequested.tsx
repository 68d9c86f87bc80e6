// A termination request in force: when and by whom it was made, the date by
// which everything is deleted, and withdrawing it (after a confirmation).
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Alert, ErrorMessage } from '../../components/Alert';
import { Button } from '../../components/Button';
import { Dialog } from '../../components/Dialog';
import { useFormat } from '../../lib/useFormat';
import { tkeys, withdrawTermination, type TerminationOut } from './queries';

export function TerminationRequested({ state, onWithdrawn }: { state: TerminationOut; onWithdrawn: () => void }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const qc = useQueryClient();
  const [asking, setAsking] = useState(false);
  const withdraw = useMutation({
    mutationFn: withdrawTermination,
    onSuccess: (out) => {
      setAsking(false);
      qc.setQueryData(tkeys.termination, out);
      onWithdrawn();
    },
    // 409 no_termination_request: someone else withdrew it; show what is true now.
    onError: () => void qc.invalidateQueries({ queryKey: tkeys.termination }),
  });
  const at = state.requested_at ? fmt.dateTime(state.requested_at) : '—';
  return (
    <div className="termination-requested" data-testid="termination-requested">
      <Alert tone="warning" title={t('termination.requested.title')}>
        <p className="alert-text" data-testid="requested-by">
          {state.requested_by_email ? t('termination.requested.body', { at, by: state.requested_by_email }) : t('termination.requested.bodyUnknown', { at })}
        </p>
        {state.deletion_due_at && (
          <p className="alert-text termination-due" data-testid="deletion-due">
            {t('termination.requested.due', { date: fmt.dateTime(state.deletion_due_at) })}
          </p>
        )}
        <p className="alert-text">{t('termination.requested.withdrawHint')}</p>
      </Alert>
      {withdraw.isError && !asking && <ErrorMessage error={withdraw.error} />}
      <div>
        <Button onClick={() => setAsking(true)}>{t('termination.requested.withdraw')}</Button>
      </div>
      <Dialog
        open={asking}
        title={t('termination.requested.withdrawTitle')}
        onClose={() => setAsking(false)}
        footer={
          <>
            <Button variant="secondary" onClick={() => setAsking(false)}>
              {t('common.cancel')}
            </Button>
            <Button variant="primary" busy={withdraw.isPending} onClick={() => withdraw.mutate()}>
              {t('termination.requested.withdrawConfirm')}
            </Button>
          </>
        }
      >
        <p>{t('termination.requested.withdrawBody')}</p>
        {withdraw.isError && <ErrorMessage error={withdraw.error} />}
      </Dialog>
    </div>
  );
}
