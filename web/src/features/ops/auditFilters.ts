// The platform audit's filters as URL search params (`actor_id`, `action`,
// `from`, `to`: times RFC 3339 in UTC, shown in the operator's zone), the API
// query they make, and the export's download.
import { unwrap } from '../../api/errors';
import { opsApi } from '../../auth';
import { saveBlob } from '../../lib/download';
import { filtersFromParams } from '../me/logFilters';

export interface AuditFilters {
  actorId: string;
  action: string;
  /** RFC 3339 (UTC), inclusive; '' for none. */
  from: string;
  /** RFC 3339 (UTC), exclusive; '' for none. */
  to: string;
}

export type AuditExportFormat = 'csv' | 'jsonl';

/** The URL's filters; a malformed time is ignored, not sent. */
export function auditFiltersFromParams(params: URLSearchParams): AuditFilters {
  const { from, to } = filtersFromParams(params);
  return { actorId: (params.get('actor_id') ?? '').trim(), action: (params.get('action') ?? '').trim(), from, to };
}

export function paramsFromAuditFilters(f: AuditFilters): URLSearchParams {
  const next = new URLSearchParams();
  const pairs: [string, string][] = [
    ['actor_id', f.actorId],
    ['action', f.action],
    ['from', f.from],
    ['to', f.to],
  ];
  for (const [key, value] of pairs) if (value.trim()) next.set(key, value.trim());
  return next;
}

/** The query for GET /ops/audit and its export: only the filters that are set. */
export function auditQueryParams(f: AuditFilters): { actor_id?: string; action?: string; from?: string; to?: string } {
  return {
    ...(f.actorId ? { actor_id: f.actorId } : {}),
    ...(f.action ? { action: f.action } : {}),
    ...(f.from ? { from: f.from } : {}),
    ...(f.to ? { to: f.to } : {}),
  };
}

/** "20261201T0900Z": an instant in UTC for a file name. */
function stamp(iso: string): string {
  return iso.slice(0, 16).replace(/[-:]/g, '') + 'Z';
}

/** "crepo-platform-audit-20261201T0000Z-20261207T1530Z.csv": the range in UTC,
 * "start" when it has none, the end being the export's time when open. */
export function auditExportName(f: AuditFilters, format: AuditExportFormat, now: Date = new Date()): string {
  return `crepo-platform-audit-${f.from ? stamp(f.from) : 'start'}-${stamp(f.to || now.toISOString())}.${format}`;
}

/** Fetched with the operator's token (never in a URL), saved under its name. */
export async function downloadAudit(f: AuditFilters, format: AuditExportFormat): Promise<void> {
  const blob = unwrap(
    await opsApi.GET('/api/v1/ops/audit/export', { params: { query: { ...auditQueryParams(f), format } }, parseAs: 'blob' }),
  );
  saveBlob(blob, auditExportName(f, format));
}
