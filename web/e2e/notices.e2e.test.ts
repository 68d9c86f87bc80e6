// Notices in the browser: an operator publishes a maintenance window, an
// incident with updates, a vulnerability and a release (taking effect in 3
// days) through the API; the user sees them unread first with kind and
// severity in words, the window and the release's date in Tokyo time (and its
// banner), the incident's timeline on its detail page, and marks them read
// (the shell's unread count follows). Japanese and English, axe on each page.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import en from '../src/i18n/en.json';
import ja from '../src/i18n/ja.json';
import { launch, newPage, snap } from './browser';
import { Server } from './server';

const PHONE = '+819088880001';
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

async function signIn(page: Page) {
  await page.goto(`${server.url}/sign-in`);
  await page.getByLabel(ja.signIn.tenant).fill('notice-co');
  await page.getByLabel(ja.signIn.email).fill('owner@notice-co.example');
  await page.getByLabel(ja.signIn.password).fill(PASSWORD);
  await page.getByRole('button', { name: ja.signIn.submit }).click();
  await page.getByRole('textbox', { name: ja.mfa.code, exact: true }).waitFor();
  await page.getByRole('textbox', { name: ja.mfa.code, exact: true }).fill(server.lastCode(PHONE));
  await page.getByRole('button', { name: ja.mfa.submit }).click();
  await page.getByTestId('user-name').waitFor();
}

const unreadBadge = (page: Page) => page.getByTestId('unread-badge').textContent();

