// The platform audit in the operator console against a mocked API: the time
// range is entered in the operator's zone (named in the labels), kept in the
// URL in UTC and sent with the other filters; an end not after the start is
// refused before anything is sent; both exports carry the same filters and
// are saved under a name with the range.
import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { isoToLocalInput, localInputToIso } from '../../features/me/logFilters';
import { auditExportName } from '../../features/ops/auditFilters';
import { storedTimeZone } from '../../lib/prefs';
import { inEnglish, renderWithClient } from '../../lib/testing';
import { zoneName } from '../../lib/time';
import { Component as Audit } from './audit';

const ENTRY = {
  id: 'a1',
  at: '2030-01-02T03:04:05Z',
  actor_kind: 'operator',
  actor_id: '11111111-1111-1111-1111-111111111111',
  actor_email: 'ops@crepo.example',
  action: 'notice.published',
  target_kind: 'notice',
  target_id: 'n1',
  ip: '127.0.0.1',
  request_id: 'r1',
  details: {},
};

let requests: URL[] = [];
const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

inEnglish();

beforeEach(() => {
  requests = [];
  vi.stubGlobal('fetch', async (request: Request) => {
    const url = new URL(request.url);
    requests.push(url);
    if (url.pathname === '/api/v1/ops/audit') return json({ items: [ENTRY], next_cursor: null });
    if (url.pathname === '/api/v1/ops/audit/export') {
      const body = url.searchParams.get('format') === 'csv' ? '\uFEFFat,actor_kind,actor_id\n' : '{"at":"x"}\n';
      return new Response(body, { status: 200, headers: { 'content-type': 'text/csv' } });
    }
    return new Response(null, { status: 404 });
  });
});

function renderPage(entry = '/ops/audit') {
  const router = createMemoryRouter([{ path: '/ops/audit', Component: Audit }], { initialEntries: [entry] });
  renderWithClient(<RouterProvider router={router} />);
  return router;
}

const zone = storedTimeZone();
const label = (which: 'From' | 'Until') => new RegExp(`^${which} \\(${zoneName(new Date(), zone)}`);
const listRequests = () => requests.filter((u) => u.pathname === '/api/v1/ops/audit');

describe('platform audit filters and exports', () => {
  it('takes a range in the local zone, keeps it in the URL in UTC and sends it', async () => {
    const router = renderPage();
    await screen.findAllByTestId('audit-row');
    fireEvent.change(screen.getByLabelText(/^Action/), { target: { value: 'notice.' } });
    fireEvent.change(screen.getByLabelText(label('From')), { target: { value: '2030-01-01T09:00' } });
    fireEvent.change(screen.getByLabelText(label('Until')), { target: { value: '2030-01-08T09:00' } });
    fireEvent.click(screen.getByRole('button', { name: 'Filter' }));

    const from = localInputToIso('2030-01-01T09:00', zone);
    const to = localInputToIso('2030-01-08T09:00', zone);
    await waitFor(() => expect(router.state.location.search).toBe(`?${new URLSearchParams({ action: 'notice.', from, to })}`));
    await waitFor(() => expect(listRequests().at(-1)?.searchParams.get('from')).toBe(from));
    const last = listRequests().at(-1)!;
    expect(last.searchParams.get('to')).toBe(to);
    expect(last.searchParams.get('action')).toBe('notice.');
    expect(last.searchParams.has('actor_id')).toBe(false);
    // The form shows the URL's range back in the local zone.
    expect((screen.getByLabelText(label('From')) as HTMLInputElement).value).toBe('2030-01-01T09:00');
  });

  it('refuses an end that is not after the start, sending nothing', async () => {
    const router = renderPage();
    await screen.findAllByTestId('audit-row');
    const before = listRequests().length;
    fireEvent.change(screen.getByLabelText(label('From')), { target: { value: '2030-01-08T09:00' } });
    fireEvent.change(screen.getByLabelText(label('Until')), { target: { value: '2030-01-08T09:00' } });
    fireEvent.click(screen.getByRole('button', { name: 'Filter' }));
    expect(await screen.findByText('The end must be after the start')).toBeTruthy();
    expect(screen.getByLabelText(label('Until')).getAttribute('aria-invalid')).toBe('true');
    expect(router.state.location.search).toBe('');
    expect(listRequests()).toHaveLength(before);
  });

  it('exports CSV and JSONL with the filters, saved under the range', async () => {
    const from = '2030-01-01T00:00:00.000Z';
    const to = '2030-01-08T00:00:00.000Z';
    renderPage(`/ops/audit?${new URLSearchParams({ actor_id: ENTRY.actor_id, from, to })}`);
    await screen.findAllByTestId('audit-row');
    expect((screen.getByLabelText(label('Until')) as HTMLInputElement).value).toBe(isoToLocalInput(to, zone));
    const saved: string[] = [];
    vi.stubGlobal('URL', Object.assign(URL, { createObjectURL: vi.fn(() => 'blob:x'), revokeObjectURL: vi.fn() }));
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      saved.push(this.download);
    });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Export CSV' })));
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Export JSONL' })));
    await waitFor(() => expect(saved).toEqual(['crepo-platform-audit-20300101T0000Z-20300108T0000Z.csv', 'crepo-platform-audit-20300101T0000Z-20300108T0000Z.jsonl']));
    const exports = requests.filter((u) => u.pathname === '/api/v1/ops/audit/export');
    expect(exports.map((u) => u.searchParams.get('format'))).toEqual(['csv', 'jsonl']);
    for (const u of exports) {
      expect(u.searchParams.get('actor_id')).toBe(ENTRY.actor_id);
      expect(u.searchParams.get('from')).toBe(from);
      expect(u.searchParams.get('to')).toBe(to);
    }
  });

  it('names an open range by its start and the export time', () => {
    const f = { actorId: '', action: '', from: '', to: '' };
    expect(auditExportName(f, 'csv', new Date('2030-02-03T04:05:06Z'))).toBe('crepo-platform-audit-start-20300203T0405Z.csv');
  });
});
