// The organisation slug's rules (openapi.yaml SignupIn.tenant_slug): 3–40 of
// a-z, 0-9 and '-', not starting or ending with '-'. Reserved words the server
// refuses are not all known here; it says so on submit.

export type SlugProblem = 'empty' | 'length' | 'characters' | 'edge' | null;

export function slugProblem(slug: string): SlugProblem {
  if (slug === '') return 'empty';
  if (!/^[a-z0-9-]*$/.test(slug)) return 'characters';
  if (slug.length < 3 || slug.length > 40) return 'length';
  if (slug.startsWith('-') || slug.endsWith('-')) return 'edge';
  return null;
}