describe('notices', () => {
  it('lists, explains and marks read what the operators published', async () => {
    await server.signup('notice-co', PHONE);
    const ops = await server.operatorToken();
    // 10 days ahead, 01:00–03:00 Tokyo time (16:00–18:00 UTC the day before).
    const day = new Date(Date.now() + 10 * 86_400_000);
    const start = new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate(), 16, 0));
    const end = new Date(start.getTime() + 2 * 3_600_000);
    const soon = new Date(Date.now() + 3 * 86_400_000);
    const effective = new Date(Date.UTC(soon.getUTCFullYear(), soon.getUTCMonth(), soon.getUTCDate(), 16, 0));
    const maintenance = await server.publish(ops, {
      kind: 'maintenance',
      severity: 'warning',
      title: { ja: 'ストレージの定期メンテナンス', en: 'Scheduled storage maintenance' },
      body: { ja: 'ファイルのアップロードとダウンロードが止まります。', en: 'Uploads and downloads pause.' },
      starts_at: start.toISOString(),
      ends_at: end.toISOString(),
    });
    const incident = await server.publish(ops, {
      kind: 'incident',
      severity: 'critical',
      title: { ja: 'プレビュー画像が表示されない', en: 'Previews not showing' },
      body: { ja: '一部のファイルでプレビューが表示されません。', en: 'Some files show no preview.' },
    });
    for (const [status, jaText, enText] of [
      ['identified', '画像変換サーバーの設定誤りを特定しました。', 'A converter misconfiguration was found.'],
      ['monitoring', '修正を適用し、経過を観察しています。', 'A fix is in place; we are monitoring.'],
    ]) {
      const res = await server.post(`/api/v1/ops/notices/${incident.id}/updates`, { status, body: { ja: jaText, en: enText } }, ops);
      expect(res.status).toBeLessThan(300);
    }
    await server.publish(ops, {
      kind: 'vulnerability',
      severity: 'info',
      title: { ja: 'OpenSSL の脆弱性について', en: 'About the OpenSSL advisory' },
      body: { ja: 'Crepo への影響はありません。', en: 'Crepo is not affected.' },
    });
    const release = await server.publish(ops, {
      kind: 'release',
      severity: 'info',
      title: { ja: '新機能: ラベルの一括編集', en: 'New: bulk label editing' },
      body: { ja: '複数のラベルをまとめて編集できます。' },
      // Takes effect in 3 days at 01:00 Tokyo time: sooner than a week, so an emergency with its reason.
      starts_at: effective.toISOString(),
      emergency: true,
      emergency_reason: '脆弱性への対応のため',
    });

    const { context, page, problems } = await newPage(browser);
    await signIn(page);
    await expect.poll(() => new URL(page.url()).pathname).toBe('/notices');
    const cards = page.getByTestId('notice');
    await expect.poll(() => cards.count()).toBe(4);
    await expect(unreadBadge(page)).resolves.toMatch(/^4/);
    await page.getByRole('heading', { name: ja.notices.unreadGroup.replace('{{count}}', '4') }).waitFor();

    // Kinds and severities in words (with icons), not colour alone.
    const m = page.locator(`[data-notice-id="${maintenance.id}"]`);
    await expect(m.locator('.notice-header').textContent()).resolves.toContain(ja.notices.kind.maintenance);
    await expect(m.locator('.notice-header').textContent()).resolves.toContain(ja.notices.severity.warning);
    await expect(m.locator('.notice-header svg').count()).resolves.toBe(2);
    // The window in Tokyo time, the zone named, the end without its date.
    await expect(m.locator('.notice-window').textContent()).resolves.toMatch(/\d{4}\/\d\d\/\d\d 01:00 – 03:00 \(JST\)/);
    const inc = page.locator(`[data-notice-id="${incident.id}"]`);
    await expect(inc.locator('.notice-header').textContent()).resolves.toContain(ja.notices.severity.critical);
    await expect(inc.textContent()).resolves.toContain('修正を適用し、経過を観察しています。'); // the latest update
    // The release names the day its change takes effect, and has a banner in the week before.
    const rel = page.locator(`[data-notice-id="${release.id}"]`);
    await expect(rel.locator('.notice-window').textContent()).resolves.toMatch(new RegExp(`^${ja.notices.takesEffect}: \\d{4}/\\d\\d/\\d\\d 01:00 \\(JST\\)$`));
    const banner = page.getByTestId('banner').filter({ hasText: '新機能: ラベルの一括編集' });
    await expect(banner.textContent()).resolves.toContain(ja.banner.changeSoon);
    await expect(banner.textContent()).resolves.toMatch(/\d{4}\/\d\d\/\d\d 01:00 \(JST\) から適用/);
    await snap(page, 'notices-list-ja');

    // Mark read from the list: the count drops, the card moves to the read group, focus follows it.
    await m.getByRole('button', { name: ja.notices.markRead }).click();
    await m.getByText(ja.notices.read, { exact: true }).waitFor();
    await expect(unreadBadge(page)).resolves.toMatch(/^3/);
    await page.getByRole('region', { name: ja.notices.readGroup, exact: true }).getByText('ストレージの定期メンテナンス').waitFor();
    await expect.poll(() => page.evaluate('document.activeElement?.textContent')).toBe('ストレージの定期メンテナンス');

    // The incident's page: every stage, oldest first, and mark read there.
    await inc.getByRole('link', { name: 'プレビュー画像が表示されない' }).click();
    await page.getByRole('heading', { level: 1, name: 'プレビュー画像が表示されない' }).waitFor();
    await expect.poll(() => new URL(page.url()).pathname).toBe(`/notices/${incident.id}`);
    const stages = page.locator('.timeline li');
    await expect(stages.count()).resolves.toBe(3);
    const texts = await stages.allTextContents();
    expect(texts[0]).toContain(ja.notices.timelinePublished);
    expect(texts[1]).toContain(ja.notices.status.identified);
    expect(texts[2]).toContain(ja.notices.status.monitoring);
    await page.getByText(ja.notices.timelineOrder).waitFor();
    await snap(page, 'notice-detail-ja');
    await page.getByRole('button', { name: ja.notices.markRead }).click();
    await page.getByTestId('notice-detail').getByText(ja.notices.read, { exact: true }).waitFor();
    await expect(unreadBadge(page)).resolves.toMatch(/^2/);

    // The read marks are the server's: a reload keeps them.
    await page.getByRole('link', { name: ja.notices.back }).click();
    await page.reload();
    await expect.poll(() => cards.count()).toBe(4);
    await expect(page.locator(`[data-notice-id="${incident.id}"]`).getAttribute('data-read')).resolves.toBe('true');
    await expect(page.locator(`[data-notice-id="${release.id}"]`).getAttribute('data-read')).resolves.toBe('false');

    // English: the English texts, the release without an English body falls back to Japanese.
    await page.getByLabel(ja.lang.label).selectOption('en');
    await page.getByRole('heading', { name: en.notices.title, level: 1 }).waitFor();
    await page.getByText('Scheduled storage maintenance').waitFor();
    await expect(page.locator(`[data-notice-id="${release.id}"]`).textContent()).resolves.toContain('複数のラベルをまとめて編集できます。');
    await expect(m.locator('.notice-window').textContent()).resolves.toMatch(/\d\d \w{3} \d{4} 01:00 – 03:00 \(JST\)/);
    await snap(page, 'notices-list-en');
    await page.goto(`${server.url}/notices/${incident.id}`);
    await page.getByRole('heading', { level: 1, name: 'Previews not showing' }).waitFor();
    await snap(page, 'notice-detail-en');
    // A notice that is not there.
    await page.goto(`${server.url}/notices/00000000-0000-0000-0000-000000000000`);
    await page.getByText(en.notices.notFound).waitFor();
    expect(problems).toEqual([]);
    await context.close();
  });
});
