// The operator console in the browser: the operator signs in with the texted
// code, is refused a maintenance only 2 days ahead before anything is sent,
// publishes it as an emergency with a reason (a tenant admin sees the
// banner), writes an incident to one tenant with two updates (timeline and
// deliveries), finds the tenant with its user count, and the notice actions
// in the platform audit (by time too) and exports it as CSV and JSON Lines.
// Japanese and English, axe on each page.
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import en from '../src/i18n/en.json';
import ja from '../src/i18n/ja.json';
import { launch, newPage, opsSignIn, snap } from './browser';
import { Server } from './server';

const PHONE = '+819088880077';
const CONTACT_PHONE = '+819012340077';
const PASSWORD = 'correct horse battery staple';
let server: Server;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([Server.start(), launch()]);
});

afterAll(async () => {
  await browser?.close();
  server?.stop();
});

/** A `datetime-local` value in Tokyo time (the browser's zone in these tests). */
function tokyoLocal(ms: number): string {
  return new Date(ms + 9 * 3_600_000).toISOString().slice(0, 16);
}


async function tenantSignIn(page: Page) {
  await page.goto(`${server.url}/sign-in`);
  await page.getByLabel(ja.signIn.tenant).fill('ops-co');
  await page.getByLabel(ja.signIn.email).fill('owner@ops-co.example');
  await page.getByLabel(ja.signIn.password).fill(PASSWORD);
  await page.getByRole('button', { name: ja.signIn.submit }).click();
  const code = page.getByRole('textbox', { name: ja.mfa.code, exact: true });
  await code.waitFor();
  await code.fill(server.lastCode(PHONE));
  await page.getByRole('button', { name: ja.mfa.submit }).click();
  await page.getByTestId('user-name').waitFor();
}

const field = (page: Page, label: string) => page.getByLabel(label, { exact: true });

