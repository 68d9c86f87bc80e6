// A project's members against a mocked API: who can see the project and why
// (in words, with the label's code and name), the warning on a member whose
// membership gives no access, adding a member through the combobox (the
// access list is read again), and a 403 on the access list said nowhere.
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import i18next from '../../i18n';
import { MembersSection } from './MembersSection';

const user = (id: string, name: string, email: string) => ({ id, name, email, status: 'active', roles: [], created_at: '2030-01-01T00:00:00Z' });
const USERS = [
  user('u1', '山田 花子', 'owner@x.example'),
  user('u2', '緑茶 太郎', 'greentea@x.example'),
  user('u3', '担当 次郎', 'member@x.example'),
  user('u4', '閲覧 三郎', 'viewer@x.example'),
  user('u5', '佐藤 四郎', 'sato@x.example'),
];
const LABELS = [{ id: 'l1', code: '4901234567894', name: '緑茶 500ml', kind: 'jan', project_count: 1, created_at: '2030-01-01T00:00:00Z', updated_at: '2030-01-01T00:00:00Z' }];
const reason = {
  all: { kind: 'all', role_id: 'r1', role_name: 'admin' },
  labels: { kind: 'labels', role_id: 'r2', role_name: '緑茶チーム', label_ids: ['l1'] },
  member: { kind: 'member', role_id: 'r3', role_name: '担当者' },
};

let permissions: string[];
let members: string[];
let accessStatus: number;
let accessCalls: number;
let puts: string[][];

beforeEach(async () => {
  permissions = ['projects.read', 'projects.write', 'users.read', 'labels.read'];
  members = ['u1', 'u3', 'u4'];
  accessStatus = 200;
  accessCalls = 0;
  puts = [];
  await i18next.changeLanguage('en');
  vi.stubGlobal('fetch', async (request: Request) => {
    const url = new URL(request.url);
    const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
    if (url.pathname === '/api/v1/me') return json({ id: 'u1', name: '山田 花子', email: 'owner@x.example', permissions, roles: [], tenant: {} });
    if (url.pathname === '/api/v1/users') return json({ items: USERS, next_cursor: null });
    if (url.pathname === '/api/v1/labels') return json({ items: LABELS, next_cursor: null });
    if (url.pathname === '/api/v1/projects/p1/members') {
      if (request.method === 'PUT') {
        members = ((await request.json()) as { user_ids: string[] }).user_ids;
        puts.push(members);
      }
      return json({ user_ids: members });
    }
    if (url.pathname === '/api/v1/projects/p1/access') {
      accessCalls++;
      if (accessStatus !== 200) return json({ type: 'x', title: 'Forbidden', status: accessStatus, detail: 'no', code: 'permission_denied' }, accessStatus);
      const items = [
        { user_id: 'u1', name: '山田 花子', email: 'owner@x.example', reasons: [reason.all] },
        { user_id: 'u2', name: '緑茶 太郎', email: 'greentea@x.example', reasons: [reason.labels] },
        { user_id: 'u3', name: '担当 次郎', email: 'member@x.example', reasons: [reason.member] },
      ];
      if (members.includes('u5')) items.push({ user_id: 'u5', name: '佐藤 四郎', email: 'sato@x.example', reasons: [reason.member] });
      return json({ project_id: 'p1', items, members_without_effect: members.filter((m) => m === 'u1' || m === 'u4') });
    }
    return new Response(null, { status: 404 });
  });
});
afterEach(async () => {
  vi.unstubAllGlobals();
  await i18next.changeLanguage('ja');
});

function renderSection(canReadUsers = true) {
  render(
    <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
      <MembersSection projectId="p1" canWrite canReadUsers={canReadUsers} />
    </QueryClientProvider>,
  );
}

const reasons = (email: string) =>
  within(screen.getAllByTestId('access-entry').find((e) => e.dataset.email === email)!)
    .getAllByTestId('access-reason')
    .map((r) => r.textContent);

