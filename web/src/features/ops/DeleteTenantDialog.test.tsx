// Termination in the operator console against a mocked API: a tenant that
// requested termination carries a badge with its dates and the list can show
// only those; deleting asks for the slug typed exactly (nothing is sent
// before), says what goes and that it cannot be undone, then shows the
// certificate and fetches the list again; an interrupted deletion is shown.
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import i18next from '../../i18n';
import { storedTimeZone } from '../../lib/prefs';
import { formatDateTime } from '../../lib/time';
import { Component as Tenants } from '../../routes/ops/tenants';

const tenant = (slug: string, extra: object = {}) => ({
  id: `id-${slug}`,
  slug,
  name: `${slug} Inc.`,
  status: 'active',
  created_at: '2030-01-01T00:00:00Z',
  user_count: 3,
  last_activity_at: null,
  log_state: 'intact',
  suspended_reason: null,
  suspended_at: null,
  termination_requested_at: null,
  termination_due_at: null,
  ...extra,
});
const HASH = 'cd'.repeat(32);
const CERT = {
  tenant_id: 'id-leaving',
  slug: 'leaving',
  requested_at: '2030-01-01T00:00:00Z',
  completed_at: '2030-02-01T03:04:00Z',
  operator_email: 'ops@crepo.example',
  rows_removed: 1234,
  objects_removed: 56,
  last_checkpoint_sha256: HASH,
};

let tenants: ReturnType<typeof tenant>[] = [];
let deletes: string[] = [];
let listed = 0;
const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const fmt = (iso: string) => formatDateTime(iso, 'en', storedTimeZone());

beforeEach(async () => {
  await i18next.changeLanguage('en');
  tenants = [tenant('acme'), tenant('leaving', { termination_requested_at: '2020-01-01T00:00:00Z', termination_due_at: '2020-01-31T00:00:00Z' })];
  deletes = [];
  listed = 0;
  vi.stubGlobal('fetch', async (request: Request) => {
    const url = new URL(request.url);
    if (url.pathname === '/api/v1/ops/tenants') {
      listed++;
      return json({ items: tenants, next_cursor: null });
    }
    if (request.method === 'DELETE' && url.pathname.startsWith('/api/v1/ops/tenants/')) {
      deletes.push(url.pathname);
      tenants = tenants.filter((x) => x.id !== 'id-leaving');
      return json(CERT);
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

const row = (slug: string) => screen.getAllByTestId('tenant-row').find((r) => r.dataset.slug === slug);

describe('termination in the operator console', () => {
  it('marks a requested termination with its dates, and lists only those on request', async () => {
    renderPage();
    await screen.findAllByTestId('tenant-row');
    expect(within(row('acme')!).queryByTestId('termination-badge')).toBeNull();
    const badge = within(row('leaving')!).getByTestId('termination-badge');
    expect(badge.textContent).toContain('Termination requested');
    expect(badge.textContent).toContain(fmt('2020-01-01T00:00:00Z'));
    // The due date has passed: said in words, not only in colour.
    expect(within(badge).getByTestId('termination-due').textContent).toBe(`${fmt('2020-01-31T00:00:00Z')} (overdue)`);

    fireEvent.click(screen.getByRole('checkbox', { name: 'Show only tenants that requested termination' }));
    expect(screen.getAllByTestId('tenant-row').map((r) => r.dataset.slug)).toEqual(['leaving']);
    tenants = [tenant('acme')];
    fireEvent.click(screen.getByRole('checkbox', { name: 'Show only tenants that requested termination' }));
    expect(screen.getAllByTestId('tenant-row')).toHaveLength(2);
  });

  it('deletes a tenant only once its slug is typed, then shows the certificate and fetches the list again', async () => {
    renderPage();
    await screen.findAllByTestId('tenant-row');
    fireEvent.click(within(row('leaving')!).getByRole('button', { name: 'Delete leaving Inc.' }));
    const dialog = screen.getByRole('dialog', { name: 'Delete leaving Inc. permanently?' });
    expect(within(dialog).getByTestId('delete-request').textContent).toBe(`Termination was requested on ${fmt('2020-01-01T00:00:00Z')} (delete by ${fmt('2020-01-31T00:00:00Z')}).`);
    expect(within(dialog).getAllByRole('listitem').map((li) => li.textContent)).toEqual([
      "The tenant's database (its schema or database file) with its projects, labels, users, roles, settings and access log",
      'Every stored object (design files and all their versions)',
      'The exports the tenant made',
      'Every platform record about the tenant (sessions, notice deliveries and the like)',
    ]);
    expect(dialog.textContent).toContain('This cannot be undone.');
    expect(dialog.textContent).toContain('Only a deletion certificate remains');

    const confirm = within(dialog).getByRole('button', { name: 'Delete permanently' });
    const slug = within(dialog).getByLabelText('Type the tenant ID to confirm');
    expect(within(dialog).getByTestId('expected-slug').textContent).toBe('leaving');
    expect(confirm.hasAttribute('disabled')).toBe(true);
    fireEvent.change(slug, { target: { value: 'leavin' } });
    expect(confirm.hasAttribute('disabled')).toBe(true);
    await act(async () => fireEvent.submit(slug.closest('form')!));
    expect(deletes).toEqual([]);
    fireEvent.change(slug, { target: { value: 'leaving' } });
    expect(confirm.hasAttribute('disabled')).toBe(false);
    const before = listed;
    await act(async () => fireEvent.click(confirm));

    const cert = await screen.findByTestId('deletion-certificate');
    expect(deletes).toEqual(['/api/v1/ops/tenants/id-leaving']);
    expect(screen.getByRole('dialog', { name: 'leaving was deleted' })).toBeTruthy();
    expect(within(cert).getByTestId('cert-rows').textContent).toBe('1234');
    expect(within(cert).getByTestId('cert-objects').textContent).toBe('56');
    expect(within(cert).getByTestId('cert-completed').textContent).toBe(fmt(CERT.completed_at));
    expect(within(cert).getByTestId('cert-checkpoint').textContent).toBe(HASH);
    expect(cert.textContent).toContain('ops@crepo.example');
    await waitFor(() => expect(listed).toBeGreaterThan(before));
    await waitFor(() => expect(screen.getAllByTestId('tenant-row').map((r) => r.dataset.slug)).toEqual(['acme']));

    fireEvent.click(screen.getAllByRole('button', { name: 'Close' }).at(-1)!);
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('warns when the tenant has not requested termination', async () => {
    renderPage();
    await screen.findAllByTestId('tenant-row');
    fireEvent.click(within(row('acme')!).getByRole('button', { name: 'Delete acme Inc.' }));
    const dialog = screen.getByRole('dialog', { name: 'Delete acme Inc. permanently?' });
    expect(within(dialog).getByRole('alert').textContent).toContain('This tenant has not requested termination.');
  });

  it('shows a tenant whose deletion was interrupted, and says deleting again finishes it', async () => {
    tenants = [tenant('halfway', { status: 'deleting', termination_requested_at: '2020-01-01T00:00:00Z', termination_due_at: '2020-01-31T00:00:00Z' })];
    renderPage();
    await screen.findAllByTestId('tenant-row');
    expect(within(row('halfway')!).getByTestId('tenant-status').textContent).toBe('✕ Being deleted');
    fireEvent.click(within(row('halfway')!).getByRole('button', { name: 'Delete halfway Inc.' }));
    const dialog = screen.getByRole('dialog', { name: 'Delete halfway Inc. permanently?' });
    expect(within(dialog).getByRole('alert').textContent).toContain('A deletion of this tenant was interrupted. Running it again finishes it.');
  });
});
