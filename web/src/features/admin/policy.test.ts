import { describe, expect, it } from 'vitest';
import { inRange, tighteningEffects, type PasswordPolicy } from './policy';

const base: PasswordPolicy = {
  min_length: 12,
  history_count: 0,
  max_age_days: 0,
  lockout_threshold: 10,
  lockout_minutes: 15,
  require_digit: false,
  require_lowercase: false,
  require_symbol: false,
  require_uppercase: false,
  session_absolute_minutes: 720,
  session_idle_minutes: 30,
};

describe('tighteningEffects', () => {
  it('is empty for no change or a loosening', () => {
    expect(tighteningEffects(base, base)).toEqual([]);
    expect(tighteningEffects(base, { ...base, session_idle_minutes: 60 })).toEqual([]);
  });
  it('names each tightening', () => {
    expect(
      tighteningEffects(base, { ...base, min_length: 14, require_symbol: true, history_count: 3, max_age_days: 90, session_idle_minutes: 10 }),
    ).toEqual(['minLength', 'classes', 'history', 'maxAge', 'sessionIdle']);
    expect(tighteningEffects({ ...base, max_age_days: 90 }, { ...base, max_age_days: 0 })).toEqual([]);
  });
});

describe('inRange', () => {
  it('follows the schema', () => {
    expect(inRange('session_idle_minutes', 4)).toBe(false);
    expect(inRange('session_idle_minutes', 5)).toBe(true);
    expect(inRange('min_length', 12.5)).toBe(false);
  });
});

describe('temporary_password_hours', () => {
  it('has the schema range 1–720 and may be absent on input', () => {
    expect(inRange('temporary_password_hours', 1)).toBe(true);
    expect(inRange('temporary_password_hours', 720)).toBe(true);
    expect(inRange('temporary_password_hours', 721)).toBe(false);
    expect(inRange('temporary_password_hours', undefined)).toBe(false);
  });
});
