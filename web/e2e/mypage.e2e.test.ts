// My Page in the browser: profile with the masked phone, the access log
// (cursor paging without repeats, event and time filters kept in the URL),
// sessions (end another browser's session, which then lands on sign-in;
// sign out everywhere else; end this one), the password change with a rule
// failure then success. Japanese and English screenshots, axe on each.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import en from '../src/i18n/en.json';
import ja from '../src/i18n/ja.json';
import { launch, newPage, snap } from './browser';
import { Server } from './server';

const PHONE = '+819077770001';
const EMAIL = 'owner@mypage.example';
const PASSWORD = 'correct horse battery staple';
const NEW_PASSWORD = 'a brand new passphrase for my page 2026';
let server: Server;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([Server.start(), launch()]);
});

afterAll(async () => {
  await browser?.close();
  server?.stop();
});

async function signIn(page: Page, password = PASSWORD) {
  await page.goto(`${server.url}/sign-in`);
  await page.getByLabel(ja.signIn.tenant).fill('mypage');
  await page.getByLabel(ja.signIn.email).fill(EMAIL);
  await page.getByLabel(ja.signIn.password).fill(password);
  await page.getByRole('button', { name: ja.signIn.submit }).click();
  await page.getByRole('textbox', { name: ja.mfa.code, exact: true }).waitFor();
  await page.getByRole('textbox', { name: ja.mfa.code, exact: true }).fill(server.lastCode(PHONE));
  await page.getByRole('button', { name: ja.mfa.submit }).click();
  await page.getByTestId('user-name').waitFor();
}

async function get(path: string, token: string): Promise<Response> {
  return fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
}

const seqsOf = (page: Page) =>
  page.locator('[data-testid="access-log"] tbody tr').evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-seq'))));

/** Until `n` rows show (the log is written asynchronously). */
async function rowsAtLeast(page: Page, n: number) {
  await expect.poll(async () => (await seqsOf(page)).length, { timeout: 15_000 }).toBeGreaterThanOrEqual(n);
}

