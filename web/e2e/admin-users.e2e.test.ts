// Administration in the browser against `crepo serve`: the owner makes a
// role reaching only projects labelled 緑茶 (the editor's sentence says so),
// adds a user with it on the Users page and reads the temporary password
// shown once; that user signs in with it in a fresh browser, chooses a new
// password and sees only the labelled project. Removing the administrator
// role from the only administrator is refused with the reason in plain
// words. Japanese and English screenshots, axe on each page.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import en from '../src/i18n/en.json';
import ja from '../src/i18n/ja.json';
import { launch, newPage, snap } from './browser';
import { Server } from './server';

const PHONE = '+819088880014';
const PASSWORD = 'correct horse battery staple';
const TENANT = 'admin-co';
const OWNER = `owner@${TENANT}.example`;
const MEMBER = `green@${TENANT}.example`;
let server: Server;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([Server.start(), launch()]);
});

afterAll(async () => {
  await browser?.close();
  server?.stop();
});

async function api(token: string, method: string, path: string, body?: unknown) {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as { id: string };
}

async function signIn(page: Page, email: string, password: string) {
  await page.goto(`${server.url}/sign-in`);
  await page.getByLabel(ja.signIn.tenant).fill(TENANT);
  await page.getByLabel(ja.signIn.email).fill(email);
  await page.getByLabel(ja.signIn.password).fill(password);
  await page.getByRole('button', { name: ja.signIn.submit }).click();
}

