import type { components } from './schema';

export type Readiness = components['schemas']['Readiness'];
export type Problem = components['schemas']['Problem'];

/** An API error carrying its RFC 9457 problem document. */
export class ApiError extends Error {
  constructor(public readonly problem: Problem) {
    super(`${problem.title}: ${problem.detail}`);
  }
}

/** Parses a response: JSON on success, a thrown ApiError on a problem. */
export async function parse<T>(res: Response): Promise<T> {
  const type = res.headers.get('content-type') ?? '';
  if (!res.ok && type.startsWith('application/problem+json')) {
    throw new ApiError((await res.json()) as Problem);
  }
  if (!res.ok && res.status !== 503) {
    throw new Error(`HTTP ${res.status}`);
  }
  return (await res.json()) as T;
}

export async function getReadiness(fetcher: typeof fetch = fetch): Promise<Readiness> {
  return parse<Readiness>(await fetcher('/health/ready'));
}
