// The project's evaluations (polled every 2 s while any design is pending or
// running) and a heatmap as an object URL fetched with the Authorization header.
import { queryOptions } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { unwrap } from '../../api/errors';
import type { components } from '../../api/schema';
import { api } from '../../auth';
import { inProgress, type EvaluationItem } from './compare';

export const ekeys = {
  list: (projectId: string) => ['projects', 'evaluations', projectId] as const,
};

export const POLL_MS = 2000;

/** Every design of the project with its evaluation (pages of 200 followed to the end). */
export const evaluationsQuery = (projectId: string) =>
  queryOptions({
    queryKey: ekeys.list(projectId),
    staleTime: 0,
    queryFn: async ({ signal }) => {
      const all: EvaluationItem[] = [];
      let cursor: string | null = null;
      do {
        const page: components['schemas']['Page_EvaluationItem'] = unwrap(
          await api.GET('/api/v1/projects/{id}/evaluations', { params: { path: { id: projectId }, query: { limit: 200, ...(cursor ? { cursor } : {}) } }, signal }),
        );
        all.push(...page.items);
        cursor = page.next_cursor ?? null;
      } while (cursor);
      return all;
    },
    refetchInterval: (query) => (query.state.data?.some(inProgress) ? POLL_MS : false),
  });

/** The heatmap over the design as an object URL; `version` (the evaluation's
 * finish time) fetches it again after a re-run. Revoked when no longer shown. */
export function useHeatmapUrl(projectId: string, fileId: string, version: string | null): { url: string | null; error: unknown } {
  const [state, setState] = useState<{ key: string | null; url: string | null; error: unknown }>({ key: null, url: null, error: null });
  const key = version ? `${fileId}@${version}` : null;
  useEffect(() => {
    if (!key) return;
    const ctl = new AbortController();
    let url: string | null = null;
    api
      .GET('/api/v1/projects/{id}/files/{file_id}/evaluation/heatmap', { params: { path: { id: projectId, file_id: fileId } }, parseAs: 'blob', signal: ctl.signal })
      .then((r) => unwrap(r))
      .then(
        (blob) => {
          url = URL.createObjectURL(blob as Blob);
          setState({ key, url, error: null });
        },
        (error: unknown) => {
          if (!ctl.signal.aborted) setState({ key, url: null, error });
        },
      );
    return () => {
      ctl.abort();
      if (url) URL.revokeObjectURL(url);
    };
  }, [projectId, fileId, key]);
  return state.key === key ? { url: state.url, error: state.error } : { url: null, error: null };
}
