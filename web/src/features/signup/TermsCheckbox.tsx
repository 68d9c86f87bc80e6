// The terms of use a sign-up must accept: a required checkbox naming the
// current version, a link to the text when the provider configured one, and
// the server's answer when the version changed meanwhile (`outdated`).
import type { UseQueryResult } from '@tanstack/react-query';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { components } from '../../api/schema';
import { ErrorMessage } from '../../components/Alert';
import { Spinner } from '../../components/Spinner';

type Terms = components['schemas']['TermsOut'];

export interface TermsCheckboxProps {
  terms: UseQueryResult<Terms>;
  accepted: boolean;
  onChange: (accepted: boolean) => void;
  errors: string[];
}

export function TermsCheckbox({ terms, accepted, onChange, errors }: TermsCheckboxProps) {
  const { t } = useTranslation();
  const id = useId();
  if (terms.isPending) return <Spinner size="small" />;
  if (terms.isError) return <ErrorMessage error={terms.error} onRetry={() => void terms.refetch()} />;
  const { version, url } = terms.data;
  return (
    <div className={['field', 'terms', errors.length ? 'field-invalid' : null].filter(Boolean).join(' ')}>
      <label className="checkbox" htmlFor={id}>
        <input
          id={id}
          type="checkbox"
          name="accept_terms"
          required
          checked={accepted}
          onChange={(e) => onChange(e.target.checked)}
          aria-invalid={errors.length ? true : undefined}
          aria-describedby={errors.length ? `${id}-error` : undefined}
        />{' '}
        {t('signUp.terms.agree', { version })}
      </label>
      {url && (
        <p className="terms-link">
          <a href={url} target="_blank" rel="noopener noreferrer">
            {t('signUp.terms.read')}
            <span className="visually-hidden">{t('common.newTab')}</span>
          </a>
        </p>
      )}
      {errors.length > 0 && (
        <ul id={`${id}-error`} className="field-error">
          {errors.map((e) => (
            <li key={e}>{e}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
