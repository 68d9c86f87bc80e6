// A project's design files: drop or pick several at once, each with its real
// upload progress and a cancel; thumbnails for images, an icon for PDFs and
// the rest; a viewer with zoom; download under the file's own name; delete.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState, useSyncExternalStore } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { ApiError, unwrap } from '../../api/errors';
import { api, session } from '../../auth';
import { ErrorMessage } from '../../components/Alert';
import { Button } from '../../components/Button';
import { Dialog } from '../../components/Dialog';
import { EmptyState } from '../../components/Page';
import { Spinner } from '../../components/Spinner';
import { errorMessage, fieldErrorMessage } from '../../i18n/errors';
import { useFormat } from '../../lib/useFormat';
import { filesQuery, formatBytes, pkeys, type FileOut } from '../projects/queries';
import { UploadQueue, xhrSender, type UploadItem } from './upload';
import { downloadFile, useFileBlobUrl } from './useFileBlob';

const IMAGE_TYPES = new Set(['png', 'jpeg', 'webp', 'gif', 'svg']);
export const isImage = (f: FileOut) => IMAGE_TYPES.has(f.sniffed_type);

export function FilesSection({ projectId, canWrite }: { projectId: string; canWrite: boolean }) {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const files = useQuery(filesQuery(projectId));
  const [queue] = useState(
    () => new UploadQueue(xhrSender(projectId, session), () => void qc.invalidateQueries({ queryKey: pkeys.files(projectId) })),
  );
  useEffect(() => () => queue.dispose(), [queue]);
  const [viewing, setViewing] = useState<FileOut | null>(null);
  const [deleting, setDeleting] = useState<FileOut | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  // A deleted file's card (and the button that opened the dialog) is gone:
  // focus goes to the section instead. Runs after the dialog's own cleanup.
  const refocus = useRef(false);
  useEffect(() => {
    if (refocus.current) {
      refocus.current = false;
      heading.current?.focus();
    }
  });

  return (
    <section className="card files" aria-labelledby="files-title">
      <h2 id="files-title" tabIndex={-1} ref={heading}>
        {t('files.title')}
      </h2>
      {canWrite && <DropZone onFiles={(fs) => queue.add(fs)} />}
      <UploadList queue={queue} />
      {files.isPending ? (
        <Spinner />
      ) : files.isError ? (
        <ErrorMessage error={files.error} onRetry={() => void files.refetch()} />
      ) : files.data.length === 0 ? (
        <EmptyState title={t('files.empty')}>{canWrite ? t('files.emptyUpload') : t('files.emptyRead')}</EmptyState>
      ) : (
        <>
          <p className="muted small" data-testid="files-count">
            {t('files.count', { count: files.data.length, size: formatBytes(files.data.reduce((s, f) => s + f.size, 0), i18n.language) })}
          </p>
          <ul className="file-grid">
            {files.data.map((f) => (
              <li key={f.id}>
                <FileCard projectId={projectId} file={f} canWrite={canWrite} onView={() => setViewing(f)} onDelete={() => setDeleting(f)} />
              </li>
            ))}
          </ul>
        </>
      )}
      {viewing && <Viewer projectId={projectId} file={viewing} onClose={() => setViewing(null)} />}
      {deleting && (
        <DeleteFile
          projectId={projectId}
          file={deleting}
          onClose={() => setDeleting(null)}
          onDeleted={() => {
            refocus.current = true;
            setDeleting(null);
          }}
        />
      )}
    </section>
  );
}

function DropZone({ onFiles }: { onFiles: (files: File[]) => void }) {
  const { t } = useTranslation();
  const input = useRef<HTMLInputElement>(null);
  const id = useId();
  const [over, setOver] = useState(false);
  return (
    <div
      className={over ? 'dropzone dropzone-over' : 'dropzone'}
      data-testid="dropzone"
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(e) => {
        e.preventDefault();
        setOver(false);
        if (e.dataTransfer.files.length) onFiles([...e.dataTransfer.files]);
      }}
    >
      <p id={`${id}-hint`}>{t('files.dropHint')}</p>
      <input
        ref={input}
        id={id}
        type="file"
        multiple
        className="visually-hidden"
        aria-describedby={`${id}-hint`}
        onChange={(e) => {
          const list = e.target.files;
          if (list?.length) onFiles([...list]);
          e.target.value = '';
        }}
      />
      <label htmlFor={id} className="btn btn-primary">
        {t('files.choose')}
      </label>
    </div>
  );
}

