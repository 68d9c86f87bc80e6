import { QueryClientProvider } from '@tanstack/react-query';
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { session } from '../auth';
import i18next from '../i18n';
import { makeQueryClient } from '../lib/query';
import * as SignIn from './sign-in';

function json(status: number, body: unknown, type = 'application/json') {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': type, 'x-request-id': 'req-9' } });
}

function renderSignIn(entry: string | { pathname: string; search?: string; state: unknown } = '/sign-in?next=%2Fnotices') {
  const router = createMemoryRouter(
    [
      { path: '/sign-in', Component: SignIn.Component },
      { path: '/notices', Component: () => <p>notices page</p> },
    ],
    { initialEntries: [entry] },
  );
  render(
    <QueryClientProvider client={makeQueryClient()}>
      <RouterProvider router={router} />
    </QueryClientProvider>,
  );
  return router;
}

afterEach(() => {
  vi.unstubAllGlobals();
  void session.signOut();
});

describe('sign-in page', () => {
  it('asks for the code, counts down the resend, explains a wrong code, then goes to next', async () => {
    await i18next.changeLanguage('en');
    // bootstrap: no cookie, signed out
    const calls: Request[] = [];
    const fetchMock = vi.fn(async (r: Request) => {
      calls.push(r);
      const path = new URL(r.url).pathname;
      if (path === '/api/v1/auth/refresh') return json(401, { type: 'x', title: 't', status: 401, detail: 'd', code: 'invalid_token' }, 'application/problem+json');
      if (path === '/api/v1/auth/login') return json(200, { mfa_required: true, mfa_token: 'mfa1', phone_masked: '+81******0001', code_expires_in: 300, resend_after: 30 });
      if (path === '/api/v1/auth/mfa') {
        const body = (await r.clone().json()) as { code: string };
        if (body.code === '111111') return json(401, { type: 'x', title: 't', status: 401, detail: 'wrong', code: 'invalid_code' }, 'application/problem+json');
        return json(200, { access_token: 'tok', token_type: 'Bearer', expires_in: 900, password_change_required: false });
      }
      return json(404, {});
    });
    vi.stubGlobal('fetch', fetchMock);
    await act(() => session.bootstrap());
    const router = renderSignIn();

    fireEvent.change(screen.getByLabelText(/^Organisation ID/), { target: { value: 'acme' } });
    fireEvent.change(screen.getByLabelText(/^Email address/), { target: { value: 'a@acme.example' } });
    fireEvent.change(screen.getByLabelText(/^Password/), { target: { value: 'pw' } });
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));

    await screen.findByText('Enter the 6-digit code we texted to +81******0001.');
    expect((screen.getByRole('button', { name: /New code available in 30 s/ }) as HTMLButtonElement).disabled).toBe(true);
    const login = calls.find((c) => c.url.endsWith('/api/v1/auth/login'))!;
    expect(login.headers.get('x-crepo-client')).toBe('browser');

    fireEvent.change(screen.getByLabelText(/^Verification code/), { target: { value: '111111' } });
    fireEvent.click(screen.getByRole('button', { name: 'Verify' }));
    await screen.findByText('The code is wrong. Check the text message and enter it again.');
    expect(screen.getByText('req-9')).toBeTruthy();

    fireEvent.change(screen.getByLabelText(/^Verification code/), { target: { value: '222222' } });
    fireEvent.click(screen.getByRole('button', { name: 'Verify' }));
    await screen.findByText('notices page');
    expect(router.state.location.pathname).toBe('/notices');
    expect(session.accessToken()).toBe('tok');
    await i18next.changeLanguage('ja');
  });

  it('says the organisation is suspended, on a 403 tenant_suspended and on arrival after one, with the support link', async () => {
    await i18next.changeLanguage('en');
    vi.stubGlobal('fetch', async (r: Request) => {
      const path = new URL(r.url).pathname;
      if (path === '/api/v1/auth/refresh') return json(401, { type: 'x', title: 't', status: 401, detail: 'd', code: 'invalid_token' }, 'application/problem+json');
      if (path === '/api/v1/auth/login') return json(403, { type: 'x', title: 't', status: 403, detail: 'suspended', code: 'tenant_suspended' }, 'application/problem+json');
      return json(404, {});
    });
    await act(() => session.bootstrap());
    renderSignIn();
    fireEvent.change(screen.getByLabelText(/^Organisation ID/), { target: { value: 'acme' } });
    fireEvent.change(screen.getByLabelText(/^Email address/), { target: { value: 'a@acme.example' } });
    fireEvent.change(screen.getByLabelText(/^Password/), { target: { value: 'pw' } });
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('This organisation is suspended');
    expect(screen.getByTestId('suspended').textContent).toContain('The service provider has suspended this organisation.');
    expect(screen.getByRole('link', { name: 'See how to contact support' }).getAttribute('href')).toBe('/support');
    cleanup();

    // Sent here by the shell after a request met 403 tenant_suspended.
    renderSignIn({ pathname: '/sign-in', search: '?next=%2Fprojects', state: { reason: 'suspended' } });
    expect((await screen.findByTestId('suspended')).textContent).toContain('The service provider has suspended this organisation.');
    await i18next.changeLanguage('ja');
  });
});
