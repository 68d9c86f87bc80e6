// The projects list against a mocked API: label chips and search live in the
// URL and reach the API; "load more" follows the cursor without repeats; the
// conflict dialog shows both versions and offers reload or overwrite.
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import i18next from '../i18n';
import { ConflictDialog } from '../features/projects/ConflictDialog';
import { Component as Projects } from './projects';

const label = (id: string, code: string, name: string) => ({ id, code, name, kind: null, project_count: 1, created_at: '2030-01-01T00:00:00Z', updated_at: '2030-01-01T00:00:00Z' });
const LABELS = [label('l1', '4901234567894', '緑茶 500ml'), label('l2', 'GT-2', 'ほうじ茶'), label('l3', 'CF-1', 'Coffee')];
const project = (id: string, name: string) => ({
  id,
  name,
  description: '',
  status: 'active',
  labels: [],
  created_at: '2030-01-01T00:00:00Z',
  updated_at: '2030-01-01T00:00:00Z',
  version: 1,
});
let projectQueries: URLSearchParams[] = [];

beforeEach(async () => {
  projectQueries = [];
  await i18next.changeLanguage('en');
  vi.stubGlobal('fetch', async (request: Request) => {
    const url = new URL(request.url);
    const json = (body: unknown) => new Response(JSON.stringify(body), { headers: { 'content-type': 'application/json' } });
    if (url.pathname === '/api/v1/me') return json({ id: 'u', name: 'U', email: 'u@x', permissions: ['projects.read', 'labels.read'], roles: [], tenant: {} });
    if (url.pathname === '/api/v1/labels') return json({ items: LABELS, next_cursor: null });
    if (url.pathname === '/api/v1/projects') {
      projectQueries.push(url.searchParams);
      if (url.searchParams.get('cursor') === 'c2') return json({ items: [project('p3', 'Third')], next_cursor: null });
      return json({ items: [project('p1', 'First'), project('p2', 'Second')], next_cursor: 'c2' });
    }
    return new Response(null, { status: 404 });
  });
});
afterEach(async () => {
  vi.unstubAllGlobals();
  await i18next.changeLanguage('ja');
});

function renderAt(path: string) {
  const router = createMemoryRouter([{ path: '/projects', Component: Projects }], { initialEntries: [path] });
  render(
    <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
      <RouterProvider router={router} />
    </QueryClientProvider>,
  );
  return router;
}

describe('projects list', () => {
  it('keeps label chips in the URL and sends them all to the API', async () => {
    const router = renderAt('/projects?label=4901234567894');
    const chips = await screen.findByRole('list', { name: 'Labels filtering the list' });
    await waitFor(() => expect(within(chips).getByTestId('label-chip').textContent).toContain('緑茶 500ml'));
    expect(projectQueries[0].getAll('label')).toEqual(['4901234567894']);

    // The picker finds a label by its name (a click picks); it joins the filter.
    const picker = screen.getByRole('combobox', { name: 'Filter by label' });
    fireEvent.change(picker, { target: { value: 'ほうじ' } });
    await act(async () => fireEvent.click(screen.getByRole('option', { name: /GT-2/ })));
    expect(router.state.location.search).toBe('?label=4901234567894&label=GT-2');
    await waitFor(() => expect(projectQueries.at(-1)?.getAll('label')).toEqual(['4901234567894', 'GT-2']));
    // Chosen labels are no longer offered; the keyboard picks the one left.
    fireEvent.click(picker);
    expect(within(screen.getByRole('listbox')).getAllByRole('option').map((o) => o.textContent)).toEqual(['CF-1 Coffee']);
    fireEvent.keyDown(picker, { key: 'ArrowDown' });
    await act(async () => fireEvent.keyDown(picker, { key: 'Enter' }));
    expect(router.state.location.search).toBe('?label=4901234567894&label=GT-2&label=CF-1');
    expect(within(chips).getAllByTestId('label-chip').map((c) => c.dataset.code)).toEqual(['4901234567894', 'GT-2', 'CF-1']);

    // Removing a chip drops it from the URL.
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Remove label 4901234567894 緑茶 500ml' })));
    expect(router.state.location.search).toBe('?label=GT-2&label=CF-1');
    await waitFor(() => expect(projectQueries.at(-1)?.getAll('label')).toEqual(['GT-2', 'CF-1']));
  });

  it('debounces the search into the URL and pages with the cursor without repeats', async () => {
    const router = renderAt('/projects?sort=name');
    await screen.findByText('Showing 2 projects (more available)');
    fireEvent.change(screen.getByLabelText('Keywords'), { target: { value: '緑茶' } });
    expect(router.state.location.search).toBe('?sort=name');
    await waitFor(() => expect(router.state.location.search).toBe('?q=%E7%B7%91%E8%8C%B6&sort=name'));
    await waitFor(() => expect(projectQueries.at(-1)?.get('q')).toBe('緑茶'));
    await screen.findByText('Showing 2 projects (more available)');
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Load more' })));
    await screen.findByText('3 projects');
    expect(projectQueries.at(-1)?.get('cursor')).toBe('c2');
    expect(screen.getAllByTestId('project-card').map((c) => c.querySelector('h2')?.textContent)).toEqual(['First', 'Second', 'Third']);
  });
});

describe('ConflictDialog', () => {
  it('shows their version beside the change and offers reload or overwrite', async () => {
    await i18next.changeLanguage('ja');
    const onReload = vi.fn();
    const onOverwrite = vi.fn();
    const theirs = { ...project('p1', '緑茶 リニューアル B案'), version: 3 };
    render(<ConflictDialog theirs={theirs as never} mine={{ name: '緑茶 リニューアル A案' }} onReload={onReload} onOverwrite={onOverwrite} onClose={() => undefined} />);
    const dialog = screen.getByRole('dialog', { name: 'ほかの人がこの案件を変更しました' });
    expect(within(dialog).getByTestId('theirs-name').textContent).toBe('緑茶 リニューアル B案');
    expect(within(dialog).getByTestId('mine-name').textContent).toBe('緑茶 リニューアル A案');
    expect(dialog.textContent).toContain('版 3');
    fireEvent.click(within(dialog).getByRole('button', { name: '最新の内容を読み込む' }));
    fireEvent.click(within(dialog).getByRole('button', { name: '自分の変更で上書き' }));
    expect(onReload).toHaveBeenCalledOnce();
    expect(onOverwrite).toHaveBeenCalledOnce();
  });
});
