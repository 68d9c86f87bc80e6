// A project's members: the list, remove, and a combobox to add people by name
// or email. For those who may read users, also who can see the project and
// why (AccessPanel), and a warning on a member whose roles make membership
// give no access.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { unwrap } from '../../api/errors';
import { api } from '../../auth';
import { ErrorMessage } from '../../components/Alert';
import { Button } from '../../components/Button';
import { Combobox } from '../../components/Combobox';
import { Spinner } from '../../components/Spinner';
import { matchesText } from '../../lib/text';
import { AccessPanel, useAccess } from './AccessPanel';
import { membersQuery, pkeys, usersSearchQuery, type User } from './queries';

export function MembersSection({ projectId, canWrite, canReadUsers }: { projectId: string; canWrite: boolean; canReadUsers: boolean }) {
  const { t } = useTranslation();
  return (
    <section className="card" aria-labelledby="members-title">
      <h2 id="members-title">{t('projects.members')}</h2>
      <MembersEditor projectId={projectId} canWrite={canWrite} canReadUsers={canReadUsers} />
      {canReadUsers && <AccessPanel projectId={projectId} />}
    </section>
  );
}

function MembersEditor({ projectId, canWrite, canReadUsers }: { projectId: string; canWrite: boolean; canReadUsers: boolean }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const members = useQuery(membersQuery(projectId));
  const users = useQuery({ ...usersSearchQuery(''), enabled: canReadUsers });
  const access = useAccess(projectId, canReadUsers);
  const set = useMutation({
    mutationFn: async (ids: string[]) => unwrap(await api.PUT('/api/v1/projects/{id}/members', { params: { path: { id: projectId } }, body: { user_ids: ids } })),
    onSuccess: (data) => {
      qc.setQueryData(pkeys.members(projectId), data.user_ids);
      void qc.invalidateQueries({ queryKey: pkeys.access(projectId) });
    },
  });
  if (members.isPending) return <Spinner />;
  if (members.isError) return <ErrorMessage error={members.error} onRetry={() => void members.refetch()} />;
  const ids = members.data;
  const byId = new Map((users.data ?? []).map((u) => [u.id, u]));
  const noEffect = new Set(access?.members_without_effect ?? []);
  const seesAnyway = new Set(access?.items.map((i) => i.user_id) ?? []);
  return (
    <>
      <p className="muted small">{t('projects.membersHint')}</p>
      {ids.length === 0 ? (
        <p className="muted">{t('projects.noMembers')}</p>
      ) : (
        <ul className="member-list">
          {ids.map((uid) => {
            const u = byId.get(uid);
            return (
              <li key={uid} data-testid="member">
                <span className="member-name">{u ? `${u.name} <${u.email}>` : t('projects.memberUnknown', { id: uid.slice(0, 8) })}</span>
                {canWrite && (
                  <Button className="btn-small" onClick={() => set.mutate(ids.filter((i) => i !== uid))} aria-label={t('projects.removeMember', { name: u?.name ?? uid })}>
                    {t('projects.remove')}
                  </Button>
                )}
                {noEffect.has(uid) && <NoEffect seesAnyway={seesAnyway.has(uid)} />}
              </li>
            );
          })}
        </ul>
      )}
      {canWrite && canReadUsers && (
        <Combobox<User>
          className="member-search"
          label={t('projects.addMember')}
          placeholder={t('projects.memberSearchPlaceholder')}
          listLabel={t('projects.memberCandidates')}
          noneText={t('projects.memberNone')}
          search={(q) => (q.trim() === '' ? [] : (users.data ?? []).filter((u) => !ids.includes(u.id) && matchesText(q, u.name, u.email)).slice(0, 8))}
          optionKey={(u) => u.id}
          renderOption={(u) => (
            <>
              {u.name} <span className="muted">{u.email}</span>
            </>
          )}
          onPick={(u) => set.mutate([...ids, u.id])}
        />
      )}
      {set.isError && <ErrorMessage error={set.error} />}
    </>
  );
}

/** Membership that gives no access: a warning when the member cannot see the
 * project at all, a note when their roles reach it anyway. */
function NoEffect({ seesAnyway }: { seesAnyway: boolean }) {
  const { t } = useTranslation();
  return (
    <p className={seesAnyway ? 'member-note small muted' : 'member-note member-warning small'} data-testid="member-no-effect" data-sees={seesAnyway}>
      <span aria-hidden="true">{seesAnyway ? 'ⓘ ' : '⚠ '}</span>
      {t(seesAnyway ? 'projects.access.noEffectSeesAnyway' : 'projects.access.noEffect')}
    </p>
  );
}
