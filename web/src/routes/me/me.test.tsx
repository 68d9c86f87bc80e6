// My Page pieces with logic, against a mocked API: the access log's filters in
// the URL and its cursor paging; ending sessions with a confirmation.
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import i18next from '../../i18n';
import { Component as AccessLog } from './access-log';
import { Component as Sessions } from './sessions';

type Handler = (url: URL, request: Request) => Response | Promise<Response>;
let calls: { method: string; url: URL }[] = [];

function mockApi(handler: Handler) {
  calls = [];
  vi.stubGlobal('fetch', async (input: Request) => {
    const url = new URL(input.url);
    calls.push({ method: input.method, url });
    return handler(url, input);
  });
}

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

function entry(seq: number, event = 'http.request') {
  return {
    seq,
    at: new Date(Date.UTC(2026, 4, 1, 1, 0, 0) - seq * 60_000).toISOString(),
    event,
    details: {},
    prev_hash: 'x',
    hash: 'y',
    ip: '203.0.113.7',
    method: 'GET',
    route: '/api/v1/me',
    status: 200,
    user_agent: 'Mozilla/5.0 (X11; Linux x86_64) Chrome/126.0 Safari/537.36',
  };
}

function renderAt(path: string, routePath: string, Component: () => React.ReactNode) {
  const router = createMemoryRouter([{ path: routePath, Component }, { path: '/sign-in', Component: () => <p>sign-in page</p> }], {
    initialEntries: [path],
  });
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={client}>
      <RouterProvider router={router} />
    </QueryClientProvider>,
  );
  return router;
}

beforeEach(async () => {
  await i18next.changeLanguage('en');
});
afterEach(async () => {
  vi.unstubAllGlobals();
  await i18next.changeLanguage('ja');
});

describe('access log', () => {
  it('reads its filters from the URL, writes applied ones back, and pages by cursor without repeats', async () => {
    mockApi((url) => {
      const cursor = url.searchParams.get('cursor');
      if (!cursor) return json({ items: [entry(1, 'auth.login.succeeded'), entry(2)], next_cursor: 'page2' });
      if (cursor === 'page2') return json({ items: [entry(3), entry(4)], next_cursor: null });
      return json({ items: [] });
    });
    const router = renderAt('/me/access-log?event=auth.&from=2026-05-01T01:00:00.000Z', '/me/access-log', AccessLog);

    // The URL's filters fill the form (in Tokyo time) and go to the API.
    const table = await screen.findByRole('table');
    expect(within(table).getByText('Signed in')).toBeTruthy();
    expect((screen.getByLabelText('Event') as HTMLInputElement).value).toBe('auth.');
    expect((screen.getByLabelText(/^From/) as HTMLInputElement).value).toBe('2026-05-01T10:00');
    const first = calls[0].url.searchParams;
    expect(first.get('event')).toBe('auth.');
    expect(first.get('from')).toBe('2026-05-01T01:00:00.000Z');
    expect(first.has('to')).toBe(false);

    // "Load more" sends the cursor; the rows are the two pages, once each.
    fireEvent.click(screen.getByRole('button', { name: 'Load more' }));
    await screen.findByText('No more entries');
    expect(calls[1].url.searchParams.get('cursor')).toBe('page2');
    expect(calls[1].url.searchParams.get('event')).toBe('auth.');
    const seqs = [...document.querySelectorAll('tbody tr')].map((r) => r.getAttribute('data-seq'));
    expect(seqs).toEqual(['1', '2', '3', '4']);
    // Focus moved to the first new row.
    await waitFor(() => expect(document.activeElement?.getAttribute('data-seq')).toBe('3'));

    // Applying a new filter puts it in the URL (and starts again from page one).
    fireEvent.change(screen.getByLabelText('Event'), { target: { value: 'auth.login.failed' } });
    fireEvent.change(screen.getByLabelText(/^Until/), { target: { value: '2026-05-02T09:30' } });
    fireEvent.click(screen.getByRole('button', { name: 'Filter' }));
    await waitFor(() => expect(router.state.location.search).toContain('event=auth.login.failed'));
    const search = new URLSearchParams(router.state.location.search);
    expect(search.get('to')).toBe('2026-05-02T00:30:00.000Z');
    expect(search.get('from')).toBe('2026-05-01T01:00:00.000Z');
    await waitFor(() => expect(calls.at(-1)?.url.searchParams.get('event')).toBe('auth.login.failed'));
    expect(calls.at(-1)?.url.searchParams.has('cursor')).toBe(false);

    // Clearing empties the URL.
    fireEvent.click(await screen.findByRole('button', { name: 'Clear filters' }));
    await waitFor(() => expect(router.state.location.search).toBe(''));
  });

  it('refuses a malformed event and a reversed range before asking', async () => {
    mockApi(() => json({ items: [], next_cursor: null }));
    const router = renderAt('/me/access-log', '/me/access-log', AccessLog);
    await screen.findByText('No entries yet');
    fireEvent.change(screen.getByLabelText('Event'), { target: { value: 'Auth Login' } });
    fireEvent.change(screen.getByLabelText(/^From/), { target: { value: '2026-05-02T10:00' } });
    fireEvent.change(screen.getByLabelText(/^Until/), { target: { value: '2026-05-01T10:00' } });
    fireEvent.click(screen.getByRole('button', { name: 'Filter' }));
    await screen.findByText(/Use lower-case letters/);
    screen.getByText('The end must be after the start');
    expect(router.state.location.search).toBe('');
    expect(calls.length).toBe(1);
  });

  it('says when filters match nothing', async () => {
    mockApi(() => json({ items: [], next_cursor: null }));
    renderAt('/me/access-log?event=auth.logout', '/me/access-log', AccessLog);
    await screen.findByText('No entries match these filters');
  });
});