describe('My Page', () => {
  it('profile, access log, sessions, password change', async () => {
    await server.signup('mypage', PHONE);
    // An API client's session (a second "device"), and enough requests in the log for two pages.
    const apiToken = await server.userToken('mypage', EMAIL, PASSWORD, PHONE);
    for (let i = 0; i < 60; i++) expect((await get('/api/v1/me', apiToken)).status).toBe(200);

    const a = await newPage(browser);
    const page = a.page;
    await signIn(page);
    await page.getByRole('link', { name: ja.nav.me }).click();

    // Profile: the phone masked as Japanese numbers are written.
    await page.getByRole('heading', { name: ja.me.profile }).waitFor();
    await expect(page.getByTestId('me-phone').textContent()).resolves.toContain('+81 90-****-0001');
    await expect(page.content()).resolves.not.toContain('77770001');
    await page.getByText(EMAIL).waitFor();
    await snap(page, 'mypage-profile-ja');

    // Access log: 50 a page; "load more" continues where the first page ended.
    await page.getByRole('navigation', { name: ja.me.sectionsLabel }).getByRole('link', { name: ja.me.tab.accessLog }).click();
    await page.getByRole('table', { name: new RegExp(ja.me.log.caption.replace(/[()（）]/g, '.')) }).waitFor();
    await rowsAtLeast(page, 50);
    const first = await seqsOf(page);
    expect(first.length).toBe(50);
    await page.getByRole('button', { name: ja.me.log.loadMore }).click();
    await rowsAtLeast(page, 51);
    const two = await seqsOf(page);
    expect(two.slice(0, 50)).toEqual(first);
    expect(new Set(two).size).toBe(two.length); // no repeats
    // No skips: consecutive pages of one user's entries in descending chain order.
    for (let i = 1; i < two.length; i++) expect(two[i]).toBeLessThan(two[i - 1]);
    await expect(page.evaluate('document.activeElement?.dataset.seq')).resolves.toBe(String(two[50]));
    await snap(page, 'mypage-access-log-ja');

    // Filter by an event prefix: in the URL, and only those events listed.
    await page.getByLabel(ja.me.log.event, { exact: true }).fill('auth.login.');
    await page.getByRole('button', { name: ja.me.log.apply }).click();
    await page.waitForURL(/event=auth\.login\./);
    await expect.poll(async () => page.locator('[data-testid="access-log"] tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-event')))).toEqual(
      expect.arrayContaining(['auth.login.succeeded']),
    );
    const events = await page.locator('[data-testid="access-log"] tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-event') ?? ''));
    expect(events.every((e) => e.startsWith('auth.login.'))).toBe(true);
    // A time range in the future: nothing, said so; the range is in the URL too.
    const tomorrow = new Date(Date.now() + 86_400_000 + 9 * 3_600_000).toISOString().slice(0, 16); // in Tokyo time
    await page.getByLabel(new RegExp(`^${ja.me.log.from.split('（')[0]}`)).fill(tomorrow);
    await page.getByRole('button', { name: ja.me.log.apply }).click();
    await page.getByText(ja.me.log.emptyFiltered).waitFor();
    expect(new URL(page.url()).searchParams.get('from')).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:00\.000Z$/);
    // Back restores the previous filter; a reload keeps it.
    await page.goBack();
    await page.getByRole('table').waitFor();
    await page.reload();
    await page.getByRole('table').waitFor();
    await expect(page.getByLabel(ja.me.log.event, { exact: true }).inputValue()).resolves.toBe('auth.login.');
    await page.getByRole('button', { name: ja.me.log.clear }).click();
    await page.waitForURL((u) => u.search === '');

    // Sessions: a second browser signs in; the first ends its session.
    const b = await newPage(browser);
    await signIn(b.page);
    await page.getByRole('navigation', { name: ja.me.sectionsLabel }).getByRole('link', { name: ja.me.tab.sessions }).click();
    const rows = page.locator('[data-testid="sessions"] tbody tr');
    await expect.poll(() => rows.count()).toBe(3);
    const current = page.locator('[data-testid="sessions"] tbody tr[data-current="true"]');
    await expect(current.textContent()).resolves.toContain(ja.me.sessions.thisDevice);
    await expect(current.textContent()).resolves.toContain('Chrome（Linux）');
    await snap(page, 'mypage-sessions-ja');
    // The other browser is the other Chrome on Linux (the API client is Node.js).
    const other = page.locator('[data-testid="sessions"] tbody tr[data-current="false"]', { hasText: 'Chrome' });
    await other.getByRole('button', { name: ja.me.sessions.end }).click();
    const dialog = page.getByRole('dialog', { name: ja.me.sessions.endTitle });
    await dialog.waitFor();
    await snap(page, 'mypage-sessions-dialog-ja');
    await dialog.getByRole('button', { name: ja.me.sessions.endConfirm }).click();
    await page.getByText(ja.me.sessions.ended).waitFor();
    await expect.poll(() => rows.count()).toBe(2);
    // The second browser's next request meets the ended session: back to sign-in.
    await b.page.getByRole('link', { name: ja.nav.me }).click();
    await b.page.getByRole('navigation', { name: ja.me.sectionsLabel }).getByRole('link', { name: ja.me.tab.sessions }).click();
    await b.page.getByRole('heading', { name: ja.signIn.title }).waitFor();
    await b.page.reload();
    await b.page.getByRole('heading', { name: ja.signIn.title }).waitFor();
    expect(b.problems).toEqual([]);
    await b.context.close();

    // Password: a rule failure shown next to the field, then success.
    await page.getByRole('navigation', { name: ja.me.sectionsLabel }).getByRole('link', { name: ja.me.tab.password }).click();
    await page.getByLabel(ja.changePassword.current).fill(PASSWORD);
    await page.getByRole('textbox', { name: ja.changePassword.new, exact: true }).fill('short');
    await page.getByLabel(ja.changePassword.confirm).fill('short');
    await page.getByRole('button', { name: ja.changePassword.submit }).click();
    await page.getByText(ja.changePassword.refused).waitFor();
    const newField = page.locator('.field', { has: page.getByRole('textbox', { name: ja.changePassword.new, exact: true }) });
    await expect(newField.locator('.field-error').textContent()).resolves.toMatch(/文字以上にしてください/);
    await snap(page, 'mypage-password-refused-ja');
    await page.getByRole('textbox', { name: ja.changePassword.new, exact: true }).fill(NEW_PASSWORD);
    await expect(page.locator('.checklist li.todo').count()).resolves.toBe(0);
    await page.getByLabel(ja.changePassword.confirm).fill(NEW_PASSWORD);
    await page.getByRole('button', { name: ja.changePassword.submit }).click();
    await page.getByText(ja.me.password.done).waitFor();
    await page.getByText(ja.me.password.othersEnded).waitFor();
    await expect(page.evaluate('document.activeElement?.dataset.testid')).resolves.toBe('password-changed');
    await snap(page, 'mypage-password-ja');
    // The API client's session ended with the change.
    expect((await get('/api/v1/me', apiToken)).status).toBe(401);

    // English screenshots of each section.
    await page.getByLabel(ja.lang.label).selectOption('en');
    await page.getByRole('navigation', { name: en.me.sectionsLabel }).getByRole('link', { name: en.me.tab.profile }).click();
    await page.getByRole('heading', { name: en.me.profile }).waitFor();
    await snap(page, 'mypage-profile-en');
    await page.getByRole('navigation', { name: en.me.sectionsLabel }).getByRole('link', { name: en.me.tab.password }).click();
    await page.getByLabel(en.changePassword.current).waitFor();
    await snap(page, 'mypage-password-en');
    await page.getByRole('navigation', { name: en.me.sectionsLabel }).getByRole('link', { name: en.me.tab.accessLog }).click();
    await page.getByRole('table').waitFor();
    await page.getByTestId('access-log').getByText(en.me.log.events.auth_password_changed).first().waitFor();
    await snap(page, 'mypage-access-log-en');

    // Sign out everywhere else: another session, ended by the button, counted.
    const other2 = await server.userToken('mypage', EMAIL, NEW_PASSWORD, PHONE);
    await page.getByRole('navigation', { name: en.me.sectionsLabel }).getByRole('link', { name: en.me.tab.sessions }).click();
    await expect.poll(() => rows.count()).toBe(2);
    await snap(page, 'mypage-sessions-en');
    await page.getByRole('button', { name: en.me.sessions.endOthers }).click();
    const all = page.getByRole('dialog', { name: en.me.sessions.endOthersTitle });
    await all.getByText(/^1 session other than/).waitFor();
    await all.getByRole('button', { name: en.me.sessions.endOthersConfirm }).click();
    await page.getByText('1 other session was ended.').waitFor();
    await expect.poll(() => rows.count()).toBe(1);
    expect((await get('/api/v1/me', other2)).status).toBe(401);
    await expect(page.getByRole('button', { name: en.me.sessions.endOthers }).isDisabled()).resolves.toBe(true);

    // Ending this device's session signs out.
    await current.getByRole('button', { name: en.me.sessions.signOutHere }).click();
    await page.getByRole('dialog', { name: en.me.sessions.endCurrentTitle }).getByRole('button', { name: en.me.sessions.signOutHere }).click();
    await page.getByRole('heading', { name: en.signIn.title }).waitFor();
    await page.reload();
    await page.getByRole('heading', { name: en.signIn.title }).waitFor();
    expect(a.problems).toEqual([]);
    await a.context.close();
  });

  it('changing my phone takes my password and a code sent to the new number', async () => {
    const phone = '+819077770002';
    const fresh = '+819077779999';
    const email = 'owner@phone.example';
    await server.signup('phone', phone);
    const { page, context, problems } = await newPage(browser);
    await page.goto(`${server.url}/sign-in`);
    await page.getByLabel(ja.signIn.tenant).fill('phone');
    await page.getByLabel(ja.signIn.email).fill(email);
    await page.getByLabel(ja.signIn.password).fill(PASSWORD);
    await page.getByRole('button', { name: ja.signIn.submit }).click();
    await page.getByRole('textbox', { name: ja.mfa.code, exact: true }).waitFor();
    await page.getByRole('textbox', { name: ja.mfa.code, exact: true }).fill(server.lastCode(phone));
    await page.getByRole('button', { name: ja.mfa.submit }).click();
    await page.getByTestId('user-name').waitFor();
    await page.goto(`${server.url}/me`);
    await page.getByRole('button', { name: ja.me.phoneChange.open }).click();
    const form = page.getByTestId('phone-change');
    await form.getByLabel(ja.me.phoneChange.phone).fill('090-7777-9999');
    await form.getByLabel(ja.changePassword.current).fill('not my password');
    await form.getByRole('button', { name: ja.me.phoneChange.send }).click();
    await form.getByText(ja.problem.validation_failed.slice(0, 6)).first().waitFor();
    await form.getByLabel(ja.changePassword.current).fill(PASSWORD);
    await form.getByRole('button', { name: ja.me.phoneChange.send }).click();
    await form.getByLabel(ja.me.phoneChange.code).waitFor();
    await snap(page, 'mypage-phone-code-ja');
    // Not changed until the code is entered.
    await expect(page.getByTestId('me-phone').textContent()).resolves.toContain('0002');
    await form.getByLabel(ja.me.phoneChange.code).fill(server.lastCode(fresh));
    await form.getByRole('button', { name: ja.me.phoneChange.confirm }).click();
    await page.getByText(ja.me.phoneChange.othersEnded).waitFor();
    await expect.poll(() => page.getByTestId('me-phone').textContent()).toContain('9999');
    await snap(page, 'mypage-phone-changed-ja');
    expect(problems).toEqual([]);
    await context.close();
  });
});
