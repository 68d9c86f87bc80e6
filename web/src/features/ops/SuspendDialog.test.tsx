// Suspending and resuming a tenant in the operator console against a mocked
// API: the status in words (with a suspended tenant's reason), the dialog says
// what happens and refuses an empty reason before anything is sent, then the
// list is fetched again; a 409 is said in words.
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import i18next from '../../i18n';
import { Component as Tenants } from '../../routes/ops/tenants';

const tenant = (slug: string, status: string, extra: object = {}) => ({
  id: `id-${slug}`,
  slug,
  name: `${slug} Inc.`,
  status,
  created_at: '2030-01-01T00:00:00Z',
  user_count: 3,
  last_activity_at: null,
  log_state: 'intact',
  suspended_reason: null,
  suspended_at: null,
  ...extra,
});

let tenants: ReturnType<typeof tenant>[] = [];
let posts: { path: string; body: unknown }[] = [];
let answer: (path: string) => Response;
let listed = 0;
const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

beforeEach(async () => {
  await i18next.changeLanguage('en');
  tenants = [tenant('acme', 'active'), tenant('beta', 'suspended', { suspended_reason: 'Contract ended', suspended_at: '2030-01-02T03:00:00Z' })];
  posts = [];
  listed = 0;
  answer = (path) => {
    const slug = path.split('/')[5].replace('id-', '');
    const suspend = path.endsWith('/suspend');
    const out = tenant(slug, suspend ? 'suspended' : 'active', suspend ? { suspended_reason: 'Unpaid', suspended_at: '2030-01-03T00:00:00Z' } : {});
    tenants = tenants.map((x) => (x.slug === slug ? out : x));
    return json(out);
  };
  vi.stubGlobal('fetch', async (request: Request) => {
    const url = new URL(request.url);
    if (url.pathname === '/api/v1/ops/tenants') {
      listed++;
      return json({ items: tenants, next_cursor: null });
    }
    if (request.method === 'POST') {
      posts.push({ path: url.pathname, body: await request.json() });
      return answer(url.pathname);
    }
    return new Response(null, { status: 404 });
  });
});
afterEach(async () => {
  vi.unstubAllGlobals();
  await i18next.changeLanguage('ja');
});

function renderPage() {
  render(
    <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
      <Tenants />
    </QueryClientProvider>,
  );
}

const row = (slug: string) => screen.getAllByTestId('tenant-row').find((r) => r.dataset.slug === slug)!;

describe('suspending a tenant', () => {
  it('shows the status in words, asks for a reason before sending, and fetches the list again', async () => {
    renderPage();
    await screen.findAllByTestId('tenant-row');
    expect(within(row('acme')).getByTestId('tenant-status').textContent).toBe('● Active');
    expect(within(row('beta')).getByTestId('tenant-status').textContent).toBe('⊘ Suspended');
    expect(within(row('beta')).getByTestId('suspended-reason').textContent).toBe('Contract ended');
    expect(within(row('beta')).queryByRole('button', { name: 'Suspend beta Inc.' })).toBeNull();

    fireEvent.click(within(row('acme')).getByRole('button', { name: 'Suspend acme Inc.' }));
    const dialog = screen.getByRole('dialog', { name: 'Suspend acme Inc.?' });
    const effects = within(dialog).getByTestId('tenant-action-effects').textContent ?? '';
    expect(effects).toContain('Every session of this organisation ends at once.');
    expect(effects).toContain('Its users cannot sign in');
    expect(effects).toContain('Its data is not deleted');

    // Empty (or blank) reason: said on the field, nothing sent.
    fireEvent.change(within(dialog).getByLabelText(/^Reason/), { target: { value: '   ' } });
    await act(async () => fireEvent.click(within(dialog).getByRole('button', { name: 'Suspend' })));
    expect(within(dialog).getByText('Enter a reason.')).toBeTruthy();
    expect(within(dialog).getByLabelText(/^Reason/).getAttribute('aria-invalid')).toBe('true');
    expect(posts).toEqual([]);

    const before = listed;
    fireEvent.change(within(dialog).getByLabelText(/^Reason/), { target: { value: '  Unpaid ' } });
    await act(async () => fireEvent.click(within(dialog).getByRole('button', { name: 'Suspend' })));
    await screen.findByText('acme Inc. is suspended.');
    expect(posts).toEqual([{ path: '/api/v1/ops/tenants/id-acme/suspend', body: { reason: 'Unpaid' } }]);
    expect(listed).toBeGreaterThan(before);
    await waitFor(() => expect(within(row('acme')).getByTestId('tenant-status').textContent).toBe('⊘ Suspended'));
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('resumes with a reason and says a 409 in words', async () => {
    answer = () => json({ type: 'x', title: 'Conflict', status: 409, detail: 'not suspended', code: 'tenant_not_suspended' }, 409);
    renderPage();
    await screen.findAllByTestId('tenant-row');
    fireEvent.click(within(row('beta')).getByRole('button', { name: 'Resume beta Inc.' }));
    const dialog = screen.getByRole('dialog', { name: 'Resume beta Inc.?' });
    expect(within(dialog).getByTestId('tenant-action-effects').textContent).toContain('Its users can sign in again.');
    fireEvent.change(within(dialog).getByLabelText(/^Reason/), { target: { value: 'Paid' } });
    await act(async () => fireEvent.click(within(dialog).getByRole('button', { name: 'Resume' })));
    expect((await within(dialog).findByRole('alert')).textContent).toContain('This tenant is not suspended, so it cannot be resumed.');
    expect(posts).toEqual([{ path: '/api/v1/ops/tenants/id-beta/resume', body: { reason: 'Paid' } }]);
  });
});
