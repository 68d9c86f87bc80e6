import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import i18next from '../i18n';
import { ApiError } from '../api/errors';
import { ErrorMessage } from './Alert';
import { checkPassword, PasswordChecklist } from './PasswordChecklist';
import { TextField } from './TextField';

const rules = { min_length: 14, require_uppercase: true, require_lowercase: true, require_digit: true, require_symbol: true, history_count: 3 };

describe('PasswordChecklist', () => {
  it('checks each rule as the server does', () => {
    const ok = (pw: string) => Object.fromEntries(checkPassword(pw, rules).map((c) => [c.id, c.ok]));
    expect(ok('abc')).toEqual({ length: false, uppercase: false, lowercase: true, digit: false, symbol: false });
    expect(ok('Abcdefghijklm1!')).toEqual({ length: true, uppercase: true, lowercase: true, digit: true, symbol: true });
    // Characters, not UTF-16 units: 14 kanji are 14 characters.
    expect(ok('漢'.repeat(14)).length).toBe(true);
    expect(ok('漢'.repeat(13)).length).toBe(false);
  });

  it('lists the rules with their state, in the current language', async () => {
    await i18next.changeLanguage('en');
    render(<PasswordChecklist password="Abc" rules={rules} />);
    expect(screen.getByText('At least 14 characters (at most 128)')).toBeTruthy();
    expect(screen.getByText('Not one of your last 3 passwords (checked on submit)')).toBeTruthy();
    expect(screen.getAllByText(/— met/).length).toBe(2); // upper- and lower-case
    await i18next.changeLanguage('ja');
  });
});

describe('TextField', () => {
  it('labels its input and ties hint and errors to it', () => {
    render(<TextField label="Email" hint="Your work address" error={['Required']} defaultValue="" />);
    const input = screen.getByLabelText('Email');
    expect(input.getAttribute('aria-invalid')).toBe('true');
    const described = (input.getAttribute('aria-describedby') ?? '').split(' ').map((id) => document.getElementById(id)?.textContent);
    expect(described).toEqual(['Your work address', 'Required']);
    fireEvent.change(input, { target: { value: 'x' } });
  });
});

describe('ErrorMessage', () => {
  it('shows the message for the problem code and the request id', async () => {
    await i18next.changeLanguage('en');
    const response = new Response(null, { status: 403, headers: { 'x-request-id': 'abc-123' } });
    const error = new ApiError(response, { type: 'x', title: 'Forbidden', status: 403, detail: 'nope', code: 'permission_denied' });
    render(<ErrorMessage error={error} />);
    expect(screen.getByRole('alert').textContent).toContain('You do not have permission to do this.');
    expect(screen.getByText('abc-123')).toBeTruthy();
    await i18next.changeLanguage('ja');
  });
});
