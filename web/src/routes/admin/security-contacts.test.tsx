// The security contacts editor against a mocked API: the explanation of who
// hears of incidents, rows added, edited and removed then saved all at once
// (the whole list, in order), problems found before sending on their row, the
// API's `contacts[i].field` errors on their row, and the limit of ten.
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { inEnglish, renderWithClient } from '../../lib/testing';
import { Component as SecurityContacts } from './security-contacts';

type Contact = { id: string; name: string; email: string; phone: string | null };
let stored: Contact[] = [];
let puts: { contacts: Omit<Contact, 'id'>[] }[] = [];
let answer: ((body: { contacts: Omit<Contact, 'id'>[] }) => Response) | null = null;

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': status >= 400 ? 'application/problem+json' : 'application/json' } });

inEnglish();

beforeEach(() => {
  stored = [{ id: 'c1', name: 'SOC desk', email: 'soc@acme.example', phone: '+819012345678' }];
  puts = [];
  answer = null;
  vi.stubGlobal('fetch', async (request: Request) => {
    const url = new URL(request.url);
    if (url.pathname !== '/api/v1/settings/security-contacts') return new Response(null, { status: 404 });
    if (request.method === 'PUT') {
      const body = (await request.json()) as { contacts: Omit<Contact, 'id'>[] };
      puts.push(body);
      if (answer) return answer(body);
      stored = body.contacts.map((c, i) => ({ id: `s${i}`, ...c, phone: c.phone ?? null }));
    }
    return json({ items: stored });
  });
});
const renderPage = () => renderWithClient(<SecurityContacts />);

const rows = () => screen.getAllByTestId('contact-row');
const inRow = (i: number, label: RegExp) => within(rows()[i]).getByLabelText(label) as HTMLInputElement;
const type = (i: number, label: RegExp, value: string) => fireEvent.change(inRow(i, label), { target: { value } });
const saveButton = () => screen.getByRole('button', { name: 'Save contacts' }) as HTMLButtonElement;

describe('security contacts', () => {
  it('explains who hears of incidents and lists the saved contacts', async () => {
    renderPage();
    await screen.findAllByTestId('contact-row');
    const intro = screen.getByRole('region', { name: 'Security contacts' }).textContent ?? '';
    expect(intro).toContain('users.manage, roles.manage or settings.manage');
    expect(intro).toContain('by SMS when a phone number is given');
    expect(inRow(0, /^Name/).value).toBe('SOC desk');
    expect(inRow(0, /^Mobile phone/).value).toBe('+819012345678');
    // Nothing changed: nothing to save.
    expect(saveButton().disabled).toBe(true);
  });

  it('adds, edits and removes rows, then saves the whole list in order', async () => {
    renderPage();
    await screen.findAllByTestId('contact-row');
    fireEvent.click(screen.getByRole('button', { name: 'Add a contact' }));
    expect(rows()).toHaveLength(2);
    await waitFor(() => expect(document.activeElement).toBe(inRow(1, /^Name/)));
    type(1, /^Name/, ' CISO ');
    type(1, /^Email/, 'ciso@acme.example');
    fireEvent.click(screen.getByRole('button', { name: 'Add a contact' }));
    type(2, /^Name/, 'Night shift');
    type(2, /^Email/, 'night@acme.example');
    type(2, /^Mobile phone/, '+81 90-1111-2222');
    type(0, /^Email/, 'soc2@acme.example');
    fireEvent.click(screen.getByRole('button', { name: 'Remove contact 2 (CISO)' }));
    expect(rows()).toHaveLength(2);

    await act(async () => fireEvent.click(saveButton()));
    await screen.findByText('Security contacts saved.');
    expect(puts).toEqual([
      {
        contacts: [
          { name: 'SOC desk', email: 'soc2@acme.example', phone: '+819012345678' },
          { name: 'Night shift', email: 'night@acme.example', phone: '+819011112222' },
        ],
      },
    ]);
    expect(saveButton().disabled).toBe(true);
  });

  it('saves an empty list once every row is removed', async () => {
    renderPage();
    await screen.findAllByTestId('contact-row');
    fireEvent.click(screen.getByRole('button', { name: 'Remove contact 1 (SOC desk)' }));
    expect(screen.getByTestId('no-contacts').textContent).toBe('No security contacts yet: incidents reach the administrators only.');
    await act(async () => fireEvent.click(saveButton()));
    await screen.findByText('Security contacts saved.');
    expect(puts).toEqual([{ contacts: [] }]);
  });

  it('marks problems on their row before sending anything', async () => {
    renderPage();
    await screen.findAllByTestId('contact-row');
    fireEvent.click(screen.getByRole('button', { name: 'Add a contact' }));
    type(1, /^Email/, 'not-an-address');
    type(1, /^Mobile phone/, '090-1234-5678');
    fireEvent.click(saveButton());
    expect(puts).toHaveLength(0);
    expect(inRow(1, /^Name/).getAttribute('aria-invalid')).toBe('true');
    expect(within(rows()[1]).getByText('Enter a name.')).toBeTruthy();
    expect(within(rows()[1]).getByText('Enter a valid email address.')).toBeTruthy();
    expect(within(rows()[1]).getByText(/^Use the international format/)).toBeTruthy();
    expect(inRow(0, /^Name/).getAttribute('aria-invalid')).toBeNull();
  });

  it("puts the API's field errors on their row, and takes one away once the field is edited", async () => {
    answer = () =>
      json(
        {
          type: 'x',
          title: 'Validation failed',
          status: 422,
          detail: 'd',
          code: 'validation_failed',
          errors: [{ field: 'contacts[1].email', code: 'invalid_format', message: 'not an address' }],
        },
        422,
      );
    renderPage();
    await screen.findAllByTestId('contact-row');
    fireEvent.click(screen.getByRole('button', { name: 'Add a contact' }));
    type(1, /^Name/, 'CISO');
    type(1, /^Email/, 'ciso@acme.example');
    await act(async () => fireEvent.click(saveButton()));
    await screen.findByText('Please check the contacts marked below');
    expect(within(rows()[1]).getByText('The format is not valid')).toBeTruthy();
    expect(inRow(1, /^Email/).getAttribute('aria-invalid')).toBe('true');
    expect(inRow(0, /^Email/).getAttribute('aria-invalid')).toBeNull();
    type(1, /^Email/, 'ciso@acme.example.jp');
    expect(within(rows()[1]).queryByText('The format is not valid')).toBeNull();
  });

  it('stops at ten contacts and says why', async () => {
    stored = Array.from({ length: 10 }, (_, i) => ({ id: `c${i}`, name: `P${i}`, email: `p${i}@acme.example`, phone: null }));
    renderPage();
    await screen.findAllByTestId('contact-row');
    const add = screen.getByRole('button', { name: 'Add a contact' }) as HTMLButtonElement;
    expect(add.disabled).toBe(true);
    expect(document.getElementById(add.getAttribute('aria-describedby')!)?.textContent).toBe('Up to 10 contacts. Remove one to add another.');
    fireEvent.click(screen.getByRole('button', { name: 'Remove contact 10 (P9)' }));
    expect((screen.getByRole('button', { name: 'Add a contact' }) as HTMLButtonElement).disabled).toBe(false);
  });
});
