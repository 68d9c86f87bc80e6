import type { components } from './schema';

export type Problem = components['schemas']['Problem'];
export type ErrorCode = components['schemas']['ErrorCode'];
export type FieldError = components['schemas']['FieldError'];

/** A failed API call: the HTTP status, the problem document when the server
 * sent one, and the request id to quote to support. */
export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem | null;
  readonly requestId: string | null;
  readonly retryAfter: number | null;

  constructor(response: Response, problem: unknown) {
    const p = isProblem(problem) ? problem : null;
    super(p ? `${p.status} ${p.code}: ${p.detail}` : `HTTP ${response.status}`);
    this.name = 'ApiError';
    this.status = response.status;
    this.problem = p;
    this.requestId = response.headers.get('x-request-id') ?? requestIdOf(problem);
    const retry = Number(response.headers.get('retry-after'));
    this.retryAfter = response.headers.has('retry-after') && Number.isFinite(retry) ? retry : null;
  }

  get code(): ErrorCode | null {
    return this.problem?.code ?? null;
  }

  /** The 422 field errors for `field` (all of them without a field). */
  fieldErrors(field?: string): FieldError[] {
    const all = this.problem?.errors ?? [];
    return field ? all.filter((e) => e.field === field) : all;
  }
}

function isProblem(v: unknown): v is Problem {
  return typeof v === 'object' && v !== null && 'code' in v && 'status' in v && 'detail' in v;
}

function requestIdOf(v: unknown): string | null {
  if (typeof v !== 'object' || v === null) return null;
  const id = (v as Record<string, unknown>).request_id;
  return typeof id === 'string' ? id : null;
}

/** The server could not be reached (offline, DNS, connection refused). */
export class NetworkError extends Error {
  constructor(cause: unknown) {
    super('network error', { cause });
    this.name = 'NetworkError';
  }
}

/** Data of an openapi-fetch result, or a thrown ApiError. */
export function unwrap<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.error !== undefined || !result.response.ok) {
    throw new ApiError(result.response, result.error);
  }
  return result.data as T;
}