describe('MembersSection', () => {
  it('says who can see the project and why, and warns on a member it gives nothing', async () => {
    renderSection();
    const panel = await screen.findByTestId('access-panel');
    await waitFor(() => expect(within(panel).getByTestId('access-count').textContent).toBe('3 people'));
    fireEvent.click(within(panel).getByText('Who can see this project'));
    await waitFor(() => expect(reasons('greentea@x.example')).toEqual(['label 4901234567894 緑茶 500ml (role 緑茶チーム)']));
    expect(reasons('owner@x.example')).toEqual(['all projects (role admin)']);
    expect(reasons('member@x.example')).toEqual(['member of this project (role 担当者)']);
    expect(screen.getByRole('list', { name: 'Why 緑茶 太郎 can see it' })).toBeTruthy();

    // Membership gives the viewer nothing, and they cannot see the project:
    // a warning beside them. The owner sees it through admin anyway: a note.
    await waitFor(() => expect(screen.getAllByTestId('member-no-effect')).toHaveLength(2));
    const [owner, member, viewer] = screen.getAllByTestId('member');
    expect(within(viewer).getByTestId('member-no-effect').textContent).toBe(
      '⚠ Member, but none of their roles reaches projects through membership, so this gives no access: they cannot see this project.',
    );
    expect(within(viewer).getByTestId('member-no-effect').dataset.sees).toBe('false');
    expect(within(owner).getByTestId('member-no-effect').textContent).toContain('their roles let them see this project anyway');
    expect(within(owner).getByTestId('member-no-effect').dataset.sees).toBe('true');
    expect(within(member).queryByTestId('member-no-effect')).toBeNull();
  });

  it('adds a member with the combobox and reads the access list again', async () => {
    renderSection();
    await waitFor(() => expect(accessCalls).toBe(1));
    const box = await screen.findByRole('combobox', { name: 'Add a member' });
    box.focus();
    fireEvent.change(box, { target: { value: 'ｓａｔｏ' } }); // full-width finds the email
    expect(within(screen.getByRole('listbox', { name: 'Matching people' })).getAllByRole('option').map((o) => o.textContent)).toEqual(['佐藤 四郎 sato@x.example']);
    fireEvent.keyDown(box, { key: 'ArrowDown' });
    expect(box.getAttribute('aria-activedescendant')).toBe(screen.getByRole('option').id);
    await act(async () => fireEvent.keyDown(box, { key: 'Enter' }));
    await waitFor(() => expect(puts).toEqual([['u1', 'u3', 'u4', 'u5']]));
    await waitFor(() => expect(screen.getAllByTestId('member')).toHaveLength(4));
    await waitFor(() => expect(accessCalls).toBe(2));
    await waitFor(() => expect(screen.getByTestId('access-count').textContent).toBe('4 people'));
    expect(document.activeElement).toBe(box);
    // Members already in are not offered.
    fireEvent.change(box, { target: { value: '郎' } });
    expect(screen.getAllByRole('option').map((o) => o.textContent)).toEqual(['緑茶 太郎 greentea@x.example']);
  });

  it('leaves the panel out quietly on a 403', async () => {
    accessStatus = 403;
    renderSection();
    await waitFor(() => expect(accessCalls).toBe(1));
    await waitFor(() => expect(screen.getAllByTestId('member')).toHaveLength(3));
    await act(async () => await new Promise((r) => setTimeout(r, 20)));
    expect(screen.queryByTestId('access-panel')).toBeNull();
    expect(screen.queryByRole('alert')).toBeNull();
    expect(screen.queryByTestId('member-no-effect')).toBeNull();
  });

  it('does not ask for the access list without users.read', async () => {
    permissions = ['projects.read', 'projects.write'];
    renderSection(false);
    await waitFor(() => expect(screen.getAllByTestId('member')).toHaveLength(3));
    await act(async () => await new Promise((r) => setTimeout(r, 20)));
    expect(accessCalls).toBe(0);
    expect(screen.queryByTestId('access-panel')).toBeNull();
    expect(screen.queryByRole('combobox')).toBeNull();
  });
});
