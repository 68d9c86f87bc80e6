// Administration's access log, settings and support in the browser against
// `crepo serve`: the owner filters the tenant's log by `auth.`, exports it as
// CSV (the same rows as the API's export), sees the chain badge intact and,
// after an entry is altered in the database behind the server's back, broken
// at that entry; shortening the idle timeout warns before saving and saving
// works; the configured support contacts show on /support and in the footer.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import en from '../src/i18n/en.json';
import ja from '../src/i18n/ja.json';
import { launch, newPage, snap } from './browser';
import { Server } from './server';

const PHONE = '+819088880031';
const PASSWORD = 'correct horse battery staple';
const TENANT = 'adminlog-co';
const OWNER = `owner@${TENANT}.example`;
const SUPPORT = 'help@crepo.example';
let server: Server;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([
    Server.start({
      env: {
        CREPO_SUPPORT_EMAIL: SUPPORT,
        CREPO_SUPPORT_PHONE: '03-1234-5678',
        CREPO_SUPPORT_HOURS_JA: '平日 9:00〜18:00',
        CREPO_SUPPORT_HOURS_EN: 'Weekdays 9:00–18:00 JST',
      },
    }),
    launch(),
  ]);
});

afterAll(async () => {
  await browser?.close();
  server?.stop();
});

/** The tenant's SQLite file under <dataDir>/tenants/. */
function tenantDb(): string {
  const dir = join(server.dataDir, 'tenants');
  const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => /\.(db|sqlite3?)$/.test(f));
  const file = files.find((f) => f.includes(TENANT)) ?? files[0];
  if (!file) throw new Error(`no database under ${dir}: ${readdirSync(dir, { recursive: true }).join(', ')}`);
  return join(dir, file);
}

/** A CSV's data rows (header and BOM dropped). */
function dataRows(csv: string): string[] {
  return csv.replace(/^\uFEFF/, '').trim().split(/\r?\n/).slice(1);
}

async function signIn(page: Page) {
  await page.goto(`${server.url}/sign-in`);
  await page.getByLabel(ja.signIn.tenant).fill(TENANT);
  await page.getByLabel(ja.signIn.email).fill(OWNER);
  await page.getByLabel(ja.signIn.password).fill(PASSWORD);
  await page.getByRole('button', { name: ja.signIn.submit }).click();
  await page.getByRole('textbox', { name: ja.mfa.code, exact: true }).waitFor();
  await page.getByRole('textbox', { name: ja.mfa.code, exact: true }).fill(server.lastCode(PHONE));
  await page.getByRole('button', { name: ja.mfa.submit }).click();
  await page.getByTestId('user-name').waitFor();
}

