import { describe, expect, it } from 'vitest';
import { checkLabelCode, janCheckDigit } from './jan';

describe('label codes', () => {
  it('verifies JAN check digits as the server does', () => {
    for (const ok of ['4901234567894', '49012347', '4902102072618']) expect(checkLabelCode(ok, true)).toBe('ok');
    expect(checkLabelCode('4901234567895', true)).toBe('invalid_check_digit');
    expect(checkLabelCode('49012348', true)).toBe('invalid_check_digit');
    expect(checkLabelCode('490123456789', true)).toBe('invalid_jan');
    expect(checkLabelCode('49O1234567894', true)).toBe('invalid_jan');
    expect(janCheckDigit('490123456789')).toBe(4);
  });

  it('checks the format of any code', () => {
    expect(checkLabelCode('490123456789', false)).toBe('ok');
    expect(checkLabelCode('GT-500.ml_2', false)).toBe('ok');
    expect(checkLabelCode('', false)).toBe('empty');
    expect(checkLabelCode('-x', false)).toBe('invalid_format');
    expect(checkLabelCode('緑茶', false)).toBe('invalid_format');
    expect(checkLabelCode('a'.repeat(65), false)).toBe('invalid_format');
  });
});
