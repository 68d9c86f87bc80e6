// Requesting termination, in two steps. One: the current password and the
// organisation's slug typed exactly (the button stays disabled until it
// matches); the server then texts a code. Two: that code, and a last
// confirmation naming the deletion date, make the request.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ApiError } from '../../api/errors';
import { Alert, ErrorMessage } from '../../components/Alert';
import { Button } from '../../components/Button';
import { Dialog } from '../../components/Dialog';
import { TextField } from '../../components/TextField';
import { fieldErrorMessage } from '../../i18n/errors';
import { useCountdown } from '../../lib/useCountdown';
import { useFormat } from '../../lib/useFormat';
import { SlugConfirmField } from './SlugConfirmField';
import { dueIfRequestedNow, requestChallenge, requestTermination, tkeys, type TerminationOut } from './queries';

interface Challenge {
  token: string;
  phone: string;
  /** ms since epoch */
  expiresAt: number;
}

/** Code problems after which only a new code helps. */
const RESTART = ['code_expired', 'code_used', 'code_locked', 'invalid_token'] as const;
type RestartCode = (typeof RESTART)[number];

export function TerminationRequest({ state, onDone }: { state: TerminationOut; onDone: () => void }) {
  const { t } = useTranslation();
  const [challenge, setChallenge] = useState<Challenge | null>(null);
  return (
    <section className="card termination-request-card" aria-labelledby="termination-request">
      <h2 id="termination-request">{t('termination.request.title')}</h2>
      {challenge ? (
        <CodeStep state={state} challenge={challenge} onRestart={() => setChallenge(null)} onDone={onDone} />
      ) : (
        <CredentialsStep slug={state.slug} onSent={setChallenge} />
      )}
    </section>
  );
}

function CredentialsStep({ slug, onSent }: { slug: string; onSent: (c: Challenge) => void }) {
  const { t } = useTranslation();
  const [password, setPassword] = useState('');
  const [typed, setTyped] = useState('');
  const send = useMutation({
    mutationFn: () => requestChallenge({ current_password: password, confirm_slug: typed }),
    onSuccess: (out) => {
      setPassword('');
      onSent({ token: out.challenge_token, phone: out.phone_masked, expiresAt: Date.now() + out.code_expires_in * 1000 });
    },
  });
  const matches = typed === slug;
  const error = send.error instanceof ApiError ? send.error : null;
  const fieldErrors = (field: string) => (error ? error.fieldErrors(field).map((f) => fieldErrorMessage(f, {}, t)) : []);
  const slugErrors = error?.fieldErrors('confirm_slug').map((f) => (f.code === 'mismatch' ? t('termination.request.slugMismatch') : fieldErrorMessage(f, {}, t))) ?? [];
  const phoneRequired = error?.code === 'phone_required';
  const hasFieldErrors = error?.status === 422 && (fieldErrors('current_password').length > 0 || slugErrors.length > 0);

  function submit(e: FormEvent) {
    e.preventDefault();
    if (matches && password) send.mutate();
  }

  return (
    <>
      <p>{t('termination.request.intro')}</p>
      <form onSubmit={submit} className="form form-narrow" noValidate aria-label={t('termination.request.title')}>
        {phoneRequired ? (
          <Alert tone="error" title={t('termination.request.phoneRequired')}>
            <p className="alert-text">
              <Link to="/me">{t('termination.request.phoneLink')}</Link>
            </p>
          </Alert>
        ) : (
          send.isError && !hasFieldErrors && <ErrorMessage error={send.error} />
        )}
        <TextField
          label={t('changePassword.current')}
          name="current-password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          error={fieldErrors('current_password')}
        />
        <SlugConfirmField label={t('termination.request.slug')} slug={slug} value={typed} onChange={setTyped} error={slugErrors} />
        <div>
          <Button type="submit" variant="danger" disabled={!matches || !password} busy={send.isPending}>
            {t('termination.request.send')}
          </Button>
        </div>
      </form>
    </>
  );
}

function CodeStep({ state, challenge, onRestart, onDone }: { state: TerminationOut; challenge: Challenge; onRestart: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const qc = useQueryClient();
  const [code, setCode] = useState('');
  const [confirming, setConfirming] = useState<string | null>(null);
  const left = useCountdown(challenge.expiresAt);
  const request = useMutation({
    mutationFn: () => requestTermination({ challenge_token: challenge.token, code: code.trim() }),
    onSuccess: (out) => {
      setConfirming(null);
      qc.setQueryData(tkeys.termination, out);
      onDone();
    },
    onError: () => setConfirming(null),
  });
  const error = request.error instanceof ApiError ? request.error : null;
  const restart = error && RESTART.includes(error.code as RestartCode) ? (error.code as RestartCode) : null;
  const valid = /^\d{6}$/.test(code.trim());

  function submit(e: FormEvent) {
    e.preventDefault();
    if (valid) setConfirming(dueIfRequestedNow(state.grace_days));
  }

  return (
    <form onSubmit={submit} className="form form-narrow" noValidate aria-label={t('termination.request.codeStep')}>
      <p role="status">{t('termination.request.codeSent', { phone: challenge.phone })}</p>
      <p className="muted small" data-testid="code-expiry">
        {left > 0 ? t('termination.request.expiresIn', { time: `${Math.floor(left / 60)}:${String(left % 60).padStart(2, '0')}` }) : t('termination.request.expired')}
      </p>
      {restart ? (
        <Alert tone="error" title={t(`termination.request.codeErrors.${restart}`)} />
      ) : (
        request.isError && <ErrorMessage error={request.error} />
      )}
      <TextField
        label={t('termination.request.code')}
        name="code"
        inputMode="numeric"
        autoComplete="one-time-code"
        pattern="[0-9]*"
        maxLength={6}
        required
        autoFocus
        value={code}
        onChange={(e) => setCode(e.target.value.replace(/\D/g, ''))}
      />
      <div className="phone-actions">
        <Button type="submit" variant="danger" disabled={!valid || restart !== null || left === 0} busy={request.isPending}>
          {t('termination.request.submit')}
        </Button>
        <Button type="button" onClick={onRestart}>
          {t('termination.request.back')}
        </Button>
      </div>
      <Dialog
        open={confirming !== null}
        title={t('termination.request.confirmTitle')}
        onClose={() => setConfirming(null)}
        footer={
          <>
            <Button variant="secondary" onClick={() => setConfirming(null)}>
              {t('common.cancel')}
            </Button>
            <Button variant="danger" busy={request.isPending} onClick={() => request.mutate()}>
              {t('termination.request.confirm')}
            </Button>
          </>
        }
      >
        <p data-testid="confirm-date">{t('termination.request.confirmBody', { date: confirming ? fmt.dateTime(confirming) : '', days: state.grace_days })}</p>
        <p>{t('termination.request.confirmWithdraw')}</p>
      </Dialog>
    </form>
  );
}
