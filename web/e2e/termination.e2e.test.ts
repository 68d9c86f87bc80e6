// Terminating the service in the browser against `crepo serve` (ISO/IEC 27017
// CLD.8.1.5): the administrator reads what is deleted and kept, requests
// termination (current password, the organisation ID typed exactly, the
// texted code, a confirmation naming the deletion date), sees the request,
// withdraws it and requests again; the operator sees the request in the
// console (badge, dates, "only these" filter), deletes the tenant after typing
// its slug and reads the certificate; signing in to that organisation then
// fails. Japanese and English screenshots, axe on each page.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import en from '../src/i18n/en.json';
import ja from '../src/i18n/ja.json';
import { launch, newPage, opsSignIn, snap } from './browser';
import { Server } from './server';

const PHONE = '+819088880018';
const OTHER_PHONE = '+819088880019';
const PASSWORD = 'correct horse battery staple';
const TENANT = 'leave-co';
const OTHER = 'other-co';
const OWNER = `owner@${TENANT}.example`;
let server: Server;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([Server.start(), launch()]);
});

afterAll(async () => {
  await browser?.close();
  server?.stop();
});

const fill = (text: string, values: Record<string, string>) => text.replace(/{{(\w+)}}/g, (_, k: string) => values[k] ?? '');

async function sendCredentials(page: Page) {
  await page.getByLabel(ja.signIn.tenant).fill(TENANT);
  await page.getByLabel(ja.signIn.email).fill(OWNER);
  await page.getByLabel(ja.signIn.password).fill(PASSWORD);
  await page.getByRole('button', { name: ja.signIn.submit }).click();
}

/** Step one and two of a request, in the page's language `l`. */
async function request(page: Page, l: typeof ja, shot?: string) {
  const form = page.getByRole('form', { name: l.termination.request.title });
  const send = form.getByRole('button', { name: l.termination.request.send });
  await form.getByLabel(l.changePassword.current).fill(PASSWORD);
  await form.getByLabel(l.termination.request.slug).fill(TENANT.slice(0, -1));
  await expect(send.isDisabled()).resolves.toBe(true);
  await form.getByText(l.termination.slugNotYet).waitFor();
  await form.getByLabel(l.termination.request.slug).fill(TENANT);
  await expect(send.isEnabled()).resolves.toBe(true);
  await send.click();
  const step = page.getByRole('form', { name: l.termination.request.codeStep });
  const code = step.getByLabel(l.termination.request.code);
  await code.waitFor();
  await expect(code.getAttribute('autocomplete')).resolves.toBe('one-time-code');
  await code.fill(server.lastCode(PHONE));
  if (shot) await snap(page, `${shot}-code`);
  await step.getByRole('button', { name: l.termination.request.submit }).click();
  const dialog = page.getByRole('dialog', { name: l.termination.request.confirmTitle });
  await dialog.getByTestId('confirm-date').waitFor();
  if (shot) await snap(page, `${shot}-confirm`);
  await dialog.getByRole('button', { name: l.termination.request.confirm }).click();
  await page.getByTestId('termination-requested').waitFor();
}

