// In Japanese: sign up (accepting the terms of use) → sign in with the texted
// code → a second user changes the temporary password → reload and stay
// signed in → past the access token's lifetime (5 s here) and keep working →
// sign out.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ja from '../src/i18n/ja.json';
import { launch, newPage, snap } from './browser';
import { Server } from './server';

const PHONE = '+819055550001';
const PASSWORD = 'correct horse battery staple';
const TERMS = '2026-12-01';
const TERMS_URL = 'https://crepo.example/terms';
let server: Server;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([Server.start({ env: { CREPO_ACCESS_TOKEN_TTL_SECS: '5', CREPO_TERMS_VERSION: TERMS, CREPO_TERMS_URL: TERMS_URL } }), launch()]);
});

afterAll(async () => {
  await browser?.close();
  server?.stop();
});

async function signedInShell(page: Page) {
  await page.getByTestId('user-name').waitFor();
}

describe('identity in the browser (Japanese)', () => {
  it('signs up, signs in with the code, stays signed in across reloads and token expiry, signs out', async () => {
    const { context, page, problems } = await newPage(browser);

    // Sign-up, with the live slug check.
    const first = await page.goto(`${server.url}/sign-up`);
    // The SPA is served under the strict policy (no inline script or style, no eval, no framing).
    const csp = first?.headers()['content-security-policy'] ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-');
    await page.getByRole('heading', { name: ja.signUp.title }).waitFor();
    const slug = page.getByLabel(ja.signUp.tenantSlug);
    await slug.fill('-Acme');
    await page.getByText(ja.signUp.slug.edge, { exact: true }).waitFor();
    await slug.fill('acme-foods');
    await page.getByText(ja.signUp.slug.ok).waitFor();
    await page.getByLabel(ja.signUp.tenantName).fill('アクメ食品株式会社');
    await page.getByLabel(ja.signUp.name, { exact: true }).fill('山田 花子');
    await page.getByLabel(ja.signUp.email).fill('hanako@acme.example');
    await page.getByLabel(ja.signUp.phone).fill(PHONE);
    await page.getByLabel(ja.signUp.password, { exact: true }).fill(PASSWORD);
    await page.getByLabel(ja.signUp.confirm).fill(PASSWORD);
    await page.getByText(ja.password.rulesTitle).waitFor();
    // The terms of use: the register button waits for the tick, and says so.
    const submit = page.getByRole('button', { name: ja.signUp.submit });
    await expect(submit.isDisabled()).resolves.toBe(true);
    await page.getByText(ja.signUp.terms.needed).waitFor();
    const termsLink = page.getByRole('link', { name: new RegExp(ja.signUp.terms.read) });
    await expect(termsLink.getAttribute('href')).resolves.toBe(TERMS_URL);
    await expect(termsLink.getAttribute('target')).resolves.toBe('_blank');
    await expect(termsLink.getAttribute('rel')).resolves.toContain('noopener');
    await snap(page, 'sign-up-ja');
    const agree = page.getByLabel(ja.signUp.terms.agree.replace('{{version}}', TERMS));
    await agree.check();
    await expect(submit.isDisabled()).resolves.toBe(false);
    // Terms that changed while the form was open (an older version sent): the
    // server refuses, the box is unticked with the reason, the terms are fetched again.
    let termsFetches = 0;
    page.on('request', (r) => {
      if (new URL(r.url()).pathname === '/api/v1/signup/terms') termsFetches += 1;
    });
    await page.route('**/api/v1/signup', async (route) => {
      const body = route.request().postDataJSON() as Record<string, unknown>;
      await route.continue({ postData: JSON.stringify({ ...body, accept_terms_version: '2020-01-01' }) });
    });
    await submit.click();
    await page.getByText(ja.signUp.terms.outdated).waitFor();
    await expect(agree.isChecked()).resolves.toBe(false);
    await expect(submit.isDisabled()).resolves.toBe(true);
    expect(termsFetches).toBeGreaterThan(0);
    await snap(page, 'sign-up-terms-outdated-ja');
    await page.unroute('**/api/v1/signup');
    await agree.check();
    await submit.click();

    // Straight to sign-in with the organisation and email filled in.
    await page.getByText(ja.signIn.signedUp).waitFor();
    await expect.poll(() => new URL(page.url()).pathname).toBe('/sign-in');
    await expect(page.getByLabel(ja.signIn.tenant).inputValue()).resolves.toBe('acme-foods');
    await expect(page.getByLabel(ja.signIn.email).inputValue()).resolves.toBe('hanako@acme.example');
    await snap(page, 'sign-in-ja');

    // A wrong password, then the right one and the code step.
    await page.getByLabel(ja.signIn.password).fill('not the password at all');
    await page.getByRole('button', { name: ja.signIn.submit }).click();
    await page.getByText(ja.problem.invalid_credentials).waitFor();
    await page.getByLabel(ja.signIn.password).fill(PASSWORD);
    await page.getByRole('button', { name: ja.signIn.submit }).click();
    await page.getByLabel(ja.mfa.code, { exact: true }).waitFor();
    await expect(page.getByText(/\+81\*+0001/).count()).resolves.toBeGreaterThan(0);
    // The resend button counts down.
    await expect(page.getByRole('button', { name: /再送信できるまで \d+ 秒/ }).isDisabled()).resolves.toBe(true);
    await page.getByLabel(ja.mfa.code, { exact: true }).fill('000000');
    await page.getByRole('button', { name: ja.mfa.submit }).click();
    await page.getByText(ja.problem.invalid_code).waitFor();
    await snap(page, 'sign-in-code-ja');
    await page.getByLabel(ja.mfa.code, { exact: true }).fill(server.lastCode(PHONE));
    await page.getByRole('button', { name: ja.mfa.submit }).click();
    await signedInShell(page);
    // `/` hands over to the notices once its module has loaded.
    await page.waitForURL((u) => u.pathname === '/notices');
    await expect(page.getByTestId('tenant-name').textContent()).resolves.toBe('アクメ食品株式会社');
    await expect(page.getByTestId('user-name').textContent()).resolves.toContain('山田 花子');
    await page.getByText(ja.notices.empty).waitFor();
    await snap(page, 'notices-empty-ja');

    // Nothing of the session in web storage; the refresh cookie is HttpOnly.
    const storage = await page.evaluate('JSON.stringify([Object.entries(localStorage), Object.entries(sessionStorage)])');
    expect(storage).not.toMatch(/eyJ|crt_/);
    const cookies = await context.cookies();
    const refresh = cookies.find((c) => c.name === 'crepo_refresh');
    expect(refresh).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/api/v1/auth' });
    expect(await page.evaluate('document.cookie')).not.toContain('crepo_refresh');

    // Reload: still signed in, on the same page.
    await page.getByRole('link', { name: ja.nav.me }).click();
    await page.getByRole('heading', { name: ja.me.title }).waitFor();
    await page.reload();
    await signedInShell(page);
    await expect.poll(() => new URL(page.url()).pathname).toBe('/me');
    await page.getByText('hanako@acme.example').waitFor();
    await snap(page, 'me-ja');

    // Past the access token's lifetime (5 s): the silent refresh keeps the session.
    await page.waitForTimeout(6_500);
    await page.getByRole('link', { name: ja.nav.notices }).click();
    await page.getByText(ja.notices.empty).waitFor();
    await page.reload();
    await signedInShell(page);

    // With the timed refresh blocked, the token expires; the next request
    // meets 401 token_expired, refreshes once and is retried.
    await page.route('**/api/v1/auth/refresh', (route) => route.abort());
    await page.waitForTimeout(6_500);
    await page.unroute('**/api/v1/auth/refresh');
    const refreshed = page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/refresh') && r.status() === 200);
    await page.getByRole('link', { name: ja.nav.me }).click();
    await page.getByText('hanako@acme.example').waitFor();
    await refreshed;
    await expect.poll(() => new URL(page.url()).pathname).toBe('/me');

    // Sign out: back to sign-in, and a reload does not bring the session back.
    await page.getByRole('button', { name: ja.shell.signOut }).click();
    await page.getByText(ja.signIn.signedOut).waitFor();
    await page.goto(`${server.url}/me`);
    await page.getByRole('heading', { name: ja.signIn.title }).waitFor();
    await expect.poll(() => new URL(page.url()).search).toBe('?next=%2Fme');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('a user with a temporary password changes it first, and sees why a new one is refused', async () => {
    await server.signup('beta', '+819055550002');
    const admin = await server.userToken('beta', 'owner@beta.example', PASSWORD, '+819055550002');
    const temporary = await server.createUser(admin, 'viewer@beta.example', 'viewer');
    const { context, page, problems } = await newPage(browser);

    // Signed out, a deep link goes to sign-in and comes back afterwards.
    await page.goto(`${server.url}/me`);
    await page.getByLabel(ja.signIn.tenant).fill('beta');
    await page.getByLabel(ja.signIn.email).fill('viewer@beta.example');
    await page.getByLabel(ja.signIn.password).fill(temporary);
    await page.getByRole('button', { name: ja.signIn.submit }).click();

    await page.getByRole('heading', { name: ja.changePassword.title }).waitFor();
    await page.getByLabel(ja.changePassword.current).fill(temporary);
    await page.getByLabel(ja.changePassword.new, { exact: true }).fill('short');
    // The live checklist follows the typing.
    await expect(page.locator('.checklist li.ok').count()).resolves.toBe(0);
    await page.getByLabel(ja.changePassword.confirm).fill('short');
    await page.getByRole('button', { name: ja.changePassword.submit }).click();
    await page.getByText(ja.changePassword.refused).waitFor();
    await page.getByText('12 文字以上にしてください').waitFor();
    await snap(page, 'change-password-ja');

    // A common password passes the browser's checks, not the server's.
    await page.getByLabel(ja.changePassword.new, { exact: true }).fill('qwerty123456');
    await page.getByLabel(ja.changePassword.confirm).fill('qwerty123456');
    await page.getByRole('button', { name: ja.changePassword.submit }).click();
    await page.getByText(ja.fieldError.common_password).waitFor();

    const next = 'a much longer viewer passphrase 2026';
    await page.getByLabel(ja.changePassword.new, { exact: true }).fill(next);
    await expect(page.locator('.checklist li.todo').count()).resolves.toBe(0);
    await page.getByLabel(ja.changePassword.confirm).fill(next);
    await page.getByRole('button', { name: ja.changePassword.submit }).click();
    await signedInShell(page);
    await expect.poll(() => new URL(page.url()).pathname).toBe('/me');
    await page.getByText('viewer@beta.example').waitFor();

    // A viewer sees only what it may: the pages its read permissions open,
    // no administration in the navigation.
    const nav = page.getByRole('navigation', { name: ja.shell.navigation });
    await expect(nav.getByRole('link').allTextContents()).resolves.toEqual([
      ja.nav.projects,
      ja.nav.labels,
      ja.nav.notices,
      ja.nav.me,
    ]);

    // The new password works; the reload keeps the session.
    await page.reload();
    await signedInShell(page);
    expect(problems).toEqual([]);
    await context.close();
  });
});
