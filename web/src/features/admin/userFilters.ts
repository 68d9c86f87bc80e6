// The users list's filters live in the URL (?q=…&status=…) so a filtered view
// can be bookmarked and shared.
import type { paths } from '../../api/schema';

export type UsersListQuery = NonNullable<paths['/api/v1/users']['get']['parameters']['query']>;
type Status = NonNullable<UsersListQuery['status']>;

export interface UserFilters {
  q: string;
  status: Status | null;
}

const STATUSES: readonly Status[] = ['active', 'disabled'];

export function parseUserFilters(params: URLSearchParams): UserFilters {
  const status = params.get('status');
  return { q: params.get('q') ?? '', status: STATUSES.includes(status as Status) ? (status as Status) : null };
}

/** Only what is set, in a stable order. */
export function userFiltersToParams(f: UserFilters): URLSearchParams {
  const p = new URLSearchParams();
  if (f.q.trim()) p.set('q', f.q.trim());
  if (f.status) p.set('status', f.status);
  return p;
}

/** The API query for one page. */
export function toUsersQuery(f: UserFilters, cursor?: string | null): UsersListQuery {
  const q: UsersListQuery = { limit: 50 };
  if (f.q.trim()) q.q = f.q.trim();
  if (f.status) q.status = f.status;
  if (cursor) q.cursor = cursor;
  return q;
}

export function isUserFiltered(f: UserFilters): boolean {
  return f.q.trim() !== '' || f.status !== null;
}