describe('terminating the service', () => {
  it('an administrator requests, withdraws and requests again; the operator deletes the tenant; its sign-in then fails', async () => {
    await server.signup(TENANT, PHONE);
    await server.signup(OTHER, OTHER_PHONE);
    server.createOperator();

    // Something stored: a project with a design file, through the API.
    const token = await server.userToken(TENANT, OWNER, PASSWORD, PHONE);
    const created = await fetch(`${server.url}/api/v1/projects`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: '解約前の案件' }),
    });
    const project = (await created.json()) as { id: string };
    const body = new FormData();
    body.append('file', new Blob([new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3])], { type: 'image/png' }), '案A.png');
    const upload = await fetch(`${server.url}/api/v1/projects/${project.id}/files`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body });
    expect(upload.status).toBe(201);

    const admin = await newPage(browser);
    const page = admin.page;
    await page.goto(`${server.url}/sign-in`);
    await sendCredentials(page);
    const mfa = page.getByRole('textbox', { name: ja.mfa.code, exact: true });
    await mfa.waitFor();
    await mfa.fill(server.lastCode(PHONE));
    await page.getByRole('button', { name: ja.mfa.submit }).click();
    await page.getByTestId('user-name').waitFor();

    // -- Administration → terminate the service: explained, export first. ---
    await page.getByRole('link', { name: ja.admin.nav, exact: true }).click();
    const menu = page.getByRole('navigation', { name: ja.admin.sectionsLabel });
    await menu.getByRole('link', { name: ja.termination.title }).click();
    await page.getByRole('heading', { level: 2, name: ja.termination.title }).waitFor();
    await expect.poll(() => new URL(page.url()).pathname).toBe('/admin/termination');
    await expect(page.getByTestId('expected-slug').textContent()).resolves.toBe(TENANT);
    await expect(page.getByTestId('export-first').getAttribute('href')).resolves.toBe('/admin/exports');
    await snap(page, 'termination-ja');

    // A wrong password is said on its field.
    const form = page.getByRole('form', { name: ja.termination.request.title });
    await form.getByLabel(ja.changePassword.current).fill('not my password at all');
    await form.getByLabel(ja.termination.request.slug).fill(TENANT);
    await form.getByRole('button', { name: ja.termination.request.send }).click();
    await form.getByText(ja.fieldError.incorrect).waitFor();
    await expect(form.getByLabel(ja.changePassword.current).getAttribute('aria-invalid')).resolves.toBe('true');

    // -- Request: password, slug, code, confirmation. ------------------------
    await request(page, ja, 'termination-ja');
    await page.getByRole('status').filter({ hasText: ja.termination.request.done }).waitFor();
    await expect(page.getByTestId('requested-by').textContent()).resolves.toContain(OWNER);
    await snap(page, 'termination-requested-ja');

    // -- Withdraw (after a confirmation), then request again in English. ----
    await page.getByRole('button', { name: ja.termination.requested.withdraw }).click();
    const withdraw = page.getByRole('dialog', { name: ja.termination.requested.withdrawTitle });
    await withdraw.getByText(ja.termination.requested.withdrawBody).waitFor();
    await snap(page, 'termination-withdraw-ja');
    await withdraw.getByRole('button', { name: ja.termination.requested.withdrawConfirm }).click();
    await page.getByRole('status').filter({ hasText: ja.termination.requested.withdrawn }).waitFor();
    await expect(page.getByTestId('termination-requested').count()).resolves.toBe(0);

    await page.getByLabel(ja.lang.label).selectOption('en');
    await page.getByRole('heading', { level: 2, name: en.termination.title }).waitFor();
    await snap(page, 'termination-en');
    await request(page, en, 'termination-en');
    await expect(page.getByTestId('deletion-due').textContent()).resolves.toContain('(JST)');
    await snap(page, 'termination-requested-en');
    await page.getByLabel(en.lang.label).selectOption('ja');

    // -- The operator: the request in the console, then the deletion. -------
    const ops = await newPage(browser);
    await opsSignIn(ops.page, server);
    const row = ops.page.locator(`[data-testid="tenant-row"][data-slug="${TENANT}"]`);
    await row.getByTestId('termination-badge').getByText(ja.opsTermination.requested).waitFor();
    await row.getByTestId('termination-due').waitFor();
    await expect(ops.page.locator(`[data-testid="tenant-row"][data-slug="${OTHER}"] [data-testid="termination-badge"]`).count()).resolves.toBe(0);
    await ops.page.getByRole('checkbox', { name: ja.opsTermination.onlyRequested }).check();
    await expect.poll(() => ops.page.getByTestId('tenant-row').count()).toBe(1);
    await snap(ops.page, 'ops-termination-ja');

    await row.getByRole('button', { name: fill(ja.opsTermination.deleteFor, { name: `${TENANT} 株式会社` }) }).click();
    let dialog = ops.page.getByRole('dialog');
    await dialog.getByTestId('delete-effects').waitFor();
    await dialog.getByTestId('delete-request').waitFor();
    const confirm = dialog.getByRole('button', { name: ja.opsTermination.confirm });
    await expect(confirm.isDisabled()).resolves.toBe(true);
    await dialog.getByLabel(ja.opsTermination.slug).fill(TENANT);
    await expect(confirm.isEnabled()).resolves.toBe(true);
    await snap(ops.page, 'ops-delete-ja');
    await confirm.click();
    const cert = dialog.getByTestId('deletion-certificate');
    await cert.waitFor({ timeout: 60_000 });
    await expect(dialog.getByRole('heading', { name: fill(ja.opsTermination.done, { slug: TENANT }) }).count()).resolves.toBe(1);
    expect(Number(await cert.getByTestId('cert-rows').textContent())).toBeGreaterThan(0);
    expect(Number(await cert.getByTestId('cert-objects').textContent())).toBeGreaterThan(0);
    await expect(cert.getByTestId('cert-checkpoint').textContent()).resolves.toMatch(/^([0-9a-f]{64}|なし)$/);
    await snap(ops.page, 'ops-deletion-certificate-ja');
    await dialog.getByRole('button', { name: ja.common.close }).last().click();
    await ops.page.getByText(ja.opsTermination.noneRequested).waitFor();
    await ops.page.getByRole('checkbox', { name: ja.opsTermination.onlyRequested }).uncheck();
    await ops.page.locator(`[data-testid="tenant-row"][data-slug="${OTHER}"]`).waitFor();
    await expect(row.count()).resolves.toBe(0);

    // English: deleting a tenant that did not ask says so first.
    await ops.page.getByLabel(ja.lang.label).selectOption('en');
    const other = ops.page.locator(`[data-testid="tenant-row"][data-slug="${OTHER}"]`);
    await other.getByRole('button', { name: fill(en.opsTermination.deleteFor, { name: `${OTHER} 株式会社` }) }).click();
    dialog = ops.page.getByRole('dialog');
    await dialog.getByText(en.opsTermination.notRequested).waitFor();
    await dialog.getByLabel(en.opsTermination.slug).fill(OTHER);
    await snap(ops.page, 'ops-delete-en');
    await dialog.getByRole('button', { name: en.opsTermination.confirm }).click();
    await dialog.getByTestId('deletion-certificate').waitFor({ timeout: 60_000 });
    await snap(ops.page, 'ops-deletion-certificate-en');
    await dialog.getByRole('button', { name: en.common.close }).last().click();
    await ops.page.getByText(en.opsTenants.empty).waitFor();

    // -- The deleted organisation: its session is gone, sign-in fails. ------
    await page.getByRole('link', { name: ja.nav.projects, exact: true }).click();
    await page.waitForURL(/\/sign-in/);
    const refused = page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/login'));
    await sendCredentials(page);
    expect((await refused).status()).toBe(401);
    await page.getByRole('alert').first().waitFor();
    await snap(page, 'sign-in-deleted-ja');

    expect(admin.problems).toEqual([]);
    expect(ops.problems).toEqual([]);
    await admin.context.close();
    await ops.context.close();
  });
});
