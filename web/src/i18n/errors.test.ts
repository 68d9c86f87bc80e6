import { describe, expect, it } from 'vitest';
import { ApiError, NetworkError } from '../api/errors';
import i18next from './index';
import { errorMessage, fieldErrorMessage, waitText } from './errors';

function apiError(code: string, detail = 'server detail') {
  const res = new Response(null, { status: 401, headers: { 'x-request-id': 'r1' } });
  return new ApiError(res, { type: 'x', title: 't', status: 401, detail, code });
}

describe('error messages', () => {
  it('map problem codes to the catalogue in both languages', async () => {
    await i18next.changeLanguage('ja');
    expect(errorMessage(apiError('invalid_code'))).toContain('確認コードが違います');
    await i18next.changeLanguage('en');
    expect(errorMessage(apiError('invalid_code'))).toContain('The code is wrong');
  });

  it('fall back to the server detail for an unknown code', async () => {
    await i18next.changeLanguage('en');
    expect(errorMessage(apiError('brand_new_code', 'something new happened'))).toBe('something new happened');
  });

  it('say the server cannot be reached on a network error', async () => {
    await i18next.changeLanguage('ja');
    expect(errorMessage(new NetworkError(new TypeError('x')))).toContain('サーバーに接続できません');
  });

  it('map password rule codes, with the numbers from the rules', async () => {
    await i18next.changeLanguage('en');
    expect(fieldErrorMessage({ field: 'new_password', code: 'too_short', message: 'must be at least 14 characters' }, { min: 14 })).toBe(
      'Use at least 14 characters',
    );
    // Without the rules, the server's own sentence (it has the number).
    expect(fieldErrorMessage({ field: 'new_password', code: 'too_short', message: 'must be at least 14 characters' })).toBe(
      'must be at least 14 characters',
    );
    expect(fieldErrorMessage({ field: 'x', code: 'unheard_of', message: 'server says' })).toBe('server says');
    await i18next.changeLanguage('ja');
  });

  it('say how long to wait after a 429', async () => {
    await i18next.changeLanguage('en');
    expect(waitText(1)).toBe('You can retry in 1 second.');
    expect(waitText(40)).toBe('You can retry in 40 seconds.');
    expect(waitText(1800)).toBe('You can retry in about 30 minutes.');
    await i18next.changeLanguage('ja');
    expect(waitText(40)).toBe('40 秒後に再試行できます。');
  });
});
