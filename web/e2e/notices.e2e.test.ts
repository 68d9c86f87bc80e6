import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Server } from './server';

const ACME_PHONE = '+819011110001';
let server: Server;
let browser: Browser;

async function signIn(page: Page, password = 'correct horse battery staple') {
  await page.goto(server.url);
  await page.getByLabel('テナント / Tenant').fill('acme');
  await page.getByLabel('メールアドレス / Email').fill('owner@acme.example');
  await page.getByLabel('パスワード / Password').fill(password);
  await page.getByRole('button', { name: 'ログイン / Sign in' }).click();
}

async function enterCode(page: Page) {
  await page.getByLabel('確認コード / Code').waitFor();
  await page.getByLabel('確認コード / Code').fill(server.lastCode(ACME_PHONE));
  await page.getByRole('button', { name: '確認 / Verify' }).click();
  // The count appears once the notices have loaded.
  await page.getByTestId('unread-count').waitFor();
}

beforeAll(async () => {
  server = await Server.start();
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
});

afterAll(async () => {
  await browser?.close();
  server?.stop();
});

describe('the post-login screen', () => {
  it('shows the notices for the tenant, and read marks stick', async () => {
    await server.signup('acme', ACME_PHONE);
    const beta = await server.signup('beta', '+819022220001');
    const ops = await server.operatorToken();
    // 2030-01-10 01:00 JST, well over a week ahead.
    const maintenance = await server.publish(ops, {
      kind: 'maintenance',
      severity: 'warning',
      title: { ja: 'データベース定期メンテナンス', en: 'Database maintenance' },
      body: { ja: '約 2 時間、編集ができなくなります。' },
      starts_at: '2030-01-09T16:00:00Z',
      ends_at: '2030-01-09T18:00:00Z',
    });
    await server.publish(ops, {
      kind: 'incident',
      severity: 'critical',
      title: { ja: 'ベータ社だけの障害' },
      body: { ja: '調査中です。' },
      audience: { tenant_ids: [beta] },
    });
    await server.publish(ops, {
      kind: 'release',
      severity: 'info',
      title: { ja: '新しい検索機能' },
      body: { ja: 'ラベルで絞り込めます。' },
    });

    const page = await browser.newPage();
    await signIn(page, 'wrong password entirely');
    await expect(page.getByRole('alert').textContent()).resolves.toContain('パスワードが違います');

    await signIn(page);
    await enterCode(page);
    const cards = page.getByTestId('notice');
    await expect(cards.count()).resolves.toBe(2);
    const card = page.locator(`[data-notice-id="${maintenance.id}"]`);
    await expect(card.textContent()).resolves.toContain('データベース定期メンテナンス');
    await expect(card.textContent()).resolves.toContain('2030-01-10 01:00 JST 〜 2030-01-10 03:00 JST');
    await expect(page.content()).resolves.not.toContain('ベータ社だけの障害');
    await expect(page.getByTestId('unread-count').textContent()).resolves.toContain('2');

    await card.getByRole('button', { name: '既読にする / Mark read' }).click();
    await card.getByText('既読 / Read').waitFor();
    await expect(page.getByTestId('unread-count').textContent()).resolves.toContain('1');

    // Signed out and in again, the mark is still there (it lives on the server).
    await page.getByRole('button', { name: 'ログアウト / Sign out' }).click();
    await signIn(page);
    await enterCode(page);
    await expect(page.locator(`[data-notice-id="${maintenance.id}"]`).getAttribute('data-read')).resolves.toBe('true');
    await page.close();
  });
});
