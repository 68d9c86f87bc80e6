// Design evaluation in the browser against `crepo serve`: two PNG designs
// uploaded through the API (a plain one, and a dark logo on a light ground)
// and a PDF (not evaluated, said in words),
// the comparison page polls until both are evaluated, the metrics table marks
// the logo design's focus and its logo area as best, the heatmap toggles and
// fades, candidates reorder by a metric, the areas editor shows the server's
// 422 under the field and takes an area drawn by dragging, and the page prints as a report. Japanese and English
// screenshots, axe on each.
import { deflateSync } from 'node:zlib';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import en from '../src/i18n/en.json';
import ja from '../src/i18n/ja.json';
import { launch, newPage, snap } from './browser';
import { Server } from './server';

const PHONE = '+819088880019';
const PASSWORD = 'correct horse battery staple';
const TENANT = 'eval-co';
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

// PNGs made here (truecolour, no alpha) so the test needs no fixtures.
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
function png(w: number, h: number, pixel: (x: number, y: number) => [number, number, number]): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const raw = Buffer.alloc(h * (1 + w * 3));
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) raw.set(pixel(x, y), y * (1 + w * 3) + 1 + x * 3);
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}
const W = 320;
const H = 400;
// A plain pack: a soft vertical gradient, nothing to look at.
const PLAIN = png(W, H, (_x, y) => {
  const v = 225 + Math.round((y / H) * 20);
  return [v, v, v - 10];
});
// A dark red "logo" block on a light cream ground, upper middle.
const LOGO = png(W, H, (x, y) => (x >= 110 && x < 210 && y >= 90 && y < 170 ? [120, 20, 30] : [245, 238, 220]));
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');
const LOGO_AREA = { name: 'ロゴ', x: 110 / W, y: 90 / H, w: 100 / W, h: 80 / H };

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

