import { fireEvent, render, screen, within } from '@testing-library/react';
import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import i18next from '../i18n';
import { ApiError } from '../api/errors';
import { ErrorMessage } from './Alert';
import { LabelChipList, LabelPicker, type ChipLabel } from './LabelChips';
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

describe('LabelPicker: a combobox with a listbox popup, and the chips it fills', () => {
  const LABELS: ChipLabel[] = [
    { id: 'l1', code: '4901234567894', name: '緑茶 500ml' },
    { id: 'l2', code: 'GT-2', name: 'ほうじ茶' },
    { id: 'l3', code: 'CF-1', name: 'コーヒー' },
  ];
  function Chips() {
    const [chosen, setChosen] = useState<string[]>([]);
    return (
      <>
        <LabelPicker label="Add a label" options={LABELS} chosen={chosen} onPick={(l) => setChosen([...chosen, l.code])} />
        <LabelChipList label="Chosen" labels={LABELS.filter((l) => chosen.includes(l.code))} onRemove={(l) => setChosen(chosen.filter((c) => c !== l.code))} />
      </>
    );
  }
  const setup = () => {
    render(<Chips />);
    const box = screen.getByRole('combobox', { name: 'Add a label' });
    box.focus();
    return box;
  };
  const chosen = () => (screen.queryByRole('list', { name: 'Chosen' }) ? within(screen.getByRole('list', { name: 'Chosen' })).getAllByTestId('label-chip').map((c) => c.dataset.code) : []);
  const options = () => screen.getAllByRole('option').map((o) => o.textContent);
  const active = (box: HTMLElement) => {
    const id = box.getAttribute('aria-activedescendant');
    const option = id ? document.getElementById(id) : null;
    if (option) expect(option.getAttribute('aria-selected')).toBe('true');
    expect(screen.queryAllByRole('option').filter((o) => o.getAttribute('aria-selected') === 'true').length).toBe(option ? 1 : 0);
    return option?.textContent ?? null;
  };

  it('says what it is and matches code or name whatever the width', () => {
    const box = setup();
    expect(box.getAttribute('aria-autocomplete')).toBe('list');
    expect(box.getAttribute('aria-expanded')).toBe('false');
    const list = document.getElementById(box.getAttribute('aria-controls') ?? '');
    expect(list?.getAttribute('role')).toBe('listbox');
    fireEvent.change(box, { target: { value: 'ｺｰﾋｰ' } }); // half-width katakana
    expect(box.getAttribute('aria-expanded')).toBe('true');
    expect(screen.getByRole('listbox').contains(screen.getByRole('option'))).toBe(true);
    expect(options()).toEqual(['CF-1 コーヒー']);
    fireEvent.change(box, { target: { value: 'ｇｔ－２' } }); // full-width
    expect(options()).toEqual(['GT-2 ほうじ茶']);
    fireEvent.change(box, { target: { value: '紅茶' } });
    expect(box.getAttribute('aria-expanded')).toBe('false');
    expect(screen.getByRole('status').textContent).toBe('該当するラベルはありません');
  });

  it('moves the active option with the arrows (wrapping), Home and End; Enter picks it and focus stays', () => {
    const box = setup();
    fireEvent.keyDown(box, { key: 'ArrowDown' }); // opens on the first
    expect(box.getAttribute('aria-expanded')).toBe('true');
    expect(active(box)).toBe('4901234567894 緑茶 500ml');
    fireEvent.keyDown(box, { key: 'ArrowDown' });
    fireEvent.keyDown(box, { key: 'ArrowDown' });
    expect(active(box)).toBe('CF-1 コーヒー');
    fireEvent.keyDown(box, { key: 'ArrowDown' }); // wraps to the top
    expect(active(box)).toBe('4901234567894 緑茶 500ml');
    fireEvent.keyDown(box, { key: 'ArrowUp' }); // and to the bottom
    expect(active(box)).toBe('CF-1 コーヒー');
    fireEvent.keyDown(box, { key: 'Home' });
    expect(active(box)).toBe('4901234567894 緑茶 500ml');
    fireEvent.keyDown(box, { key: 'End' });
    expect(active(box)).toBe('CF-1 コーヒー');
    fireEvent.keyDown(box, { key: 'ArrowUp' });
    fireEvent.keyDown(box, { key: 'Enter' });
    expect(chosen()).toEqual(['GT-2']);
    expect(document.activeElement).toBe(box);
    expect((box as HTMLInputElement).value).toBe('');
    expect(box.getAttribute('aria-expanded')).toBe('false');
    expect(box.hasAttribute('aria-activedescendant')).toBe(false);
    // The chosen one is offered no more; ArrowUp opens on the last.
    fireEvent.keyDown(box, { key: 'ArrowUp' });
    expect(options()).toEqual(['4901234567894 緑茶 500ml', 'CF-1 コーヒー']);
    expect(active(box)).toBe('CF-1 コーヒー');
  });

  it('picks the first match on Enter when none is active; Escape closes, a second clears', () => {
    const box = setup();
    fireEvent.change(box, { target: { value: '茶' } });
    expect(active(box)).toBeNull();
    fireEvent.keyDown(box, { key: 'Enter' });
    expect(chosen()).toEqual(['4901234567894']);
    fireEvent.change(box, { target: { value: 'ほう' } });
    fireEvent.keyDown(box, { key: 'Escape' });
    expect(box.getAttribute('aria-expanded')).toBe('false');
    expect((box as HTMLInputElement).value).toBe('ほう');
    fireEvent.keyDown(box, { key: 'Enter' }); // closed: picks nothing
    expect(chosen()).toEqual(['4901234567894']);
    fireEvent.keyDown(box, { key: 'Escape' });
    expect((box as HTMLInputElement).value).toBe('');
  });

  it('picks with the mouse, closes on blur, and the chip button removes it', () => {
    const box = setup();
    fireEvent.click(box);
    expect(options()).toHaveLength(3);
    fireEvent.blur(box);
    expect(box.getAttribute('aria-expanded')).toBe('false');
    fireEvent.click(box);
    fireEvent.click(screen.getByRole('option', { name: 'CF-1 コーヒー' }));
    fireEvent.click(box);
    fireEvent.click(screen.getByRole('option', { name: /4901234567894/ }));
    expect(chosen()).toEqual(['4901234567894', 'CF-1']);
    expect(document.activeElement).toBe(box);
    fireEvent.click(screen.getByRole('button', { name: 'ラベル CF-1 コーヒー を外す' }));
    expect(chosen()).toEqual(['4901234567894']);
    fireEvent.click(box);
    expect(options()).toEqual(['GT-2 ほうじ茶', 'CF-1 コーヒー']);
  });
});
