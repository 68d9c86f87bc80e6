// Administration → terminate the service (ISO/IEC 27017 CLD.8.1.5): what
// terminating deletes and keeps and when, a prominent "export your data
// first" (Crepo keeps no backup), and the request (password, the slug typed
// exactly, a texted code, a confirmation naming the deletion date) or, once
// made, its state and its withdrawal. For `settings.manage`.
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Alert } from '../../components/Alert';
import { QueryState } from '../../components/QueryState';
import { useAdminTitle } from '../../features/admin/sections';
import { terminationQuery } from '../../features/termination/queries';
import { ExportFirst, TerminationAbout } from '../../features/termination/TerminationAbout';
import { TerminationRequest } from '../../features/termination/TerminationRequest';
import { TerminationRequested } from '../../features/termination/TerminationRequested';
import '../../styles/termination.css';

export function Component() {
  const { t } = useTranslation();
  useAdminTitle(t('termination.title'));
  const state = useQuery(terminationQuery);
  const [done, setDone] = useState<'requested' | 'withdrawn' | null>(null);
  return (
    <QueryState query={state}>
      {(data) => (
        <>
          <section className="card" aria-labelledby="admin-termination">
            <h2 id="admin-termination">{t('termination.title')}</h2>
            {done && (
              <div className="termination-done">
                <Alert tone="success">{t(done === 'requested' ? 'termination.request.done' : 'termination.requested.withdrawn')}</Alert>
              </div>
            )}
            {data.status === 'requested' ? (
              <TerminationRequested state={data} onWithdrawn={() => setDone('withdrawn')} />
            ) : (
              <p>{t('termination.lead', { days: data.grace_days })}</p>
            )}
            <ExportFirst />
            <TerminationAbout graceDays={data.grace_days} />
          </section>
          {data.status === 'none' && <TerminationRequest state={data} onDone={() => setDone('requested')} />}
        </>
      )}
    </QueryState>
  );
}
