// Operator sign-in: email and password, then the texted code (always). The
// operator token goes to its own store, never the tenant session.
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation } from 'react-router';
import { publicApi } from '../../api/client';
import { ApiError, unwrap } from '../../api/errors';
import { opsSession, useOpsSession } from '../../auth';
import { Alert, ErrorMessage } from '../../components/Alert';
import { AuthLayout } from '../../components/AuthLayout';
import { Button } from '../../components/Button';
import { TextField } from '../../components/TextField';

export function Component() {
  const { t } = useTranslation();
  const state = useOpsSession();
  const location = useLocation();
  const reason = (location.state as { reason?: string } | null)?.reason;
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [mfa, setMfa] = useState<{ token: string; phone: string } | null>(null);

  const login = useMutation({
    mutationFn: async () => unwrap(await publicApi.POST('/api/v1/ops/auth/login', { body: { email: email.trim(), password } })),
    onSuccess: (out) => {
      setPassword('');
      setMfa({ token: out.mfa_token, phone: out.phone_masked });
    },
  });
  const verify = useMutation({
    mutationFn: async () =>
      unwrap(await publicApi.POST('/api/v1/ops/auth/mfa', { body: { mfa_token: mfa?.token ?? '', code: code.trim() } })),
    onSuccess: (tokens) => opsSession.signIn(tokens),
    onError: (e) => {
      if (e instanceof ApiError && (e.code === 'code_locked' || e.code === 'invalid_token')) setMfa(null);
    },
  });

  if (state.status === 'signed-in') return <Navigate to="/ops" replace />;

  function submit(e: FormEvent) {
    e.preventDefault();
    if (mfa) verify.mutate();
    else login.mutate();
  }

  return (
    <AuthLayout title={t('ops.signInTitle')} subtitle={t('ops.signInSubtitle')} brand={t('ops.brand')}>
      {reason === 'expired' && !mfa && <Alert tone="info">{t('ops.expired')}</Alert>}
      <form onSubmit={submit} className="form" aria-label={t('ops.signInTitle')}>
        {mfa ? (
          <>
            <p>{t('mfa.sentTo', { phone: mfa.phone })}</p>
            {verify.isError && <ErrorMessage error={verify.error} />}
            <TextField
              label={t('mfa.code')}
              name="code"
              inputMode="numeric"
              autoComplete="one-time-code"
              maxLength={6}
              required
              autoFocus
              className="field-code"
              value={code}
              onChange={(e) => setCode(e.target.value.replace(/\D/g, ''))}
            />
            <Button type="submit" variant="primary" busy={verify.isPending} className="btn-block">
              {t('mfa.submit')}
            </Button>
          </>
        ) : (
          <>
            {(login.isError || verify.isError) && <ErrorMessage error={login.error ?? verify.error} />}
            <TextField label={t('signIn.email')} name="email" type="email" autoComplete="username" required autoFocus value={email} onChange={(e) => setEmail(e.target.value)} />
            <TextField label={t('signIn.password')} name="password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
            <Button type="submit" variant="primary" busy={login.isPending} className="btn-block">
              {t('signIn.submit')}
            </Button>
          </>
        )}
      </form>
    </AuthLayout>
  );
}
