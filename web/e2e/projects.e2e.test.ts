// Projects, labels and design files in the browser against `crepo serve`:
// labels (a JAN with a bad check digit refused, then fixed) → projects →
// filter by two labels (combobox: click and keyboard) and a Japanese term,
// reload, same result; half-width katakana finds full-width → upload three
// images and a PDF at once (a 300-character name and a 51 MiB file refused
// by the server on their own rows), thumbnails, viewer, download compared
// byte for byte → a stale edit shows the conflict → a viewer sees no edit or
// delete; a user scoped to one label sees only its projects, and the owner
// sees why on the project's access list. Japanese and English screenshots,
// axe on each page.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import en from '../src/i18n/en.json';
import ja from '../src/i18n/ja.json';
import { launch, newPage, snap } from './browser';
import { Server } from './server';

const PHONE = '+819088880013';
const PASSWORD = 'correct horse battery staple';
const TENANT = 'design-co';
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

const fill = (template: string, values: Record<string, string | number>) => template.replace(/\{\{(\w+)\}\}/g, (_, k: string) => String(values[k]));

// A solid-colour PNG (truecolour, no alpha), made here so the test needs no fixtures.
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}
function png(w: number, h: number, rgb: [number, number, number]): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const row = Buffer.alloc(1 + w * 3);
  for (let x = 0; x < w; x++) row.set(rgb, 1 + x * 3);
  const raw = Buffer.concat(Array.from({ length: h }, (_, y) => (y % 40 < 20 ? row : Buffer.concat([Buffer.from([0]), Buffer.alloc(w * 3, 255)]))));
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');

async function signIn(page: Page, email: string, password: string, mfa: boolean) {
  await page.goto(`${server.url}/sign-in`);
  await page.getByLabel(ja.signIn.tenant).fill(TENANT);
  await page.getByLabel(ja.signIn.email).fill(email);
  await page.getByLabel(ja.signIn.password).fill(password);
  await page.getByRole('button', { name: ja.signIn.submit }).click();
  if (!mfa) return;
  await page.getByRole('textbox', { name: ja.mfa.code, exact: true }).waitFor();
  await page.getByRole('textbox', { name: ja.mfa.code, exact: true }).fill(server.lastCode(PHONE));
  await page.getByRole('button', { name: ja.mfa.submit }).click();
  await page.getByTestId('user-name').waitFor();
}

async function api(token: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}), ...headers },
    body: body ? JSON.stringify(body) : undefined,
  });
  return res;
}

