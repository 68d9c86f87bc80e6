// Terminating the service against a mocked API: the button stays disabled
// until the slug is typed exactly; a wrong password is said on its field;
// the code step (numeric one-time-code input, the server's code errors) and a
// last confirmation naming the deletion date make the request; the requested
// state says when and by whom, and the request can be withdrawn.
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import i18next from '../../i18n';
import { formatDateTime } from '../../lib/time';
import { storedTimeZone } from '../../lib/prefs';
import { Component as Termination } from './termination';

const NONE = { status: 'none', requested_at: null, requested_by_email: null, deletion_due_at: null, grace_days: 30, slug: 'acme' };
const REQUESTED = { status: 'requested', requested_at: '2030-01-01T00:00:00Z', requested_by_email: 'owner@acme.example', deletion_due_at: '2030-01-31T00:00:00Z', grace_days: 30, slug: 'acme' };

let state: typeof NONE | typeof REQUESTED;
let challenge: (body: Record<string, string>) => Response;
let confirm: (body: Record<string, string>) => Response;
let calls: { method: string; path: string; body: unknown }[] = [];

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const problem = (status: number, code: string, extra: object = {}) => json({ type: 'about:blank', title: 'x', status, detail: 'server detail', code, ...extra }, status);

beforeEach(async () => {
  await i18next.changeLanguage('en');
  state = NONE;
  calls = [];
  challenge = () => json({ challenge_token: 'tok', phone_masked: '+81 90-****-5678', code_expires_in: 300 }, 202);
  confirm = () => {
    state = REQUESTED;
    return json(REQUESTED, 202);
  };
  vi.stubGlobal('fetch', async (request: Request) => {
    const url = new URL(request.url);
    const body = request.method === 'POST' ? ((await request.json()) as Record<string, string>) : null;
    calls.push({ method: request.method, path: url.pathname, body });
    if (url.pathname === '/api/v1/termination/challenge') return challenge(body!);
    if (url.pathname === '/api/v1/termination' && request.method === 'POST') return confirm(body!);
    if (url.pathname === '/api/v1/termination' && request.method === 'DELETE') {
      state = NONE;
      return json(NONE);
    }
    if (url.pathname === '/api/v1/termination') return json(state);
    return new Response(null, { status: 404 });
  });
});
afterEach(async () => {
  vi.unstubAllGlobals();
  await i18next.changeLanguage('ja');
});

function renderPage() {
  const router = createMemoryRouter(
    [
      { path: '/admin/termination', Component: Termination },
      { path: '/admin/exports', element: null },
      { path: '/me', element: null },
    ],
    { initialEntries: ['/admin/termination'] },
  );
  render(
    <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
      <RouterProvider router={router} />
    </QueryClientProvider>,
  );
  return router;
}

const sendButton = () => screen.getByRole('button', { name: 'Send confirmation code' });
const fmt = (iso: string) => formatDateTime(iso, 'en', storedTimeZone());

async function fillCredentials(password: string, slug: string) {
  fireEvent.change(await screen.findByLabelText('Current password'), { target: { value: password } });
  fireEvent.change(screen.getByLabelText('Organisation ID (type it to confirm)'), { target: { value: slug } });
}

