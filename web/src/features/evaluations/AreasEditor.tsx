// A design's areas of interest: drawn by dragging on the design or typed as
// per cents (the keyboard's way), named, saved with PUT (the whole list). The
// server's 422 names each field (`areas[2].w`); its message shows under that field.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRef, useState, type PointerEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, unwrap } from '../../api/errors';
import { api } from '../../auth';
import { ErrorMessage } from '../../components/Alert';
import { Button } from '../../components/Button';
import { Dialog } from '../../components/Dialog';
import { TextField } from '../../components/TextField';
import { fieldErrorMessage } from '../../i18n/errors';
import { useFileBlobUrl } from '../files/useFileBlob';
import { areaFromDrag, toPercent, fromPercent, type AreaDraft } from './areas';
import type { EvaluationItem } from './compare';
import { ekeys } from './queries';

export const MAX_AREAS = 20;
const FIELDS = ['x', 'y', 'w', 'h'] as const;

export function AreasEditor({ projectId, item, onClose }: { projectId: string; item: EvaluationItem; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const design = useFileBlobUrl(projectId, item.file_id, 0);
  const [areas, setAreas] = useState<AreaDraft[]>(() => (item.evaluation?.areas ?? []).map((a) => toPercent(a)));
  const [drag, setDrag] = useState<{ x0: number; y0: number; x1: number; y1: number } | null>(null);
  const stage = useRef<HTMLDivElement>(null);
  const save = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.PUT('/api/v1/projects/{id}/files/{file_id}/evaluation/areas', {
          params: { path: { id: projectId, file_id: item.file_id } },
          body: { areas: areas.map(fromPercent) },
        }),
      ),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: ekeys.list(projectId) });
      onClose();
    },
  });
  const errs = (field: string) =>
    save.error instanceof ApiError
      ? save.error.fieldErrors(field).map((e) => t(`evaluation.areaError.${e.code}`, { defaultValue: fieldErrorMessage(e) }))
      : [];
  const listErrors = errs('areas');
  const fieldErrorsShown = save.error instanceof ApiError && save.error.fieldErrors().length > 0;

  function point(e: PointerEvent) {
    const r = stage.current?.getBoundingClientRect();
    if (!r || r.width === 0 || r.height === 0) return { x: 0, y: 0 };
    return { x: Math.min(1, Math.max(0, (e.clientX - r.left) / r.width)), y: Math.min(1, Math.max(0, (e.clientY - r.top) / r.height)) };
  }
  function update(i: number, change: Partial<AreaDraft>) {
    setAreas((as) => as.map((a, j) => (j === i ? { ...a, ...change } : a)));
  }
  const preview = drag ? areaFromDrag(drag.x0, drag.y0, drag.x1, drag.y1) : null;

  return (
    <Dialog
      open
      title={t('evaluation.areasTitle', { name: item.filename })}
      onClose={onClose}
      className="dialog-wide"
      footer={
        <>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button variant="primary" busy={save.isPending} onClick={() => save.mutate()}>
            {t('common.save')}
          </Button>
        </>
      }
    >
      <p className="muted small">{t('evaluation.areasHint')}</p>
      <div className="areas-editor">
        <div
          className="eval-stage eval-stage-draw"
          ref={stage}
          data-testid="areas-stage"
          onPointerDown={(e) => {
            if (areas.length >= MAX_AREAS) return;
            e.currentTarget.setPointerCapture?.(e.pointerId);
            const p = point(e);
            setDrag({ x0: p.x, y0: p.y, x1: p.x, y1: p.y });
          }}
          onPointerMove={(e) => {
            if (!drag) return;
            const p = point(e);
            setDrag({ ...drag, x1: p.x, y1: p.y });
          }}
          onPointerUp={() => {
            const a = preview;
            setDrag(null);
            if (a && a.w >= 1 && a.h >= 1) setAreas((as) => [...as, { name: '', ...a }]);
          }}
        >
          {design.url ? <img src={design.url} alt={t('evaluation.designAlt', { name: item.filename })} className="eval-design" draggable={false} /> : null}
          {[...areas, ...(preview ? [{ name: '', ...preview }] : [])].map((a, i) => (
            <span key={i} className="eval-area" style={{ left: `${a.x}%`, top: `${a.y}%`, width: `${a.w}%`, height: `${a.h}%` }}>
              <span className="eval-area-label">{a.name || String(i + 1)}</span>
            </span>
          ))}
        </div>
        <ol className="areas-list">
          {areas.map((a, i) => (
            <li key={i} className="areas-row" data-testid="area-row">
              <TextField
                label={t('evaluation.areaName', { n: i + 1 })}
                value={a.name}
                maxLength={40}
                onChange={(e) => update(i, { name: e.target.value })}
                error={errs(`areas[${i}].name`)}
              />
              {FIELDS.map((f) => (
                <TextField
                  key={f}
                  className="areas-num"
                  label={t(`evaluation.areaField.${f}`)}
                  type="number"
                  inputMode="decimal"
                  step="any"
                  value={Number.isFinite(a[f]) ? String(Math.round(a[f] * 10) / 10) : ''}
                  onChange={(e) => update(i, { [f]: e.target.value === '' ? NaN : Number(e.target.value) })}
                  error={errs(`areas[${i}].${f}`)}
                />
              ))}
              <Button className="btn-small" variant="danger" onClick={() => setAreas((as) => as.filter((_, j) => j !== i))} aria-label={t('evaluation.removeAreaOf', { n: i + 1 })}>
                {t('evaluation.removeArea')}
              </Button>
            </li>
          ))}
        </ol>
        {areas.length === 0 && <p className="muted">{t('evaluation.noAreas')}</p>}
        <Button
          className="btn-small"
          disabled={areas.length >= MAX_AREAS}
          onClick={() => setAreas((as) => [...as, { name: '', x: 10, y: 10, w: 30, h: 20 }])}
        >
          {t('evaluation.addArea')}
        </Button>
        <p className="muted small">{t('evaluation.areasMax', { max: new Intl.NumberFormat(i18n.language).format(MAX_AREAS) })}</p>
      </div>
      {listErrors.length > 0 && <p className="field-error" role="alert">{listErrors.join(' ')}</p>}
      {save.isError && !fieldErrorsShown && <ErrorMessage error={save.error} />}
      {fieldErrorsShown && (
        <p className="field-error" role="alert" data-testid="areas-invalid">
          {t('evaluation.areasInvalid')}
        </p>
      )}
    </Dialog>
  );
}