async function api(token: string, method: string, path: string, body?: unknown) {
  return fetch(`${server.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
}

async function upload(token: string, projectId: string, name: string, bytes: Buffer): Promise<string> {
  const res = await fetch(`${server.url}/api/v1/projects/${projectId}/files?filename=${encodeURIComponent(name)}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream' },
    body: new Uint8Array(bytes),
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

describe('design evaluation', () => {
  it('compares two candidates: statuses, heatmaps, best values, order, areas, print; Japanese and English', async () => {
    await server.signup(TENANT, PHONE);
    const token = await server.userToken(TENANT, OWNER, PASSWORD, PHONE);
    const project = (await (await api(token, 'POST', '/api/v1/projects', { name: '緑茶 新パッケージ' })).json()) as { id: string };
    await upload(token, project.id, '案A_無地.png', PLAIN);
    const logoId = await upload(token, project.id, '案B_ロゴ.png', LOGO);
    const pdfId = await upload(token, project.id, '仕様書.pdf', PDF);
    // The same area on both, so the table compares it by name.
    const files = (await (await api(token, 'GET', `/api/v1/projects/${project.id}/files`)).json()) as { items: { id: string }[] };
    for (const f of files.items.filter((f) => f.id !== pdfId)) expect((await api(token, 'PUT', `/api/v1/projects/${project.id}/files/${f.id}/evaluation/areas`, { areas: [LOGO_AREA] })).status).toBe(200);

    const { page, problems } = await newPage(browser);
    await signIn(page);
    // From the project page.
    await page.goto(`${server.url}/projects/${project.id}`);
    await page.getByRole('link', { name: ja.projects.evaluationLink }).click();
    await page.getByRole('heading', { level: 1, name: fill(ja.evaluation.title, { name: '緑茶 新パッケージ' }) }).waitFor();
    await page.getByText(ja.evaluation.explainNot).waitFor();

    // Polled every 2 s until both are done (status in words meanwhile).
    const cards = page.getByTestId('eval-card');
    await expect.poll(() => cards.count()).toBe(3);
    await expect.poll(() => page.locator('[data-testid="eval-card"][data-status="done"]').count(), { timeout: 30_000, interval: 250 }).toBe(2);
    // The PDF is not evaluated, said in words.
    const pdfCard = page.locator('[data-testid="eval-card"]', { hasText: '仕様書.pdf' });
    await expect(pdfCard.getAttribute('data-status')).resolves.toBe('skipped');
    await expect(pdfCard.getByTestId('eval-status').textContent()).resolves.toBe(fill(ja.evaluation.status.skipped, { reason: ja.evaluation.reason.unsupported_format }));
    await expect.poll(() => page.getByTestId('heatmap').count(), { timeout: 10_000 }).toBe(2);
    await expect(cards.nth(0).getByTestId('eval-status').textContent()).resolves.toBe(ja.evaluation.status.done);
    await expect.poll(() => page.getByTestId('area').count()).toBe(2);

    // Best values: the logo design (second column) leads the eye and its logo area draws attention.
    const table = page.getByTestId('metrics-table');
    const focusRow = table.locator('tr[data-metric="focus"]');
    await expect(focusRow.locator('td').nth(1).getAttribute('data-best')).resolves.toBe('true');
    await expect(focusRow.locator('td').nth(0).getAttribute('data-best')).resolves.toBeNull();
    await expect(focusRow.locator('td').nth(1).textContent()).resolves.toContain(ja.evaluation.best);
    const logoRow = table.locator('tr[data-metric="area:ロゴ"]');
    await expect(logoRow.locator('td').nth(1).getAttribute('data-best')).resolves.toBe('true');
    await expect(table.locator('tr[data-metric="edge_density"] th').textContent()).resolves.toContain(ja.evaluation.lowerBetter);
    await snap(page, 'evaluation-ja');

    // Heatmap off and on again, then faded.
    const logoCard = page.locator(`[data-testid="eval-card"]`, { hasText: '案B_ロゴ.png' });
    await logoCard.getByRole('checkbox', { name: ja.evaluation.showHeatmap }).uncheck();
    await expect.poll(() => logoCard.getByTestId('heatmap').count()).toBe(0);
    await expect(logoCard.getByRole('slider', { name: ja.evaluation.opacity }).isDisabled()).resolves.toBe(true);
    await logoCard.getByRole('checkbox', { name: ja.evaluation.showHeatmap }).check();
    await logoCard.getByRole('slider', { name: ja.evaluation.opacity }).fill('30');
    await expect.poll(() => logoCard.getByTestId('heatmap').evaluate((el) => getComputedStyle(el).opacity)).toBe('0.3');

    // Ordered by focus: the logo design first, in the cards and the table.
    await page.getByLabel(ja.evaluation.sortBy).selectOption('focus');
    await expect.poll(() => cards.nth(0).getAttribute('aria-labelledby').then((id) => page.locator(`[id="${id}"]`).textContent())).toBe('案B_ロゴ.png');
    await expect(table.locator('thead th').nth(1).textContent()).resolves.toBe('案B_ロゴ.png');

    // Areas editor: an unnamed area is refused by the server under its field.
    await logoCard.getByRole('button', { name: fill(ja.evaluation.editAreasOf, { name: '案B_ロゴ.png' }) }).click();
    const dialog = page.getByRole('dialog');
    await expect.poll(() => dialog.getByTestId('area-row').count()).toBe(1);
    await dialog.getByRole('button', { name: ja.evaluation.addArea }).click();
    await dialog.getByRole('button', { name: ja.common.save }).click();
    await dialog.getByText(ja.evaluation.areaError.too_short).waitFor();
    await dialog.getByTestId('areas-invalid').waitFor();
    await snap(page, 'evaluation-areas-422-ja');
    await dialog.getByLabel(fill(ja.evaluation.areaName, { n: 2 })).fill('価格');
    // A third drawn by dragging over the lower half of the design.
    const box = (await dialog.getByTestId('areas-stage').boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.2, box.y + box.height * 0.6);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.7, { steps: 4 });
    await page.mouse.move(box.x + box.width * 0.8, box.y + box.height * 0.8, { steps: 4 });
    await page.mouse.up();
    await expect.poll(() => dialog.getByTestId('area-row').count()).toBe(3);
    await dialog.getByLabel(fill(ja.evaluation.areaName, { n: 3 })).fill('商品名');
    await dialog.getByRole('button', { name: ja.common.save }).click();
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(() => logoCard.getByTestId('area').count()).toBe(3);
    await table.locator('tr[data-metric="area:価格"]').waitFor();
    const saved = (await (await api(token, 'GET', `/api/v1/projects/${project.id}/files/${logoId}/evaluation`)).json()) as {
      areas: { name: string; x: number; y: number; w: number; h: number }[];
    };
    expect(saved.areas.map((a) => a.name)).toEqual(['ロゴ', '価格', '商品名']);
    const drawn = saved.areas[2];
    expect(drawn.x).toBeCloseTo(0.2, 1);
    expect(drawn.y).toBeCloseTo(0.6, 1);
    expect(drawn.w).toBeCloseTo(0.6, 1);
    expect(drawn.h).toBeCloseTo(0.2, 1);

    // English.
    await page.getByLabel(ja.lang.label).selectOption('en');
    await page.getByRole('heading', { level: 1, name: fill(en.evaluation.title, { name: '緑茶 新パッケージ' }) }).waitFor();
    await page.getByText(en.evaluation.explain).waitFor();
    await expect(table.locator('tr[data-metric="focus"] td[data-best]').textContent()).resolves.toContain(en.evaluation.best);
    await snap(page, 'evaluation-en');

    // The printed report: no navigation, no controls.
    await page.emulateMedia({ media: 'print' });
    await expect(page.locator('.sidenav').isVisible()).resolves.toBe(false);
    await expect(logoCard.getByRole('checkbox', { name: en.evaluation.showHeatmap }).isVisible()).resolves.toBe(false);
    await expect(page.getByTestId('sorted-by').isVisible()).resolves.toBe(true);
    await snap(page, 'evaluation-print-en');
    await page.emulateMedia({ media: 'screen' });

    expect(problems).toEqual([]);
  });
});
