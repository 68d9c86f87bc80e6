import { describe, expect, it } from 'vitest';
import i18next from '../../i18n/index';
import { visibleNav } from '../../nav';
import type { PermissionInfo } from './queries';
import { describeRole, joinWords, localDescription, type RoleShape } from './roleSentence';
import { guardOf } from './guards';
import { groupByArea, isPrivileged, needsPhone } from './roles';
import { ApiError } from '../../api/errors';
import { ADMIN_SECTIONS, visibleSections } from './sections';
import { isUserFiltered, parseUserFilters, toUsersQuery, userFiltersToParams } from './userFilters';

const catalogue: PermissionInfo[] = [
  { name: 'projects.read', privileged: false, description: { ja: '案件を閲覧する', en: 'Read projects' } },
  { name: 'projects.write', privileged: false, description: { ja: '案件を作成・編集する', en: 'Create and edit projects' } },
  { name: 'projects.delete', privileged: false, description: { ja: '案件を削除する', en: 'Delete projects' } },
  { name: 'files.read', privileged: false, description: { ja: 'ファイルを閲覧する', en: 'Read files' } },
  { name: 'labels.read', privileged: false, description: { ja: 'ラベルを閲覧する', en: 'Read labels' } },
  { name: 'users.manage', privileged: true, description: { ja: 'ユーザーを作成・編集する', en: 'Create and edit users' } },
];

async function say(role: RoleShape, labels: string[], lang: 'ja' | 'en') {
  await i18next.changeLanguage(lang);
  return describeRole(role, labels, catalogue, i18next.t, lang);
}

describe('the role sentence', () => {
  const readEdit: RoleShape = { permissions: ['projects.read', 'projects.write'], scope: { kind: 'labels' } };

  it('says what a label-scoped role allows and what it does not', async () => {
    expect(await say(readEdit, ['緑茶'], 'ja')).toBe('緑茶 のラベルが付いた案件を閲覧・編集できます。削除はできません。');
    expect(await say(readEdit, ['緑茶'], 'en')).toBe('Can read and edit projects labelled 緑茶; cannot delete them.');
  });

  it('joins several labels with "or" and several missing verbs', async () => {
    const read: RoleShape = { permissions: ['projects.read'], scope: { kind: 'labels' } };
    expect(await say(read, ['緑茶', '紅茶'], 'en')).toBe('Can read projects labelled 緑茶 or 紅茶; cannot edit or delete them.');
    expect(await say(read, ['緑茶', '紅茶'], 'ja')).toBe('緑茶、紅茶 のラベルが付いた案件を閲覧できます。編集・削除はできません。');
  });

  it('covers all projects, assigned ones, files, other permissions and the SMS code', async () => {
    const all: RoleShape = { permissions: ['projects.read', 'projects.write', 'projects.delete', 'files.read', 'users.manage'], scope: { kind: 'all' } };
    expect(await say(all, [], 'ja')).toBe(
      'すべての案件を閲覧・編集・削除できます。その案件のファイルを閲覧・ダウンロードできます。このほか、次の操作もできます：ユーザーを作成・編集する。このロールを持つユーザーはログイン時に SMS の確認コードが必要です。',
    );
    expect(await say(all, [], 'en')).toBe(
      'Can read, edit, and delete all projects. Can also read and download their files. Also: create and edit users. Holders need an SMS code at sign-in.',
    );
    const assigned: RoleShape = { permissions: ['projects.read'], scope: { kind: 'assigned' } };
    expect(await say(assigned, [], 'en')).toBe('Can read the projects they are a member of; cannot edit or delete them.');
  });

  it('says plainly when no project is reachable', async () => {
    expect(await say({ permissions: ['labels.read'], scope: { kind: 'all' } }, [], 'en')).toBe('Cannot see any project. Also: read labels.');
    expect(await say(readEdit, [], 'ja')).toBe('ラベルを選ぶまで、このロールではどの案件も閲覧できません。');
  });

  it('says files read and written in one sentence', async () => {
    const files: RoleShape = { permissions: ['projects.read', 'files.read', 'files.write'], scope: { kind: 'all' } };
    expect(await say(files, [], 'en')).toBe('Can read all projects; cannot edit or delete them. Can also read, download, upload and delete their files.');
  });

  it('picks the built-in description in the user language', () => {
    expect(localDescription('閲覧のみ / Read only', 'ja')).toBe('閲覧のみ');
    expect(localDescription('閲覧のみ / Read only', 'en')).toBe('Read only');
    expect(localDescription('緑茶チームの担当者', 'en')).toBe('緑茶チームの担当者');
  });

  it('joins words per language', () => {
    const ja = i18next.getFixedT('ja');
    expect(joinWords(['a', 'b', 'c'], 'ja', ja)).toBe('a・b・c');
    expect(joinWords(['a', 'b'], 'ja', ja, 'disjunction')).toBe('a、b');
    expect(joinWords(['a', 'b'], 'en', i18next.getFixedT('en'), 'disjunction')).toBe('a or b');
  });
});