export function UploadList({ queue }: { queue: UploadQueue }) {
  const { t, i18n } = useTranslation();
  const items = useSyncExternalStore(queue.subscribe, queue.getSnapshot);
  if (items.length === 0) return null;
  const finished = items.some((i) => i.state !== 'queued' && i.state !== 'uploading');
  return (
    <section className="uploads" aria-label={t('files.uploads')}>
      <ul>
        {items.map((item) => (
          <li key={item.key} className={`upload upload-${item.state}`} data-testid="upload" data-state={item.state}>
            <span className="upload-name" title={item.name}>
              {item.name}
            </span>
            <progress
              className="upload-progress"
              max={item.size || 1}
              value={item.state === 'done' ? item.size || 1 : item.loaded}
              aria-label={t('files.progressOf', { name: item.name })}
            />
            <span className="upload-state small">
              <UploadStatus item={item} lang={i18n.language} />
            </span>
            {(item.state === 'queued' || item.state === 'uploading') && (
              <Button className="btn-small" onClick={() => queue.cancel(item.key)} aria-label={t('files.cancelOf', { name: item.name })}>
                {t('common.cancel')}
              </Button>
            )}
          </li>
        ))}
      </ul>
      {finished && (
        <Button variant="link" onClick={() => queue.clearFinished()}>
          {t('files.clearFinished')}
        </Button>
      )}
    </section>
  );
}

function UploadStatus({ item, lang }: { item: UploadItem; lang: string }) {
  const { t } = useTranslation();
  switch (item.state) {
    case 'queued':
      return <>{t('files.queued')}</>;
    case 'uploading':
      return <>{t('files.uploading', { loaded: formatBytes(item.loaded, lang), total: formatBytes(item.size, lang) })}</>;
    case 'done':
      return <>{t('files.uploaded')}</>;
    case 'cancelled':
      return <>{t('files.cancelled')}</>;
    case 'error':
      return (
        <span className="upload-error" role="alert">
          {t('files.failed')}: {uploadErrorText(item.error, t, lang)}
        </span>
      );
  }
}

/** The server's refusal of one file in words: the size limit of a 413 (the
 * problem's detail names it in bytes), the rule a file name broke (422). */
export function uploadErrorText(e: unknown, t: TFunction, lang: string): string {
  if (e instanceof ApiError && e.status === 413) {
    const limit = Number(/(\d+) bytes/.exec(e.problem?.detail ?? '')?.[1] ?? 0);
    if (limit > 0) return t('files.tooLarge', { limit: formatBytes(limit, lang) });
  }
  const name = e instanceof ApiError && e.status === 422 ? e.fieldErrors('filename') : [];
  if (name.length > 0) {
    return name
      .map((f) => {
        const max = /at most (\d+)/.exec(f.message)?.[1];
        return f.code === 'too_long' && max ? t('files.nameTooLong', { max }) : t('files.nameInvalid', { message: fieldErrorMessage(f) });
      })
      .join(' ');
  }
  return errorMessage(e, t);
}

function FileCard({ projectId, file, canWrite, onView, onDelete }: { projectId: string; file: FileOut; canWrite: boolean; onView: () => void; onDelete: () => void }) {
  const { t, i18n } = useTranslation();
  const fmt = useFormat();
  const [downloading, setDownloading] = useState(false);
  const [error, setError] = useState<unknown>(null);
  return (
    <article className="file-card" data-testid="file-card" data-file-id={file.id} aria-label={file.filename}>
      <button type="button" className="file-thumb" onClick={onView}>
        {isImage(file) ? <Thumb projectId={projectId} file={file} /> : <FileIcon type={file.sniffed_type} />}
        <span className="visually-hidden">{t('files.view', { name: file.filename })}</span>
      </button>
      <p className="file-name" title={file.filename}>
        {file.filename}
      </p>
      <p className="muted small">
        {formatBytes(file.size, i18n.language)} · <time dateTime={file.created_at}>{fmt.dateTime(file.created_at)}</time>
      </p>
      <div className="file-actions">
        <Button
          className="btn-small"
          busy={downloading}
          aria-label={t('files.downloadOf', { name: file.filename })}
          onClick={() => {
            setDownloading(true);
            setError(null);
            downloadFile(projectId, file.id, file.filename)
              .catch(setError)
              .finally(() => setDownloading(false));
          }}
        >
          {t('files.download')}
        </Button>
        {canWrite && (
          <Button className="btn-small" variant="danger" onClick={onDelete} aria-label={t('files.deleteOf', { name: file.filename })}>
            {t('files.delete')}
          </Button>
        )}
      </div>
      {error !== null && <ErrorMessage error={error} />}
    </article>
  );
}

