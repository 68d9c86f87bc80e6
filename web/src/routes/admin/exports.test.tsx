// The export page against a mocked API: start → progress polled while it
// runs → ready → download saved under its file_name; a 409 export_running in
// words; no start button without `exports.create`.
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import i18next from '../../i18n';
import { Component as Exports } from './exports';

const base = {
  id: 'e1',
  requested_by: 'u',
  created_at: '2030-01-01T00:00:00Z',
  started_at: null,
  finished_at: null,
  items_done: 0,
  items_total: 0,
  size: null,
  sha256: null,
  expires_at: null,
  error: null,
  file_name: 'crepo-export-acme-20300101-0000.zip',
};
const HASH = 'ab'.repeat(32);

let permissions: string[] = [];
/** What GET /exports answers next (the last one repeats). */
let lists: unknown[][] = [];
let post: () => Response;
let downloads: string[] = [];

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

beforeEach(async () => {
  await i18next.changeLanguage('en');
  permissions = ['exports.create'];
  lists = [[]];
  downloads = [];
  post = () => json({ ...base, status: 'queued' }, 202);
  vi.stubGlobal('fetch', async (request: Request) => {
    const url = new URL(request.url);
    if (url.pathname === '/api/v1/me') return json({ id: 'u', name: 'U', email: 'u@x', permissions, roles: [], tenant: {} });
    if (url.pathname === '/api/v1/exports' && request.method === 'POST') return post();
    if (url.pathname === '/api/v1/exports') return json({ items: lists.length > 1 ? lists.shift() : lists[0], next_cursor: null });
    if (url.pathname === '/api/v1/exports/e1/download') {
      downloads.push(request.headers.get('authorization') ?? '');
      return new Response(new Uint8Array([0x50, 0x4b, 3, 4]), { headers: { 'content-type': 'application/zip' } });
    }
    return new Response(null, { status: 404 });
  });
});
afterEach(async () => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
  await i18next.changeLanguage('ja');
});

function renderPage() {
  render(
    <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
      <Exports />
    </QueryClientProvider>,
  );
}

describe('export page', () => {
  it('starts an export, shows its progress while it runs, and downloads it under its name', async () => {
    renderPage();
    await screen.findByText('No exports yet');
    const start = screen.getByRole('button', { name: 'Start export' });
    expect(start.hasAttribute('disabled')).toBe(false);

    // After the POST the list shows it running; the next poll (2 s) ready.
    lists = [
      [{ ...base, status: 'running', started_at: '2030-01-01T00:00:01Z', items_done: 3, items_total: 10 }],
      [{ ...base, status: 'ready', started_at: '2030-01-01T00:00:01Z', finished_at: '2030-01-01T00:00:09Z', items_done: 10, items_total: 10, size: 3 * 1024 * 1024, sha256: HASH, expires_at: '2030-01-08T00:00:09Z' }],
    ];
    await act(async () => fireEvent.click(start));
    const bar = await screen.findByRole('progressbar', { name: 'Export progress' });
    expect(bar.getAttribute('value')).toBe('3');
    expect(bar.getAttribute('max')).toBe('10');
    expect(screen.getByTestId('export-progress').textContent).toContain('3 of 10 items written');
    expect(screen.getByRole('button', { name: 'Start export' }).hasAttribute('disabled')).toBe(true);
    expect(screen.getByText('An export is being made. You can start the next one when it has finished.')).toBeTruthy();
    expect(within(screen.getByTestId('export-progress')).getByTestId('export-status').textContent).toContain('In progress');

    // Polled (refetchInterval) until ready: no more progress, start enabled.
    const row = await screen.findByRole('row', { name: /Ready/ }, { timeout: 4000 });
    expect(screen.queryByRole('progressbar')).toBeNull();
    expect(screen.getByRole('button', { name: 'Start export' }).hasAttribute('disabled')).toBe(false);
    expect(row.textContent).toContain('3 MB');
    expect(within(row).getByTestId('export-sha256').textContent).toBe('abababab…abab');
    expect(within(row).getByTestId('export-sha256').getAttribute('title')).toBe(HASH);

    // Download: fetched, then saved through <a download="file_name">.
    const saved: string[] = [];
    const createObjectURL = vi.fn(() => 'blob:x');
    vi.stubGlobal('URL', Object.assign(URL, { createObjectURL, revokeObjectURL: vi.fn() }));
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      saved.push(this.download);
    });
    await act(async () => fireEvent.click(within(row).getByRole('button', { name: 'Download crepo-export-acme-20300101-0000.zip' })));
    await waitFor(() => expect(saved).toEqual(['crepo-export-acme-20300101-0000.zip']));
    expect(downloads).toHaveLength(1);
    expect(createObjectURL).toHaveBeenCalledOnce();
  });

  it('says plainly that an export is already running (409)', async () => {
    post = () => json({ type: 'x', title: 'Conflict', status: 409, detail: 'an export is queued or running', code: 'export_running' }, 409);
    renderPage();
    await screen.findByText('No exports yet');
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Start export' })));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('An export is already being made. Start another once it has finished.');
  });

  it('shows a failed export with its error and an empty state that says what to do', async () => {
    lists = [[{ ...base, status: 'failed', finished_at: '2030-01-01T00:01:00Z', error: 'disk full' }]];
    renderPage();
    expect((await screen.findByTestId('export-error')).textContent).toBe('Cause: disk full');
    expect(screen.queryByRole('button', { name: /^Download/ })).toBeNull();
  });

  it('says a download that expired meanwhile (410) and fetches the list again', async () => {
    const readyOne = { ...base, status: 'ready', finished_at: '2030-01-01T00:00:09Z', items_done: 1, items_total: 1, size: 10, sha256: HASH, expires_at: '2030-01-08T00:00:09Z' };
    lists = [[readyOne], [{ ...readyOne, status: 'expired' }]];
    vi.stubGlobal('fetch', async (request: Request) => {
      const url = new URL(request.url);
      if (url.pathname === '/api/v1/me') return json({ id: 'u', name: 'U', email: 'u@x', permissions, roles: [], tenant: {} });
      if (url.pathname === '/api/v1/exports') return json({ items: lists.length > 1 ? lists.shift() : lists[0], next_cursor: null });
      if (url.pathname === '/api/v1/exports/e1/download') return json({ type: 'x', title: 'Gone', status: 410, detail: 'expired', code: 'export_expired' }, 410);
      return new Response(null, { status: 404 });
    });
    renderPage();
    const button = await screen.findByRole('button', { name: 'Download crepo-export-acme-20300101-0000.zip' });
    await act(async () => fireEvent.click(button));
    expect((await screen.findByRole('alert')).textContent).toContain('This export passed its 7 days for download and was deleted.');
    await waitFor(() => expect(screen.getByTestId('export-status').dataset.status).toBe('expired'));
  });

  it('offers no start button without exports.create', async () => {
    permissions = ['settings.manage'];
    renderPage();
    await screen.findByText('Exporting data needs the Export permission. Ask your organisation\'s administrator.');
    expect(screen.queryByRole('button', { name: 'Start export' })).toBeNull();
  });
});