describe('terminating the service', () => {
  it('explains what is deleted and kept, links to the export page first, and keeps the button disabled until the slug matches', async () => {
    renderPage();
    await screen.findByRole('heading', { name: 'Terminate the service' });
    const about = screen.getByTestId('termination-about');
    expect(about.textContent).toContain('Every design file, with all its versions');
    expect(about.textContent).toContain('Only a deletion certificate');
    expect(about.textContent).toContain('30 days after the request');
    expect(screen.getByTestId('export-first').getAttribute('href')).toBe('/admin/exports');
    expect(screen.getByTestId('expected-slug').textContent).toBe('acme');

    await fillCredentials('secret', 'acm');
    expect(sendButton().hasAttribute('disabled')).toBe(true);
    expect(screen.getByText('The organisation ID does not match yet.')).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Organisation ID (type it to confirm)'), { target: { value: 'ACME' } });
    expect(sendButton().hasAttribute('disabled')).toBe(true);
    fireEvent.change(screen.getByLabelText('Organisation ID (type it to confirm)'), { target: { value: 'acme' } });
    expect(sendButton().hasAttribute('disabled')).toBe(false);
    expect(calls.filter((c) => c.method === 'POST')).toEqual([]);
  });

  it('says a wrong password on its field and a mismatched slug on its own', async () => {
    challenge = () =>
      problem(422, 'validation_failed', {
        errors: [
          { field: 'current_password', code: 'incorrect', message: 'wrong' },
          { field: 'confirm_slug', code: 'mismatch', message: 'no' },
        ],
      });
    renderPage();
    await fillCredentials('wrong', 'acme');
    await act(async () => fireEvent.click(sendButton()));
    const password = screen.getByLabelText('Current password');
    await waitFor(() => expect(password.getAttribute('aria-invalid')).toBe('true'));
    expect(document.getElementById(password.getAttribute('aria-describedby')!.split(' ').at(-1)!)?.textContent).toBe('The current password is wrong');
    expect(screen.getByText("This is not your organisation's ID.")).toBeTruthy();
    expect(calls.find((c) => c.path === '/api/v1/termination/challenge')?.body).toEqual({ current_password: 'wrong', confirm_slug: 'acme' });
  });

  it('explains phone_required with a link to My Page', async () => {
    challenge = () => problem(422, 'phone_required');
    renderPage();
    await fillCredentials('secret', 'acme');
    await act(async () => fireEvent.click(sendButton()));
    const alert = await within(screen.getByRole('form', { name: 'Request termination' })).findByRole('alert');
    expect(alert.textContent).toContain('Add a phone on My Page first.');
    expect(within(alert).getByRole('link', { name: 'Add a phone on My Page' }).getAttribute('href')).toBe('/me');
  });

  it('asks for the texted code, shows its errors, confirms with the deletion date, then shows the request', async () => {
    renderPage();
    await fillCredentials('secret', 'acme');
    await act(async () => fireEvent.click(sendButton()));
    expect((await screen.findByText(/We texted a confirmation code/)).textContent).toBe('We texted a confirmation code to +81 90-****-5678.');
    const code = screen.getByLabelText('Confirmation code (6 digits)');
    expect(code.getAttribute('autocomplete')).toBe('one-time-code');
    expect(code.getAttribute('inputmode')).toBe('numeric');
    expect(screen.getByTestId('code-expiry').textContent).toMatch(/^Expires in [45]:\d\d$/);
    // The password is not kept once the code is sent.
    expect(screen.queryByLabelText('Current password')).toBeNull();

    // A wrong code: the server's message, the form stays.
    confirm = () => problem(401, 'invalid_code');
    fireEvent.change(code, { target: { value: '12a34' } });
    expect((code as HTMLInputElement).value).toBe('1234');
    const submit = screen.getByRole('button', { name: 'Request termination' });
    expect(submit.hasAttribute('disabled')).toBe(true);
    fireEvent.change(code, { target: { value: '123456' } });
    await act(async () => fireEvent.click(submit));
    // The confirmation names the deletion date before anything is sent.
    let dialog = screen.getByRole('dialog', { name: 'Request termination?' });
    expect(within(dialog).getByTestId('confirm-date').textContent).toMatch(/deleted by about .+ \(30 days from the request\)/);
    expect(calls.filter((c) => c.path === '/api/v1/termination' && c.method === 'POST')).toEqual([]);
    await act(async () => fireEvent.click(within(dialog).getByRole('button', { name: 'Request termination' })));
    const step = screen.getByRole('form', { name: 'Enter the confirmation code' });
    expect((await within(step).findByRole('alert')).textContent).toContain('The code is wrong.');

    // An expired code: only starting again helps, and it says so.
    confirm = () => problem(401, 'code_expired');
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Request termination' })));
    dialog = screen.getByRole('dialog', { name: 'Request termination?' });
    await act(async () => fireEvent.click(within(dialog).getByRole('button', { name: 'Request termination' })));
    await waitFor(() => expect(within(step).getByRole('alert').textContent).toContain('The code has expired. Choose “Start again” to get a new one.'));
    expect(screen.getByRole('button', { name: 'Request termination' }).hasAttribute('disabled')).toBe(true);

    // Start again, a new code, and this time it is accepted.
    fireEvent.click(screen.getByRole('button', { name: 'Start again' }));
    await fillCredentials('secret', 'acme');
    await act(async () => fireEvent.click(sendButton()));
    confirm = () => {
      state = REQUESTED;
      return json(REQUESTED, 202);
    };
    fireEvent.change(await screen.findByLabelText('Confirmation code (6 digits)'), { target: { value: '654321' } });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Request termination' })));
    dialog = screen.getByRole('dialog', { name: 'Request termination?' });
    await act(async () => fireEvent.click(within(dialog).getByRole('button', { name: 'Request termination' })));
    expect(calls.filter((c) => c.path === '/api/v1/termination' && c.method === 'POST').at(-1)?.body).toEqual({ challenge_token: 'tok', code: '654321' });
    await screen.findByTestId('termination-requested');
    expect(screen.getByText('Termination requested.')).toBeTruthy();
    expect(screen.getByTestId('deletion-due').textContent).toBe(`Everything in this organisation will be deleted by ${fmt(REQUESTED.deletion_due_at)}.`);
    expect(screen.queryByRole('button', { name: 'Send confirmation code' })).toBeNull();
  });

  it('shows a request in force and withdraws it after a confirmation', async () => {
    state = REQUESTED;
    renderPage();
    await screen.findByTestId('termination-requested');
    expect(screen.getByText('Termination has been requested')).toBeTruthy();
    expect(screen.getByTestId('requested-by').textContent).toBe(`Requested on ${fmt(REQUESTED.requested_at)} by owner@acme.example.`);
    expect(screen.getByTestId('deletion-due').textContent).toContain(fmt(REQUESTED.deletion_due_at));
    expect(screen.queryByLabelText('Current password')).toBeNull();

    fireEvent.click(screen.getByRole('button', { name: 'Withdraw the request' }));
    const dialog = screen.getByRole('dialog', { name: 'Withdraw the termination request?' });
    expect(calls.some((c) => c.method === 'DELETE')).toBe(false);
    await act(async () => fireEvent.click(within(dialog).getByRole('button', { name: 'Withdraw the request' })));
    await screen.findByText('The termination request was withdrawn.');
    expect(calls.filter((c) => c.method === 'DELETE')).toHaveLength(1);
    expect(screen.queryByTestId('termination-requested')).toBeNull();
    expect(sendButton().hasAttribute('disabled')).toBe(true);
  });

  it('says plainly when there is no request to withdraw (409)', async () => {
    state = REQUESTED;
    renderPage();
    await screen.findByTestId('termination-requested');
    vi.stubGlobal('fetch', async (request: Request) => {
      const url = new URL(request.url);
      if (request.method === 'DELETE') return problem(409, 'no_termination_request');
      if (url.pathname === '/api/v1/termination') return json(REQUESTED);
      return new Response(null, { status: 404 });
    });
    fireEvent.click(screen.getByRole('button', { name: 'Withdraw the request' }));
    const dialog = screen.getByRole('dialog', { name: 'Withdraw the termination request?' });
    await act(async () => fireEvent.click(within(dialog).getByRole('button', { name: 'Withdraw the request' })));
    await waitFor(() => expect(within(dialog).getByRole('alert').textContent).toContain('There is no termination request to withdraw'));
  });
});
