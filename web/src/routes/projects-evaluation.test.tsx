// The comparison page against a mocked API: statuses in words while the
// designs are evaluated, polled every 2 s until done; a failed design's
// reason in words; the best value marked in text, not colour alone.
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen, waitFor, within } from '@testing-library/react';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import i18next from '../i18n';
import { Component as Evaluation } from './projects-evaluation';

const P = '00000000-0000-4000-8000-000000000001';
const at = '2030-01-01T00:00:00Z';
const metrics = (focus: number) => ({ focus, top10_share: 0.3, colourfulness: 20, rms_contrast: 0.1, edge_density: 0.05 });
function item(id: string, status: string, extra: Record<string, unknown> = {}) {
  return {
    file_id: id,
    filename: `${id}.png`,
    sniffed_type: 'png',
    file_created_at: at,
    evaluation: { file_id: id, status, attempts: 1, areas: [], created_at: at, updated_at: at, metrics: null, shelf: null, reason: null, ...extra },
  };
}

let lists: unknown[][] = [];
let listCalls = 0;

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

beforeEach(async () => {
  await i18next.changeLanguage('en');
  listCalls = 0;
  vi.stubGlobal('URL', Object.assign(URL, { createObjectURL: vi.fn(() => 'blob:x'), revokeObjectURL: vi.fn() }));
  vi.stubGlobal('fetch', async (request: Request) => {
    const url = new URL(request.url);
    if (url.pathname === '/api/v1/me') return json({ id: 'u', name: 'U', email: 'u@x', permissions: ['files.read'], roles: [], tenant: {} });
    if (url.pathname === `/api/v1/projects/${P}`) return json({ id: P, name: 'Green tea', description: '', status: 'active', labels: [], version: 1, created_at: at, updated_at: at });
    if (url.pathname === `/api/v1/projects/${P}/evaluations`) {
      listCalls++;
      return json({ items: lists.length > 1 ? lists.shift() : lists[0], next_cursor: null });
    }
    if (/\/(thumbnail|heatmap)$/.test(url.pathname)) return new Response(new Uint8Array([0x89, 0x50, 0x4e, 0x47]), { headers: { 'content-type': 'image/png' } });
    return new Response(null, { status: 404 });
  });
});
afterEach(async () => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
  await i18next.changeLanguage('ja');
});

function renderPage() {
  const router = createMemoryRouter([{ path: '/projects/:id/evaluation', Component: Evaluation }], { initialEntries: [`/projects/${P}/evaluation`] });
  render(
    <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
      <RouterProvider router={router} />
    </QueryClientProvider>,
  );
}

describe('design comparison page', () => {
  it('says what is happening while designs are evaluated, polls until done, then marks the best value', async () => {
    lists = [
      [item('a', 'pending'), item('b', 'running')],
      [
        item('a', 'done', { metrics: metrics(0.2), finished_at: at }),
        item('b', 'done', { metrics: metrics(0.6), finished_at: at }),
      ],
    ];
    renderPage();
    await screen.findByText('Waiting to be evaluated…');
    expect(screen.getByText('Evaluating…')).toBeTruthy();
    expect(screen.getByText(/not a measured eye-tracking result/)).toBeTruthy();
    // The next poll, 2 s later: both done.
    await waitFor(() => expect(screen.getAllByText('Evaluated')).toHaveLength(2), { timeout: 4000 });
    expect(listCalls).toBe(2);
    const focus = screen.getByRole('row', { name: /Focus/ });
    const cells = within(focus).getAllByRole('cell');
    expect(cells[0].textContent).toBe('0.20');
    expect(cells[1].textContent).toContain('0.60');
    expect(cells[1].textContent).toContain('best');
    expect(within(screen.getByRole('row', { name: /Edge density/ })).getAllByRole('cell')[0].textContent).not.toContain('best'); // equal: none marked
    expect(focus.textContent).toContain('↑ higher is better');
    expect(screen.getByRole('row', { name: /Edge density/ }).textContent).toContain('↓ lower is better');
    // Done: no more polling.
    await new Promise((r) => setTimeout(r, 2500));
    expect(listCalls).toBe(2);
  });

  it('gives a failed design’s reason in words', async () => {
    lists = [[item('a', 'failed', { reason: 'corrupt' }), item('b', 'skipped', { reason: 'unsupported_format' })]];
    renderPage();
    await screen.findByText('Evaluation failed: the image could not be read');
    expect(screen.getByText('Not evaluated: this file type is not evaluated (PDF, SVG and other files)')).toBeTruthy();
  });
});
