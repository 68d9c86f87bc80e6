import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Server } from './server';

const PHONE = '+819044440001';
let server: Server;
let browser: Browser;

beforeAll(async () => {
  server = await Server.start();
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
});

afterAll(async () => {
  await browser?.close();
  server?.stop();
});

describe('a user with a temporary password', () => {
  it('must change it before the notices open, and sees why a new one is refused', async () => {
    await server.signup('acme', PHONE);
    const admin = await server.userToken('acme', 'owner@acme.example', 'correct horse battery staple', PHONE);
    const temporary = await server.createUser(admin, 'viewer@acme.example', 'viewer');

    const page = await browser.newPage();
    await page.goto(server.url);
    await page.getByLabel('テナント / Tenant').fill('acme');
    await page.getByLabel('メールアドレス / Email').fill('viewer@acme.example');
    await page.getByLabel('パスワード / Password').fill(temporary);
    await page.getByRole('button', { name: 'ログイン / Sign in' }).click();

    const form = page.getByRole('form', { name: 'パスワード変更 / Change password' });
    await form.waitFor();
    await expect(page.getByRole('heading', { name: /お知らせ/ }).count()).resolves.toBe(0);

    async function change(next: string) {
      await page.getByLabel('現在のパスワード / Current password').fill(temporary);
      await page.getByLabel('新しいパスワード / New password').fill(next);
      await page.getByLabel('新しいパスワード（確認） / Confirm new password').fill(next);
      await page.getByRole('button', { name: '変更 / Change' }).click();
    }
    await change('password');
    await page.getByRole('alert').waitFor();
    await expect(page.getByRole('alert').textContent()).resolves.toContain('must be at least');
    await expect(form.isVisible()).resolves.toBe(true);

    await change('a much longer viewer passphrase 2026');
    await page.getByText('現在お知らせはありません / No notices').waitFor();
    await page.close();
  });
});
