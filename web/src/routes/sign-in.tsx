// Sign-in: organisation, email and password; then the texted code when the
// user holds a privileged permission; then back to where they were (or the
// forced password change first).
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useLocation, useSearchParams } from 'react-router';
import { publicApi } from '../api/client';
import { ApiError, unwrap } from '../api/errors';
import type { components } from '../api/schema';
import { session, useSession } from '../auth';
import { Alert, ErrorMessage } from '../components/Alert';
import { AuthLayout } from '../components/AuthLayout';
import { Button } from '../components/Button';
import { PageSpinner } from '../components/Spinner';
import { TextField } from '../components/TextField';
import { safeNext } from '../lib/next';
import { useCountdown } from '../lib/useCountdown';

type MfaRequired = components['schemas']['MfaRequiredOut'];
type Tokens = components['schemas']['TokensOut'];

/** Seconds between codes (README: a new code 30 s apart at the earliest); the
 * first answer does not say, a resend's `resend_after` does. */
const RESEND_SECS = 30;

interface CodeStep {
  mfaToken: string;
  phoneMasked: string;
  resendAt: number;
}


export function Component() {
  const { t } = useTranslation();
  const state = useSession();
  const [params] = useSearchParams();
  const location = useLocation();
  const next = safeNext(params.get('next'));
  const arrival = (location.state ?? {}) as { reason?: string; tenant?: string; email?: string; signedUp?: boolean };

  const [step, setStep] = useState<CodeStep | null>(null);
  const [restartReason, setRestartReason] = useState<unknown>(null);
  const [attempted, setAttempted] = useState(false);

  if (state.status === 'unknown') return <PageSpinner />;
  if (state.status === 'signed-in') {
    return state.passwordChangeRequired ? (
      <Navigate to={`/change-password?next=${encodeURIComponent(next)}`} replace />
    ) : (
      <Navigate to={next} replace />
    );
  }

  return (
    <AuthLayout
      title={t('signIn.title')}
      subtitle={step ? undefined : t('signIn.subtitle')}
      footer={
        <p>
          {t('signIn.noAccount')} <Link to="/sign-up">{t('signIn.toSignUp')}</Link>
        </p>
      }
    >
      {arrival.signedUp && !step && <Alert tone="success">{t('signIn.signedUp')}</Alert>}
      {/* Why the last session ended, until the next attempt answers for itself. */}
      {arrival.reason === 'expired' && !step && !attempted && <Alert tone="info">{t('signIn.expired')}</Alert>}
      {arrival.reason === 'signed-out' && !step && !attempted && <Alert tone="info">{t('signIn.signedOut')}</Alert>}
      {arrival.reason === 'suspended' && !step && !attempted && <SuspendedNotice />}
      {step ? (
        <CodeForm
          step={step}
          onStep={setStep}
          onRestart={(why) => {
            setRestartReason(why);
            setStep(null);
          }}
        />
      ) : (
        <CredentialsForm
          initialTenant={arrival.tenant ?? ''}
          initialEmail={arrival.email ?? ''}
          restartReason={restartReason}
          onAttempt={() => setAttempted(true)}
          onCode={(s) => {
            setRestartReason(null);
            setStep(s);
          }}
        />
      )}
    </AuthLayout>
  );
}

/** The provider suspended the organisation: nobody of it can sign in; whom
 * to ask. Shown after a 403 `tenant_suspended` at sign-in, and when a
 * signed-in user's request met one (the session ended in memory). */
function SuspendedNotice() {
  const { t } = useTranslation();
  return (
    <Alert tone="error" title={t('signIn.suspendedTitle')}>
      <p className="alert-text" data-testid="suspended">
        {t('signIn.suspended')}
      </p>
      <p className="alert-text">
        <Link to="/support">{t('signIn.supportLink')}</Link>
      </p>
    </Alert>
  );
}

function SignInError({ error }: { error: unknown }) {
  if (error instanceof ApiError && error.status === 403 && error.code === 'tenant_suspended') return <SuspendedNotice />;
  return <ErrorMessage error={error} />;
}

