import { QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import i18next from '../i18n';
import { makeQueryClient } from '../lib/query';
import * as SignUp from './sign-up';

function json(status: number, body: unknown, type = 'application/json') {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': type, 'x-request-id': 'req-7' } });
}

const RULES = { min_length: 12, require_uppercase: false, require_lowercase: false, require_digit: false, require_symbol: false, history_count: 0 };

/** Fake API: the rules, the terms `terms()` answers now, and `signup` for the POST. */
function stubApi(terms: () => { version: string; url: string | null }, signup?: (body: Record<string, unknown>) => Response) {
  vi.stubGlobal(
    'fetch',
    vi.fn(async (r: Request) => {
      const path = new URL(r.url).pathname;
      if (path === '/api/v1/signup/password-rules') return json(200, RULES);
      if (path === '/api/v1/signup/terms') return json(200, terms());
      if (path === '/api/v1/signup' && signup) return signup((await r.clone().json()) as Record<string, unknown>);
      return json(404, {});
    }),
  );
}

const CREATED = { tenant: { id: 't1', slug: 'acme-foods', name: 'Acme Foods' }, user: { id: 'u1' } };

function renderSignUp() {
  const router = createMemoryRouter(
    [
      { path: '/sign-up', Component: SignUp.Component },
      { path: '/sign-in', Component: () => <p>sign-in page</p> },
    ],
    { initialEntries: ['/sign-up'] },
  );
  render(
    <QueryClientProvider client={makeQueryClient()}>
      <RouterProvider router={router} />
    </QueryClientProvider>,
  );
  return router;
}

function fill() {
  fireEvent.change(screen.getByLabelText(/^Organisation name/), { target: { value: 'Acme Foods' } });
  fireEvent.change(screen.getByLabelText(/^Organisation ID/), { target: { value: 'acme-foods' } });
  fireEvent.change(screen.getByLabelText(/^Full name/), { target: { value: 'Hanako Yamada' } });
  fireEvent.change(screen.getByLabelText(/^Email address/), { target: { value: 'hanako@acme.example' } });
  fireEvent.change(screen.getByLabelText(/^Mobile phone/), { target: { value: '+819012345678' } });
  fireEvent.change(screen.getByLabelText(/^Password$/), { target: { value: 'correct horse battery staple' } });
  fireEvent.change(screen.getByLabelText(/^Confirm password/), { target: { value: 'correct horse battery staple' } });
}

beforeEach(async () => {
  await i18next.changeLanguage('en');
});

afterEach(async () => {
  cleanup();
  vi.unstubAllGlobals();
  await i18next.changeLanguage('ja');
});

describe('sign-up page', () => {
  it('waits for the terms to be accepted, sends their version, and goes to sign-in', async () => {
    const bodies: Record<string, unknown>[] = [];
    stubApi(
      () => ({ version: '2026-12-01', url: 'https://crepo.example/terms' }),
      (body) => {
        bodies.push(body);
        return json(201, CREATED);
      },
    );
    const router = renderSignUp();
    const agree = (await screen.findByLabelText('I agree to the terms of use (version 2026-12-01)')) as HTMLInputElement;
    const link = screen.getByRole('link', { name: /Read the terms of use/ });
    expect(link.getAttribute('href')).toBe('https://crepo.example/terms');
    expect(link.getAttribute('target')).toBe('_blank');
    expect(link.getAttribute('rel')).toContain('noopener');
    fill();
    const submit = screen.getByRole('button', { name: 'Register' }) as HTMLButtonElement;
    expect(submit.disabled).toBe(true);
    expect(submit.getAttribute('aria-describedby')).toBe('signup-blocked');
    expect(screen.getByText('Tick the box to agree to the terms of use before registering.')).toBeTruthy();

    fireEvent.click(agree);
    expect(submit.disabled).toBe(false);
    expect(screen.queryByText('Tick the box to agree to the terms of use before registering.')).toBeNull();
    fireEvent.click(submit);
    await screen.findByText('sign-in page');
    expect(router.state.location.pathname).toBe('/sign-in');
    expect(bodies).toHaveLength(1);
    expect(bodies[0].accept_terms_version).toBe('2026-12-01');
    expect(bodies[0].tenant_slug).toBe('acme-foods');
  });

  it('shows no link when the terms have no address', async () => {
    stubApi(() => ({ version: 'v3', url: null }));
    renderSignUp();
    await screen.findByLabelText('I agree to the terms of use (version v3)');
    expect(screen.queryByRole('link', { name: /Read the terms of use/ })).toBeNull();
  });

  it('on outdated terms: unticks the box, says why on it, fetches the new version and sends that', async () => {
    let version = '2026-12-01';
    const bodies: Record<string, unknown>[] = [];
    stubApi(
      () => ({ version, url: null }),
      (body) => {
        bodies.push(body);
        if (body.accept_terms_version === version) return json(201, CREATED);
        const errors = [{ field: 'accept_terms_version', code: 'outdated', message: 'not the current terms' }];
        return json(422, { type: 'x', title: 'Validation failed', status: 422, detail: 'd', code: 'validation_failed', errors }, 'application/problem+json');
      },
    );
    renderSignUp();
    fireEvent.click(await screen.findByLabelText('I agree to the terms of use (version 2026-12-01)'));
    fill();
    version = '2027-01-15';
    fireEvent.click(screen.getByRole('button', { name: 'Register' }));

    const outdated = 'The terms of use have just been updated. Please read the new version and tick the box again.';
    await screen.findByText(outdated);
    const agree = (await screen.findByLabelText('I agree to the terms of use (version 2027-01-15)')) as HTMLInputElement;
    expect(agree.checked).toBe(false);
    expect(agree.getAttribute('aria-invalid')).toBe('true');
    expect(document.getElementById(agree.getAttribute('aria-describedby')!)?.textContent).toContain(outdated);
    expect((screen.getByRole('button', { name: 'Register' }) as HTMLButtonElement).disabled).toBe(true);

    fireEvent.click(agree);
    fireEvent.click(screen.getByRole('button', { name: 'Register' }));
    await screen.findByText('sign-in page');
    expect(bodies.map((b) => b.accept_terms_version)).toEqual(['2026-12-01', '2027-01-15']);
  });
});