describe('projects, labels and design files', () => {
  it('labels, filters in the URL, uploads, viewer, download, conflict; a viewer and a label-scoped user without edits', async () => {
    await server.signup(TENANT, PHONE);
    const { context, page, problems } = await newPage(browser);
    await signIn(page, OWNER, PASSWORD, true);

    // -- Labels: a JAN with a wrong check digit is refused, then fixed. -----
    await page.getByRole('link', { name: ja.nav.labels, exact: true }).click();
    await page.getByRole('heading', { level: 1, name: ja.labels.title }).waitFor();
    await page.getByText(ja.labels.empty).waitFor();
    await page.getByRole('button', { name: ja.labels.new }).click();
    let dialog = page.getByRole('dialog');
    await dialog.getByLabel(ja.labels.code, { exact: true }).fill('4901234567895');
    await dialog.getByLabel(ja.labels.name, { exact: true }).fill('緑茶 500ml');
    await dialog.getByText(ja.labels.check.invalid_check_digit, { exact: true }).waitFor(); // as typed
    await dialog.getByText(fill(ja.labels.check.expected, { digit: 4 })).waitFor();
    await dialog.getByRole('button', { name: ja.labels.create }).click();
    await dialog.getByText(fill(ja.labels.serverCheck, { message: ja.labels.check.invalid_check_digit })).waitFor(); // the server's 422
    await snap(page, 'labels-jan-refused-ja');
    await dialog.getByLabel(ja.labels.code, { exact: true }).fill('4901234567894');
    await dialog.getByTestId('jan-ok').waitFor();
    await dialog.getByRole('button', { name: ja.labels.create }).click();
    await page.locator('[data-testid="label-row"][data-code="4901234567894"]').waitFor();
    await page.getByRole('button', { name: ja.labels.new }).click();
    dialog = page.getByRole('dialog');
    await dialog.getByLabel(ja.labels.isJan).uncheck();
    await dialog.getByLabel(ja.labels.code, { exact: true }).fill('GT-2');
    await dialog.getByLabel(ja.labels.name, { exact: true }).fill('ほうじ茶 ティーバッグ');
    await dialog.getByRole('button', { name: ja.labels.create }).click();
    await page.locator('[data-testid="label-row"][data-code="GT-2"]').waitFor();
    await snap(page, 'labels-ja');

    // -- Projects: one through the dialog, the others through the API. ------
    await page.getByRole('link', { name: ja.nav.projects, exact: true }).click();
    await page.getByText(ja.projects.empty).waitFor();
    await page.getByRole('button', { name: ja.projects.new }).first().click();
    dialog = page.getByRole('dialog');
    await dialog.getByLabel(ja.projects.name).fill('緑茶 リニューアル 2027');
    await dialog.getByLabel(ja.projects.description).fill('500ml ボトルのパッケージ刷新');
    // The label picker is a combobox: a click on the option, or ↓ to it and Enter.
    const pick = async (scope: ReturnType<Page['getByRole']> | Page, field: string, q: string, code: string, keys = false, shot = '') => {
      const box = scope.getByRole('combobox', { name: field });
      await box.fill(q);
      const option = scope.getByRole('option', { name: new RegExp(code) });
      if (!keys) return option.click();
      await option.waitFor();
      await box.press('ArrowDown');
      await expect.poll(() => option.getAttribute('aria-selected')).toBe('true');
      expect(await box.getAttribute('aria-activedescendant')).toBe(await option.getAttribute('id'));
      if (shot) await snap(page, shot);
      await box.press('Enter');
      await expect.poll(() => box.inputValue()).toBe('');
      expect(await box.evaluate((el) => el === document.activeElement)).toBe(true);
    };
    await pick(dialog, ja.projects.addLabel, '緑茶', '4901234567894');
    // In the dialog, Escape first closes the list, then clears the text; the dialog stays.
    const labelBox = dialog.getByRole('combobox', { name: ja.projects.addLabel });
    await labelBox.fill('ほうじ');
    await expect.poll(() => labelBox.getAttribute('aria-expanded')).toBe('true');
    await labelBox.press('Escape');
    await expect.poll(() => labelBox.getAttribute('aria-expanded')).toBe('false');
    await labelBox.press('Escape');
    await expect.poll(() => labelBox.inputValue()).toBe('');
    await expect(dialog.isVisible()).resolves.toBe(true);
    await pick(dialog, ja.projects.addLabel, 'ほうじ', 'GT-2');
    await snap(page, 'projects-new-ja');
    await dialog.getByRole('button', { name: ja.projects.create }).click();
    await page.getByRole('heading', { level: 1, name: '緑茶 リニューアル 2027' }).waitFor();
    const projectUrl = page.url();
    const projectId = new URL(projectUrl).pathname.split('/')[2];

    const token = await server.userToken(TENANT, OWNER, PASSWORD, PHONE);
    const labels = (await (await api(token, 'GET', '/api/v1/labels')).json()) as { items: { id: string; code: string }[] };
    const id = (code: string) => labels.items.find((l) => l.code === code)?.id;
    for (const [name, codes] of [
      ['緑茶 限定パッケージ', ['4901234567894']],
      ['ほうじ茶 リニューアル', ['4901234567894', 'GT-2']],
      ['コーヒー 新商品', []],
    ] as const) {
      const res = await api(token, 'POST', '/api/v1/projects', { name });
      const p = (await res.json()) as { id: string };
      if (codes.length) expect((await api(token, 'PUT', `/api/v1/projects/${p.id}/labels`, { label_ids: codes.map(id) })).status).toBe(200);
    }

    // -- Filter by two labels and a Japanese term; the URL keeps it all. ----
    await page.getByRole('link', { name: ja.nav.projects, exact: true }).click();
    const cards = page.getByTestId('project-card');
    await expect.poll(() => cards.count()).toBe(4);
    await pick(page, ja.projects.filterLabels, '4901', '4901234567894');
    await expect.poll(() => cards.count()).toBe(3);
    await pick(page, ja.projects.filterLabels, 'ほうじ', 'GT-2', true, 'projects-label-combobox-ja');
    await expect.poll(() => cards.count()).toBe(2);
    await page.getByLabel(ja.projects.search).fill('緑茶');
    await expect.poll(() => cards.count()).toBe(1);
    await expect.poll(() => new URL(page.url()).searchParams.getAll('label')).toEqual(['4901234567894', 'GT-2']);
    expect(new URL(page.url()).searchParams.get('q')).toBe('緑茶');
    await page.getByRole('heading', { level: 2, name: '緑茶 リニューアル 2027' }).waitFor();
    await snap(page, 'projects-list-ja');
    const bookmark = page.url();
    await page.reload();
    await page.getByRole('heading', { level: 2, name: '緑茶 リニューアル 2027' }).waitFor();
    await expect(cards.count()).resolves.toBe(1);
    await expect(page.getByLabel(ja.projects.search).inputValue()).resolves.toBe('緑茶');
    await expect(page.getByRole('list', { name: ja.projects.activeLabels }).getByTestId('label-chip').count()).resolves.toBe(2);
    expect(page.url()).toBe(bookmark);
    // Width-insensitive: half-width katakana finds the full-width name.
    const halfWidth = '\uFF7A\uFF70\uFF8B\uFF70'; // ｺｰﾋｰ
    await page.goto(`${server.url}/projects?q=${encodeURIComponent(halfWidth)}`);
    await page.getByRole('heading', { level: 2, name: 'コーヒー 新商品' }).waitFor();
    await expect.poll(() => cards.count()).toBe(1);
    await expect(page.getByLabel(ja.projects.search).inputValue()).resolves.toBe(halfWidth);
    await snap(page, 'projects-search-halfwidth-ja');
    await page.goto(bookmark);
    await page.getByRole('heading', { level: 2, name: '緑茶 リニューアル 2027' }).waitFor();

    // -- Three images and a PDF at once: progress to done, thumbnails. ------
    await page.getByRole('link', { name: '緑茶 リニューアル 2027' }).click();
    await page.getByRole('heading', { level: 1, name: '緑茶 リニューアル 2027' }).waitFor();
    await page.getByText(ja.files.empty).waitFor();
    const images = {
      'パッケージ案A.png': png(480, 360, [34, 139, 34]),
      'パッケージ案B.png': png(360, 480, [180, 120, 40]),
      'パッケージ案C.png': png(640, 320, [30, 90, 170]),
    };
    // A name of 300 characters in the same batch: the server's 422 on its row only.
    const longName = `${'あ'.repeat(296)}.png`;
    await page.locator('input[type="file"]').setInputFiles([
      ...Object.entries(images).map(([name, buffer]) => ({ name, mimeType: 'image/png', buffer })),
      { name: longName, mimeType: 'image/png', buffer: png(40, 40, [0, 0, 0]) },
      { name: '仕様書.pdf', mimeType: 'application/pdf', buffer: PDF },
    ]);
    const uploads = page.getByTestId('upload');
    await expect.poll(() => uploads.count()).toBe(5);
    await expect.poll(() => page.locator('[data-testid="upload"][data-state="done"]').count()).toBe(4);
    const longRow = page.locator('[data-testid="upload"][data-state="error"]');
    await expect(longRow.getByRole('alert').textContent()).resolves.toBe(`${ja.files.failed}: ${fill(ja.files.nameTooLong, { max: 255 })}`);
    await expect(longRow.locator('.upload-name').getAttribute('title')).resolves.toBe(longName);
    await expect.poll(() => page.getByTestId('file-card').count()).toBe(4);
    await expect
      .poll(() => page.locator('img[data-testid="thumb"]').evaluateAll((imgs) => imgs.filter((i) => (i as HTMLImageElement).naturalWidth > 0).length))
      .toBe(3);
    await expect(page.locator('img[data-testid="thumb"]').first().getAttribute('src')).resolves.toMatch(/^blob:/);
    await page.locator('.file-icon-pdf').waitFor();
    await snap(page, 'project-detail-ja');

    // The viewer, with zoom.
    await page.getByRole('button', { name: fill(ja.files.view, { name: 'パッケージ案A.png' }) }).click();
    dialog = page.getByRole('dialog', { name: 'パッケージ案A.png' });
    await dialog.getByRole('img', { name: 'パッケージ案A.png' }).waitFor();
    await expect(dialog.getByTestId('zoom-level').textContent()).resolves.toBe(ja.files.fit);
    await dialog.getByRole('button', { name: ja.files.zoomIn }).click();
    await dialog.getByRole('button', { name: ja.files.zoomIn }).click();
    await expect(dialog.getByTestId('zoom-level').textContent()).resolves.toBe('150%');
    await snap(page, 'file-viewer-ja');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });

    // Download under the Japanese name, byte for byte.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: fill(ja.files.downloadOf, { name: 'パッケージ案B.png' }) }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('パッケージ案B.png');
    expect(readFileSync(await download.path()).equals(images['パッケージ案B.png'])).toBe(true);

    // -- 40 MB with real progress (upload throttled to 8 MB/s), then one
    // cancelled half-way: it leaves nothing on the server. -----------------
    await page.getByRole('button', { name: ja.files.clearFinished }).click();
    const dir = mkdtempSync(join(tmpdir(), 'crepo-big-'));
    const bigA = join(dir, '大きい版下.psd');
    const bigB = join(dir, '取り消す版下.psd');
    const bytes = Buffer.alloc(40 * 1024 * 1024);
    for (let i = 0; i < bytes.length; i += 4096) bytes[i] = i % 251;
    writeFileSync(bigA, bytes);
    writeFileSync(bigB, bytes);
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: 8 * 1024 * 1024 });
    const started = Date.now();
    await page.locator('input[type="file"]').setInputFiles(bigA);
    const barA = page.getByRole('progressbar', { name: fill(ja.files.progressOf, { name: '大きい版下.psd' }) });
    const seen = new Set<number>();
    await expect
      .poll(async () => {
        seen.add(Number(await barA.getAttribute('value')));
        return page.locator('[data-testid="upload"][data-state="done"]').count();
      }, { timeout: 60_000, interval: 200 })
      .toBe(1);
    const between = [...seen].filter((v) => v > 0 && v < bytes.length);
    console.log(`40 MB upload: ${Date.now() - started} ms, ${between.length} intermediate progress values seen`);
    expect(between.length).toBeGreaterThan(1);
    await page.locator('input[type="file"]').setInputFiles(bigB);
    const barB = page.getByRole('progressbar', { name: fill(ja.files.progressOf, { name: '取り消す版下.psd' }) });
    await expect.poll(async () => Number(await barB.getAttribute('value')), { timeout: 30_000 }).toBeGreaterThan(0);
    await page.getByRole('button', { name: fill(ja.files.cancelOf, { name: '取り消す版下.psd' }) }).click();
    await page.locator('[data-testid="upload"][data-state="cancelled"]').waitFor();
    await snap(page, 'project-uploads-ja');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
    rmSync(dir, { recursive: true, force: true });
    // Drag and drop works as the button does.
    const dropped = png(200, 200, [200, 40, 90]);
    // Dropped with it, 51 MiB (the server's limit is 50 MiB): its row shows
    // the server's 413 with the limit in words; the image goes in.
    const transfer = await page.evaluateHandle((b64) => {
      const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const dt = new DataTransfer();
      dt.items.add(new File([bytes], 'ドロップ案.png', { type: 'image/png' }));
      dt.items.add(new File([new Uint8Array(51 * 1024 * 1024)], '大きすぎる版下.psd', { type: 'image/vnd.adobe.photoshop' }));
      return dt;
    }, dropped.toString('base64'));
    await page.getByTestId('dropzone').dispatchEvent('drop', { dataTransfer: transfer });
    await expect.poll(() => page.getByTestId('file-card').count()).toBe(6);
    const tooBig = page.locator('[data-testid="upload"]', { hasText: '大きすぎる版下.psd' });
    await expect.poll(() => tooBig.getAttribute('data-state')).toBe('error');
    await expect(tooBig.getByRole('alert').textContent()).resolves.toBe(`${ja.files.failed}: ${fill(ja.files.tooLarge, { limit: '50 MB' })}`);
    await snap(page, 'project-upload-errors-ja');
    await new Promise((r) => setTimeout(r, 1000));
    const listed = (await (await api(token, 'GET', `/api/v1/projects/${projectId}/files`)).json()) as { items: { filename: string; size: number }[] };
    expect(listed.items.map((f) => f.filename).sort()).toEqual(['パッケージ案A.png', 'パッケージ案B.png', 'パッケージ案C.png', '仕様書.pdf', '大きい版下.psd', 'ドロップ案.png'].sort());
    expect(listed.items.find((f) => f.filename === '大きい版下.psd')?.size).toBe(bytes.length);
    // Delete the big one again, with its confirmation.
    await page.getByRole('button', { name: fill(ja.files.deleteOf, { name: '大きい版下.psd' }) }).click();
    dialog = page.getByRole('dialog', { name: ja.files.deleteTitle });
    await dialog.getByText('大きい版下.psd', { exact: false }).waitFor();
    await dialog.getByRole('button', { name: ja.files.deleteConfirm }).click();
    await expect.poll(() => page.getByTestId('file-card').count()).toBe(5);
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('files-title');
    await page.getByRole('button', { name: fill(ja.files.deleteOf, { name: 'ドロップ案.png' }) }).click();
    await page.getByRole('dialog', { name: ja.files.deleteTitle }).getByRole('button', { name: ja.files.deleteConfirm }).click();
    await expect.poll(() => page.getByTestId('file-card').count()).toBe(4);

    // -- A stale edit: someone renames the project meanwhile. --------------
    await page.getByRole('button', { name: fill(ja.projects.editField, { field: ja.projects.name }) }).click();
    await page.getByRole('textbox', { name: ja.projects.name }).fill('緑茶 リニューアル A案');
    const current = await api(token, 'GET', `/api/v1/projects/${projectId}`);
    const etag = current.headers.get('etag') ?? '';
    expect((await api(token, 'PATCH', `/api/v1/projects/${projectId}`, { name: '緑茶 リニューアル 営業部案' }, { 'if-match': etag })).status).toBe(200);
    await page.getByRole('button', { name: ja.common.save }).click();
    dialog = page.getByRole('dialog', { name: ja.projects.conflictTitle });
    await expect(dialog.getByTestId('theirs-name').textContent()).resolves.toBe('緑茶 リニューアル 営業部案');
    await expect(dialog.getByTestId('mine-name').textContent()).resolves.toBe('緑茶 リニューアル A案');
    await snap(page, 'project-conflict-ja');
    await dialog.getByRole('button', { name: ja.projects.conflictReload }).click();
    await page.getByRole('heading', { level: 1, name: '緑茶 リニューアル 営業部案' }).waitFor();
    // Again, and this time overwrite theirs (status) with mine.
    await page.getByRole('button', { name: fill(ja.projects.editField, { field: ja.projects.status }) }).click();
    await page.getByRole('combobox', { name: ja.projects.status }).selectOption('archived');
    const again = await api(token, 'GET', `/api/v1/projects/${projectId}`);
    expect((await api(token, 'PATCH', `/api/v1/projects/${projectId}`, { description: '営業部が説明を更新' }, { 'if-match': again.headers.get('etag') ?? '' })).status).toBe(200);
    await page.getByRole('button', { name: ja.common.save }).click();
    dialog = page.getByRole('dialog', { name: ja.projects.conflictTitle });
    await expect(dialog.getByTestId('mine-status').textContent()).resolves.toBe(ja.projects.statusName.archived);
    await dialog.getByRole('button', { name: ja.projects.conflictOverwrite }).click();
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(() => page.getByTestId('project-status').textContent()).toBe(ja.projects.statusName.archived);
    await expect(page.getByTestId('project-description').textContent()).resolves.toBe('営業部が説明を更新');
    expect(((await (await api(token, 'GET', `/api/v1/projects/${projectId}`)).json()) as { status: string }).status).toBe('archived');

    // Delete names what goes with the project (not confirmed here).
    await page.getByRole('button', { name: ja.projects.delete }).click();
    dialog = page.getByRole('dialog');
    await expect(dialog.getByTestId('delete-summary').textContent()).resolves.toContain('4 件');
    await snap(page, 'project-delete-ja');
    await dialog.getByRole('button', { name: ja.common.cancel }).click();

    // -- English. ----------------------------------------------------------
    await page.getByLabel(ja.lang.label).selectOption('en');
    await page.getByRole('heading', { level: 2, name: en.files.title }).waitFor();
    await expect.poll(() => page.locator('img[data-testid="thumb"]').count()).toBe(3);
    await snap(page, 'project-detail-en');
    await page.goto(bookmark.replace(/q=[^&]+/, 'q=%E3%81%BB%E3%81%86%E3%81%98')); // ほうじ
    await page.getByRole('heading', { level: 2, name: 'ほうじ茶 リニューアル' }).waitFor();
    await snap(page, 'projects-list-en');
    await page.getByRole('link', { name: en.nav.labels, exact: true }).click();
    await page.locator('[data-testid="label-row"][data-code="GT-2"]').waitFor();
    await snap(page, 'labels-en');
    await page.getByRole('button', { name: fill(en.labels.deleteOf, { code: 'GT-2' }) }).click();
    await expect(page.getByTestId('label-in-use').textContent()).resolves.toContain('2 projects');
    await snap(page, 'label-delete-en');
    await page.getByRole('dialog').getByRole('button', { name: fill(en.labels.deleteForce_other, { count: 2 }) }).click();
    await page.locator('[data-testid="label-row"][data-code="GT-2"]').waitFor({ state: 'detached' });
    await expect(page.getByTestId('label-row').count()).resolves.toBe(1);
    expect(problems).toEqual([]);
    await context.close();

    // -- A viewer sees the project but is offered no edit or delete. -------
    const temporary = await server.createUser(token, `viewer@${TENANT}.example`, 'viewer');
    // The throwaway project goes, with its confirmation; the list says so.
    const { page: last, context: lastContext } = await newPage(browser);
    await signIn(last, OWNER, PASSWORD, true);
    const spare = (await (await api(token, 'GET', '/api/v1/projects?q=%E3%82%B3%E3%83%BC%E3%83%92%E3%83%BC')).json()) as { items: { id: string }[] };
    await last.goto(`${server.url}/projects/${spare.items[0].id}`);
    await last.getByRole('button', { name: ja.projects.delete }).click();
    await expect(last.getByTestId('delete-summary').textContent()).resolves.toContain('0 件');
    await last.getByRole('dialog').getByRole('button', { name: ja.projects.deleteConfirm }).click();
    await last.getByText(fill(ja.projects.deleted, { name: 'コーヒー 新商品' })).waitFor();
    await expect.poll(() => last.getByTestId('project-card').count()).toBe(3);
    await lastContext.close();

    const viewer = await newPage(browser);
    const thumbs: number[] = [];
    const urls: string[] = [];
    viewer.page.on('response', (r) => {
      urls.push(r.url());
      if (r.url().endsWith('/thumbnail')) thumbs.push(r.status());
    });
    await signIn(viewer.page, `viewer@${TENANT}.example`, temporary, false);
    await viewer.page.getByRole('heading', { name: ja.changePassword.title }).waitFor();
    await viewer.page.getByLabel(ja.changePassword.current).fill(temporary);
    await viewer.page.getByLabel(ja.changePassword.new, { exact: true }).fill('a viewer of green tea designs');
    await viewer.page.getByLabel(ja.changePassword.confirm).fill('a viewer of green tea designs');
    await viewer.page.getByRole('button', { name: ja.changePassword.submit }).click();
    await viewer.page.getByTestId('user-name').waitFor();
    await viewer.page.goto(projectUrl);
    await viewer.page.getByRole('heading', { level: 1, name: '緑茶 リニューアル 営業部案' }).waitFor();
    await expect.poll(() => viewer.page.getByTestId('file-card').count()).toBe(4);
    await expect(viewer.page.getByRole('button', { name: ja.projects.delete }).count()).resolves.toBe(0);
    await expect(viewer.page.getByRole('button', { name: ja.projects.edit }).count()).resolves.toBe(0);
    await expect(viewer.page.getByTestId('dropzone').count()).resolves.toBe(0);
    // The server made its thumbnails meanwhile: the grid uses them; no token ever in a URL.
    await expect.poll(() => thumbs.filter((st) => st === 200).length).toBe(3);
    expect(urls.filter((u) => /token|authorization/i.test(u))).toEqual([]);
    await expect(viewer.page.getByRole('button', { name: fill(ja.files.deleteOf, { name: 'パッケージ案A.png' }) }).count()).resolves.toBe(0);
    await snap(viewer.page, 'project-detail-viewer-ja');
    // A project out of reach (deleted, or never there) is said plainly.
    await viewer.page.goto(`${server.url}/projects/00000000-0000-4000-8000-000000000000`);
    await viewer.page.getByRole('heading', { level: 1, name: ja.projects.notFoundTitle }).waitFor();
    await viewer.page.getByRole('link', { name: ja.projects.backToList }).click();
    await viewer.page.getByRole('heading', { level: 1, name: ja.projects.title }).waitFor();

    await expect.poll(() => viewer.page.getByTestId('project-card').count()).toBe(3);
    await expect(viewer.page.getByRole('button', { name: ja.projects.new }).count()).resolves.toBe(0);
    expect(viewer.problems).toEqual([]);
    await viewer.context.close();

    // -- A user whose role reaches only the 4901234567894 projects. --------
    expect((await api(token, 'POST', '/api/v1/projects', { name: 'コーヒー 第二弾' })).status).toBe(201);
    const role = await api(token, 'POST', '/api/v1/roles', {
      name: '緑茶チーム',
      permissions: ['projects.read', 'files.read', 'labels.read'],
      scope: { kind: 'labels', label_ids: [id('4901234567894')] },
    });
    expect(role.status).toBe(201);
    const scopedPassword = await server.createUser(token, `greentea@${TENANT}.example`, '緑茶チーム');
    const scoped = await newPage(browser);
    await signIn(scoped.page, `greentea@${TENANT}.example`, scopedPassword, false);
    await scoped.page.getByRole('heading', { name: ja.changePassword.title }).waitFor();
    await scoped.page.getByLabel(ja.changePassword.current).fill(scopedPassword);
    await scoped.page.getByLabel(ja.changePassword.new, { exact: true }).fill('green tea only, please');
    await scoped.page.getByLabel(ja.changePassword.confirm).fill('green tea only, please');
    await scoped.page.getByRole('button', { name: ja.changePassword.submit }).click();
    await scoped.page.getByTestId('user-name').waitFor();
    await scoped.page.getByRole('link', { name: ja.nav.projects, exact: true }).click();
    await scoped.page.getByText(fill(ja.projects.count_other, { count: 3 })).waitFor();
    const seenNames = await scoped.page.getByTestId('project-card').locator('h2').allTextContents();
    expect(seenNames.sort()).toEqual(['ほうじ茶 リニューアル', '緑茶 リニューアル 営業部案', '緑茶 限定パッケージ'].sort());
    await expect(scoped.page.getByRole('button', { name: ja.projects.new }).count()).resolves.toBe(0);
    await snap(scoped.page, 'projects-list-label-scoped-ja');
    await scoped.page.getByRole('link', { name: '緑茶 限定パッケージ' }).click();
    await scoped.page.getByRole('heading', { level: 1, name: '緑茶 限定パッケージ' }).waitFor();
    await expect(scoped.page.getByRole('button', { name: ja.projects.delete }).count()).resolves.toBe(0);
    await expect(scoped.page.getByRole('button', { name: ja.projects.edit }).count()).resolves.toBe(0);
    await expect(scoped.page.getByTestId('access-panel').count()).resolves.toBe(0); // no users.read
    expect(scoped.problems).toEqual([]);
    await scoped.context.close();

    // -- Who can see a project, and why, as the owner. ---------------------
    const owner = await newPage(browser);
    await signIn(owner.page, OWNER, PASSWORD, true);
    const projectNamed = async (q: string) =>
      ((await (await api(token, 'GET', `/api/v1/projects?q=${encodeURIComponent(q)}`)).json()) as { items: { id: string }[] }).items[0].id;
    const memberBox = owner.page.getByRole('combobox', { name: ja.projects.addMember });
    const memberRow = (email: string) => owner.page.locator('[data-testid="member"]', { hasText: email });
    const addMember = async (email: string) => {
      await memberBox.fill(email);
      await owner.page.getByRole('option', { name: new RegExp(email) }).waitFor();
      await memberBox.press('ArrowDown');
      await memberBox.press('Enter');
      await memberRow(email).waitFor();
    };
    // The label-scoped user made a member of a coffee project: membership
    // gives them nothing and they cannot see it, which is said beside them.
    await owner.page.goto(`${server.url}/projects/${await projectNamed('第二弾')}`);
    await owner.page.getByRole('heading', { level: 1, name: 'コーヒー 第二弾' }).waitFor();
    await addMember(`greentea@${TENANT}.example`);
    const greenteaNote = memberRow(`greentea@${TENANT}.example`).getByTestId('member-no-effect');
    await expect(greenteaNote.textContent()).resolves.toBe(`⚠ ${ja.projects.access.noEffect}`);
    await expect(greenteaNote.getAttribute('data-sees')).resolves.toBe('false');
    await expect(owner.page.locator(`[data-testid="access-entry"][data-email="greentea@${TENANT}.example"]`).count()).resolves.toBe(0);
    await snap(owner.page, 'project-member-no-access-ja');
    // On 緑茶 限定パッケージ: the viewer joins (their role reaches every
    // project already: a note, as for the owner, a member since creating it).
    await owner.page.goto(`${server.url}/projects/${await projectNamed('限定パッケージ')}`);
    await owner.page.getByRole('heading', { level: 1, name: '緑茶 限定パッケージ' }).waitFor();
    await addMember(`viewer@${TENANT}.example`);
    await expect(memberRow(`viewer@${TENANT}.example`).getByTestId('member-no-effect').getAttribute('data-sees')).resolves.toBe('true');
    await expect(memberRow(OWNER).getByTestId('member-no-effect').textContent()).resolves.toBe(`ⓘ ${ja.projects.access.noEffectSeesAnyway}`);
    const panel = owner.page.getByTestId('access-panel');
    await panel.locator('summary').click();
    const entry = (email: string) => panel.locator(`[data-testid="access-entry"][data-email="${email}"]`).getByTestId('access-reason');
    await expect(entry(OWNER).allTextContents()).resolves.toEqual([fill(ja.projects.access.reason.all, { role: 'admin' })]);
    await expect(entry(`greentea@${TENANT}.example`).allTextContents()).resolves.toEqual([
      fill(ja.projects.access.reason.labels_other, { labels: '4901234567894 緑茶 500ml', role: '緑茶チーム' }),
    ]);
    await expect(entry(`viewer@${TENANT}.example`).allTextContents()).resolves.toEqual([fill(ja.projects.access.reason.all, { role: 'viewer' })]);
    await expect(panel.getByTestId('access-count').textContent()).resolves.toBe(fill(ja.projects.access.count_other, { count: 3 }));
    await snap(owner.page, 'project-access-ja');
    await owner.page.getByLabel(ja.lang.label).selectOption('en');
    await panel.getByText(en.projects.access.title).waitFor();
    await expect(entry(OWNER).allTextContents()).resolves.toEqual(['all projects (role admin)']);
    await expect(entry(`greentea@${TENANT}.example`).allTextContents()).resolves.toEqual(['label 4901234567894 緑茶 500ml (role 緑茶チーム)']);
    await snap(owner.page, 'project-access-en');
    expect(owner.problems).toEqual([]);
    await owner.context.close();
  });

  it('pages through 10,000 projects without skipping or repeating, and prints how fast the first page shows', async () => {
    const phone = '+819088880014';
    await server.signup('scale-co', phone);
    const { context, page, problems } = await newPage(browser);
    await page.goto(`${server.url}/sign-in`);
    await page.getByLabel(ja.signIn.tenant).fill('scale-co');
    await page.getByLabel(ja.signIn.email).fill('owner@scale-co.example');
    await page.getByLabel(ja.signIn.password).fill(PASSWORD);
    await page.getByRole('button', { name: ja.signIn.submit }).click();
    await page.getByRole('textbox', { name: ja.mfa.code, exact: true }).waitFor();
    await page.getByRole('textbox', { name: ja.mfa.code, exact: true }).fill(server.lastCode(phone));
    await page.getByRole('button', { name: ja.mfa.submit }).click();
    await page.getByTestId('user-name').waitFor();
    // Seeded after the browser signed in: one texted code at a time.
    const token = await server.userToken('scale-co', 'owner@scale-co.example', PASSWORD, phone);
    const total = 10_000;
    let next = 0;
    const t0 = Date.now();
    await Promise.all(
      Array.from({ length: 32 }, async () => {
        while (next < total) {
          const i = next++;
          const res = await api(token, 'POST', '/api/v1/projects', { name: `量産案件 ${String(i).padStart(5, '0')}` });
          if (res.status !== 201) throw new Error(`create ${i}: ${res.status} ${await res.text()}`);
        }
      }),
    );
    console.log(`seeded ${total} projects in ${Date.now() - t0} ms`);

    const started = Date.now();
    await page.getByRole('link', { name: ja.nav.projects, exact: true }).click();
    await page.getByTestId('project-card').first().waitFor();
    console.log(`first page of ${total} projects rendered in ${Date.now() - started} ms`);

    await page.getByLabel(ja.projects.sort).selectOption('name');
    await expect.poll(() => page.getByTestId('project-card').first().locator('h2').textContent()).toBe('量産案件 00000');
    for (let n = 1; n <= 3; n++) {
      await page.getByRole('button', { name: ja.projects.loadMore }).click();
      await expect.poll(() => page.getByTestId('project-card').count()).toBe(30 * (n + 1));
    }
    const names = await page.getByTestId('project-card').locator('h2').allTextContents();
    expect(names).toEqual(Array.from({ length: 120 }, (_, i) => `量産案件 ${String(i).padStart(5, '0')}`));
    await page.getByText(fill(ja.projects.countMore_other, { count: 120 })).waitFor();
    expect(problems).toEqual([]);
    await context.close();
  });
});
