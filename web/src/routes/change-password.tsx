// The forced password change (temporary or expired password): nothing else
// opens until it is done. A live checklist of the tenant's rules; the
// server's per-rule reasons when it refuses.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { ApiError, unwrap } from '../api/errors';
import { myPasswordRulesQuery } from '../api/password-rules';
import { api, session, useSession } from '../auth';
import { ErrorMessage } from '../components/Alert';
import { AuthLayout } from '../components/AuthLayout';
import { Button } from '../components/Button';
import { PasswordChecklist } from '../components/PasswordChecklist';
import { PageSpinner, Spinner } from '../components/Spinner';
import { TextField } from '../components/TextField';
import { fieldErrorMessage } from '../i18n/errors';
import { safeNext, signInPath } from '../lib/next';

export function Component() {
  const state = useSession();
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  if (state.status === 'unknown') return <PageSpinner />;
  if (state.status === 'signed-out') return <Navigate to={signInPath(next)} replace state={{ reason: state.reason }} />;
  if (!state.passwordChangeRequired) return <Navigate to={next} replace />;
  return <ChangeForm />;
}

function ChangeForm() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const rules = useQuery(myPasswordRulesQuery);
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const [mismatch, setMismatch] = useState(false);

  const change = useMutation({
    mutationFn: async () =>
      unwrap(await api.PUT('/api/v1/me/password', { body: { current_password: current, new_password: next } })),
    onSuccess: async () => {
      session.passwordChanged();
      await queryClient.invalidateQueries({ queryKey: ['me'] });
    },
  });

  function submit(e: FormEvent) {
    e.preventDefault();
    if (next !== confirm) {
      setMismatch(true);
      return;
    }
    setMismatch(false);
    change.mutate();
  }

  const err = change.error instanceof ApiError ? change.error : null;
  const values = { min: rules.data?.min_length, history: rules.data?.history_count };
  const currentErrors = err?.fieldErrors('current_password').map((f) => fieldErrorMessage(f, values, t));
  const newErrors = err?.fieldErrors('new_password').map((f) => fieldErrorMessage(f, values, t));
  const otherError = change.isError && !currentErrors?.length && !newErrors?.length;

  return (
    <AuthLayout
      title={t('changePassword.title')}
      subtitle={t('changePassword.subtitle')}
      footer={
        <Button variant="link" onClick={() => void session.signOut().then(() => navigate('/sign-in', { replace: true }))}>
          {t('shell.signOut')}
        </Button>
      }
    >
      <form onSubmit={submit} className="form" aria-label={t('changePassword.title')}>
        {otherError && <ErrorMessage error={change.error} />}
        {err && (currentErrors?.length || newErrors?.length) ? (
          <ErrorMessage error={err} title={t('changePassword.refused')} />
        ) : null}
        <TextField
          label={t('changePassword.current')}
          name="current"
          type="password"
          autoComplete="current-password"
          required
          value={current}
          onChange={(e) => setCurrent(e.target.value)}
          error={currentErrors}
        />
        <TextField
          label={t('changePassword.new')}
          name="new"
          type="password"
          autoComplete="new-password"
          required
          value={next}
          onChange={(e) => setNext(e.target.value)}
          error={newErrors}
          after={
            rules.isPending ? (
              <Spinner size="small" />
            ) : rules.isError ? (
              <ErrorMessage error={rules.error} onRetry={() => void rules.refetch()} />
            ) : (
              <PasswordChecklist password={next} rules={rules.data} />
            )
          }
        />
        <TextField
          label={t('changePassword.confirm')}
          name="confirm"
          type="password"
          autoComplete="new-password"
          required
          value={confirm}
          onChange={(e) => setConfirm(e.target.value)}
          error={mismatch ? t('changePassword.mismatch') : null}
        />
        <Button type="submit" variant="primary" busy={change.isPending} className="btn-block">
          {t('changePassword.submit')}
        </Button>
      </form>
    </AuthLayout>
  );
}