describe('operator console', () => {
  it('publishes notices under the one-week rule, follows an incident, lists tenants and the audit', async () => {
    await server.signup('ops-co', PHONE);
    server.createOperator();
    const { context, page, problems } = await newPage(browser);
    await opsSignIn(page, server);
    await expect.poll(() => new URL(page.url()).pathname).toBe('/ops/tenants');

    // Tenants: the tenant with its one user; extracting its log asks first.
    const row = page.locator('[data-testid="tenant-row"][data-slug="ops-co"]');
    await row.waitFor();
    await expect(row.getByTestId('user-count').textContent()).resolves.toBe('1');
    await expect(row.textContent()).resolves.toContain(ja.opsTenants.logIntact);
    await snap(page, 'ops-tenants-ja');
    await row.getByRole('button', { name: ja.opsTenants.extractFor.replace('{{name}}', 'ops-co 株式会社') }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('お客様が確認できます', { exact: false }).waitFor();
    await snap(page, 'ops-extract-confirm-ja');
    await dialog.getByRole('button', { name: ja.opsTenants.confirm }).click();
    await page.getByTestId('access-logs').getByRole('table').waitFor();
    await snap(page, 'ops-access-logs-ja');

    // A maintenance 2 days ahead: refused before it is sent, the rule explained.
    await page.getByRole('link', { name: ja.opsNotices.title, exact: true }).click();
    await page.getByRole('link', { name: ja.opsNotices.new }).click();
    await page.getByTestId('earliest-start').waitFor();
    await field(page, ja.opsNotices.titleJa).fill('データベースの緊急メンテナンス');
    await field(page, ja.opsNotices.titleEn).fill('Emergency database maintenance');
    await field(page, ja.opsNotices.bodyJa).fill('セキュリティ修正を適用するため、約 1 時間サービスを停止します。');
    await field(page, ja.opsNotices.bodyEn).fill('The service stops for about an hour to apply a security fix.');
    const start = Date.now() + 2 * 86_400_000;
    await field(page, ja.opsNotices.startsAt).fill(tokyoLocal(start));
    await field(page, ja.opsNotices.endsAt).fill(tokyoLocal(start + 3_600_000));
    let posts = 0;
    page.on('request', (r) => {
      if (r.method() === 'POST' && r.url().endsWith('/api/v1/ops/notices')) posts++;
    });
    await page.getByRole('button', { name: ja.opsNotices.publish }).click();
    const tooSoon = page.getByText(ja.opsNotices.issue.tooSoon.split('（')[0], { exact: false });
    await tooSoon.waitFor();
    expect(posts).toBe(0);
    await expect(page.getByTestId('preview').getByText('データベースの緊急メンテナンス').count()).resolves.toBeGreaterThan(0);
    await snap(page, 'ops-notice-refused-ja');
    await page.getByRole('checkbox', { name: new RegExp(ja.opsNotices.emergency) }).check();
    await page.getByRole('button', { name: ja.opsNotices.publish }).click();
    await page.getByText(ja.opsNotices.issue.reasonRequired).waitFor();
    expect(posts).toBe(0);
    await field(page, ja.opsNotices.reason).fill('認証ライブラリの脆弱性に対応するため');
    await page.getByRole('button', { name: ja.opsNotices.publish }).click();
    await page.getByRole('heading', { level: 1, name: 'データベースの緊急メンテナンス' }).waitFor();
    await page.getByText(ja.opsNotices.created).waitFor();
    expect(posts).toBe(1);

    // The tenant's admin, in a browser of their own, sees the banner.
    const tenant = await newPage(browser);
    await tenantSignIn(tenant.page);
    await tenant.page.getByTestId('banner').getByText('データベースの緊急メンテナンス').waitFor();

    // The admin names a security contact (a row with an invalid phone first).
    await tenant.page.goto(`${server.url}/admin/security-contacts`);
    await tenant.page.getByText(ja.securityContacts.empty).waitFor();
    await tenant.page.getByRole('button', { name: ja.securityContacts.add }).click();
    const contact = tenant.page.getByTestId('contact-row').first();
    await contact.getByLabel(ja.securityContacts.name, { exact: true }).fill('情報セキュリティ室');
    await contact.getByLabel(ja.securityContacts.email, { exact: true }).fill('csirt@ops-co.example');
    await contact.getByLabel(ja.securityContacts.phone, { exact: true }).fill('090-1234-5678');
    await tenant.page.getByRole('button', { name: ja.securityContacts.save }).click();
    await contact.getByText(ja.securityContacts.issue.phoneInvalid).waitFor();
    await contact.getByLabel(ja.securityContacts.phone, { exact: true }).fill(CONTACT_PHONE);
    await tenant.page.getByRole('button', { name: ja.securityContacts.save }).click();
    await tenant.page.getByText(ja.securityContacts.saved).waitFor();
    await snap(tenant.page, 'admin-security-contacts-ja');

    // An incident for that tenant, chosen through the picker, and two updates.
    await page.getByRole('link', { name: ja.opsNotices.back }).click();
    await page.getByRole('link', { name: ja.opsNotices.new }).click();
    await field(page, ja.opsNotices.kind).selectOption('incident');
    await field(page, ja.opsNotices.severity).selectOption('critical');
    await field(page, ja.opsNotices.titleJa).fill('ファイルのアップロードに失敗する');
    await field(page, ja.opsNotices.bodyJa).fill('一部のお客様でアップロードが失敗しています。');
    await page.getByRole('radio', { name: ja.opsNotices.audienceChosen }).check();
    await page.getByRole('combobox', { name: ja.opsNotices.tenantSearch }).fill('ops-co');
    await page.getByRole('option', { name: /ops-co/ }).click();
    await page.getByTestId('chosen-tenants').getByText('ops-co 株式会社').waitFor();
    await snap(page, 'ops-notice-form-ja');
    await page.getByRole('button', { name: ja.opsNotices.publish }).click();
    await page.getByRole('heading', { level: 1, name: 'ファイルのアップロードに失敗する' }).waitFor();
    const incidentPath = new URL(page.url()).pathname;
    for (const [stage, text] of [
      ['identified', 'ストレージの設定誤りを特定しました。'],
      ['monitoring', '修正を適用し、経過を観察しています。'],
    ]) {
      await field(page, ja.opsNotices.stage).selectOption(stage);
      await field(page, ja.opsNotices.updateJa).fill(text);
      await page.getByRole('button', { name: ja.opsNotices.postUpdateSubmit }).click();
      await page.locator('.timeline').getByText(text).waitFor();
    }
    const stages = await page.locator('.timeline li').allTextContents();
    expect(stages).toHaveLength(3);
    expect(stages[1]).toContain(ja.notices.status.identified);
    expect(stages[2]).toContain(ja.notices.status.monitoring);
    const deliveries = page.getByTestId('delivery-row');
    await deliveries.first().waitFor();
    const shown = await deliveries.allTextContents();
    expect(shown.some((d) => d.includes(ja.opsNotices.channelName.sms))).toBe(true);
    expect(shown.join(' ')).not.toContain(PHONE); // masked
    // The security contact is reached too, named, with the full phone to call.
    const toContact = page.locator('[data-testid="delivery-recipient"][data-kind="security_contact"]');
    await expect(toContact.first().textContent()).resolves.toContain('情報セキュリティ室');
    await expect(toContact.first().textContent()).resolves.toContain(ja.opsNotices.recipientKind.security_contact);
    await expect(toContact.getByTestId('call-phone').first().getAttribute('href')).resolves.toBe(`tel:${CONTACT_PHONE}`);
    await expect(page.locator('[data-testid="delivery-recipient"][data-kind="user"]').first().textContent()).resolves.toContain(ja.opsNotices.recipientKind.user);
    await snap(page, 'ops-incident-ja');

    // Edit the maintenance's title (the window kept: no new week asked), then cancel it after confirming.
    await page.getByRole('link', { name: ja.opsNotices.title, exact: true }).click();
    await page.getByRole('link', { name: 'データベースの緊急メンテナンス' }).click();
    await page.getByRole('button', { name: ja.opsNotices.edit }).click();
    await field(page, ja.opsNotices.titleJa).fill('データベースの緊急メンテナンス（延長）');
    await page.getByRole('button', { name: ja.opsNotices.save }).click();
    await page.getByText(ja.opsNotices.saved).waitFor();
    await page.getByRole('heading', { level: 1, name: 'データベースの緊急メンテナンス（延長）' }).waitFor();
    await page.getByRole('button', { name: ja.opsNotices.cancelNotice }).click();
    await page.getByRole('dialog').getByRole('button', { name: ja.opsNotices.cancelNotice }).click();
    await page.getByText(ja.opsNotices.cancelled).waitFor();
    await expect(page.getByTestId('ops-notice').textContent()).resolves.toContain(ja.notices.status.cancelled);

    // The audit, filtered by the notice actions.
    await page.getByRole('link', { name: ja.opsAudit.title, exact: true }).click();
    await field(page, ja.opsAudit.action).fill('notice.');
    await page.getByRole('button', { name: ja.opsTenants.common.apply }).click();
    await expect.poll(async () => new Set(await page.getByTestId('audit-action').allTextContents())).toEqual(new Set(['notice.published', 'notice.update_posted', 'notice.deliveries.read', 'notice.updated', 'notice.cancelled']));
    // A time range in Tokyo time: an end before the start is refused on the
    // page; the last hour up to an hour ahead keeps the same entries.
    const fromField = page.getByLabel(/^開始日時（/);
    const toField = page.getByLabel(/^終了日時（/);
    await fromField.fill(tokyoLocal(Date.now() + 3_600_000));
    await toField.fill(tokyoLocal(Date.now() - 3_600_000));
    await page.getByRole('button', { name: ja.opsTenants.common.apply }).click();
    await page.getByText(ja.me.log.rangeInvalid).waitFor();
    await fromField.fill(tokyoLocal(Date.now() - 3_600_000));
    await toField.fill(tokyoLocal(Date.now() + 3_600_000));
    await page.getByRole('button', { name: ja.opsTenants.common.apply }).click();
    await page.waitForURL((u) => u.searchParams.has('from') && u.searchParams.has('to') && u.searchParams.get('action') === 'notice.');
    await expect.poll(async () => new Set(await page.getByTestId('audit-action').allTextContents())).toEqual(new Set(['notice.published', 'notice.update_posted', 'notice.deliveries.read', 'notice.updated', 'notice.cancelled']));
    await snap(page, 'ops-audit-ja');
    // Both exports, with the filters, named by the range.
    const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: ja.accessLog.exportCsv }).click()]);
    expect(csv.suggestedFilename()).toMatch(/^crepo-platform-audit-\d{8}T\d{4}Z-\d{8}T\d{4}Z\.csv$/);
    const csvText = readFileSync(await csv.path(), 'utf8');
    expect(csvText.startsWith('\uFEFFat,actor_kind,')).toBe(true);
    expect(csvText).toContain('notice.published');
    expect(csvText).not.toContain('operator.login.succeeded');
    const [jsonl] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: ja.accessLog.exportJsonl }).click()]);
    expect(jsonl.suggestedFilename()).toMatch(/^crepo-platform-audit-\d{8}T\d{4}Z-\d{8}T\d{4}Z\.jsonl$/);
    const lines = readFileSync(await jsonl.path(), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { action: string });
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.every((l) => l.action.startsWith('notice.'))).toBe(true);

    // English.
    await page.getByLabel(ja.lang.label).selectOption('en');
    await page.getByRole('heading', { level: 1, name: en.opsAudit.title }).waitFor();
    await snap(page, 'ops-audit-en');
    await page.getByRole('link', { name: en.opsTenants.title, exact: true }).click();
    await page.getByRole('heading', { level: 1, name: en.opsTenants.title }).waitFor();
    await snap(page, 'ops-tenants-en');
    await page.getByRole('link', { name: en.opsNotices.title, exact: true }).click();
    await page.getByRole('link', { name: 'Emergency database maintenance' }).waitFor(); // the English title was kept
    await snap(page, 'ops-notices-en');
    await page.getByRole('link', { name: en.opsNotices.new }).click();
    await page.getByTestId('earliest-start').waitFor();
    await snap(page, 'ops-notice-form-en');
    await page.getByRole('button', { name: en.opsNotices.publish }).click();
    await page.getByText(en.opsNotices.fixFirst).waitFor();
    // A release taking effect in 2 days: the week's rule as for maintenance, then published as an emergency.
    await field(page, en.opsNotices.kind).selectOption('release');
    await field(page, en.opsNotices.severity).selectOption('info');
    await field(page, en.opsNotices.titleJa).fill('API の仕様変更');
    await field(page, en.opsNotices.bodyJa).fill('古い形式の応答を廃止します。');
    await page.getByTestId('earliest-effective').waitFor();
    await field(page, en.opsNotices.effectiveAt).fill(tokyoLocal(Date.now() + 2 * 86_400_000));
    const postsBefore = posts;
    await page.getByRole('button', { name: en.opsNotices.publish }).click();
    await page.getByText(en.opsNotices.issue.changeTooSoon.split(':')[0], { exact: false }).waitFor();
    expect(posts).toBe(postsBefore);
    await page.getByTestId('preview').getByText(/^Takes effect on \d\d \w{3} \d{4} \d\d:\d\d \(JST\)$/).waitFor();
    await snap(page, 'ops-release-refused-en');
    await page.getByRole('checkbox', { name: new RegExp(en.opsNotices.emergencyChange) }).check();
    await field(page, en.opsNotices.reason).fill('Security fix');
    await page.getByRole('button', { name: en.opsNotices.publish }).click();
    await page.getByRole('heading', { level: 1, name: 'API の仕様変更' }).waitFor();
    await expect(page.getByTestId('ops-notice').textContent()).resolves.toContain(en.notices.takesEffect);
    await snap(page, 'ops-release-en');
    await page.goto(`${server.url}/ops`); // a reload ends the operator session
    await page.waitForURL(/\/ops\/sign-in/);
    expect(incidentPath).toMatch(/^\/ops\/notices\//);

    expect(problems).toEqual([]);
    expect(tenant.problems).toEqual([]);
    await tenant.context.close();
    await context.close();
  });
});
