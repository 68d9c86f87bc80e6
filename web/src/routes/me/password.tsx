// My Page → change password: current and new (with the tenant's rules as a
// live checklist and the server's per-rule reasons next to the field). The
// server ends every other session of mine on success; we say so.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ApiError, unwrap } from '../../api/errors';
import { myPasswordRulesQuery } from '../../api/password-rules';
import { keys } from '../../api/queries';
import { api } from '../../auth';
import { Alert, ErrorMessage } from '../../components/Alert';
import { Button } from '../../components/Button';
import { PasswordChecklist } from '../../components/PasswordChecklist';
import { Spinner } from '../../components/Spinner';
import { TextField } from '../../components/TextField';
import { meKeys } from '../../features/me/queries';
import { useSection } from '../../features/me/sections';
import { fieldErrorMessage } from '../../i18n/errors';

export function Component() {
  const { t } = useTranslation();
  const heading = useSection('me.tab.password');
  const queryClient = useQueryClient();
  const rules = useQuery(myPasswordRulesQuery);
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const [mismatch, setMismatch] = useState(false);
  const [done, setDone] = useState(false);
  const doneRef = useRef<HTMLDivElement>(null);
  const errorRef = useRef<HTMLDivElement>(null);

  const change = useMutation({
    mutationFn: async () =>
      unwrap(await api.PUT('/api/v1/me/password', { body: { current_password: current, new_password: next } })),
    onSuccess: () => {
      setCurrent('');
      setNext('');
      setConfirm('');
      setDone(true);
      void queryClient.invalidateQueries({ queryKey: keys.me, exact: true });
      void queryClient.invalidateQueries({ queryKey: meKeys.sessions });
      void queryClient.invalidateQueries({ queryKey: meKeys.accessLogs });
    },
  });

  // After the answer, focus goes to what it says: the confirmation, or the reasons.
  useEffect(() => {
    if (done) doneRef.current?.focus();
  }, [done]);
  useEffect(() => {
    if (change.isError) errorRef.current?.focus();
  }, [change.isError, change.failureCount, change.error]);

  function submit(e: FormEvent) {
    e.preventDefault();
    setDone(false);
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
  const fieldsRefused = Boolean(currentErrors?.length || newErrors?.length);

  return (
    <section className="card me-section" aria-labelledby="me-password">
      <h2 id="me-password" ref={heading} tabIndex={-1}>
        {t('me.tab.password')}
      </h2>
      <p className="muted">{t('me.password.intro')}</p>
      {done && (
        <div ref={doneRef} tabIndex={-1} className="focus-target" data-testid="password-changed">
          <Alert tone="success" title={t('me.password.done')}>
            <p>{t('me.password.othersEnded')}</p>
            <p>
              <Link to="/me/sessions">{t('me.password.seeSessions')}</Link>
            </p>
          </Alert>
        </div>
      )}
      <form onSubmit={submit} className="form form-narrow" aria-labelledby="me-password" noValidate>
        {change.isError && (
          <div ref={errorRef} tabIndex={-1} className="focus-target">
            {fieldsRefused ? <ErrorMessage error={change.error} title={t('changePassword.refused')} /> : <ErrorMessage error={change.error} />}
          </div>
        )}
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
        <div>
          <Button type="submit" variant="primary" busy={change.isPending}>
            {t('changePassword.submit')}
          </Button>
        </div>
      </form>
    </section>
  );
}
