import { describe, expect, it } from 'vitest';
import {
  EMPTY_ADMIN_FILTERS,
  adminFiltersFromParams,
  adminLogQuery,
  brokenReason,
  exportFileName,
  hasAdminFilters,
  paramsFromAdminFilters,
} from './accessLog';

const NOW = new Date('2026-12-05T10:00:00Z');

describe('exportFileName', () => {
  it('puts the filter in the name', () => {
    expect(
      exportFileName({ ...EMPTY_ADMIN_FILTERS, event: 'auth.', from: '2026-12-01T00:00:00Z', to: '2026-12-05T00:00:00Z' }, 'csv'),
    ).toBe('access-log_auth._2026-12-01_2026-12-05.csv');
  });
  it('names the user, status and address', () => {
    expect(
      exportFileName(
        { ...EMPTY_ADMIN_FILTERS, user_id: '0190a3c4-1111-7222-8333-444455556666', status: '403', ip: '::1' },
        'jsonl',
        NOW,
      ),
    ).toBe('access-log_2026-12-05_user-0190a3c4_status-403_ip-__1.jsonl');
  });
  it('ends with the export day when the filter has no end', () => {
    expect(exportFileName(EMPTY_ADMIN_FILTERS, 'jsonl', NOW)).toBe('access-log_2026-12-05.jsonl');
    expect(exportFileName({ ...EMPTY_ADMIN_FILTERS, event: 'auth.' }, 'csv', NOW)).toBe('access-log_auth._2026-12-05.csv');
  });
});

describe('admin filters in the URL', () => {
  it('round-trips and drops malformed values', () => {
    const f = adminFiltersFromParams(
      new URLSearchParams('event=auth.&status=403&ip=10.0.0.1&user_id=0190A3C4-1111-7222-8333-444455556666&page=2'),
    );
    expect(f).toEqual({
      ...EMPTY_ADMIN_FILTERS,
      event: 'auth.',
      status: '403',
      ip: '10.0.0.1',
      user_id: '0190a3c4-1111-7222-8333-444455556666',
    });
    expect(paramsFromAdminFilters(f, new URLSearchParams('page=2')).toString()).toBe(
      'page=2&event=auth.&user_id=0190a3c4-1111-7222-8333-444455556666&status=403&ip=10.0.0.1',
    );
    expect(adminFiltersFromParams(new URLSearchParams('status=99&ip=a b&user_id=me'))).toEqual(EMPTY_ADMIN_FILTERS);
  });
  it('sends only what is set, status as a number', () => {
    expect(adminLogQuery({ ...EMPTY_ADMIN_FILTERS, status: '500' })).toEqual({ status: 500 });
    expect(hasAdminFilters(EMPTY_ADMIN_FILTERS)).toBe(false);
    expect(hasAdminFilters({ ...EMPTY_ADMIN_FILTERS, ip: '::1' })).toBe(true);
  });
});

describe('brokenReason', () => {
  it("names the API's reasons", () => {
    expect(brokenReason('the entry was altered: its content no longer matches its hash')).toBe('altered');
    expect(brokenReason('entries 4 to 6 are missing (deleted)')).toBe('deleted');
    expect(brokenReason('entries after seq 9 are missing (truncated): the head is at seq 12')).toBe('truncated');
    expect(brokenReason('the checkpoint at seq 3 has an invalid signature')).toBe('signature');
    expect(brokenReason('something new')).toBeNull();
    expect(brokenReason(null)).toBeNull();
  });
});
