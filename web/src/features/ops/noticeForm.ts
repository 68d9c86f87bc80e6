// The operator's notice form as pure data: the one-week rule for maintenance
// and for a release that names when its change takes effect (the earliest
// instant allowed without an emergency), the checks made before submitting,
// and the request bodies.
import type { components } from '../../api/schema';

export type NoticeKind = components['schemas']['NoticeKind'];
export type Severity = components['schemas']['Severity'];
export type NoticeIn = components['schemas']['NoticeIn'];
export type NoticePatch = components['schemas']['NoticePatch'];

export const NOTICE_KINDS: NoticeKind[] = ['maintenance', 'incident', 'vulnerability', 'release'];
export const SEVERITIES: Severity[] = ['info', 'warning', 'critical'];
export const NOTICE_PERIOD_MS = 7 * 24 * 3600 * 1000;

export interface NoticeForm {
  kind: NoticeKind;
  severity: Severity;
  titleJa: string;
  titleEn: string;
  bodyJa: string;
  bodyEn: string;
  /** `datetime-local` values, in the browser's zone. A release's `startsAt`
   * is when its change takes effect (optional; no end). */
  startsAt: string;
  endsAt: string;
  emergency: boolean;
  reason: string;
  audience: 'all' | 'chosen';
  tenantIds: string[];
}

export const emptyForm: NoticeForm = {
  kind: 'maintenance',
  severity: 'warning',
  titleJa: '',
  titleEn: '',
  bodyJa: '',
  bodyEn: '',
  startsAt: '',
  endsAt: '',
  emergency: false,
  reason: '',
  audience: 'all',
  tenantIds: [],
};

/** The earliest planned start: a week from now, rounded up to the minute. */
export function earliestStart(now: number): Date {
  const t = now + NOTICE_PERIOD_MS;
  return new Date(Math.ceil(t / 60_000) * 60_000);
}

/** A `datetime-local` value (local zone) for an instant. */
export function toLocalInput(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** A `datetime-local` value as RFC 3339 (UTC), or null when empty or invalid. */
export function fromLocalInput(value: string): string | null {
  if (!value) return null;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

export type FormField = 'titleJa' | 'bodyJa' | 'startsAt' | 'endsAt' | 'reason' | 'tenants';
/** Catalogue keys under `opsNotices.issue`. */
export type FormIssue = 'required' | 'tooSoon' | 'changeTooSoon' | 'endBeforeStart' | 'reasonRequired' | 'tenantsRequired';

/** Whether the kind has a start: maintenance (required), release (optional). */
export function hasStart(kind: NoticeKind): boolean {
  return kind === 'maintenance' || kind === 'release';
}

/**
 * What stops the form before it is sent. `movedStart` is false when editing
 * and the start did not change (the week's notice is not asked again).
 */
export function validateNotice(f: NoticeForm, now: number, movedStart = true): Partial<Record<FormField, FormIssue>> {
  const issues: Partial<Record<FormField, FormIssue>> = {};
  if (!f.titleJa.trim()) issues.titleJa = 'required';
  if (!f.bodyJa.trim()) issues.bodyJa = 'required';
  const start = hasStart(f.kind) ? fromLocalInput(f.startsAt) : null;
  if (f.kind === 'maintenance') {
    const end = fromLocalInput(f.endsAt);
    if (!start) issues.startsAt = 'required';
    if (!end) issues.endsAt = 'required';
    if (start && end && Date.parse(end) <= Date.parse(start)) issues.endsAt = 'endBeforeStart';
  }
  // The week's notice, for maintenance and for a release with a date.
  if (start) {
    if (f.emergency) {
      if (!f.reason.trim()) issues.reason = 'reasonRequired';
    } else if (movedStart && Date.parse(start) < now + NOTICE_PERIOD_MS) {
      issues.startsAt = f.kind === 'release' ? 'changeTooSoon' : 'tooSoon';
    }
  }
  if (f.audience === 'chosen' && f.tenantIds.length === 0) issues.tenants = 'tenantsRequired';
  return issues;
}

const optional = (s: string) => (s.trim() ? s.trim() : null);

function texts(f: NoticeForm) {
  return {
    title: { ja: f.titleJa.trim(), en: optional(f.titleEn) },
    body: { ja: f.bodyJa.trim(), en: optional(f.bodyEn) },
  };
}

function window(f: NoticeForm) {
  const starts = hasStart(f.kind) ? fromLocalInput(f.startsAt) : null;
  // Only what has a start can skip the week's notice.
  const emergency = f.emergency && (f.kind === 'maintenance' || starts !== null);
  return {
    starts_at: starts,
    ends_at: f.kind === 'maintenance' ? fromLocalInput(f.endsAt) : null,
    emergency,
    emergency_reason: emergency ? f.reason.trim() : null,
  };
}

export function toNoticeIn(f: NoticeForm): NoticeIn {
  return {
    kind: f.kind,
    severity: f.severity,
    ...texts(f),
    ...window(f),
    audience: f.audience === 'chosen' ? { tenant_ids: f.tenantIds } : null,
  };
}

/** The change; the window (or a release's date) only when it moved (moving it
 * asks for the week's notice again). */
export function toNoticePatch(f: NoticeForm, original: NoticeForm): NoticePatch {
  const w = window(f);
  const moved = f.startsAt !== original.startsAt || f.endsAt !== original.endsAt;
  const timed = hasStart(f.kind);
  return {
    severity: f.severity,
    ...texts(f),
    ...(f.kind === 'maintenance' && moved ? { starts_at: w.starts_at, ends_at: w.ends_at } : {}),
    // A release's date can be set or moved (not removed: null means "unchanged").
    ...(f.kind === 'release' && moved && w.starts_at ? { starts_at: w.starts_at } : {}),
    ...(timed ? { emergency: w.emergency, emergency_reason: w.emergency_reason } : {}),
  };
}

export interface NoticeLike {
  kind: NoticeKind;
  severity: Severity;
  title: { ja: string; en?: string | null };
  body: { ja: string; en?: string | null };
  starts_at?: string | null;
  ends_at?: string | null;
  emergency: boolean;
  emergency_reason?: string | null;
  tenant_ids?: string[] | null;
}

/** The form filled from a published notice, for editing. */
export function formFromNotice(n: NoticeLike): NoticeForm {
  return {
    kind: n.kind,
    severity: n.severity,
    titleJa: n.title.ja,
    titleEn: n.title.en ?? '',
    bodyJa: n.body.ja,
    bodyEn: n.body.en ?? '',
    startsAt: toLocalInput(n.starts_at),
    endsAt: toLocalInput(n.ends_at),
    emergency: n.emergency,
    reason: n.emergency_reason ?? '',
    audience: n.tenant_ids && n.tenant_ids.length ? 'chosen' : 'all',
    tenantIds: n.tenant_ids ?? [],
  };
}
