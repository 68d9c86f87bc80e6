// A 412 from a stale If-Match: someone else changed the project since it was
// read. Shows their version beside the user's change, and offers to reload
// (drop the change) or overwrite (send it again against their version).
import { useTranslation } from 'react-i18next';
import { Button } from '../../components/Button';
import { Dialog } from '../../components/Dialog';
import type { components } from '../../api/schema';

type Project = components['schemas']['ProjectOut'];
export type ProjectChange = components['schemas']['ProjectPatch'];

export function ConflictDialog({
  theirs,
  mine,
  busy,
  onReload,
  onOverwrite,
  onClose,
}: {
  theirs: Project;
  mine: ProjectChange;
  busy?: boolean;
  onReload: () => void;
  onOverwrite: () => void;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const fields = (['name', 'description', 'status'] as const).filter((f) => mine[f] !== undefined && mine[f] !== null);
  const show = (f: (typeof fields)[number], v: string) => (f === 'status' ? t(`projects.statusName.${v as 'active' | 'archived'}`) : v);
  return (
    <Dialog
      open
      title={t('projects.conflictTitle')}
      onClose={onClose}
      footer={
        <>
          <Button onClick={onReload}>{t('projects.conflictReload')}</Button>
          <Button variant="danger" busy={busy} onClick={onOverwrite}>
            {t('projects.conflictOverwrite')}
          </Button>
        </>
      }
    >
      <p>{t('projects.conflictBody', { version: theirs.version })}</p>
      <table className="conflict-table">
        <thead>
          <tr>
            <th scope="col">{t('projects.conflictField')}</th>
            <th scope="col">{t('projects.conflictTheirs')}</th>
            <th scope="col">{t('projects.conflictMine')}</th>
          </tr>
        </thead>
        <tbody>
          {fields.map((f) => (
            <tr key={f}>
              <th scope="row">{t(`projects.${f}`)}</th>
              <td data-testid={`theirs-${f}`}>{show(f, theirs[f])}</td>
              <td data-testid={`mine-${f}`}>{show(f, String(mine[f]))}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Dialog>
  );
}
