import { describe, expect, it } from 'vitest';
import { filtersToParams, isFiltered, parseFilters, toQuery } from './filters';

describe('projects filters in the URL', () => {
  it('round-trips labels, search, status and sort', () => {
    const f = parseFilters(new URLSearchParams('label=4901234567894&label=GT-1&q=緑茶&status=archived&sort=name'));
    expect(f).toEqual({ labels: ['4901234567894', 'GT-1'], q: '緑茶', status: 'archived', sort: 'name' });
    expect(parseFilters(filtersToParams(f))).toEqual(f);
    expect(toQuery(f, 'abc')).toEqual({ label: ['4901234567894', 'GT-1'], q: '緑茶', status: 'archived', sort: 'name', limit: 30, cursor: 'abc' });
  });

  it('drops unknown values and defaults', () => {
    const f = parseFilters(new URLSearchParams('status=gone&sort=size&label=&label=A&label=A'));
    expect(f).toEqual({ labels: ['A'], q: '', status: null, sort: 'updated' });
    expect(filtersToParams({ ...f, labels: [] }).toString()).toBe('');
    expect(isFiltered({ ...f, labels: [] })).toBe(false);
    expect(isFiltered(f)).toBe(true);
  });
});
