// The notices list against a mocked API: unread first in their own group,
// kinds and severities in words, the window in Tokyo time, mark read.
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import i18next from '../i18n';
import { Component as Notices } from './notices';
import { Component as Detail } from './notices-detail';

const base = { body: { ja: '本文', en: 'Body' }, emergency: false, published_at: '2030-01-01T00:00:00Z', updated_at: '2030-01-01T00:00:00Z', updates: [] };
let notices = [
  { ...base, id: 'n1', kind: 'release', severity: 'info', status: 'published', title: { ja: 'リリース', en: 'Release' }, read: true },
  {
    ...base,
    id: 'n2',
    kind: 'maintenance',
    severity: 'warning',
    status: 'scheduled',
    title: { ja: 'メンテ', en: 'Maintenance window' },
    starts_at: '2030-01-09T16:00:00Z',
    ends_at: '2030-01-09T18:00:00Z',
    read: false,
  },
  {
    ...base,
    id: 'n3',
    kind: 'incident',
    severity: 'critical',
    status: 'monitoring',
    title: { ja: '障害', en: 'Outage' },
    read: false,
    updates: [
      { at: '2030-01-01T01:00:00Z', status: 'identified', body: { ja: '特定', en: 'Found it' } },
      { at: '2030-01-01T02:00:00Z', status: 'monitoring', body: { ja: '監視', en: 'Watching' } },
    ],
  },
];
let posted: string[] = [];

beforeEach(async () => {
  posted = [];
  await i18next.changeLanguage('en');
  vi.stubGlobal('fetch', async (request: Request) => {
    const url = new URL(request.url);
    if (request.method === 'POST') {
      const id = url.pathname.split('/')[4];
      posted.push(id);
      notices = notices.map((n) => (n.id === id ? { ...n, read: true } : n));
      return new Response(null, { status: 204 });
    }
    return new Response(JSON.stringify({ items: notices }), { headers: { 'content-type': 'application/json' } });
  });
});
afterEach(async () => {
  vi.unstubAllGlobals();
  await i18next.changeLanguage('ja');
});

function renderAt(path: string) {
  const router = createMemoryRouter(
    [
      { path: '/notices', Component: Notices },
      { path: '/notices/:id', Component: Detail },
    ],
    { initialEntries: [path] },
  );
  render(
    <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
      <RouterProvider router={router} />
    </QueryClientProvider>,
  );
}

describe('notices', () => {
  it('puts unread first with kinds and severities in words, and marks read', async () => {
    renderAt('/notices');
    const unread = await screen.findByRole('region', { name: 'Unread (2)' });
    const titles = within(unread).getAllByRole('heading', { level: 3 }).map((h) => h.textContent);
    expect(titles).toEqual(['Maintenance window', 'Outage']);
    const m = within(unread).getAllByTestId('notice')[0];
    expect(m.textContent).toContain('Kind: Maintenance');
    expect(m.textContent).toContain('Severity: Warning');
    expect(m.textContent).toContain('10 Jan 2030 01:00 – 03:00 (JST)');
    expect(within(unread).getAllByTestId('notice')[1].textContent).toContain('Watching'); // the latest update

    await act(async () => fireEvent.click(within(m).getByRole('button', { name: 'Mark as read' })));
    expect(posted).toEqual(['n2']);
    await screen.findByRole('region', { name: 'Unread (1)' });
    const read = screen.getByRole('region', { name: 'Read' });
    await waitFor(() => expect(document.activeElement?.textContent).toBe('Maintenance window'));
    expect(within(read).getByText('Maintenance window')).toBeTruthy();
    expect(screen.getByRole('status').textContent).toBe('“Maintenance window” marked as read');
  });

  it('shows an incident’s stages oldest first on its page', async () => {
    renderAt('/notices/n3');
    await screen.findByRole('heading', { level: 1, name: 'Outage' });
    const items = screen.getAllByRole('listitem').map((li) => li.textContent);
    expect(items[0]).toContain('Published');
    expect(items[1]).toContain('Identified');
    expect(items[2]).toContain('Monitoring');
    expect(items[2]).toContain('Watching');
  });

  it('says when a notice is not there', async () => {
    renderAt('/notices/nope');
    await screen.findByText('This notice has ended or no longer concerns you.');
  });
});
