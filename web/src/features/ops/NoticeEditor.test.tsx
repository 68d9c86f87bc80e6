// The notice form for a release that names when its change takes effect: the
// week's rule as for maintenance (refused before sending, and live once
// tried), the emergency with its reason, the date in the preview and banner.
import { fireEvent, screen, within } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { inEnglish, renderWithClient } from '../../lib/testing';
import { storedTimeZone } from '../../lib/prefs';
import { formatDateTime } from '../../lib/time';
import { NoticeEditor } from './NoticeEditor';
import { emptyForm, toLocalInput, type NoticeForm } from './noticeForm';

const DAY = 86_400_000;
const local = (ms: number) => toLocalInput(new Date(ms).toISOString());

inEnglish();

beforeEach(() => {
  vi.stubGlobal('fetch', async () => new Response(JSON.stringify({ items: [], next_cursor: null }), { status: 200, headers: { 'content-type': 'application/json' } }));
});

function renderEditor(initial: NoticeForm = { ...emptyForm, kind: 'release', severity: 'info' }, editing = false) {
  const onSubmit = vi.fn();
  renderWithClient(<NoticeEditor initial={initial} editing={editing} busy={false} error={null} submitLabel="Publish" onSubmit={onSubmit} onCancel={() => {}} />);
  fireEvent.change(screen.getByLabelText(/^Title \(Japanese\)/), { target: { value: '仕様変更' } });
  fireEvent.change(screen.getByLabelText(/^Body \(Japanese\)/), { target: { value: '変わります。' } });
  return onSubmit;
}

const dateField = () => screen.getByLabelText(/^Takes effect on/) as HTMLInputElement;
const publish = () => fireEvent.click(screen.getByRole('button', { name: 'Publish' }));

describe('a release with the date it takes effect', () => {
  it('publishes without a date, with no emergency offered', () => {
    const onSubmit = renderEditor();
    expect(dateField().value).toBe('');
    expect(screen.queryByLabelText(/^Emergency change/)).toBeNull();
    publish();
    expect(onSubmit).toHaveBeenCalledOnce();
  });

  it('refuses a date less than a week ahead unless an emergency with a reason', () => {
    const onSubmit = renderEditor();
    expect(screen.getByTestId('earliest-effective').textContent).toContain('at least 7 days before it takes effect');
    fireEvent.change(dateField(), { target: { value: local(Date.now() + 2 * DAY) } });
    publish();
    expect(onSubmit).not.toHaveBeenCalled();
    expect(dateField().getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByText(/^Too soon: a change to the service is announced at least 7 days before it takes effect/)).toBeTruthy();

    // Live once tried: a date far enough clears it.
    fireEvent.change(dateField(), { target: { value: local(Date.now() + 8 * DAY) } });
    expect(dateField().getAttribute('aria-invalid')).toBeNull();
    fireEvent.change(dateField(), { target: { value: local(Date.now() + 2 * DAY) } });

    fireEvent.click(screen.getByLabelText(/^Emergency change/));
    publish();
    expect(screen.getByText('Give the reason for the emergency.')).toBeTruthy();
    expect(onSubmit).not.toHaveBeenCalled();
    fireEvent.change(screen.getByLabelText(/^Reason for the emergency/), { target: { value: 'Security fix' } });
    publish();
    expect(onSubmit).toHaveBeenCalledOnce();
    expect(onSubmit.mock.calls[0][0]).toMatchObject({ kind: 'release', emergency: true, reason: 'Security fix' });
  });

  it('shows the date in the preview, and a banner in the week before', () => {
    renderEditor();
    const at = Date.now() + 3 * DAY;
    fireEvent.change(dateField(), { target: { value: local(at) } });
    const preview = screen.getByTestId('preview');
    const shown = formatDateTime(new Date(local(at)).toISOString(), 'en', storedTimeZone());
    expect(within(preview).getByText('Upcoming change')).toBeTruthy();
    expect(within(preview).getByText(`Takes effect on ${shown}`)).toBeTruthy();
    expect(within(preview).getByRole('article').textContent).toContain(`Takes effect: ${shown}`);
  });

  it('keeps a published date: it may move but not be emptied', () => {
    const onSubmit = renderEditor({ ...emptyForm, kind: 'release', severity: 'info', titleJa: 'x', bodyJa: 'y', startsAt: local(Date.now() + 9 * DAY) }, true);
    fireEvent.change(dateField(), { target: { value: '' } });
    publish();
    expect(onSubmit).not.toHaveBeenCalled();
    expect(screen.getByText('Required.')).toBeTruthy();
  });
});
