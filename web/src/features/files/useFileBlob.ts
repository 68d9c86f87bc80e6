// A file's bytes as an object URL, fetched with the Authorization header (the
// token never goes into a URL). The URL is revoked when the component using it
// goes away or asks for another file.
import { useEffect, useState } from 'react';
import { ApiError, unwrap } from '../../api/errors';
import { api } from '../../auth';
import { saveBlob } from '../../lib/download';

export async function fetchFileBlob(projectId: string, fileId: string, signal?: AbortSignal): Promise<Blob> {
  return unwrap(
    await api.GET('/api/v1/projects/{id}/files/{file_id}/content', {
      params: { path: { id: projectId, file_id: fileId } },
      parseAs: 'blob',
      signal,
    }),
  );
}

/** Originals up to this size stand in for a thumbnail the server has not made (yet). */
export const ORIGINAL_AS_THUMB_MAX = 8 * 1024 * 1024;

/** The server's small PNG preview; while it has none (being made, SVG, too
 * large to decode) the original when it is small enough, else an error. */
export async function fetchThumbBlob(projectId: string, fileId: string, size: number, signal?: AbortSignal): Promise<Blob> {
  const result = await api.GET('/api/v1/projects/{id}/files/{file_id}/thumbnail', {
    params: { path: { id: projectId, file_id: fileId } },
    parseAs: 'blob',
    signal,
  });
  if (result.response.status === 404 && size <= ORIGINAL_AS_THUMB_MAX) return fetchFileBlob(projectId, fileId, signal);
  if (result.response.status === 404) throw new ApiError(result.response, null);
  return unwrap(result);
}

export function useFileBlobUrl(
  projectId: string,
  fileId: string | null,
  thumbOfSize?: number,
): { url: string | null; error: unknown } {
  const [state, setState] = useState<{ key: string | null; url: string | null; error: unknown }>({ key: null, url: null, error: null });
  useEffect(() => {
    if (!fileId) return;
    const ctl = new AbortController();
    let url: string | null = null;
    const blob = thumbOfSize === undefined ? fetchFileBlob(projectId, fileId, ctl.signal) : fetchThumbBlob(projectId, fileId, thumbOfSize, ctl.signal);
    blob.then(
      (blob) => {
        url = URL.createObjectURL(blob);
        setState({ key: fileId, url, error: null });
      },
      (error: unknown) => {
        if (!ctl.signal.aborted) setState({ key: fileId, url: null, error });
      },
    );
    return () => {
      ctl.abort();
      if (url) URL.revokeObjectURL(url);
    };
  }, [projectId, fileId, thumbOfSize]);
  return state.key === fileId ? { url: state.url, error: state.error } : { url: null, error: null };
}

/** Saves the file under its own (Japanese) name. */
export async function downloadFile(projectId: string, fileId: string, filename: string): Promise<void> {
  saveBlob(await fetchFileBlob(projectId, fileId), filename);
}
