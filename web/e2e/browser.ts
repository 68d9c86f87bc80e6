// Browser helpers for the e2e tests: Debian's Chromium through playwright-core,
// axe-core run in the page, a PNG of every page, a watch for CSP breaches, and
// the operator's sign-in.
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { expect } from 'vitest';
import ja from '../src/i18n/ja.json';
import { OPS_EMAIL, OPS_PASSWORD, OPS_PHONE, type Server } from './server';

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
export const SCREENSHOTS = resolve(__dirname, 'screenshots');
mkdirSync(SCREENSHOTS, { recursive: true });

export function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
}

/** A fresh context (own cookies) at 1280×800, in Tokyo time, with every CSP
 * violation and page error collected in `problems`. */
export async function newPage(browser: Browser, viewport = { width: 1280, height: 800 }) {
  const context: BrowserContext = await browser.newContext({ viewport, timezoneId: 'Asia/Tokyo', locale: 'ja-JP' });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy|Refused to/i.test(m.text())) problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  return { context, page, problems };
}

interface AxeResult {
  violations: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[];
}

/** axe-core on the current page: no violation of impact serious or critical. */
export async function checkA11y(page: Page, name: string): Promise<void> {
  // Evaluated through the DevTools protocol, so the page's CSP does not apply.
  if (!(await page.evaluate('typeof window.axe !== "undefined"'))) await page.evaluate(AXE);
  const result = (await page.evaluate(
    'window.axe.run(document, { resultTypes: ["violations"], runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] } })',
  )) as AxeResult;
  const bad = result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${name}: ${v.impact} ${v.id} (${v.help}) at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(bad).toEqual([]);
}

/** A full-page PNG under e2e/screenshots/ and the axe check. */
export async function snap(page: Page, name: string): Promise<void> {
  await page.evaluate('document.fonts.ready');
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
  await checkA11y(page, name);
}

/** The operator (made by `server.createOperator()`) signs in with the texted
 * code and lands on the tenants page. */
export async function opsSignIn(page: Page, server: Server): Promise<void> {
  await page.goto(`${server.url}/ops/sign-in`);
  await page.getByLabel(ja.signIn.email).fill(OPS_EMAIL);
  await page.getByLabel(ja.signIn.password).fill(OPS_PASSWORD);
  await page.getByRole('button', { name: ja.signIn.submit }).click();
  const code = page.getByRole('textbox', { name: ja.mfa.code, exact: true });
  await code.waitFor();
  await code.fill(server.lastCode(OPS_PHONE));
  await page.getByRole('button', { name: ja.mfa.submit }).click();
  await page.getByRole('heading', { level: 1, name: ja.opsTenants.title }).waitFor();
}