describe('administration: access log, settings, support', () => {
  it('filters, exports, verifies and detects tampering; warns before shortening the idle timeout; shows support contacts', async () => {
    await server.signup(TENANT, PHONE);
    const token = await server.userToken(TENANT, OWNER, PASSWORD, PHONE);
    const { context, page, problems } = await newPage(browser);
    await signIn(page);

    await page.goto(`${server.url}/admin/access-log`);
    await page.getByTestId('admin-access-log').waitFor();
    await expect.poll(() => page.getByTestId('verify-badge').textContent()).toContain(ja.accessLog.verify.intact);
    expect(await page.getByTestId('verify-badge').getAttribute('data-status')).toBe('intact');

    // Filter by the event prefix `auth.`: the URL keeps it, every row matches.
    await page.getByLabel(ja.me.log.event).fill('auth.');
    await page.getByRole('button', { name: ja.me.log.apply }).click();
    await page.waitForURL(/event=auth\./);
    await page.getByTestId('admin-access-log').waitFor();
    const events = await page.locator('[data-testid="admin-access-log"] tbody tr').evaluateAll((rows) =>
      rows.map((r) => r.getAttribute('data-event') ?? ''),
    );
    expect(events.length).toBeGreaterThan(0);
    expect(events.every((e) => e.startsWith('auth.'))).toBe(true);
    await snap(page, 'admin-access-log-ja');

    // A row's every field in a dialog.
    await page.locator('[data-testid="admin-access-log"] tbody tr').first().getByRole('button').click();
    await page.getByTestId('log-entry').waitFor();
    expect(await page.getByTestId('log-entry').textContent()).toContain('prev_hash');
    await snap(page, 'admin-access-log-entry-ja');
    // "This user's entries only" adds the user to the URL's filter.
    await page.getByRole('button', { name: ja.accessLog.userEntries }).click();
    await page.waitForURL(/user_id=[0-9a-f-]{36}/);
    await page.getByTestId('log-entry').waitFor({ state: 'detached' });
    await page.getByTestId('admin-access-log').waitFor();
    await page.goBack(); // Back to the `auth.` filter alone.
    await page.waitForURL((url) => !url.search.includes('user_id'));
    await page.getByTestId('admin-access-log').waitFor();

    // Export CSV: the file is named by the filter and holds the API export's rows.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: ja.accessLog.exportCsv }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^access-log_auth\._\d{4}-\d{2}-\d{2}\.csv$/);
    const shown = dataRows(readFileSync(await download.path(), 'utf8'));
    const res = await fetch(`${server.url}/api/v1/access-logs/export?format=csv&event=auth.`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(200);
    const fromApi = dataRows(await res.text());
    expect(shown.length).toBeGreaterThan(0);
    // Oldest first: anything logged after the browser's export comes after its rows.
    expect(fromApi.slice(0, shown.length)).toEqual(shown);

    // Alter entry 2 behind the server's back: "verify again" finds it.
    execFileSync('python3', [
      '-c',
      `import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
c.execute("DROP TRIGGER access_log_no_update")
c.execute("UPDATE access_log SET user_email='x@y' WHERE seq=2")
c.commit()`,
      tenantDb(),
    ]);
    await page.getByRole('button', { name: ja.accessLog.verify.again }).click();
    await expect.poll(() => page.getByTestId('verify-badge').getAttribute('data-status')).toBe('broken');
    expect(await page.getByTestId('verify-badge').textContent()).toContain(
      ja.accessLog.verify.broken.replace('{{seq}}', '2').replace('{{reason}}', ja.accessLog.reasons.altered),
    );
    // The entries were reloaded too: entry 2 shows the altered address.
    await page.locator('[data-testid="admin-access-log"] tr[data-seq="2"]').getByText('x@y').waitFor();
    await snap(page, 'admin-access-log-broken-ja');

    await page.goto(`${server.url}/admin/settings`);
    const idle = page.getByRole('spinbutton', { name: ja.settings.fields.session_idle_minutes });
    await idle.fill('10');
    await page.getByRole('form', { name: ja.settings.policy }).getByRole('button', { name: ja.settings.save }).click();
    await page.getByTestId('policy-effects').waitFor();
    expect(await page.getByTestId('policy-effects').textContent()).toContain(ja.settings.effects.sessionIdle);
    await snap(page, 'admin-settings-confirm-ja');
    await page.getByRole('button', { name: ja.settings.confirm }).click();
    await page.getByText(ja.settings.saved).waitFor();
    const retention = page.getByRole('form', { name: ja.settings.retention });
    await retention.getByRole('spinbutton', { name: ja.settings.retentionDays }).fill('400');
    await retention.getByRole('button', { name: ja.settings.save }).click();
    await page.getByText(ja.settings.retentionSaved).waitFor();
    await snap(page, 'admin-settings-ja');

    await page.goto(`${server.url}/support`);
    await page.getByTestId('support-details').getByText(SUPPORT).waitFor();
    await page.getByTestId('support-footer').getByText(SUPPORT).waitFor();
    await snap(page, 'support-ja');

    // English.
    await page.getByLabel(ja.lang.label).selectOption('en');
    await page.getByTestId('support-details').getByText('Weekdays 9:00–18:00 JST').waitFor();
    await snap(page, 'support-en');
    await page.goto(`${server.url}/admin/access-log?event=auth.`);
    await expect.poll(() => page.getByTestId('verify-badge').getAttribute('data-status')).toBe('broken');
    await page.getByText(en.accessLog.verify.broken.split(' {{seq}}')[0]).first().waitFor();
    await snap(page, 'admin-access-log-en');
    await page.goto(`${server.url}/admin/settings`);
    await page.getByRole('spinbutton', { name: en.settings.fields.temporary_password_hours }).waitFor();
    await snap(page, 'admin-settings-en');
    expect(problems).toEqual([]);
    await context.close();
  });
});
