/** A `next` target that stays on this site: a path, never `//host` or a URL. */
export function safeNext(next: string | null | undefined, fallback = '/'): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return fallback;
  if (next.startsWith('/sign-in') || next.startsWith('/sign-up') || next.startsWith('/change-password')) return fallback;
  return next;
}

/** `/sign-in?next=<path>` for the page the user was on. */
export function signInPath(current: string): string {
  const next = safeNext(current, '');
  return next && next !== '/' ? `/sign-in?next=${encodeURIComponent(next)}` : '/sign-in';
}