function Thumb({ projectId, file }: { projectId: string; file: FileOut }) {
  const { url, error } = useFileBlobUrl(projectId, file.id, file.size);
  if (error) return <FileIcon type={file.sniffed_type} />;
  if (!url) return <Spinner size="small" decorative />;
  return <img src={url} alt="" className="thumb-img" data-testid="thumb" />;
}

function FileIcon({ type }: { type: string }) {
  return (
    <span className={`file-icon file-icon-${type}`} aria-hidden="true">
      {type === 'pdf' ? 'PDF' : type === 'other' ? 'FILE' : type.toUpperCase()}
    </span>
  );
}

const ZOOMS = [0.25, 0.5, 0.75, 1, 1.5, 2, 3, 4];

function Viewer({ projectId, file, onClose }: { projectId: string; file: FileOut; onClose: () => void }) {
  const { t } = useTranslation();
  const image = isImage(file);
  const { url, error } = useFileBlobUrl(projectId, image ? file.id : null);
  const [zoom, setZoom] = useState(3); // index of 1 (100 %)
  const [fit, setFit] = useState(true);
  const scale = ZOOMS[zoom];
  return (
    <Dialog open title={file.filename} onClose={onClose} className="dialog-wide">
      {image ? (
        <>
          <div className="viewer-tools" role="group" aria-label={t('files.zoom')}>
            <Button className="btn-small" disabled={!fit && zoom === 0} onClick={() => (fit ? setFit(false) : setZoom(Math.max(0, zoom - 1)))}>
              {t('files.zoomOut')}
            </Button>
            <span className="viewer-scale" aria-live="polite" data-testid="zoom-level">
              {fit ? t('files.fit') : `${Math.round(scale * 100)}%`}
            </span>
            <Button
              className="btn-small"
              disabled={!fit && zoom === ZOOMS.length - 1}
              onClick={() => (fit ? setFit(false) : setZoom(Math.min(ZOOMS.length - 1, zoom + 1)))}
            >
              {t('files.zoomIn')}
            </Button>
            <Button className="btn-small" onClick={() => setFit(true)} disabled={fit}>
              {t('files.fit')}
            </Button>
          </div>
          {/* Focusable so the keyboard can scroll a zoomed design. */}
          <div className={fit ? 'viewer viewer-fit' : 'viewer'} data-testid="viewer" tabIndex={0} role="region" aria-label={t('files.viewerRegion', { name: file.filename })}>
            {error ? (
              <ErrorMessage error={error} />
            ) : url ? (
              <img src={url} alt={file.filename} style={fit ? undefined : { width: `${scale * 100}%` }} />
            ) : (
              <Spinner />
            )}
          </div>
        </>
      ) : (
        <p>{t('files.noPreview')}</p>
      )}
    </Dialog>
  );
}

function DeleteFile({ projectId, file, onClose, onDeleted }: { projectId: string; file: FileOut; onClose: () => void; onDeleted: () => void }) {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const del = useMutation({
    mutationFn: async () => unwrap(await api.DELETE('/api/v1/projects/{id}/files/{file_id}', { params: { path: { id: projectId, file_id: file.id } } })),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: pkeys.files(projectId) });
      onDeleted();
    },
  });
  return (
    <Dialog
      open
      title={t('files.deleteTitle')}
      onClose={onClose}
      footer={
        <>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button variant="danger" busy={del.isPending} onClick={() => del.mutate()}>
            {t('files.deleteConfirm')}
          </Button>
        </>
      }
    >
      <p>{t('files.deleteBody', { name: file.filename, size: formatBytes(file.size, i18n.language) })}</p>
      {del.isError && <ErrorMessage error={del.error} />}
    </Dialog>
  );
}
