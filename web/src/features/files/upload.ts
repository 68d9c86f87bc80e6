// The upload queue of the design files: several files at once, each with its
// real progress (XMLHttpRequest upload events; fetch has none), cancel
// (xhr.abort) and the server's error on the file it concerns. Two uploads run
// at a time; the rest wait their turn.
import { ApiError, NetworkError } from '../../api/errors';
import type { components, paths } from '../../api/schema';
import type { TokenSource } from '../../api/client';

export type FileOut = components['schemas']['FileOut'];

export type UploadState = 'queued' | 'uploading' | 'done' | 'error' | 'cancelled';

export interface UploadItem {
  key: number;
  name: string;
  size: number;
  loaded: number;
  state: UploadState;
  error: unknown;
  result: FileOut | null;
}

/** One running upload: a promise of the stored file, and a way to stop it. */
export interface Sending {
  done: Promise<FileOut>;
  abort(): void;
}

export type Sender = (file: File, onProgress: (loaded: number) => void) => Sending;

export class Cancelled extends Error {
  constructor() {
    super('cancelled');
    this.name = 'Cancelled';
  }
}

export class UploadQueue {
  private items: UploadItem[] = [];
  private files = new Map<number, File>();
  private running = new Map<number, Sending>();
  private next = 1;
  private listeners = new Set<() => void>();

  constructor(
    private readonly send: Sender,
    private readonly onUploaded: (f: FileOut) => void = () => undefined,
    private readonly concurrency = 2,
  ) {}

  subscribe = (l: () => void) => {
    this.listeners.add(l);
    return () => {
      this.listeners.delete(l);
    };
  };
  getSnapshot = (): UploadItem[] => this.items;

  add(files: Iterable<File>): void {
    const added: UploadItem[] = [];
    for (const file of files) {
      const key = this.next++;
      this.files.set(key, file);
      added.push({ key, name: file.name, size: file.size, loaded: 0, state: 'queued', error: null, result: null });
    }
    this.items = [...this.items, ...added];
    this.emit();
    this.pump();
  }

  cancel(key: number): void {
    const item = this.items.find((i) => i.key === key);
    if (!item || (item.state !== 'queued' && item.state !== 'uploading')) return;
    this.running.get(key)?.abort();
    this.running.delete(key);
    this.files.delete(key);
    this.update(key, { state: 'cancelled' });
    this.pump();
  }

  /** Removes finished, failed and cancelled rows. */
  clearFinished(): void {
    this.items = this.items.filter((i) => i.state === 'queued' || i.state === 'uploading');
    this.emit();
  }

  /** Aborts everything (the page is left). */
  dispose(): void {
    for (const s of this.running.values()) s.abort();
    this.running.clear();
  }

  private pump() {
    while (this.running.size < this.concurrency) {
      const item = this.items.find((i) => i.state === 'queued');
      if (!item) return;
      this.start(item.key);
    }
  }

  private start(key: number) {
    const file = this.files.get(key);
    if (!file) return;
    const sending = this.send(file, (loaded) => this.update(key, { loaded: Math.min(loaded, file.size) }));
    this.running.set(key, sending);
    this.update(key, { state: 'uploading' });
    sending.done.then(
      (result) => {
        if (!this.running.has(key)) return;
        this.finish(key);
        this.update(key, { state: 'done', loaded: file.size, result });
        this.onUploaded(result);
      },
      (error: unknown) => {
        if (!this.running.has(key)) return; // cancelled meanwhile
        this.finish(key);
        this.update(key, error instanceof Cancelled ? { state: 'cancelled' } : { state: 'error', error });
      },
    );
  }

  private finish(key: number) {
    this.running.delete(key);
    this.files.delete(key);
    queueMicrotask(() => this.pump());
  }

  private update(key: number, patch: Partial<UploadItem>) {
    this.items = this.items.map((i) => (i.key === key ? { ...i, ...patch } : i));
    this.emit();
  }

  private emit() {
    for (const l of this.listeners) l();
  }
}

const UPLOAD_PATH = '/api/v1/projects/{id}/files' satisfies keyof paths;

/** The URL of a raw upload (the body is the file, its name in `filename`). */
export function uploadUrl(projectId: string, filename: string, origin = location.origin): string {
  const url = new URL(UPLOAD_PATH.replace('{id}', encodeURIComponent(projectId)), origin);
  url.searchParams.set('filename', filename);
  return url.toString();
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

/** XMLHttpRequest upload with the session's bearer token; a 401
 * `token_expired` is retried once after a refresh. */
export function xhrSender(projectId: string, tokens: TokenSource, makeXhr: () => XMLHttpRequest = () => new XMLHttpRequest()): Sender {
  return (file, onProgress) => {
    let current: XMLHttpRequest | null = null;
    let aborted = false;
    const once = (token: string | null) =>
      new Promise<{ status: number; body: unknown; requestId: string | null; contentType: string }>((resolve, reject) => {
        const xhr = makeXhr();
        current = xhr;
        xhr.open('POST', uploadUrl(projectId, file.name));
        if (token) xhr.setRequestHeader('authorization', `Bearer ${token}`);
        xhr.setRequestHeader('content-type', file.type || 'application/octet-stream');
        xhr.upload.onprogress = (e) => onProgress(e.loaded);
        xhr.onload = () =>
          resolve({
            status: xhr.status,
            body: parseJson(xhr.responseText),
            requestId: xhr.getResponseHeader('x-request-id'),
            contentType: xhr.getResponseHeader('content-type') ?? '',
          });
        xhr.onerror = () => reject(new NetworkError(new Error('upload failed')));
        xhr.onabort = () => reject(new Cancelled());
        xhr.send(file);
      });
    const run = async (): Promise<FileOut> => {
      let r = await once(tokens.accessToken());
      if (r.status === 401 && (r.body as { code?: string } | null)?.code === 'token_expired' && !aborted) {
        const token = await tokens.refresh();
        if (aborted) throw new Cancelled();
        if (token) {
          onProgress(0);
          r = await once(token);
        }
      }
      if (r.status === 201) return r.body as FileOut;
      if (r.status === 401) tokens.expire();
      const headers = new Headers(r.requestId ? { 'x-request-id': r.requestId } : {});
      throw new ApiError(new Response(null, { status: r.status, headers }), r.body);
    };
    return {
      done: run(),
      abort: () => {
        aborted = true;
        current?.abort();
      },
    };
  };
}