describe('role helpers', () => {
  it('group the catalogue by area in catalogue order', () => {
    expect(groupByArea(catalogue).map(([area, ps]) => [area, ps.length])).toEqual([
      ['projects', 3],
      ['files', 1],
      ['labels', 1],
      ['users', 1],
    ]);
  });

  it('know when a role or a choice of roles needs a phone', () => {
    expect(isPrivileged(['projects.read'], catalogue)).toBe(false);
    expect(isPrivileged(['projects.read', 'users.manage'], catalogue)).toBe(true);
    const roles = [
      { id: 'a', permissions: ['users.manage'] },
      { id: 'b', permissions: ['projects.read'] },
    ] as unknown as Parameters<typeof needsPhone>[1];
    expect(needsPhone(['b'], roles, catalogue)).toBe(false);
    expect(needsPhone(['a', 'b'], roles, catalogue)).toBe(true);
  });
});

describe('guard rails', () => {
  const problem = (body: object) => new ApiError(new Response(null, { status: 409 }), { type: 'x', title: 't', status: 409, detail: 'd', ...body });
  it('are found by problem code, and phone_required among the field errors', () => {
    expect(guardOf(problem({ code: 'last_administrator' }))).toBe('last_administrator');
    expect(guardOf(problem({ code: 'validation_failed', errors: [{ field: 'phone', code: 'phone_required', message: 'm' }] }))).toBe('phone_required');
    expect(guardOf(problem({ code: 'internal_error' }))).toBeNull();
    expect(guardOf(new Error('x'))).toBeNull();
  });
});

describe('the users filters', () => {
  it('round-trip through the URL and drop unknown values', () => {
    const f = parseUserFilters(new URLSearchParams('q=%20taro%20&status=disabled'));
    expect(f).toEqual({ q: ' taro ', status: 'disabled' });
    expect(userFiltersToParams(f).toString()).toBe('q=taro&status=disabled');
    expect(parseUserFilters(new URLSearchParams('status=gone')).status).toBeNull();
    expect(isUserFiltered(parseUserFilters(new URLSearchParams()))).toBe(false);
  });

  it('make the API query with the cursor', () => {
    expect(toUsersQuery({ q: 'x', status: null }, 'abc')).toEqual({ limit: 50, q: 'x', cursor: 'abc' });
  });
});

describe('administration navigation', () => {
  it('shows a section only with its permission, and the area with any of them', () => {
    expect(visibleSections(['users.read', 'users.manage']).map((s) => s.to)).toEqual(['/admin/users']);
    expect(visibleNav(['users.read']).some((i) => i.to === '/admin')).toBe(false);
    expect(visibleSections(['roles.manage', 'users.manage']).map((s) => s.to)).toEqual(ADMIN_SECTIONS.filter((s) => ['/admin/users', '/admin/roles'].includes(s.to)).map((s) => s.to));
    expect(visibleNav(['projects.read']).some((i) => i.to === '/admin')).toBe(false);
    expect(visibleNav(['roles.manage']).some((i) => i.to === '/admin')).toBe(true);
  });

  it('offers data export to holders of exports.create alone', () => {
    expect(visibleNav(['exports.create']).some((i) => i.to === '/admin')).toBe(true);
    expect(visibleSections(['exports.create']).map((s) => s.to)).toEqual(['/admin/exports']);
    expect(visibleSections(['settings.manage']).some((s) => s.to === '/admin/exports')).toBe(false);
  });
});
