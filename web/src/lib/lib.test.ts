import { describe, expect, it } from 'vitest';
import { visibleNav, type NavItem } from '../nav';
import { safeNext, signInPath } from './next';
import { slugProblem } from './slug';

describe('slug check', () => {
  it('follows the server pattern', () => {
    expect(slugProblem('acme-foods')).toBeNull();
    expect(slugProblem('ab')).toBe('length');
    expect(slugProblem('a'.repeat(41))).toBe('length');
    expect(slugProblem('Acme')).toBe('characters');
    expect(slugProblem('アクメ')).toBe('characters');
    expect(slugProblem('-acme')).toBe('edge');
    expect(slugProblem('acme-')).toBe('edge');
    expect(slugProblem('')).toBe('empty');
  });
});

describe('next', () => {
  it('stays on this site', () => {
    expect(safeNext('/me?tab=log')).toBe('/me?tab=log');
    expect(safeNext('//evil.example/x')).toBe('/');
    expect(safeNext('https://evil.example')).toBe('/');
    expect(safeNext('/\\evil.example')).toBe('/');
    expect(safeNext('/sign-in?next=/me')).toBe('/');
    expect(safeNext(null)).toBe('/');
    expect(signInPath('/me')).toBe('/sign-in?next=%2Fme');
    expect(signInPath('/')).toBe('/sign-in');
  });
});

describe('navigation', () => {
  it('shows an item only with its permission', () => {
    const items: NavItem[] = [
      { to: '/notices', label: 'nav.notices' },
      { to: '/users', label: 'nav.me', permission: 'users.manage' },
    ];
    expect(visibleNav([], items).map((i) => i.to)).toEqual(['/notices']);
    expect(visibleNav(['users.manage'], items).map((i) => i.to)).toEqual(['/notices', '/users']);
  });
});
