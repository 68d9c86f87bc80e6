// The projects list's filters live in the URL (?label=…&label=…&q=…&status=…&sort=…)
// so a filtered view can be bookmarked and shared.
import type { paths } from '../../api/schema';

export type ListQuery = NonNullable<paths['/api/v1/projects']['get']['parameters']['query']>;
export type Status = NonNullable<ListQuery['status']>;
export type Sort = NonNullable<ListQuery['sort']>;

export interface Filters {
  labels: string[];
  q: string;
  status: Status | null;
  sort: Sort;
}

const STATUSES: readonly Status[] = ['active', 'archived'];
const SORTS: readonly Sort[] = ['updated', 'name'];

export function parseFilters(params: URLSearchParams): Filters {
  const labels = [...new Set(params.getAll('label').filter((l) => l !== ''))];
  const status = params.get('status');
  const sort = params.get('sort');
  return {
    labels,
    q: params.get('q') ?? '',
    status: STATUSES.includes(status as Status) ? (status as Status) : null,
    sort: SORTS.includes(sort as Sort) ? (sort as Sort) : 'updated',
  };
}

/** Only what differs from the defaults, in a stable order. */
export function filtersToParams(f: Filters): URLSearchParams {
  const p = new URLSearchParams();
  for (const l of f.labels) p.append('label', l);
  if (f.q.trim()) p.set('q', f.q.trim());
  if (f.status) p.set('status', f.status);
  if (f.sort !== 'updated') p.set('sort', f.sort);
  return p;
}

/** The API query for one page. */
export function toQuery(f: Filters, cursor?: string | null): ListQuery {
  const q: ListQuery = { sort: f.sort, limit: 30 };
  if (f.labels.length) q.label = f.labels;
  if (f.q.trim()) q.q = f.q.trim();
  if (f.status) q.status = f.status;
  if (cursor) q.cursor = cursor;
  return q;
}

export function isFiltered(f: Filters): boolean {
  return f.labels.length > 0 || f.q.trim() !== '' || f.status !== null;
}
