// In English at 1024 px: the shell's banners and unread count, the notices
// with read marks, the language kept across reloads, the operator console
// with its own session, and the pages not seen in identity.e2e.test.ts.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import en from '../src/i18n/en.json';
import ja from '../src/i18n/ja.json';
import { launch, newPage, snap } from './browser';
import { OPS_EMAIL, OPS_PASSWORD, OPS_PHONE, Server } from './server';

const ACME_PHONE = '+819066660001';
const PASSWORD = 'correct horse battery staple';
const TABLET = { width: 1024, height: 768 };
let server: Server;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([Server.start(), launch()]);
});

afterAll(async () => {
  await browser?.close();
  server?.stop();
});

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();

async function signIn(page: Page, tenant: string, email: string, password: string) {
  await page.getByLabel(en.signIn.tenant).fill(tenant);
  await page.getByLabel(en.signIn.email).fill(email);
  await page.getByLabel(en.signIn.password).fill(password);
  await page.getByRole('button', { name: en.signIn.submit }).click();
}

describe('the shell in English', () => {
  it('shows banners, unread counts and notices; keeps the language; mark read sticks', async () => {
    await server.signup('acme', ACME_PHONE);
    const beta = await server.signup('beta', '+819066660002');
    const ops = await server.operatorToken();
    const maintenance = await server.publish(ops, {
      kind: 'maintenance',
      severity: 'warning',
      title: { ja: 'データベースの緊急メンテナンス', en: 'Emergency database maintenance' },
      body: { ja: '約 2 時間、編集ができなくなります。', en: 'Editing is unavailable for about two hours.' },
      starts_at: inDays(2),
      ends_at: new Date(Date.now() + 2 * 86_400_000 + 2 * 3_600_000).toISOString(),
      emergency: true,
      emergency_reason: 'A storage vendor security fix',
    });
    const incident = await server.publish(ops, {
      kind: 'incident',
      severity: 'critical',
      title: { ja: 'ファイルのアップロード障害', en: 'File uploads failing' },
      body: { ja: '調査中です。', en: 'We are investigating.' },
    });
    await server.post(`/api/v1/ops/notices/${incident.id}/updates`, { status: 'identified', body: { ja: '原因を特定しました。', en: 'Cause identified.' } }, ops);
    await server.publish(ops, { kind: 'release', severity: 'info', title: { ja: '新しい検索機能', en: 'New search' }, body: { ja: 'ラベルで絞り込めます。' } });
    await server.publish(ops, { kind: 'incident', severity: 'critical', title: { ja: 'ベータ社だけの障害' }, body: { ja: '調査中です。' }, audience: { tenant_ids: [beta] } });

    const { context, page, problems } = await newPage(browser, TABLET);
    await page.goto(server.url);
    // Japanese by default; the switch turns the page English.
    await page.getByRole('heading', { name: ja.signIn.title }).waitFor();
    await page.getByLabel(ja.lang.label).selectOption('en');
    await page.getByRole('heading', { name: en.signIn.title }).waitFor();
    await expect(page.evaluate('document.documentElement.lang')).resolves.toBe('en');
    await snap(page, 'sign-in-en');

    await signIn(page, 'acme', 'owner@acme.example', PASSWORD);
    await page.getByLabel(en.mfa.code).waitFor();
    await snap(page, 'sign-in-code-en');
    await page.getByLabel(en.mfa.code).fill(server.lastCode(ACME_PHONE));
    await page.getByRole('button', { name: en.mfa.submit }).click();

    const banners = page.getByTestId('banner');
    await banners.first().waitFor();
    await expect(banners.count()).resolves.toBe(2);
    await expect(banners.allTextContents()).resolves.toEqual(
      expect.arrayContaining([expect.stringContaining('Emergency database maintenance'), expect.stringContaining('File uploads failing')]),
    );
    await expect(page.getByTestId('unread-badge').textContent()).resolves.toMatch(/^3/);
    const cards = page.getByTestId('notice');
    await cards.first().waitFor();
    await expect(cards.count()).resolves.toBe(3);
    await expect(page.content()).resolves.not.toContain('ベータ社だけの障害');
    const card = page.locator(`[data-notice-id="${maintenance.id}"]`);
    await expect(card.textContent()).resolves.toMatch(/\d\d \w{3} \d{4} \d\d:\d\d – .*\(JST\)/);
    await expect(page.locator(`[data-notice-id="${incident.id}"]`).textContent()).resolves.toContain('Cause identified.');
    await snap(page, 'notices-en');

    await card.getByRole('button', { name: en.notices.markRead }).click();
    await card.getByText(en.notices.read, { exact: true }).waitFor();
    await expect(page.getByTestId('unread-badge').textContent()).resolves.toMatch(/^2/);

    // Reload: English still, signed in still, the read mark kept by the server.
    await page.reload();
    await page.getByTestId('user-name').waitFor();
    await page.getByRole('heading', { name: en.notices.title }).waitFor();
    await expect(page.locator(`[data-notice-id="${maintenance.id}"]`).getAttribute('data-read')).resolves.toBe('true');
    await page.getByRole('link', { name: en.nav.me }).click();
    await page.getByText('owner@acme.example').waitFor();
    await snap(page, 'me-en');

    // Japanese notices too (the catalogue, and the Japanese texts).
    await page.getByLabel(en.lang.label).selectOption('ja');
    await page.getByRole('link', { name: ja.nav.notices }).click();
    await page.getByText('データベースの緊急メンテナンス').first().waitFor();
    await snap(page, 'notices-ja');
    await page.getByLabel(ja.lang.label).selectOption('en');

    await page.getByRole('button', { name: en.shell.signOut }).click();
    await page.getByRole('heading', { name: en.signIn.title }).waitFor();
    await page.getByRole('link', { name: en.signIn.toSignUp }).click();
    await page.getByRole('heading', { name: en.signUp.title }).waitFor();
    await page.getByLabel(en.signUp.tenantSlug).fill('acme');
    await page.getByText(en.signUp.slug.ok).waitFor();
    await page.getByText(en.signUp.terms.needed).waitFor();
    await snap(page, 'sign-up-en');

    await page.goto(`${server.url}/no-such-page`);
    await page.getByRole('heading', { name: en.notFound.title }).waitFor();
    await snap(page, 'not-found-en');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('a forced password change in English', async () => {
    const admin = await server.userToken('acme', 'owner@acme.example', PASSWORD, ACME_PHONE);
    const temporary = await server.createUser(admin, 'editor@acme.example', 'editor');
    const { context, page, problems } = await newPage(browser, TABLET);
    await page.goto(`${server.url}/sign-in`);
    await page.getByLabel(ja.lang.label).selectOption('en');
    await signIn(page, 'acme', 'editor@acme.example', temporary);
    await page.getByRole('heading', { name: en.changePassword.title }).waitFor();
    await page.getByLabel(en.changePassword.current).fill(temporary);
    await page.getByLabel(en.changePassword.new, { exact: true }).fill(temporary);
    await page.getByLabel(en.changePassword.confirm).fill(temporary);
    await page.getByRole('button', { name: en.changePassword.submit }).click();
    await page.getByText(en.fieldError.same_as_current).waitFor();
    await snap(page, 'change-password-en');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('operators sign in to their own console, apart from tenants', async () => {
    server.createOperator();
    const { context, page, problems } = await newPage(browser, TABLET);
    await page.goto(`${server.url}/ops`);
    await page.getByRole('heading', { name: ja.ops.signInTitle }).waitFor();
    await expect.poll(() => new URL(page.url()).pathname).toBe('/ops/sign-in');
    await snap(page, 'ops-sign-in-ja');
    await page.getByLabel(ja.lang.label).selectOption('en');
    await page.getByLabel(en.signIn.email).fill(OPS_EMAIL);
    await page.getByLabel(en.signIn.password).fill(OPS_PASSWORD);
    await page.getByRole('button', { name: en.signIn.submit }).click();
    await page.getByLabel(en.mfa.code).waitFor();
    await page.getByLabel(en.mfa.code).fill(server.lastCode(OPS_PHONE));
    await page.getByRole('button', { name: en.mfa.submit }).click();
    await page.getByRole('heading', { level: 1, name: en.opsTenants.title }).waitFor(); // /ops lands on the tenants
    await snap(page, 'ops-console-en');
    await page.getByLabel(en.lang.label).selectOption('ja');
    await page.getByRole('heading', { level: 1, name: ja.opsTenants.title }).waitFor();
    await snap(page, 'ops-console-ja');

    // The operator token is not a tenant session: the tenant pages ask for a tenant sign-in.
    await page.goto(`${server.url}/notices`);
    await page.getByRole('heading', { name: ja.signIn.title }).waitFor();
    // No refresh for operators: a reload means signing in again.
    await page.goto(`${server.url}/ops`);
    await page.getByRole('heading', { name: ja.ops.signInTitle }).waitFor();
    expect(problems).toEqual([]);
    await context.close();
  });
});
