import { describe, expect, it } from 'vitest';
import { ApiError, parse } from './client';

const problem = {
  type: 'urn:crepo:problem:tenant_slug_taken',
  title: 'Conflict',
  status: 409,
  detail: 'this tenant slug is already taken',
  code: 'tenant_slug_taken',
};

describe('parse', () => {
  it('turns a problem document into an ApiError carrying its code', async () => {
    const res = new Response(JSON.stringify(problem), {
      status: 409,
      headers: { 'content-type': 'application/problem+json' },
    });
    const err = await parse(res).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).problem.code).toBe('tenant_slug_taken');
  });

  it('returns the body of a successful response', async () => {
    const res = new Response(JSON.stringify({ status: 'ready' }), {
      status: 200,
      headers: { 'content-type': 'application/json' },
    });
    await expect(parse(res)).resolves.toEqual({ status: 'ready' });
  });
});