describe('sessions', () => {
  const sessions = [
    { id: 's1', created_at: '2026-05-01T01:00:00Z', last_seen_at: '2026-05-01T02:00:00Z', expires_at: '2026-05-08T01:00:00Z', ip: '198.51.100.1', user_agent: 'Mozilla/5.0 (X11; Linux x86_64) HeadlessChrome/139.0 Safari/537.36', current: true },
    { id: 's2', created_at: '2026-04-30T01:00:00Z', last_seen_at: '2026-04-30T03:00:00Z', expires_at: '2026-05-07T01:00:00Z', ip: '203.0.113.9', user_agent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) Version/17.5 Mobile/15E148 Safari/604.1', current: false },
    { id: 's3', created_at: '2026-04-29T01:00:00Z', last_seen_at: '2026-04-29T03:00:00Z', expires_at: '2026-05-06T01:00:00Z', ip: null, user_agent: null, current: false },
  ];

  it('lists devices in words, ends one after confirming, and says how many "everywhere else" ended', async () => {
    let live = [...sessions];
    mockApi((url, request) => {
      if (request.method === 'GET') return json({ items: live });
      if (url.pathname === '/api/v1/me/sessions') {
        const ended = live.filter((s) => !s.current).length;
        live = live.filter((s) => s.current);
        return json({ ended });
      }
      const id = url.pathname.split('/').pop();
      live = live.filter((s) => s.id !== id);
      return new Response(null, { status: 204 });
    });
    renderAt('/me/sessions', '/me/sessions', Sessions);
    const table = await screen.findByRole('table');
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map((r) => within(r).getByRole('rowheader').textContent)).toEqual(['Chrome on LinuxThis device', 'Safari on iOS', 'Unknown device']);
    expect(within(rows[2]).getByText('Unknown')).toBeTruthy();

    // End the iPhone's session: a confirmation first, then DELETE /me/sessions/s2.
    fireEvent.click(within(rows[1]).getByRole('button', { name: /^End: Safari on iOS/ }));
    const dialog = await screen.findByRole('dialog');
    expect(dialog.textContent).toContain('Safari on iOS (203.0.113.9)');
    await act(async () => fireEvent.click(within(dialog).getByRole('button', { name: 'End session' })));
    await screen.findByText('The session was ended.');
    expect(calls.some((c) => c.method === 'DELETE' && c.url.pathname === '/api/v1/me/sessions/s2')).toBe(true);
    await waitFor(() => expect(screen.getAllByRole('row').length).toBe(3));
    expect(document.activeElement?.getAttribute('data-testid')).toBe('sessions-outcome');

    // Everywhere else: the dialog counts the others, the outcome gives the server's count.
    fireEvent.click(screen.getByRole('button', { name: 'Sign out everywhere else' }));
    const confirm = await screen.findByRole('dialog');
    expect(confirm.textContent).toContain('1 session other than');
    await act(async () => fireEvent.click(within(confirm).getByRole('button', { name: 'Sign them out' })));
    await screen.findByText('1 other session was ended.');
    await waitFor(() => expect((screen.getByRole('button', { name: 'Sign out everywhere else' }) as HTMLButtonElement).disabled).toBe(true));
  });
});
