import { describe, expect, it } from 'vitest';
import { earliestStart, emptyForm, formFromNotice, fromLocalInput, toLocalInput, toNoticeIn, toNoticePatch, validateNotice, type NoticeForm } from './noticeForm';

const NOW = Date.parse('2026-12-05T10:30:20Z');
const DAY = 86_400_000;
const local = (ms: number) => toLocalInput(new Date(ms).toISOString());

function maintenance(startMs: number, patch: Partial<NoticeForm> = {}): NoticeForm {
  return { ...emptyForm, titleJa: '定期メンテナンス', bodyJa: '停止します。', startsAt: local(startMs), endsAt: local(startMs + 2 * 3600_000), ...patch };
}

describe('earliestStart', () => {
  it('is a week from now, rounded up to the minute', () => {
    expect(earliestStart(NOW).toISOString()).toBe('2026-12-12T10:31:00.000Z');
    expect(earliestStart(Date.parse('2026-12-05T10:30:00Z')).toISOString()).toBe('2026-12-12T10:30:00.000Z');
  });
});

describe('local inputs', () => {
  it('round-trip to the minute', () => {
    const iso = '2026-12-20T01:00:00.000Z';
    expect(fromLocalInput(toLocalInput(iso))).toBe(iso);
    expect(fromLocalInput('')).toBeNull();
    expect(toLocalInput(null)).toBe('');
  });
});

describe('validateNotice', () => {
  it('accepts a maintenance a week ahead', () => {
    expect(validateNotice(maintenance(NOW + 8 * DAY), NOW)).toEqual({});
  });
  it('refuses a start sooner than a week unless an emergency with a reason', () => {
    expect(validateNotice(maintenance(NOW + 2 * DAY), NOW)).toEqual({ startsAt: 'tooSoon' });
    expect(validateNotice(maintenance(NOW + 2 * DAY, { emergency: true }), NOW)).toEqual({ reason: 'reasonRequired' });
    expect(validateNotice(maintenance(NOW + 2 * DAY, { emergency: true, reason: '脆弱性の修正' }), NOW)).toEqual({});
  });
  it('does not ask for the week again when an edit keeps the start', () => {
    expect(validateNotice(maintenance(NOW + 2 * DAY), NOW, false)).toEqual({});
  });
  it('needs the Japanese texts, the window, an end after the start and chosen tenants', () => {
    expect(validateNotice({ ...emptyForm, audience: 'chosen' }, NOW)).toEqual({
      titleJa: 'required',
      bodyJa: 'required',
      startsAt: 'required',
      endsAt: 'required',
      tenants: 'tenantsRequired',
    });
    expect(validateNotice(maintenance(NOW + 8 * DAY, { endsAt: local(NOW + 8 * DAY - 60_000) }), NOW)).toEqual({ endsAt: 'endBeforeStart' });
  });
  it('asks no window of an incident', () => {
    expect(validateNotice({ ...emptyForm, kind: 'incident', titleJa: 'a', bodyJa: 'b' }, NOW)).toEqual({});
  });
});

describe('request bodies', () => {
  it('sends the window and the audience only when they apply', () => {
    const f = maintenance(NOW + 2 * DAY, { emergency: true, reason: ' 緊急 ', titleEn: ' ', audience: 'chosen', tenantIds: ['t1'] });
    const body = toNoticeIn(f);
    expect(body.title).toEqual({ ja: '定期メンテナンス', en: null });
    expect(body.emergency_reason).toBe('緊急');
    expect(body.audience).toEqual({ tenant_ids: ['t1'] });
    expect(body.starts_at).toBe(new Date(Date.parse(fromLocalInput(f.startsAt)!)).toISOString());
    const incident = toNoticeIn({ ...f, kind: 'incident' });
    expect([incident.starts_at, incident.ends_at, incident.emergency, incident.emergency_reason]).toEqual([null, null, false, null]);
  });
  it('patches the window only when it moved', () => {
    const f = maintenance(NOW + 8 * DAY);
    expect(toNoticePatch({ ...f, titleJa: '変更' }, f)).not.toHaveProperty('starts_at');
    expect(toNoticePatch({ ...f, startsAt: local(NOW + 9 * DAY) }, f)).toHaveProperty('starts_at');
  });
  it('fills the form from a notice', () => {
    const f = formFromNotice({ kind: 'release', severity: 'info', title: { ja: 'x' }, body: { ja: 'y', en: 'z' }, emergency: false, tenant_ids: ['a'] });
    expect(f).toMatchObject({ titleEn: '', bodyEn: 'z', audience: 'chosen', tenantIds: ['a'], startsAt: '' });
  });
});

describe('a release with the date its change takes effect', () => {
  const release = (patch: Partial<NoticeForm> = {}): NoticeForm => ({ ...emptyForm, kind: 'release', severity: 'info', titleJa: '仕様変更', bodyJa: '変わります。', ...patch });

  it('needs no date, and then no week and no emergency', () => {
    expect(validateNotice(release(), NOW)).toEqual({});
    const body = toNoticeIn(release({ emergency: true, reason: '理由' }));
    expect([body.starts_at, body.ends_at, body.emergency, body.emergency_reason]).toEqual([null, null, false, null]);
  });
  it('is announced a week ahead of its date, at the same edge as maintenance', () => {
    expect(validateNotice(release({ startsAt: local(NOW + 8 * DAY) }), NOW)).toEqual({});
    expect(validateNotice(release({ startsAt: local(earliestStart(NOW).getTime()) }), NOW)).toEqual({});
    expect(validateNotice(release({ startsAt: local(NOW + 6 * DAY) }), NOW)).toEqual({ startsAt: 'changeTooSoon' });
  });
  it('takes an earlier date as an emergency with a reason', () => {
    expect(validateNotice(release({ startsAt: local(NOW + DAY), emergency: true }), NOW)).toEqual({ reason: 'reasonRequired' });
    expect(validateNotice(release({ startsAt: local(NOW + DAY), emergency: true, reason: ' 脆弱性の修正 ' }), NOW)).toEqual({});
  });
  it('does not ask for the week again when an edit keeps the date', () => {
    expect(validateNotice(release({ startsAt: local(NOW + DAY) }), NOW, false)).toEqual({});
  });
  it('sends the date without an end, and the emergency with its reason', () => {
    const f = release({ startsAt: local(NOW + DAY), endsAt: local(NOW + 2 * DAY), emergency: true, reason: ' 脆弱性の修正 ' });
    const body = toNoticeIn(f);
    expect(body.starts_at).toBe(fromLocalInput(f.startsAt));
    expect(body.ends_at).toBeNull();
    expect([body.emergency, body.emergency_reason]).toEqual([true, '脆弱性の修正']);
  });
  it('patches the date only when it moved, and never clears it', () => {
    const f = release({ startsAt: local(NOW + 8 * DAY) });
    expect(toNoticePatch({ ...f, titleJa: '変更' }, f)).not.toHaveProperty('starts_at');
    const moved = toNoticePatch({ ...f, startsAt: local(NOW + 9 * DAY) }, f);
    expect(moved.starts_at).toBe(fromLocalInput(local(NOW + 9 * DAY)));
    expect(moved).not.toHaveProperty('ends_at');
    expect(toNoticePatch({ ...f, startsAt: '' }, f)).not.toHaveProperty('starts_at');
  });
});