describe('administration: users and roles', () => {
  it('a label-scoped role, a user created with it who sees only its projects, and the last administrator kept', async () => {
    await server.signup(TENANT, PHONE);
    const { context, page, problems } = await newPage(browser);
    await signIn(page, OWNER, PASSWORD);
    await page.getByRole('textbox', { name: ja.mfa.code, exact: true }).waitFor();
    await page.getByRole('textbox', { name: ja.mfa.code, exact: true }).fill(server.lastCode(PHONE));
    await page.getByRole('button', { name: ja.mfa.submit }).click();
    await page.getByTestId('user-name').waitFor();
    // A label and two projects, one carrying it, through the API.
    const token = await server.userToken(TENANT, OWNER, PASSWORD, PHONE);
    const label = await api(token, 'POST', '/api/v1/labels', { code: 'GT-1', name: '緑茶' });
    await api(token, 'POST', '/api/v1/projects', { name: '緑茶 パッケージ', label_ids: [label.id] });
    await api(token, 'POST', '/api/v1/projects', { name: 'ほうじ茶 パッケージ' });

    // -- Administration opens on the users list. ----------------------------
    await page.getByRole('link', { name: ja.admin.nav, exact: true }).click();
    await page.getByRole('heading', { level: 2, name: ja.admin.tab.users }).waitFor();
    await expect.poll(() => new URL(page.url()).pathname).toBe('/admin/users');
    await page.getByTestId('users-table').getByText(OWNER).waitFor();
    await snap(page, 'admin-users-ja');

    // -- A role reaching projects labelled 緑茶, read only. ------------------
    const menu = page.getByRole('navigation', { name: ja.admin.sectionsLabel });
    await menu.getByRole('link', { name: ja.admin.tab.roles }).click();
    await page.getByTestId('role-card').first().waitFor();
    await snap(page, 'admin-roles-ja');
    await page.getByRole('link', { name: ja.roles.new }).click();
    await page.getByLabel(ja.roles.name).fill('緑茶チーム');
    const sentence = page.getByTestId('role-sentence');
    await expect.poll(() => sentence.textContent()).toBe('すべての案件を閲覧できます。編集・削除はできません。');
    await page.getByLabel(ja.roles.scopeKind.labels).check();
    await expect.poll(() => sentence.textContent()).toBe(ja.roles.sentence.noLabels);
    const picker = page.getByRole('combobox', { name: ja.roles.pickLabel });
    await picker.fill('緑茶');
    await picker.press('Enter');
    await expect.poll(() => sentence.textContent()).toBe('緑茶 のラベルが付いた案件を閲覧できます。編集・削除はできません。');
    await snap(page, 'admin-role-editor-ja');
    await page.getByRole('button', { name: ja.roles.create }).click();
    await page.getByText(ja.roles.saved).waitFor();
    await expect.poll(() => new URL(page.url()).pathname).toMatch(/^\/admin\/roles\/[0-9a-f-]{36}$/);

    // -- A user with that role; the temporary password is on the page. -----
    await menu.getByRole('link', { name: ja.admin.tab.users }).click();
    await page.getByRole('button', { name: ja.users.new }).click();
    let dialog = page.getByRole('dialog');
    await dialog.getByLabel(ja.users.email).fill(MEMBER);
    await dialog.getByLabel(ja.users.name).fill('緑茶 担当');
    await dialog.getByLabel('緑茶チーム').check();
    await dialog.getByRole('button', { name: ja.users.create }).click();
    const shown = dialog.getByTestId('temporary-password');
    await shown.waitFor();
    const temporary = (await shown.textContent()) ?? '';
    expect(temporary.length).toBeGreaterThanOrEqual(12);
    await dialog.getByText(ja.users.temp.once).waitFor();
    await snap(page, 'admin-user-created-ja');
    await dialog.getByRole('button', { name: ja.users.done }).click();
    await page.getByTestId('users-table').getByText(MEMBER).waitFor();

    // -- The new user: temporary password, a new one, only 緑茶's project. ---
    const member = await newPage(browser);
    await signIn(member.page, MEMBER, temporary);
    await member.page.getByRole('heading', { name: ja.changePassword.title }).waitFor();
    await member.page.getByLabel(ja.changePassword.current).fill(temporary);
    await member.page.getByLabel(ja.changePassword.new, { exact: true }).fill('green tea member passphrase 2026');
    await member.page.getByLabel(ja.changePassword.confirm).fill('green tea member passphrase 2026');
    await member.page.getByRole('button', { name: ja.changePassword.submit }).click();
    await member.page.getByTestId('user-name').waitFor();
    await member.page.getByRole('link', { name: ja.nav.projects, exact: true }).click();
    await member.page.getByTestId('project-card').first().waitFor();
    await expect(member.page.getByTestId('project-card').locator('h2').allTextContents()).resolves.toEqual(['緑茶 パッケージ']);
    // No administration for a read-only role.
    await expect(member.page.getByRole('link', { name: ja.admin.nav, exact: true }).count()).resolves.toBe(0);
    expect(member.problems).toEqual([]);
    await member.context.close();

    // -- The holders of the role. --------------------------------------------
    await menu.getByRole('link', { name: ja.admin.tab.roles }).click();
    const card = page.getByTestId('role-card').filter({ hasText: '緑茶チーム' });
    await card.getByRole('button', { name: ja.roles.holders_other.replace('{{count}}', '1') }).click();
    await card.getByTestId('holders').getByText(MEMBER).waitFor();

    // -- Disable, find by the status filter (in the URL), enable again. -----
    await menu.getByRole('link', { name: ja.admin.tab.users }).click();
    await page.getByRole('link', { name: '緑茶 担当' }).click();
    await page.getByTestId('toggle-status').click();
    await page.getByText(ja.users.saved).waitFor();
    await expect.poll(() => page.getByTestId('toggle-status').textContent()).toBe(ja.users.enable);
    await menu.getByRole('link', { name: ja.admin.tab.users }).click();
    await page.getByLabel(ja.users.status).selectOption('disabled');
    await expect.poll(() => new URL(page.url()).search).toBe('?status=disabled');
    await expect.poll(() => page.getByTestId('users-table').locator('tbody tr').count()).toBe(1);
    await page.getByTestId('users-table').getByText(MEMBER).waitFor();
    await snap(page, 'admin-users-disabled-ja');
    await page.getByRole('button', { name: ja.users.clearFilters }).click();
    await expect.poll(() => page.getByTestId('users-table').locator('tbody tr').count()).toBe(2);
    await page.getByRole('link', { name: '緑茶 担当' }).click();
    await page.getByTestId('toggle-status').click();
    await expect.poll(() => page.getByTestId('toggle-status').textContent()).toBe(ja.users.disable);

    // -- Guard rail: the only administrator keeps the administrator role. ---
    await menu.getByRole('link', { name: ja.admin.tab.users }).click();
    await page.getByRole('link', { name: '山田 花子' }).click();
    await page.getByRole('heading', { level: 2, name: '山田 花子' }).waitFor();
    await page.getByLabel(ja.roles.builtinName.admin).uncheck();
    await page.getByRole('button', { name: ja.users.saveRoles }).click();
    await page.getByTestId('guard-text').getByText(ja.users.guard.last_administrator).waitFor();
    await snap(page, 'admin-user-guard-ja');

    // -- English. ------------------------------------------------------------
    await page.getByLabel(ja.lang.label).selectOption('en');
    await page.getByRole('heading', { level: 2, name: '山田 花子' }).waitFor();
    await page.getByRole('heading', { name: en.users.profile }).waitFor();
    await snap(page, 'admin-user-detail-en');
    const menuEn = page.getByRole('navigation', { name: en.admin.sectionsLabel });
    await menuEn.getByRole('link', { name: en.admin.tab.users }).click();
    await page.getByTestId('users-table').getByText(MEMBER).waitFor();
    await snap(page, 'admin-users-en');
    await menuEn.getByRole('link', { name: en.admin.tab.roles }).click();
    await page.getByTestId('role-card').filter({ hasText: '緑茶チーム' }).getByText('Can read projects labelled 緑茶; cannot edit or delete them.').waitFor();
    await snap(page, 'admin-roles-en');
    await page.getByRole('link', { name: '緑茶チーム' }).click();
    await expect.poll(() => page.getByTestId('role-sentence').textContent()).toBe('Can read projects labelled 緑茶; cannot edit or delete them.');
    await snap(page, 'admin-role-editor-en');
    await menuEn.getByRole('link', { name: en.admin.tab.roles }).click();
    await page.getByRole('link', { name: en.roles.builtinName.admin }).click();
    await page.getByText(en.roles.builtinWhy).waitFor();
    await snap(page, 'admin-role-builtin-en');

    // -- Delete the role: the dialog says who loses it. ----------------------
    await menuEn.getByRole('link', { name: en.admin.tab.roles }).click();
    await page.getByRole('link', { name: '緑茶チーム' }).click();
    await page.getByRole('button', { name: en.roles.delete }).click();
    dialog = page.getByRole('dialog');
    await dialog.getByText(en.roles.deleteHeld_one.replace('{{count}}', '1')).waitFor();
    await snap(page, 'admin-role-delete-en');
    await dialog.getByRole('button', { name: en.roles.deleteConfirm }).click();
    await page.getByText('The role “緑茶チーム” was deleted.').waitFor();
    await expect.poll(() => page.getByTestId('role-card').count()).toBe(3);

    // -- Delete the user, the email typed to confirm. ------------------------
    await menuEn.getByRole('link', { name: en.admin.tab.users }).click();
    await page.getByRole('link', { name: '緑茶 担当' }).click();
    await page.getByRole('button', { name: en.users.delete }).click();
    dialog = page.getByRole('dialog');
    const confirm = dialog.getByRole('button', { name: en.users.deleteConfirm });
    await expect(confirm.isDisabled()).resolves.toBe(true);
    await dialog.getByRole('textbox').fill(MEMBER);
    await snap(page, 'admin-user-delete-en');
    await confirm.click();
    await page.getByText(`${MEMBER} was deleted.`).waitFor();
    await expect.poll(() => page.getByTestId('users-table').getByText(MEMBER).count()).toBe(0);

    expect(problems).toEqual([]);
    await context.close();
  });
});
