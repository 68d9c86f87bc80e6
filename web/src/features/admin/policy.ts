// The password policy form's rules: each number's range (as in the API
// schema) and which changes tighten the rules or end sessions sooner, said
// in a confirmation before saving. A shorter idle or absolute timeout applies
// at once: the API checks every request's session against the current policy,
// so sessions older or idler than the new limit end at their next request.
import type { components } from '../../api/schema';

export type PasswordPolicy = components['schemas']['PasswordPolicy'];
export type NumberField =
  | 'min_length'
  | 'history_count'
  | 'max_age_days'
  | 'lockout_threshold'
  | 'lockout_minutes'
  | 'session_idle_minutes'
  | 'session_absolute_minutes'
  | 'temporary_password_hours';

export const RANGES: Record<NumberField, [number, number]> = {
  min_length: [12, 128],
  history_count: [0, 24],
  max_age_days: [0, 365],
  lockout_threshold: [3, 20],
  lockout_minutes: [1, 1440],
  session_idle_minutes: [5, 120],
  session_absolute_minutes: [60, 1440],
  temporary_password_hours: [1, 720],
};

export const CLASSES = ['require_lowercase', 'require_uppercase', 'require_digit', 'require_symbol'] as const;

export type Effect =
  | 'minLength'
  | 'classes'
  | 'history'
  | 'maxAge'
  | 'lockout'
  | 'sessionIdle'
  | 'sessionAbsolute';

/** What the change from `before` to `after` makes stricter (empty: nothing). */
export function tighteningEffects(before: PasswordPolicy, after: PasswordPolicy): Effect[] {
  const out: Effect[] = [];
  if (after.min_length > before.min_length) out.push('minLength');
  if (CLASSES.some((c) => after[c] && !before[c])) out.push('classes');
  if (after.history_count > before.history_count) out.push('history');
  // 0 is "never expires": any positive value after 0 is tighter.
  if (after.max_age_days > 0 && (before.max_age_days === 0 || after.max_age_days < before.max_age_days)) out.push('maxAge');
  if (after.lockout_threshold < before.lockout_threshold || after.lockout_minutes > before.lockout_minutes) out.push('lockout');
  if (after.session_idle_minutes < before.session_idle_minutes) out.push('sessionIdle');
  if (after.session_absolute_minutes < before.session_absolute_minutes) out.push('sessionAbsolute');
  return out;
}

export function inRange(field: NumberField, value: number | undefined): boolean {
  const [min, max] = RANGES[field];
  return value !== undefined && Number.isInteger(value) && value >= min && value <= max;
}