function CredentialsForm({
  initialTenant,
  initialEmail,
  restartReason,
  onAttempt,
  onCode,
}: {
  initialTenant: string;
  initialEmail: string;
  restartReason: unknown;
  onAttempt: () => void;
  onCode: (s: CodeStep) => void;
}) {
  const { t } = useTranslation();
  const [tenant, setTenant] = useState(initialTenant);
  const [email, setEmail] = useState(initialEmail);
  const [password, setPassword] = useState('');
  const login = useMutation({
    mutationFn: async () =>
      unwrap(await publicApi.POST('/api/v1/auth/login', { body: { tenant: tenant.trim(), email: email.trim(), password } })),
    onSuccess: (out) => {
      if ('mfa_required' in out && out.mfa_required) {
        const m = out as MfaRequired;
        onCode({ mfaToken: m.mfa_token, phoneMasked: m.phone_masked, resendAt: Date.now() + RESEND_SECS * 1000 });
      } else {
        session.signIn(out as Tokens);
      }
    },
  });

  function submit(e: FormEvent) {
    e.preventDefault();
    onAttempt();
    login.mutate();
  }

  return (
    <form onSubmit={submit} className="form" aria-label={t('signIn.title')} noValidate={false}>
      {restartReason !== null && !login.isError && <ErrorMessage error={restartReason} title={t('signIn.restart')} />}
      {login.isError && <SignInError error={login.error} />}
      <TextField
        label={t('signIn.tenant')}
        hint={t('signIn.tenantHint')}
        name="tenant"
        autoComplete="organization"
        autoCapitalize="none"
        spellCheck={false}
        required
        value={tenant}
        onChange={(e) => setTenant(e.target.value)}
        autoFocus={!initialTenant}
      />
      <TextField
        label={t('signIn.email')}
        name="email"
        type="email"
        autoComplete="username"
        required
        value={email}
        onChange={(e) => setEmail(e.target.value)}
        autoFocus={!!initialTenant && !initialEmail}
      />
      <TextField
        label={t('signIn.password')}
        name="password"
        type="password"
        autoComplete="current-password"
        required
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        autoFocus={!!initialTenant && !!initialEmail}
      />
      <Button type="submit" variant="primary" busy={login.isPending} className="btn-block">
        {t('signIn.submit')}
      </Button>
    </form>
  );
}

/** Problems after which the code step cannot go on: sign in again. */
const RESTART: readonly string[] = ['code_locked', 'invalid_token', 'missing_token'];

function CodeForm({ step, onStep, onRestart }: { step: CodeStep; onStep: (s: CodeStep) => void; onRestart: (why: unknown) => void }) {
  const { t } = useTranslation();
  const [code, setCode] = useState('');
  const [resent, setResent] = useState(false);
  const wait = useCountdown(step.resendAt);

  const verify = useMutation({
    mutationFn: async () =>
      unwrap(await publicApi.POST('/api/v1/auth/mfa', { body: { mfa_token: step.mfaToken, code: code.trim() } })),
    onSuccess: (tokens) => session.signIn(tokens),
    onError: (e) => {
      if (e instanceof ApiError && RESTART.includes(e.code ?? '')) onRestart(e);
    },
  });
  const resend = useMutation({
    mutationFn: async () =>
      unwrap(await publicApi.POST('/api/v1/auth/mfa/resend', { body: { mfa_token: step.mfaToken } })),
    onSuccess: (out) => {
      setResent(true);
      verify.reset();
      setCode('');
      onStep({ ...step, phoneMasked: out.phone_masked, resendAt: Date.now() + out.resend_after * 1000 });
    },
    onError: (e) => {
      if (e instanceof ApiError && e.retryAfter !== null) onStep({ ...step, resendAt: Date.now() + e.retryAfter * 1000 });
      if (e instanceof ApiError && RESTART.includes(e.code ?? '')) onRestart(e);
    },
  });

  function submit(e: FormEvent) {
    e.preventDefault();
    setResent(false);
    verify.mutate();
  }

  return (
    <form onSubmit={submit} className="form" aria-label={t('mfa.title')}>
      <h2 className="form-step">{t('mfa.title')}</h2>
      <p>{t('mfa.sentTo', { phone: step.phoneMasked })}</p>
      {resent && <Alert tone="success">{t('mfa.resent', { phone: step.phoneMasked })}</Alert>}
      {verify.isError && <SignInError error={verify.error} />}
      {resend.isError && <ErrorMessage error={resend.error} />}
      <TextField
        label={t('mfa.code')}
        hint={t('mfa.codeHint')}
        name="code"
        inputMode="numeric"
        autoComplete="one-time-code"
        pattern="[0-9]{6}"
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
      <div className="form-row">
        <Button variant="link" disabled={wait > 0} busy={resend.isPending} onClick={() => resend.mutate()}>
          {wait > 90 ? t('mfa.resendInMinutes', { minutes: Math.ceil(wait / 60) }) : wait > 0 ? t('mfa.resendIn', { seconds: wait }) : t('mfa.resend')}
        </Button>
        <Button variant="link" onClick={() => onRestart(null)}>
          {t('mfa.back')}
        </Button>
      </div>
      <p className="muted small">{t('mfa.limits')}</p>
    </form>
  );
}
