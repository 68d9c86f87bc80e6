// My Page → change my phone, the number my sign-in codes go to: my current
// password, then a code texted to the new number. Only the code makes the
// new number mine; then my other sessions end and the old number is told.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, unwrap } from '../../api/errors';
import { keys } from '../../api/queries';
import { api } from '../../auth';
import { Alert, ErrorMessage } from '../../components/Alert';
import { Button } from '../../components/Button';
import { TextField } from '../../components/TextField';
import { fieldErrorMessage } from '../../i18n/errors';
import { maskPhone } from './phone';
import { meKeys } from './queries';

/** "090-1234-5678" or "+81 90 1234 5678" → "+819012345678"; other input is
 * passed on as typed (the server says what is wrong with it). */
export function toE164(input: string): string {
  const compact = input.replace(/[\s()-]/g, '');
  if (/^0\d{9,10}$/.test(compact)) return `+81${compact.slice(1)}`;
  return compact;
}

export function PhoneChange() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [phone, setPhone] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [challenge, setChallenge] = useState<{ token: string; masked: string } | null>(null);
  const [done, setDone] = useState<string | null>(null);

  const start = useMutation({
    mutationFn: async () =>
      unwrap(await api.POST('/api/v1/me/phone', { body: { phone: toE164(phone), current_password: password } })),
    onSuccess: (out) => {
      setPassword('');
      setChallenge({ token: out.phone_token, masked: maskPhone(toE164(phone)) });
    },
  });
  const confirm = useMutation({
    mutationFn: async (token: string) =>
      unwrap(await api.POST('/api/v1/me/phone/confirm', { body: { phone_token: token, code: code.trim() } })),
    onSuccess: () => {
      setDone(challenge?.masked ?? '');
      setOpen(false);
      setChallenge(null);
      setPhone('');
      setCode('');
      void queryClient.invalidateQueries({ queryKey: keys.me, exact: true });
      void queryClient.invalidateQueries({ queryKey: meKeys.sessions });
    },
  });

  const fieldErrors = (error: unknown, field: string) =>
    error instanceof ApiError ? error.fieldErrors(field).map((f) => fieldErrorMessage(f, {}, t)) : [];

  if (!open) {
    return (
      <div className="section-note">
        {done && (
          <Alert tone="success" title={t('me.phoneChange.done', { phone: done })}>
            <p>{t('me.phoneChange.othersEnded')}</p>
          </Alert>
        )}
        <Button type="button" onClick={() => setOpen(true)}>
          {t('me.phoneChange.open')}
        </Button>
      </div>
    );
  }

  function submitStart(e: FormEvent) {
    e.preventDefault();
    start.mutate();
  }
  function submitCode(e: FormEvent) {
    e.preventDefault();
    if (challenge) confirm.mutate(challenge.token);
  }

  return (
    <div className="section-note" data-testid="phone-change">
      <h3>{t('me.phoneChange.title')}</h3>
      {challenge ? (
        <form onSubmit={submitCode} className="form form-narrow" noValidate>
          <p>{t('me.phoneChange.codeSent', { phone: challenge.masked })}</p>
          {confirm.isError && <ErrorMessage error={confirm.error} />}
          <TextField
            label={t('me.phoneChange.code')}
            name="code"
            inputMode="numeric"
            autoComplete="one-time-code"
            maxLength={6}
            required
            value={code}
            onChange={(e) => setCode(e.target.value)}
          />
          <div className="phone-actions">
            <Button type="submit" variant="primary" busy={confirm.isPending}>
              {t('me.phoneChange.confirm')}
            </Button>
            <Button type="button" onClick={() => setChallenge(null)}>
              {t('me.phoneChange.back')}
            </Button>
          </div>
        </form>
      ) : (
        <form onSubmit={submitStart} className="form form-narrow" noValidate>
          <p className="muted">{t('me.phoneChange.intro')}</p>
          {start.isError && <ErrorMessage error={start.error} />}
          <TextField
            label={t('me.phoneChange.phone')}
            hint={t('me.phoneChange.phoneHint')}
            name="phone"
            type="tel"
            autoComplete="tel"
            required
            value={phone}
            onChange={(e) => setPhone(e.target.value)}
            error={fieldErrors(start.error, 'phone')}
          />
          <TextField
            label={t('changePassword.current')}
            name="current-password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            error={fieldErrors(start.error, 'current_password')}
          />
          <div className="phone-actions">
            <Button type="submit" variant="primary" busy={start.isPending}>
              {t('me.phoneChange.send')}
            </Button>
            <Button type="button" onClick={() => setOpen(false)}>
              {t('common.cancel')}
            </Button>
          </div>
        </form>
      )}
    </div>
  );
}
