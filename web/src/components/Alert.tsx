import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/errors';
import { errorMessage, waitText } from '../i18n/errors';

export type Tone = 'info' | 'success' | 'warning' | 'error';

/** A message box. Errors and warnings are announced (role=alert), the others politely. */
export function Alert({ tone = 'info', title, children, action }: { tone?: Tone; title?: ReactNode; children?: ReactNode; action?: ReactNode }) {
  const { t } = useTranslation();
  const urgent = tone === 'error' || tone === 'warning';
  return (
    <div className={`alert alert-${tone}`} role={urgent ? 'alert' : 'status'}>
      <span className="alert-icon" aria-hidden="true">
        {tone === 'error' ? '!' : tone === 'warning' ? '⚠' : tone === 'success' ? '✓' : 'i'}
      </span>
      <div className="alert-body">
        <span className="visually-hidden">{t(`alert.${tone}`)}: </span>
        {title && <p className="alert-title">{title}</p>}
        {children}
      </div>
      {action && <div className="alert-action">{action}</div>}
    </div>
  );
}

/** An API (or network) error in the user's language, with the request id to quote. */
export function ErrorMessage({ error, title, onRetry }: { error: unknown; title?: ReactNode; onRetry?: () => void }) {
  const { t } = useTranslation();
  const requestId = error instanceof ApiError ? error.requestId : null;
  return (
    <Alert
      tone="error"
      title={title}
      action={
        onRetry && (
          <button type="button" className="btn btn-secondary" onClick={onRetry}>
            {t('common.retry')}
          </button>
        )
      }
    >
      <p className="alert-text">{errorMessage(error, t)}</p>
      {error instanceof ApiError && error.status === 429 && error.retryAfter !== null && (
        <p className="alert-text">{waitText(error.retryAfter, t)}</p>
      )}
      {requestId && (
        <p className="request-id">
          {t('common.requestId')}: <code>{requestId}</code>
        </p>
      )}
    </Alert>
  );
}
