// Sign-up: a new organisation and its first administrator. Then straight to
// sign-in with the organisation and email filled in.
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { publicApi } from '../api/client';
import { ApiError, unwrap } from '../api/errors';
import { signupPasswordRulesQuery, signupTermsQuery } from '../api/password-rules';
import { ErrorMessage } from '../components/Alert';
import { AuthLayout } from '../components/AuthLayout';
import { Button } from '../components/Button';
import { PasswordChecklist } from '../components/PasswordChecklist';
import { Spinner } from '../components/Spinner';
import { TextField } from '../components/TextField';
import { TermsCheckbox } from '../features/signup/TermsCheckbox';
import { fieldErrorMessage } from '../i18n/errors';
import { slugProblem } from '../lib/slug';

const FIELDS = ['tenant_slug', 'tenant_name', 'name', 'email', 'phone', 'password'] as const;
type Field = (typeof FIELDS)[number];

export function Component() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const rules = useQuery(signupPasswordRulesQuery);
  const terms = useQuery(signupTermsQuery);
  const [accepted, setAccepted] = useState(false);
  const [form, setForm] = useState<Record<Field, string>>({ tenant_slug: '', tenant_name: '', name: '', email: '', phone: '', password: '' });
  const [confirm, setConfirm] = useState('');
  const [mismatch, setMismatch] = useState(false);
  const [slugTouched, setSlugTouched] = useState(false);

  const signup = useMutation({
    mutationFn: async (termsVersion: string) =>
      unwrap(
        await publicApi.POST('/api/v1/signup', {
          body: { ...form, email: form.email.trim(), phone: form.phone.trim(), accept_terms_version: termsVersion },
        }),
      ),
    onSuccess: (out) =>
      navigate('/sign-in', { state: { tenant: out.tenant.slug, email: form.email.trim(), signedUp: true } }),
    onError: (e) => {
      // The terms changed while the form was open: show the new version, ask again.
      if (e instanceof ApiError && e.fieldErrors('accept_terms_version').length > 0) {
        setAccepted(false);
        void terms.refetch();
      }
    },
  });

  const set = (field: Field) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [field]: e.target.value }));
  const err = signup.error instanceof ApiError ? signup.error : null;
  const values = { min: rules.data?.min_length, history: rules.data?.history_count };
  const serverErrors = (field: Field) => err?.fieldErrors(field).map((f) => fieldErrorMessage(f, values, t)) ?? [];
  const slugCheck = slugProblem(form.tenant_slug);
  const slugErrors = [
    ...(slugTouched && slugCheck && slugCheck !== 'empty' ? [t(`signUp.slug.${slugCheck}`)] : []),
    ...(err?.code === 'tenant_slug_taken' ? [t('problem.tenant_slug_taken')] : []),
    ...serverErrors('tenant_slug'),
  ];
  const termsErrors =
    err?.fieldErrors('accept_terms_version').map((f) => (f.code === 'outdated' ? t('signUp.terms.outdated') : fieldErrorMessage(f, values, t))) ?? [];
  const fieldErrorShown = FIELDS.some((f) => serverErrors(f).length > 0) || termsErrors.length > 0 || err?.code === 'tenant_slug_taken';
  const termsVersion = terms.data?.version;
  const canSubmit = accepted && termsVersion !== undefined;

  function submit(e: FormEvent) {
    e.preventDefault();
    setSlugTouched(true);
    if (form.password !== confirm) {
      setMismatch(true);
      return;
    }
    setMismatch(false);
    if (slugCheck || !canSubmit) return;
    signup.mutate(termsVersion);
  }

  return (
    <AuthLayout
      wide
      title={t('signUp.title')}
      subtitle={t('signUp.subtitle')}
      footer={
        <p>
          {t('signUp.haveAccount')} <Link to="/sign-in">{t('signUp.toSignIn')}</Link>
        </p>
      }
    >
      <form onSubmit={submit} className="form" aria-label={t('signUp.title')}>
        {signup.isError && (fieldErrorShown ? <ErrorMessage error={signup.error} title={t('signUp.fixBelow')} /> : <ErrorMessage error={signup.error} />)}
        <fieldset className="fieldset">
          <legend>{t('signUp.organisation')}</legend>
          <TextField
            label={t('signUp.tenantName')}
            name="tenant_name"
            autoComplete="organization"
            required
            maxLength={200}
            value={form.tenant_name}
            onChange={set('tenant_name')}
            error={serverErrors('tenant_name')}
          />
          <TextField
            label={t('signUp.tenantSlug')}
            hint={t('signUp.slugHint')}
            name="tenant_slug"
            autoCapitalize="none"
            spellCheck={false}
            required
            maxLength={40}
            value={form.tenant_slug}
            onChange={(e) => {
              setSlugTouched(true);
              set('tenant_slug')({ target: { value: e.target.value.toLowerCase() } });
            }}
            error={slugErrors}
            after={
              slugTouched && !slugCheck ? (
                <p className="field-ok">
                  <span aria-hidden="true">✓ </span>
                  {t('signUp.slug.ok')}
                </p>
              ) : null
            }
          />
        </fieldset>
        <fieldset className="fieldset">
          <legend>{t('signUp.admin')}</legend>
          <TextField label={t('signUp.name')} name="name" autoComplete="name" required maxLength={200} value={form.name} onChange={set('name')} error={serverErrors('name')} />
          <TextField label={t('signUp.email')} name="email" type="email" autoComplete="email" required maxLength={254} value={form.email} onChange={set('email')} error={serverErrors('email')} />
          <TextField
            label={t('signUp.phone')}
            hint={t('signUp.phoneHint')}
            name="phone"
            type="tel"
            autoComplete="tel"
            required
            pattern="\+[1-9][0-9]{6,14}"
            value={form.phone}
            onChange={set('phone')}
            error={serverErrors('phone')}
          />
          <TextField
            label={t('signUp.password')}
            name="password"
            type="password"
            autoComplete="new-password"
            required
            value={form.password}
            onChange={set('password')}
            error={serverErrors('password')}
            after={
              rules.isPending ? (
                <Spinner size="small" />
              ) : rules.isError ? (
                <ErrorMessage error={rules.error} onRetry={() => void rules.refetch()} />
              ) : (
                <PasswordChecklist password={form.password} rules={rules.data} />
              )
            }
          />
          <TextField
            label={t('signUp.confirm')}
            name="confirm"
            type="password"
            autoComplete="new-password"
            required
            value={confirm}
            onChange={(e) => setConfirm(e.target.value)}
            error={mismatch ? t('changePassword.mismatch') : null}
          />
        </fieldset>
        <TermsCheckbox
          terms={terms}
          accepted={accepted}
          onChange={setAccepted}
          errors={termsErrors}
        />
        <Button
          type="submit"
          variant="primary"
          busy={signup.isPending}
          disabled={!canSubmit}
          aria-describedby={canSubmit ? undefined : 'signup-blocked'}
          className="btn-block"
        >
          {t('signUp.submit')}
        </Button>
        {!canSubmit && (
          <p id="signup-blocked" className="small muted">
            {t('signUp.terms.needed')}
          </p>
        )}
      </form>
    </AuthLayout>
  );
}
