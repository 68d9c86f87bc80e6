import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import en from './en.json';
import ja from './ja.json';

function keys(obj: unknown, prefix = ''): string[] {
  if (typeof obj !== 'object' || obj === null) return [prefix];
  return Object.entries(obj).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k));
}

function placeholders(obj: unknown, prefix = ''): Record<string, string[]> {
  if (typeof obj === 'string') return { [prefix]: [...obj.matchAll(/{{(\w+)}}/g)].map((m) => m[1]).sort() };
  if (typeof obj !== 'object' || obj === null) return {};
  return Object.assign({}, ...Object.entries(obj).map(([k, v]) => placeholders(v, prefix ? `${prefix}.${k}` : k)));
}

describe('catalogues', () => {
  it('have the same keys in Japanese and English', () => {
    expect(keys(en).sort()).toEqual(keys(ja).sort());
  });

  it('use the same placeholders in both languages', () => {
    expect(placeholders(en)).toEqual(placeholders(ja));
  });

  it('have no empty message', () => {
    for (const [key, value] of Object.entries(placeholders(ja))) expect(key && value).toBeTruthy();
    const empty = (o: unknown): boolean => (typeof o === 'string' ? o.trim() === '' : Object.values(o as object).some(empty));
    expect(empty(ja)).toBe(false);
    expect(empty(en)).toBe(false);
  });

  it('have a message for every problem code in openapi.yaml', () => {
    const spec = readFileSync(join(__dirname, '../../../openapi.yaml'), 'utf8');
    const block = spec.match(/\n {4}ErrorCode:\n[\s\S]*?\n {6}enum:\n((?: {6}- \w+\n)+)/);
    expect(block).not.toBeNull();
    const codes = [...block![1].matchAll(/- (\w+)/g)].map((m) => m[1]);
    expect(codes.length).toBeGreaterThan(20);
    const missing = codes.filter((c) => !(c in ja.problem) || !(c in en.problem));
    expect(missing).toEqual([]);
  });
});
