// The upload list: a real progress bar per file, cancel that aborts, and the
// server's error on the file it concerns (413 with its limit, 422 for a name
// too long), in words.
import { act, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../api/errors';
import i18next from '../../i18n';
import { UploadList } from './FilesSection';
import { Cancelled, UploadQueue, type FileOut, type Sender } from './upload';

beforeEach(async () => {
  await i18next.changeLanguage('en');
});
afterEach(async () => {
  await i18next.changeLanguage('ja');
});

describe('UploadList', () => {
  it('shows progress, cancels, and puts the server error on its file', async () => {
    const pending: { progress: (n: number) => void; ok: (f: FileOut) => void; fail: (e: unknown) => void; aborted: boolean }[] = [];
    const send: Sender = (_file, progress) => {
      let ok!: (f: FileOut) => void;
      let fail!: (e: unknown) => void;
      const done = new Promise<FileOut>((a, b) => {
        ok = a;
        fail = b;
      });
      const entry = { progress, ok, fail, aborted: false };
      pending.push(entry);
      return { done, abort: () => ((entry.aborted = true), fail(new Cancelled())) };
    };
    const queue = new UploadQueue(send, undefined, 3);
    render(<UploadList queue={queue} />);
    act(() => queue.add([new File([new Uint8Array(1000)], '緑茶A.png'), new File([new Uint8Array(2000)], 'huge.psd'), new File([new Uint8Array(10)], 'c.pdf'), new File([new Uint8Array(10)], `${'あ'.repeat(296)}.png`)]));

    const bar = screen.getByRole('progressbar', { name: 'Progress of 緑茶A.png' });
    act(() => pending[0].progress(250));
    expect(bar.getAttribute('value')).toBe('250');
    expect(bar.getAttribute('max')).toBe('1000');

    await act(async () => {
      pending[1].fail(new ApiError(new Response(null, { status: 413 }), { code: 'payload_too_large', status: 413, detail: 'the limit is 52428800 bytes' }));
      await Promise.resolve();
    });
    const rows = screen.getAllByTestId('upload');
    const huge = rows[1];
    expect(huge.getAttribute('data-state')).toBe('error');
    expect(within(huge).getByRole('alert').textContent).toBe('Failed: The file is larger than the limit of 50 MB.');
    expect(within(rows[0]).queryByRole('alert')).toBeNull();

    // The fourth starts once the second has failed; its name is too long.
    await act(async () => {
      pending[3].fail(
        new ApiError(new Response(null, { status: 422 }), {
          code: 'validation_failed',
          status: 422,
          detail: 'x',
          errors: [{ field: 'filename', code: 'too_long', message: 'must be at most 255 characters' }],
        }),
      );
      await Promise.resolve();
    });
    expect(within(screen.getAllByTestId('upload')[3]).getByRole('alert').textContent).toBe('Failed: The file name is longer than 255 characters.');

    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Cancel the upload of c.pdf' }));
      await Promise.resolve();
    });
    expect(pending[2].aborted).toBe(true);
    expect(screen.getAllByTestId('upload')[2].getAttribute('data-state')).toBe('cancelled');
    expect(screen.getAllByTestId('upload')[2].textContent).toContain('Cancelled');
  });
});
