// Administration → export data (issue 17): the customer takes its own copy
// of everything the tenant holds (ISO/IEC 27017 12.3.1 — Crepo keeps no
// backups for it). One export at a time: "start" is disabled with the reason
// while one is queued or running, whose progress is polled every 2 s; the
// history lists each export with its size, SHA-256 and expiry, and a ready
// one downloads under its own file name.
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ErrorMessage } from '../../components/Alert';
import { Button } from '../../components/Button';
import { EmptyState } from '../../components/Page';
import { Spinner } from '../../components/Spinner';
import { useAdminTitle } from '../../features/admin/sections';
import { ExportAbout, ExportHistory, ExportProgress } from '../../features/exports/ExportParts';
import { ekeys, exportsQuery, isActive, startExport } from '../../features/exports/queries';
import { LoadMore } from '../../features/ops/OpsParts';
import { usePermissions } from '../../features/projects/queries';
import '../../styles/admin.css';

export function Component() {
  const { t } = useTranslation();
  useAdminTitle(t('exports.title'));
  const { can, me } = usePermissions();
  if (!me) return <Spinner />;
  return (
    <>
      <section className="card" aria-labelledby="admin-exports">
        <h2 id="admin-exports">{t('exports.title')}</h2>
        <p>{t('exports.lead')}</p>
        {can('exports.create') ? <Exports /> : <EmptyState title={t('exports.noPermission')} />}
      </section>
      <ExportAbout />
    </>
  );
}

function Exports() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const list = useInfiniteQuery(exportsQuery);
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  const active = items.find(isActive) ?? null;
  const start = useMutation({
    mutationFn: startExport,
    // 409 export_running: another administrator started one; the list shows it.
    onSettled: () => qc.invalidateQueries({ queryKey: ekeys.all }),
  });
  const blocked = active !== null;

  return (
    <>
      <div className="export-start">
        <Button variant="primary" busy={start.isPending} disabled={blocked || list.isPending} aria-describedby={blocked ? 'export-blocked' : undefined} onClick={() => start.mutate()}>
          {t('exports.start')}
        </Button>
        {blocked && (
          <p id="export-blocked" className="small muted">
            {t('exports.blocked')}
          </p>
        )}
      </div>
      {start.isError && <ErrorMessage error={start.error} />}
      {active && <ExportProgress x={active} />}
      <h3>{t('exports.history')}</h3>
      {list.isPending ? (
        <Spinner />
      ) : list.isError ? (
        <ErrorMessage error={list.error} onRetry={() => void list.refetch()} />
      ) : items.length === 0 ? (
        <EmptyState title={t('exports.empty')}>
          <p>{t('exports.emptyBody')}</p>
        </EmptyState>
      ) : (
        <>
          <ExportHistory items={items} />
          <LoadMore query={list} />
        </>
      )}
    </>
  );
}
