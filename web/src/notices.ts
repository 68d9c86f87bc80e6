import type { Notice } from './api/client';

const KINDS: Record<Notice['kind'], string> = {
  maintenance: 'メンテナンス / Maintenance',
  vulnerability: '脆弱性 / Vulnerability',
  incident: '障害 / Incident',
  release: 'リリース / Release',
};

const STATUSES: Record<Notice['status'], string> = {
  scheduled: '予定 / Scheduled',
  in_progress: '実施中 / In progress',
  completed: '完了 / Completed',
  cancelled: '中止 / Cancelled',
  investigating: '調査中 / Investigating',
  identified: '原因特定 / Identified',
  monitoring: '経過観察 / Monitoring',
  resolved: '解決 / Resolved',
  published: '公開 / Published',
};

export const kindLabel = (n: Notice): string => KINDS[n.kind];
export const statusLabel = (n: Notice): string => STATUSES[n.status];

/** A time as Japanese customers read it: Tokyo time, to the minute. */
export function tokyoTime(iso: string): string {
  const parts = new Intl.DateTimeFormat('ja-JP', {
    timeZone: 'Asia/Tokyo',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(iso));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')} JST`;
}

/** The maintenance window, or null for other kinds. */
export function windowText(n: Notice): string | null {
  if (!n.starts_at || !n.ends_at) return null;
  return `${tokyoTime(n.starts_at)} 〜 ${tokyoTime(n.ends_at)}`;
}

/** Unread first (newest first within each group), as the API orders by time. */
export function unreadFirst(items: Notice[]): Notice[] {
  return [...items.filter((n) => !n.read), ...items.filter((n) => n.read)];
}
