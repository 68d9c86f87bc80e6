import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../api/errors';
import { Cancelled, UploadQueue, uploadUrl, xhrSender, type FileOut, type Sender } from './upload';

function fakeSender() {
  const calls: { file: File; progress: (n: number) => void; resolve: (f: FileOut) => void; reject: (e: unknown) => void; aborted: boolean }[] = [];
  const send: Sender = (file, progress) => {
    let resolve!: (f: FileOut) => void;
    let reject!: (e: unknown) => void;
    const done = new Promise<FileOut>((ok, fail) => {
      resolve = ok;
      reject = fail;
    });
    const call = { file, progress, resolve, reject, aborted: false };
    calls.push(call);
    return {
      done,
      abort: () => {
        call.aborted = true;
        reject(new Cancelled());
      },
    };
  };
  return { calls, send };
}

const file = (name: string, size = 100) => new File([new Uint8Array(size)], name, { type: 'image/png' });
const stored = (name: string) => ({ id: name, filename: name }) as unknown as FileOut;
const flush = () => new Promise((r) => setTimeout(r, 0));

describe('UploadQueue', () => {
  it('runs two at a time, reports progress, and starts the next when one ends', async () => {
    const { calls, send } = fakeSender();
    const uploaded = vi.fn();
    const q = new UploadQueue(send, uploaded);
    q.add([file('a.png'), file('b.png'), file('パッケージ案.png')]);
    expect(q.getSnapshot().map((i) => i.state)).toEqual(['uploading', 'uploading', 'queued']);
    calls[0].progress(40);
    expect(q.getSnapshot()[0].loaded).toBe(40);
    calls[0].resolve(stored('a.png'));
    await flush();
    expect(q.getSnapshot().map((i) => i.state)).toEqual(['done', 'uploading', 'uploading']);
    expect(calls[2].file.name).toBe('パッケージ案.png');
    expect(uploaded).toHaveBeenCalledWith(stored('a.png'));
  });

  it('cancels a running upload (abort) and a queued one', async () => {
    const { calls, send } = fakeSender();
    const q = new UploadQueue(send, undefined, 1);
    q.add([file('a.png'), file('b.png')]);
    const [a, b] = q.getSnapshot();
    q.cancel(b.key); // queued: never sent
    q.cancel(a.key);
    await flush();
    expect(calls.length).toBe(1);
    expect(calls[0].aborted).toBe(true);
    expect(q.getSnapshot().map((i) => i.state)).toEqual(['cancelled', 'cancelled']);
    q.clearFinished();
    expect(q.getSnapshot()).toEqual([]);
  });

  it('keeps the server error on the file it concerns', async () => {
    const { calls, send } = fakeSender();
    const q = new UploadQueue(send);
    q.add([file('big.psd'), file('ok.png')]);
    const problem = { code: 'payload_too_large', status: 413, detail: 'larger than 52428800 bytes' };
    calls[0].reject(new ApiError(new Response(null, { status: 413 }), problem));
    calls[1].resolve(stored('ok.png'));
    await flush();
    const [big, ok] = q.getSnapshot();
    expect(big.state).toBe('error');
    expect((big.error as ApiError).status).toBe(413);
    expect(ok.state).toBe('done');
  });
});

class FakeXhr {
  static made: FakeXhr[] = [];
  headers: Record<string, string> = {};
  status = 0;
  responseText = '';
  upload: { onprogress: ((e: { loaded: number }) => void) | null } = { onprogress: null };
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onabort: (() => void) | null = null;
  url = '';
  body: unknown = null;
  constructor() {
    FakeXhr.made.push(this);
  }
  open(_m: string, url: string) {
    this.url = url;
  }
  setRequestHeader(k: string, v: string) {
    this.headers[k] = v;
  }
  getResponseHeader() {
    return null;
  }
  send(body: unknown) {
    this.body = body;
  }
  abort() {
    this.onabort?.();
  }
  reply(status: number, body: unknown) {
    this.status = status;
    this.responseText = JSON.stringify(body);
    this.onload?.();
  }
}

describe('xhrSender', () => {
  it('sends the file raw with the bearer token, the name in the query, and refreshes once', async () => {
    FakeXhr.made = [];
    const tokens = { accessToken: () => 'old', refresh: vi.fn(async () => 'new'), expire: vi.fn() };
    const send = xhrSender('p1', tokens, () => new FakeXhr() as unknown as XMLHttpRequest);
    const progress = vi.fn();
    const s = send(file('緑茶 案1.png'), progress);
    const first = FakeXhr.made[0];
    expect(first.headers.authorization).toBe('Bearer old');
    expect(first.headers['content-type']).toBe('image/png');
    expect(new URL(first.url).searchParams.get('filename')).toBe('緑茶 案1.png');
    first.upload.onprogress?.({ loaded: 50 });
    expect(progress).toHaveBeenCalledWith(50);
    first.reply(401, { code: 'token_expired', status: 401, detail: 'expired' });
    await flush();
    const second = FakeXhr.made[1];
    expect(second.headers.authorization).toBe('Bearer new');
    second.reply(201, { id: 'f1' });
    await expect(s.done).resolves.toEqual({ id: 'f1' });
  });

  it('rejects with Cancelled on abort', async () => {
    FakeXhr.made = [];
    const tokens = { accessToken: () => 't', refresh: async () => 't', expire: () => undefined };
    const s = xhrSender('p1', tokens, () => new FakeXhr() as unknown as XMLHttpRequest)(file('a.png'), () => undefined);
    s.abort();
    await expect(s.done).rejects.toBeInstanceOf(Cancelled);
  });

  it('builds the upload URL from the spec path', () => {
    expect(uploadUrl('abc', 'a b.png', 'http://x')).toBe('http://x/api/v1/projects/abc/files?filename=a+b.png');
  });
});
