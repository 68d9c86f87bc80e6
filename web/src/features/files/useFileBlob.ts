// A file's bytes as an object URL, fetched with the Authorization header (the
// token never goes into a URL). The URL is revoked when the component using it
// goes away or asks for another file.
import { useEffect, useState } from 'react';
import { unwrap } from '../../api/errors';
import { api } from '../../auth';

export async function fetchFileBlob(projectId: string, fileId: string, signal?: AbortSignal): Promise<Blob> {
  return unwrap(
    await api.GET('/api/v1/projects/{id}/files/{file_id}/content', {
      params: { path: { id: projectId, file_id: fileId } },
      parseAs: 'blob',
      signal,
    }),
  );
}

export function useFileBlobUrl(projectId: string, fileId: string | null): { url: string | null; error: unknown } {
  const [state, setState] = useState<{ key: string | null; url: string | null; error: unknown }>({ key: null, url: null, error: null });
  useEffect(() => {
    if (!fileId) return;
    const ctl = new AbortController();
    let url: string | null = null;
    fetchFileBlob(projectId, fileId, ctl.signal).then(
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
  }, [projectId, fileId]);
  return state.key === fileId ? { url: state.url, error: state.error } : { url: null, error: null };
}

/** Saves the file under its own (Japanese) name: blob + <a download>. */
export async function downloadFile(projectId: string, fileId: string, filename: string): Promise<void> {
  const blob = await fetchFileBlob(projectId, fileId);
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
