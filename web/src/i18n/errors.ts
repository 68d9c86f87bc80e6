// API errors as sentences in the user's language: the problem `code` picks a
// catalogue entry (`problem.<code>`); unknown codes fall back to the server's
// `detail`. 422 field errors map by rule code (`fieldError.<code>`).
import type { TFunction } from 'i18next';
import i18next from 'i18next';
import { ApiError, NetworkError, type FieldError } from '../api/errors';

export function errorMessage(error: unknown, t: TFunction = i18next.t): string {
  if (error instanceof ApiError) {
    const code = error.code;
    const key = `problem.${code ?? ''}`;
    if (code && i18next.exists(key)) return t(key as 'problem.internal_error');
    if (error.problem?.detail) return error.problem.detail;
    return t('problem.http', { status: error.status });
  }
  if (error instanceof NetworkError) return t('problem.network');
  return t('problem.unexpected');
}

export interface RuleValues {
  min?: number;
  history?: number;
}

/** One 422 field error: our sentence for its rule code, else the server's message. */
export function fieldErrorMessage(error: FieldError, values: RuleValues = {}, t: TFunction = i18next.t): string {
  const key = `fieldError.${error.code}`;
  const needsMin = error.code === 'too_short';
  const needsHistory = error.code === 'reused';
  if (!i18next.exists(key) || (needsMin && values.min === undefined) || (needsHistory && values.history === undefined)) {
    return error.message;
  }
  return t(key as 'fieldError.invalid_format', { min: values.min, count: values.history });
}

/** "Retry in 40 seconds" / "… in 12 minutes" for a Retry-After. */
export function waitText(seconds: number, t: TFunction = i18next.t): string {
  return seconds > 90 ? t('problem.retryInMinutes', { count: Math.ceil(seconds / 60) }) : t('problem.retryInSeconds', { count: seconds });
}
